//===- Pipeline.h - the target-neutral xf pipeline --------------*- C++ -*-===//
//
// Every target pipeline starts with the same graph level, xf to xf:
// composite ops expanded into primitives, canonicalized, and fused
// (attention formation, projection merging, epilogues). Targets then map
// the fused xf ops onto their own kernels.
//
//===----------------------------------------------------------------------===//

#ifndef XF_TRANSFORMS_PIPELINE_H
#define XF_TRANSFORMS_PIPELINE_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace xf {

/// Which graph-level fusions run, and how constant weights are inspected
/// for sparsity (xf-sparsify-weights).
struct GraphOptions {
  bool outlineLayers = true;
  bool fuseAttention = true;
  bool mergeProjections = true;
  bool fuseEpilogue = true;
  bool sparsifyWeights = true;
  double sparsityThreshold = 0.8;
  /// The target's block width (the CPU's panel width).
  int64_t sparseBlockCols = 32;
  /// How many times faster than f32 the target multiplies dense bf16 or
  /// f16 weights (xf-sparsify-weights' half-dense-speedup).
  double halfDenseSpeedup = 1.0;
};

/// The graph-level options of a pass pipeline; every target pipeline's
/// options derive from it, so the options are declared once.
template <typename Derived>
struct GraphPipelineOptionsBase : public PassPipelineOptions<Derived> {
  using Base = PassPipelineOptions<Derived>;
  typename Base::template Option<bool> outlineLayers{
      *this, "outline-layers",
      llvm::cl::desc("Compile identical xf.block layers once, as a function "
                     "called per layer (xf-outline-layers)"),
      llvm::cl::init(true)};
  typename Base::template Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Form xf.attention from unfused products "
                     "(xf-fuse-attention) and compute it with the target's "
                     "fused kernel; false materializes the scores"),
      llvm::cl::init(true)};
  typename Base::template Option<bool> mergeProjections{
      *this, "merge-projections",
      llvm::cl::desc("One GEMM for linears sharing their input "
                     "(xf-merge-projections)"),
      llvm::cl::init(true)};
  typename Base::template Option<bool> fuseEpilogue{
      *this, "fuse-epilogue",
      llvm::cl::desc("Bias, activation and residual in the GEMM epilogue "
                     "(xf-fuse-epilogue)"),
      llvm::cl::init(true)};
  typename Base::template Option<bool> sparsifyWeights{
      *this, "sparsify-weights",
      llvm::cl::desc("Constant weights whose zeros are worth skipping get a "
                     "block-sparse, unstructured or 2:4 kernel "
                     "(xf-sparsify-weights)"),
      llvm::cl::init(true)};
  typename Base::template Option<double> sparsityThreshold{
      *this, "sparsity-threshold",
      llvm::cl::desc("Largest estimated cost of a sparse product, "
                     "relative to the dense one, at which a weight goes "
                     "sparse (xf-sparsify-weights' threshold)"),
      llvm::cl::init(0.8)};

  GraphOptions graphOptions() const {
    GraphOptions g;
    g.outlineLayers = outlineLayers;
    g.fuseAttention = fuseAttention;
    g.mergeProjections = mergeProjections;
    g.fuseEpilogue = fuseEpilogue;
    g.sparsifyWeights = sparsifyWeights;
    g.sparsityThreshold = sparsityThreshold;
    return g;
  }
};

/// Options of `xf-graph-pipeline`.
struct GraphPipelineOptions
    : public GraphPipelineOptionsBase<GraphPipelineOptions> {};

/// xf -> fused xf: expand composites, canonicalize, then the fusions that
/// `options` enables.
void buildGraphPipeline(OpPassManager &pm, const GraphOptions &options);

/// Registers `xf-graph-pipeline` with the global pass registry.
void registerGraphPipeline();

} // namespace xf
} // namespace mlir

#endif // XF_TRANSFORMS_PIPELINE_H
