//===- Kernels.cpp - reference semantics of the xf ops --------------------===//
//
// Naive double-precision loops written from the op descriptions in
// dialects/xf/*.td. Correctness and readability come first; loop orders only
// avoid gross waste (rows are streamed, per-row values computed once).
// Shapes are assumed verified, but every kernel still checks what it indexes
// and aborts with a message instead of reading out of bounds.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include "KernelSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <string>

using namespace mlir::xf::ref;
using namespace mlir::xf::ref::detail;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// The NumPy broadcast of two shapes (aligned at the innermost dimension).
Shape broadcastShape(const Shape &a, const Shape &b, const char *kernel) {
  Shape out(std::max(a.size(), b.size()));
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    require(da == db || da == 1 || db == 1, kernel,
            "shapes do not broadcast:", {&a, &b});
    out[out.size() - 1 - i] = da == 1 ? db : da;
  }
  return out;
}

/// A strided matrix: element (i, j) is data[i * rowStride + j * colStride].
struct MatView {
  const double *data;
  int64_t rowStride, colStride;
  double at(int64_t i, int64_t j) const {
    return data[i * rowStride + j * colStride];
  }
};

/// c[m x n] (contiguous, overwritten) = a[m x k] b[k x n], in i-k-j order
/// so that the inner loop streams rows of b and c. A b whose rows are not
/// contiguous (a transposed or nk weight) is first copied into a k x n
/// buffer; the copy is cheap next to the m * k * n products.
void gemm(MatView a, MatView b, double *c, int64_t m, int64_t k, int64_t n) {
  std::vector<double> packed;
  if (b.colStride != 1) {
    packed.resize(static_cast<size_t>(k * n));
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < n; ++j)
        packed[p * n + j] = b.at(p, j);
    b = MatView{packed.data(), n, 1};
  }
  std::fill(c, c + m * n, 0.0);
  for (int64_t i = 0; i < m; ++i) {
    double *cRow = c + i * n;
    for (int64_t p = 0; p < k; ++p) {
      double aip = a.at(i, p);
      const double *bRow = b.data + p * b.rowStride;
      for (int64_t j = 0; j < n; ++j)
        cRow[j] += aip * bRow[j];
    }
  }
}

/// (x - mean) / sqrt(var + eps) * weight + bias over the last dimension.
/// RMS norm is this with the mean fixed at zero (so var = mean(x^2)).
Tensor normalizeRows(const Tensor &x, const Tensor &weight, const Tensor *bias,
                     double eps, bool center, const char *kernel) {
  requireData(kernel, {&x, &weight, bias});
  require(x.rank() >= 1, kernel, "expects rank >= 1");
  int64_t d = x.dim(-1);
  require(weight.shape == Shape{d}, kernel, "weight shape mismatch",
          {&weight.shape, &x.shape});
  require(!bias || bias->shape == Shape{d}, kernel, "bias shape mismatch",
          {&x.shape});
  Tensor y(x.shape);
  int64_t rows = product(dropBack(x.shape, 1));
  for (int64_t r = 0; r < rows; ++r) {
    const double *in = x.data.data() + r * d;
    double *out = y.data.data() + r * d;
    double mean = 0.0;
    if (center) {
      for (int64_t i = 0; i < d; ++i)
        mean += in[i];
      mean /= static_cast<double>(d);
    }
    double var = 0.0;
    for (int64_t i = 0; i < d; ++i)
      var += (in[i] - mean) * (in[i] - mean);
    var /= static_cast<double>(d);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < d; ++i)
      out[i] =
          (in[i] - mean) * inv * weight.data[i] + (bias ? bias->data[i] : 0.0);
  }
  return y;
}

template <typename Fn>
Tensor broadcastBinary(const Tensor &a, const Tensor &b, Fn fn,
                       const char *kernel) {
  requireData(kernel, {&a, &b});
  Tensor y(broadcastShape(a.shape, b.shape, kernel));
  BroadcastMap am(a.shape, y.shape, kernel), bm(b.shape, y.shape, kernel);
  for (int64_t i = 0; i < y.size(); ++i)
    y.data[i] = fn(a.data[am.offset(i)], b.data[bm.offset(i)]);
  return y;
}

} // namespace

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

Tensor::Tensor(std::vector<int64_t> shape, double fill)
    : shape(std::move(shape)) {
  for (int64_t d : this->shape)
    require(d >= 0, "Tensor", "negative dimension", {&this->shape});
  data.assign(static_cast<size_t>(product(this->shape)), fill);
}

