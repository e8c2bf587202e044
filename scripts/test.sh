#!/usr/bin/env bash
# Builds xf (scripts/setup.sh) and runs the whole lit suite: dialect, pass and
# end-to-end numerics tests, including the PyTorch oracle. Then the same
# suite on the ASan + UBSan build (scripts/sanitize.sh) and each fuzz target
# for XF_FUZZ_SECONDS (default 30) seconds (scripts/fuzz.sh); XF_SANITIZE=0
# skips both. Ends with the line "N passed, N failed" (lit's counts, both
# builds together) and exits non-zero when a test fails or a fuzzer
# crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_BUILD_DIR:-build}

scripts/setup.sh
ninja -C "$BUILD_DIR" -j2 xf-test-depends
log=$(mktemp)
status=0
# Each suite ends with "<label>: N passed, N failed"; the totals add them up.
passed=0
failed=0
add_counts() {
  local line more_passed more_failed
  line=$(grep "^$1: [0-9]* passed" "$log" | tail -n1 || true)
  more_passed=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
  more_failed=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed.*/\1/p')
  passed=$((passed + ${more_passed:-0}))
  failed=$((failed + ${more_failed:-0}))
}
scripts/lit-suite.sh "$BUILD_DIR" "$BUILD_DIR" 2>&1 | tee "$log" || status=1
add_counts "$BUILD_DIR"

if [ "${XF_SANITIZE:-1}" != 0 ]; then
  scripts/sanitize.sh 2>&1 | tee "$log" || status=1
  add_counts sanitized
  scripts/fuzz.sh "${XF_FUZZ_SECONDS:-30}" || status=1
fi
rm -f "$log"
echo "${passed} passed, ${failed} failed"
exit "$status"
