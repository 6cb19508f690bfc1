/* Force-included before every translation unit of the wasm build.
 *
 * clang reports itself as GCC 4.2, so Eigen 3.4 believes an old GCC compiles its SSE code and
 * emits x86 inline assembly for a few packet operations (PacketMath.h, "EIGEN_COMP_GNUC < 63"),
 * which WebAssembly cannot assemble. Eigen defines EIGEN_COMP_GNUC unconditionally in Macros.h,
 * so it is loaded here first and the value raised to one that takes the intrinsic path. */
#ifndef ANIME2VEC_EIGEN_WASM_H
#define ANIME2VEC_EIGEN_WASM_H
#ifdef __cplusplus
#include <Eigen/src/Core/util/Macros.h>
#undef EIGEN_COMP_GNUC
#define EIGEN_COMP_GNUC 63
#endif
#endif
