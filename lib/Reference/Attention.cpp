//===- Attention.cpp - reference semantics of attention and KV caches -----===//
//
// Naive double-precision loops, as Kernels.cpp: xf.cache_write and
// xf.attention (every layout, masks, KV lengths, packed sequences).
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace mlir::xf::ref;
using namespace mlir::xf::ref::detail;

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
        // Clamped to the keys, as the op defines: a length computed in
        // the function (an argument is checked where it is passed).
        valid = std::clamp<int64_t>(params.kvLen->data[b], 0, skv);
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
