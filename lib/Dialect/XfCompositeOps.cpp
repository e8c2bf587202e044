//===- XfCompositeOps.cpp - type inference of the MLP and block ops ------===//

#include "ShapeChecks.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::checks;

static Type typeOrNull(Value v) { return v ? v.getType() : Type(); }

/// Checks the operands that `xf.mlp` and `xf.gather_mlp` share and returns
/// the result type; `extraWeights` are further weight types (predictors).
template <typename Adaptor>
static FailureOr<RankedTensorType>
inferMlpType(const OpChecker &c, Adaptor adaptor,
             ArrayRef<Type> extraWeights = {}) {
  SmallVector<Type> weights = {adaptor.getUpWeight().getType(),
                               typeOrNull(adaptor.getGateWeight()),
                               adaptor.getDownWeight().getType()};
  weights.append(extraWeights.begin(), extraWeights.end());
  if (failed(checkWeightTypes(c,
                              {adaptor.getInput().getType(),
                               typeOrNull(adaptor.getUpBias()),
                               typeOrNull(adaptor.getGateBias()),
                               typeOrNull(adaptor.getDownBias())},
                              weights)))
    return failure();
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  if (x.empty())
    return c.fail("expects an input of rank >= 1");
  MlpShapes mlp{shapeOfValue(adaptor.getUpWeight()),
                shapeOfValue(adaptor.getDownWeight()),
                shapeOf(adaptor.getGateWeight()),
                shapeOf(adaptor.getUpBias()),
                shapeOf(adaptor.getGateBias()),
                shapeOf(adaptor.getDownBias())};
  FailureOr<int64_t> out =
      checkMlp(c, mlp, x.back(), adaptor.getWeightLayout());
  if (failed(out))
    return failure();
  SmallVector<int64_t> shape(x.drop_back());
  shape.push_back(*out);
  return RankedTensorType::get(
      shape,
      cast<RankedTensorType>(adaptor.getInput().getType()).getElementType());
}

/// The hidden size F of an MLP (checked by checkMlp before).
static int64_t hiddenSize(Value up, WeightLayout layout) {
  return shapeOfValue(up)[weightOutputDim(layout)];
}

/// Checks the top-k attributes and predictor of an `xf.mlp` or the MLP of
/// an `xf.block`.
template <typename Adaptor>
static LogicalResult checkTopK(const OpChecker &c, Adaptor adaptor) {
  std::optional<uint64_t> k = adaptor.getTopK();
  std::optional<uint64_t> features = adaptor.getPredictorFeatures();
  Value in = adaptor.getPredictorIn(), out = adaptor.getPredictorOut();
  if (!k) {
    if (features || in)
      return c.fail("has a predictor but no top_k");
    return success();
  }
  if (static_cast<bool>(features) == static_cast<bool>(in))
    return c.fail("with top_k expects either predictor_features or "
                  "predictor(in, out)");
  WeightLayout layout = adaptor.getWeightLayout();
  int64_t d = shapeOfValue(adaptor.getInput()).back();
  int64_t f = hiddenSize(adaptor.getUpWeight(), layout);
  if (*k < 1 || (!ShapedType::isDynamic(f) && static_cast<int64_t>(*k) > f))
    return c.fail("expects top_k in [1, ", f, "] (the hidden size), got ",
                  static_cast<int64_t>(*k));
  if (features) {
    if (*features < 1 ||
        (!ShapedType::isDynamic(d) && static_cast<int64_t>(*features) > d))
      return c.fail("expects predictor_features in [1, ", d,
                    "] (the input features), got ",
                    static_cast<int64_t>(*features));
    return success();
  }
  FailureOr<int64_t> rank =
      checkLinearWeight(c, "predictor in", shapeOfValue(in), d, layout);
  if (failed(rank))
    return failure();
  FailureOr<int64_t> scores =
      checkLinearWeight(c, "predictor out", shapeOfValue(out), *rank, layout);
  if (failed(scores))
    return failure();
  if (dimsConflict(*scores, f))
    return c.fail("expects the predictor to score ", f, " neurons, got ",
                  *scores);
  return success();
}

