//===- CpuPipeline.cpp - xf-cpu-pipeline ----------------------------------===//

#include "xf/Codegen/Pipelines.h"

#include "Kernels.h"

#include "xf/Codegen/Passes.h"
#include "xf/Conversion/Passes.h"
#include "xf/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
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
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
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
}

static void buildPlainPipeline(OpPassManager &pm,
                               const CpuPipelineOptions &options) {
  pm.addPass(createXfExpandBlocks());
  pm.addPass(createXfToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createXfCpuPrepareBufferization());
  addBufferization(pm);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  addLowerToLLVM(pm, options, /*threads=*/false);
}

/// The graph-level fusions, each of which the options can turn off.
static void addFusions(OpPassManager &pm, const CpuPipelineOptions &options) {
  // Attention is formed before the epilogue fusion could turn its 2-D
  // products into linears.
  if (options.fuseAttention)
    pm.addPass(createXfFuseAttention());
  if (options.mergeProjections)
    pm.addPass(createXfMergeProjections());
  if (options.fuseEpilogue)
    pm.addPass(createXfFuseEpilogue());
  if (options.fuseNorms)
    pm.addPass(createXfFuseNorms());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

static void buildFastPipeline(OpPassManager &pm,
                              const CpuPipelineOptions &options) {
  pm.addPass(createXfExpandBlocks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  addFusions(pm, options);
  XfCpuFormKernelsOptions form;
  form.panelWidth =
      options.panelWidth > 0 ? options.panelWidth : 2 * options.vectorWidth;
  pm.addNestedPass<func::FuncOp>(createXfCpuFormKernels(form));
  // Folds the packing of constant weights: done once, at compile time.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createXfToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createXfCpuPrepareBufferization());
  XfCpuTileForThreadsOptions tile;
  tile.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(createXfCpuTileForThreads(tile));
  addBufferization(pm);
  pm.addPass(createForallToParallelLoopPass());
  XfCpuLowerKernelsOptions lower;
  lower.vectorWidth = options.vectorWidth;
  lower.gemmTileRows = options.gemmTileRows;
  lower.threads = options.threads;
  lower.attentionBlockQ = options.attentionBlockQ;
  lower.attentionBlockKv = options.attentionBlockKv;
  pm.addNestedPass<func::FuncOp>(createXfCpuLowerKernels(lower));
  // The remaining linalg ops (norms, pointwise ops), each a thread's tile,
  // as loops that LLVM vectorizes.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createXfCpuApproximateMath());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  addLowerToLLVM(pm, options, /*threads=*/options.threads != 1);
}

void xf::buildCpuPipeline(OpPassManager &pm,
                          const CpuPipelineOptions &options) {
  if (options.fast)
    buildFastPipeline(pm, options);
  else
    buildPlainPipeline(pm, options);
}

LogicalResult xf::verifyCpuPipelineOptions(
    const CpuPipelineOptions &options,
    function_ref<LogicalResult(const Twine &)> emitError) {
  int64_t vw = options.vectorWidth;
  if (vw != 8 && vw != 16)
    return emitError("vector-width must be 8 (AVX2) or 16 (AVX-512), got " +
                     Twine(vw));
  if (options.threads < 0)
    return emitError("threads must be >= 0 (0 = the cores of the "
                     "compiling machine), got " +
                     Twine(options.threads));
  if (options.panelWidth < 0 || options.panelWidth % vw != 0 ||
      options.panelWidth > 8 * vw)
    return emitError("panel-width must be 0 or a multiple of vector-width " +
                     Twine(vw) + " up to " + Twine(8 * vw) + ", got " +
                     Twine(options.panelWidth));
  // Beyond 32 rows the unrolled register tile only spills.
  if (options.gemmTileRows < 0 || options.gemmTileRows > 32)
    return emitError("gemm-tile-rows must be between 0 (as many as the "
                     "registers hold) and 32, got " +
                     Twine(options.gemmTileRows));
  // The attention scores tile is computed as 2 vectors of queries by
  // register tiles of 8 (AVX-512) or 4 (AVX2) keys.
  int64_t qStep = 2 * vw, kvStep = cpu::attentionKeyTile(vw);
  if (options.attentionBlockQ <= 0 || options.attentionBlockQ % qStep != 0 ||
      options.attentionBlockQ > 1024)
    return emitError("attention-block-q must be a multiple of " + Twine(qStep) +
                     " up to 1024, got " + Twine(options.attentionBlockQ));
  if (options.attentionBlockKv <= 0 || options.attentionBlockKv % kvStep != 0 ||
      options.attentionBlockKv > 1024)
    return emitError("attention-block-kv must be a multiple of " +
                     Twine(kvStep) + " up to 1024, got " +
                     Twine(options.attentionBlockKv));
  return success();
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
            failed(verifyCpuPipelineOptions(options, [&](const Twine &msg) {
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
