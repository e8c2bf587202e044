//===- CpuPipeline.cpp - xf-cpu-pipeline ----------------------------------===//

#include "xf/Codegen/CPU/Pipelines.h"

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Conversion/Passes.h"
#include "xf/Transforms/Pipeline.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::xf;

/// Tensors to buffers, with function results turned into out-parameters so
/// that callers own every buffer they see.
static void addBufferization(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results updated in place in an argument's buffer (KV caches) stay
  // there: dropped from the results. The canonicalizer first folds loops
  // that only carry the argument's buffer through.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createXfCpuDropTiedResults());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createXfCpuExpandCopies());
}

/// Loops, vectors, memrefs, arith, math and OpenMP to the LLVM dialect.
static void addLowerToLLVM(OpPassManager &pm, const CpuPipelineOptions &options,
                           bool threads) {
  // bf16 arithmetic and math in f32, rounded after each op as LLVM would
  // promote it, but spelled out: xf-cpu-legalize-bf16 then sees only
  // conversions.
  arith::ArithEmulateUnsupportedFloatsOptions emulate;
  emulate.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(emulate));
  pm.addPass(math::createMathExtendToSupportedTypes());
  if (threads)
    pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createXfCpuLowerDynamicExpands());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Before scf-to-cf: the alloca scopes of parallel bodies need their
  // single-block regions when they are lowered.
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // Math with an LLVM intrinsic first (fma must stay an instruction, not a
  // libm call, for loops to vectorize); libm for the rest (erf).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createSCFToControlFlowPass());
  // x86vector: the AVX-512 BF16 dot products of bf16 GEMMs; amx: their
  // AMX tiles.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.x86Vector = true;
  vectorOptions.amx = options.amx;
  // The register transposes of the sparse GEMM's input: 16 x 16 blocks in
  // the unpack/shuffle sequence of AVX-512.
  vectorOptions.vectorTransposeLowering =
      vector::VectorTransposeLowering::Shuffle16x16;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  if (options.amx) {
    // AMX tiles carried by loops are block arguments: the conversion of
    // branches needs the tile type, which only AMX's own LLVM interface
    // adds to the type converter.
    ConvertToLLVMPassOptions branches;
    branches.filterDialects = {"cf", "amx"};
    pm.addPass(createConvertToLLVMPass(branches));
  } else {
    pm.addPass(createConvertControlFlowToLLVMPass());
  }
  pm.addPass(createUBToLLVMConversionPass());
  // Before openmp-to-llvm, which would otherwise convert the functions with
  // the default (descriptor) calling convention.
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = options.barePtrCallConv;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  if (threads)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createXfCpuGlobalsAsBytes());
  // Only AVX-512 code with bf16 panels may count on AVX-512 BF16.
  if (!(options.vectorWidth == 16 && options.bf16Panels))
    pm.addPass(createXfCpuLegalizeBf16());
}

/// The xf ops left after kernel formation, and the elementwise arith on
/// tensors that imported graphs compute masks and lengths with (casts,
/// comparisons, selects), as linalg.
static void addLowerToLinalg(OpPassManager &pm) {
  pm.addPass(createXfToLinalg());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

static void buildPlainPipeline(OpPassManager &pm,
                               const CpuPipelineOptions &options) {
  GraphOptions graph;
  graph.fuseAttention = graph.mergeProjections = graph.fuseEpilogue = false;
  graph.sparsifyWeights = false;
  buildGraphPipeline(pm, graph);
  addLowerToLinalg(pm);
  pm.addNestedPass<func::FuncOp>(createXfCpuPrepareBufferization());
  addBufferization(pm);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addLowerToLLVM(pm, options, /*threads=*/false);
}

static void buildFastPipeline(OpPassManager &pm,
                              const CpuPipelineOptions &options) {
  cpu::KernelOptions kernels = options.kernelOptions();
  GraphOptions graph = options.graphOptions();
  graph.sparseBlockCols = kernels.effectivePanelWidth();
  // Dense bf16 panels against f32 ones (bench/run --only lowp-gemm): about
  // 2x with AVX-512 BF16 dot products, 6x and more with AMX tiles; widened
  // to f32 otherwise.
  if (kernels.bf16Panels && kernels.vectorWidth == 16)
    graph.halfDenseSpeedup = kernels.amx ? 6.0 : 2.0;
  buildGraphPipeline(pm, graph);
  XfCpuFormKernelsOptions form;
  form.vectorWidth = kernels.vectorWidth;
  form.panelWidth = kernels.panelWidth;
  form.attention = options.fuseAttention;
  form.norms = options.fuseNorms;
  form.bf16Panels = kernels.bf16Panels;
  form.int8Panels = kernels.int8Panels;
  pm.addNestedPass<func::FuncOp>(createXfCpuFormKernels(form));
  // Outlined layers take packed weights: their callers pack them.
  pm.addPass(createXfCpuPackAtCallSites());
  // Packs constant weights once, at compile time.
  XfCpuFoldConstantWeightsOptions fold;
  fold.releaseWeights = options.releaseWeights;
  pm.addPass(createXfCpuFoldConstantWeights(fold));
  pm.addPass(createCanonicalizerPass());
  if (options.packWeightsOnce)
    pm.addPass(createXfCpuOutlineWeightPacking());
  addLowerToLinalg(pm);
  pm.addNestedPass<func::FuncOp>(createXfCpuPrepareBufferization());
  XfCpuTileForThreadsOptions tile;
  tile.threads = kernels.threads;
  pm.addNestedPass<func::FuncOp>(createXfCpuTileForThreads(tile));
  addBufferization(pm);
  pm.addPass(createForallToParallelLoopPass());
  XfCpuLowerKernelsOptions lower;
  lower.vectorWidth = kernels.vectorWidth;
  lower.gemmTileRows = kernels.gemmTileRows;
  lower.threads = kernels.threads;
  lower.attentionBlockQ = kernels.attentionBlockQ;
  lower.attentionBlockKv = kernels.attentionBlockKv;
  lower.amx = kernels.amx;
  pm.addNestedPass<func::FuncOp>(createXfCpuLowerKernels(lower));
  // The remaining linalg ops (norms, pointwise ops), each a thread's tile,
  // as loops that LLVM vectorizes.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createXfCpuApproximateMath());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  addLowerToLLVM(pm, options, /*threads=*/kernels.threads != 1);
}

void xf::buildCpuPipeline(OpPassManager &pm,
                          const CpuPipelineOptions &options) {
  if (options.fast)
    buildFastPipeline(pm, options);
  else
    buildPlainPipeline(pm, options);
}

cpu::KernelOptions CpuPipelineOptions::kernelOptions() const {
  cpu::KernelOptions k;
  k.vectorWidth = vectorWidth;
  k.panelWidth = panelWidth;
  k.gemmTileRows = gemmTileRows;
  k.threads = threads;
  k.attentionBlockQ = attentionBlockQ;
  k.attentionBlockKv = attentionBlockKv;
  k.bf16Panels = bf16Panels;
  k.int8Panels = int8Panels;
  k.amx = amx;
  return k;
}

void xf::registerCpuPipeline() {
  registerPassPipeline(
      "xf-cpu-pipeline",
      "Compile xf (or linalg on tensors) to the LLVM dialect for the host "
      "CPU; function results become out-parameters",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> emitError) {
        CpuPipelineOptions options;
        if (failed(options.parseFromString(text)) ||
            failed(options.kernelOptions().verify([&](const Twine &msg) {
              return emitError("xf-cpu-pipeline: " + msg);
            })))
          return failure();
        buildCpuPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> printOptions) {
        printOptions(CpuPipelineOptions());
      });
}
