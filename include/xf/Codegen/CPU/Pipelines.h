//===- Pipelines.h - xf-cpu-pipeline ----------------------------*- C++ -*-===//

#ifndef XF_CODEGEN_CPU_PIPELINES_H
#define XF_CODEGEN_CPU_PIPELINES_H

#include "xf/Codegen/CPU/KernelOptions.h"
#include "xf/Transforms/Pipeline.h"

#include "llvm/Support/CodeGen.h"

namespace mlir {
class OpPassManager;
namespace xf {

/// Options of `xf-cpu-pipeline`: the graph-level fusions, then the CPU
/// kernels' schedule.
struct CpuPipelineOptions
    : public GraphPipelineOptionsBase<CpuPipelineOptions> {
  Option<bool> fast{
      *this, "fast",
      llvm::cl::desc("Fused, tiled and vectorized code with threads (the "
                     "xf_cpu kernels); false gives the plain lowering "
                     "(linalg to scalar loops, no fusion)"),
      llvm::cl::init(true)};
  Option<bool> fuseNorms{
      *this, "fuse-norms",
      llvm::cl::desc("Norms as one-pass row kernels (xf_cpu.norm)"),
      llvm::cl::init(true)};
  Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads the kernels split their work for: 0 = the "
                     "cores of the compiling machine, 1 = no threads"),
      llvm::cl::init(0)};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes of the target's vectors: 16 (AVX-512) or 8 "
                     "(AVX2); xf-run picks it from the host"),
      llvm::cl::init(16)};
  Option<int64_t> panelWidth{
      *this, "panel-width",
      llvm::cl::desc("Columns of a packed weight panel, the GEMM register "
                     "tile's width (a multiple of vector-width, up to 8 "
                     "vectors); 0 = two vectors"),
      llvm::cl::init(0)};
  Option<int64_t> gemmTileRows{
      *this, "gemm-tile-rows",
      llvm::cl::desc("Rows of the GEMM register tile, up to 32; 0 = as many "
                     "as the registers hold"),
      llvm::cl::init(0)};
  Option<int64_t> attentionBlockQ{
      *this, "attention-block-q",
      llvm::cl::desc("Queries per attention work item: a multiple of 2 x "
                     "vector-width, up to 1024"),
      llvm::cl::init(64)};
  Option<int64_t> attentionBlockKv{
      *this, "attention-block-kv",
      llvm::cl::desc("Keys per attention tile: a multiple of 8 (AVX-512) or "
                     "4 (AVX2), up to 1024"),
      llvm::cl::init(128)};
  Option<bool> bf16Panels{
      *this, "bf16-panels",
      llvm::cl::desc("Keep bf16 and f16 weights in bf16 panels, activations "
                     "rounded to bf16: AVX-512 BF16 dot products with "
                     "vector-width 16, widened to f32 with 8 (xf-run turns "
                     "it on where the host has AVX-512 BF16); false widens "
                     "the weights to f32 panels"),
      llvm::cl::init(false)};
  Option<bool> amx{
      *this, "amx",
      llvm::cl::desc("Multiply bf16 panels and int8 panels with scales per "
                     "channel with AMX tiles in blocks of 32 rows (xf-run "
                     "turns it on where the host has AMX and bf16 or int8 "
                     "panels are on); the process must be allowed AMX state "
                     "(the JIT asks Linux for it)"),
      llvm::cl::init(false)};
  Option<bool> int8Panels{
      *this, "int8-panels",
      llvm::cl::desc("Multiply int8 weights (xf.dequantize) as int8 with "
                     "AVX-512 VNNI dot products, the activations quantized "
                     "to int8 per row (xf-run turns it on where the host "
                     "has AVX-512 VNNI); false dequantizes them to f32 "
                     "panels"),
      llvm::cl::init(false)};
  Option<bool> packWeightsOnce{
      *this, "pack-weights-once",
      llvm::cl::desc("Pack weights that arrive as arguments in a function "
                     "of their own (@f_pack_weights), run once at load "
                     "time; @f then takes the packed weights "
                     "(xf-cpu-outline-weight-packing)"),
      llvm::cl::init(false)};
  Option<bool> releaseWeights{
      *this, "release-weights",
      llvm::cl::desc("The module owns the resource blobs of its constants: "
                     "each is freed once its packing folds and nothing "
                     "else refers to it (xf-cpu-fold-constant-weights); "
                     "for callers that compile a module of their own"),
      llvm::cl::init(false)};
  Option<bool> barePtrCallConv{
      *this, "bare-ptr-calling-convention",
      llvm::cl::desc("Pass memrefs as bare pointers (needs static shapes): "
                     "the compiled function is `void f(float *in0, ..., "
                     "float *out0, ...)`"),
      llvm::cl::init(true)};
  // The same level for LLVM's IR optimizations and its code generation.
  Option<llvm::CodeGenOptLevel> llvmOptLevel{
      *this, "llvm-opt-level",
      llvm::cl::desc("LLVM's optimization level for the lowered module "
                     "where xf compiles it to machine code (xf-run, the C "
                     "API, xf-translate --xf-to-object); the passes of "
                     "this pipeline do not read it"),
      llvm::cl::init(llvm::CodeGenOptLevel::Aggressive),
      llvm::cl::values(
          clEnumValN(llvm::CodeGenOptLevel::None, "0",
                     "none: about half the compile time of 3 for the "
                     "small functions of differential testing"),
          clEnumValN(llvm::CodeGenOptLevel::Less, "1", "-O1"),
          clEnumValN(llvm::CodeGenOptLevel::Default, "2", "-O2"),
          clEnumValN(llvm::CodeGenOptLevel::Aggressive, "3",
                     "-O3 (what deployments run)"))};

  /// The kernels' schedule these options describe; its verify() is the one
  /// check of the values the option parser cannot check.
  cpu::KernelOptions kernelOptions() const;
};

/// xf (or linalg on tensors) to the LLVM dialect for the host CPU: the graph
/// pipeline, then the CPU kernels. Function results become trailing
/// out-parameters written by the callee.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `xf-cpu-pipeline` with the global pass registry.
void registerCpuPipeline();

} // namespace xf
} // namespace mlir

#endif // XF_CODEGEN_CPU_PIPELINES_H
