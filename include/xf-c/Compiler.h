/*===- xf-c/Compiler.h - running xf pipelines from C --------------*- C -*-===*\
|*                                                                            *|
|* Runs a pass pipeline on a module and translates the result to LLVM IR.     *|
|* Failures come back as MlirLogicalResult, with the reasons emitted as       *|
|* diagnostics on the module's context (attach a handler to see them);        *|
|* nothing aborts.                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef XF_C_COMPILER_H
#define XF_C_COMPILER_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Runs the textual pass pipeline `pipeline` on `module`, for example
/// "builtin.module(xf-cpu-pipeline)" or
/// "builtin.module(xf-cpu-pipeline{threads=1})". A pipeline that does not
/// parse, or a pass that fails, gives failure.
MLIR_CAPI_EXPORTED MlirLogicalResult xfRunPassPipeline(MlirModule module,
                                                       MlirStringRef pipeline);

/// Translates `module` (in the LLVM dialect, as xf-cpu-pipeline leaves it)
/// to LLVM IR, whose text is passed to `callback` in pieces.
MLIR_CAPI_EXPORTED MlirLogicalResult xfTranslateToLLVMIR(
    MlirModule module, MlirStringCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // XF_C_COMPILER_H
