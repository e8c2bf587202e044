//===- FuseNorms.cpp - the xf-fuse-norms pass -----------------------------===//

#include "xf/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFFUSENORMS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

template <typename NormOpTy> struct FuseNorm : OpRewritePattern<NormOpTy> {
  using OpRewritePattern<NormOpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(NormOpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "the kernel is f32");
    Location loc = op.getLoc();
    Value rows = cpu::collapseToRows(rewriter, loc, op.getInput());
    Value init = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, rows),
        type.getElementType());
    auto norm = cpu::NormOp::create(rewriter, loc, TypeRange{init.getType()},
                                    rows, op.getWeight(), biasOf(op), init,
                                    kindOf(op), op.getEpsilon());
    rewriter.replaceOp(op, cpu::expandFromRows(rewriter, loc,
                                               norm.getResult().front(), type,
                                               op.getInput()));
    return success();
  }

  static Value biasOf(LayerNormOp op) { return op.getBias(); }
  static Value biasOf(RmsNormOp) { return Value(); }
  static NormKind kindOf(LayerNormOp) { return NormKind::layer_norm; }
  static NormKind kindOf(RmsNormOp) { return NormKind::rms_norm; }
};

struct XfFuseNormsPass : xf::impl::XfFuseNormsBase<XfFuseNormsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseNorm<LayerNormOp>, FuseNorm<RmsNormOp>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
