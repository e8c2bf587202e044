"""Runs an example block with xf-run and with PyTorch on the same inputs.

PyTorch is the outside oracle: the blocks are built from torch.nn modules
(LayerNorm, MultiheadAttention, Linear, GELU, TransformerEncoderLayer) or,
for LLaMA, from torch ops the way the Hugging Face code writes them, so
nothing is shared with xf. Weights and inputs are drawn here with NumPy,
written as .npy files in the order of the xf function's arguments, and fed
to both. Prints max_rel_err_vs_torch=<value> and fails above the tolerance.

usage: compare_with_torch.py {gpt2,llama,encoder} XF_RUN EXAMPLES_DIR WORK_DIR
"""
import os
import subprocess
import sys

import numpy as np
import torch

TOLERANCE = 1e-4
rng = np.random.default_rng(1234)


def weight(*shape):
    return (0.02 * rng.standard_normal(shape)).astype(np.float32)


def gamma(n):
    return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)


def t(a):
    return torch.from_numpy(a)


def gpt2():
    """GPT-2 small block, causal, pre-norm; xf weights are [in, out]."""
    s, d, heads, f = 64, 768, 12, 3072
    a = dict(x=rng.standard_normal((1, s, d)).astype(np.float32),
             ln1_g=gamma(d), ln1_b=weight(d),
             wq=weight(d, d), wk=weight(d, d), wv=weight(d, d), wo=weight(d, d),
             bq=weight(d), bk=weight(d), bv=weight(d), bo=weight(d),
             ln2_g=gamma(d), ln2_b=weight(d),
             w_fc=weight(d, f), w_proj=weight(f, d), b_fc=weight(f),
             b_proj=weight(d))
    ln1, ln2 = torch.nn.LayerNorm(d, eps=1e-5), torch.nn.LayerNorm(d, eps=1e-5)
    attn = torch.nn.MultiheadAttention(d, heads, batch_first=True)
    fc, proj = torch.nn.Linear(d, f), torch.nn.Linear(f, d)
    gelu = torch.nn.GELU(approximate="tanh")
    with torch.no_grad():
        ln1.weight.copy_(t(a["ln1_g"])), ln1.bias.copy_(t(a["ln1_b"]))
        ln2.weight.copy_(t(a["ln2_g"])), ln2.bias.copy_(t(a["ln2_b"]))
        # nn.Linear and MultiheadAttention store weights as [out, in].
        attn.in_proj_weight.copy_(t(np.concatenate(
            [a["wq"].T, a["wk"].T, a["wv"].T])))
        attn.in_proj_bias.copy_(t(np.concatenate([a["bq"], a["bk"], a["bv"]])))
        attn.out_proj.weight.copy_(t(a["wo"].T))
        attn.out_proj.bias.copy_(t(a["bo"]))
        fc.weight.copy_(t(a["w_fc"].T)), fc.bias.copy_(t(a["b_fc"]))
        proj.weight.copy_(t(a["w_proj"].T)), proj.bias.copy_(t(a["b_proj"]))
        x = t(a["x"])
        causal = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
        n1 = ln1(x)
        h = x + attn(n1, n1, n1, attn_mask=causal, need_weights=False)[0]
        y = h + proj(gelu(fc(ln2(h))))
    return "gpt2_block.mlir", list(a.values()), y.numpy()


