//===- FormKernels.h - xf ops to xf_cpu kernels, by op family ---*- C++ -*-===//

#ifndef XF_LIB_CODEGEN_CPU_FORMKERNELS_H
#define XF_LIB_CODEGEN_CPU_FORMKERNELS_H

#include "xf/Codegen/CPU/KernelOptions.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::xf::cpu {

/// xf.linear -> xf_cpu.pack_weights + xf_cpu.gemm.
void populateGemmKernelPatterns(RewritePatternSet &patterns,
                                const KernelOptions &options);
/// xf.attention -> xf_cpu.flash_attention.
void populateAttentionKernelPatterns(RewritePatternSet &patterns);
/// xf.layer_norm / xf.rms_norm -> xf_cpu.norm.
void populateNormKernelPatterns(RewritePatternSet &patterns);
/// xf.top_k -> xf_cpu.top_k, xf.gather_mlp -> xf_cpu.gather_mlp.
void populateSelectionKernelPatterns(RewritePatternSet &patterns);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_FORMKERNELS_H
