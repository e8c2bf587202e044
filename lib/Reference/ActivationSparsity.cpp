//===- ActivationSparsity.cpp - reference top-k and gathered MLPs ---------===//
//
// The selection is exact by definition (dialects/xf/XfOps.td, xf.top_k):
// values are rounded to f32, the element type of the scores, and ordered by
// IEEE totalOrder with ties to the lower index, so that every target
// selects the same neurons from the same scores.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include "KernelSupport.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

using namespace mlir::xf::ref;
using namespace mlir::xf::ref::detail;

/// A signed integer that orders f32 values as IEEE totalOrder does.
static int32_t totalOrderKey(double v) {
  float f = static_cast<float>(v);
  int32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits < 0 ? bits ^ INT32_MAX : bits;
}

IndexTensor mlir::xf::ref::topK(const Tensor &x, int64_t k) {
  requireData("top_k", {&x});
  require(x.rank() >= 1 && k >= 1 && k <= x.dim(-1), "top_k",
          "expects 1 <= k <= N for x", {&x.shape});
  int64_t n = x.dim(-1), rows = product(dropBack(x.shape, 1));
  IndexTensor out{dropBack(x.shape, 1), {}};
  out.shape.push_back(k);
  std::vector<int64_t> order(n);
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = x.data.data() + r * n;
    for (int64_t i = 0; i < n; ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      int32_t ka = totalOrderKey(row[a]), kb = totalOrderKey(row[b]);
      return ka != kb ? ka > kb : a < b;
    });
    std::vector<int64_t> chosen(order.begin(), order.begin() + k);
    std::sort(chosen.begin(), chosen.end());
    out.data.insert(out.data.end(), chosen.begin(), chosen.end());
  }
  return out;
}

namespace {
/// Column f of a weight of `layout` whose product dimension has size `k`.
struct WeightColumns {
  const Tensor &w;
  Layout layout;
  int64_t k() const { return layout == Layout::KN ? w.shape[0] : w.shape[1]; }
  int64_t n() const { return layout == Layout::KN ? w.shape[1] : w.shape[0]; }
  double at(int64_t p, int64_t f) const {
    return layout == Layout::KN ? w.data[p * n() + f] : w.data[f * k() + p];
  }
};
} // namespace

Tensor mlir::xf::ref::gatherMlp(const Tensor &x, const IndexTensor &neurons,
                                const MlpWeights &w, Activation act,
                                Layout layout) {
  require(w.up && w.down, "gather_mlp", "expects up and down weights");
  requireData("gather_mlp",
              {&x, w.up, w.gate, w.down, w.upBias, w.gateBias, w.downBias});
  WeightColumns up{*w.up, layout}, down{*w.down, layout};
  int64_t d = x.dim(-1), f = up.n(), e = down.n();
  require(up.k() == d && down.k() == f && f >= 1, "gather_mlp",
          "weights do not match the input", {&x.shape, &w.up->shape});
  require(!w.gate || (w.gate->shape == w.up->shape), "gather_mlp",
          "gate and up differ", {&w.up->shape});
  int64_t rows = product(dropBack(x.shape, 1));
  Shape nShape = dropBack(neurons.shape, 1);
  require(!neurons.shape.empty() && nShape == dropBack(x.shape, 1) &&
              static_cast<int64_t>(neurons.data.size()) ==
                  product(neurons.shape),
          "gather_mlp", "neurons do not match the input", {&neurons.shape});
  int64_t k = neurons.shape.back();
  Shape shape = x.shape;
  shape.back() = e;
  Tensor y(shape);
  for (int64_t r = 0; r < rows; ++r) {
    const double *xr = x.data.data() + r * d;
    double *yr = y.data.data() + r * e;
    for (int64_t j = 0; j < e; ++j)
      yr[j] = w.downBias ? w.downBias->data[j] : 0.0;
    for (int64_t j = 0; j < k; ++j) {
      int64_t n = std::clamp<int64_t>(neurons.data[r * k + j], 0, f - 1);
      auto project = [&](const Tensor &weight, const Tensor *bias) {
        WeightColumns cols{weight, layout};
        double s = bias ? bias->data[n] : 0.0;
        for (int64_t p = 0; p < d; ++p)
          s += xr[p] * cols.at(p, n);
        return s;
      };
      double u = project(*w.up, w.upBias);
      double h = w.gate ? applyActivation(project(*w.gate, w.gateBias), act) * u
                        : applyActivation(u, act);
      for (int64_t c = 0; c < e; ++c)
        yr[c] += h * down.at(n, c);
    }
  }
  return y;
}

Tensor mlir::xf::ref::detail::topKMlp(const Tensor &x, const MlpWeights &w,
                                      Activation act, Layout layout,
                                      const MlpTopK &topK) {
  Tensor scores;
  if (topK.features) {
    WeightColumns p{w.gate ? *w.gate : *w.up, layout};
    int64_t r = *topK.features, d = x.dim(-1), f = p.n();
    require(r >= 1 && r <= d && p.k() == d, "mlp",
            "predictor_features out of range", {&x.shape});
    Shape shape = x.shape;
    shape.back() = f;
    scores = Tensor(shape);
    for (int64_t row = 0; row < product(dropBack(x.shape, 1)); ++row)
      for (int64_t n = 0; n < f; ++n) {
        double s = 0.0;
        for (int64_t q = 0; q < r; ++q)
          s += x.data[row * d + q] * p.at(q, n);
        scores.data[row * f + n] = s;
      }
  } else {
    require(topK.predictorIn && topK.predictorOut, "mlp",
            "expects a predictor");
    // The product that selects is exact in the compiled kernels too: no
    // modelled input rounding there.
    Tensor out = *topK.predictorOut;
    out.rounding = {};
    scores = linear(linear(x, *topK.predictorIn, layout), out, layout);
  }
  return gatherMlp(x, mlir::xf::ref::topK(scores, topK.k), w, act, layout);
}
