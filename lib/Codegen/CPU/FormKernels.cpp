//===- FormKernels.cpp - the xf-cpu-form-kernels pass, and GEMMs ----------===//

#include "FormKernels.h"

#include "xf/Dialect/RowReshape.h"

#include "xf/Codegen/CPU/Passes.h"

#include "xf/Dialect/WeightMatrix.h"

#include "mlir/IR/Matchers.h"
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

/// An int8 weight that the GEMM can multiply directly: the values and
/// scales of xf.dequantize (or of several, concatenated along N by
/// xf-merge-projections), with the channels along N and groups of K that
/// hold whole packed quads.
struct QuantizedWeight {
  Value values, scales;
  IntegerAttr group;
};

std::optional<QuantizedWeight>
quantizedWeight(LinearOp op, const cpu::KernelOptions &options,
                PatternRewriter &rewriter) {
  int64_t nDim = weightOutputDim(op.getWeightLayout());
  SmallVector<DequantizeOp> parts;
  Value w = op.getWeight();
  if (auto d = w.getDefiningOp<DequantizeOp>()) {
    parts.push_back(d);
  } else if (auto concat = w.getDefiningOp<tensor::ConcatOp>();
             concat && static_cast<int64_t>(concat.getDim()) == nDim) {
    for (Value input : concat.getInputs()) {
      auto d = input.getDefiningOp<DequantizeOp>();
      if (!d)
        return std::nullopt;
      parts.push_back(d);
    }
  } else {
    return std::nullopt;
  }
  std::optional<uint64_t> group = parts.front().getGroupSize();
  for (DequantizeOp d : parts)
    if (static_cast<int64_t>(d.getAxis()) != nDim ||
        d.getGroupSize() != group || !options.usesInt8Panels(group))
      return std::nullopt;
  QuantizedWeight q{parts.front().getInput(), parts.front().getScales(),
                    parts.front().getGroupSizeAttr()};
  if (parts.size() > 1) {
    SmallVector<Value> values, scales;
    for (DequantizeOp d : parts) {
      values.push_back(d.getInput());
      scales.push_back(d.getScales());
    }
    Location loc = op.getLoc();
    q.values = tensor::ConcatOp::create(rewriter, loc, nDim, values);
    q.scales = tensor::ConcatOp::create(rewriter, loc, 0, scales);
  }
  return q;
}

/// A constant weight with a sparsity hint, stored sparse from its raw
/// buffer in f32: as xf_cpu.gemm's `blocks` (per panel of `panelWidth`
/// columns, its nonzero blocks of the hint's rows of K) where the hint's
/// blocks are at least a vector wide, else by column as
/// xf_cpu.sparse_gemm's `columns` (each column's nonzeros); a 2:4 hint as
/// xf_cpu.gemm's `two_of_four` panels and selectors.
struct SparseWeight {
  bool byColumn = false;
  Value values, offsets, indices, selectors;
};

template <typename T>
static Value rawConstantOp(PatternRewriter &rewriter, Location loc,
                           ArrayRef<int64_t> shape, Type elt,
                           ArrayRef<T> values) {
  return arith::ConstantOp::create(
             rewriter, loc,
             rawConstant(RankedTensorType::get(shape, elt), values))
      .getResult();
}

/// The 2:4 panels and selectors of `w` (see xf_cpu.gemm).
static SparseWeight twoOfFourWeight(const WeightMatrix &w, int64_t panelWidth,
                                    Location loc, PatternRewriter &rewriter) {
  int64_t k = w.rows(), n = w.cols(), nr = panelWidth;
  int64_t panels = (n + nr - 1) / nr, groups = (k + 3) / 4;
  std::vector<float> values(panels * groups * 2 * nr, 0.0f);
  std::vector<int8_t> selectors(panels * groups * nr, 0);
  for (int64_t col = 0; col < n; ++col) {
    int64_t p = col / nr, j = col % nr;
    for (int64_t g = 0; g < groups; ++g) {
      int64_t at = (p * groups + g) * nr + j, kept = 0;
      for (int64_t r = 4 * g; r < std::min(4 * g + 4, k) && kept < 2; ++r) {
        if (w.at(r, col) == 0.0f)
          continue;
        values[2 * (p * groups + g) * nr + kept * nr + j] = w.at(r, col);
        selectors[at] |= static_cast<int8_t>((r - 4 * g) << (2 * kept));
        ++kept;
      }
    }
  }
  SparseWeight sparse;
  sparse.values = rawConstantOp(rewriter, loc, {panels, groups, 2 * nr},
                                rewriter.getF32Type(), ArrayRef<float>(values));
  sparse.selectors =
      rawConstantOp(rewriter, loc, {panels, groups, nr}, rewriter.getI8Type(),
                    ArrayRef<int8_t>(selectors));
  return sparse;
}

