"""Writes a LLaMA-architecture GGUF v3 file for llama.cpp from .npy weights,
so that xf and llama.cpp run the very same weights (numpy only).

  llama_gguf.py random DIR [--layers 1 --d-model 768 --heads 12 --kv-heads 4
                 --head-dim 64 --ffn 2048 --vocab 512 --rms-eps 1e-5
                 --rope-theta 10000 --seed 0]    # seeded weights into DIR
  llama_gguf.py write DIR OUT.gguf [--ctx 4096] [--type f32|f16|q8_0]

The weights folder DIR (every matrix [out, in] like torch nn.Linear.weight,
float32; d = model width, H/Hkv = query/KV heads, hd = head dim, F = FFN):
  config.json         {"heads": H, "kv_heads": Hkv, "rms_eps": 1e-5,
                       "rope_theta": 10000.0}  (these values if absent)
  tok_embd.npy [V, d]  output_norm.npy [d]  lm_head.npy [V, d]
  per layer i = 0 .. N-1 (N = how many l{i}_wq.npy there are):
  l{i}_attn_norm.npy [d]      l{i}_ffn_norm.npy [d]
  l{i}_wq.npy [H*hd, d]       l{i}_w_gate.npy [F, d]
  l{i}_wk.npy [Hkv*hd, d]     l{i}_w_up.npy [F, d]
  l{i}_wv.npy [Hkv*hd, d]     l{i}_w_down.npy [d, F]
  l{i}_wo.npy [d, H*hd]
The GGUF also gets a made-up "llama" tokenizer of V >= 260 tokens (llama.cpp
wants one; we only feed token ids). The layer computes, as Hugging Face's LlamaDecoderLayer and xf's xf.block
(norm rms pre, act silu, rope_style half, layout nk) do:
  h = x + wo(attn(rope(wq(n1)), rope(wk(n1)), wv(n1))),  n1 = rmsnorm(x)
  y = h + w_down(silu(w_gate(n2)) * w_up(n2)),           n2 = rmsnorm(h)
with causal attention, query head j reading KV head j // (H / Hkv), and
RoPE in the "half" pairing: feature p of a head turns with p + hd/2 by
pos * theta^(-2p/hd).

llama.cpp's llama architecture uses the other pairing (LLAMA_ROPE_TYPE_NORM:
feature 2p with 2p+1). As convert_hf_to_gguf.py does, the rows of wq and wk
are permuted within each head (row p -> 2p, row hd/2 + p -> 2p + 1), which
makes llama.cpp's rope on the permuted q, k equal HF's rope on the original
ones with the features of each head reordered alike in q and k: the scores
q.k, hence the whole layer, are unchanged (llama_check.py verifies this).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

DEFAULTS = {"heads": 12, "kv_heads": 4, "rms_eps": 1e-5, "rope_theta": 10000.0}
LAYER = ["attn_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w_gate", "w_up",
         "w_down"]
# Our names -> llama.cpp's tensor names (src/llama-arch.cpp, LLM_ARCH_LLAMA).
GGUF_NAME = {"attn_norm": "attn_norm", "wq": "attn_q", "wk": "attn_k",
             "wv": "attn_v", "wo": "attn_output", "ffn_norm": "ffn_norm",
             "w_gate": "ffn_gate", "w_up": "ffn_up", "w_down": "ffn_down"}


def load(folder):
    """(config, {name: array}) of a weights folder; config gains d, hd, ffn,
    vocab and layers from the shapes."""
    cfg = dict(DEFAULTS)
    path = os.path.join(folder, "config.json")
    if os.path.exists(path):
        with open(path) as f:
            cfg.update(json.load(f))
    w = {n: np.load(os.path.join(folder, n + ".npy"))
         for n in ("tok_embd", "output_norm", "lm_head")}
    n = 0
    while os.path.exists(os.path.join(folder, f"l{n}_wq.npy")):
        for name in LAYER:
            w[f"l{n}_{name}"] = np.load(os.path.join(folder, f"l{n}_{name}.npy"))
        n += 1
    vocab, d = w["tok_embd"].shape
    H, Hkv = cfg["heads"], cfg["kv_heads"]
    hd, f = w["l0_wq"].shape[0] // H, w["l0_w_up"].shape[0]
    cfg.update(layers=n, d=d, vocab=vocab, hd=hd, ffn=f)
    # Catches [in, out] weights and heads that do not divide the features.
    want = {"output_norm": (d,), "lm_head": (vocab, d)}
    for i in range(n):
        want.update({f"l{i}_attn_norm": (d,), f"l{i}_ffn_norm": (d,),
                     f"l{i}_wq": (H * hd, d), f"l{i}_wk": (Hkv * hd, d),
                     f"l{i}_wv": (Hkv * hd, d), f"l{i}_wo": (d, H * hd),
                     f"l{i}_w_gate": (f, d), f"l{i}_w_up": (f, d), f"l{i}_w_down": (d, f)})
    bad = [f"{k} {w[k].shape} != {v}" for k, v in want.items() if w[k].shape != v]
    if n == 0 or H % Hkv or H * hd != w["l0_wq"].shape[0] or bad:
        sys.exit(f"llama_gguf: {folder}: not a weights folder of {H}/{Hkv} heads "
                 f"({n} layers) {bad}")
    return cfg, w


def make_random(folder, a):
    rng = np.random.default_rng(a.seed)
    d, hd, f = a.d_model, a.head_dim, a.ffn

    def lin(out, inp):  # variance-preserving, so activations stay O(1)
        return rng.standard_normal((out, inp), np.float32) / np.float32(np.sqrt(inp))

    def gain():  # not all ones, so that a missing norm weight shows up
        return (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)

    w = {"tok_embd": rng.standard_normal((a.vocab, d), np.float32),
         "output_norm": gain(), "lm_head": lin(a.vocab, d)}
    for i in range(a.layers):
        w.update({f"l{i}_attn_norm": gain(), f"l{i}_ffn_norm": gain(),
                  f"l{i}_wq": lin(a.heads * hd, d), f"l{i}_wk": lin(a.kv_heads * hd, d),
                  f"l{i}_wv": lin(a.kv_heads * hd, d), f"l{i}_wo": lin(d, a.heads * hd),
                  f"l{i}_w_gate": lin(f, d), f"l{i}_w_up": lin(f, d),
                  f"l{i}_w_down": lin(d, f)})
    os.makedirs(folder, exist_ok=True)
    for name, array in w.items():
        np.save(os.path.join(folder, name + ".npy"), array)
    with open(os.path.join(folder, "config.json"), "w") as fh:
        json.dump({"heads": a.heads, "kv_heads": a.kv_heads, "rms_eps": a.rms_eps,
                   "rope_theta": a.rope_theta}, fh)


def half_to_pairs(w, heads):
    """Reorders the rows of each head from HF's half pairing to llama.cpp's
    adjacent pairing: [p, hd/2 + p] -> [2p, 2p + 1]."""
    out, inp = w.shape
    hd = out // heads
    return w.reshape(heads, 2, hd // 2, inp).swapaxes(1, 2).reshape(out, inp)


def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf_kv(key, value):
    """A metadata pair: str (type 8), bool (7), float -> f32 (6), int -> u32
    (4), or a list of one of str, float, int -> i32 (5) (array: 9)."""
    def typed(v, int_type):
        if isinstance(v, str):
            return 8, gguf_string(v)
        if isinstance(v, bool):
            return 7, struct.pack("<?", v)
        if isinstance(v, float):
            return 6, struct.pack("<f", v)
        return int_type, struct.pack("<I" if int_type == 4 else "<i", v)
    if isinstance(value, list):
        elems = [typed(v, 5) for v in value]
        body = struct.pack("<IIQ", 9, elems[0][0], len(elems))
        body += b"".join(b for _, b in elems)
    else:
        t, b = typed(value, 4)
        body = struct.pack("<I", t) + b
    return gguf_string(key) + body


def vocabulary(n):
    """A made-up SentencePiece vocabulary (node-llama-cpp needs a tokenizer
    even though we only ever feed token ids): <unk>, <s>, </s> and the 256
    byte tokens as in LLaMA's, then distinct filler pieces."""
    if n < 260:
        sys.exit("llama_gguf: the vocabulary needs at least 260 tokens")
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    tokens += [f"\u2581t{i}" for i in range(n - len(tokens))]
    # token types: 1 normal, 2 unknown, 3 control, 6 byte
    types = [2, 3, 3] + [6] * 256 + [1] * (n - 259)
    return {"tokenizer.ggml.model": "llama", "tokenizer.ggml.tokens": tokens,
            "tokenizer.ggml.scores": [0.0] * n, "tokenizer.ggml.token_type": types,
            "tokenizer.ggml.unknown_token_id": 0, "tokenizer.ggml.bos_token_id": 1,
            "tokenizer.ggml.eos_token_id": 2, "tokenizer.ggml.add_bos_token": False}


