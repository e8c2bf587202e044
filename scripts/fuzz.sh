#!/usr/bin/env bash
# Fuzzes xf: builds the fuzz targets (tools/fuzzers) with ASan, UBSan and
# libFuzzer (scripts/asan-build.sh), then runs each for SECONDS (default 60)
# from its seed corpus (test/fuzz/corpus/<target>, copied into
# build-asan/fuzz/<target>/corpus, where what it learns accumulates across
# runs), the parser and pipeline targets with the dictionary of xf keywords
# (test/fuzz/xf.dict). One target at a time: the machine has two cores.
#
# Prints one line per target (executions, executions per second, edges
# covered, corpus size, crashes) and a total. A crashing input is kept in
# build-asan/fuzz/<target>/crashes/; fixed, it moves to
# test/fuzz/crashes/<target>/, which replay.test runs on every test run.
# Exits non-zero when a target crashed.
#
# XF_FUZZ_JOBS=N runs each target in libFuzzer's fork mode with N worker
# processes (the counts are then the parent's totals over its workers).
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#        (targets: parser onnx npy program pipeline; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_ASAN_BUILD_DIR:-build-asan}
seconds=${1:-60}
jobs=${XF_FUZZ_JOBS:-1}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parser onnx npy program pipeline)
fi
ninja_targets=()
for t in "${targets[@]}"; do
  ninja_targets+=("xf-$t-fuzzer")
done
scripts/asan-build.sh "${ninja_targets[@]}" >/dev/null

# Leaks are errors too. allow_user_poisoning=0: LLVM's headers poison the
# unused parts of a BumpPtrAllocator slab in xf's instrumented code, while
# the uninstrumented libMLIR.so (Debian's) allocates from the same slabs
# without knowing: ASan would report its own allocations. The JIT's code
# is not instrumented either, so only what xf's own code reads and writes
# is checked there.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
total_runs=0
total_crashes=0
for t in "${targets[@]}"; do
  dir=$BUILD_DIR/fuzz/$t
  mkdir -p "$dir/corpus" "$dir/crashes"
  cp -n test/fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=60
        -rss_limit_mb=6144 -artifact_prefix="$dir/crashes/")
  case $t in
    parser | pipeline) args+=(-dict=test/fuzz/xf.dict -max_len=16384) ;;
    onnx) args+=(-max_len=65536) ;;
  esac
  if [ "$jobs" -gt 1 ]; then
    args+=(-fork="$jobs")
  fi
  crashes_before=$(find "$dir/crashes" -type f | wc -l)
  "$BUILD_DIR/bin/xf-$t-fuzzer" "${args[@]}" "$dir/corpus" \
    >"$dir/log" 2>&1 || status=1
  crashes=$(($(find "$dir/crashes" -type f | wc -l) - crashes_before))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  if [ "$jobs" -gt 1 ]; then
    # The fork-mode parent prints "#RUNS: cov: ... time: Ts job: J" lines.
    last=$(grep -E '^#[0-9]+: cov:' "$dir/log" | tail -1 || true)
    runs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
    elapsed=$(sed -E 's/.* time: ([0-9]+)s.*/\1/' <<<"$last")
    rate=$((${runs:-0} / (${elapsed:-1} > 0 ? ${elapsed:-1} : 1)))
  fi
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -o 'corp: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  printf '%-9s %10s executions %8s/s  %6s edges  %6s inputs  %s crash(es)\n' \
    "$t" "${runs:-0}" "${rate:-0}" "${cov:-?}" "${corp:-?}" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    grep -m1 -E 'ERROR: |runtime error|deadly signal' "$dir/log" || true
    status=1
  fi
  total_runs=$((total_runs + ${runs:-0}))
  total_crashes=$((total_crashes + crashes))
done
echo "fuzzed ${#targets[@]} target(s) for ${seconds} s each: $total_runs executions, $total_crashes crash(es)"
exit "$status"
