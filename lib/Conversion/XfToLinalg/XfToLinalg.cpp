//===- XfToLinalg.cpp - the xf-to-linalg pass -----------------------------===//

#include "Patterns.h"

#include "xf/Conversion/Passes.h"
#include "xf/Transforms/Passes.h"

#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFTOLINALG
#include "xf/Conversion/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

void xf::populateXfToLinalgPatterns(RewritePatternSet &patterns) {
  lowering::populateElementwisePatterns(patterns);
  lowering::populateRopePatterns(patterns);
  lowering::populateAttentionPatterns(patterns);
  lowering::populateReductionPatterns(patterns);
  lowering::populateContractionPatterns(patterns);
  lowering::populateSelectionPatterns(patterns);
}

namespace {
struct XfToLinalgPass : xf::impl::XfToLinalgBase<XfToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Composite ops first, so that the conversion only sees primitives.
    RewritePatternSet expand(ctx);
    populateExpandCompositePatterns(expand);
    if (failed(applyPatternsGreedily(getOperation(), std::move(expand))))
      return signalPassFailure();

    ConversionTarget target(*ctx);
    target.addIllegalDialect<XfDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateXfToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
