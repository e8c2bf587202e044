//===- OperandSegments.h - one value per single operand ---------*- C++ -*-===//
//
// The trait Xf_SingleOperandSegments (dialects/xf/XfBase.td) gives the ops
// with AttrSizedOperandSegments: each segment of a single operand must hold
// exactly one value before anything reads it.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_OPERANDSEGMENTS_H
#define XF_DIALECT_OPERANDSEGMENTS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::xf {

/// Fails with an error on `op` unless each segment whose kind is 1 (a single
/// operand) holds one value; leaves a missing or malformed segment sizes
/// attribute to AttrSizedOperandSegments' own check.
LogicalResult verifySingleOperandSegments(Operation *op, ArrayRef<int> kinds);

template <int... Kinds> struct SingleOperandSegments {
  template <typename ConcreteType>
  class Impl : public OpTrait::TraitBase<ConcreteType, Impl> {
  public:
    static LogicalResult verifyTrait(Operation *op) {
      return verifySingleOperandSegments(op, {Kinds...});
    }
  };
};

} // namespace mlir::xf

#endif // XF_DIALECT_OPERANDSEGMENTS_H
