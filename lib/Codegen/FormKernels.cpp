//===- FormKernels.cpp - xf.linear / xf.attention to xf_cpu kernels -------===//

#include "xf/Codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUFORMKERNELS
#include "xf/Codegen/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

struct FormGemm : OpRewritePattern<LinearOp> {
  FormGemm(MLIRContext *ctx, int64_t panelWidth)
      : OpRewritePattern(ctx), panelWidth(panelWidth) {}

  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    if (!type.getElementType().isF32() || !wType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs an f32 static weight");
    Location loc = op.getLoc();
    bool kn = op.getWeightLayout() == WeightLayout::kn;
    int64_t k = wType.getDimSize(kn ? 0 : 1), n = wType.getDimSize(kn ? 1 : 0);
    int64_t panels = (n + panelWidth - 1) / panelWidth;
    Type f32 = rewriter.getF32Type();

    Value packedInit = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{panels, k, panelWidth}, f32);
    Value packed = cpu::PackWeightsOp::create(
                       rewriter, loc, TypeRange{packedInit.getType()},
                       op.getWeight(), packedInit, op.getWeightLayoutAttr())
                       .getResult()
                       .front();
    Value input = cpu::collapseToRows(rewriter, loc, op.getInput());
    Value residual = op.getResidual()
                         ? cpu::collapseToRows(rewriter, loc, op.getResidual())
                         : Value();
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(rewriter, loc, input, 0),
        rewriter.getIndexAttr(n)};
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, f32);
    Value gemm = cpu::GemmOp::create(rewriter, loc, TypeRange{init.getType()},
                                     input, packed, op.getBias(), residual,
                                     init, op.getActivationAttr())
                     .getResult()
                     .front();
    rewriter.replaceOp(
        op, cpu::expandFromRows(rewriter, loc, gemm, type, op.getInput()));
    return success();
  }

  int64_t panelWidth;
};

struct XfCpuFormKernelsPass
    : xf::impl::XfCpuFormKernelsBase<XfCpuFormKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FormGemm>(&getContext(), panelWidth);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
