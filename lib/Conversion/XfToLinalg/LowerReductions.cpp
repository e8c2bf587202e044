//===- LowerReductions.cpp - norms and softmax
//-----------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

/// Sum over the last axis of `fn(x)`.
static Value sumLastAxis(OpBuilder &b, Location loc, Value x,
                         function_ref<Value(OpBuilder &, Location, Value)> fn) {
  int64_t axis = cast<RankedTensorType>(x.getType()).getRank() - 1;
  return buildReduction(
      b, loc, x, axis, 0.0, [&](OpBuilder &nb, Location l, Value e, Value acc) {
        return arith::AddFOp::create(nb, l, fn(nb, l, e), acc).getResult();
      });
}

/// Inserts a trailing unit dimension so that a per-row statistic broadcasts
/// against the rows.
static Value withUnitLastDim(OpBuilder &b, Location loc, Value stat) {
  auto type = cast<RankedTensorType>(stat.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.push_back(1);
  // Rank 0 expands with an empty reassociation; otherwise the new unit
  // dimension joins the last group.
  SmallVector<ReassociationIndices> reassoc;
  for (int64_t i = 0; i < type.getRank(); ++i)
    reassoc.push_back({i});
  if (!reassoc.empty())
    reassoc.back().push_back(type.getRank());
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, stat);
  sizes.push_back(b.getIndexAttr(1));
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), stat,
      reassoc, sizes);
}

/// The feature count of the last axis of `x` as a float.
static Value featureCount(OpBuilder &b, Location loc, Value x, Type elt) {
  int64_t axis = cast<RankedTensorType>(x.getType()).getRank() - 1;
  return castIndexToFloat(b, loc, dimValue(b, loc, x, axis), elt);
}

/// 1 / sqrt(sum / n + eps). Not math.rsqrt: libm has no rsqrtf, and the
/// division keeps the plain lowering exact to the last bit of f32.
static Value inverseSqrt(OpBuilder &b, Location loc, Value sum, Value n,
                         Value eps) {
  Value mean = arith::DivFOp::create(b, loc, sum, n);
  Value root =
      math::SqrtOp::create(b, loc, arith::AddFOp::create(b, loc, mean, eps));
  return arith::DivFOp::create(
      b, loc, buildFloatConstant(b, loc, sum.getType(), 1.0), root);
}

/// weight * v / sqrt(mean(v^2) + eps) [+ bias] over the last axis: the end
/// of LayerNorm (v centered) and all of RMSNorm (v = x).
static Value scaleByInverseRms(OpBuilder &b, Location loc, Value v, Value n,
                               APFloat epsilon, Value weight, Value bias) {
  auto type = cast<RankedTensorType>(v.getType());
  Value eps = buildFloatConstant(b, loc, type.getElementType(),
                                 epsilon.convertToDouble());
  Value sq = sumLastAxis(b, loc, v, [](OpBuilder &nb, Location l, Value e) {
    return arith::MulFOp::create(nb, l, e, e).getResult();
  });
  SmallVector<Value> operands = {v, withUnitLastDim(b, loc, sq), weight};
  if (bias)
    operands.push_back(bias);
  return buildElementwise(
      b, loc, type, sizesOf(b, loc, v), operands,
      [&](OpBuilder &nb, Location l, ValueRange e) -> Value {
        Value inv = inverseSqrt(nb, l, e[1], n, eps);
        Value y = arith::MulFOp::create(
            nb, l, arith::MulFOp::create(nb, l, e[0], inv), e[2]);
        return e.size() > 3 ? arith::AddFOp::create(nb, l, y, e[3]) : y;
      });
}

namespace {

struct LowerLayerNorm : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value x = adaptor.getInput();
    Value n = featureCount(rewriter, loc, x, type.getElementType());
    // The mean of the values shifted by each row's first one: a sum of
    // small numbers, accurate even when the mean is large against the
    // spread (a plain running sum of 768 values near 1000 loses ~1e-3).
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> firstSizes(sizes);
    firstSizes.back() = rewriter.getIndexAttr(1);
    Value first = tensor::ExtractSliceOp::create(
        rewriter, loc, x,
        SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(0)), firstSizes,
        SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
    Value shifted =
        buildElementwise(rewriter, loc, type, sizes, ValueRange{x, first},
                         [](OpBuilder &b, Location l, ValueRange e) -> Value {
                           return arith::SubFOp::create(b, l, e[0], e[1]);
                         });
    Value sum = sumLastAxis(rewriter, loc, shifted,
                            [](OpBuilder &, Location, Value e) { return e; });
    Value shiftedMean = withUnitLastDim(rewriter, loc, sum);
    // Two passes: the variance of the centered values stays accurate when
    // the mean is large.
    Value centered = buildElementwise(
        rewriter, loc, type, sizes, ValueRange{shifted, shiftedMean},
        [&](OpBuilder &b, Location l, ValueRange e) -> Value {
          return arith::SubFOp::create(b, l, e[0],
                                       arith::DivFOp::create(b, l, e[1], n));
        });
    rewriter.replaceOp(
        op, scaleByInverseRms(rewriter, loc, centered, n, op.getEpsilon(),
                              adaptor.getWeight(), adaptor.getBias()));
    return success();
  }
};

struct LowerRmsNorm : OpConversionPattern<RmsNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RmsNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    Value n = featureCount(rewriter, loc, x, op.getType().getElementType());
    rewriter.replaceOp(op,
                       scaleByInverseRms(rewriter, loc, x, n, op.getEpsilon(),
                                         adaptor.getWeight(), Value()));
    return success();
  }
};

struct LowerSoftmax : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(),
                                    op.getNormalizedAxis()));
    return success();
  }
};

} // namespace

void xf::lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLayerNorm, LowerRmsNorm, LowerSoftmax>(
      patterns.getContext());
}
