"""Exports small models with torch.onnx.export (Debian's python3-torch),
imports each with `xf-translate --import-onnx`, checks that the module
round-trips through `xf-opt`, runs it with `xf-run` on the inputs PyTorch
saw, and compares the results with PyTorch's. Prints, per model, the xf ops
it became and `max_rel_err_vs_torch=<e> ok` (or FAIL above 1e-4).

Also writes models the importer must refuse, for import.test: one with an
op it does not support (cumsum.onnx) and one with a dynamic batch size
(dynamic.onnx).

usage: import_torch.py BIN_DIR WORK_DIR
"""
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn

from onnx_testing import run

TOLERANCE = 1e-4
BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
torch.manual_seed(0)


class GeluMlp(nn.Module):
    """Pre-norm MLP with exact GELU and a residual (GPT-style), 3-D input."""

    def __init__(self, d=24, f=80):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.up = nn.Linear(d, f)
        self.down = nn.Linear(f, d)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.down(self.act(self.up(self.norm(x))))


class SiluGated(nn.Module):
    """A gated SiLU MLP on 2-D input (exported as Gemm), then ReLU."""

    def __init__(self, d=20, f=36):
        super().__init__()
        self.gate = nn.Linear(d, f, bias=False)
        self.up = nn.Linear(d, f)
        self.down = nn.Linear(f, d)

    def forward(self, x):
        h = nn.functional.silu(self.gate(x)) * self.up(x)
        return torch.relu(self.down(h))


class Scores(nn.Module):
    """Scaled products of two activations and a softmax (xf.matmul)."""

    def __init__(self, d=16):
        super().__init__()
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)

    def forward(self, x):
        s = torch.matmul(self.q(x), self.k(x).transpose(-1, -2).contiguous())
        return torch.softmax(s / 4.0 - 0.5, dim=-1)


class CausalBlock(nn.Module):
    """A GPT-style block: pre-norm, GELU, a causal mask as a constant."""

    def __init__(self, d=32, heads=4, seq=6):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(
            d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True,
            activation="gelu")
        self.register_buffer(
            "mask", torch.triu(torch.full((seq, seq), float("-inf")), 1))

    def forward(self, x):
        return self.layer(x, src_mask=self.mask)


class RmsNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(d) + 0.5)
        self.eps = eps

    def forward(self, x):
        rms = torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * rms * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaBlock(nn.Module):
    """RMSNorm, RoPE (rotate-half, cos/sin tables), GQA by repeating the
    key/value heads, a causal mask, SwiGLU: as LLaMA's reference code."""

    def __init__(self, d=32, heads=4, kv_heads=2, ffn=48, seq=6):
        super().__init__()
        self.heads, self.kv_heads, self.dh = heads, kv_heads, d // heads
        self.norm1, self.norm2 = RmsNorm(d), RmsNorm(d)
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, kv_heads * self.dh, bias=False)
        self.wv = nn.Linear(d, kv_heads * self.dh, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.gate = nn.Linear(d, ffn, bias=False)
        self.up = nn.Linear(d, ffn, bias=False)
        self.down = nn.Linear(ffn, d, bias=False)
        inv = 1.0 / (10000 ** (torch.arange(0, self.dh, 2).float() / self.dh))
        angles = torch.outer(torch.arange(seq).float(), inv)
        angles = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos", angles.cos())
        self.register_buffer("sin", angles.sin())
        self.register_buffer(
            "mask", torch.triu(torch.full((seq, seq), float("-inf")), 1))

    def forward(self, x):
        b, s, d = x.shape
        h = self.norm1(x)
        q = self.wq(h).view(b, s, self.heads, self.dh).transpose(1, 2)
        k = self.wk(h).view(b, s, self.kv_heads, self.dh).transpose(1, 2)
        v = self.wv(h).view(b, s, self.kv_heads, self.dh).transpose(1, 2)
        q = q * self.cos + rotate_half(q) * self.sin
        k = k * self.cos + rotate_half(k) * self.sin
        group = self.heads // self.kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        scores = q @ k.transpose(-1, -2) / self.dh ** 0.5 + self.mask
        a = torch.softmax(scores, dim=-1) @ v
        x = x + self.wo(a.transpose(1, 2).reshape(b, s, d))
        h = self.norm2(x)
        return x + self.down(nn.functional.silu(self.gate(h)) * self.up(h))


class LlamaOtherTables(LlamaBlock):
    """The same block with cos/sin tables that no theta gives: the rotation
    is imported as the arithmetic it is, not as xf.rope."""

    def __init__(self):
        super().__init__()
        self.cos.uniform_(-1, 1)
        self.sin.uniform_(-1, 1)


class LlamaPositions(LlamaBlock):
    """The block as Hugging Face writes it: cos/sin tables of more positions
    than the sequence, their rows gathered at the position ids the model
    takes as its second input (each sequence at its own offset)."""

    def __init__(self, positions=32):
        super().__init__()
        inv = 1.0 / (10000 ** (torch.arange(0, self.dh, 2).float() / self.dh))
        angles = torch.outer(torch.arange(positions).float(), inv)
        angles = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos_table", angles.cos())
        self.register_buffer("sin_table", angles.sin())

    def forward(self, x, positions):
        self.cos = self.cos_table[positions].unsqueeze(1)
        self.sin = self.sin_table[positions].unsqueeze(1)
        return super().forward(x)


class LlamaPositionsOtherViews(LlamaPositions):
    """Gathered tables broadcast by different Unsqueezes for cos and sin:
    imported as the arithmetic it is (the positions of one view are not
    those of the other), not as xf.rope."""

    def forward(self, x, positions):
        self.cos = self.cos_table[positions].unsqueeze(1)
        self.sin = self.sin_table[positions].unsqueeze(0)
        return LlamaBlock.forward(self, x)


class Layers(nn.Module):
    """Three pre-norm layers, exported with each layer as a call of one
    ONNX local function (export_modules_as_functions)."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(
            32, 4, 64, dropout=0.0, batch_first=True, norm_first=True,
            activation="gelu") for _ in range(3)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class TinyGpt(nn.Module):
    """A whole small GPT: token and position embeddings (Gathers of table
    rows, the positions a constant), two causal pre-norm layers, and the
    logits of the last token (a Gather of one sequence position) through
    the token table (tied weights)."""

    def __init__(self, vocab=50, d=32, heads=4, seq=7):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(seq, d)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(
            d, heads, 64, dropout=0.0, batch_first=True, norm_first=True,
            activation="gelu") for _ in range(2)])
        self.norm = nn.LayerNorm(d)
        self.register_buffer(
            "mask", torch.triu(torch.full((seq, seq), float("-inf")), 1))

    def forward(self, ids):
        h = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for layer in self.layers:
            h = layer(h, src_mask=self.mask)
        return self.norm(h[:, -1]) @ self.wte.weight.t()


class PaddedEncoder(nn.Module):
    """nn.TransformerEncoderLayer with a key padding mask (bool, True where
    a key is padding), which the exporter turns into an additive mask with
    Cast and Where on the input."""

    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0,
                                                batch_first=True)

    def forward(self, x, padding):
        return self.layer(x, src_key_padding_mask=padding)


INPUT_NAMES = {"padded_encoder": ["x", "padding"]}
AS_FUNCTIONS = {"layer_functions": {nn.TransformerEncoderLayer}}

MODELS = {
    "gelu_mlp": (GeluMlp(), (2, 7, 24)),
    "silu_gated": (SiluGated(), (5, 20)),
    "scores": (Scores(), (3, 6, 16)),
    # Sequence-first transposes, the fused in-projection sliced into q, k
    # and v, head splits by reshapes computed from shapes, scaled queries.
    "encoder": (nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0,
                                           batch_first=True,
                                           activation="gelu"), (2, 5, 32)),
    "encoder_pre_norm": (nn.TransformerEncoderLayer(48, 6, 96, dropout=0.0,
                                                    batch_first=True,
                                                    norm_first=True),
                         (3, 9, 48)),
    "causal_block": (CausalBlock(), (2, 6, 32)),
    "llama_block": (LlamaBlock(), (2, 6, 32)),
    "llama_other_tables": (LlamaOtherTables(), (2, 6, 32)),
    "llama_positions": (LlamaPositions(), [
        torch.randn(2, 6, 32),
        torch.stack([torch.arange(6) + 3, torch.arange(6) + 20])]),
    "llama_positions_other_views": (LlamaPositionsOtherViews(), [
        torch.randn(1, 6, 32), (torch.arange(6) + 9)[None]]),
    # A whole small model: three pre-norm layers.
    "three_layers": (nn.TransformerEncoder(
        nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True,
                                   norm_first=True, activation="gelu"),
        3, enable_nested_tensor=False), (2, 6, 32)),
    "layer_functions": (Layers(), (2, 6, 32)),
    # The second sequence's last two keys are padding.
    "padded_encoder": (PaddedEncoder(), [
        torch.randn(2, 6, 32), torch.tensor([[False] * 6,
                                             [False] * 4 + [True] * 2])]),
    "tiny_gpt": (TinyGpt(), torch.randint(0, 50, (2, 7))),
}


for name, (model, shape) in MODELS.items():
    model.eval()
    # A shape draws a float input; token ids come as they are, and a list
    # holds every input.
    inputs = (shape if isinstance(shape, list) else
              [shape if isinstance(shape, torch.Tensor)
               else torch.randn(*shape)])
    onnx_path = os.path.join(WORK, name + ".onnx")
    torch.onnx.export(model, tuple(inputs), onnx_path, opset_version=17,
                      input_names=INPUT_NAMES.get(
                          name, ["x", "positions"])[:len(inputs)],
                      output_names=["y"],
                      export_modules_as_functions=AS_FUNCTIONS.get(name,
                                                                   False))
    mlir_path = os.path.join(WORK, name + ".mlir")
    run([os.path.join(BIN, "xf-translate"), "--import-onnx", onnx_path,
         "-o", mlir_path])
    text = open(mlir_path).read()
    # The import round-trips: xf-opt prints it, and prints that the same.
    printed_path = os.path.join(WORK, name + ".printed.mlir")
    run([os.path.join(BIN, "xf-opt"), mlir_path, "-o", printed_path])
    if run([os.path.join(BIN, "xf-opt"), printed_path]) != \
            open(printed_path).read():
        sys.exit(f"{name}: xf-opt does not print the import stably")
    ops = sorted(set(re.findall(r"= (xf\.[a-z_]+)", text)))
    paths = []
    for i, value in enumerate(inputs):
        paths.append(os.path.join(WORK, f"{name}_in{i}.npy"))
        np.save(paths[-1], value.numpy())
    out_dir = os.path.join(WORK, name + "_out")
    run([os.path.join(BIN, "xf-run"), mlir_path, "--dump-output", out_dir] +
        [a for p in paths for a in ("--input", p)])
    got = np.load(os.path.join(out_dir, "output0.npy"))
    with torch.no_grad():
        want = model(*inputs).numpy()
    err = float(np.max(np.abs(got - want)) / (np.max(np.abs(want)) + 1e-30))
    verdict = "ok" if err <= TOLERANCE else "FAIL"
    print(f"{name}: {' '.join(ops)} max_rel_err_vs_torch={err:.2e} {verdict}")


class CumSum(nn.Module):
    def forward(self, x):
        return torch.cumsum(x, dim=-1)


torch.onnx.export(CumSum(), (torch.randn(2, 3),),
                  os.path.join(WORK, "cumsum.onnx"), opset_version=17)
torch.onnx.export(GeluMlp(), (torch.randn(2, 7, 24),),
                  os.path.join(WORK, "dynamic.onnx"), opset_version=17,
                  input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
