//===- FoldConstantSlices.cpp - assemble packed constants at compile time -===//
//
// The panels of a merged projection are packed part by part into slices of
// one tensor. When the parts are constants (packed at compile time), the
// assembled tensor is one too, instead of a copy per call.
//
//===----------------------------------------------------------------------===//

#include "xf/Dialect/WeightMatrix.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// The bytes of a constant: every element, or the one of a splat.
struct ConstantBytes {
  ArrayRef<char> data;
  bool splat = false;
  ShapedType type;
};

std::optional<ConstantBytes> bytesOf(Value v) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (dense && dense.isSplat())
    return ConstantBytes{dense.getRawData(), true, dense.getType()};
  std::optional<ArrayRef<char>> bytes = constantBytes(attr);
  if (!bytes)
    return std::nullopt;
  return ConstantBytes{*bytes, false, cast<ShapedType>(attr.getType())};
}

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
    SmallVector<std::pair<tensor::InsertSliceOp, ConstantBytes>> chain;
    Value base = last.getResult();
    while (auto insert = base.getDefiningOp<tensor::InsertSliceOp>()) {
      std::optional<ConstantBytes> source = bytesOf(insert.getSource());
      if (!source || !insert.hasUnitStride() ||
          ShapedType::isDynamicShape(insert.getStaticOffsets()) ||
          insert.getSourceType().getRank() != type.getRank() ||
          (insert != last && !insert->hasOneUse()))
        return failure();
      chain.push_back({insert, *source});
      base = insert.getDest();
    }
    std::optional<ConstantBytes> baseValue = bytesOf(base);
    if (!base.getDefiningOp<tensor::EmptyOp>() && !baseValue)
      return failure();

    size_t width = type.getElementTypeBitWidth() / 8;
    std::vector<char> bytes(type.getNumElements() * width, 0);
    if (baseValue)
      fill(bytes, *baseValue, width);
    for (auto &[insert, source] : llvm::reverse(chain))
      copyInto(bytes, type.getShape(), insert.getStaticOffsets(), source,
               width);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(last, type,
                                                   packedConstant(type, bytes));
    return success();
  }

  static void fill(std::vector<char> &bytes, const ConstantBytes &value,
                   size_t width) {
    ArrayRef<char> raw = value.data;
    if (!value.splat) {
      std::memcpy(bytes.data(), raw.data(), bytes.size());
      return;
    }
    for (size_t i = 0; i < bytes.size(); i += width)
      std::memcpy(bytes.data() + i, raw.data(), width);
  }

  /// Writes `source` at `offsets` of a row-major tensor of `shape`, one
  /// innermost row at a time.
  static void copyInto(std::vector<char> &bytes, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> offsets, const ConstantBytes &source,
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

} // namespace

void XfCpuDialect::getCanonicalizationPatterns(
    RewritePatternSet &results) const {
  results.add<FoldConstantInsertSlices>(getContext());
}
