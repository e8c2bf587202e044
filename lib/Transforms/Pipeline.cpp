//===- Pipeline.cpp - xf-graph-pipeline -----------------------------------===//

#include "xf/Transforms/Pipeline.h"

#include "xf/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::xf;

void xf::buildGraphPipeline(OpPassManager &pm, const GraphOptions &options) {
  // First: every later pass then works on one copy of each kind of layer.
  if (options.outlineLayers) {
    XfOutlineLayersOptions outline;
    outline.keepSparseConstants = options.sparsifyWeights;
    pm.addPass(createXfOutlineLayers(outline));
  }
  pm.addPass(createXfExpandBlocks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Attention is formed before the epilogue fusion could turn its 2-D
  // products into linears.
  if (options.fuseAttention) {
    pm.addPass(createXfFuseAttention());
    pm.addPass(createXfPackAttentionHeads());
  }
  if (options.mergeProjections)
    pm.addPass(createXfMergeProjections());
  if (options.fuseEpilogue)
    pm.addPass(createXfFuseEpilogue());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Last: the weights as the kernels will see them (merged, concatenated).
  if (options.sparsifyWeights) {
    XfSparsifyWeightsOptions sparsify;
    sparsify.threshold = options.sparsityThreshold;
    sparsify.blockCols = options.sparseBlockCols;
    sparsify.halfDenseSpeedup = options.halfDenseSpeedup;
    pm.addPass(createXfSparsifyWeights(sparsify));
  }
}

void xf::registerGraphPipeline() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "xf-graph-pipeline",
      "The target-neutral graph level: expand composite xf ops, "
      "canonicalize, fuse; the result is xf ops for any target",
      [](OpPassManager &pm, const GraphPipelineOptions &options) {
        buildGraphPipeline(pm, options.graphOptions());
      });
}
