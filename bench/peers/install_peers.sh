#!/usr/bin/env bash
# Installs the node-based peers into a cache folder outside the repository:
#   $DIR/ort    onnxruntime-node 1.30.0 (carries the CPU libonnxruntime.so.1)
#   $DIR/llama  node-llama-cpp 3.21.1 with its prebuilt linux-x64 llama.cpp
# plus Debian's python3-onnx (ort_attention.py writes its models with it).
#   bench/peers/install_peers.sh     # DIR = $XF_PEERS_DIR or ~/.cache/xf-peers
# Prints DIR on stdout, progress and errors on stderr. Idempotent: a package
# already there at its pinned version is not fetched again (~1 s). Exits 1
# if any peer failed to install or to load (the others stay usable).
set -uo pipefail
DIR=${XF_PEERS_DIR:-$HOME/.cache/xf-peers}
failed=()

have() {  # have FOLDER PACKAGE VERSION
  grep -qs "\"version\": *\"$3\"" "$1/node_modules/$2/package.json"
}

npm_peer() {  # npm_peer SUBDIR PACKAGE@VERSION...
  local dir="$DIR/$1" spec missing=0
  shift
  for spec in "$@"; do
    have "$dir" "${spec%@*}" "${spec##*@}" || missing=1
  done
  ((missing)) || return 0
  mkdir -p "$dir" || return 1
  [ -f "$dir/package.json" ] || echo '{"private": true}' >"$dir/package.json"
  echo "install_peers: npm i $* in $dir" >&2
  # --ignore-scripts: the install scripts would build llama.cpp or fetch a
  # CUDA provider (neither possible offline nor wanted); the CPU libraries
  # ship inside the tarballs. --omit=optional: node-llama-cpp's optional
  # dependencies are its CUDA/Vulkan/ARM builds (~570 MB, unused); the
  # linux-x64 build is named here, which makes it a regular dependency.
  (cd "$dir" && npm i -E --ignore-scripts --omit=optional --no-audit --no-fund \
     --loglevel=error "$@" >&2)
}

# A tarball can install fine without a loadable native library, so each
# peer is loaded once as well. node-llama-cpp test-loads its binary in a
# forked node that re-runs the parent's argv: the check is a file, not -e.
check_ort() {
  node -e "require('$DIR/ort/node_modules/onnxruntime-node')" >&2
}
check_llama() {
  cat >"$DIR/llama/load_check.mjs" <<'END'
const {getLlama} = await import("./node_modules/node-llama-cpp/dist/index.js");
const llama = await getLlama({gpu: false, build: "never", skipDownload: true, progressLogs: false});
await llama.dispose();
END
  node "$DIR/llama/load_check.mjs" >&2
}

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
apt_install() {  # apt_install PACKAGE...
  echo "install_peers: apt-get install $*" >&2
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install \
      -y -qq --no-install-recommends "$@" >/dev/null; } >&2
}
# Node 20 or newer (node-llama-cpp 3 needs it; Debian 12's nodejs is 18, so
# a machine without node gets it from apt and may then fail the check below).
command -v npm >/dev/null || apt_install nodejs npm ||
  failed+=("nodejs/npm (apt-get install failed)")

if npm_peer ort onnxruntime-node@1.30.0; then
  check_ort || failed+=("onnxruntime-node (installed, does not load; remove $DIR/ort and rerun)")
else
  failed+=("onnxruntime-node (npm install failed)")
fi
if npm_peer llama @node-llama-cpp/linux-x64@3.21.1 node-llama-cpp@3.21.1; then
  check_llama || failed+=("node-llama-cpp (installed, does not load; remove $DIR/llama and rerun)")
else
  failed+=("node-llama-cpp (npm install failed)")
fi
if ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  apt_install python3-onnx || failed+=("python3-onnx (apt-get install failed)")
fi

echo "$DIR"
if ((${#failed[@]})); then
  printf 'install_peers: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
