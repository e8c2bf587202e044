"""Whole models: a chain of N GPT-2-small blocks (d=768, 12 heads, MLP
3072, S=128) compiled by xf-run with the weights as arguments and as
constants, with identical layers outlined (the default) and as written
(outline-layers=false). Reports compile time, the peak memory of the xf-run
process (which also holds the weights it drew: the weight bytes are printed
beside it) and the run time. Then the same model as PyTorch exports it to
ONNX (nn.TransformerEncoder, no local functions: primitives, layer after
layer), imported by xf-run, outlined by the repeats xf-outline-layers finds,
and checked against PyTorch's output."""
import os
import re
import subprocess

import numpy as np

from common import OUT, QUICK, THREADS, XF_RUN, records

D, F, S = 768, 3072, 128


def _t(*shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


_WEIGHTS = [("ln1_g", (D,)), ("ln1_b", (D,)), ("wq", (D, D)), ("wk", (D, D)),
            ("wv", (D, D)), ("wo", (D, D)), ("bq", (D,)), ("bk", (D,)),
            ("bv", (D,)), ("bo", (D,)), ("ln2_g", (D,)), ("ln2_b", (D,)),
            ("w_fc", (D, F)), ("w_proj", (F, D)), ("b_fc", (F,)),
            ("b_proj", (D,))]


def gpt2_model(layers):
    """The MLIR text of `layers` chained GPT-2-small blocks, and the bytes of
    their weights."""
    x = _t(1, S, D)
    args = [f"%x: {x}"] + [f"%{n}{i}: {_t(*s)}" for i in range(layers)
                           for n, s in _WEIGHTS]
    lines = [f"func.func @gpt2(" + ", ".join(args) + f") -> {x} {{"]
    cur = "%x"
    types = ", ".join([x] + [_t(*s) for _, s in _WEIGHTS])
    for i in range(layers):
        w = {n: f"%{n}{i}" for n, _ in _WEIGHTS}
        lines.append(
            f"  %h{i} = xf.block {cur} heads 12 causal norm layer_norm pre "
            f"eps 1.0e-05 act gelu_tanh norm1({w['ln1_g']}, {w['ln1_b']}) "
            f"attn({w['wq']}, {w['wk']}, {w['wv']}, {w['wo']}) "
            f"q_bias {w['bq']} k_bias {w['bk']} v_bias {w['bv']} "
            f"o_bias {w['bo']} norm2({w['ln2_g']}, {w['ln2_b']}) "
            f"mlp(up {w['w_fc']} down {w['w_proj']} up_bias {w['b_fc']} "
            f"down_bias {w['b_proj']}) : ({types}) -> {x}")
        cur = f"%h{i}"
    lines.append(f"  return {cur} : {x}\n}}")
    params = sum(int.__mul__(*s) if len(s) == 2 else s[0] for _, s in _WEIGHTS)
    return "\n".join(lines) + "\n", 4 * params * layers


def _measure(path, extra, inputs=()):
    """Compile seconds, peak RSS in MB and median run ms of one xf-run."""
    proc = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M", XF_RUN,
                           path, "--bench", "5"] + list(inputs) + extra,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env=dict(os.environ, **THREADS))
    if proc.returncode != 0:
        raise SystemExit(f"bench: xf-run {path} failed:\n{proc.stdout}")
    out = proc.stdout
    compile_s = float(re.search(r"compiled in ([0-9.]+) s", out).group(1))
    rss_mb = int(re.search(r"maxrss_kb=(\d+)", out).group(1)) / 1024
    run_ms = float(re.search(r"median ([0-9.]+) ms", out).group(1))
    return compile_s, rss_mb, run_ms


def whole_models():
    depths = [1, 12] if QUICK else [1, 4, 12]
    for layers in depths:
        text, weight_bytes = gpt2_model(layers)
        path = os.path.join(OUT, "data", f"gpt2_{layers}_layers.mlir")
        with open(path, "w") as f:
            f.write(text)
        for extra, label in (([], "weights as arguments"),
                             (["--constant-weights"], "weights as constants")):
            outlined = _measure(path, extra)
            written = _measure(path, extra + ["--pipeline-options",
                                              "outline-layers=false"])
            case = f"GPT-2 small x{layers}, S={S} ({label})"
            records.append({
                "case": case, "xf_ms": outlined[2], "peer": "as written",
                "peer_ms": written[2],
                "speedup": round(written[2] / outlined[2], 2),
                "compile_s": outlined[0], "compile_s_as_written": written[0],
                "peak_rss_mb": round(outlined[1]),
                "peak_rss_mb_as_written": round(written[1]),
                "weight_mb": round(weight_bytes / 2**20)})
            print(f"{case:52s} compile {outlined[0]:6.2f} s (as written "
                  f"{written[0]:6.2f} s) | peak {outlined[1]:6.0f} MB (as "
                  f"written {written[1]:6.0f} MB, weights "
                  f"{weight_bytes / 2**20:4.0f} MB) | run {outlined[2]:7.2f}"
                  f" ms (as written {written[2]:7.2f} ms)", flush=True)


def imported_model(layers=12):
    """The GPT-2-small-size encoder exported by torch.onnx.export, each
    layer's weights its own, imported and compiled with its layers outlined
    and as written."""
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(D, 12, F, dropout=0.0,
                                       batch_first=True, norm_first=True,
                                       activation="gelu")
    model = nn.TransformerEncoder(layer, layers,
                                  enable_nested_tensor=False).eval()
    for p in model.parameters():
        nn.init.normal_(p, std=0.02)
    x = torch.randn(1, S, D)
    onnx_path = os.path.join(OUT, "data", f"encoder_{layers}_layers.onnx")
    x_path = os.path.join(OUT, "data", "encoder_x.npy")
    torch.onnx.export(model, (x,), onnx_path, opset_version=17,
                      input_names=["x"], output_names=["y"])
    np.save(x_path, x.numpy())
    inputs = ["--input", x_path]
    out_dir = os.path.join(OUT, "data", "encoder_out")
    subprocess.run([XF_RUN, onnx_path, "--dump-output", out_dir] + inputs,
                   check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, **THREADS))
    with torch.no_grad():
        want = model(x).numpy()
    got = np.load(os.path.join(out_dir, "output0.npy"))
    err = float(np.abs(got - want).max() / np.abs(want).max())
    outlined = _measure(onnx_path, [], inputs)
    written = _measure(onnx_path, ["--pipeline-options",
                                   "outline-layers=false"], inputs)
    case = f"GPT-2 small x{layers} from ONNX, S={S} (constants)"
    records.append({
        "case": case, "xf_ms": outlined[2], "peer": "as written",
        "peer_ms": written[2], "speedup": round(written[2] / outlined[2], 2),
        "compile_s": outlined[0], "compile_s_as_written": written[0],
        "peak_rss_mb": round(outlined[1]),
        "peak_rss_mb_as_written": round(written[1]),
        "max_rel_err_vs_torch": err})
    print(f"{case:52s} compile {outlined[0]:6.2f} s (as written "
          f"{written[0]:6.2f} s) | peak {outlined[1]:6.0f} MB (as written "
          f"{written[1]:6.0f} MB) | run {outlined[2]:7.2f} ms (as written "
          f"{written[2]:7.2f} ms) | max rel err vs torch {err:.1e}",
          flush=True)
