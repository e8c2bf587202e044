//===- FormAttentionKernels.cpp - attention as xf_cpu.flash_attention -----===//

#include "FormKernels.h"

#include "xf/Dialect/AttentionLayoutBuilder.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Whether attention gets the decode schedule: a static handful of queries
/// per sequence (one per decode step, a few when speculating), so that
/// splitting the keys across threads pays where query blocks would not.
bool isDecode(AttentionOp op) {
  return cpu::FlashAttentionOp::fitsDecode(
      op.getQuery().getType(), op.getNumHeads(), op.getEffectiveNumKvHeads(),
      op.getSeqOffsets() != nullptr);
}

/// xf.attention -> xf_cpu.flash_attention, the online-softmax form.
struct FormFlashAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<double> scale = op.getEffectiveScale();
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF32() || !scale ||
        ShapedType::isDynamic(op.getQuery().getType().getShape().back()) ||
        ShapedType::isDynamic(op.getKey().getType().getShape().back()) ||
        ShapedType::isDynamic(op.getValue().getType().getShape().back()))
      return rewriter.notifyMatchFailure(op, "needs f32 and static heads");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, op.getQuery());
    sizes.back() = rewriter.getIndexAttr(type.getShape().back());
    Value init =
        tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
    // The kernels read the layout's block map as a summed-area table.
    Value blockTable;
    if (DenseIntElementsAttr table =
            getBlockTableAttr(getContext(), op.getEffectiveLayout()))
      blockTable = arith::ConstantOp::create(rewriter, loc, table);
    auto flash = cpu::FlashAttentionOp::create(
        rewriter, loc, TypeRange{type}, op.getQuery(), op.getKey(),
        op.getValue(), op.getMask(), op.getKvLen(), op.getBlockMask(),
        op.getSeqOffsets(), blockTable, init, op.getNumHeads(),
        op.getEffectiveNumKvHeads(), APFloat(*scale), op.getLayoutAttr(),
        op.getBlockMaskSizesAttr(), isDecode(op));
    rewriter.replaceOp(op, flash.getResult().front());
    return success();
  }
};

} // namespace

void cpu::populateAttentionKernelPatterns(RewritePatternSet &patterns) {
  patterns.add<FormFlashAttention>(patterns.getContext());
}
