//===- Evaluator.h - run an xf function with the reference kernels -*- C++ -*-//

#ifndef XF_REFERENCE_EVALUATOR_H
#define XF_REFERENCE_EVALUATOR_H

#include "xf/Reference/Kernels.h"
#include "xf/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>

namespace mlir::xf::ref {

/// What the evaluator models beyond the ops' semantics.
struct EvalOptions {
  /// The input rounding of the products that take a value (an argument or
  /// an op's first result) as their weight (Tensor::rounding); unset: none,
  /// the exact semantics.
  std::function<InputRounding(mlir::Value)> roundingOf;
};

/// Evaluates `func` (xf ops, arith.constant and tensor.cast) on `inputs`,
/// one per argument, with the double-precision reference kernels. Emits an
/// error at the first op it cannot evaluate and fails.
mlir::FailureOr<std::vector<Tensor>>
evaluate(mlir::func::FuncOp func, llvm::ArrayRef<runtime::HostTensor> inputs,
         const EvalOptions &options = {});

} // namespace mlir::xf::ref

#endif // XF_REFERENCE_EVALUATOR_H
