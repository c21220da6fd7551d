#!/usr/bin/env bash
# Long fuzz runs outside CI. Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan) in
# ./build-fuzz (or $FISCPOS_BUILD_DIR; only the libraries they need), then runs each target for
# SECONDS at nice 19 over its seed corpus, keeping what it finds in $BUILD/fuzz/corpus/<target>,
# and prints the executions of each run. A crash stops that target (its input is written to
# $BUILD/fuzz/artifacts/) and the script exits 1 at the end.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (default 600 s, every target, one after another)
# FISCPOS_FUZZ_JOBS=2 runs two targets at a time; FISCPOS_FUZZ_BUILD=0 runs what is built;
# FISCPOS_FUZZ_RUNS=N stops a target after N executions (SECONDS still bounds it).
# Each target's corpus folder has one fuzzer writing to it, so libFuzzer does not re-read it every
# second for other processes' finds (-reload=0): over the 18,000 files the long serve runs left
# there, that scan took 4.5 % of its time.
# One input may take FISCPOS_FUZZ_TIMEOUT seconds (120): at nice 19 on a busy machine a run is
# starved for seconds at a time, and a 10-s limit reported inputs that replay in milliseconds.
# FISCPOS_FUZZ_LEAKS=0 turns LeakSanitizer's check off for a long run: libFuzzer scans the whole
# heap after every input that allocated more than it freed, which for serve (whose journal grows)
# is most of them and most of its time. Crashes, ASan and UBSan reports still stop the run; the CI
# runs (10 s per target) and the ASan test suite keep checking leaks.
# FISCPOS_FUZZ_LEAN=1 (for long runs) keeps AddressSanitizer's checks but makes each allocation
# cheaper: no allocation stack is recorded (replay a crash's input for it), a 64-MB quarantine
# instead of 256 MB, and new blocks are not pattern-filled. The same 6,000 inputs (-seed=1) took
# 58 % of the time for config and 82 % for serve. An ASAN_OPTIONS of your own wins over it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
build_dir=${FISCPOS_BUILD_DIR:-build-fuzz}
flags="-O1 -g1 -DNDEBUG"
# Every target: fuzz/<t>.cpp (the shared parsers) and <network>/fuzz/<t>.cpp.
mapfile -t sources < <(ls fuzz/*.cpp ./*/fuzz/*.cpp 2>/dev/null)
all=()
for source in "${sources[@]}"; do
    all+=("$(basename "$source" .cpp)")
done
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if [ "${FISCPOS_FUZZ_BUILD:-1}" != 0 ]; then
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DFISCPOS_SANITIZE=ON -DFISCPOS_FUZZ=ON >/dev/null
    cmake --build "$build_dir" -j"${FISCPOS_JOBS:-2}" --target fiscpos_fuzzers
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
if [ "${FISCPOS_FUZZ_LEAN:-0}" = 1 ] && [ -z "${ASAN_OPTIONS:-}" ]; then
    export ASAN_OPTIONS=malloc_context_size=0:quarantine_size_mb=64:max_malloc_fill_size=0
fi
# The targets' scratch folders (serve's SQLite journal) on tmpfs when there is one: a journal's
# syncs then cost nothing.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi

out="$build_dir/fuzz"
mkdir -p "$out/logs" "$out/artifacts"
# The seed corpus of target $1, beside its source.
seeds() {
    local source
    source=$(ls fuzz/"$1".cpp ./*/fuzz/"$1".cpp 2>/dev/null | head -n1)
    echo "$(dirname "${source:-fuzz/$1.cpp}")/corpus/$1"
}
run() {
    local t=$1
    mkdir -p "$out/corpus/$t"
    local rc=0
    nice -n 19 "$out/fuzz_$t" -max_total_time="$seconds" -timeout="${FISCPOS_FUZZ_TIMEOUT:-120}" -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" -runs="${FISCPOS_FUZZ_RUNS:--1}" \
        -detect_leaks="${FISCPOS_FUZZ_LEAKS:-1}" -reload=0 \
        "$out/corpus/$t" "$(seeds "$t")" >"$out/logs/$t.log" 2>&1 || rc=$?
    local execs took
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log" | tail -n1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/logs/$t.log" | tail -n1)
    cp "$out/logs/$t.log" "$out/logs/$t.$(date +%Y%m%d-%H%M%S).log"
    printf '%-16s %12s executions in %ss  %s\n' "$t" "${execs:-?}" "${took:-$seconds}" \
        "$([ $rc -eq 0 ] && echo clean || echo "FAILED (exit $rc, see $out/logs/$t.log)")"
    return $rc
}
status=0
pids=()
for t in "${targets[@]}"; do
    run "$t" &
    pids+=($!)
    if [ ${#pids[@]} -ge "${FISCPOS_FUZZ_JOBS:-1}" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || status=1
done
exit $status
