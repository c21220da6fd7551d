#!/usr/bin/env bash
# Installs what fiscpos needs, builds it, and runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "$@"
ctest --test-dir "${FISCPOS_BUILD_DIR:-build}" --output-on-failure -j2