LogicalResult MlpOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  FailureOr<RankedTensorType> type =
      inferMlpType(c, adaptor,
                   {typeOrNull(adaptor.getPredictorIn()),
                    typeOrNull(adaptor.getPredictorOut())});
  if (failed(type) || failed(checkTopK(c, adaptor)))
    return failure();
  results.push_back(*type);
  return success();
}

LogicalResult GatherMlpOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  FailureOr<RankedTensorType> type = inferMlpType(c, adaptor);
  if (failed(type))
    return failure();
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  ArrayRef<int64_t> n = shapeOfValue(adaptor.getNeurons());
  if (n.size() != x.size() ||
      failed(verifyCompatibleShape(n.drop_back(), x.drop_back())))
    return c.fail("expects neurons [..., k] with the input's leading shape ",
                  formatShape(x.drop_back()), ", got ", formatShape(n));
  // Ids are clamped into [0, F), which needs a neuron.
  if (hiddenSize(adaptor.getUpWeight(), adaptor.getWeightLayout()) == 0)
    return c.fail("expects at least one hidden neuron");
  results.push_back(*type);
  return success();
}

/// Checks the attention half of a block on `x : [..., S, D]`.
static LogicalResult checkBlockAttention(const OpChecker &c,
                                         BlockOp::Adaptor &adaptor,
                                         ArrayRef<int64_t> x) {
  WeightLayout layout = adaptor.getWeightLayout();
  int64_t d = x.back();
  FailureOr<int64_t> qf, kf, vf;
  if (failed(qf = checkLinearWeight(c, "q weight",
                                    shapeOfValue(adaptor.getQWeight()), d,
                                    layout)) ||
      failed(kf = checkLinearWeight(c, "k weight",
                                    shapeOfValue(adaptor.getKWeight()), d,
                                    layout)) ||
      failed(vf = checkLinearWeight(
                 c, "v weight", shapeOfValue(adaptor.getVWeight()), d, layout)))
    return failure();
  if ((adaptor.getQBias() &&
       failed(checkVector(c, "q bias", *shapeOf(adaptor.getQBias()), *qf))) ||
      (adaptor.getKBias() &&
       failed(checkVector(c, "k bias", *shapeOf(adaptor.getKBias()), *kf))) ||
      (adaptor.getVBias() &&
       failed(checkVector(c, "v bias", *shapeOf(adaptor.getVBias()), *vf))))
    return failure();

  auto withFeatures = [&](int64_t f) {
    SmallVector<int64_t> s(x.drop_back());
    s.push_back(f);
    return s;
  };
  AttentionConfig cfg =
      AttentionConfig::get(adaptor.getNumHeads(), adaptor.getNumKvHeads(),
                           adaptor.getScale(), adaptor.getLayoutAttr());
  SmallVector<int64_t> qs = withFeatures(*qf), ks = withFeatures(*kf),
                       vs = withFeatures(*vf);
  // With a cache, attention reads the caches the step's keys and values
  // were written into.
  if (Value kc = adaptor.getKeyCache()) {
    ArrayRef<int64_t> kcs = shapeOfValue(kc);
    ArrayRef<int64_t> vcs = shapeOfValue(adaptor.getValueCache());
    auto fits = [&](ArrayRef<int64_t> cache, ArrayRef<int64_t> step) {
      return cache.size() == step.size() &&
             succeeded(verifyCompatibleShape(cache.drop_back(2),
                                             step.drop_back(2))) &&
             !dimsConflict(cache.back(), step.back());
    };
    if (!fits(kcs, ks) || !fits(vcs, vs))
      return c.fail("expects caches [..., capacity, features] for the keys ",
                    formatShape(ks), " and values ", formatShape(vs), ", got ",
                    formatShape(kcs), " and ", formatShape(vcs));
    ks.assign(kcs.begin(), kcs.end());
    vs.assign(vcs.begin(), vcs.end());
  }
  if (failed(checkRopePositions(c, x, shapeOf(adaptor.getPositions()),
                                shapeOf(adaptor.getSeqOffsets()))))
    return failure();
  FailureOr<SmallVector<int64_t>> attn = checkAttention(
      c, cfg,
      AttentionShapes{qs, ks, vs, shapeOf(adaptor.getMask()),
                      shapeOf(adaptor.getKvLen()), std::nullopt,
                      shapeOf(adaptor.getSeqOffsets()), std::nullopt});
  if (failed(attn))
    return failure();
  if (std::optional<APFloat> theta = adaptor.getRopeTheta()) {
    int64_t headDim = ShapedType::isDynamic(*qf) ? ShapedType::kDynamic
                                                 : *qf / adaptor.getNumHeads();
    if (failed(checkRope(c, headDim, adaptor.getRotaryDim(),
                         theta->convertToDouble())))
      return failure();
  } else if (adaptor.getRotaryDim()) {
    return c.fail("has a rotary_dim but no rope_theta");
  }
  FailureOr<int64_t> of = checkLinearWeight(
      c, "o weight", shapeOfValue(adaptor.getOWeight()), attn->back(), layout);
  if (failed(of))
    return failure();
  if (adaptor.getOBias() &&
      failed(checkVector(c, "o bias", *shapeOf(adaptor.getOBias()), *of)))
    return failure();
  if (dimsConflict(*of, d))
    return c.fail("expects the o weight to project back to ", d,
                  " features for the residual, got ", *of);
  return success();
}

