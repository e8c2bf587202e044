//===- LinalgBuilders.h - building blocks of the xf lowering ----*- C++ -*-===//
//
// Small builders for the linalg.generic shapes that the xf lowering needs:
// broadcasting maps, reductions along one axis, and a guarded softmax. They
// keep every op's lowering a few lines long and handle dynamic sizes once.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CONVERSION_XFTOLINALG_LINALGBUILDERS_H
#define XF_LIB_CONVERSION_XFTOLINALG_LINALGBUILDERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::xf::lowering {

/// Computes one result element from the operand elements.
using ElementFn =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange elements)>;

/// The sizes of a ranked tensor value, static ones as attributes.
SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc, Value tensor);

/// An uninitialized tensor of the given sizes.
Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType);

/// A tensor of the given sizes filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value);

/// The map from an iteration space shaped like `result` to an operand that
/// broadcasts against it NumPy-style (aligned on the trailing dimensions;
/// size-1 operand dimensions read index 0).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operand,
                       ArrayRef<int64_t> result);

/// The broadcast result sizes of NumPy-compatible operands.
SmallVector<OpFoldResult> broadcastSizes(OpBuilder &b, Location loc,
                                         ValueRange operands,
                                         ArrayRef<int64_t> resultShape);

/// `result[i] = fn(operands[bcast(i)]...)` over a result of `resultType` with
/// the given sizes; the operands broadcast against it.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ArrayRef<OpFoldResult> resultSizes, ValueRange operands,
                       ElementFn fn);

/// Reduces `input` along `axis` with `combine(element, accumulator)` starting
/// from `init`; the result drops that axis.
Value buildReduction(
    OpBuilder &b, Location loc, Value input, int64_t axis, double init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// Softmax along `axis`, giving zeros (not NaN) where a slice is all -inf.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, int64_t axis);

/// `init + sum_k lhs * rhs` as a linalg.generic with the given maps; the
/// last iteration dimension is the reduction.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init, ArrayRef<AffineMap> maps);

/// The packed sequence that holds token `t`, for sequence offsets `[B+1]`
/// (an integer tensor; see xf.attention): its index, or -1 when `t` lies
/// outside every sequence, and its first token (index values). A loop over
/// the sequences, meant for the body of a linalg op.
std::pair<Value, Value> buildSequenceOf(OpBuilder &b, Location loc,
                                        Value offsets, Value t);

/// An element of an integer tensor as an index value.
Value extractIndex(OpBuilder &b, Location loc, Value tensor, ValueRange at);

/// An integer id (any integer type or index) as an index clamped into
/// `[0, last]`: how the ops that gather by id (embedding, gather_mlp) keep a
/// bad id from reading outside their tables.
Value clampIndex(OpBuilder &b, Location loc, Value id, Value last);

/// The size of dimension `dim` of `tensor` as an index value.
Value dimValue(OpBuilder &b, Location loc, Value tensor, int64_t dim);

/// An index value converted to the float `type`.
Value castIndexToFloat(OpBuilder &b, Location loc, Value index, Type type);

} // namespace mlir::xf::lowering

#endif // XF_LIB_CONVERSION_XFTOLINALG_LINALGBUILDERS_H
