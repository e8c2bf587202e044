"""Peers in Python, run as their own processes (PyTorch's libgomp and xf's
libomp never share one), on the .npy inputs the xf runs use.

  python_peers.py numpy-gemm A.npy B.npy reps
  python_peers.py torch-attention Q.npy K.npy V.npy HEADS CAUSAL reps
  python_peers.py torch-encoder DIR reps

Each prints "median <ms> ms". Threads: 2 (set through the environment for
OpenBLAS, torch.set_num_threads for PyTorch).
"""
import statistics
import sys
import time

import numpy as np


def timed(fn, reps, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def numpy_gemm(a, b, reps):
    a, b = np.load(a), np.load(b)
    return timed(lambda: a @ b, int(reps))


def torch_attention(q, k, v, heads, causal, reps):
    """Unfused attention as most PyTorch 1.13 code writes it: matmul,
    scale, mask, softmax, matmul, on [B, H, S, D] views."""
    import torch
    torch.set_num_threads(2)
    heads, causal = int(heads), causal == "1"
    q, k, v = (torch.from_numpy(np.load(p)) for p in (q, k, v))
    b, s, f = q.shape
    d = f // heads
    qh, kh, vh = (t.view(b, s, heads, d).transpose(1, 2) for t in (q, k, v))
    mask = torch.triu(torch.full((s, s), float("-inf")), 1) if causal else None

    def run():
        with torch.no_grad():
            scores = torch.matmul(qh, kh.transpose(-1, -2)) * (d ** -0.5)
            if mask is not None:
                scores = scores + mask
            p = torch.softmax(scores, dim=-1)
            return torch.matmul(p, vh).transpose(1, 2).reshape(b, s, f)

    return timed(run, int(reps), warmup=1)


def torch_encoder(directory, reps):
    """nn.TransformerEncoderLayer (pre-norm, GELU, batch_first) in eval mode
    with the weights xf compiles in."""
    import torch
    torch.set_num_threads(2)
    w = lambda name: torch.from_numpy(np.load(f"{directory}/{name}.npy"))
    x = w("x")
    d = x.shape[-1]
    layer = torch.nn.TransformerEncoderLayer(
        d, int(np.load(f"{directory}/heads.npy")),
        dim_feedforward=w("w1").shape[0], dropout=0.0, activation="gelu",
        layer_norm_eps=1e-5, batch_first=True, norm_first=True).eval()
    with torch.no_grad():
        sa = layer.self_attn
        sa.in_proj_weight.copy_(torch.cat([w("wq"), w("wk"), w("wv")]))
        sa.in_proj_bias.copy_(torch.cat([w("bq"), w("bk"), w("bv")]))
        sa.out_proj.weight.copy_(w("wo")), sa.out_proj.bias.copy_(w("bo"))
        layer.linear1.weight.copy_(w("w1")), layer.linear1.bias.copy_(w("b1"))
        layer.linear2.weight.copy_(w("w2")), layer.linear2.bias.copy_(w("b2"))
        layer.norm1.weight.copy_(w("g1")), layer.norm1.bias.copy_(w("n1"))
        layer.norm2.weight.copy_(w("g2")), layer.norm2.bias.copy_(w("n2"))

    def run():
        with torch.no_grad():
            return layer(x)

    return timed(run, int(reps))


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    ms = {"numpy-gemm": numpy_gemm, "torch-attention": torch_attention,
          "torch-encoder": torch_encoder}[kind](*args)
    print(f"median {ms:.4f} ms")
