#!/usr/bin/env bash
# Builds xf (scripts/setup.sh), then compiles the GPT-2 example block for
# this CPU, runs it on seeded random weights, checks the result against the
# reference evaluator and times it.
#
#   scripts/run-example.sh                     # examples/gpt2_block.mlir
#   scripts/run-example.sh examples/llama_block.mlir --bench 20
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${XF_BUILD_DIR:-build}

scripts/setup.sh
example=${1:-examples/gpt2_block.mlir}
shift || true
exec "$BUILD_DIR/bin/xf-run" "$example" --check --bench 5 "$@"
