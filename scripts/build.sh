#!/usr/bin/env bash
# Configures and builds fiscpos in ./build (or $FISCPOS_BUILD_DIR). Extra arguments go to cmake's
# configure step, e.g. -DFISCPOS_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FISCPOS_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
