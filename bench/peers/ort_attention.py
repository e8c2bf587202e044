"""Writes ONNX Runtime attention peers: a model made of one of ORT's fused
contrib ops, its inputs, and a float64 numpy reference, into a case folder
that ort_run.js times and checks (Debian's python3-onnx 1.12 and numpy).

  ort_attention.py case mha|gqa HEADS KV_HEADS Q.npy K.npy V.npy CASE_DIR
  ort_attention.py suite OUT_DIR [--seqs 512,2048] [--seed 0]

Q is [1, S, HEADS*64-ish] float32 (head dim = features / HEADS), K and V
[1, S, KV_HEADS*hd]. CASE_DIR gets model.onnx, query/key/value.npy (named as
the model's inputs) and ref.npy (float64). The ops:
  mha  com.microsoft::MultiHeadAttention, non-causal, HEADS == KV_HEADS.
       Three separate [B,S,H*hd] inputs (packed QKV is not implemented on
       CPU) and no present_* outputs, mask or bias: any of those turns ORT's
       flash attention off.
  gqa  com.microsoft::GroupQueryAttention, causal (the op always is), no
       past. seqlens_k = total length - 1 and total_sequence_length = S,
       both int32 initializers: a wrong seqlens_k gives a wrong result
       silently and fast, hence the reference check on every run.
suite writes, with seeded N(0,1) inputs: mha_s{S}, gqa_12x12_s{S} and
gqa_12x4_s{S} (query heads x KV heads, head dim 64) for each S.
"""
import argparse
import os
import shutil

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save_model


def reference(q, k, v, heads, kv_heads, causal):
    """softmax(q k^T / sqrt(hd)) v per head in float64; query head j reads
    KV head j // (heads / kv_heads), as ORT's GQA does."""
    s, hd = q.shape[1], q.shape[2] // heads
    qh = q[0].astype(np.float64).reshape(s, heads, hd).transpose(1, 0, 2)
    kh, vh = (t[0].astype(np.float64).reshape(s, kv_heads, hd).transpose(1, 0, 2)
              for t in (k, v))
    out = np.empty((heads, s, hd))
    for j in range(heads):  # one head at a time: S x S float64 per head only
        scores = qh[j] @ kh[j // (heads // kv_heads)].T / np.sqrt(hd)
        if causal:
            scores[np.triu_indices(s, 1)] = -np.inf
        p = np.exp(scores - scores.max(-1, keepdims=True))
        out[j] = (p / p.sum(-1, keepdims=True)) @ vh[j // (heads // kv_heads)]
    return out.transpose(1, 0, 2).reshape(1, s, heads * hd)


def write_case(op, heads, kv_heads, q, k, v, folder):
    s = q.shape[1]
    assert q.shape[2] % heads == 0 and k.shape == v.shape
    assert k.shape[2] == q.shape[2] // heads * kv_heads and heads % kv_heads == 0
    io = lambda name, t: helper.make_tensor_value_info(  # noqa: E731
        name, TensorProto.FLOAT, list(t.shape))
    inputs = [io("query", q), io("key", k), io("value", v)]
    init = []
    if op == "mha":
        assert heads == kv_heads, "MultiHeadAttention has as many KV heads as heads"
        node = helper.make_node("MultiHeadAttention", ["query", "key", "value"],
                                ["output"], domain="com.microsoft", num_heads=heads)
    else:
        init = [numpy_helper.from_array(np.array([s - 1], np.int32), "seqlens_k"),
                numpy_helper.from_array(np.array([s], np.int32), "total_sequence_length")]
        # Empty names: no past_key / past_value inputs, no present outputs.
        node = helper.make_node(
            "GroupQueryAttention",
            ["query", "key", "value", "", "", "seqlens_k", "total_sequence_length"],
            ["output"], domain="com.microsoft", num_heads=heads, kv_num_heads=kv_heads)
    graph = helper.make_graph([node], f"{op}_attention", inputs, [io("output", q)], init)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    os.makedirs(folder, exist_ok=True)
    save_model(model, os.path.join(folder, "model.onnx"))
    for name, t in (("query", q), ("key", k), ("value", v)):
        np.save(os.path.join(folder, name + ".npy"), t.astype(np.float32))
    np.save(os.path.join(folder, "ref.npy"),
            reference(q, k, v, heads, kv_heads, causal=op == "gqa"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("case")
    c.add_argument("op", choices=["mha", "gqa"])
    c.add_argument("heads", type=int)
    c.add_argument("kv_heads", type=int)
    for name in ("q", "k", "v", "dir"):
        c.add_argument(name)
    s = sub.add_parser("suite")
    s.add_argument("dir")
    s.add_argument("--seqs", default="512,2048")
    s.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.cmd == "case":
        q, k, v = (np.load(x) for x in (a.q, a.k, a.v))
        write_case(a.op, a.heads, a.kv_heads, q, k, v, a.dir)
        return
    if os.path.isdir(a.dir):
        shutil.rmtree(a.dir)
    rng = np.random.default_rng(a.seed)
    for seq in map(int, a.seqs.split(",")):
        for op, heads, kv_heads in (("mha", 12, 12), ("gqa", 12, 12), ("gqa", 12, 4)):
            q = rng.standard_normal((1, seq, heads * 64), np.float32)
            k, v = (rng.standard_normal((1, seq, kv_heads * 64), np.float32) for _ in "kv")
            name = f"mha_s{seq}" if op == "mha" else f"gqa_{heads}x{kv_heads}_s{seq}"
            write_case(op, heads, kv_heads, q, k, v, os.path.join(a.dir, name))
            print(os.path.join(a.dir, name))


if __name__ == "__main__":
    main()