std::optional<SparseWeight> sparseWeight(LinearOp op, int64_t panelWidth,
                                         int64_t vectorWidth,
                                         PatternRewriter &rewriter) {
  SparsityAttr sparsity = op.getSparsityAttr();
  if (!sparsity)
    return std::nullopt;
  std::optional<WeightMatrix> w =
      WeightMatrix::read(op.getWeight(), op.getWeightLayout());
  if (!w)
    return std::nullopt;
  Location loc = op.getLoc();
  if (sparsity.getTwoOfFour()) {
    if (w->isTwoOfFour())
      return twoOfFourWeight(*w, panelWidth, loc, rewriter);
    op.emitWarning("the weight has groups of 4 rows of K with more than 2 "
                   "nonzeros: stored dense despite its 2:4 hint");
    return std::nullopt;
  }
  SparseWeight sparse;
  sparse.byColumn = sparsity.getBlockCols() < vectorWidth;
  int64_t bk = sparse.byColumn ? 1 : sparsity.getBlockRows();
  int64_t width = sparse.byColumn ? 1 : panelWidth;
  int64_t k = w->rows(), n = w->cols();
  int64_t groups = (n + width - 1) / width;
  // Per group of columns (a panel, or one column), the stored blocks; an
  // all-zero weight still stores one (zero) block: tensors are never empty.
  std::vector<int32_t> offsets, indices;
  std::vector<float> values;
  bool allZero = w->nonzeroBlocks(bk, width) == 0;
  for (int64_t p = 0; p < groups; ++p) {
    offsets.push_back(indices.size());
    for (int64_t b = 0; b * bk < k; ++b) {
      if (!w->blockIsNonzero(b, p, bk, width) && !(allZero && p == 0 && b == 0))
        continue;
      indices.push_back(b);
      for (int64_t r = b * bk; r < (b + 1) * bk; ++r)
        for (int64_t j = 0; j < width; ++j) {
          int64_t col = p * width + j;
          values.push_back(r < k && col < n ? w->at(r, col) : 0.0f);
        }
    }
  }
  offsets.push_back(indices.size());
  Type i32 = rewriter.getI32Type();
  int64_t stored = indices.size();
  SmallVector<int64_t> shape = {stored};
  if (!sparse.byColumn)
    shape.append({bk, panelWidth});
  sparse.values = rawConstantOp(rewriter, loc, shape, rewriter.getF32Type(),
                                ArrayRef<float>(values));
  sparse.offsets = rawConstantOp(rewriter, loc, {groups + 1}, i32,
                                 ArrayRef<int32_t>(offsets));
  sparse.indices =
      rawConstantOp(rewriter, loc, {stored}, i32, ArrayRef<int32_t>(indices));
  return sparse;
}

/// Whether `v` reaches a top-k selection (xf's or the kernel it becomes,
/// through row reshapes): whatever the patterns' order.
static bool feedsSelection(Value v) {
  return llvm::any_of(v.getUsers(), [](Operation *user) {
    if (isa<TopKOp, cpu::TopKOp>(user))
      return true;
    return isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(user) &&
           feedsSelection(user->getResult(0));
  });
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
    // The weight: sparse (a hinted constant), else panels of int8 with its
    // scales, of bf16 pairs, or of f32.
    std::optional<SparseWeight> sparse =
        sparseWeight(op, panelWidth, options.vectorWidth, rewriter);
    Value packed, offsets, rows, scales, selectors;
    IntegerAttr group;
    if (sparse) {
      packed = sparse->values;
      offsets = sparse->offsets;
      rows = sparse->indices;
      selectors = sparse->selectors;
    } else {
      Value weight = op.getWeight();
      // Scores that select (xf.top_k) are products of exact f32
      // activations: bf16 or int8 activations would move the selection.
      bool exact = feedsSelection(op.getResult());
      Type panelType = !exact && options.usesBf16Panels(wType.getElementType())
                           ? rewriter.getBF16Type()
                           : f32;
      std::optional<QuantizedWeight> q =
          !exact ? quantizedWeight(op, options, rewriter) : std::nullopt;
      if (q) {
        weight = q->values;
        scales = q->scales;
        group = q->group;
        panelType = rewriter.getI8Type();
      }
      packed = packWeight(rewriter, loc, weight, op.getWeightLayoutAttr(),
                          panels, k, panelWidth, panelType);
    }
    Value input = xf::collapseToRows(rewriter, loc, op.getInput());
    Value residual = op.getResidual()
                         ? xf::collapseToRows(rewriter, loc, op.getResidual())
                         : Value();
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(rewriter, loc, input, 0),
        rewriter.getIndexAttr(n)};
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, f32);
    SmallVector<Type> results = {init.getType()};
    Value gemm =
        sparse && sparse->byColumn
            ? cpu::SparseGemmOp::create(rewriter, loc, results, input, packed,
                                        offsets, rows, op.getBias(), residual,
                                        init, op.getActivationAttr())
                  .getResult()
                  .front()
            : cpu::GemmOp::create(rewriter, loc, results, input, packed, scales,
                                  offsets, rows, selectors, op.getBias(),
                                  residual, init, op.getActivationAttr(), group)
                  .getResult()
                  .front();
    rewriter.replaceOp(
        op, xf::expandFromRows(rewriter, loc, gemm, type, op.getInput()));
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
    options.int8Panels = int8Panels;
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
    cpu::populateSelectionKernelPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void cpu::populateGemmKernelPatterns(RewritePatternSet &patterns,
                                     const KernelOptions &options) {
  patterns.add<FormGemm>(patterns.getContext(), options);
}
