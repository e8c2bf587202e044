//===- ShapeChecks.cpp - shape validation shared by xf ops ----------------===//

#include "ShapeChecks.h"

#include "xf/Dialect/AttentionScores.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::checks;

std::string checks::formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

bool checks::dimsConflict(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

int64_t checks::mergeDims(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) ? b : a;
}

LogicalResult checks::checkSameElementType(const OpChecker &c,
                                           ArrayRef<Type> types) {
  Type first;
  for (Type t : types) {
    if (!t)
      continue;
    Type elt = cast<ShapedType>(t).getElementType();
    if (!first)
      first = elt;
    else if (elt != first)
      return c.fail("expects one element type for all tensors, got ", first,
                    " and ", elt);
  }
  return success();
}

LogicalResult checks::checkWeightTypes(const OpChecker &c,
                                       ArrayRef<Type> activations,
                                       ArrayRef<Type> weights) {
  if (failed(checkSameElementType(c, activations)))
    return failure();
  Type act;
  for (Type t : activations)
    if (t && !act)
      act = cast<ShapedType>(t).getElementType();
  for (Type t : weights) {
    if (!t)
      continue;
    Type w = cast<ShapedType>(t).getElementType();
    if (!act || w == act || (act.isF32() && (w.isBF16() || w.isF16())))
      continue;
    if (act.isF32())
      return c.fail("expects weights of f32, bf16 or f16 with f32 "
                    "activations, got ",
                    w);
    return c.fail("expects weights of the activations' element type ", act,
                  ", got ", w);
  }
  return success();
}

LogicalResult checks::checkVector(const OpChecker &c, StringRef what,
                                  ArrayRef<int64_t> shape, int64_t size) {
  if (shape.size() != 1 || dimsConflict(shape[0], size))
    return c.fail("expects ", what, " of shape ", formatShape({size}), ", got ",
                  formatShape(shape));
  return success();
}

FailureOr<int64_t> checks::checkLinearWeight(const OpChecker &c, StringRef what,
                                             ArrayRef<int64_t> weight,
                                             int64_t inFeatures,
                                             WeightLayout layout) {
  if (weight.size() != 2)
    return c.fail("expects ", what, " of rank 2, got ", formatShape(weight));
  bool kn = layout == WeightLayout::kn;
  int64_t k = kn ? weight[0] : weight[1];
  int64_t n = kn ? weight[1] : weight[0];
  if (dimsConflict(k, inFeatures))
    return c.fail(what, " ", formatShape(weight), " (layout ",
                  stringifyWeightLayout(layout), ", ",
                  kn ? "[in, out]" : "[out, in]", ") expects ", k,
                  " input features, got ", inFeatures);
  return n;
}

FailureOr<SmallVector<int64_t>> checks::broadcastShapes(const OpChecker &c,
                                                        StringRef what,
                                                        ArrayRef<int64_t> lhs,
                                                        ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (dimsConflict(a, b))
      return c.fail("cannot broadcast ", what, " ", formatShape(lhs), " and ",
                    formatShape(rhs));
    else
      result[i] = mergeDims(a, b);
  }
  return result;
}

AttentionConfig AttentionConfig::get(uint64_t numHeads,
                                     std::optional<uint64_t> numKvHeads,
                                     std::optional<APFloat> scale,
                                     AttentionLayoutAttr layout) {
  AttentionConfig cfg;
  cfg.numHeads = static_cast<int64_t>(numHeads);
  cfg.numKvHeads = static_cast<int64_t>(numKvHeads.value_or(numHeads));
  if (scale)
    cfg.scale = scale->convertToDouble();
  cfg.layout = layout;
  return cfg;
}

/// Splits a packed-heads feature size into the per-head size.
static FailureOr<int64_t> headSize(const OpChecker &c, StringRef what,
                                   int64_t features, int64_t heads) {
  if (ShapedType::isDynamic(features))
    return ShapedType::kDynamic;
  if (features % heads != 0)
    return c.fail(what, " has ", features,
                  " features, which is not a multiple of ", heads, " heads");
  return features / heads;
}

LogicalResult checks::checkKvLen(const OpChecker &c, ArrayRef<int64_t> kvLen,
                                 ArrayRef<int64_t> batch) {
  if (failed(verifyCompatibleShape(kvLen, batch)))
    return c.fail("expects kv_len of the batch shape ", formatShape(batch),
                  ", got ", formatShape(kvLen));
  return success();
}

