"""Low-precision and sparse weights: bf16 and int8 GEMMs at the GPT-2 shapes against
xf's own f32 GEMM and oneDNN's bf16 and u8*s8 matmuls, and the LLaMA-style
decode step (llm.py's block) with bf16 and int8 weights against the
read-bandwidth bound and llama.cpp's f16 and q8_0 models of the same
weights; block-sparse GEMMs and GEMVs (sparse()). Called by bench.py; each
case reports its accuracy next to its
time:
  kernel_err  xf against the reference evaluator on the same (rounded or
              quantized) weights: what the kernel adds (bf16 activations,
              int8 activations quantized per row);
  format_err  the reference on the rounded/quantized weights against the
              f32 weights (GEMMs, numpy): what the weight format costs;
  total_err   (decode) xf's step with these weights against its f32 step.
Both are max |difference| / max |reference|.
"""
import os
import re

import numpy as np

from common import (DATA, OUT, QUICK, XF_RUN, gflops, peer, record,
                    rng, rounds, run, save, write_mlir, xf)
import llm

SHAPES = [(512, 768, 768), (512, 768, 2304), (512, 768, 3072),
          (512, 3072, 768)]


def max_rel_err(out):
    return max(float(v) for v in re.findall(r"max_rel_err=([0-9.e+-]+)", out))


def kernel_err(mlir, paths, extra=()):
    """xf-run --check's error on these inputs."""
    return max_rel_err(run([XF_RUN, mlir, "--check", "--tolerance", "1"] +
                           list(extra) +
                           [a for p in paths for a in ("--input", p)]))


def output(mlir, paths, name):
    """xf-run's first result on these inputs, as an array."""
    folder = os.path.join(DATA, name)
    os.makedirs(folder, exist_ok=True)
    run([XF_RUN, mlir, "--dump-output", folder] +
        [a for p in paths for a in ("--input", p)])
    return np.load(os.path.join(folder, "output0.npy")).astype(np.float64)


def bf16_round(a):
    bits = a.astype(np.float32).view(np.uint32)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.view(np.float32)


