//===- Passes.h - xf graph-level passes -------------------------*- C++ -*-===//

#ifndef XF_TRANSFORMS_PASSES_H
#define XF_TRANSFORMS_PASSES_H

#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace xf {

#define GEN_PASS_DECL
#include "xf/Transforms/Passes.h.inc"

/// Whether xf-sparsify-weights may give a linear with this weight a sparse
/// format: a constant with enough zeros for one to cost less than dense
/// (1/17 of its elements: a few stray zeros do not count). Passes that
/// would hide a weight's values from it (xf-outline-layers) leave such
/// weights in place.
bool mayBecomeSparse(Value weight);

/// Patterns that rewrite xf.block and xf.mlp into xf primitives.
void populateExpandCompositePatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "xf/Transforms/Passes.h.inc"

} // namespace xf
} // namespace mlir

#endif // XF_TRANSFORMS_PASSES_H
