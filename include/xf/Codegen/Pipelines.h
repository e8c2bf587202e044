//===- Pipelines.h - named xf-opt pipelines ---------------------*- C++ -*-===//

#ifndef XF_CODEGEN_PIPELINES_H
#define XF_CODEGEN_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace xf {

/// Options of `xf-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> barePtrCallConv{
      *this, "bare-ptr-calling-convention",
      llvm::cl::desc("Pass memrefs as bare pointers (needs static shapes): "
                     "the compiled function is `void f(float *in0, ..., "
                     "float *out0, ...)`"),
      llvm::cl::init(true)};
};

/// xf (or linalg on tensors) to the LLVM dialect for the host CPU. Function
/// results become trailing out-parameters written by the callee.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `xf-cpu-pipeline` with the global pass registry.
void registerCpuPipeline();

} // namespace xf
} // namespace mlir

#endif // XF_CODEGEN_PIPELINES_H
