//===- NormKernel.cpp - xf_cpu.norm as vector loops -----------------------===//
//
// One row at a time (rows split across threads): the statistics are vector
// sums over the row, and the scaling pass finds the row still in L1, so
// memory sees each row read once and written once. LayerNorm keeps the
// two-pass variance (sum of squared deviations from the mean) of values
// shifted by the row's first one, which stays accurate for rows with a
// large mean.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

LogicalResult cpu::lowerNorm(NormOp op, RewriterBase &rewriter,
                             const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  KernelBuilder kb(rewriter, loc, options.vectorWidth);
  OpBuilder &b = kb.b;
  Value x = op.getInput(), w = op.getWeight(), bias = op.getBias(),
        y = op.getInit();
  bool layerNorm = op.getKind() == NormKind::layer_norm;
  Value d = kb.dim(x, 1);
  Value count = arith::UIToFPOp::create(
      b, loc, b.getF32Type(),
      arith::IndexCastOp::create(b, loc, b.getI64Type(), d));
  Value eps = kb.f32(op.getEpsilon().convertToDouble());
  arith::FastMathFlags fm = KernelBuilder::reductionFlags();
  auto sum = [&](Value v) {
    return vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, v,
                                       fm)
        .getResult();
  };

  kb.parallel(kb.dim(x, 0), options.threads, [&](Value row) {
    RowLoops rowLoops = RowLoops::of(kb, d);
    // LayerNorm centers x - shift - mean(x - shift) with shift = x[row, 0]:
    // x - shift is exact for values near each other, so a mean that is
    // large against the spread loses nothing to rounding.
    Value shiftVec, meanVec;
    if (layerNorm) {
      shiftVec = kb.broadcast(
          memref::LoadOp::create(b, loc, x, ValueRange{row, kb.index(0)}));
      Value s = rowLoops.fold(kb.splat(0.0), [&](Value acc, Value c, Value m) {
        Value v =
            arith::SubFOp::create(b, loc, kb.load(x, {row, c}, m), shiftVec);
        if (m)
          v = arith::SelectOp::create(b, loc, m, v, kb.splat(0.0));
        return arith::AddFOp::create(b, loc, acc, v, fm).getResult();
      });
      meanVec = kb.broadcast(arith::DivFOp::create(b, loc, sum(s), count));
    }
    auto center = [&](Value v) -> Value {
      if (!layerNorm)
        return v;
      return arith::SubFOp::create(
          b, loc, arith::SubFOp::create(b, loc, v, shiftVec), meanVec);
    };
    // Sum of squared deviations (from the mean, or from 0 for RMSNorm);
    // masked-off lanes load 0 and must not contribute.
    Value sq = rowLoops.fold(kb.splat(0.0), [&](Value acc, Value c, Value m) {
      Value dev = center(kb.load(x, {row, c}, m));
      if (m)
        dev = arith::SelectOp::create(b, loc, m, dev, kb.splat(0.0));
      return vector::FMAOp::create(b, loc, dev, dev, acc).getResult();
    });
    Value var = arith::DivFOp::create(b, loc, sum(sq), count);
    Value inv = arith::DivFOp::create(
        b, loc, kb.f32(1.0),
        math::SqrtOp::create(b, loc, arith::AddFOp::create(b, loc, var, eps)));
    Value invVec = kb.broadcast(inv);
    rowLoops.each([&](Value c, Value m) {
      Value v = arith::MulFOp::create(b, loc, center(kb.load(x, {row, c}, m)),
                                      invVec);
      Value out = bias ? vector::FMAOp::create(b, loc, v, kb.load(w, {c}, m),
                                               kb.load(bias, {c}, m))
                             .getResult()
                       : arith::MulFOp::create(b, loc, v, kb.load(w, {c}, m))
                             .getResult();
      kb.store(out, y, {row, c}, m);
    });
  });
  rewriter.eraseOp(op);
  return success();
}
