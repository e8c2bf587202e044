//===- XfCpuOps.h - the xf_cpu kernel dialect -------------------*- C++ -*-===//

#ifndef XF_DIALECT_XFCPUOPS_H
#define XF_DIALECT_XFCPUOPS_H

#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

#include "xf/Dialect/XfCpuDialect.h.inc"

#define GET_OP_CLASSES
#include "xf/Dialect/XfCpuOps.h.inc"

namespace mlir {
class DialectRegistry;
namespace xf::cpu {
/// Attaches the bufferization interface to the xf_cpu kernel ops.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

/// Views `[d0, ..., dn-2, f]` as the rows `[d0 * ... * dn-2, f]` the row
/// kernels take (a free reshape; rank 1 gains a unit row dimension).
Value collapseToRows(OpBuilder &b, Location loc, Value tensor);
/// The inverse: rows back to `type`, whose leading sizes are those of
/// `like` (for dynamic ones).
Value expandFromRows(OpBuilder &b, Location loc, Value rows,
                     RankedTensorType type, Value like);
} // namespace xf::cpu
} // namespace mlir

#endif // XF_DIALECT_XFCPUOPS_H
