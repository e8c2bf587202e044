//===- OutlineRepeats.h - repeated runs of ops as calls ---------*- C++ -*-===//

#ifndef XF_LIB_TRANSFORMS_OUTLINEREPEATS_H
#define XF_LIB_TRANSFORMS_OUTLINEREPEATS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::xf {

/// Outlines the run of ops of `func` that repeats back to back at least
/// `minRepeats` times and covers at least half its ops (the layers of an
/// imported model) into `@<func>_layer<index>` (incrementing `index`),
/// called per repeat with what it reads from outside, the constants that
/// differ between repeats (weights) included. Nothing is outlined when such
/// a constant is to `keepInPlace`. Returns whether it outlined.
bool outlineRepeatedRuns(func::FuncOp func, SymbolTable &symbols,
                         int64_t minRepeats, int64_t &index,
                         llvm::function_ref<bool(Value)> keepInPlace);

} // namespace mlir::xf

#endif // XF_LIB_TRANSFORMS_OUTLINEREPEATS_H