int64_t Tensor::dim(int64_t i) const {
  int64_t j = i < 0 ? i + rank() : i;
  require(j >= 0 && j < rank(), "Tensor::dim", "dimension out of range",
          {&shape});
  return shape[j];
}

//===----------------------------------------------------------------------===//
// Primitive ops
//===----------------------------------------------------------------------===//

Tensor mlir::xf::ref::dequantize(const IndexTensor &q, const Tensor &scales,
                                 int64_t axis, std::optional<int64_t> group) {
  Tensor out(q.shape);
  int64_t rows = q.shape[0], cols = q.shape[1];
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t c = axis == 0 ? i : j, k = axis == 0 ? j : i;
      double s = group ? scales.data[c * scales.shape[1] + k / *group]
                       : scales.data[c];
      out.data[i * cols + j] = static_cast<double>(q.data[i * cols + j]) * s;
    }
  return out;
}

Tensor mlir::xf::ref::linear(const Tensor &x, const Tensor &w, Layout layout,
                             const Tensor *bias, std::optional<Activation> act,
                             const Tensor *residual) {
  requireData("linear", {&x, &w, bias, residual});
  require(x.rank() >= 1 && w.rank() == 2, "linear",
          "expects x of rank >= 1 and a 2-D weight", {&x.shape, &w.shape});
  bool kn = layout == Layout::KN;
  int64_t k = x.dim(-1), n = kn ? w.shape[1] : w.shape[0];
  require((kn ? w.shape[0] : w.shape[1]) == k, "linear",
          "weight does not match the input features", {&x.shape, &w.shape});
  require(!bias || bias->shape == Shape{n}, "linear", "bias must be [N]",
          {&w.shape});
  Shape shape = x.shape;
  shape.back() = n;
  require(!residual || residual->shape == shape, "linear",
          "residual must have the result's shape", {&shape});
  Tensor y(shape);
  Tensor in = roundInputs(x, w.rounding, layout);
  // kn: W(p, j) = w[p * n + j]; nk: W(p, j) = w[j * k + p].
  MatView wv = kn ? MatView{w.data.data(), n, 1} : MatView{w.data.data(), 1, k};
  gemm(MatView{in.data.data(), k, 1}, wv, y.data.data(),
       product(dropBack(x.shape, 1)), k, n);
  for (int64_t i = 0; i < y.size(); ++i) {
    double v = y.data[i] + (bias ? bias->data[i % n] : 0.0);
    if (act)
      v = applyActivation(v, *act);
    y.data[i] = v + (residual ? residual->data[i] : 0.0);
  }
  return y;
}

Tensor mlir::xf::ref::matmul(const Tensor &a, const Tensor &b, bool transposeA,
                             bool transposeB) {
  requireData("matmul", {&a, &b});
  require(a.rank() >= 2 && b.rank() >= 2, "matmul",
          "expects operands of rank >= 2", {&a.shape, &b.shape});
  int64_t aRows = a.dim(-2), aCols = a.dim(-1);
  int64_t bRows = b.dim(-2), bCols = b.dim(-1);
  int64_t m = transposeA ? aCols : aRows, k = transposeA ? aRows : aCols;
  int64_t n = transposeB ? bRows : bCols;
  require((transposeB ? bCols : bRows) == k, "matmul",
          "contraction sizes differ", {&a.shape, &b.shape});
  Shape aBatch = dropBack(a.shape, 2), bBatch = dropBack(b.shape, 2);
  Shape shape = broadcastShape(aBatch, bBatch, "matmul");
  BroadcastMap am(aBatch, shape, "matmul"), bm(bBatch, shape, "matmul");
  int64_t batches = product(shape);
  shape.push_back(m);
  shape.push_back(n);
  Tensor y(shape);
  for (int64_t i = 0; i < batches; ++i) {
    const double *ap = a.data.data() + am.offset(i) * aRows * aCols;
    const double *bp = b.data.data() + bm.offset(i) * bRows * bCols;
    MatView av = transposeA ? MatView{ap, 1, aCols} : MatView{ap, aCols, 1};
    MatView bv = transposeB ? MatView{bp, 1, bCols} : MatView{bp, bCols, 1};
    gemm(av, bv, y.data.data() + i * m * n, m, k, n);
  }
  return y;
}

