//===- Pipelines.h - named xf-opt pipelines ---------------------*- C++ -*-===//

#ifndef XF_CODEGEN_PIPELINES_H
#define XF_CODEGEN_PIPELINES_H

#include "mlir/Pass/PassOptions.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class OpPassManager;
namespace xf {

/// Options of `xf-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> fast{
      *this, "fast",
      llvm::cl::desc("Fused, tiled and vectorized code with threads (the "
                     "xf_cpu kernels); false gives the plain lowering "
                     "(linalg to scalar loops)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Form attention from unfused products and compute it "
                     "with an online softmax (xf-fuse-attention); false "
                     "materializes the scores"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> mergeProjections{
      *this, "merge-projections",
      llvm::cl::desc("One GEMM for linears sharing their input "
                     "(xf-merge-projections)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseEpilogue{
      *this, "fuse-epilogue",
      llvm::cl::desc("Bias, activation and residual in the GEMM epilogue "
                     "(xf-fuse-epilogue)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseNorms{
      *this, "fuse-norms",
      llvm::cl::desc("Norms as one-pass row kernels (xf-fuse-norms)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads the kernels split their work for: 0 = the "
                     "cores of the compiling machine, 1 = no threads"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of the target's vectors: 16 (AVX-512) or 8 "
                     "(AVX2); xf-run picks it from the host"),
      llvm::cl::init(16)};
  PassOptions::Option<int64_t> panelWidth{
      *this, "panel-width",
      llvm::cl::desc("Columns of a packed weight panel, the GEMM register "
                     "tile's width (a multiple of vector-width, up to 8 "
                     "vectors); 0 = two vectors"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> gemmTileRows{
      *this, "gemm-tile-rows",
      llvm::cl::desc("Rows of the GEMM register tile, up to 32; 0 = as many "
                     "as the registers hold"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> attentionBlockQ{
      *this, "attention-block-q",
      llvm::cl::desc("Queries per attention work item: a multiple of 2 x "
                     "vector-width, up to 1024"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> attentionBlockKv{
      *this, "attention-block-kv",
      llvm::cl::desc("Keys per attention tile: a multiple of 8 (AVX-512) or "
                     "4 (AVX2), up to 1024"),
      llvm::cl::init(128)};
  PassOptions::Option<bool> barePtrCallConv{
      *this, "bare-ptr-calling-convention",
      llvm::cl::desc("Pass memrefs as bare pointers (needs static shapes): "
                     "the compiled function is `void f(float *in0, ..., "
                     "float *out0, ...)`"),
      llvm::cl::init(true)};
};

/// Checks the values of `options` that the option parser cannot (vector
/// width, tile and block sizes, threads) and reports the first bad one
/// through `emitError`.
LogicalResult
verifyCpuPipelineOptions(const CpuPipelineOptions &options,
                         function_ref<LogicalResult(const Twine &)> emitError);

/// xf (or linalg on tensors) to the LLVM dialect for the host CPU. Function
/// results become trailing out-parameters written by the callee.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `xf-cpu-pipeline` with the global pass registry.
void registerCpuPipeline();

} // namespace xf
} // namespace mlir

#endif // XF_CODEGEN_PIPELINES_H
