//===- XfCanonicalize.cpp - folds and canonicalizations of xf ops ---------===//

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::xf;

/// Whether `attr` is a float splat equal to `value`.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
    return false;
  return dense.getSplatValue<APFloat>().convertToDouble() == value;
}

/// Folds `x op c` to `x` when `c` is the identity splat and the op does not
/// broadcast `x`.
static OpFoldResult foldIdentity(Value lhs, Value rhs, Attribute lhsAttr,
                                 Attribute rhsAttr, Type resultType,
                                 double identity) {
  if (isSplatOf(rhsAttr, identity) && lhs.getType() == resultType)
    return lhs;
  if (isSplatOf(lhsAttr, identity) && rhs.getType() == resultType)
    return rhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                      getType(), 0.0);
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), getRhs(), adaptor.getLhs(), adaptor.getRhs(),
                      getType(), 1.0);
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return {};
}

namespace {

/// A zero bias or residual does nothing: drop it.
struct DropZeroLinearEpilogue : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    auto isZero = [](Value v) {
      Attribute attr;
      return v && matchPattern(v, m_Constant(&attr)) && isSplatOf(attr, 0.0);
    };
    bool zeroBias = isZero(op.getBias());
    bool zeroResidual = isZero(op.getResidual());
    if (!zeroBias && !zeroResidual)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (zeroBias)
        op.getBiasMutable().clear();
      if (zeroResidual)
        op.getResidualMutable().clear();
    });
    return success();
  }
};

/// Rewrites structural masks to the simplest equivalent kind: a sliding window
/// that covers every key is causal, and causal masking of a single query
/// against its whole prefix (a decode step) masks nothing. Also drops a
/// kv_heads equal to heads.
struct SimplifyAttentionConfig : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> q = op.getQuery().getType().getShape();
    ArrayRef<int64_t> k = op.getKey().getType().getShape();
    int64_t sq = q[q.size() - 2], skv = k[k.size() - 2];
    MaskKind kind = op.getMaskKind();
    bool redundantKv = op.getNumKvHeads() == op.getNumHeads();
    bool windowIsCausal = kind == MaskKind::sliding_window &&
                          !ShapedType::isDynamic(skv) &&
                          static_cast<int64_t>(*op.getWindow()) >= skv;
    bool causalIsNone = kind == MaskKind::causal && sq == 1;
    if (!redundantKv && !windowIsCausal && !causalIsNone)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (redundantKv)
        op.removeNumKvHeadsAttr();
      if (windowIsCausal) {
        op.setMaskKind(MaskKind::causal);
        op.removeWindowAttr();
      }
      if (causalIsNone)
        op.setMaskKind(MaskKind::none);
    });
    return success();
  }
};

} // namespace

void LinearOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<DropZeroLinearEpilogue>(context);
}

void AttentionOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<SimplifyAttentionConfig>(context);
}
