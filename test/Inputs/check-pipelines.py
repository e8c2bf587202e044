"""Runs `xf-run FILE --check ...` once per pipeline variant.

Every e2e function goes through each variant, so that every fusion and
tiling path is compared with the reference evaluator: the default fast
pipeline (weights given as arguments packed once, before the calls), the
plain lowering, one thread with the weights packed in every call,
AVX2-width kernels, the kernels without the graph-level fusions, and tiles
small enough that every shape has ragged edges. Prints each run's check lines, then "N variants ok";
exits non-zero when any run fails.

usage: check-pipelines.py XF_RUN FILE [xf-run arguments...]
"""
import os
import subprocess
import sys

VARIANTS = {
    "fast": "",
    "plain": "fast=false",
    "one-thread": "threads=1 pack-weights-once=false",
    "avx2": "vector-width=8",
    "no-fusion": "fuse-attention=false merge-projections=false "
                 "fuse-epilogue=false fuse-norms=false",
    "small-tiles": "attention-block-q=32 attention-block-kv=32 "
                   "gemm-tile-rows=3 panel-width=16",
}

# XF_CHECK_OPTIONS adds pipeline options to every variant (random_blocks.py:
# a threshold that takes 2:4 weights in prefill too).
EXTRA = os.environ.get("XF_CHECK_OPTIONS", "")
VARIANTS = {k: " ".join(o for o in (v, EXTRA) if o)
            for k, v in VARIANTS.items()}

# XF_CHECK_OPTIMIZED=I (random_blocks.py) compiles variant I (modulo their
# count, before XF_CHECK_VARIANTS picks some) with LLVM's -O3, as every
# variant is otherwise, and the others with llvm-opt-level=0: LLVM's
# optimizations take about half the compile time of a small function, and
# rotating I over a long run still gives each variant's IR to -O3.
OPTIMIZED = None
if os.environ.get("XF_CHECK_OPTIMIZED"):
    names = list(VARIANTS)
    OPTIMIZED = names[int(os.environ["XF_CHECK_OPTIMIZED"]) % len(names)]
    VARIANTS = {k: v if k == OPTIMIZED else " ".join(
        o for o in (v, "llvm-opt-level=0") if o)
        for k, v in VARIANTS.items()}

# XF_CHECK_VARIANTS=a,b runs only those (random_blocks.py's shrinking
# reruns only the variants that failed).
if os.environ.get("XF_CHECK_VARIANTS"):
    wanted = os.environ["XF_CHECK_VARIANTS"].split(",")
    VARIANTS = {k: v for k, v in VARIANTS.items() if k in wanted}

xf_run, args = sys.argv[1], sys.argv[2:]
failed = []
for name, options in VARIANTS.items():
    run = subprocess.run([xf_run] + args + ["--check",
                                            "--pipeline-options=" + options],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    for line in run.stdout.splitlines():
        if line.startswith(("max_rel_err", "result #")) or "error" in line:
            print(f"[{name}] {line}")
    if run.returncode != 0:
        failed.append(name)
        print(f"[{name}] FAILED with exit code {run.returncode}")
if failed:
    sys.exit(f"failed variants: {', '.join(failed)}")
if OPTIMIZED in VARIANTS:
    print(f"{len(VARIANTS)} variants ok ({OPTIMIZED} with LLVM -O3, the "
          f"others -O0)")
elif OPTIMIZED:
    print(f"{len(VARIANTS)} variants ok (with LLVM -O0)")
else:
    print(f"{len(VARIANTS)} variants ok")
