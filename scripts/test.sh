#!/usr/bin/env bash
# Builds xf (scripts/setup.sh) and runs the whole lit suite: dialect, pass and
# end-to-end numerics tests, including the PyTorch oracle. Ends with the line
# "N passed, N failed" and exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_BUILD_DIR:-build}

scripts/setup.sh
ninja -C "$BUILD_DIR" -j2 xf-test-depends
log=$(mktemp)
status=0
/usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test" "$BUILD_DIR/test/Unit" 2>&1 | tee "$log" || status=$?
count() { sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" "$log" | head -n1; }
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
rm -f "$log"
exit "$status"
