/* Intentionally empty. Eigen's SSE path (enabled with -msse2, which Emscripten maps to WASM
   SIMD) includes <mmintrin.h>, which Emscripten 3.1.6 does not ship; nothing from it is used. */
