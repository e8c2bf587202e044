#!/usr/bin/env bash
# Runs the whole test suite (lit and GoogleTest, as scripts/test.sh does) on
# the ASan + UBSan build (scripts/asan-build.sh, in build-asan). Any
# sanitizer report fails its test; leaks included. Ends with the line
# "N passed, N failed" and exits non-zero when a test fails.
#
# One documented exception, for upstream code: allow_user_poisoning=0.
# LLVM's headers poison the unused tail of a BumpPtrAllocator slab when
# compiled with ASan, as xf's code is; Debian's libMLIR.so is not, and
# allocates from the same slabs: without it, ASan reports libMLIR's own
# allocations. Python loading libxf_c.so gets the shared ASan runtime
# preloaded and no leak check (lit's %python-capi).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_ASAN_BUILD_DIR:-build-asan}
scripts/asan-build.sh xf-test-depends
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec scripts/lit-suite.sh "$BUILD_DIR" sanitized