/// Checks sequence offsets `[B+1]` for packed tokens `[T, F]`.
static LogicalResult checkSeqOffsets(const OpChecker &c,
                                     ArrayRef<int64_t> tokens,
                                     ArrayRef<int64_t> offsets) {
  if (tokens.size() != 2)
    return c.fail("expects packed tokens [T, features] with seq_offsets, "
                  "got ",
                  formatShape(tokens));
  if (offsets.size() != 1 ||
      (!ShapedType::isDynamic(offsets[0]) && offsets[0] < 2))
    return c.fail("expects seq_offsets of shape [B + 1] with B >= 1, got ",
                  formatShape(offsets));
  return success();
}

LogicalResult
checks::checkRopePositions(const OpChecker &c, ArrayRef<int64_t> x,
                           std::optional<ArrayRef<int64_t>> positions,
                           std::optional<ArrayRef<int64_t>> seqOffsets) {
  if (positions && seqOffsets)
    return c.fail("takes positions or seq_offsets, not both");
  if (seqOffsets)
    return checkSeqOffsets(c, x, *seqOffsets);
  if (!positions)
    return success();
  ArrayRef<int64_t> p = *positions;
  int64_t s = x[x.size() - 2];
  ArrayRef<int64_t> batch = x.drop_back(2);
  bool shared = p.size() == 1 && !dimsConflict(p[0], s);
  bool perBatch = p.size() == batch.size() + 1 && !dimsConflict(p.back(), s) &&
                  succeeded(verifyCompatibleShape(p.drop_back(), batch));
  if (!shared && !perBatch) {
    if (batch.empty())
      return c.fail("expects positions of shape ", formatShape({s}), ", got ",
                    formatShape(p));
    SmallVector<int64_t> full(batch);
    full.push_back(s);
    return c.fail("expects positions of shape ", formatShape({s}), " or ",
                  formatShape(full), ", got ", formatShape(p));
  }
  return success();
}

FailureOr<SmallVector<int64_t>>
checks::checkAttention(const OpChecker &c, const AttentionConfig &cfg,
                       const AttentionShapes &shapes) {
  ArrayRef<int64_t> q = shapes.q, k = shapes.k, v = shapes.v;
  std::optional<ArrayRef<int64_t>> mask = shapes.mask;
  if (cfg.numHeads < 1 || cfg.numKvHeads < 1)
    return c.fail("expects at least one head, got heads = ", cfg.numHeads,
                  " and kv_heads = ", cfg.numKvHeads);
  if (cfg.numHeads % cfg.numKvHeads != 0)
    return c.fail("expects heads (", cfg.numHeads,
                  ") to be a multiple of kv_heads (", cfg.numKvHeads, ")");
  if (cfg.scale && !std::isfinite(*cfg.scale))
    return c.fail("expects a finite scale");
  if (q.size() < 2)
    return c.fail("expects query of rank >= 2 ([..., seq, features]), got ",
                  formatShape(q));
  if (k.size() != q.size() || v.size() != q.size())
    return c.fail("expects query, key and value of equal rank, got ",
                  formatShape(q), ", ", formatShape(k), " and ",
                  formatShape(v));
  size_t batchRank = q.size() - 2;
  SmallVector<int64_t> result;
  for (size_t i = 0; i < batchRank; ++i) {
    if (dimsConflict(q[i], k[i]) || dimsConflict(q[i], v[i]))
      return c.fail("expects equal batch dimensions, got ", formatShape(q),
                    ", ", formatShape(k), " and ", formatShape(v));
    result.push_back(mergeDims(q[i], mergeDims(k[i], v[i])));
  }
  int64_t sq = q[batchRank], skv = k[batchRank];
  if (dimsConflict(skv, v[batchRank]))
    return c.fail("expects key and value of equal sequence length, got ", skv,
                  " and ", v[batchRank]);
  skv = mergeDims(skv, v[batchRank]);
  // The layout must fit the keys (global positions, sinks, block map).
  if (std::string error =
          layoutOf(cfg.layout).check(ShapedType::isDynamic(skv) ? -1 : skv);
      !error.empty())
    return c.fail("layout ", error);
  FailureOr<int64_t> dq, dk, dv;
  if (failed(dq = headSize(c, "query", q.back(), cfg.numHeads)) ||
      failed(dk = headSize(c, "key", k.back(), cfg.numKvHeads)) ||
      failed(dv = headSize(c, "value", v.back(), cfg.numKvHeads)))
    return failure();
  if (dimsConflict(*dq, *dk))
    return c.fail("expects query and key heads of equal size, got ", *dq,
                  " and ", *dk);
  if (mask) {
    SmallVector<int64_t> scores =
        attentionScoresShape(result, cfg.numHeads, sq, skv);
    if (mask->size() > scores.size())
      return c.fail("expects a mask of rank <= ", scores.size(), ", got ",
                    formatShape(*mask));
    FailureOr<SmallVector<int64_t>> b =
        broadcastShapes(c, "mask and scores", *mask, scores);
    if (failed(b))
      return failure();
    for (auto [m, s] : llvm::zip(*b, scores))
      if (dimsConflict(m, s))
        return c.fail("mask ", formatShape(*mask),
                      " does not broadcast to the scores ",
                      formatShape(scores));
  }
  if (shapes.kvLen && failed(checkKvLen(c, *shapes.kvLen, result)))
    return failure();
  if (shapes.seqOffsets) {
    if (shapes.kvLen)
      return c.fail("takes kv_len or seq_offsets, not both");
    if (failed(checkSeqOffsets(c, q, *shapes.seqOffsets)))
      return failure();
    if (dimsConflict(sq, skv))
      return c.fail("expects as many key tokens as query tokens with "
                    "seq_offsets, got ",
                    sq, " and ", skv);
  }
  if (shapes.blockMask) {
    ArrayRef<int64_t> sizes =
        shapes.blockMaskSizes ? *shapes.blockMaskSizes : ArrayRef<int64_t>();
    if (sizes.size() != 2 || sizes[0] < 1 || sizes[1] < 1)
      return c.fail("expects block_mask block sizes [Bq, Bk] of at least 1");
    auto blocks = [](int64_t n, int64_t size) {
      return ShapedType::isDynamic(n) ? n : (n + size - 1) / size;
    };
    SmallVector<int64_t> want = attentionScoresShape(
        result, cfg.numHeads, blocks(sq, sizes[0]), blocks(skv, sizes[1]));
    ArrayRef<int64_t> m = *shapes.blockMask;
    bool ok = m.size() == want.size();
    for (size_t i = 0; ok && i < m.size(); ++i)
      ok = !dimsConflict(m[i], want[i]) || (m[i] == 1 && i < want.size() - 2);
    if (!ok)
      return c.fail("expects a block_mask of shape ", formatShape(want),
                    " (batch and head dimensions may be 1), got ",
                    formatShape(m));
  } else if (shapes.blockMaskSizes) {
    return c.fail("has block_mask sizes but no block_mask");
  }
  result.push_back(sq);
  result.push_back(ShapedType::isDynamic(*dv) ? ShapedType::kDynamic
                                              : *dv * cfg.numHeads);
  return result;
}