def quantize_columns(b):
    """Symmetric int8 per column of a [K, N] weight (its output channel)."""
    scale = np.abs(b).max(axis=0) / 127
    scale[scale == 0] = 1
    q = np.clip(np.rint(b / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def relative(x, ref):
    return float(np.abs(x - ref).max() / np.abs(ref).max())


def gemm_text(name, m, k, n, wtype):
    t = lambda *s, e="f32": llm.tensor(list(s), e)  # noqa: E731
    if wtype == "bf16":
        sig = f"%a: {t(m, k)}, %b: {t(k, n, e='bf16')}"
        body = ""
        wt = t(k, n, e="bf16")
    else:
        sig = f"%a: {t(m, k)}, %q: {t(k, n, e='i8')}, %s: {t(n)}"
        body = (f"  %b = xf.dequantize %q scales %s axis 1 : "
                f"({t(k, n, e='i8')}, {t(n)}) -> {t(k, n)}\n")
        wt = t(k, n)
    return write_mlir(name, f"""
func.func @gemm({sig}) -> {t(m, n)} {{
{body}  %c = xf.linear %a, %b : ({t(m, k)}, {wt}) -> {t(m, n)}
  return %c : {t(m, n)}
}}""")


def gemms(peak):
    """bf16 and int8 against xf f32 and oneDNN, weights packed at compile
    time (constant) as in bench.py's f32 GEMMs."""
    lowp = os.path.join(OUT, "matmul_onednn_lowp")
    for m, k, n in SHAPES:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = (rng.standard_normal((k, n), dtype=np.float32) / np.sqrt(k))
        pa, pb = save(f"lowp_a_{m}_{k}.npy", a), save(f"lowp_b_{k}_{n}.npy", b)
        a.tofile(pa + ".bin")
        b.tofile(pb + ".bin")
        q, scale = quantize_columns(b)
        pq = os.path.join(DATA, f"lowp_q_{k}_{n}.npy")
        ps = os.path.join(DATA, f"lowp_s_{k}_{n}.npy")
        np.save(pq, q)
        np.save(ps, scale)
        f32 = linear_text(f"lowp_gemm_{m}_{k}_{n}.mlir", m, k, n)
        bf16 = gemm_text(f"lowp_gemm_{m}_{k}_{n}_bf16.mlir", m, k, n, "bf16")
        int8 = gemm_text(f"lowp_gemm_{m}_{k}_{n}_int8.mlir", m, k, n, "int8")
        reps = 10 if QUICK else 40
        const = ["--constant-weights"]
        dnnl = lambda kind: peer([lowp, kind, str(m), str(k), str(n),  # noqa
                                  pa + ".bin", pb + ".bin", str(reps)])
        # oneDNN's matmul alone (its activations converted untimed), and
        # with their conversion from f32 timed as xf's is.
        (f32_ms, bf16_ms, int8_ms, dnnl_bf16, dnnl_int8, dnnl_bf16_conv,
         dnnl_int8_conv) = rounds(
            xf(f32, [pa, pb], reps, const),
            xf(bf16, [pa, pb], reps, const),
            xf(int8, [pa, pq, ps], reps, const),
            dnnl("bf16"), dnnl("int8"), dnnl("bf16+reorder"),
            dnnl("int8+reorder"))
        ref = a.astype(np.float64) @ b
        flop = 2 * m * k * n
        case = f"gemm {m}x{k}x{n}"
        for kind, ms, dnnl_ms, conv_ms, mlir, paths, weights in (
                ("bf16", bf16_ms, dnnl_bf16, dnnl_bf16_conv, bf16, [pa, pb],
                 bf16_round(b)),
                ("int8", int8_ms, dnnl_int8, dnnl_int8_conv, int8,
                 [pa, pq, ps], q.astype(np.float64) * scale)):
            record(f"{case} {kind}", ms, f"oneDNN {kind} matmul", dnnl_ms,
                   peer_with_f32_src_ms=round(conv_ms, 4),
                   over_peer_with_f32_src=round(conv_ms / ms, 3),
                   xf_gflops=gflops(flop, ms), over_xf_f32=round(f32_ms / ms, 3),
                   over_fma_peak=round(gflops(flop, ms) / peak, 3),
                   kernel_err=kernel_err(mlir, paths),
                   format_err=round(relative(a.astype(np.float64) @ weights,
                                             ref), 6))


def decode(peers):
    """The LLaMA-style decode step of 8 blocks with bf16 and int8 weights
    (int8 per output row, llm.quantize), against the read-bandwidth bound
    of the bytes it must read (weights in their format, the f32 KV cache)
    and llama.cpp's f16 and q8_0 models (q8_0: int8 per block of 32 with an
    f16 scale) of the same weights; probed and kept as llm.decode does."""
    layers, lengths = 8, [128, 1024]
    folder = llm.weights(layers)
    llm.quantize(folder, layers)
    f32_mlir, f32_names = llm.stack(layers, folder, 1, True)
    for wtype, peer_type in (("bf16", "f16"), ("int8", "q8_0")):
        mlir, names = llm.stack(layers, folder, 1, True, wtype)
        wbytes = llm.weight_bytes(folder, layers, wtype)
        llama = {}
        if peers:
            model = os.path.join(DATA, f"llama_{layers}_{peer_type}.gguf")
            if not os.path.exists(model):
                run(["/usr/bin/python3", llm.PEER_DIR + "/llama_gguf.py",
                     "write", folder, model, "--type", peer_type])
            llama = llm.llama_cases(model, lengths, 0)
        def errors():
            # The f32 step on the same activations, caches and positions.
            given = dict(zip(names, paths))
            f32_paths = [given.get(n, os.path.join(folder, f"{n}.npy"))
                         for n in f32_names]
            total = relative(output(mlir, paths, f"decode_{wtype}"),
                             output(f32_mlir, f32_paths, "decode_f32"))
            return {"kernel_err": kernel_err(mlir, paths),
                    "total_err": round(total, 6)}

        for length in lengths:
            paths = llm.inputs(folder, names, 1, length)
            ratio, xf_ms, bound_ms, gbs = llm.against_bound(
                xf(mlir, paths, 20 if QUICK else 50),
                wbytes + llm.kv_cache_bytes(layers, length))
            p = llama.get(f"decode L={length}")
            record(f"decode {layers} blocks {wtype} L={length}", xf_ms,
                   f"llama.cpp {peer_type}, median" if p else
                   "llama.cpp (unavailable)", p and p["median_ms"],
                   bound_ms=round(bound_ms, 4), bound_ratio=round(ratio, 3),
                   round_gbs=round(gbs, 1), weight_mb=round(wbytes / 1e6, 1),
                   llama_p10_ms=p and p["p10_ms"],
                   speedup_vs_p10=p and round(p["p10_ms"] / xf_ms, 3),
                   **errors())


def block_sparse_weight(k, n, keep, rows=16, cols=32):
    """A [K, N] weight whose blocks of rows x cols are kept with
    probability `keep` (the others zero; 1 x 1 blocks: unstructured)."""
    w = rng.standard_normal((k, n), dtype=np.float32) / np.sqrt(k * keep)
    mask = rng.random((-(-k // rows), -(-n // cols))) < keep
    return w * np.repeat(np.repeat(mask, rows, 0), cols, 1)[:k, :n]


def two_of_four_weight(k, n):
    """A [K, N] weight pruned to 2:4 along K: the 2 largest |w| of each
    group of 4 rows kept (K a multiple of 4)."""
    w = rng.standard_normal((k, n), dtype=np.float32) / np.sqrt(k / 2)
    groups = np.abs(w).reshape(k // 4, 4, n)
    smallest = np.argsort(groups, axis=1)[:, :2, :]
    mask = np.ones_like(groups, dtype=bool)
    np.put_along_axis(mask, smallest, False, axis=1)
    return (w.reshape(k // 4, 4, n) * mask).reshape(k, n)


def linear_text(name, m, k, n):
    return write_mlir(name, f"""
func.func @linear(%a: tensor<{m}x{k}xf32>, %b: tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32> {{
  %c = xf.linear %a, %b : (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %c : tensor<{m}x{n}xf32>
}}""")


def sparse():
    """Block-sparse weights (16 x 32 blocks, the CPU panel width) at the
    GPT-2 shapes, 90% and 70% of the blocks zero, and unstructured ones, 90%
    zeros, against xf's dense GEMM on the same weights (xf-sparsify-weights
    off) and oneDNN's dense sgemm; and the decode GEMV (one row) of a 4096 x
    8192 weight, 90% zero blocks or elements, against xf's dense GEMV; and
    2:4 weights (keep 0: magnitude-pruned along K) in both, prefill with
    sparsity-threshold=0.9 (its measured cost there, 0.85, is above the
    default 0.8). Weights are constants: the sparse form is computed at
    compile time."""
    gemm_onednn = os.path.join(OUT, "gemm_onednn")
    dense_off = ["--pipeline-options", "sparsify-weights=false"]
    reps = 10 if QUICK else 30
    shapes = ((768, 3072), (3072, 768))
    cases = [(512, k, n, keep, 16) for k, n in shapes for keep in (0.1, 0.3)]
    cases += [(512, k, n, 0.1, 1) for k, n in shapes]
    cases += [(1, 4096, 8192, 0.1, 16), (1, 4096, 8192, 0.1, 1)]
    cases += [(512, k, n, 0, 0) for k, n in shapes] + [(1, 4096, 8192, 0, 0)]
    for m, k, n, keep, rows in cases:
        a = rng.standard_normal((m, k), dtype=np.float32)
        cols = 32 if rows > 1 else 1
        b = (block_sparse_weight(k, n, keep, rows, cols) if keep
             else two_of_four_weight(k, n))
        pa = save(f"sparse_a_{m}_{k}.npy", a)
        pb = save(f"sparse_b_{k}_{n}_{keep}_{rows}.npy", b)
        mlir = linear_text(f"sparse_{m}_{k}_{n}.mlir", m, k, n)
        const = ["--constant-weights"]
        sparse_on = const + (["--pipeline-options", "sparsity-threshold=0.9"]
                             if not keep and m > 1 else [])
        measures = [xf(mlir, [pa, pb], reps, sparse_on),
                    xf(mlir, [pa, pb], reps, const + dense_off)]
        if m > 1:
            a.tofile(pa + ".bin")
            b.tofile(pb + ".bin")
            measures.append(peer([gemm_onednn, str(m), str(k), str(n),
                                  pa + ".bin", pb + ".bin", str(reps)]))
        times = rounds(*measures)
        sparse_ms, dense_ms = times[0], times[1]
        zero = round(1 - keep, 2)
        case = (f"{'gemv' if m == 1 else 'gemm'} {m}x{k}x{n} " +
                (f"{int(zero * 100)}% zero "
                 f"{'blocks' if rows > 1 else 'elements'}" if keep else "2:4"))
        extra = dict(over_xf_dense=round(dense_ms / sparse_ms, 3),
                     xf_dense_ms=round(dense_ms, 4),
                     kernel_err=kernel_err(mlir, [pa, pb], sparse_on))
        if m > 1:
            record(case, sparse_ms, "oneDNN sgemm (dense)", times[2], **extra)
        else:
            record(case, sparse_ms, "xf dense GEMV", dense_ms, **extra)
