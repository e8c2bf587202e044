"""Runs xf and its peers on identical inputs and reports them side by side.

Called by bench/run (which builds everything first) with Debian's python3:
  bench.py BUILD_DIR OUT_DIR [--quick] [--only SECTION,...]
Sections: GEMMs, attention and the encoder block against oneDNN, OpenBLAS
and PyTorch; peak memory; compile time; (model.py) whole models of
GPT-2 blocks, compile time, memory and run time with identical layers
outlined and as written; then (llm.py) LLaMA-style decode and
prefill against llama.cpp and the read-bandwidth bound, attention layouts,
variable-length batches, and attention against ONNX Runtime; then
(lowp.py) bf16 and int8 weights: GEMMs against oneDNN, decode against
llama.cpp's f16 and q8_0 models and the bandwidth bound; and sparse weights
against xf's and oneDNN's dense products; then (topk.py) top-k FFNs against
xf's dense FFN.
Writes OUT_DIR/results.json, a list of records {"case", "xf_ms", "peer",
"peer_ms", "speedup"} (speedup = peer_ms / xf_ms; extra keys give rates),
and prints the same as a table, a progress line per case.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np

from common import (HERE, OUT, PEERS, QUICK, TUNED, THREADS, XF_RUN, gflops,
                    median_ms, peer, record, records, rng, rounds, run, save,
                    write_mlir, xf)
import llm
import lowp
import model
import topk

def fma_peak():
    out = run([os.path.join(OUT, "fma_peak"), "1.0"])
    return float(out.split()[0])


def gemms(peak):
    rates = {}
    for m, k, n in [(512, 768, 768), (512, 768, 2304), (512, 768, 3072),
                    (512, 3072, 768)]:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = (rng.standard_normal((k, n), dtype=np.float32) / np.sqrt(k))
        pa, pb = save(f"a_{m}_{k}.npy", a), save(f"b_{k}_{n}.npy", b)
        a.tofile(pa + ".bin")
        b.astype(np.float32).tofile(pb + ".bin")
        mlir = write_mlir(f"gemm_{m}_{k}_{n}.mlir", f"""
