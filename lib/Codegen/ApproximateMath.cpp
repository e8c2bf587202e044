//===- ApproximateMath.cpp - the xf-cpu-approximate-math pass -------------===//

#include "xf/Codegen/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUAPPROXIMATEMATH
#include "xf/Codegen/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

namespace {
struct XfCpuApproximateMathPass
    : xf::impl::XfCpuApproximateMathBase<XfCpuApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Only functions without an f32 instruction: the rest (f64 sin/cos of
    // rotary angles) stay libm calls for accuracy.
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) {
          return name == "exp" || name == "tanh" || name == "erf" ||
                 name == "expm1" || name == "log" || name == "log1p";
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
