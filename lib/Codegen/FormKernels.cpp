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

/// Reshapes `[d0, ..., dn-1, f]` to `[d0 * ... * dn-1, f]` (a free collapse;
/// rank 1 gains a unit row dimension).
static Value collapseRows(OpBuilder &b, Location loc, Value t) {
  auto type = cast<RankedTensorType>(t.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return t;
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType()),
        t, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices rows;
  for (int64_t i = 0; i < rank - 1; ++i)
    rows.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, t, ArrayRef<ReassociationIndices>{rows, {rank - 1}});
}

/// The inverse of collapseRows for a result of type `type`.
static Value expandRows(OpBuilder &b, Location loc, Value t,
                        RankedTensorType type, Value like) {
  int64_t rank = type.getRank();
  if (rank == 2)
    return t;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, t, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices rows;
  for (int64_t i = 0; i < rank - 1; ++i)
    rows.push_back(i);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  sizes.back() = b.getIndexAttr(type.getShape().back());
  return tensor::ExpandShapeOp::create(
      b, loc, type, t, ArrayRef<ReassociationIndices>{rows, {rank - 1}},
      sizes);
}

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
    Value input = collapseRows(rewriter, loc, op.getInput());
    Value residual = op.getResidual()
                         ? collapseRows(rewriter, loc, op.getResidual())
                         : Value();
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(rewriter, loc, input, 0), rewriter.getIndexAttr(n)};
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, f32);
    Value gemm = cpu::GemmOp::create(rewriter, loc, TypeRange{init.getType()},
                                     input, packed, op.getBias(), residual,
                                     init, op.getActivationAttr())
                     .getResult()
                     .front();
    rewriter.replaceOp(op, expandRows(rewriter, loc, gemm, type,
                                      op.getInput()));
    return success();
  }

  int64_t panelWidth;
};

struct FormFlashAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<double> scale = op.getEffectiveScale();
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF32() || !scale ||
        ShapedType::isDynamic(op.getKey().getType().getShape().back()) ||
        ShapedType::isDynamic(op.getValue().getType().getShape().back()))
      return rewriter.notifyMatchFailure(op, "needs f32 and static heads");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, op.getQuery());
    sizes.back() = rewriter.getIndexAttr(type.getShape().back());
    Value init =
        tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
    auto flash = cpu::FlashAttentionOp::create(
        rewriter, loc, TypeRange{type}, op.getQuery(), op.getKey(),
        op.getValue(), op.getMask(), init, op.getNumHeads(),
        op.getEffectiveNumKvHeads(), APFloat(*scale), op.getMaskKind(),
        op.getWindowAttr());
    rewriter.replaceOp(op, flash.getResult().front());
    return success();
  }
};

struct XfCpuFormKernelsPass
    : xf::impl::XfCpuFormKernelsBase<XfCpuFormKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FormGemm>(&getContext(), panelWidth);
    patterns.add<FormFlashAttention>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
