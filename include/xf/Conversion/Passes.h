//===- Passes.h - xf lowering passes ----------------------------*- C++ -*-===//

#ifndef XF_CONVERSION_PASSES_H
#define XF_CONVERSION_PASSES_H

#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace xf {

#define GEN_PASS_DECL
#include "xf/Conversion/Passes.h.inc"

/// Patterns that lower every xf primitive to linalg/tensor/arith/math.
void populateXfToLinalgPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "xf/Conversion/Passes.h.inc"

} // namespace xf
} // namespace mlir

#endif // XF_CONVERSION_PASSES_H
