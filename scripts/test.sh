#!/usr/bin/env bash
# Installs what fiscpos needs, builds it, and runs every test: what CI runs (.ci/run). The suite
# runs under ASan + UBSan (clang), every fuzz target for 10 s, the concurrency tests under TSan;
# each part closes with CTest's summary and the run with "ci: N passed, N failed".
# A plain build and its CTest run: scripts/build.sh && ctest --test-dir build (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/ci.sh "$@"