Tensor mlir::xf::ref::layerNorm(const Tensor &x, const Tensor &weight,
                                const Tensor *bias, double eps) {
  return normalizeRows(x, weight, bias, eps, /*center=*/true, "layerNorm");
}

Tensor mlir::xf::ref::rmsNorm(const Tensor &x, const Tensor &weight,
                              double eps) {
  return normalizeRows(x, weight, nullptr, eps, /*center=*/false, "rmsNorm");
}

Tensor mlir::xf::ref::softmax(const Tensor &x, int64_t axis) {
  requireData("softmax", {&x});
  int64_t ax = axis < 0 ? axis + x.rank() : axis;
  require(ax >= 0 && ax < x.rank(), "softmax", "axis out of range", {&x.shape});
  int64_t n = x.shape[ax];
  int64_t outer = product(x.shape, 0, ax);
  int64_t inner = product(x.shape, ax + 1, x.shape.size());
  Tensor y = x;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      softmaxStrided(y.data.data() + o * n * inner + i, n, inner);
  return y;
}

Tensor mlir::xf::ref::activation(const Tensor &x, Activation act) {
  Tensor y = x;
  for (double &v : y.data)
    v = applyActivation(v, act);
  return y;
}

Tensor mlir::xf::ref::gatedUnit(const Tensor &gate, const Tensor &up,
                                Activation act) {
  requireData("gatedUnit", {&gate, &up});
  require(gate.shape == up.shape, "gatedUnit",
          "expects gate and up of the same shape", {&gate.shape, &up.shape});
  Tensor y(gate.shape);
  for (int64_t i = 0; i < y.size(); ++i)
    y.data[i] = applyActivation(gate.data[i], act) * up.data[i];
  return y;
}

Tensor mlir::xf::ref::rope(const Tensor &x, const IndexTensor *positions,
                           const IndexTensor *seqOffsets, int64_t headDim,
                           int64_t rotaryDim, double theta, RopeStyle style) {
  requireData("rope", {&x});
  require(x.rank() >= 2, "rope", "expects [..., S, H * head_dim]", {&x.shape});
  int64_t s = x.dim(-2), features = x.dim(-1);
  require(headDim >= 1 && features % headDim == 0, "rope",
          "features are not a multiple of head_dim", {&x.shape});
  require(rotaryDim >= 0 && rotaryDim % 2 == 0 && rotaryDim <= headDim, "rope",
          "expects an even rotary_dim <= head_dim");
  int64_t rows = product(dropBack(x.shape, 1));
  Shape perBatch = dropBack(x.shape, 1);
  require(!positions || positions->shape == Shape{s} ||
              positions->shape == perBatch,
          "rope", "positions must be [S] or [..., S]", {&x.shape});
  if (seqOffsets)
    requireOffsets("rope", *seqOffsets, s);
  auto positionOf = [&](int64_t r) -> double {
    if (positions)
      return static_cast<double>(
          positions->data[positions->shape.size() == 1 ? r % s : r]);
    if (seqOffsets) {
      int64_t q = sequenceOf(*seqOffsets, r);
      return q < 0 ? 0.0 : static_cast<double>(r - seqOffsets->data[q]);
    }
    return static_cast<double>(r % s);
  };
  int64_t half = rotaryDim / 2;
  Tensor y = x;
  for (int64_t r = 0; r < rows; ++r) {
    double pos = positionOf(r);
    for (int64_t p = 0; p < half; ++p) {
      double angle =
          pos * std::pow(theta, -2.0 * static_cast<double>(p) / rotaryDim);
      double c = std::cos(angle), sn = std::sin(angle);
      for (int64_t h = 0; h < features / headDim; ++h) {
        double *head = y.data.data() + r * features + h * headDim;
        int64_t ia = style == RopeStyle::Half ? p : 2 * p;
        int64_t ib = style == RopeStyle::Half ? p + half : 2 * p + 1;
        double a = head[ia], b = head[ib];
        head[ia] = a * c - b * sn;
        head[ib] = b * c + a * sn;
      }
    }
  }
  return y;
}

Tensor mlir::xf::ref::embedding(const Tensor &table, const IndexTensor &ids) {
  requireData("embedding", {&table});
  require(table.rank() == 2 && table.shape[0] >= 1, "embedding",
          "expects a non-empty [V, D] table", {&table.shape});
  require(static_cast<int64_t>(ids.data.size()) == product(ids.shape),
          "embedding", "ids data does not match its shape", {&ids.shape});
  int64_t vocab = table.shape[0], d = table.shape[1];
  Shape shape = ids.shape;
  shape.push_back(d);
  Tensor y(shape);
  for (size_t i = 0; i < ids.data.size(); ++i) {
    int64_t id = std::min(std::max<int64_t>(ids.data[i], 0), vocab - 1);
    std::copy_n(table.data.begin() + id * d, d, y.data.begin() + i * d);
  }
  return y;
}

