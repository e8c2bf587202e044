"""LLaMA-style cases: decode steps against a KV cache and prefill of the
same block (xf vs llama.cpp, and the memory-bandwidth bound), attention
layouts at S = 8192, variable-length batches, and attention against ONNX
Runtime's fused operators. Called by bench.py.

The block: d = 768, 12 heads, 4 KV heads, head dim 64, SwiGLU FFN 2048,
RMSNorm, RoPE, weights [out, in]; xf and llama.cpp run the very same
weights (bench/peers/llama_gguf.py writes them, then the GGUF file).
"""
import json
import os
import re

import numpy as np

from common import (DATA, HERE, OUT, QUICK, ROUNDS, XF_RUN, gflops, median_ms, record,
                    records, rng, rounds, run, write_mlir, xf)

PEER_DIR = os.path.join(HERE, "peers")
D, HEADS, KV_HEADS, HEAD_DIM, FFN = 768, 12, 4, 64, 2048
CAPACITY = 4096
LAYER = ["attn_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w_gate", "w_up",
         "w_down"]


def note(text):
    print(text, flush=True)


def tensor(shape, elt="f32"):
    return "tensor<" + "x".join(map(str, shape)) + f"x{elt}>"


def probe_bandwidth(mib=1024, trials=10):
    out = run([os.path.join(OUT, "bandwidth"), str(mib), str(trials)])
    return float(re.search(r"read_bandwidth ([0-9.]+) GB/s", out).group(1))


def bandwidth():
    gbs = probe_bandwidth()
    records.append({"case": "read bandwidth, 2 threads (GB/s)", "xf_ms": None,
                    "peer": None, "peer_ms": None, "speedup": None,
                    "gbs": gbs})
    note(f"{'read bandwidth, 2 threads':34s} {gbs:.1f} GB/s")
    return gbs


def install_peers():
    """The peers' folder, or None where they could not be installed."""
    out = run(["bash", os.path.join(PEER_DIR, "install_peers.sh")],
              may_fail=True)
    return out.strip().splitlines()[-1] if out else None


def weights(layers):
    """Seeded weights of `layers` layers in a folder (llama_gguf.py's
    names), shared by xf and llama.cpp."""
    folder = os.path.join(DATA, f"llama_{layers}")
    if not os.path.exists(os.path.join(folder, f"l{layers - 1}_w_down.npy")):
        run(["/usr/bin/python3", os.path.join(PEER_DIR, "llama_gguf.py"),
             "random", folder, "--layers", str(layers)])
    return folder


def block_text(layer, x, decode):
    """One xf.block of layer `layer` reading %x<layer>."""
    a = lambda n: f"%l{layer}_{n}"  # noqa: E731
    text = (f"xf.block {x} heads {HEADS} kv_heads {KV_HEADS} causal norm "
            f"rms_norm pre eps 1.0e-05 act silu rope_theta 1.0e+04 layout nk "
            f"norm1({a('attn_norm')}) attn({a('wq')}, {a('wk')}, {a('wv')}, "
            f"{a('wo')}) norm2({a('ffn_norm')}) mlp(up {a('w_up')} gate "
            f"{a('w_gate')} down {a('w_down')})")
    if decode:
        text += (f" positions %pos kv_cache({a('kc')}, {a('vc')}) "
                 f"kv_len %len")
    return text


def weight_args(folder, layer, wtype):
    """The arguments (name, shape, element type) of one layer's weights and
    the xf.dequantize lines that give int8 matrices their f32 value: bf16
    matrices as such, int8 ones as values and scales per output row (see
    quantize()); norm gains stay f32."""
    args, lines = [], []
    for n in LAYER:
        name = f"l{layer}_{n}"
        shape = list(np.load(os.path.join(folder, f"{name}.npy"),
                             mmap_mode="r").shape)
        if len(shape) == 1 or wtype == "f32":
            args.append((name, shape, "f32"))
        elif wtype == "bf16":
            args.append((name, shape, "bf16"))
        else:
            args += [(f"{name}_q", shape, "i8"), (f"{name}_s", shape[:1], "f32")]
            lines.append(
                f"  %{name} = xf.dequantize %{name}_q scales %{name}_s axis 0"
                f" : ({tensor(shape, 'i8')}, {tensor(shape[:1])}) -> "
                f"{tensor(shape)}")
    return args, lines


