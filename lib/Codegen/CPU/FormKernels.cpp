//===- FormKernels.cpp - the xf-cpu-form-kernels pass, and GEMMs ----------===//

#include "FormKernels.h"

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUFORMKERNELS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Packs `weight` into panels of `panelWidth` columns (f32, or bf16 pairs).
/// A weight that
/// concatenates parts along N (merged projections) is packed part by part
/// into slices of one packed tensor when every part but the last fills
/// whole panels, so the concatenation is never copied.
Value packWeight(PatternRewriter &rewriter, Location loc, Value weight,
                 WeightLayoutAttr layout, int64_t panels, int64_t k,
                 int64_t panelWidth, Type panelType) {
  bool kn = layout.getValue() == WeightLayout::kn;
  int64_t nDim = kn ? 1 : 0;
  SmallVector<int64_t> shape =
      cpu::PackWeightsOp::panelShape(panels, k, panelWidth, panelType);
  Value packed = tensor::EmptyOp::create(rewriter, loc, shape, panelType);
  auto pack = [&](Value w, Value init) {
    return cpu::PackWeightsOp::create(rewriter, loc, TypeRange{init.getType()},
                                      w, init, layout)
        .getResult()
        .front();
  };
  SmallVector<Value> parts = {weight};
  if (auto concat = weight.getDefiningOp<tensor::ConcatOp>();
      concat && static_cast<int64_t>(concat.getDim()) == nDim) {
    ValueRange inputs = concat.getInputs();
    if (llvm::all_of(inputs.drop_back(), [&](Value part) {
          return cast<RankedTensorType>(part.getType()).getDimSize(nDim) %
                     panelWidth ==
                 0;
        }))
      parts.assign(inputs.begin(), inputs.end());
  }
  if (parts.size() == 1)
    return pack(weight, packed);
  int64_t first = 0;
  for (Value part : parts) {
    int64_t n = cast<RankedTensorType>(part.getType()).getDimSize(nDim);
    int64_t count = (n + panelWidth - 1) / panelWidth;
    SmallVector<OpFoldResult> offsets = {rewriter.getIndexAttr(first),
                                         rewriter.getIndexAttr(0),
                                         rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(count),
                                       rewriter.getIndexAttr(shape[1]),
                                       rewriter.getIndexAttr(shape[2])};
    SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
    Value slice = tensor::ExtractSliceOp::create(rewriter, loc, packed, offsets,
                                                 sizes, strides);
    packed = tensor::InsertSliceOp::create(rewriter, loc, pack(part, slice),
                                           packed, offsets, sizes, strides);
    first += count;
  }
  return packed;
}

struct FormGemm : OpRewritePattern<LinearOp> {
  FormGemm(MLIRContext *ctx, const cpu::KernelOptions &options)
      : OpRewritePattern(ctx), options(options),
        panelWidth(options.effectivePanelWidth()) {}

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
    Type narrow = wType.getElementType();
    Type panelType =
        options.usesBf16Panels(narrow) ? rewriter.getBF16Type() : f32;
    Value packed =
        packWeight(rewriter, loc, op.getWeight(), op.getWeightLayoutAttr(),
                   panels, k, panelWidth, panelType);
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

  cpu::KernelOptions options;
  int64_t panelWidth;
};

struct XfCpuFormKernelsPass
    : xf::impl::XfCpuFormKernelsBase<XfCpuFormKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    cpu::KernelOptions options;
    options.vectorWidth = vectorWidth;
    options.panelWidth = panelWidth;
    options.bf16Panels = bf16Panels;
    if (failed(options.verify([&](const Twine &msg) {
          return getOperation().emitError("xf-cpu-form-kernels: " + msg);
        })))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    cpu::populateGemmKernelPatterns(patterns, options);
    if (attention)
      cpu::populateAttentionKernelPatterns(patterns);
    if (norms)
      cpu::populateNormKernelPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void cpu::populateGemmKernelPatterns(RewritePatternSet &patterns,
                                     const KernelOptions &options) {
  patterns.add<FormGemm>(patterns.getContext(), options);
}