def encoder():
    """BERT-base layer (post-norm) as nn.TransformerEncoderLayer; xf weights
    are [out, in] like torch's. The second sequence pads its last 5 keys."""
    b, s, d, heads, f = 2, 32, 768, 12, 3072
    layer = torch.nn.TransformerEncoderLayer(
        d, heads, dim_feedforward=f, dropout=0.0, activation="gelu",
        layer_norm_eps=1e-12, batch_first=True, norm_first=False)
    layer.eval()
    padding = np.zeros((b, s), dtype=bool)
    padding[1, -5:] = True
    mask = np.where(padding, -np.inf, 0.0).astype(np.float32).reshape(b, 1, 1, s)
    a = dict(x=rng.standard_normal((b, s, d)).astype(np.float32), mask=mask,
             wq=weight(d, d), wk=weight(d, d), wv=weight(d, d), wo=weight(d, d),
             bq=weight(d), bk=weight(d), bv=weight(d), bo=weight(d),
             ln1_g=gamma(d), ln1_b=weight(d),
             w1=weight(f, d), w2=weight(d, f), b1=weight(f), b2=weight(d),
             ln2_g=gamma(d), ln2_b=weight(d))
    with torch.no_grad():
        sa = layer.self_attn
        sa.in_proj_weight.copy_(t(np.concatenate([a["wq"], a["wk"], a["wv"]])))
        sa.in_proj_bias.copy_(t(np.concatenate([a["bq"], a["bk"], a["bv"]])))
        sa.out_proj.weight.copy_(t(a["wo"])), sa.out_proj.bias.copy_(t(a["bo"]))
        layer.linear1.weight.copy_(t(a["w1"])), layer.linear1.bias.copy_(t(a["b1"]))
        layer.linear2.weight.copy_(t(a["w2"])), layer.linear2.bias.copy_(t(a["b2"]))
        layer.norm1.weight.copy_(t(a["ln1_g"])), layer.norm1.bias.copy_(t(a["ln1_b"]))
        layer.norm2.weight.copy_(t(a["ln2_g"])), layer.norm2.bias.copy_(t(a["ln2_b"]))
    # With gradients enabled, torch takes its standard path rather than the
    # nested-tensor fast path, which zeroes padded positions.
    y = layer(t(a["x"]), src_key_padding_mask=t(padding)).detach()
    return "encoder_block.mlir", list(a.values()), y.numpy()


def llama():
    """LLaMA-style block written with torch ops the way the Hugging Face code
    does it: RMSNorm, rotate_half RoPE, GQA by repeating KV heads, SwiGLU.
    xf weights are [out, in] like nn.Linear's."""
    s, d, heads, kv_heads, f = 64, 512, 8, 2, 1408
    hd = d // heads
    a = dict(x=rng.standard_normal((1, s, d)).astype(np.float32),
             attn_norm=gamma(d), wq=weight(d, d), wk=weight(kv_heads * hd, d),
             wv=weight(kv_heads * hd, d), wo=weight(d, d), ffn_norm=gamma(d),
             w_up=weight(f, d), w_gate=weight(f, d), w_down=weight(d, f))
    w = {k: t(v) for k, v in a.items()}
    F = torch.nn.functional

    def rms_norm(x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * g

    inv_freq = 1.0 / (10000.0 ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    angles = torch.outer(torch.arange(s, dtype=torch.float64), inv_freq)
    cos = torch.cat([angles, angles], -1).cos().float()
    sin = torch.cat([angles, angles], -1).sin().float()

    def rope(x):  # x: [1, H, S, hd]
        x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    def heads_of(x, n):
        return x.view(1, s, n, hd).transpose(1, 2)

    with torch.no_grad():
        x = w["x"]
        h = rms_norm(x, w["attn_norm"])
        q = rope(heads_of(F.linear(h, w["wq"]), heads))
        k = rope(heads_of(F.linear(h, w["wk"]), kv_heads))
        v = heads_of(F.linear(h, w["wv"]), kv_heads)
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        scores = q @ k.transpose(-1, -2) / hd ** 0.5
        causal = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
        p = F.softmax(scores.masked_fill(causal, float("-inf")), dim=-1)
        o = (p @ v).transpose(1, 2).reshape(1, s, d)
        x = x + F.linear(o, w["wo"])
        h = rms_norm(x, w["ffn_norm"])
        y = x + F.linear(F.silu(F.linear(h, w["w_gate"])) * F.linear(h, w["w_up"]),
                         w["w_down"])
    return "llama_block.mlir", list(a.values()), y.numpy()


def main():
    which, xf_run, examples, work = sys.argv[1:5]
    torch.manual_seed(0)
    torch.set_num_threads(2)
    example, args, expected = {"gpt2": gpt2, "encoder": encoder,
                               "llama": llama}[which]()
    os.makedirs(work, exist_ok=True)
    command = [xf_run, os.path.join(examples, example), "--check",
               "--dump-output", work]
    for i, arr in enumerate(args):
        path = os.path.join(work, f"arg{i}.npy")
        np.save(path, arr)
        command += ["--input", path]
    run = subprocess.run(command, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    print(run.stdout, end="")
    if run.returncode != 0:
        sys.exit(f"xf-run failed with exit code {run.returncode}")
    got = np.load(os.path.join(work, "output0.npy"))
    if got.shape != expected.shape:
        sys.exit(f"shape {got.shape} differs from torch's {expected.shape}")
    err = float(np.abs(got - expected).max() / np.abs(expected).max())
    ok = err <= TOLERANCE
    print(f"max_rel_err_vs_torch={err:.2e} tolerance={TOLERANCE:.0e} "
          f"{'ok' if ok else 'FAILED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