def stack(layers, folder, seq, decode, wtype="f32"):
    """An .mlir function running `layers` blocks in a chain, and its inputs
    in order: x, then per layer its weights (and caches), then the decode
    step's positions and valid lengths. wtype: f32, bf16 or int8 weights."""
    args = [("x", [1, seq, D], "f32")]
    dequantize = []
    for i in range(layers):
        layer_args, lines = weight_args(folder, i, wtype)
        args += layer_args
        dequantize += lines
        if decode:
            for c in ("kc", "vc"):
                args.append((f"l{i}_{c}", [1, CAPACITY, KV_HEADS * HEAD_DIM],
                             "f32"))
    if decode:
        args += [("pos", [1, seq], "i32"), ("len", [1], "i32")]
    types = {n: tensor(s, e) for n, s, e in args}
    for i in range(layers):
        for n in LAYER:
            name = f"l{i}_{n}"
            if name not in types:  # int8: the dequantized f32 value
                shape = [int(v) for v in
                         re.findall(r"\d+", types[name + "_q"])[:-1]]
                types[name] = tensor(shape)
    body, x = list(dequantize), "%x"
    for i in range(layers):
        operands = [f"l{i}_{n}" for n in LAYER]
        operand_types = [types["x"]] + [types[n] for n in operands]
        if decode:
            operand_types += [types["pos"], types[f"l{i}_kc"],
                              types[f"l{i}_vc"], types["len"]]
            outs = f"({types['x']}, {types[f'l{i}_kc']}, {types[f'l{i}_vc']})"
            body.append(f"  %y{i}:3 = {block_text(i, x, True)}\n"
                        f"      : ({', '.join(operand_types)}) -> {outs}")
            x = f"%y{i}#0"
        else:
            body.append(f"  %y{i} = {block_text(i, x, False)}\n"
                        f"      : ({', '.join(operand_types)}) -> {types['x']}")
            x = f"%y{i}"
    sig = ", ".join(f"%{n}: {types[n]}" for n, _, _ in args)
    text = (f"func.func @step({sig}) -> {types['x']} {{\n" +
            "\n".join(body) + f"\n  return {x} : {types['x']}\n}}\n")
    name = (f"llama_{'decode' if decode else 'prefill'}_{layers}x{seq}"
            f"{'' if wtype == 'f32' else '_' + wtype}.mlir")
    return write_mlir(name, text), [n for n, _, _ in args]


def quantize(folder, layers):
    """int8 copies of the matrices, symmetric per output row (the scale
    max |w| / 127), as l{i}_{n}_q.npy and l{i}_{n}_s.npy."""
    for i in range(layers):
        for n in LAYER:
            name = os.path.join(folder, f"l{i}_{n}")
            w = np.load(name + ".npy")
            if w.ndim != 2 or os.path.exists(name + "_q.npy"):
                continue
            scale = np.abs(w).max(axis=1) / 127
            scale[scale == 0] = 1
            np.save(name + "_q.npy", np.clip(np.rint(w / scale[:, None]),
                                             -127, 127).astype(np.int8))
            np.save(name + "_s.npy", scale.astype(np.float32))


def inputs(folder, names, seq, length=None):
    """.npy paths for the inputs `names`: weights from the folder, seeded
    activations and caches, and the decode step's position and length."""
    paths = []
    for n in names:
        path = os.path.join(folder, f"{n}.npy")
        if n == "x":
            path = os.path.join(DATA, f"x_{seq}.npy")
            np.save(path, rng.standard_normal((1, seq, D), dtype=np.float32))
        elif n.endswith(("_kc", "_vc")):
            path = os.path.join(DATA, "cache.npy")
            if not os.path.exists(path):
                np.save(path, rng.standard_normal(
                    (1, CAPACITY, KV_HEADS * HEAD_DIM), dtype=np.float32))
        elif n == "pos":
            path = os.path.join(DATA, f"pos_{length}.npy")
            np.save(path, np.full((1, seq), length - 1, np.int32))
        elif n == "len":
            path = os.path.join(DATA, f"len_{length}.npy")
            np.save(path, np.array([length], np.int32))
        paths.append(path)
    return paths


