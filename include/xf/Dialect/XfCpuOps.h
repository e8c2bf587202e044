//===- XfCpuOps.h - the xf_cpu kernel dialect -------------------*- C++ -*-===//

#ifndef XF_DIALECT_XFCPUOPS_H
#define XF_DIALECT_XFCPUOPS_H

#include "xf/Dialect/ConstantBytes.h"
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
} // namespace xf::cpu
} // namespace mlir

#endif // XF_DIALECT_XFCPUOPS_H
