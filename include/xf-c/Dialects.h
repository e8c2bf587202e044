/*===- xf-c/Dialects.h - the xf dialects and passes from C --------*- C -*-===*\
|*                                                                            *|
|* In the style of MLIR's C API (mlir-c/): dialect handles for xf and xf_cpu, *|
|* and the registration a host needs before it parses xf or runs an xf        *|
|* pipeline.                                                                  *|
\*===----------------------------------------------------------------------===*/

#ifndef XF_C_DIALECTS_H
#define XF_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Xf, xf);
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(XfCpu, xf_cpu);

/// Inserts into `registry` the xf dialects and everything the xf pipelines
/// produce or translate: the upstream dialects, their extensions and their
/// translations to LLVM IR.
MLIR_CAPI_EXPORTED void xfRegisterAllDialects(MlirDialectRegistry registry);

/// Registers the xf passes and pipelines (`xf-graph-pipeline`,
/// `xf-cpu-pipeline`) and the upstream ones, for textual pipelines.
MLIR_CAPI_EXPORTED void xfRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // XF_C_DIALECTS_H
