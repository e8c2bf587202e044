//===- ArgumentPacking.h - weight packing that reads arguments --*- C++ -*-===//
//
// The packing of a function's weights that depends on its arguments alone:
// what xf-cpu-outline-weight-packing moves into a function run once at load
// time, and xf-cpu-pack-at-call-sites moves into the callers of a private
// function.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_CPU_ARGUMENTPACKING_H
#define XF_LIB_CODEGEN_CPU_ARGUMENTPACKING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::xf::cpu {

struct ArgumentPacking {
  /// The packed weights: GEMM panels and gathered-MLP weight rows.
  llvm::SetVector<Value> packed;
  /// The effect-free ops computing them from the arguments, operands first.
  llvm::SetVector<Operation *> ops;
  /// The arguments they read. Nothing but this packing reads them: an
  /// activation that also feeds a panel changes on every call.
  llvm::SetVector<unsigned> args;
};

/// The packing of `func`'s weights that reads only its arguments (and
/// constants), in an ArgumentPacking that may be empty.
ArgumentPacking findArgumentPacking(func::FuncOp func);

/// Makes `func` take the packed weights as trailing arguments in place of
/// computing them, and drops the arguments only the packing read. Returns
/// the original arguments `func` keeps, in order.
SmallVector<int64_t> takePackedArguments(func::FuncOp func,
                                         const ArgumentPacking &packing);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_ARGUMENTPACKING_H