def weight_bytes(folder, layers, wtype="f32"):
    """The bytes a step reads of the weights: 4, 2 or 1 per matrix element
    (plus the int8 scales), 4 per norm gain."""
    total = 0
    for i in range(layers):
        for n in LAYER:
            shape = np.load(os.path.join(folder, f"l{i}_{n}.npy"),
                            mmap_mode="r").shape
            size = int(np.prod(shape))
            if len(shape) == 1 or wtype == "f32":
                total += 4 * size
            elif wtype == "bf16":
                total += 2 * size
            else:
                total += size + 4 * shape[0]
    return total


def gguf(folder, layers):
    path = os.path.join(DATA, f"llama_{layers}.gguf")
    if not os.path.exists(path):
        run(["/usr/bin/python3", os.path.join(PEER_DIR, "llama_gguf.py"),
             "write", folder, path])
    return path


def llama_cases(model, lengths, prefill):
    """llama.cpp's decode (median and 10th percentile per length) and
    prefill times, or {} when it is not available."""
    out = run(["node", os.path.join(PEER_DIR, "llama_decode.js"), model,
               "--lengths", ",".join(map(str, lengths)), "--prefill",
               str(prefill), "--steps", "16" if QUICK else "32"],
              may_fail=True, timeout=3600)
    cases = {}
    for line in (out or "").splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            cases[r["case"]] = r
    return cases


def kv_cache_bytes(layers, length):
    """The f32 keys and values a decode step reads at cache length L."""
    return 2 * layers * length * KV_HEADS * HEAD_DIM * 4


def against_bound(measure, read_bytes):
    """The best round of `measure` against the read-bandwidth bound of
    `read_bytes`, the bandwidth probed just before and after each round:
    (ratio, xf_ms, bound_ms, GB/s)."""
    best = None
    for _ in range(ROUNDS):
        before = probe_bandwidth(256, 5)
        xf_ms = measure()
        gbs = (before + probe_bandwidth(256, 5)) / 2
        bound_ms = read_bytes / (gbs * 1e9) * 1e3
        if best is None or xf_ms / bound_ms < best[0]:
            best = (xf_ms / bound_ms, xf_ms, bound_ms, gbs)
    return best


def decode(peers):
    """A decode step of 1 and of 8 blocks at several cache lengths, against
    the read-bandwidth bound and llama.cpp.

    The bandwidth of this VM swings between about 30 and 50 GB/s within
    seconds (neighbours on the host), so each round probes it just before
    and just after timing xf and holds xf against that round's bound; the
    round with the best ratio is kept (as for every case, the best round)."""
    lengths = [128, 1024, 4000]
    for layers in (1, 8):
        folder = weights(layers)
        mlir, names = stack(layers, folder, 1, decode=True)
        wbytes = weight_bytes(folder, layers)
        llama = {}
        if peers:
            llama = llama_cases(gguf(folder, layers), lengths, 0)
        for length in lengths:
            paths = inputs(folder, names, 1, length)
            ratio, xf_ms, bound_ms, gbs = against_bound(
                xf(mlir, paths, 20 if QUICK else 50),
                wbytes + kv_cache_bytes(layers, length))
            peer = llama.get(f"decode L={length}")
            case = f"decode {layers} block(s) L={length}"
            record(case, xf_ms, "llama.cpp f32, median" if peer else
                   "llama.cpp (unavailable)", peer and peer["median_ms"],
                   bound_ms=round(bound_ms, 4), bound_ratio=round(ratio, 3),
                   round_gbs=round(gbs, 1), llama_p10_ms=peer and peer["p10_ms"],
                   speedup_vs_p10=peer and round(peer["p10_ms"] / xf_ms, 3))


def prefill(peak, peers):
    """The block on 512 tokens: fraction of the FMA peak, and llama.cpp per
    block (the 8-layer model minus the 1-layer one, over 7 layers, so that
    the LM head and the embeddings cancel)."""
    seq = 512
    folder = weights(1)
    mlir, names = stack(1, folder, seq, decode=False)
    paths = inputs(folder, names, seq)
    reps = 5 if QUICK else 15
    out = run([XF_RUN, mlir, "--bench", "1"] +
              [a for p in paths for a in ("--input", p)])
    flop_rate = float(re.search(r"([0-9.]+) GFLOP/s", out).group(1))
    flop = flop_rate * median_ms(out) * 1e6
    (xf_ms,) = rounds(xf(mlir, paths, reps))
    per_block = None
    if peers:
        one = llama_cases(gguf(folder, 1), [], seq).get(f"prefill P={seq} logits=all")
        eight = llama_cases(gguf(weights(8), 8), [], seq).get(
            f"prefill P={seq} logits=all")
        if one and eight:
            per_block = (eight["median_ms"] - one["median_ms"]) / 7
    rate = gflops(flop, xf_ms)
    record(f"prefill block S={seq}", xf_ms,
           "llama.cpp f32 per block" if per_block else "llama.cpp (unavailable)",
           per_block, xf_gflops=rate, fraction_of_peak=round(rate / peak, 3))


