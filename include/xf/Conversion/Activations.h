//===- Activations.h - arith/math forms of xf activations -------*- C++ -*-===//
//
// The formulas of the xf activations, built on a scalar or vector float
// value. The plain lowering applies them per element inside linalg.generic;
// the CPU kernels apply them to vector registers in GEMM epilogues.
//
//===----------------------------------------------------------------------===//

#ifndef XF_CONVERSION_ACTIVATIONS_H
#define XF_CONVERSION_ACTIVATIONS_H

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::xf {

/// A float constant of `type` (a float or a vector of floats).
Value buildFloatConstant(OpBuilder &b, Location loc, Type type, double value);

Value buildGelu(OpBuilder &b, Location loc, Value x,
                GeluApproximation approximation);
Value buildSilu(OpBuilder &b, Location loc, Value x);
Value buildRelu(OpBuilder &b, Location loc, Value x);
Value buildActivation(OpBuilder &b, Location loc, Activation act, Value x);

} // namespace mlir::xf

#endif // XF_CONVERSION_ACTIVATIONS_H
