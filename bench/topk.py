"""Top-k FFNs (activation sparsity): xf's top-k `xf.mlp` against xf's dense
MLP on the same weights, in decode (one row) and prefill (128 rows), with
10% of the hidden neurons active per row and the predictor on the first
eighth of the input features (Spark Transformer's Gemma-2 predictor reads
256 of 2304). Called by bench.py.

Two shapes: GPT-2 small's FFN (768 x 3072, GELU), whose 28 MB of f32
weights stay in this machine's 32 MB L3 across calls for both variants,
and a LLaMA-style SwiGLU FFN of 2048 x 8192 (201 MB), which the dense
decode streams from DRAM while the top-k one reads about a fifth of it.
Decode repeats one input, so the same neurons win in every call: the
selected rows stay warm in cache, as a real decode's would not, which
flatters the GPT-2 decode (whose dense weights are warm too) and not the
LLaMA-style one (whose selected rows exceed the L3 as well).

Accuracy: kernel_err is xf against the reference evaluator on the same
inputs; topk_err is the exact top-k FFN (numpy) against the dense FFN on
these random weights, which have no activation sparsity to exploit: the
worst case of what dropping 90% of the neurons costs. Models trained for
it (Spark Transformer) are built to lose nothing.
"""
import os

import numpy as np

from common import QUICK, record, rng, rounds, save, write_mlir, xf
from lowp import kernel_err, relative
import llm

CASES = [(768, 3072, False), (2048, 8192, True)]


def ffn_text(name, s, d, f, gated, top_k=None):
    t = llm.tensor
    weights = [("wu", (d, f))] + ([("wg", (d, f))] if gated else []) + \
        [("wd", (f, d))]
    sig = ", ".join([f"%x: {t([s, d])}"] +
                    [f"%{n}: {t(list(shape))}" for n, shape in weights])
    gate = " gate %wg" if gated else ""
    act = "silu" if gated else "gelu"
    sparsity = (f" top_k {top_k} predictor_features {d // 8}"
                if top_k else "")
    types = ", ".join([t([s, d])] + [t(list(shape)) for _, shape in weights])
    return write_mlir(name, f"""
func.func @ffn({sig}) -> {t([s, d])} {{
  %y = xf.mlp %x up %wu{gate} down %wd act {act}{sparsity}
      : ({types}) -> {t([s, d])}
  return %y : {t([s, d])}
}}""")


def gelu(v):
    return 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v ** 3)))


def reference(x, wu, wg, wd, k):
    """The dense FFN and the exact top-k FFN, float64 (GELU's tanh form:
    its distance from erf's is far below the errors compared here)."""
    x, wu, wd = (a.astype(np.float64) for a in (x, wu, wd))
    r = x.shape[1] // 8
    up = x @ wu
    if wg is not None:
        gate = x @ wg.astype(np.float64)
        hidden = gate / (1 + np.exp(-gate)) * up
        scores = x[:, :r] @ wg[:r].astype(np.float64)
    else:
        hidden = gelu(up)
        scores = x[:, :r] @ wu[:r]
    dense = hidden @ wd
    keep = np.zeros_like(hidden, dtype=bool)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    np.put_along_axis(keep, order, True, axis=1)
    return dense, np.where(keep, hidden, 0.0) @ wd


def topk_ffn():
    for d, f, gated in CASES:
        k = f // 10
        wu = (rng.uniform(-1, 1, (d, f)) / np.sqrt(d)).astype(np.float32)
        wg = ((rng.uniform(-1, 1, (d, f)) / np.sqrt(d)).astype(np.float32)
              if gated else None)
        wd = (rng.uniform(-1, 1, (f, d)) / np.sqrt(f)).astype(np.float32)
        paths = [save(f"topk_wu_{d}.npy", wu)]
        if gated:
            paths.append(save(f"topk_wg_{d}.npy", wg))
        paths.append(save(f"topk_wd_{d}.npy", wd))
        shape = f"{d}x{f} {'swiglu' if gated else 'gelu'}"
        for s in (1, 128):
            x = rng.standard_normal((s, d), dtype=np.float32)
            inputs = [save(f"topk_x_{s}_{d}.npy", x)] + paths
            dense = ffn_text(f"ffn_{s}_{d}.mlir", s, d, f, gated)
            sparse = ffn_text(f"topk_ffn_{s}_{d}.mlir", s, d, f, gated, k)
            big = d * f > 4_000_000
            reps = (5 if QUICK else 10) if big and s > 1 else \
                (10 if QUICK else 30)
            topk_ms, dense_ms = rounds(xf(sparse, inputs, reps),
                                       xf(dense, inputs, reps))
            ref_dense, ref_topk = reference(x, wu, wg, wd, k)
            record(f"top-k FFN {shape} S={s} 10%", topk_ms,
                   "xf dense FFN", dense_ms,
                   kernel_err=kernel_err(sparse, inputs),
                   topk_err=round(relative(ref_topk, ref_dense), 4))
