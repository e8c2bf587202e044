//===- Evaluator.h - run an xf function with the reference kernels -*- C++ -*-//

#ifndef XF_REFERENCE_EVALUATOR_H
#define XF_REFERENCE_EVALUATOR_H

#include "xf/Reference/Kernels.h"
#include "xf/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::xf::ref {

/// Evaluates `func` (xf ops, arith.constant and tensor.cast) on `inputs`,
/// one per argument, with the double-precision reference kernels. Emits an
/// error at the first op it cannot evaluate and fails.
mlir::FailureOr<std::vector<Tensor>>
evaluate(mlir::func::FuncOp func, llvm::ArrayRef<runtime::HostTensor> inputs);

} // namespace mlir::xf::ref

#endif // XF_REFERENCE_EVALUATOR_H
