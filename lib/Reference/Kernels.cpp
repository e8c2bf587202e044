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

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <string>

using namespace mlir::xf::ref;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

using Shape = std::vector<int64_t>;

std::string formatShape(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Aborts with a message naming the kernel when an invariant does not hold;
/// the project builds without exceptions.
void require(bool ok, const char *kernel, const char *what,
             const std::vector<const Shape *> &shapes = {}) {
  if (ok)
    return;
  std::string msg;
  for (const Shape *s : shapes)
    msg += " " + formatShape(*s);
  std::fprintf(stderr, "mlir::xf::ref::%s: %s%s\n", kernel, what, msg.c_str());
  std::abort();
}

int64_t product(const Shape &shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end; ++i)
    n *= shape[i];
  return n;
}

int64_t product(const Shape &shape) { return product(shape, 0, shape.size()); }

/// Checks that each present tensor holds as many values as its shape says,
/// so that indexing derived from the shapes stays in bounds.
void requireData(const char *kernel,
                 std::initializer_list<const Tensor *> tensors) {
  for (const Tensor *t : tensors)
    if (t)
      require(t->size() == product(t->shape), kernel,
              "tensor data does not match its shape", {&t->shape});
}

/// `shape` without its last `n` dimensions.
Shape dropBack(const Shape &shape, size_t n) {
  return Shape(shape.begin(), shape.end() - static_cast<ptrdiff_t>(n));
}

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

/// Maps flat indices of a row-major tensor of shape `out` to offsets in a
/// row-major operand of shape `in` that broadcasts to `out`: broadcast
/// (size-1 or missing) dimensions get stride 0.
class BroadcastMap {
public:
  BroadcastMap(const Shape &in, const Shape &out, const char *kernel)
      : outShape(out), strides(out.size(), 0) {
    require(in.size() <= out.size(), kernel, "operand of higher rank than",
            {&in, &out});
    int64_t stride = 1;
    for (size_t i = 0; i < in.size(); ++i) {
      size_t di = in.size() - 1 - i, dout = out.size() - 1 - i;
      require(in[di] == out[dout] || in[di] == 1, kernel,
              "operand does not broadcast to", {&in, &out});
      if (in[di] != 1)
        strides[dout] = stride;
      stride *= in[di];
    }
  }

  int64_t offset(int64_t flat) const {
    int64_t off = 0;
    for (size_t d = outShape.size(); d-- > 0;) {
      off += (flat % outShape[d]) * strides[d];
      flat /= outShape[d];
    }
    return off;
  }

  int64_t innermostStride() const {
    return strides.empty() ? 0 : strides.back();
  }

private:
  Shape outShape, strides;
};

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