/// Checks the norm weights of a block against the model width `d`.
static LogicalResult checkBlockNorm(const OpChecker &c, NormKind kind,
                                    StringRef which, Value weight, Value bias,
                                    int64_t d) {
  if (failed(
          checkVector(c, (which + " weight").str(), shapeOfValue(weight), d)))
    return failure();
  if (!bias)
    return success();
  if (kind == NormKind::rms_norm)
    return c.fail("has a ", which, " bias, but rms_norm takes none");
  return checkVector(c, (which + " bias").str(), shapeOfValue(bias), d);
}

LogicalResult BlockOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  SmallVector<Type> activations, weights;
  SmallVector<Value> weightValues = {
      adaptor.getQWeight(),     adaptor.getKWeight(),
      adaptor.getVWeight(),     adaptor.getOWeight(),
      adaptor.getUpWeight(),    adaptor.getGateWeight(),
      adaptor.getDownWeight(),  adaptor.getPredictorIn(),
      adaptor.getPredictorOut()};
  for (Value v : adaptor.getOperands()) {
    if (!isa<FloatType>(getElementTypeOrSelf(v.getType())))
      continue;
    (llvm::is_contained(weightValues, v) ? weights : activations)
        .push_back(v.getType());
  }
  if (failed(checkWeightTypes(c, activations, weights)))
    return failure();
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  if (x.size() < 2)
    return c.fail("expects an input of rank >= 2 ([..., seq, features]), "
                  "got ",
                  formatShape(x));
  double eps = adaptor.getEpsilon().convertToDouble();
  if (!(eps >= 0.0) || !std::isfinite(eps))
    return c.fail("expects a non-negative finite epsilon, got ", eps);
  NormKind norm = adaptor.getNormKind();
  if (failed(checkBlockNorm(c, norm, "norm1", adaptor.getNorm1Weight(),
                            adaptor.getNorm1Bias(), x.back())) ||
      failed(checkBlockNorm(c, norm, "norm2", adaptor.getNorm2Weight(),
                            adaptor.getNorm2Bias(), x.back())) ||
      failed(checkBlockAttention(c, adaptor, x)))
    return failure();
  MlpShapes mlp{shapeOfValue(adaptor.getUpWeight()),
                shapeOfValue(adaptor.getDownWeight()),
                shapeOf(adaptor.getGateWeight()),
                shapeOf(adaptor.getUpBias()),
                shapeOf(adaptor.getGateBias()),
                shapeOf(adaptor.getDownBias())};
  FailureOr<int64_t> out =
      checkMlp(c, mlp, x.back(), adaptor.getWeightLayout());
  if (failed(out))
    return failure();
  if (dimsConflict(*out, x.back()))
    return c.fail("expects the MLP to project back to ", x.back(),
                  " features for the residual, got ", *out);
  if (failed(checkTopK(c, adaptor)))
    return failure();
  results.push_back(adaptor.getInput().getType());
  if (Value kc = adaptor.getKeyCache()) {
    results.push_back(kc.getType());
    results.push_back(adaptor.getValueCache().getType());
  }
  return success();
}
