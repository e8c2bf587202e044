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

/// Rewrites the layout to the simplest one that admits the same pairs at
/// the op's static shapes: components that admit every pair are dropped (a
/// window that covers all keys leaves `causal`), and a layout that hides
/// nothing is dropped (causal masking of one query against its whole prefix,
/// a decode step, is dense). Also drops a kv_heads equal to heads.
struct SimplifyAttentionConfig : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    bool redundantKv = op.getNumKvHeads() == op.getNumHeads();
    AttentionLayoutAttr layout = op.getLayoutAttr(), simpler = layout;
    ArrayRef<int64_t> q = op.getQuery().getType().getShape();
    ArrayRef<int64_t> k = op.getKey().getType().getShape();
    int64_t sq = q[q.size() - 2], skv = k[k.size() - 2];
    // With run-time lengths the positions are not known here.
    bool staticPositions = !op.getKvLen() && !op.getSeqOffsets() &&
                           !ShapedType::isDynamic(sq) &&
                           !ShapedType::isDynamic(skv);
    if (layout && staticPositions) {
      // Every (position, key) pair of the op, at once.
      auto admitsAll = [&](const AttentionLayout &l) {
        return l.classify(skv - sq, skv, 0, skv) == AttentionLayout::Tile::Full;
      };
      AttentionLayout components = layout.getLayout();
      components.causal = false;
      if (components.hasComponents() && admitsAll(components)) {
        AttentionLayout causalOnly;
        causalOnly.causal = layout.getCausal();
        simpler = AttentionLayoutAttr::get(op.getContext(), causalOnly);
      }
      if (simpler && admitsAll(simpler.getLayout()))
        simpler = nullptr;
    }
    if (!redundantKv && simpler == layout)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (redundantKv)
        op.removeNumKvHeadsAttr();
      if (simpler)
        op.setLayoutAttr(simpler);
      else
        op.removeLayoutAttr();
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
