//===- Kernels.h - lowerings of the xf_cpu kernels --------------*- C++ -*-===//

#ifndef XF_LIB_CODEGEN_KERNELS_H
#define XF_LIB_CODEGEN_KERNELS_H

#include "KernelBuilder.h"

#include "xf/Dialect/XfCpuOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::xf::cpu {

/// Each replaces the kernel (on memrefs) by its loops at the op's position.
LogicalResult lowerGemm(GemmOp op, RewriterBase &rewriter,
                        const KernelOptions &options);
LogicalResult lowerSparseGemm(SparseGemmOp op, RewriterBase &rewriter,
                              const KernelOptions &options);
/// The GEMM epilogue on one vector of results: + bias, activation,
/// + residual (each optional), in that order.
Value applyEpilogue(KernelBuilder &kb, Value v, Value bias,
                    std::optional<Activation> act, Value residual);
LogicalResult lowerPackWeights(PackWeightsOp op, RewriterBase &rewriter,
                               const KernelOptions &options);
/// Prefill (AttentionKernel.cpp) or, with `decode`, the decode schedule
/// (DecodeAttentionKernel.cpp).
LogicalResult lowerFlashAttention(FlashAttentionOp op, RewriterBase &rewriter,
                                  const KernelOptions &options);
LogicalResult lowerNorm(NormOp op, RewriterBase &rewriter,
                        const KernelOptions &options);
/// SelectionKernels.cpp.
LogicalResult lowerTopK(TopKOp op, RewriterBase &rewriter,
                        const KernelOptions &options);
LogicalResult lowerGatherMlp(GatherMlpOp op, RewriterBase &rewriter,
                             const KernelOptions &options);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_KERNELS_H
