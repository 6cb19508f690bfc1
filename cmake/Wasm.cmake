# The WebAssembly module, the served page and their node and browser tests, driven from the
# native build tree so that one `cmake --build` and one `ctest` cover everything.
#
# The same source tree is configured a second time with Emscripten's toolchain file as an
# external project (<build>/wasm); its outputs and the page's files are assembled into
# <build>/web, the folder that web/server.mjs serves.

include(ExternalProject)

find_program(ANIME2VEC_EMCC emcc)
find_program(ANIME2VEC_NODE node)
find_program(ANIME2VEC_NPM npm)
set(ANIME2VEC_EMSCRIPTEN_TOOLCHAIN
    "/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake"
    CACHE FILEPATH "Emscripten's CMake toolchain file")
set(ANIME2VEC_CHROMIUM "/usr/bin/chromium" CACHE FILEPATH "Chromium for the browser tests")

if(NOT ANIME2VEC_EMCC OR NOT ANIME2VEC_NODE OR NOT ANIME2VEC_NPM
   OR NOT EXISTS "${ANIME2VEC_EMSCRIPTEN_TOOLCHAIN}")
  message(WARNING "anime2vec: emcc, node, npm or the Emscripten toolchain file is missing: "
                  "the WebAssembly module and the page are not built "
                  "(apt-get install emscripten nodejs npm, or -DANIME2VEC_WASM=OFF)")
  return()
endif()

set(ANIME2VEC_WASM_DIR "${CMAKE_BINARY_DIR}/wasm")
set(ANIME2VEC_SITE_DIR "${CMAKE_BINARY_DIR}/web")
set(ANIME2VEC_ARTIFACTS_DIR "${CMAKE_BINARY_DIR}/artifacts")

ExternalProject_Add(anime2vec_wasm
  SOURCE_DIR "${PROJECT_SOURCE_DIR}"
  BINARY_DIR "${ANIME2VEC_WASM_DIR}"
  CMAKE_ARGS
    "-DCMAKE_TOOLCHAIN_FILE=${ANIME2VEC_EMSCRIPTEN_TOOLCHAIN}"
    "-DCMAKE_BUILD_TYPE=Release"
    "-DCMAKE_CROSSCOMPILING_EMULATOR=${ANIME2VEC_NODE}"
    "-DANIME2VEC_BUILD_TESTS=OFF"
    "-DANIME2VEC_WASM=OFF"
    "-DANIME2VEC_WERROR=${ANIME2VEC_WERROR}"
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  USES_TERMINAL_CONFIGURE ON
  USES_TERMINAL_BUILD ON
)

# The page's libraries come from node_modules (npm ci from package-lock.json); node's own
# marker file is rewritten by every install, so it tells when the lock file changed.
set(ANIME2VEC_NPM_STAMP "${PROJECT_SOURCE_DIR}/node_modules/.package-lock.json")
add_custom_command(
  OUTPUT "${ANIME2VEC_NPM_STAMP}"
  COMMAND "${ANIME2VEC_NPM}" ci --no-audit --no-fund
  DEPENDS "${PROJECT_SOURCE_DIR}/package.json" "${PROJECT_SOURCE_DIR}/package-lock.json"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  COMMENT "npm ci (the page's libraries and playwright-core)"
  VERBATIM)
add_custom_target(anime2vec_npm DEPENDS "${ANIME2VEC_NPM_STAMP}")

# The served folder: the page's files, the ES module build and the vendored libraries (regl is
# UMD only: the page loads it as a classic script and web/public/vendor-shims re-export it).
set(ANIME2VEC_NM "${PROJECT_SOURCE_DIR}/node_modules")
add_custom_target(anime2vec_site ALL
  COMMAND "${CMAKE_COMMAND}" -E rm -rf "${ANIME2VEC_SITE_DIR}"
  COMMAND "${CMAKE_COMMAND}" -E copy_directory "${PROJECT_SOURCE_DIR}/web/public"
          "${ANIME2VEC_SITE_DIR}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${ANIME2VEC_SITE_DIR}/vendor/regl"
          "${ANIME2VEC_SITE_DIR}/vendor/pub-sub-es" "${ANIME2VEC_SITE_DIR}/vendor/regl-scatterplot"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${ANIME2VEC_WASM_DIR}/wasm/anime2vec.mjs" "${ANIME2VEC_WASM_DIR}/wasm/anime2vec.wasm"
          "${ANIME2VEC_SITE_DIR}"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${ANIME2VEC_NM}/regl/dist/regl.min.js"
          "${ANIME2VEC_NM}/regl/LICENSE"
          "${ANIME2VEC_SITE_DIR}/vendor/regl"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${ANIME2VEC_NM}/pub-sub-es/dist/index.js" "${ANIME2VEC_NM}/pub-sub-es/LICENSE"
          "${ANIME2VEC_SITE_DIR}/vendor/pub-sub-es"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${ANIME2VEC_NM}/regl-scatterplot/dist/regl-scatterplot.esm.js"
          "${ANIME2VEC_NM}/regl-scatterplot/LICENSE"
          "${ANIME2VEC_SITE_DIR}/vendor/regl-scatterplot"
  DEPENDS anime2vec_wasm anime2vec_npm
  COMMENT "Assembling the page in ${ANIME2VEC_SITE_DIR}"
  VERBATIM)

if(ANIME2VEC_BUILD_TESTS)
  set(ANIME2VEC_NODE_MODULE "${ANIME2VEC_WASM_DIR}/wasm/anime2vec_node.js")
  set(ANIME2VEC_NODE_TEST_ENV
    "ANIME2VEC_NODE_MODULE=${ANIME2VEC_NODE_MODULE}"
    "ANIME2VEC_CLI=$<TARGET_FILE:anime2vec>"
    "ANIME2VEC_SHARED_DATA=${ANIME2VEC_SHARED_DATA}"
    "ANIME2VEC_TMP=${CMAKE_BINARY_DIR}/node_test_tmp")
  add_test(NAME wasm_node
    COMMAND "${CMAKE_COMMAND}" -E env ${ANIME2VEC_NODE_TEST_ENV}
            "${ANIME2VEC_NODE}" --test --test-force-exit --test-concurrency=1
            "${PROJECT_SOURCE_DIR}/tests/node/")
  set_tests_properties(wasm_node PROPERTIES TIMEOUT 300)

  add_test(NAME web_browser
    COMMAND "${CMAKE_COMMAND}" -E env
            "ANIME2VEC_SITE_DIR=${ANIME2VEC_SITE_DIR}"
            "ANIME2VEC_ARTIFACTS=${ANIME2VEC_ARTIFACTS_DIR}"
            "ANIME2VEC_SHARED_DATA=${ANIME2VEC_SHARED_DATA}"
            "ANIME2VEC_CHROMIUM=${ANIME2VEC_CHROMIUM}"
            "${ANIME2VEC_NODE}" --test --test-force-exit --test-concurrency=1
            "${PROJECT_SOURCE_DIR}/tests/browser/")
  set_tests_properties(web_browser PROPERTIES TIMEOUT 600 RUN_SERIAL ON)
endif()