GGML_TYPE = {"f32": 0, "f16": 1, "q8_0": 8}


def encode(a, kind):
    """The bytes of a tensor in a GGML type. q8_0: per block of 32
    consecutive elements of a row, an f16 scale d = max |x| / 127 and 32
    int8 values round(x / d)."""
    if kind != "q8_0":
        return np.ascontiguousarray(a, "<f2" if kind == "f16" else "<f4").tobytes()
    if a.shape[-1] % 32:
        sys.exit("llama_gguf: q8_0 needs rows of a multiple of 32 elements")
    blocks = a.astype(np.float32).reshape(-1, 32)
    d = np.abs(blocks).max(axis=1) / 127
    q = np.rint(blocks / np.where(d == 0, 1, d)[:, None]).clip(-127, 127)
    record = np.zeros(len(blocks), dtype=[("d", "<f2"), ("q", "i1", 32)])
    record["d"], record["q"] = d, q
    return record.tobytes()


def write_gguf(folder, out, ctx, wtype):
    cfg, w = load(folder)
    H, Hkv, hd = cfg["heads"], cfg["kv_heads"], cfg["hd"]
    meta = {
        "general.architecture": "llama", "general.name": "xf-bench-llama",
        "general.alignment": 32, "general.file_type": {"f32": 0, "f16": 1, "q8_0": 7}[wtype],
        "llama.vocab_size": cfg["vocab"], "llama.context_length": ctx,
        "llama.embedding_length": cfg["d"], "llama.block_count": cfg["layers"],
        "llama.feed_forward_length": cfg["ffn"],
        "llama.attention.head_count": H, "llama.attention.head_count_kv": Hkv,
        "llama.attention.key_length": hd, "llama.attention.value_length": hd,
        "llama.attention.layer_norm_rms_epsilon": float(cfg["rms_eps"]),
        "llama.rope.dimension_count": hd,
        "llama.rope.freq_base": float(cfg["rope_theta"]),
        **vocabulary(cfg["vocab"]),
    }
    tensors = [("token_embd.weight", w["tok_embd"])]
    for i in range(cfg["layers"]):
        for name in LAYER:
            a = w[f"l{i}_{name}"]
            if name in ("wq", "wk"):
                a = half_to_pairs(a, H if name == "wq" else Hkv)
            tensors.append((f"blk.{i}.{GGUF_NAME[name]}.weight", a))
    tensors += [("output_norm.weight", w["output_norm"]),
                ("output.weight", w["lm_head"])]

    infos, blobs, offset = [], [], 0
    for name, a in tensors:
        # Norm weights stay f32, as in llama.cpp's own converter.
        kind = wtype if a.ndim == 2 else "f32"
        data, code = encode(a, kind), GGML_TYPE[kind]
        # GGUF lists dims fastest-first: numpy [out, in] is ne = (in, out).
        infos.append(gguf_string(name) + struct.pack("<I", a.ndim)
                     + struct.pack(f"<{a.ndim}Q", *reversed(a.shape))
                     + struct.pack("<IQ", code, offset))
        blobs.append(data + b"\0" * (-len(data) % 32))
        offset += len(blobs[-1])
    head = (b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(meta))
            + b"".join(gguf_kv(k, v) for k, v in meta.items()) + b"".join(infos))
    with open(out, "wb") as f:
        f.write(head + b"\0" * (-len(head) % 32))  # data starts aligned
        for b in blobs:
            f.write(b)
    print(f"llama_gguf: {out}: {cfg['layers']} layers, d {cfg['d']}, heads "
          f"{H}/{Hkv}x{hd}, ffn {cfg['ffn']}, vocab {cfg['vocab']}, {wtype}",
          file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("random")
    r.add_argument("dir")
    for flag, value in [("layers", 1), ("d-model", 768), ("heads", 12), ("kv-heads", 4),
                        ("head-dim", 64), ("ffn", 2048), ("vocab", 512), ("seed", 0)]:
        r.add_argument("--" + flag, type=int, default=value)
    r.add_argument("--rms-eps", type=float, default=1e-5)
    r.add_argument("--rope-theta", type=float, default=10000.0)
    wr = sub.add_parser("write")
    wr.add_argument("dir")
    wr.add_argument("out")
    wr.add_argument("--ctx", type=int, default=4096)
    wr.add_argument("--type", choices=["f32", "f16", "q8_0"], default="f32")
    a = p.parse_args()
    if a.cmd == "random":
        make_random(a.dir, a)
    else:
        write_gguf(a.dir, a.out, a.ctx, a.type)


if __name__ == "__main__":
    main()
