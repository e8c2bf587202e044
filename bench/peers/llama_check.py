"""Checks that llama.cpp runs the model we mean: its final hidden state
(after output_norm, i.e. what the LM head multiplies) against a float64 numpy
forward pass of the .npy weights, written the Hugging Face way (half-pairing
RoPE on the unpermuted wq, wk), so it also checks llama_gguf.py's layout and
Q/K permutation. Two states: the last of N prompt tokens (prefill) and one
more token decoded against the KV cache.

  llama_check.py WEIGHTS_DIR MODEL.gguf [N=16] [--kv f32|f16] [--fa on|off]

Runs llama_decode.js --hidden (its defaults: f32 KV cache, flash attention
off). Prints "max_rel_err E cosine C" per state, E = max|diff| / max|ref|;
exits 1 above the tolerance: 1e-4 when attention runs in f32 (f32 cache,
flash attention off: ~2e-7 seen), else 1e-2 (flash attention computes with
f16 K and V: ~3e-4 seen). A wrong Q/K permutation gives ~0.3. The logits are
that state times lm_head, which this leaves out.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from llama_gguf import load  # noqa: E402


def rms_norm(x, g, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * g


def rope_half(x, theta):
    """x [S, heads, hd]: feature p turns with p + hd/2 by pos*theta^(-2p/hd)."""
    s, _, hd = x.shape
    angle = np.arange(s)[:, None] * theta ** (-np.arange(0, hd, 2) / hd)
    cos, sin = np.cos(angle)[:, None, :], np.sin(angle)[:, None, :]
    x1, x2 = x[..., :hd // 2], x[..., hd // 2:]
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], -1)


def forward(cfg, w, tokens):
    """Final hidden states [S, d] of the model on tokens, float64."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    H, Hkv, hd, eps = cfg["heads"], cfg["kv_heads"], cfg["hd"], cfg["rms_eps"]
    s = len(tokens)
    x = w["tok_embd"][tokens]
    mask = np.triu(np.full((s, s), -np.inf), 1)
    for i in range(cfg["layers"]):
        p = lambda name: w[f"l{i}_{name}"]  # noqa: E731
        n1 = rms_norm(x, p("attn_norm"), eps)
        q = rope_half((n1 @ p("wq").T).reshape(s, H, hd), cfg["rope_theta"])
        k = rope_half((n1 @ p("wk").T).reshape(s, Hkv, hd), cfg["rope_theta"])
        v = (n1 @ p("wv").T).reshape(s, Hkv, hd)
        k, v = (np.repeat(t, H // Hkv, axis=1) for t in (k, v))  # head j reads j // group
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(hd) + mask
        prob = np.exp(scores - scores.max(-1, keepdims=True))
        prob /= prob.sum(-1, keepdims=True)
        x = x + np.einsum("hqk,khd->qhd", prob, v).reshape(s, H * hd) @ p("wo").T
        n2 = rms_norm(x, p("ffn_norm"), eps)
        gate = n2 @ p("w_gate").T
        x = x + (gate / (1 + np.exp(-gate)) * (n2 @ p("w_up").T)) @ p("w_down").T
    return rms_norm(x, w["output_norm"], eps)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("weights")
    p.add_argument("model")
    p.add_argument("n", type=int, nargs="?", default=16)
    p.add_argument("--kv", choices=["f32", "f16"], default="f32")
    p.add_argument("--fa", choices=["on", "off"])
    a = p.parse_args()
    weights, model, n, kv = a.weights, a.model, a.n, a.kv
    fa = a.fa or ("off" if kv == "f32" else "on")
    out = subprocess.run(["node", os.path.join(HERE, "llama_decode.js"), model,
                          "--hidden", str(n), "--kv", kv, "--fa", fa],
                         stdout=subprocess.PIPE, check=True, text=True).stdout
    got = json.loads(out)
    cfg, w = load(weights)
    ref = forward(cfg, w, np.array(got["tokens"]))
    tol = 1e-4 if kv == "f32" and fa == "off" else 1e-2
    ok = True
    for name, row in (("prefill", n - 1), ("decode", n)):
        y, r = np.array(got[f"{name}_hidden"]), ref[row]
        err = np.abs(y - r).max() / np.abs(r).max()
        cos = y @ r / np.linalg.norm(y) / np.linalg.norm(r)
        ok &= bool(err <= tol)
        print(f"{name} (token {row}) max_rel_err {err:.2e} cosine {cos:.8f}")
    print(f"llama_check: {'MATCH' if ok else 'MISMATCH'} (KV cache {got['kv_type']}, "
          f"flash attention {fa}, tolerance {tol})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