double sigmoid(double x) {
  // Only ever exponentiate a non-positive number, so nothing overflows.
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

double applyActivation(double x, Activation act) {
  switch (act) {
  case Activation::Gelu:
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case Activation::GeluTanh: {
    const double pi = 3.14159265358979323846;
    const double c = std::sqrt(2.0 / pi);
    return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
  }
  case Activation::Relu:
    return x > 0.0 ? x : 0.0;
  case Activation::Silu:
    return x * sigmoid(x);
  }
  require(false, "activation", "unknown activation");
  return 0.0;
}

/// In-place softmax of the `n` values p[0], p[stride], ...; a slice whose
/// entries are all -inf becomes zeros rather than NaN.
void softmaxStrided(double *p, int64_t n, int64_t stride) {
  const double negInf = -std::numeric_limits<double>::infinity();
  double max = negInf;
  for (int64_t i = 0; i < n; ++i)
    max = std::max(max, p[i * stride]);
  if (max == negInf) {
    for (int64_t i = 0; i < n; ++i)
      p[i * stride] = 0.0;
    return;
  }
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    double e = std::exp(p[i * stride] - max);
    p[i * stride] = e;
    sum += e;
  }
  for (int64_t i = 0; i < n; ++i)
    p[i * stride] /= sum;
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
  // kn: W(p, j) = w[p * n + j]; nk: W(p, j) = w[j * k + p].
  MatView wv = kn ? MatView{w.data.data(), n, 1} : MatView{w.data.data(), 1, k};
  gemm(MatView{x.data.data(), k, 1}, wv, y.data.data(),
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

/// The sequence of packed token t: the s with offsets[s] <= t <
/// offsets[s + 1], or -1 when t lies outside every sequence.
static int64_t sequenceOf(const IndexTensor &offsets, int64_t t) {
  for (size_t q = 0; q + 1 < offsets.data.size(); ++q)
    if (offsets.data[q] <= t && t < offsets.data[q + 1])
      return static_cast<int64_t>(q);
  return -1;
}

/// Checks packed-sequence offsets against T tokens.
static void requireOffsets(const char *kernel, const IndexTensor &offsets,
                           int64_t tokens) {
  const std::vector<int64_t> &o = offsets.data;
  require(o.size() >= 2 && o.front() >= 0 && o.back() <= tokens, kernel,
          "seq_offsets must hold B + 1 >= 2 offsets within the tokens");
  for (size_t i = 1; i < o.size(); ++i)
    require(o[i - 1] <= o[i], kernel, "seq_offsets must not decrease");
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
// Attention and composite ops
//===----------------------------------------------------------------------===//

Tensor mlir::xf::ref::cacheWrite(const Tensor &update, const Tensor &cache,
                                 const IndexTensor &kvLen) {
  const char *kernel = "cache_write";
  requireData(kernel, {&update, &cache});
  require(cache.rank() >= 2 && update.rank() == cache.rank() &&
              dropBack(update.shape, 2) == dropBack(cache.shape, 2) &&
              update.dim(-1) == cache.dim(-1),
          kernel, "update and cache do not match",
          {&update.shape, &cache.shape});
  int64_t batches = product(dropBack(cache.shape, 2));
  require(static_cast<int64_t>(kvLen.data.size()) == batches, kernel,
          "kv_len must hold one length per batch element");
  int64_t capacity = cache.dim(-2), s = update.dim(-2), f = cache.dim(-1);
  Tensor y = cache;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t t = 0; t < s; ++t) {
      int64_t row = kvLen.data[b] - s + t;
      if (row < 0 || row >= capacity)
        continue;
      std::copy_n(update.data.begin() + (b * s + t) * f, f,
                  y.data.begin() + (b * capacity + row) * f);
    }
  return y;
}

Tensor mlir::xf::ref::attention(const Tensor &q, const Tensor &k,
                                const Tensor &v, const Tensor *mask,
                                const AttentionParams &params) {
  const char *kernel = "attention";
  requireData(kernel, {&q, &k, &v, mask});
  int64_t heads = params.numHeads, kvHeads = params.numKvHeads;
  require(heads >= 1 && kvHeads >= 1 && heads % kvHeads == 0, kernel,
          "expects heads to be a positive multiple of kv_heads");
  require(q.rank() >= 2 && k.rank() == q.rank() && v.rank() == q.rank(), kernel,
          "expects q, k, v of equal rank >= 2", {&q.shape, &k.shape, &v.shape});
  Shape batchShape = dropBack(q.shape, 2);
  require(dropBack(k.shape, 2) == batchShape &&
              dropBack(v.shape, 2) == batchShape && k.dim(-2) == v.dim(-2),
          kernel, "batch or key/value sequence sizes differ",
          {&q.shape, &k.shape, &v.shape});
  int64_t sq = q.dim(-2), skv = k.dim(-2);
  require(q.dim(-1) % heads == 0 && k.dim(-1) % kvHeads == 0 &&
              v.dim(-1) % kvHeads == 0,
          kernel, "features are not a multiple of the heads",
          {&q.shape, &k.shape, &v.shape});
  int64_t dh = q.dim(-1) / heads, dv = v.dim(-1) / kvHeads;
  require(k.dim(-1) / kvHeads == dh, kernel, "query and key head sizes differ",
          {&q.shape, &k.shape});
  require(params.layout.check().empty(), kernel, "malformed layout");
  double scale =
      params.scale.value_or(1.0 / std::sqrt(static_cast<double>(dh)));
  int64_t group = heads / kvHeads;
  int64_t batches = product(batchShape);

  // The additive mask broadcasts to the scores [..., H, Sq, Skv]; so does
  // the block mask, at block granularity.
  Shape scoresShape = batchShape;
  scoresShape.insert(scoresShape.end(), {heads, sq, skv});
  std::optional<BroadcastMap> maskMap, blockMap;
  if (mask)
    maskMap.emplace(mask->shape, scoresShape, kernel);
  if (params.blockMask) {
    Shape blocks = batchShape;
    blocks.insert(blocks.end(),
                  {heads, (sq + params.blockQ - 1) / params.blockQ,
                   (skv + params.blockK - 1) / params.blockK});
    blockMap.emplace(params.blockMask->shape, blocks, kernel);
  }
  if (params.kvLen)
    require(static_cast<int64_t>(params.kvLen->data.size()) == batches, kernel,
            "kv_len must hold one length per batch element");

  // The problems attention solves independently: one per batch element, or
  // one per packed sequence. Each has its query rows, its key rows and the
  // number of valid keys the layout aligns to.
  struct Problem {
    int64_t batch, qBegin, qEnd, kBegin, kEnd;
  };
  std::vector<Problem> problems;
  if (params.seqOffsets) {
    require(batches == 1 && sq == skv, kernel,
            "seq_offsets expects packed [T, F] tokens");
    requireOffsets(kernel, *params.seqOffsets, sq);
    const std::vector<int64_t> &o = params.seqOffsets->data;
    for (size_t s = 0; s + 1 < o.size(); ++s)
      problems.push_back({0, o[s], o[s + 1], o[s], o[s + 1]});
  } else {
    for (int64_t b = 0; b < batches; ++b) {
      int64_t valid = skv;
      if (params.kvLen) {
        valid = params.kvLen->data[b];
        require(valid >= 0 && valid <= skv, kernel,
                "kv_len must be within the keys");
      }
      problems.push_back({b, 0, sq, 0, valid});
    }
  }

  Shape shape = dropBack(q.shape, 1);
  shape.push_back(heads * dv);
  Tensor y(shape);
  const double negInf = -std::numeric_limits<double>::infinity();
  std::vector<double> scores(skv);
  for (const Problem &pr : problems) {
    int64_t b = pr.batch;
    const double *qb = q.data.data() + b * sq * q.dim(-1);
    const double *kb = k.data.data() + b * skv * k.dim(-1);
    const double *vb = v.data.data() + b * skv * v.dim(-1);
    double *yb = y.data.data() + b * sq * heads * dv;
    // Positions align the last query with the last valid key.
    int64_t off = (pr.kEnd - pr.kBegin) - (pr.qEnd - pr.qBegin);
    for (int64_t h = 0; h < heads; ++h) {
      int64_t kvh = h / group;
      for (int64_t i = pr.qBegin; i < pr.qEnd; ++i) {
        const double *qRow = qb + i * q.dim(-1) + h * dh;
        int64_t flatRow = (b * heads + h) * sq + i;
        int64_t position = i - pr.qBegin + off;
        for (int64_t j = 0; j < skv; ++j) {
          bool visible = j >= pr.kBegin && j < pr.kEnd &&
                         params.layout.isVisible(position, j - pr.kBegin);
          if (visible && blockMap) {
            int64_t rows = (sq + params.blockQ - 1) / params.blockQ;
            int64_t cols = (skv + params.blockK - 1) / params.blockK;
            int64_t flat =
                (((b * heads + h) * rows) + i / params.blockQ) * cols +
                j / params.blockK;
            visible = params.blockMask->data[blockMap->offset(flat)] != 0;
          }
          if (!visible) {
            scores[j] = negInf;
            continue;
          }
          const double *kRow = kb + j * k.dim(-1) + kvh * dh;
          double dot = 0.0;
          for (int64_t d = 0; d < dh; ++d)
            dot += qRow[d] * kRow[d];
          scores[j] =
              scale * dot +
              (mask ? mask->data[maskMap->offset(flatRow * skv + j)] : 0.0);
        }
        softmaxStrided(scores.data(), skv, 1);
        double *out = yb + i * heads * dv + h * dv;
        for (int64_t j = 0; j < skv; ++j) {
          if (scores[j] == 0.0)
            continue;
          const double *vRow = vb + j * v.dim(-1) + kvh * dv;
          for (int64_t d = 0; d < dv; ++d)
            out[d] += scores[j] * vRow[d];
        }
      }
    }
  }
  return y;
}

Tensor mlir::xf::ref::mlp(const Tensor &x, const MlpWeights &w, Activation act,
                          Layout layout) {
  require(w.up && w.down, "mlp", "expects up and down weights");
  require(w.gate || !w.gateBias, "mlp", "has a gate bias but no gate");
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
  auto ffn = [&](const Tensor &t) { return mlp(t, w.mlp, p.act, p.layout); };

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
