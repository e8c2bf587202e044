//===- Aot.h - xf modules to objects and C headers --------------*- C++ -*-===//
//
// Ahead-of-time output: a module compiled by xf-cpu-pipeline (bare-pointer
// calling convention) into an ELF object for a target CPU, and the C header
// that declares its entry points with their shapes, the packing function of
// weights packed once, and the results written in place.
//
//===----------------------------------------------------------------------===//

#ifndef XF_TARGET_AOT_H
#define XF_TARGET_AOT_H

#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/Runtime/FunctionInputs.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace mlir::xf {

/// What a C caller needs of one public function, read before lowering.
struct EntrySignature {
  std::string name;
  SmallVector<RankedTensorType> inputs, results;
  /// What each input is for (runtime::classifyArgument): the header checks
  /// the values of integer inputs by it.
  SmallVector<runtime::ArgInfo> roles;
};

/// The public functions with a body of `module`, with static shapes; fails
/// (with a diagnostic) on another signature.
FailureOr<SmallVector<EntrySignature>> readEntrySignatures(ModuleOp module);

/// Runs xf-cpu-pipeline on `module` and translates it to LLVM IR; null
/// after a diagnostic on failure.
std::unique_ptr<llvm::Module> compileToLLVM(ModuleOp module,
                                            const CpuPipelineOptions &options,
                                            llvm::LLVMContext &context);

/// The target of an object: an empty triple, CPU or feature string is the
/// host's; `optLevel` is the pipeline's llvm-opt-level.
struct ObjectTarget {
  std::string triple, cpu, features;
  llvm::CodeGenOptLevel optLevel = llvm::CodeGenOptLevel::Aggressive;
};

/// Writes `module` as an object file for `target`; fails with `error`.
LogicalResult emitObject(llvm::Module &module, const ObjectTarget &target,
                         llvm::raw_pwrite_stream &os, std::string &error);

/// Writes the C header of `entries` as `lowered` (the module after
/// compileToLLVM with the bare-pointer calling convention) calls them.
void emitHeader(ArrayRef<EntrySignature> entries, ModuleOp lowered,
                llvm::raw_ostream &os);

} // namespace mlir::xf

#endif // XF_TARGET_AOT_H
