#!/usr/bin/env bash
# Installs what the page needs, builds the WebAssembly module and the page, and serves it on a
# local address that it prints (PORT=8000 by default; PORT=0 picks a free one). Ctrl-C stops.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
build=${ANIME2VEC_BUILD_DIR:-build}
# Keep an existing configuration (scripts/test.sh shares the folder) rather than changing
# its flags, which would rebuild everything.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target anime2vec_site -j "$(nproc)"
exec node web/server.mjs --root "$build/web" --port "${PORT:-8000}" --host "${HOST:-127.0.0.1}"
