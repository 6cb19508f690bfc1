#!/usr/bin/env bash
# Builds everything (native core, CLI, Catch2 tests, the WebAssembly module and the page) and
# runs every test with one ctest: unit, CLI, real-data, node and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
build=${ANIME2VEC_BUILD_DIR:-build}
jobs=$(nproc)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DANIME2VEC_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