func.func @gemm(%a: tensor<{m}x{k}xf32>, %b: tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32> {{
  %c = xf.linear %a, %b : (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %c : tensor<{m}x{n}xf32>
}}""")
        reps = 10 if QUICK else 40
        xf_ms, dnnl, numpy = rounds(
            xf(mlir, [pa, pb], reps, ["--constant-weights"]),
            peer([os.path.join(OUT, "gemm_onednn"), str(m), str(k), str(n),
                  pa + ".bin", pb + ".bin", str(reps)]),
            peer(["/usr/bin/python3", PEERS, "numpy-gemm", pa, pb,
                  str(reps)]))
        rate = rates[(m, k, n)] = gflops(2 * m * k * n, xf_ms)
        case = f"gemm {m}x{k}x{n}"
        record(case, xf_ms, "oneDNN sgemm", dnnl, xf_gflops=rate,
               oneDNN_gflops=gflops(2 * m * k * n, dnnl),
               xf_fraction_of_peak=round(rate / peak, 3))
        record(case, xf_ms, "numpy/OpenBLAS", numpy)
    return rates


def attention(gemm_rate):
    heads, d = 12, 64
    for s in [512, 2048, 8192]:
        q, k, v = (rng.standard_normal((1, s, heads * d), dtype=np.float32)
                   for _ in range(3))
        paths = [save(f"{name}_{s}.npy", t) for name, t in
                 (("q", q), ("k", k), ("v", v))]
        times = {}
        for causal in (False, True):
            mask = " causal" if causal else ""
            t = f"tensor<1x{s}x{heads * d}xf32>"
            mlir = write_mlir(f"attention_{s}{mask.strip()}.mlir", f"""
func.func @attention(%q: {t}, %k: {t}, %v: {t}) -> {t} {{
  %o = xf.attention %q, %k, %v heads {heads}{mask} : ({t}, {t}, {t}) -> {t}
  return %o : {t}
}}""")
            reps = 3 if s == 8192 else (5 if QUICK else 15)
            args = ["/usr/bin/python3", PEERS, "torch-attention"] + paths + [
                str(heads), "1" if causal else "0"]
            case = f"attention S={s}{mask}"
            # 2 (D + D) FLOPs per attended (query, key) pair and head.
            pairs = s * (s + 1) / 2 if causal else s * s
            flop = 4 * d * heads * pairs
            if s <= 2048:
                # Without malloc tuning, PyTorch page-faults its S x S scores
                # in on every call.
                xf_ms, tuned, default = rounds(
                    xf(mlir, paths, reps),
                    peer(args + ["5"], env=TUNED), peer(args + ["5"]))
            else:
                # At S = 8192 an untuned call faults in 3 x 3.2 GB; one
                # round of the tuned configuration is all the time allows,
                # and PyTorch may run out of memory (24 GB here).
                xf_ms = xf(mlir, paths, reps)()
                out = run(args + ["1"], env=TUNED, may_fail=True)
                tuned, default = out and median_ms(out), None
            times[causal] = xf_ms
            rate = gflops(flop, xf_ms)
            record(case, xf_ms, "PyTorch 1.13 unfused, malloc tuned"
                   + ("" if tuned else " (failed)"), tuned,
                   xf_gflops=rate,
                   attention_over_gemm=round(rate / gemm_rate, 3))
            if default is not None:
                record(case, xf_ms, "PyTorch 1.13 unfused, default", default)
                record(case, xf_ms, "PyTorch 1.13, faster of the two",
                       min(default, tuned))
        record(f"attention S={s} causal/non-causal", times[True],
               "the same, non-causal", times[False],
               causal_time_ratio=round(times[True] / times[False], 3))


def peak_memory():
    """Peak resident memory of one xf attention at S = 8192 against the size
    of the scores it must never materialize."""
    s, heads = 8192, 12
    paths = [os.path.join(OUT, "data", f"{n}_{s}.npy") for n in "qkv"]
    mlir = os.path.join(OUT, "data", f"attention_{s}.mlir")
    proc = subprocess.Popen([XF_RUN, mlir] + [a for p in paths
                                             for a in ("--input", p)],
                            stdout=subprocess.DEVNULL,
                            env=dict(os.environ, **THREADS))
    _, status, usage = os.wait4(proc.pid, 0)
    peak_mb = usage.ru_maxrss / 1024
    scores_mb = heads * s * s * 4 / 2**20
    records.append({"case": "attention S=8192 peak RSS (MB)", "xf_ms": None,
                    "peer": "size of the S x S scores (MB)", "peer_ms": None,
                    "speedup": None, "xf_peak_rss_mb": round(peak_mb, 1),
                    "scores_mb": round(scores_mb, 1)})
    print(f"{'attention S=8192 peak RSS':34s} xf {peak_mb:10.1f} MB | the "
          f"S x S scores alone would be {scores_mb:.0f} MB", flush=True)


def encoder():
    d, heads, f = 768, 12, 3072
    for s in [128, 512]:
        directory = os.path.join(OUT, "data", f"encoder_{s}")
        os.makedirs(directory, exist_ok=True)
        w = lambda *shape: (rng.standard_normal(shape, dtype=np.float32) *
                            0.02).astype(np.float32)
        arrays = dict(x=rng.standard_normal((1, s, d), dtype=np.float32),
                      g1=1 + w(d), n1=w(d), wq=w(d, d), wk=w(d, d), wv=w(d, d),
                      wo=w(d, d), bq=w(d), bk=w(d), bv=w(d), bo=w(d),
                      g2=1 + w(d), n2=w(d), w1=w(f, d), w2=w(d, f), b1=w(f),
                      b2=w(d))
        for name, a in arrays.items():
            np.save(os.path.join(directory, name), a)
        np.save(os.path.join(directory, "heads"), np.array(heads))
        order = ["x", "g1", "n1", "wq", "wk", "wv", "wo", "bq", "bk", "bv",
                 "bo", "g2", "n2", "w1", "w2", "b1", "b2"]
        ty = lambda n: "tensor<" + "x".join(map(str, arrays[n].shape)) + "xf32>"
        sig = ", ".join(f"%{n}: {ty(n)}" for n in order)
        types = ", ".join(ty(n) for n in order)
        mlir = write_mlir(f"encoder_{s}.mlir", f"""
func.func @encoder(%{sig.replace('%', '', 1)}) -> {ty('x')} {{
  %y = xf.block %x heads {heads} norm layer_norm pre act gelu layout nk
      norm1(%g1, %n1) attn(%wq, %wk, %wv, %wo) q_bias %bq k_bias %bk
      v_bias %bv o_bias %bo norm2(%g2, %n2)
      mlp(up %w1 down %w2 up_bias %b1 down_bias %b2)
      : ({types}) -> {ty('x')}
  return %y : {ty('x')}
}}""")
        reps = 5 if QUICK else 20
        args = ["/usr/bin/python3", PEERS, "torch-encoder", directory,
                str(reps)]
        xf_ms, tuned, default = rounds(
            xf(mlir, [os.path.join(directory, n + ".npy") for n in order],
               reps, ["--constant-weights"]),
            peer(args, env=TUNED), peer(args))
        case = f"encoder block S={s}"
        record(case, xf_ms, "TransformerEncoderLayer, malloc tuned", tuned)
        record(case, xf_ms, "TransformerEncoderLayer, default", default)
        record(case, xf_ms, "TransformerEncoderLayer, faster of two",
               min(tuned, default))


def compile_time():
    gpt2 = os.path.join(HERE, "..", "examples", "gpt2_block.mlir")
    for extra, label in (([], "weights as arguments"),
                         (["--constant-weights"], "weights as constants")):
        out = run([XF_RUN, gpt2] + extra)
        seconds = float(re.search(r"compiled in ([0-9.]+) s", out).group(1))
        records.append({"case": f"compile GPT-2 block ({label})",
                        "xf_ms": round(seconds * 1e3, 1), "peer": None,
                        "peer_ms": None, "speedup": None})
        print(f"{'compile GPT-2 block':34s} xf {seconds * 1e3:10.1f} ms | "
              f"{label}", flush=True)


SECTIONS = ["gemm", "attention", "memory", "encoder", "compile",
            "whole-model", "decode",
            "prefill", "layouts", "varlen", "ort", "lowp-gemm", "lowp-decode",
            "sparse", "topk-ffn"]


def main():
    # --only a,b: just those sections (the FMA peak and the bandwidth are
    # always measured, since ratios are taken against them).
    only = SECTIONS
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1].split(",")
    os.makedirs(os.path.join(OUT, "data"), exist_ok=True)
    peak = fma_peak()
    records.append({"case": "fp32 FMA peak, 2 threads (GFLOP/s)",
                    "xf_ms": None, "peer": None, "peer_ms": None,
                    "speedup": None, "gflops": peak})
    print(f"{'fp32 FMA peak, 2 threads':34s} {peak:.1f} GFLOP/s", flush=True)
    llm.bandwidth()
    peers = None
    if {"decode", "prefill", "ort", "lowp-decode"} & set(only):
        peers = llm.install_peers()
    rates = {}
    if "gemm" in only:
        rates = gemms(peak)
    if "attention" in only:
        # Attention is held against the best of xf's GEMM rates.
        attention(max(rates.values()) if rates else peak)
    if "memory" in only:
        peak_memory()
    if "encoder" in only:
        encoder()
    if "compile" in only:
        compile_time()
    if "whole-model" in only:
        model.whole_models()
        model.imported_model()
    if "decode" in only:
        llm.decode(peers)
    if "prefill" in only:
        llm.prefill(peak, peers)
    if "layouts" in only:
        llm.layouts()
    if "varlen" in only:
        llm.varlen()
    if "ort" in only:
        llm.ort_attention(peers)
    if "lowp-gemm" in only:
        lowp.gemms(peak)
    if "lowp-decode" in only:
        lowp.decode(peers)
    if "sparse" in only:
        lowp.sparse()
    if "topk-ffn" in only:
        topk.topk_ffn()
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(records, f, indent=1)
    print(f"wrote {os.path.join(OUT, 'results.json')}")


if __name__ == "__main__":
    main()
