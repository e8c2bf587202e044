//===- FormSelectionKernels.cpp - top_k and gather_mlp as xf_cpu kernels --===//

#include "FormKernels.h"

#include "xf/Dialect/RowReshape.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::xf;

namespace {

struct FormTopK : OpRewritePattern<TopKOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TopKOp op,
                                PatternRewriter &rewriter) const override {
    if (!cast<RankedTensorType>(op.getInput().getType())
             .getElementType()
             .isF32())
      return rewriter.notifyMatchFailure(op, "the kernel reads f32 scores");
    Location loc = op.getLoc();
    Value rows = collapseToRows(rewriter, loc, op.getInput());
    Value init = tensor::EmptyOp::create(
        rewriter, loc,
        {tensor::getMixedSize(rewriter, loc, rows, 0),
         rewriter.getIndexAttr(static_cast<int64_t>(op.getK()))},
        rewriter.getI64Type());
    auto topK = cpu::TopKOp::create(rewriter, loc, TypeRange{init.getType()},
                                    rows, init, op.getKAttr());
    rewriter.replaceOp(op,
                       expandFromRows(rewriter, loc, topK.getResult().front(),
                                      op.getType(), op.getInput()));
    return success();
  }
};

/// The rows of a linear weight of `layout` along `rowsDim` (its dimension
/// of size F, one row per hidden neuron): the weight itself when those
/// rows are contiguous, else packed into one-row panels (folded at compile
/// time for constants, hoisted out of the step for arguments).
static Value neuronRows(PatternRewriter &rewriter, Location loc, Value w,
                        WeightLayout layout, bool rowsAreK) {
  auto type = cast<RankedTensorType>(w.getType());
  unsigned rowsDim =
      rowsAreK ? weightInputDim(layout) : weightOutputDim(layout);
  // The leading dimension's rows are contiguous.
  if (rowsDim == 0)
    return w;
  int64_t f = type.getDimSize(rowsDim), width = type.getDimSize(0);
  // Panels of NR columns: one column wide gives [N, K, 1] (rows of N), the
  // whole N gives [1, K, N] (rows of K).
  int64_t nr = rowsAreK ? width : 1;
  int64_t panels = rowsAreK ? 1 : f;
  int64_t k = rowsAreK ? f : width;
  Type f32 = rewriter.getF32Type();
  SmallVector<int64_t> shape =
      cpu::PackWeightsOp::panelShape(panels, k, nr, f32);
  Value init = tensor::EmptyOp::create(rewriter, loc, shape, f32);
  Value packed = cpu::PackWeightsOp::create(
                     rewriter, loc, TypeRange{init.getType()}, w, init,
                     WeightLayoutAttr::get(rewriter.getContext(), layout))
                     .getResult()
                     .front();
  SmallVector<ReassociationIndices> dims =
      rowsAreK ? SmallVector<ReassociationIndices>{{0, 1}, {2}}
               : SmallVector<ReassociationIndices>{{0}, {1, 2}};
  return tensor::CollapseShapeOp::create(rewriter, loc, packed, dims);
}

struct FormGatherMlp : OpRewritePattern<GatherMlpOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherMlpOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    auto isStatic = [](Value v) {
      return !v || cast<RankedTensorType>(v.getType()).hasStaticShape();
    };
    if (!type.getElementType().isF32() || !isStatic(op.getUpWeight()) ||
        !isStatic(op.getGateWeight()) || !isStatic(op.getDownWeight()))
      return rewriter.notifyMatchFailure(
          op, "the kernel takes f32 activations and static weights");
    Location loc = op.getLoc();
    WeightLayout layout = op.getWeightLayout();
    // Up and gate: one row per neuron of N; down: one per neuron of K.
    Value up = neuronRows(rewriter, loc, op.getUpWeight(), layout, false);
    Value gate =
        op.getGateWeight()
            ? neuronRows(rewriter, loc, op.getGateWeight(), layout, false)
            : Value();
    Value down = neuronRows(rewriter, loc, op.getDownWeight(), layout, true);
    Value x = collapseToRows(rewriter, loc, op.getInput());
    Value neurons = collapseToRows(rewriter, loc, op.getNeurons());
    Value init =
        tensor::EmptyOp::create(rewriter, loc,
                                {tensor::getMixedSize(rewriter, loc, x, 0),
                                 rewriter.getIndexAttr(type.getShape().back())},
                                type.getElementType());
    auto mlp = cpu::GatherMlpOp::create(
        rewriter, loc, TypeRange{init.getType()}, x, neurons, up, gate, down,
        op.getUpBias(), op.getGateBias(), op.getDownBias(), init,
        op.getActivationAttr());
    rewriter.replaceOp(op,
                       expandFromRows(rewriter, loc, mlp.getResult().front(),
                                      type, op.getInput()));
    return success();
  }
};

} // namespace

void cpu::populateSelectionKernelPatterns(RewritePatternSet &patterns) {
  patterns.add<FormTopK, FormGatherMlp>(patterns.getContext());
}
