//===- FuseEpilogue.cpp - the xf-fuse-epilogue pass -----------------------===//

#include "xf/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFFUSEEPILOGUE
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

/// The linear that produces `v` as its only use, if any.
static LinearOp soleLinearProducer(Value v) {
  auto linear = v.getDefiningOp<LinearOp>();
  return linear && linear->hasOneUse() ? linear : LinearOp();
}

/// Rebuilds `op` with a different epilogue (other fields unchanged).
static LinearOp withEpilogue(PatternRewriter &rewriter, LinearOp op, Value bias,
                             ActivationAttr act, Value residual, Location loc) {
  return LinearOp::create(rewriter, loc, op.getType(), op.getInput(),
                          op.getWeight(), bias, residual,
                          op.getWeightLayoutAttr(), act, op.getSparsityAttr());
}

namespace {

/// act(linear(x)) -> linear(x) act, before any residual.
template <typename ActOp> struct FoldActivation : OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp op,
                                PatternRewriter &rewriter) const override {
    LinearOp linear = soleLinearProducer(op.getInput());
    if (!linear || linear.getActivation() || linear.getResidual())
      return failure();
    Activation act = activationOf(op);
    rewriter.replaceOp(op,
                       withEpilogue(rewriter, linear, linear.getBias(),
                                    ActivationAttr::get(op.getContext(), act),
                                    Value(), op.getLoc()));
    rewriter.eraseOp(linear);
    return success();
  }

  static Activation activationOf(GeluOp op) {
    return op.getApproximate() == GeluApproximation::tanh
               ? Activation::gelu_tanh
               : Activation::gelu;
  }
  static Activation activationOf(SiluOp) { return Activation::silu; }
  static Activation activationOf(ReluOp) { return Activation::relu; }
};

/// linear(x) + v -> linear(x) bias v (v is [N]) or residual v (v has the
/// result's type).
struct FoldAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (int i = 0; i < 2; ++i) {
      Value mine = op->getOperand(i), other = op->getOperand(1 - i);
      LinearOp linear = soleLinearProducer(mine);
      if (!linear || linear.getResidual() || linear.getType() != op.getType())
        continue;
      auto otherType = cast<RankedTensorType>(other.getType());
      if (otherType == op.getType()) {
        rewriter.replaceOp(op, withEpilogue(rewriter, linear, linear.getBias(),
                                            linear.getActivationAttr(), other,
                                            op.getLoc()));
        rewriter.eraseOp(linear);
        return success();
      }
      bool isBias = otherType.getRank() == 1 &&
                    otherType.getDimSize(0) == op.getType().getShape().back();
      if (isBias && !linear.getBias() && !linear.getActivation()) {
        rewriter.replaceOp(op, withEpilogue(rewriter, linear, other,
                                            ActivationAttr(), Value(),
                                            op.getLoc()));
        rewriter.eraseOp(linear);
        return success();
      }
    }
    return failure();
  }
};

/// A product with a 2-D right operand is a linear layer.
struct MatmulToLinear : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getRhs().getType().getRank() != 2 || op.getTransposeLhs())
      return failure();
    WeightLayout layout =
        op.getTransposeRhs() ? WeightLayout::nk : WeightLayout::kn;
    rewriter.replaceOp(op, LinearOp::create(rewriter, op.getLoc(), op.getType(),
                                            op.getLhs(), op.getRhs(), Value(),
                                            Value(), layout, ActivationAttr(),
                                            SparsityAttr()));
    return success();
  }
};

struct XfFuseEpiloguePass : xf::impl::XfFuseEpilogueBase<XfFuseEpiloguePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldActivation<GeluOp>, FoldActivation<SiluOp>,
                 FoldActivation<ReluOp>, FoldAdd, MatmulToLinear>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
