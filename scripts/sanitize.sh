#!/usr/bin/env bash
# Builds and runs a sanitizer suite; each ends with CTest's summary.
#   scripts/sanitize.sh address   clang, ASan + UBSan + libFuzzer coverage, in ./build-asan: the
#                                 whole test suite (ctest -LE fuzz), then every fuzz target for
#                                 FISCPOS_FUZZ_SECONDS (20) over its seed corpus (ctest -L fuzz)
#   scripts/sanitize.sh thread    clang, ThreadSanitizer, in ./build-tsan: only the tests labelled
#                                 "concurrency" (target fiscpos_concurrency_tests)
# Both are clang builds that link with lld (a quarter of GNU ld's time for a test executable
# here) and precompile the common headers of each target (FISCPOS_PCH; FISCPOS_PCH=OFF builds
# without: a compiler cache does not reuse them). The ASan build compiles the library at -O1 -g1
# (line tables): about half the compile time of -O2 -g under a sanitizer, and reports still name
# file:line. Its tests, simulator, demo and benchmarks compile at -O0 and without UBSan's checks
# (FISCPOS_TEST_CODE_O0): about half the compile time, for code whose own speed and arithmetic
# are not what the suites check; the library keeps every check. The TSan build compiles
# everything at -O0 -g1: ThreadSanitizer sees the same accesses, the concurrency tests run in
# about 40 s either way, and the build takes about 4 minutes instead of gcc's 7 to 8 at -O1.
# gcc, the README's compiler, is not in CI: its warnings are checked by the plain build
# (scripts/build.sh, -Werror) that every change is made with. Extra arguments go to cmake's
# configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread [cmake options]}
shift
jobs=${FISCPOS_JOBS:-2}
flags="-O1 -g1 -DNDEBUG"
lld=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld
    -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=lld)

case "$kind" in
address)
    build_dir=${FISCPOS_BUILD_DIR:-build-asan}
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DFISCPOS_SANITIZE=ON -DFISCPOS_FUZZ=ON \
        -DFISCPOS_FUZZ_SECONDS="${FISCPOS_FUZZ_SECONDS:-20}" -DFISCPOS_PCH="${FISCPOS_PCH:-ON}" \
        -DFISCPOS_TEST_CODE_O0=ON "${lld[@]}" "$@" >/dev/null
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
    thread_flags="-O0 -g1 -DNDEBUG"
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$thread_flags" \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="$thread_flags" -DFISCPOS_SANITIZE=thread \
        -DFISCPOS_PCH="${FISCPOS_PCH:-ON}" "${lld[@]}" "$@" >/dev/null
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
