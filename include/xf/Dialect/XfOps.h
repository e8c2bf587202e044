//===- XfOps.h - ops of the xf dialect --------------------------*- C++ -*-===//

#ifndef XF_DIALECT_XFOPS_H
#define XF_DIALECT_XFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "xf/Dialect/XfDialect.h"
#include "xf/Dialect/XfEnums.h.inc"

namespace mlir::xf {
/// Custom directive of the structural attention mask, shared by every op
/// that has one: nothing, `causal` or `window N`.
ParseResult parseMaskSpec(OpAsmParser &parser, MaskKindAttr &kind,
                          IntegerAttr &window);
void printMaskSpec(OpAsmPrinter &printer, Operation *op, MaskKindAttr kind,
                   IntegerAttr window);

/// Whether inferred and declared result types agree up to dynamic sizes.
bool areCompatibleTensorTypes(TypeRange inferred, TypeRange declared);

/// Verifies an xf op by running its type inference (which validates operands
/// and attributes) and comparing the result types with the inferred ones.
template <typename OpTy> LogicalResult verifyInferredTypes(OpTy op) {
  SmallVector<Type> inferred;
  if (failed(OpTy::inferReturnTypes(op.getContext(), op.getLoc(),
                                    typename OpTy::Adaptor(op), inferred)))
    return failure();
  if (!areCompatibleTensorTypes(inferred, op->getResultTypes()))
    return op.emitOpError("result type ")
           << op->getResultTypes() << " does not match the inferred type "
           << inferred;
  return success();
}
} // namespace mlir::xf

#define GET_OP_CLASSES
#include "xf/Dialect/XfOps.h.inc"

#endif // XF_DIALECT_XFOPS_H
