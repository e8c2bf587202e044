"""python/xf.py against NumPy: a linear with its epilogue and a top-k MLP
compiled and called on arrays (the top-k one checked against a NumPy top-k
FFN), and the errors a caller gets for bad input (program.test)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(sys.argv[1], "python"))
os.environ["XF_C_LIBRARY"] = sys.argv[2]
import xf  # noqa: E402

LINEAR = """
func.func @linear(%x: tensor<5x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>)
    -> tensor<5x8xf32> {
  %y = xf.linear %x, %w bias %b act relu
      : (tensor<5x16xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<5x8xf32>
  return %y : tensor<5x8xf32>
}
func.func @top_k(%x: tensor<3x16xf32>, %wu: tensor<16x40xf32>,
                 %wd: tensor<40x16xf32>) -> tensor<3x16xf32> {
  %y = xf.mlp %x up %wu down %wd act relu top_k 6 predictor_features 16
      : (tensor<3x16xf32>, tensor<16x40xf32>, tensor<40x16xf32>) -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}
"""

rng = np.random.default_rng(0)
x = rng.standard_normal((5, 16), dtype=np.float32)
w = rng.standard_normal((16, 8), dtype=np.float32)
b = rng.standard_normal(8, dtype=np.float32)
linear = xf.Program(LINEAR, "linear")
print("inputs", linear.inputs)
(y,) = linear(x, w, b)
ref = np.maximum(x.astype(np.float64) @ w + b, 0)
print("linear max_rel_err %.1e" % (np.abs(y - ref).max() / np.abs(ref).max()))
# The weights are packed once per weight buffer: another array is packed
# again; the same array changed in place needs repack().
w2 = 2 * w
(y2,) = linear(x, w2, b)
ref2 = np.maximum(x.astype(np.float64) @ w2 + b, 0)
print("new weights max_rel_err %.1e" % (np.abs(y2 - ref2).max() / np.abs(ref2).max()))
w2 *= -1
(y3,) = linear(x, w2, b)
print("changed in place, stale:", bool(np.allclose(y3, y2)))
linear.repack()
(y3,) = linear(x, w2, b)
ref3 = np.maximum(x.astype(np.float64) @ w2 + b, 0)
print("repacked max_rel_err %.1e" % (np.abs(y3 - ref3).max() / np.abs(ref3).max()))

top_k = xf.Program(LINEAR, "top_k", "threads=1")
xs = rng.standard_normal((3, 16), dtype=np.float32)
wu = rng.standard_normal((16, 40), dtype=np.float32)
wd = rng.standard_normal((40, 16), dtype=np.float32)
(t,) = top_k(xs, wu, wd)
h = xs.astype(np.float64) @ wu
keep = np.zeros_like(h, dtype=bool)
np.put_along_axis(keep, np.argsort(-h, axis=1, kind="stable")[:, :6], True, 1)
tref = np.where(keep, np.maximum(h, 0), 0) @ wd
print("top_k max_rel_err %.1e" % (np.abs(t - tref).max() / np.abs(tref).max()))

# Low-precision weights: bf16 as its uint16 bits, int8 with scales.
LOWP = """
func.func @lowp(%x: tensor<4x32xf32>, %w: tensor<32x16xbf16>, %q: tensor<16x8xi8>,
                %s: tensor<8xf32>) -> tensor<4x8xf32> {
  %h = xf.linear %x, %w : (tensor<4x32xf32>, tensor<32x16xbf16>) -> tensor<4x16xf32>
  %wq = xf.dequantize %q scales %s axis 1 : (tensor<16x8xi8>, tensor<8xf32>) -> tensor<16x8xf32>
  %y = xf.linear %h, %wq : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
"""
lowp = xf.Program(LOWP, "lowp")
print("lowp inputs", [str(d) for _, d in lowp.inputs])
xl = rng.standard_normal((4, 32), dtype=np.float32)
wl = xf.bf16_bits(rng.standard_normal((32, 16), dtype=np.float32))
q = rng.integers(-127, 128, (16, 8), dtype=np.int8)
s = rng.random(8, dtype=np.float32) / 64
(yl,) = lowp(xl, wl, q, s)
lref = (xl.astype(np.float64) @ xf.bf16_values(wl)) @ (q * s.astype(np.float64))
# The bf16 rounding of x in the first GEMM: 2^-8 relative per product.
print("lowp max_rel_err %.1e" % (np.abs(yl - lref).max() / np.abs(lref).max()))
print("bf16 bits of 1, -2.5, 1+2^-8, 1+3*2^-8, nan, -nan:",
      [hex(v) for v in xf.bf16_bits(
          np.array([1, -2.5, 1 + 2**-8, 1 + 3 * 2**-8, np.nan, -np.nan]))])

for what, call in [
        ("bf16 as float32", lambda: lowp(xl, xf.bf16_values(wl), q, s)),
        ("wrong shape", lambda: linear(x[:4], w, b)),
        ("wrong type", lambda: linear(x.astype(np.float64), w, b)),
        ("missing input", lambda: linear(x, w)),
        ("unknown function", lambda: xf.Program(LINEAR, "nope")),
        ("malformed module", lambda: xf.Program("func.func @f(", "f")),
        ("bad options", lambda: xf.Program(LINEAR, "linear", "threads=x"))]:
    try:
        call()
        print(what, "-> no error")
    except xf.Error as e:
        print(what, "->", str(e).splitlines()[0])
