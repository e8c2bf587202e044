//===- ApproximateMath.cpp - the xf-cpu-approximate-math pass -------------===//

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUAPPROXIMATEMATH
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

namespace {
struct XfCpuApproximateMathPass
    : xf::impl::XfCpuApproximateMathBase<XfCpuApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // The patterns only rewrite f32. RoPE reduces its angles modulo 2 pi in
    // f64 before its f32 sin and cos, the range where the polynomials are
    // accurate.
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return llvm::is_contained({"math.exp", "math.tanh", "math.erf",
                                 "math.expm1", "math.log", "math.log1p",
                                 "math.sin", "math.cos"},
                                name);
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
