//===- FoldConstantWeights.cpp - the xf-cpu-fold-constant-weights pass ----===//
//
// Constant weights are packed once, at compile time, and a merged
// projection's panels, packed part by part into slices of one tensor,
// assembled into one constant; with release-weights, the raw weights' blobs
// are freed as their packing folds, so that a model's raw and packed weights
// are not both held to the end of the compile.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstring>

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUFOLDCONSTANTWEIGHTS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Erases a constant that nothing uses any more now, rather than when the
/// driver gets to it: its blob can then be released before the next weight
/// is packed.
void eraseIfUnused(Operation *constant, PatternRewriter &rewriter) {
  if (constant && constant->use_empty())
    rewriter.eraseOp(constant);
}

/// Packs the panels of a constant weight.
struct PackConstantWeights : OpRewritePattern<cpu::PackWeightsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(cpu::PackWeightsOp op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumResults() != 1)
      return failure();
    std::optional<RawElements> weight = rawElements(op.getWeight());
    ElementsAttr panels = weight ? op.packConstant(*weight) : ElementsAttr();
    if (!panels)
      return failure();
    Operation *source = op.getWeight().getDefiningOp();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, cast<TypedAttr>(panels));
    eraseIfUnused(source, rewriter);
    return success();
  }
};

/// A chain `insert_slice %c_n into (... insert_slice %c_1 into %base)` of
/// constants with static offsets and unit strides, `%base` a constant or a
/// `tensor.empty` (whose unspecified elements become zeros), folded at its
/// last insertion into one constant.
struct FoldConstantInsertSlices : OpRewritePattern<tensor::InsertSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::InsertSliceOp last,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = last.getDestType();
    if (!type.hasStaticShape() || type.getRank() == 0 ||
        !type.getElementType().isIntOrFloat() ||
        type.getElementTypeBitWidth() % 8 != 0 ||
        llvm::any_of(last->getUsers(), [&](Operation *user) {
          auto next = dyn_cast<tensor::InsertSliceOp>(user);
          return next && next.getDest() == last.getResult();
        }))
      return failure();
    // The insertions, last first, down to the base.
    SmallVector<std::pair<tensor::InsertSliceOp, RawElements>> chain;
    Value base = last.getResult();
    while (auto insert = base.getDefiningOp<tensor::InsertSliceOp>()) {
      std::optional<RawElements> source = rawElements(insert.getSource());
      if (!source || !insert.hasUnitStride() ||
          ShapedType::isDynamicShape(insert.getStaticOffsets()) ||
          insert.getSourceType().getRank() != type.getRank() ||
          (insert != last && !insert->hasOneUse()))
        return failure();
      chain.push_back({insert, *source});
      base = insert.getDest();
    }
    std::optional<RawElements> baseValue = rawElements(base);
    if (!base.getDefiningOp<tensor::EmptyOp>() && !baseValue)
      return failure();

    size_t width = type.getElementTypeBitWidth() / 8;
    std::vector<char> bytes(type.getNumElements() * width, 0);
    if (baseValue)
      fill(bytes, *baseValue, width);
    for (auto &[insert, source] : llvm::reverse(chain))
      copyInto(bytes, type.getShape(), insert.getStaticOffsets(), source,
               width);
    SmallVector<Operation *> parts = {base.getDefiningOp()};
    for (auto &[insert, source] : chain)
      parts.push_back(insert.getSource().getDefiningOp());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(last, type,
                                                   blobConstant(type, bytes));
    // The earlier insertions (each used by the next only), then the parts.
    for (auto &[insert, source] : llvm::drop_begin(chain))
      rewriter.eraseOp(insert);
    for (Operation *part : parts)
      eraseIfUnused(part, rewriter);
    return success();
  }

  static void fill(std::vector<char> &bytes, const RawElements &value,
                   size_t width) {
    if (!value.splat) {
      std::memcpy(bytes.data(), value.data.data(), bytes.size());
      return;
    }
    for (size_t i = 0; i < bytes.size(); i += width)
      std::memcpy(bytes.data() + i, value.data.data(), width);
  }

  /// Writes `source` at `offsets` of a row-major tensor of `shape`, one
  /// innermost row at a time.
  static void copyInto(std::vector<char> &bytes, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> offsets, const RawElements &source,
                       size_t width) {
    ArrayRef<int64_t> sizes = source.type.getShape();
    int64_t rank = shape.size(), rowLength = sizes.back();
    if (source.type.getNumElements() == 0)
      return;
    ArrayRef<char> raw = source.data;
    SmallVector<int64_t> index(rank, 0);
    for (int64_t row = 0, rows = source.type.getNumElements() / rowLength;
         row < rows; ++row) {
      int64_t at = 0;
      for (int64_t d = 0; d < rank; ++d)
        at = at * shape[d] + offsets[d] + index[d];
      for (int64_t j = 0; j < rowLength; ++j) {
        size_t from = source.splat ? 0 : (row * rowLength + j) * width;
        std::memcpy(bytes.data() + (at + j) * width, raw.data() + from, width);
      }
      // The next row: advance the outer indices, innermost first.
      for (int64_t d = rank - 2; d >= 0 && ++index[d] == sizes[d]; --d)
        index[d] = 0;
    }
  }
};

/// Counts the module's references to each blob as ops come and go, and frees
/// a blob when its count drops to zero.
struct BlobReleaser : RewriterBase::Listener {
  explicit BlobReleaser(Operation *module)
      : counts(countBlobReferences(module)) {}

  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    if (previous.isSet()) // moved, not new: already counted
      return;
    op->walk([&](Operation *nested) {
      for (BlobEntry *entry : blobReferences(nested))
        ++counts[entry];
    });
  }

  // Called for each nested op as well.
  void notifyOperationErased(Operation *op) override {
    for (BlobEntry *entry : blobReferences(op))
      if (--counts[entry] == 0)
        releaseBlob(entry);
  }

  llvm::DenseMap<BlobEntry *, int64_t> counts;
};

struct XfCpuFoldConstantWeightsPass
    : xf::impl::XfCpuFoldConstantWeightsBase<XfCpuFoldConstantWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<PackConstantWeights, FoldConstantInsertSlices>(ctx);
    std::optional<BlobReleaser> releaser;
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (releaseWeights) {
      releaser.emplace(getOperation());
      config.setListener(&*releaser);
    }
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      getOperation()->emitWarning("xf-cpu-fold-constant-weights: the folds "
                                  "did not converge");
  }
};

} // namespace
