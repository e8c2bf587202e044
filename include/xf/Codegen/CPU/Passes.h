//===- Passes.h - xf CPU code generation passes -----------------*- C++ -*-===//

#ifndef XF_CODEGEN_PASSES_H
#define XF_CODEGEN_PASSES_H

#include "xf/Dialect/WeightMatrix.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::xf {

#define GEN_PASS_DECL
#include "xf/Codegen/CPU/Passes.h.inc"

/// The function attributes that xf-cpu-outline-weight-packing sets on a
/// step function: its packing function (`entry`), the step function's
/// original arguments that the packing function takes (`inputs`) and that
/// the step function keeps (`stepInputs`), in order, and the types of the
/// packed weights, which the step function takes after them.
struct PackingAttrNames {
  StringRef entry, inputs, stepInputs, packedTypes;
};
PackingAttrNames getPackingAttrNames();

/// The function attribute that xf-cpu-drop-tied-results sets: per result,
/// the argument whose buffer holds it after a call, or -1.
StringRef getTiedResultsAttrName();

#define GEN_PASS_REGISTRATION
#include "xf/Codegen/CPU/Passes.h.inc"

} // namespace mlir::xf

#endif // XF_CODEGEN_PASSES_H
