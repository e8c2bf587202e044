//===- LowerDynamicExpands.cpp - the xf-cpu-lower-dynamic-expands pass ----===//

#include "xf/Codegen/CPU/Passes.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPULOWERDYNAMICEXPANDS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

/// Whether some source dimension splits into more than one dynamic size.
static bool splitsIntoDynamicSizes(memref::ExpandShapeOp op) {
  ArrayRef<int64_t> shape = op.getResultType().getShape();
  return llvm::any_of(op.getReassociationIndices(), [&](const auto &group) {
    return llvm::count_if(group, [&](int64_t d) {
             return ShapedType::isDynamic(shape[d]);
           }) > 1;
  });
}

static void lowerToReinterpretCast(memref::ExpandShapeOp op, OpBuilder &b) {
  Location loc = op.getLoc();
  b.setInsertionPoint(op);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, op.getSrc());
  MemRefType type = op.getResultType();
  auto [typeStrides, typeOffset] = type.getStridesAndOffset();
  SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
  SmallVector<OpFoldResult> strides(type.getRank());
  auto asValue = [&](OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  };
  // Within a group the last dimension keeps the source's stride; each one
  // before it steps over the sizes after it.
  for (auto [src, group] : llvm::enumerate(op.getReassociationIndices())) {
    Value stride = meta.getStrides()[src];
    strides[group.back()] = stride;
    for (int64_t i = group.size() - 1; i > 0; --i) {
      stride = arith::MulIOp::create(b, loc, stride, asValue(sizes[group[i]]));
      strides[group[i - 1]] = stride;
    }
  }
  // Static values where the result type has them, as the cast requires.
  for (auto [i, s] : llvm::enumerate(typeStrides))
    if (!ShapedType::isDynamic(s))
      strides[i] = b.getIndexAttr(s);
  for (auto [i, s] : llvm::enumerate(type.getShape()))
    if (!ShapedType::isDynamic(s))
      sizes[i] = b.getIndexAttr(s);
  OpFoldResult offset = ShapedType::isDynamic(typeOffset)
                            ? OpFoldResult(meta.getOffset())
                            : b.getIndexAttr(typeOffset);
  Value cast = memref::ReinterpretCastOp::create(
      b, loc, type, meta.getBaseBuffer(), offset, sizes, strides);
  op.replaceAllUsesWith(cast);
  op.erase();
}

namespace {
struct XfCpuLowerDynamicExpandsPass
    : xf::impl::XfCpuLowerDynamicExpandsBase<XfCpuLowerDynamicExpandsPass> {
  void runOnOperation() override {
    SmallVector<memref::ExpandShapeOp> expands;
    getOperation()->walk([&](memref::ExpandShapeOp op) {
      if (splitsIntoDynamicSizes(op))
        expands.push_back(op);
    });
    OpBuilder b(&getContext());
    for (memref::ExpandShapeOp op : expands)
      lowerToReinterpretCast(op, b);
  }
};
} // namespace