FailureOr<int64_t> checks::checkMlp(const OpChecker &c, const MlpShapes &mlp,
                                    int64_t inFeatures, WeightLayout layout) {
  FailureOr<int64_t> hidden =
      checkLinearWeight(c, "up weight", mlp.up, inFeatures, layout);
  if (failed(hidden))
    return failure();
  if (mlp.gate) {
    FailureOr<int64_t> g =
        checkLinearWeight(c, "gate weight", *mlp.gate, inFeatures, layout);
    if (failed(g))
      return failure();
    if (dimsConflict(*g, *hidden))
      return c.fail("expects gate and up weights of equal hidden size, got ",
                    *g, " and ", *hidden);
    *hidden = mergeDims(*hidden, *g);
  } else if (mlp.gateBias) {
    return c.fail("has a gate bias but no gate weight");
  }
  if (mlp.upBias && failed(checkVector(c, "up bias", *mlp.upBias, *hidden)))
    return failure();
  if (mlp.gateBias &&
      failed(checkVector(c, "gate bias", *mlp.gateBias, *hidden)))
    return failure();
  FailureOr<int64_t> out =
      checkLinearWeight(c, "down weight", mlp.down, *hidden, layout);
  if (failed(out))
    return failure();
  if (mlp.downBias && failed(checkVector(c, "down bias", *mlp.downBias, *out)))
    return failure();
  return out;
}

LogicalResult checks::checkRope(const OpChecker &c, int64_t headDim,
                                std::optional<int64_t> rotaryDim,
                                double theta) {
  if (!ShapedType::isDynamic(headDim) && headDim < 2)
    return c.fail("expects head_dim >= 2, got ", headDim);
  int64_t rot = rotaryDim.value_or(headDim);
  if (!ShapedType::isDynamic(rot) &&
      (rot < 2 || rot % 2 != 0 ||
       (!ShapedType::isDynamic(headDim) && rot > headDim)))
    return c.fail("expects an even rotary_dim in [2, head_dim = ", headDim,
                  "], got ", rot);
  if (!(theta > 0.0) || !std::isfinite(theta))
    return c.fail("expects a positive finite theta, got ", theta);
  return success();
}
