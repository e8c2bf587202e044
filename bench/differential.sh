#!/usr/bin/env bash
# Differential testing at scale: COUNT (default 10000) random xf.block
# configurations drawn from SEED by test/e2e/random_blocks.py, each compiled
# through the pipeline variants VARIANTS (check-pipelines.py's names,
# comma-separated; default all six) and compared with the reference
# evaluator. A failure is shrunk to a small reproducer
# (blockN.reduced.mlir) and counted; the run goes on. Ends with
# "N random blocks, F failed, T s". Configurations are checked one per core
# at once; with one variant at LLVM's -O3 and the others at -O0 (see
# test/Inputs/check-pipelines.py), about 1.4 s of a core per configuration,
# so 10,000 take about 2 hours on the 2-core development machine.
#
# usage: bench/differential.sh [COUNT] [SEED] [VARIANTS]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
seed=${2:-$(date +%s)}
variants=${3:-}
work=bench/out/differential-$seed
ninja -C build xf-run >/dev/null
mkdir -p "$work"
echo "seed $seed, $count configurations, variants ${variants:-all}; files in $work"
/usr/bin/python3 test/e2e/random_blocks.py "$seed" "$count" build/bin/xf-run \
  "$work" --keep-going --jobs "$(nproc)" ${variants:+--variants "$variants"} |
  tee "$work/log" | grep -v '^block [0-9]*: '
