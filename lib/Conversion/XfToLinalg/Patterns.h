//===- Patterns.h - the pattern groups of xf-to-linalg ----------*- C++ -*-===//

#ifndef XF_LIB_CONVERSION_XFTOLINALG_PATTERNS_H
#define XF_LIB_CONVERSION_XFTOLINALG_PATTERNS_H

namespace mlir {
class RewritePatternSet;
namespace xf::lowering {

/// Pointwise ops, gated units, broadcast add/mul and embedding.
void populateElementwisePatterns(RewritePatternSet &patterns);
/// rope.
void populateRopePatterns(RewritePatternSet &patterns);
/// attention and cache_write.
void populateAttentionPatterns(RewritePatternSet &patterns);
/// layer_norm, rms_norm and softmax.
void populateReductionPatterns(RewritePatternSet &patterns);
/// linear and matmul.
void populateContractionPatterns(RewritePatternSet &patterns);
/// top_k and gather_mlp.
void populateSelectionPatterns(RewritePatternSet &patterns);

} // namespace xf::lowering
} // namespace mlir

#endif // XF_LIB_CONVERSION_XFTOLINALG_PATTERNS_H
