#!/usr/bin/env bash
# Installs what xf needs (only the Debian packages that are missing), then
# configures and builds xf in build/. Idempotent: a second run only rebuilds
# what changed.
#
#   scripts/setup.sh            # install + configure + build
#   XF_BUILD_DIR=out scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${XF_BUILD_DIR:-build}
PACKAGES=(
  # toolchain: LLVM/MLIR 22 from bookworm-security, clang + lld, ninja, ccache
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  cmake ninja-build ccache
  # runtime: OpenMP for the threaded CPU code
  libomp-dev
  # the ONNX importer: ONNX's protobuf classes (python3-onnx builds test
  # models)
  libonnx-dev libprotobuf-dev python3-onnx
  # tests and benchmarks: numpy, the PyTorch oracle, oneDNN as a GEMM peer
  python3 python3-numpy python3-torch libdnnl-dev libgtest-dev
  # OpenBLAS behind numpy and PyTorch (the reference BLAS is 30x slower)
  libopenblas0-pthread
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

# ccache only helps when its directory survives between builds; key it on the
# parent of the source tree so differently named build directories share hits.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/xf-ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd .. && pwd)}
LAUNCHER=()
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld "${LAUNCHER[@]}" >/dev/null
fi
# Two jobs: the heaviest translation units take ~0.5 GB each.
ninja -C "$BUILD_DIR" -j2