Tensor mlir::xf::ref::add(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, [](double x, double y) { return x + y; }, "add");
}

Tensor mlir::xf::ref::mul(const Tensor &a, const Tensor &b) {
  return broadcastBinary(a, b, [](double x, double y) { return x * y; }, "mul");
}

//===----------------------------------------------------------------------===//
// Composite ops (attention: Attention.cpp)
//===----------------------------------------------------------------------===//

Tensor mlir::xf::ref::mlp(const Tensor &x, const MlpWeights &w, Activation act,
                          Layout layout, const MlpTopK *topK) {
  require(w.up && w.down, "mlp", "expects up and down weights");
  require(w.gate || !w.gateBias, "mlp", "has a gate bias but no gate");
  if (topK)
    return topKMlp(x, w, act, layout, *topK);
  Tensor hidden = w.gate ? gatedUnit(linear(x, *w.gate, layout, w.gateBias),
                                     linear(x, *w.up, layout, w.upBias), act)
                         : linear(x, *w.up, layout, w.upBias, act);
  return linear(hidden, *w.down, layout, w.downBias);
}

std::vector<Tensor> mlir::xf::ref::block(const Tensor &x, const BlockWeights &w,
                                         const BlockParams &p) {
  require(w.norm1Weight && w.norm2Weight && w.q && w.k && w.v && w.o, "block",
          "expects norm and attention weights");
  require(p.norm == NormKind::LayerNorm || (!w.norm1Bias && !w.norm2Bias),
          "block", "rms_norm takes no bias");
  require(!w.keyCache == !w.valueCache && !w.keyCache == !w.kvLen, "block",
          "expects both caches and kv_len, or none");
  auto norm = [&](const Tensor &t, const Tensor *weight, const Tensor *bias) {
    return p.norm == NormKind::RmsNorm ? rmsNorm(t, *weight, p.eps)
                                       : layerNorm(t, *weight, bias, p.eps);
  };
  std::vector<Tensor> caches;
  auto attn = [&](const Tensor &t) {
    Tensor q = linear(t, *w.q, p.layout, w.qBias);
    Tensor k = linear(t, *w.k, p.layout, w.kBias);
    Tensor v = linear(t, *w.v, p.layout, w.vBias);
    if (p.ropeTheta) {
      require(q.dim(-1) % p.attention.numHeads == 0, "block",
              "query features are not a multiple of the heads", {&q.shape});
      int64_t headDim = q.dim(-1) / p.attention.numHeads;
      int64_t rot = p.rotaryDim.value_or(headDim);
      q = rope(q, w.positions, w.seqOffsets, headDim, rot, *p.ropeTheta,
               p.ropeStyle);
      k = rope(k, w.positions, w.seqOffsets, headDim, rot, *p.ropeTheta,
               p.ropeStyle);
    }
    AttentionParams ap = p.attention;
    ap.kvLen = w.kvLen;
    ap.seqOffsets = w.seqOffsets;
    if (w.keyCache) {
      caches = {cacheWrite(k, *w.keyCache, *w.kvLen),
                cacheWrite(v, *w.valueCache, *w.kvLen)};
      k = caches[0];
      v = caches[1];
    }
    Tensor a = attention(q, k, v, w.mask, ap);
    return linear(a, *w.o, p.layout, w.oBias);
  };
  auto ffn = [&](const Tensor &t) {
    return mlp(t, w.mlp, p.act, p.layout, p.topK ? &*p.topK : nullptr);
  };

  std::vector<Tensor> results;
  if (p.placement == NormPlacement::Pre) {
    Tensor h = add(x, attn(norm(x, w.norm1Weight, w.norm1Bias)));
    results.push_back(add(h, ffn(norm(h, w.norm2Weight, w.norm2Bias))));
  } else {
    Tensor h = norm(add(x, attn(x)), w.norm1Weight, w.norm1Bias);
    results.push_back(norm(add(h, ffn(h)), w.norm2Weight, w.norm2Bias));
  }
  results.insert(results.end(), caches.begin(), caches.end());
  return results;
}
