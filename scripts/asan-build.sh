#!/usr/bin/env bash
# Configures and builds xf with AddressSanitizer, UndefinedBehaviorSanitizer
# and libFuzzer's coverage instrumentation in build-asan (or
# $XF_ASAN_BUILD_DIR): the build scripts/sanitize.sh tests and
# scripts/fuzz.sh fuzzes. Builds the targets given (default: all).
#
# Executables link the sanitizer runtimes statically; libxf_c.so leaves
# them to its host, so Python loads it with the shared ASan runtime preloaded
# (lit's %python-capi in this build).
# UBSan checks everything but vptr and function, which need RTTI, off in
# LLVM builds; any report aborts. -O1: the tests spend their time in
# libMLIR.so and in compiled kernels, neither of which is instrumented, so
# optimizing xf's own code harder only lengthens the build.
#
# usage: scripts/asan-build.sh [NINJA_TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_ASAN_BUILD_DIR:-build-asan}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/xf-ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd .. && pwd)}

# The sanitizer and libFuzzer runtimes.
if [ ! -d /usr/lib/llvm-22/lib/clang/22/lib/linux ]; then
  apt-get install -y -q libclang-rt-22-dev >/dev/null
fi
LAUNCHER=()
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld "${LAUNCHER[@]}" \
  "-DLLVM_USE_SANITIZER=Address;Undefined" \
  "-DLLVM_UBSAN_FLAGS=-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all" \
  -DLLVM_USE_SANITIZE_COVERAGE=ON \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" \
  >/dev/null
ninja -C "$BUILD_DIR" -j2 "$@"
