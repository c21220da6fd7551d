#!/usr/bin/env bash
# Builds and runs a sanitizer suite; each ends with CTest's summary.
#   scripts/sanitize.sh address   clang, ASan + UBSan + libFuzzer coverage, in ./build-asan: the
#                                 whole test suite (ctest -LE fuzz), then every fuzz target for
#                                 FISCPOS_FUZZ_SECONDS (20) over its seed corpus (ctest -L fuzz)
#   scripts/sanitize.sh thread    gcc, ThreadSanitizer, in ./build-tsan: only the tests labelled
#                                 "concurrency" (target fiscpos_concurrency_tests)
# Both compile the library at -O1 -g1 (line tables): about half the compile time of -O2 -g under a
# sanitizer, and reports still name file:line. The tests, the simulator, the demo and the
# benchmarks compile at -O0 (FISCPOS_TEST_CODE_O0): about 40 % less compile time for code whose
# own speed is not under test. Both precompile the common headers (FISCPOS_PCH; FISCPOS_PCH=OFF
# builds without: a compiler cache does not reuse them). With them gcc 12 reports a false
# -Warray-bounds and -Wstringop-overflow inside std::string at -O1, so the TSan build leaves those
# two out (the plain build and the clang build keep them). Extra arguments go to cmake's
# configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread [cmake options]}
shift
jobs=${FISCPOS_JOBS:-2}
flags="-O1 -g1 -DNDEBUG"

case "$kind" in
address)
    build_dir=${FISCPOS_BUILD_DIR:-build-asan}
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DFISCPOS_SANITIZE=ON -DFISCPOS_FUZZ=ON \
        -DFISCPOS_FUZZ_SECONDS="${FISCPOS_FUZZ_SECONDS:-20}" -DFISCPOS_PCH="${FISCPOS_PCH:-ON}" \
        -DFISCPOS_TEST_CODE_O0=ON "$@" >/dev/null
    cmake --build "$build_dir" -j"$jobs"
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    status=0
    echo "== test suite under ASan + UBSan"
    ctest --test-dir "$build_dir" -LE fuzz --output-on-failure -j"$jobs" || status=1
    echo "== fuzz targets, ${FISCPOS_FUZZ_SECONDS:-20} s each"
    ctest --test-dir "$build_dir" -L fuzz --output-on-failure -j"$jobs" || status=1
    exit $status
    ;;
thread)
    build_dir=${FISCPOS_BUILD_DIR:-build-tsan}
    gcc_flags="$flags -Wno-array-bounds -Wno-stringop-overflow"
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$gcc_flags" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$gcc_flags" \
        -DFISCPOS_SANITIZE=thread -DFISCPOS_PCH="${FISCPOS_PCH:-ON}" -DFISCPOS_TEST_CODE_O0=ON \
        "$@" >/dev/null
    cmake --build "$build_dir" -j"$jobs" --target fiscpos_concurrency_tests
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp}
    echo "== concurrency tests under TSan"
    ctest --test-dir "$build_dir" -L concurrency --output-on-failure -j"$jobs"
    ;;
*)
    echo "usage: scripts/sanitize.sh address|thread [cmake options]" >&2
    exit 2
    ;;
esac
