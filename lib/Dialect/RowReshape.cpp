//===- RowReshape.cpp - tensors viewed as rows of features ---------------===//

#include "xf/Dialect/RowReshape.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

/// [[0, 1, ..., rank - 2], [rank - 1]]: all leading dimensions form rows.
static SmallVector<ReassociationIndices> rowsThenFeatures(int64_t rank) {
  ReassociationIndices rows;
  for (int64_t i = 0; i < rank - 1; ++i)
    rows.push_back(i);
  return {rows, {rank - 1}};
}

Value xf::collapseToRows(OpBuilder &b, Location loc, Value t) {
  auto type = cast<RankedTensorType>(t.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return t;
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType()),
        t, ArrayRef<ReassociationIndices>{{0, 1}});
  return tensor::CollapseShapeOp::create(b, loc, t, rowsThenFeatures(rank));
}

Value xf::expandFromRows(OpBuilder &b, Location loc, Value rows,
                              RankedTensorType type, Value like) {
  int64_t rank = type.getRank();
  if (rank == 2)
    return rows;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, rows, ArrayRef<ReassociationIndices>{{0, 1}});
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  sizes.back() = b.getIndexAttr(type.getShape().back());
  return tensor::ExpandShapeOp::create(b, loc, type, rows,
                                       rowsThenFeatures(rank), sizes);
}
