"""Builds models of ONNX Runtime's contrib ops (domain com.microsoft) with
onnx.helper (Debian's python3-onnx), imports each with
`xf-translate --import-onnx`, runs it with `xf-run` on random inputs and
compares every output with the op's definition computed here in NumPy
(float64). Prints, per model, `max_rel_err=<e> ok` (or FAIL above 1e-4).

usage: contrib_models.py BIN_DIR WORK_DIR [CACHE_BATCH]

CACHE_BATCH (default 2) is the batch of the GroupQueryAttention models
with a KV cache: 1 writes models that ONNX Runtime's CPU kernel also runs
(it takes several new tokens with a past for one sequence only), to check
xf's outputs against it with bench/peers/ort_outputs.js.
"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_testing import run

TOLERANCE = 1e-4
BIN, WORK = sys.argv[1], sys.argv[2]
CACHE_BATCH = int(sys.argv[3]) if len(sys.argv) > 3 else 2
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(0)
erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                  (x + 0.044715 * x ** 3)))


def layer_norm(x, g, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def attention(q, k, v, heads, causal, bias=None):
    """Scaled dot-product attention of [B, S, heads * D] projections;
    `bias` is added to the scaled scores [B, heads, S, L]."""
    b, s, d = q.shape
    dh, dv = d // heads, v.shape[-1] // heads
    qh = q.reshape(b, s, heads, dh).transpose(0, 2, 1, 3)
    kh = k.reshape(b, -1, heads, dh).transpose(0, 2, 1, 3)
    vh = v.reshape(b, -1, heads, dv).transpose(0, 2, 1, 3)
    scores = qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(dh)
    if bias is not None:
        scores = scores + bias
    if causal:
        skv = kh.shape[2]
        hidden = np.arange(skv)[None, :] > np.arange(s)[:, None] + (skv - s)
        scores = np.where(hidden, -np.inf, scores)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return (p @ vh).transpose(0, 2, 1, 3).reshape(b, s, heads * dv)


def value(name, array):
    kind = {np.dtype(np.int32): TensorProto.INT32,
            np.dtype(np.int64): TensorProto.INT64}.get(array.dtype,
                                                      TensorProto.FLOAT)
    return helper.make_tensor_value_info(name, kind, array.shape)


def f32(array):
    """Floats as f32; integers (lengths) as they are."""
    return array.astype(np.float32) if array.dtype.kind == "f" else array


def constant(name, array):
    return numpy_helper.from_array(f32(array), name)


def model(name, node, inputs, outputs, initializers):
    graph = helper.make_graph([node], name,
                              [value(n, a) for n, a in inputs],
                              [value(n, a) for n, a in outputs],
                              [constant(n, a) for n, a in initializers])
    m = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    return m


def check(name, node, inputs, outputs, initializers=()):
    path = os.path.join(WORK, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model(name, node, inputs, outputs,
                      list(initializers)).SerializeToString())
    mlir = os.path.join(WORK, name + ".mlir")
    run([os.path.join(BIN, "xf-translate"), "--import-onnx", path, "-o", mlir])
    args = []
    for i, (_, a) in enumerate(inputs):
        p = os.path.join(WORK, f"{name}_in{i}.npy")
        np.save(p, f32(a))
        args += ["--input", p]
    out = os.path.join(WORK, name + "_out")
    run([os.path.join(BIN, "xf-run"), mlir, "--dump-output", out] + args)
    err = 0.0
    for i, (_, want) in enumerate(outputs):
        got = np.load(os.path.join(out, f"output{i}.npy"))
        err = max(err, float(np.max(np.abs(got - want)) /
                             (np.max(np.abs(want)) + 1e-30)))
    verdict = "ok" if err <= TOLERANCE else "FAIL"
    print(f"{name}: max_rel_err={err:.2e} {verdict}")


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


x, bias = randn(2, 5, 24), randn(24)
check("fast_gelu",
      helper.make_node("FastGelu", ["x", "bias"], ["y"],
                       domain="com.microsoft"),
      [("x", x)], [("y", gelu_tanh(x.astype(np.float64) + bias))],
      [("bias", bias)])
check("bias_gelu",
      helper.make_node("BiasGelu", ["x", "bias"], ["y"],
                       domain="com.microsoft"),
      [("x", x)], [("y", gelu(x.astype(np.float64) + bias))],
      [("bias", bias)])

skip, gamma, beta = randn(2, 5, 24), randn(24), randn(24)
total = x.astype(np.float64) + skip + bias
check("skip_layer_norm",
      helper.make_node("SkipLayerNormalization",
                       ["x", "skip", "gamma", "beta", "bias"],
                       ["y", "", "", "sum"], domain="com.microsoft",
                       epsilon=1e-5),
      [("x", x), ("skip", skip)],
      [("y", layer_norm(total, gamma, beta, 1e-5)), ("sum", total)],
      [("gamma", gamma), ("beta", beta), ("bias", bias)])

for causal in (0, 1):
    q, k, v = randn(2, 6, 32), randn(2, 6, 32), randn(2, 6, 16)
    qkv_bias = randn(80)
    qb, kb, vb = (q + qkv_bias[:32], k + qkv_bias[32:64], v + qkv_bias[64:])
    check(f"multi_head_attention{'_causal' if causal else ''}",
          helper.make_node("MultiHeadAttention", ["q", "k", "v", "qkv_bias"],
                           ["y"], domain="com.microsoft", num_heads=4,
                           unidirectional=causal),
          [("q", q), ("k", k), ("v", v)],
          [("y", attention(qb.astype(np.float64), kb, vb, 4, causal))],
          [("qkv_bias", qkv_bias)])

def packed(*parts):
    """[B, S, heads * D] projections packed as [B, S, heads, parts, D]."""
    b, s, f = parts[0].shape
    return np.stack([p.reshape(b, s, 4, f // 4) for p in parts], axis=3)


# Cross-attention (5 keys for 6 queries) with an attention bias, the key
# and value given apart (a bias over heads) or packed as [B, L, N, 2, H] (a
# bias per batch element).
for kv_packed, bias_shape in ((False, (1, 4, 6, 5)), (True, (2, 1, 6, 5))):
    q, k, v = randn(2, 6, 32), randn(2, 5, 32), randn(2, 5, 32)
    scores_bias = randn(*bias_shape)
    kv = [("kv", packed(k, v))] if kv_packed else [("k", k), ("v", v)]
    names = ["kv", ""] if kv_packed else ["k", "v"]
    check(f"multi_head_attention_{'packed_kv' if kv_packed else 'bias'}",
          helper.make_node("MultiHeadAttention",
                           ["q", *names, "", "", "scores_bias"], ["y"],
                           domain="com.microsoft", num_heads=4),
          [("q", q), *kv, ("scores_bias", scores_bias)],
          [("y", attention(q.astype(np.float64), k, v, 4, 0, scores_bias))])

# A key padding mask: [B, L] flags (0 hides a key), with an attention bias
# beside it; and [B] key lengths. ONNX Runtime adds mask_filter_value
# (-10000 by default) to the hidden keys' scores.
q, k, v = randn(2, 6, 32), randn(2, 5, 32), randn(2, 5, 32)
flags = np.array([[1, 1, 0, 1, 1], [1, 1, 1, 0, 0]], np.int32)
scores_bias = randn(1, 4, 6, 5)
check("multi_head_attention_padding_flags",
      helper.make_node("MultiHeadAttention",
                       ["q", "k", "v", "", "padding", "scores_bias"], ["y"],
                       domain="com.microsoft", num_heads=4),
      [("q", q), ("k", k), ("v", v), ("padding", flags),
       ("scores_bias", scores_bias)],
      [("y", attention(q.astype(np.float64), k, v, 4, 0,
                       scores_bias + np.where(flags, 0.0, -10000.0)[
                           :, None, None, :]))])
lengths = np.array([3, 5], np.int32)
check("multi_head_attention_padding_lengths",
      helper.make_node("MultiHeadAttention", ["q", "k", "v", "", "lengths"],
                       ["y"], domain="com.microsoft", num_heads=4,
                       mask_filter_value=-300.0),
      [("q", q), ("k", k), ("v", v), ("lengths", lengths)],
      [("y", attention(q.astype(np.float64), k, v, 4, 0,
                       np.where(np.arange(5)[None, :] < lengths[:, None],
                                0.0, -300.0)[:, None, None, :]))])

# Packed q, k and v [B, S, N, 3, H], causal, with their bias.
q, k, v, qkv_bias = randn(2, 6, 32), randn(2, 6, 32), randn(2, 6, 32), randn(96)
check("multi_head_attention_packed_qkv",
      helper.make_node("MultiHeadAttention", ["qkv", "", "", "qkv_bias"],
                       ["y"], domain="com.microsoft", num_heads=4,
                       unidirectional=1),
      [("qkv", packed(q, k, v))],
      [("y", attention(q.astype(np.float64) + qkv_bias[:32],
                       k + qkv_bias[32:64], v + qkv_bias[64:], 4, 1))],
      [("qkv_bias", qkv_bias)])

# Past keys and values [B, N, P, H]: a decode step (one query, key lengths
# over the past and new keys) and a causal chunk of 3 queries after 4 past
# ones; the present keys and values [B, N, P + L, H] are the past's rows
# then the new ones'.
for s, past_len, causal in ((1, 5, 0), (3, 4, 1)):
    q, k, v = randn(2, s, 32), randn(2, s, 32), randn(2, s, 32)
    past_k, past_v = randn(2, 4, past_len, 8), randn(2, 4, past_len, 8)
    present_k, present_v = (
        np.concatenate([p, x.reshape(2, s, 4, 8).transpose(0, 2, 1, 3)], 2)
        for p, x in ((past_k, k), (past_v, v)))
    keys, vals = (p.transpose(0, 2, 1, 3).reshape(2, past_len + s, 32)
                  for p in (present_k, present_v))
    lengths = np.array([past_len - 1, past_len + s], np.int32)
    bias = None if causal else np.where(
        np.arange(past_len + s)[None, :] < lengths[:, None], 0.0,
        -10000.0)[:, None, None, :]
    padding = [] if causal else [("lengths", lengths)]
    check(f"multi_head_attention_past_{'chunk' if causal else 'decode'}",
          helper.make_node("MultiHeadAttention",
                           ["q", "k", "v", "", "" if causal else "lengths",
                            "", "past_key", "past_value"],
                           ["y", "present_key", "present_value"],
                           domain="com.microsoft", num_heads=4,
                           unidirectional=causal),
          [("q", q), ("k", k), ("v", v), *padding, ("past_key", past_k),
           ("past_value", past_v)],
          [("y", attention(q.astype(np.float64), keys, vals, 4, causal,
                           bias)),
           ("present_key", present_k), ("present_value", present_v)])


def rotate(x, cos, sin, head_dim, interleaved, start=None):
    """x [B, S, heads * head_dim] with the first 2 * cos.shape[1] features of
    each head rotated at positions start[b] .. start[b] + S - 1 (0 .. S-1
    by default)."""
    b, s, f = x.shape
    half = cos.shape[1]
    start = np.zeros(b, np.int64) if start is None else np.asarray(start)
    at = start[:, None] + np.arange(s)[None, :]
    c, n = cos[at][:, :, None, :], sin[at][:, :, None, :]
    h = x.reshape(b, s, f // head_dim, head_dim).copy()
    if interleaved:
        x1, x2 = h[..., 0:2 * half:2].copy(), h[..., 1:2 * half:2].copy()
        h[..., 0:2 * half:2] = x1 * c - x2 * n
        h[..., 1:2 * half:2] = x2 * c + x1 * n
    else:
        x1, x2 = h[..., :half].copy(), h[..., half:2 * half].copy()
        h[..., :half] = x1 * c - x2 * n
        h[..., half:2 * half] = x2 * c + x1 * n
    return h.reshape(b, s, f)


def grouped_attention(q, k, v, heads, kv_heads, window, bias=None):
    """Causal attention, query head h reading key/value head
    h // (heads / kv_heads); with a window w > 0, query i sees the w keys
    i - w + 1 .. i (ONNX Runtime 1.30's local_window_size); `bias` is added
    to the scaled scores."""
    b, s, d = q.shape
    dh = d // heads
    qh = q.reshape(b, s, heads, dh).transpose(0, 2, 1, 3)
    group = heads // kv_heads
    kh = np.repeat(k.reshape(b, s, kv_heads, dh).transpose(0, 2, 1, 3),
                   group, axis=1)
    vh = np.repeat(v.reshape(b, s, kv_heads, dh).transpose(0, 2, 1, 3),
                   group, axis=1)
    scores = qh @ kh.transpose(0, 1, 3, 2) / math.sqrt(dh)
    if bias is not None:
        scores = scores + bias
    i, j = np.arange(s)[:, None], np.arange(s)[None, :]
    hidden = (j > i) | ((j <= i - window) if window > 0 else False)
    scores = np.where(hidden, -np.inf, scores)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return (p @ vh).transpose(0, 2, 1, 3).reshape(b, s, d)


def heads_first(x, kv_heads):
    b, s, f = x.shape
    return x.reshape(b, s, kv_heads, f // kv_heads).transpose(0, 2, 1, 3)


def rotary_caches(positions, half, theta=10000.0):
    angles = np.arange(positions)[:, None] * theta ** (
        -np.arange(half)[None, :] / half)
    return np.cos(angles), np.sin(angles)


# GroupQueryAttention, a first prompt: 4 query heads over 2 key/value heads,
# seqlens_k as an input (a prompt's attention does not read it), the
# present keys and values heads first.
q, k, v = randn(2, 6, 32), randn(2, 6, 16), randn(2, 6, 16)
lens = np.array([5, 5], np.int32)
check("group_query_attention",
      helper.make_node("GroupQueryAttention",
                       ["q", "k", "v", "", "", "seqlens_k", "total"],
                       ["y", "present_key", "present_value"],
                       domain="com.microsoft", num_heads=4, kv_num_heads=2),
      [("q", q), ("k", k), ("v", v), ("seqlens_k", lens)],
      [("y", grouped_attention(q.astype(np.float64), k, v, 4, 2, -1)),
       ("present_key", heads_first(k, 2)),
       ("present_value", heads_first(v, 2))],
      [("total", np.array(6, np.int32))])
# Packed q, k and v; rotary embedding from cos/sin caches of more positions
# than the prompt (rotate-half over the whole head, and interleaved pairs
# over half of it); a sliding window of 2 keys.
for interleaved, half in ((0, 4), (1, 2)):
    qkv = randn(2, 7, (4 + 2 * 2) * 8)
    cos, sin = rotary_caches(16, half)
    q = rotate(qkv[..., :32].astype(np.float64), cos, sin, 8, interleaved)
    k = rotate(qkv[..., 32:48].astype(np.float64), cos, sin, 8, interleaved)
    check(f"group_query_attention_rotary{'_interleaved' if interleaved else ''}",
          helper.make_node("GroupQueryAttention",
                           ["qkv", "", "", "", "", "seqlens_k", "total", "cos",
                            "sin"], ["y", "present_key"],
                           domain="com.microsoft", num_heads=4, kv_num_heads=2,
                           do_rotary=1, rotary_interleaved=interleaved,
                           local_window_size=2),
          [("qkv", qkv)],
          [("y", grouped_attention(q, k, qkv[..., 48:], 4, 2, 2)),
           ("present_key", heads_first(k, 2))],
          [("seqlens_k", np.array([6, 6], np.int32)),
           ("total", np.array(7, np.int32)), ("cos", cos), ("sin", sin)])



def past_starts(lens, s, total):
    """ONNX Runtime's past length of each sequence: 0 in a prompt (S equal
    to total_sequence_length), else seqlens_k + 1 - S."""
    return np.zeros_like(lens) if s == total else lens + 1 - s


def cached_attention(q, k, v, past_k, past_v, starts, heads, capacity,
                     window, bias=None):
    """GroupQueryAttention with a KV cache, q and k rotated: sequence b's new
    keys and values go to rows starts[b] .. starts[b] + S - 1 of a present
    cache of `capacity` rows that holds the past (then zeros: ONNX Runtime
    leaves rows past a sequence's length unspecified); query i sees keys
    0 .. starts[b] + i, and with a window w > 0 only the last w of them
    (ONNX Runtime 1.30's local_window_size: checked against it). `bias`
    [B or 1, heads or 1, S, T <= capacity] is added to the scores of keys
    0 .. T-1."""
    b, s, _ = q.shape
    kv_heads, past_len, dh = past_k.shape[1:]
    group = heads // kv_heads
    present = []
    for past, new in ((past_k, k), (past_v, v)):
        cache = np.zeros((b, kv_heads, capacity, dh))
        cache[:, :, :past_len] = past
        for bi in range(b):
            cache[bi, :, starts[bi]:starts[bi] + s] = heads_first(
                new[bi:bi + 1], kv_heads)[0]
        present.append(cache)
    out = np.zeros((b, s, heads * dh))
    i, j = np.arange(s)[:, None], np.arange(capacity)[None, :]
    for bi in range(b):
        visible = j <= starts[bi] + i
        if window > 0:
            visible &= j > starts[bi] + i - window
        for h in range(heads):
            kh, vh = (c[bi, h // group] for c in present)
            scores = q[bi, :, h * dh:(h + 1) * dh] @ kh.T / math.sqrt(dh)
            if bias is not None:
                t = bias.shape[-1]
                scores[:, :t] += bias[bi % bias.shape[0], h % bias.shape[1]]
            scores = np.where(visible, scores, -np.inf)
            p = np.exp(scores - scores.max(-1, keepdims=True))
            out[bi, :, h * dh:(h + 1) * dh] = (p / p.sum(-1, keepdims=True)) @ vh
    return out, present[0], present[1]


# GroupQueryAttention with past keys and values, 4 query heads over 2:
# one decode step per sequence at its own length, into a cache as long as
# the past (rotary at the sequences' positions); three new tokens into a
# present longer than the past (a window of 2 keys); and
# a prompt padded past its sequences' lengths into a preallocated cache
# (interleaved rotary).
for name, s, past_len, capacity, lens, window, rotary in (
        ("decode", 1, 8, 8, [4, 7], -1, "half"),
        ("chunk", 3, 5, 8, [7, 5], 2, None),
        ("padded_prompt", 4, 6, 6, [3, 1], -1, "interleaved")):
    b = CACHE_BATCH
    lens = np.array(lens[:b], np.int32)
    total = int(lens.max()) + 1 if name != "padded_prompt" else s
    # Head size 16: ONNX Runtime's kernel takes multiples of 16 only.
    q, k, v = randn(b, s, 64), randn(b, s, 32), randn(b, s, 32)
    past_k, past_v = randn(b, 2, past_len, 16), randn(b, 2, past_len, 16)
    starts = past_starts(lens.astype(np.int64), s, total)
    attrs = {}
    initializers = [("total", np.array(total, np.int32))]
    qr, kr = q.astype(np.float64), k.astype(np.float64)
    if rotary:
        interleaved = int(rotary == "interleaved")
        cos, sin = rotary_caches(16, 8)
        qr = rotate(qr, cos, sin, 16, interleaved, starts)
        kr = rotate(kr, cos, sin, 16, interleaved, starts)
        attrs = dict(do_rotary=1, rotary_interleaved=interleaved)
        initializers += [("cos", cos), ("sin", sin)]
    y, present_k, present_v = cached_attention(
        qr, kr, v, past_k, past_v, starts, 4, capacity, window)
    check(f"group_query_attention_{name}",
          helper.make_node("GroupQueryAttention",
                           ["q", "k", "v", "past_key", "past_value",
                            "seqlens_k", "total"] +
                           (["cos", "sin"] if rotary else []),
                           ["y", "present_key", "present_value"],
                           domain="com.microsoft", num_heads=4,
                           kv_num_heads=2, local_window_size=window, **attrs),
          [("q", q), ("k", k), ("v", v), ("past_key", past_k),
           ("past_value", past_v), ("seqlens_k", lens)],
          [("y", y), ("present_key", present_k), ("present_value", present_v)],
          initializers)

# An attention bias [1, heads, S, S] in a prompt; in a decode step, a bias
# [B, 1, 1, total length] over a cache longer than that (zeros past it)
# and position_ids [B, S] for the rotary embedding, two past each
# sequence's length.
q, k, v = randn(2, 6, 64), randn(2, 6, 32), randn(2, 6, 32)
bias = randn(1, 4, 6, 6)
check("group_query_attention_bias",
      helper.make_node("GroupQueryAttention",
                       ["q", "k", "v", "", "", "seqlens_k", "total", "", "",
                        "", "bias"],
                       ["y"], domain="com.microsoft", num_heads=4,
                       kv_num_heads=2),
      [("q", q), ("k", k), ("v", v), ("bias", bias)],
      [("y", grouped_attention(q.astype(np.float64), k, v, 4, 2, -1, bias))],
      [("seqlens_k", np.array([5, 5], np.int32)),
       ("total", np.array(6, np.int32))])
b = CACHE_BATCH
lens = np.array([4, 7][:b], np.int32)
total = int(lens.max()) + 1
q, k, v = randn(b, 1, 64), randn(b, 1, 32), randn(b, 1, 32)
past_k, past_v = randn(b, 2, 8, 16), randn(b, 2, 8, 16)
bias = randn(b, 1, 1, total)
starts = past_starts(lens.astype(np.int64), 1, total)
positions = (starts + 2)[:, None].astype(np.int64)
cos, sin = rotary_caches(16, 8)
y, present_k, present_v = cached_attention(
    rotate(q.astype(np.float64), cos, sin, 16, 0, starts + 2),
    rotate(k.astype(np.float64), cos, sin, 16, 0, starts + 2), v, past_k,
    past_v, starts, 4, 10, -1, bias)
check("group_query_attention_decode_bias_positions",
      helper.make_node("GroupQueryAttention",
                       ["q", "k", "v", "past_key", "past_value", "seqlens_k",
                        "total", "cos", "sin", "positions", "bias"],
                       ["y", "present_key", "present_value"],
                       domain="com.microsoft", num_heads=4, kv_num_heads=2,
                       do_rotary=1),
      [("q", q), ("k", k), ("v", v), ("past_key", past_k),
       ("past_value", past_v), ("seqlens_k", lens), ("positions", positions),
       ("bias", bias)],
      [("y", y), ("present_key", present_k), ("present_value", present_v)],
      [("total", np.array(total, np.int32)), ("cos", cos), ("sin", sin)])

# Refused: a key padding mask of ONNX Runtime's [3B + 2] form.
q = randn(2, 3, 32)
padding = model("mha_padding_3b2", helper.make_node(
    "MultiHeadAttention", ["q", "k", "v", "", "padding"], ["y"], name="mha",
    domain="com.microsoft", num_heads=4),
    [("q", q), ("k", q), ("v", q), ("padding", np.zeros(8, np.int32))],
    [("y", q)], [])
with open(os.path.join(WORK, "mha_padding_3b2.onnx"), "wb") as f:
    f.write(padding.SerializeToString())
# Refused: a scalar key padding mask (its batch size was read from a shape
# without dimensions).
padding = model("mha_padding_scalar", helper.make_node(
    "MultiHeadAttention", ["q", "k", "v", "", "padding"], ["y"], name="mha",
    domain="com.microsoft", num_heads=4),
    [("q", q), ("k", q), ("v", q), ("padding", np.array(3, np.int32))],
    [("y", q)], [])
with open(os.path.join(WORK, "mha_padding_scalar.onnx"), "wb") as f:
    f.write(padding.SerializeToString())
# Refused: past keys without past values, and past keys of another head
# size.
q = randn(2, 1, 32)
cache = model("mha_past_key_only", helper.make_node(
    "MultiHeadAttention", ["q", "q", "q", "", "", "", "past"], ["y"],
    name="mha", domain="com.microsoft", num_heads=4),
    [("q", q), ("past", randn(2, 4, 5, 8))], [("y", q)], [])
with open(os.path.join(WORK, "mha_past_key_only.onnx"), "wb") as f:
    f.write(cache.SerializeToString())
cache = model("mha_past_head_size", helper.make_node(
    "MultiHeadAttention", ["q", "q", "q", "", "", "", "past", "past"], ["y"],
    name="mha", domain="com.microsoft", num_heads=4),
    [("q", q), ("past", randn(2, 4, 5, 6))], [("y", q)], [])
with open(os.path.join(WORK, "mha_past_head_size.onnx"), "wb") as f:
    f.write(cache.SerializeToString())
q, past = randn(2, 1, 32), randn(2, 2, 5, 8)
cache = model("gqa_past_key_only", helper.make_node(
    "GroupQueryAttention", ["q", "k", "v", "past"], ["y"], name="gqa",
    domain="com.microsoft", num_heads=4, kv_num_heads=2),
    [("q", q), ("k", randn(2, 1, 16)), ("v", randn(2, 1, 16)),
     ("past", past)], [("y", q)], [])
with open(os.path.join(WORK, "gqa_past_key_only.onnx"), "wb") as f:
    f.write(cache.SerializeToString())
# Refused: rotary caches that are not [positions, rotary dim / 2] tables (a
# scalar; indexing its shape crashed the importer, found by xf-onnx-fuzzer).
q = randn(2, 3, 32)
scalar = model("gqa_scalar_cos", helper.make_node(
    "GroupQueryAttention", ["q", "k", "v", "", "", "lens", "total", "cos",
                            "cos"], ["y"], name="gqa", domain="com.microsoft",
    num_heads=4, kv_num_heads=2, do_rotary=1),
    [("q", q), ("k", randn(2, 3, 16)), ("v", randn(2, 3, 16))], [("y", q)],
    [("lens", np.array([2, 2], np.int32)), ("total", np.array(3, np.int32)),
     ("cos", np.array(1.0))])
with open(os.path.join(WORK, "gqa_scalar_cos.onnx"), "wb") as f:
    f.write(scalar.SerializeToString())

# Refused: an unsupported contrib op, with its name in the error.
unsupported = model("rotary", helper.make_node(
    "RotaryEmbedding", ["x", "x", "x", "x"], ["y"], name="rope",
    domain="com.microsoft"), [("x", x)], [("y", x)], [])
with open(os.path.join(WORK, "rotary.onnx"), "wb") as f:
    f.write(unsupported.SerializeToString())
