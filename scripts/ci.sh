#!/usr/bin/env bash
# What CI runs (.ci/run), in three parts, each timed and each closing with CTest's summary:
#   1. the whole test suite under ASan + UBSan (clang), and every fuzz target for 10 s over its
#      seed corpus (the same build; scripts/sanitize.sh address; FISCPOS_FUZZ_SECONDS; the long
#      runs are scripts/fuzz.sh's, docs/reliability.md)
#   2. the Debian packages of that build and a C program built against them with CMake and with
#      pkg-config (scripts/consumer-check.sh build-asan; closes with a CTest-like summary)
#   3. the concurrency tests under TSan (clang; scripts/sanitize.sh thread)
# then one line "ci: N passed, N failed" over every test run. The plain build of the README's
# command (scripts/test.sh) is not repeated here: the ASan + UBSan build compiles the same code
# with -Werror, and a plain build besides would not fit CI's 30 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1

log_dir=${FISCPOS_CI_LOGS:-build-ci-logs}
mkdir -p "$log_dir"
status=0
part() {
    local name=$1
    shift
    local start=$SECONDS
    echo "== ci: $name"
    "$@" 2>&1 | tee "$log_dir/$name.log"
    local rc=${PIPESTATUS[0]}
    echo "== ci: $name took $((SECONDS - start)) s (exit $rc)"
    [ "$rc" -eq 0 ] || status=1
}
part asan-ubsan-fuzz env FISCPOS_FUZZ_SECONDS="${FISCPOS_FUZZ_SECONDS:-10}" scripts/sanitize.sh address
# clang links the sanitizer runtime into executables only: the consumer of the instrumented
# libfiscpos.so takes it, with its C++ part (UBSan's vptr checks), as fiscpos_sample_pay does.
# gzip instead of xz: the packages of this build are only unpacked again.
part packages env FISCPOS_CONSUMER_FLAGS="-fsanitize=address,undefined" \
    FISCPOS_CONSUMER_LIBS="-fsanitize-link-c++-runtime -lstdc++" FISCPOS_DEB_COMPRESSION=gzip \
    scripts/consumer-check.sh build-asan
part tsan scripts/sanitize.sh thread

# CTest's closing lines: "100% tests passed, 0 tests failed out of 27".
read -r passed failed < <(cat "$log_dir"/*.log |
    sed -n 's/^[0-9]*% tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1 \2/p' |
    awk '{f += $1; t += $2} END {print t - f, f}')
echo "ci: ${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-0}" -eq 0 ] || status=1
exit $status
