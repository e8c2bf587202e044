//===- FormNormKernels.cpp - norms as xf_cpu.norm row kernels -------------===//

#include "FormKernels.h"

#include "xf/Dialect/RowReshape.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::xf;

namespace {

template <typename NormOpTy> struct FormNorm : OpRewritePattern<NormOpTy> {
  using OpRewritePattern<NormOpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(NormOpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "the kernel is f32");
    Location loc = op.getLoc();
    Value rows = xf::collapseToRows(rewriter, loc, op.getInput());
    Value init = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, rows),
        type.getElementType());
    auto norm = cpu::NormOp::create(rewriter, loc, TypeRange{init.getType()},
                                    rows, op.getWeight(), biasOf(op), init,
                                    kindOf(op), op.getEpsilon());
    rewriter.replaceOp(op, xf::expandFromRows(rewriter, loc,
                                              norm.getResult().front(), type,
                                              op.getInput()));
    return success();
  }

  static Value biasOf(LayerNormOp op) { return op.getBias(); }
  static Value biasOf(RmsNormOp) { return Value(); }
  static NormKind kindOf(LayerNormOp) { return NormKind::layer_norm; }
  static NormKind kindOf(RmsNormOp) { return NormKind::rms_norm; }
};

} // namespace

void cpu::populateNormKernelPatterns(RewritePatternSet &patterns) {
  patterns.add<FormNorm<LayerNormOp>, FormNorm<RmsNormOp>>(
      patterns.getContext());
}
