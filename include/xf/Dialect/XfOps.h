//===- XfOps.h - ops of the xf dialect --------------------------*- C++ -*-===//

#ifndef XF_DIALECT_XFOPS_H
#define XF_DIALECT_XFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "xf/Dialect/AttentionLayout.h"
#include "xf/Dialect/OperandSegments.h"
#include "xf/Dialect/XfDialect.h"
#include "xf/Dialect/XfEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "xf/Dialect/XfAttrs.h.inc"

namespace mlir::xf {
/// Custom directive of the attention layout, shared by every op that has
/// one: the layout's keywords inline (`causal window 4`), or nothing.
ParseResult parseLayout(OpAsmParser &parser, AttentionLayoutAttr &layout);
void printLayout(OpAsmPrinter &printer, Operation *op,
                 AttentionLayoutAttr layout);

/// The layout an attention-like op describes: `layout`'s definition, or a
/// dense layout when there is none.
inline AttentionLayout layoutOf(AttentionLayoutAttr layout) {
  return layout ? layout.getLayout() : AttentionLayout();
}

/// The dimension of a linear weight that runs over its inputs (K) in
/// `layout`: 0 for `kn` ([K, N]), 1 for `nk` ([N, K]). The one definition
/// of the weight layouts; the outputs (N) run over the other one.
inline unsigned weightInputDim(WeightLayout layout) {
  return layout == WeightLayout::kn ? 0 : 1;
}
inline unsigned weightOutputDim(WeightLayout layout) {
  return 1 - weightInputDim(layout);
}

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