def attention_text(name, s, layout, q_features, kv_features, extra_args=""):
    t, k = tensor([1, s, q_features]), tensor([1, s, kv_features])
    return write_mlir(f"{name}.mlir", f"""
func.func @attention(%q: {t}, %k: {k}, %v: {k}) -> {t} {{
  %o = xf.attention %q, %k, %v heads {HEADS} kv_heads {HEADS} {layout} : ({t}, {k}, {k}) -> {t}
  return %o : {t}
}}""")


def visited_fraction(layout_fn, s, br=64, bc=128):
    """The kernel's visited (query block, key tile) pairs over all of them,
    from the layout's definition of visibility (pair by pair, per tile)."""
    positions = np.arange(s)
    visited = total = 0
    for q0 in range(0, s, br):
        rows = positions[q0:q0 + br, None]
        for k0 in range(0, s, bc):
            total += 1
            visited += bool(layout_fn(rows, positions[None, k0:k0 + bc]).any())
    return visited / total


def layouts():
    """Attention layouts at S = 8192, 12 heads, head dim 64: the tiles a
    layout hides are skipped, so time follows the visited tiles."""
    s, hd = 8192, HEAD_DIM
    paths = []
    for n in "qkv":
        path = os.path.join(DATA, f"{n}_{s}.npy")
        if not os.path.exists(path):
            np.save(path, rng.standard_normal((1, s, HEADS * hd),
                                              dtype=np.float32))
        paths.append(path)
    block = 64
    blocks = s // block
    r = np.random.default_rng(7)
    present = r.random((blocks, blocks)) < 0.1
    np.fill_diagonal(present, True)
    dense_map = ", ".join("[" + ", ".join("true" if v else "false" for v in row)
                          + "]" for row in present)
    cases = {
        "dense": ("", lambda p, k: np.ones(np.broadcast(p, k).shape, bool)),
        "causal": ("causal", lambda p, k: k <= p),
        "window 256": ("causal window 256",
                       lambda p, k: (k <= p) & (p - k < 256)),
        "sinks 4 + window 1024": ("causal window 1024 sinks 4",
                                  lambda p, k: (k <= p) & ((p - k < 1024) |
                                                           (k < 4))),
        "block-sparse 10%": (f"blocks [{block}, {block}] dense<[{dense_map}]> "
                             f": tensor<{blocks}x{blocks}xi1>",
                             lambda p, k: present[p // block, k // block]),
    }
    times = {}
    reps = "2" if QUICK else "3"
    for name, (layout, fn) in cases.items():
        mlir = attention_text(f"layout_{name.replace(' ', '_')}", s, layout,
                              HEADS * hd, HEADS * hd)
        (times[name],) = rounds(xf(mlir, paths, int(reps)))
        # A band narrower than four key tiles gets tiles of a quarter of it
        # (lib/Codegen/CPU/AttentionKernel.cpp): 64 keys for window 256.
        frac = visited_fraction(fn, s, bc=64 if name == "window 256" else 128)
        extra = {"visited_tiles": round(frac, 4)}
        if name not in ("dense", "causal"):
            extra["time_over_dense_x_visited"] = round(
                times[name] / (frac * times["dense"]), 3)
        record(f"attention S={s} {name}", times[name], "xf dense", times["dense"],
               **extra)
    record(f"attention S={s} window 256 vs causal", times["window 256"],
           "xf causal", times["causal"])


def varlen():
    """A LLaMA-style block on sequences of lengths {17, 129, 512, 1000}:
    packed (seq_offsets) against the batch padded to 1000 with a padding
    mask."""
    lengths = [17, 129, 512, 1000]
    tokens, pad = sum(lengths), max(lengths)
    folder = weights(1)
    w = [os.path.join(folder, f"l0_{n}.npy") for n in LAYER]
    shapes = {n: list(np.load(p, mmap_mode="r").shape)
              for n, p in zip(LAYER, w)}
    wtypes = [tensor(shapes[n]) for n in LAYER]
    sig = ", ".join(f"%l0_{n}: {t}" for n, t in zip(LAYER, wtypes))
    packed_x = os.path.join(DATA, "varlen_x.npy")
    np.save(packed_x, rng.standard_normal((tokens, D), dtype=np.float32))
    cu = os.path.join(DATA, "varlen_cu.npy")
    np.save(cu, np.cumsum([0] + lengths).astype(np.int32))
    padded_x = os.path.join(DATA, "padded_x.npy")
    np.save(padded_x, rng.standard_normal((len(lengths), pad, D),
                                          dtype=np.float32))
    mask = np.zeros((len(lengths), 1, 1, pad), np.float32)
    for b, n in enumerate(lengths):
        mask[b, ..., n:] = -np.inf
    mask_path = os.path.join(DATA, "padded_mask.npy")
    np.save(mask_path, mask)
    tx, tp = tensor([tokens, D]), tensor([len(lengths), pad, D])
    tm, tc = tensor(list(mask.shape)), tensor([len(lengths) + 1], "i32")
    packed = write_mlir("varlen_packed.mlir", f"""
func.func @packed(%x: {tx}, {sig}, %cu: {tc}) -> {tx} {{
  %y = {block_text(0, '%x', False)} seq_offsets %cu
      : ({tx}, {', '.join(wtypes)}, {tc}) -> {tx}
  return %y : {tx}
}}""")
    padded = write_mlir("varlen_padded.mlir", f"""
func.func @padded(%x: {tp}, {sig}, %m: {tm}) -> {tp} {{
  %y = {block_text(0, '%x', False)} mask %m
      : ({tp}, {', '.join(wtypes)}, {tm}) -> {tp}
  return %y : {tp}
}}""")
    reps = 3 if QUICK else 10
    packed_ms, padded_ms = rounds(xf(packed, [packed_x] + w + [cu], reps),
                                  xf(padded, [padded_x] + w + [mask_path],
                                     reps))
    ratio = len(lengths) * pad / tokens
    record("varlen block {17,129,512,1000} packed", packed_ms,
           "xf padded to 1000", padded_ms,
           padded_over_real_tokens=round(ratio, 3),
           speedup_over_target=round(padded_ms / packed_ms / (0.8 * ratio), 3))


def ort_attention(peers):
    """xf against ONNX Runtime's fused CPU attention: MultiHeadAttention
    (non-causal, flash) and GroupQueryAttention (causal)."""
    if not peers:
        note("ONNX Runtime unavailable: attention vs ORT skipped")
        return
    for s in (512, 2048):
        for op, kv, causal in (("mha", HEADS, False), ("gqa", HEADS, True),
                               ("gqa", KV_HEADS, True)):
            q = rng.standard_normal((1, s, HEADS * HEAD_DIM), dtype=np.float32)
            k, v = (rng.standard_normal((1, s, kv * HEAD_DIM), dtype=np.float32)
                    for _ in "kv")
            paths = []
            for n, t in (("q", q), ("k", k), ("v", v)):
                paths.append(os.path.join(DATA, f"ort_{n}.npy"))
                np.save(paths[-1], t)
            case_dir = os.path.join(DATA, f"ort_{op}_{kv}_{s}")
            run(["/usr/bin/python3", os.path.join(PEER_DIR, "ort_attention.py"),
                 "case", op, str(HEADS), str(kv)] + paths + [case_dir])
            tq, tk = tensor([1, s, HEADS * HEAD_DIM]), tensor([1, s, kv * HEAD_DIM])
            layout = " causal" if causal else ""
            mlir = write_mlir(f"ort_{op}_{kv}_{s}.mlir", f"""
func.func @attention(%q: {tq}, %k: {tk}, %v: {tk}) -> {tq} {{
  %o = xf.attention %q, %k, %v heads {HEADS} kv_heads {kv}{layout} : ({tq}, {tk}, {tk}) -> {tq}
  return %o : {tq}
}}""")
            reps = 5 if QUICK else 20
            xf_ms, ort_ms = rounds(
                xf(mlir, paths, reps),
                lambda: median_ms(run(["node", os.path.join(PEER_DIR, "ort_run.js"),
                                       case_dir, str(reps)])))
            name = "MultiHeadAttention" if op == "mha" else "GroupQueryAttention"
            record(f"attention S={s} {HEADS}/{kv} heads{layout}", xf_ms,
                   f"ORT 1.30 {name}", ort_ms)
