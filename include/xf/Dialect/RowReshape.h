//===- RowReshape.h - tensors viewed as rows of features --------*- C++ -*-===//
//
// The row view that row-wise lowerings and kernels take: every leading
// dimension folded into one.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_ROWRESHAPE_H
#define XF_DIALECT_ROWRESHAPE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::xf {

/// Views `[d0, ..., dn-2, f]` as the rows `[d0 * ... * dn-2, f]` (a free
/// reshape; rank 1 gains a unit row dimension).
Value collapseToRows(OpBuilder &b, Location loc, Value tensor);
/// The inverse: rows back to `type`, whose leading sizes are those of
/// `like` (for dynamic ones).
Value expandFromRows(OpBuilder &b, Location loc, Value rows,
                     RankedTensorType type, Value like);

} // namespace mlir::xf

#endif // XF_DIALECT_ROWRESHAPE_H
