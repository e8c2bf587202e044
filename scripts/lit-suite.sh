#!/usr/bin/env bash
# Runs the lit suite and the GoogleTest unit tests of build directory BUILD
# and prints "LABEL: N passed, N failed" (lit's counts) after lit's output.
# Exits with lit's status. Shared by scripts/test.sh and scripts/sanitize.sh.
#
# usage: scripts/lit-suite.sh BUILD LABEL
set -uo pipefail
build=$1
label=$2
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv "$build/test" "$build/test/Unit" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" "$log" | head -n1; }
passed=$(count Passed)
failed=$(count Failed)
echo "$label: ${passed:-0} passed, ${failed:-0} failed"
rm -f "$log"
exit "$status"
