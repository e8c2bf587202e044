//===- GemmQuantize.cpp - int8 GEMM inputs quantized per row --------------===//

#include "GemmQuantize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::xf::cpu;

/// A row whose largest magnitude is at most this is taken as zero (1 / its
/// scale would overflow).
static constexpr double kTinyRow = 1e-30;

QuantizedRows mlir::xf::cpu::quantizeRows(KernelBuilder &kb, Value a, Value m,
                                          Value k, Value width, int64_t group,
                                          int64_t threads) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  auto dyn = ShapedType::kDynamic;
  IntegerAttr align = b.getI64IntegerAttr(64);
  QuantizedRows out;
  out.groups = group ? kb.divUp(k, group) : kb.index(1);
  out.quads = memref::AllocOp::create(
      b, loc, MemRefType::get({dyn, dyn}, b.getI8Type()), ValueRange{m, width},
      align);
  out.scales = memref::AllocOp::create(
      b, loc, MemRefType::get({dyn}, b.getF32Type()), ValueRange{m}, align);
  out.sums = memref::AllocOp::create(
      b, loc, MemRefType::get({dyn, dyn}, b.getI32Type()),
      ValueRange{m, out.groups}, align);
  kb.parallel(m, threads, [&](Value row) {
    quantizeRow(kb, a, row, k, width, group, out, row);
  });
  return out;
}

void mlir::xf::cpu::quantizeRow(KernelBuilder &kb, Value a, Value row, Value k,
                                Value width, int64_t group,
                                const QuantizedRows &out, Value outRow) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  int64_t vw = kb.vectorWidth;
  Type i8 = b.getI8Type(), i32 = b.getI32Type(), f32 = b.getF32Type();
  auto i32Vec = VectorType::get({vw}, i32);
  auto i32Splat = [&](int32_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32Vec, b.getI32IntegerAttr(value)));
  };
  // The largest magnitude of the row, as integer bits: they order as the
  // magnitudes do, with NaN above every number (so that it still reaches
  // the scale), in one vpmaxud per vector where a NaN-propagating f32
  // maximum takes a chain of compares and blends.
  Value magnitudeBits = i32Splat(0x7fffffff);
  scf::ForOp amax = kb.loop(
      kb.index(0), k, kb.index(vw), ValueRange{i32Splat(0)},
      [&](Value c0, ValueRange acc) -> SmallVector<Value> {
        Value v = kb.load(a, ValueRange{row, c0}, kb.prefixMask(kb.sub(k, c0)));
        Value bits = arith::AndIOp::create(
            b, loc, arith::BitcastOp::create(b, loc, i32Vec, v), magnitudeBits);
        return {arith::MaxUIOp::create(b, loc, acc[0], bits)};
      });
  Value top = arith::BitcastOp::create(
      b, loc, f32,
      vector::ReductionOp::create(b, loc, vector::CombiningKind::MAXUI,
                                  amax.getResult(0)));
  // A row of tiny values quantizes as zeros; a NaN row gets a NaN scale,
  // which its dequantized results then carry.
  Value scale = arith::SelectOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, top,
                            kb.f32(kTinyRow)),
      kb.f32(1.0), arith::DivFOp::create(b, loc, top, kb.f32(127.0)));
  memref::StoreOp::create(b, loc, scale, out.scales, ValueRange{outRow});
  Value inv = kb.broadcast(arith::DivFOp::create(b, loc, kb.f32(1.0), scale));
  // Without groups the row's one sum is taken as it is quantized.
  scf::ForOp quantize = kb.loop(
      kb.index(0), width, kb.index(vw), ValueRange{i32Splat(0)},
      [&](Value c0, ValueRange acc) -> SmallVector<Value> {
        Value v = kb.load(a, ValueRange{row, c0}, kb.prefixMask(kb.sub(k, c0)));
        Value q = arith::FPToSIOp::create(
            b, loc, i32Vec,
            math::RoundEvenOp::create(b, loc,
                                      arith::MulFOp::create(b, loc, v, inv)));
        kb.store(arith::TruncIOp::create(b, loc, VectorType::get({vw}, i8), q),
                 out.quads, ValueRange{outRow, c0},
                 kb.prefixMask(kb.sub(width, c0)));
        return {group ? acc[0] : arith::AddIOp::create(b, loc, acc[0], q)};
      });
  auto storeSum = [&](Value sum, Value g) {
    memref::StoreOp::create(
        b, loc,
        vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, sum),
        out.sums, ValueRange{outRow, g});
  };
  if (!group) {
    storeSum(quantize.getResult(0), kb.index(0));
    return;
  }
  kb.loop(kb.index(0), out.groups, 1, [&](Value g) {
    Value g0 = kb.mul(g, kb.index(group));
    Value g1 = kb.min(kb.add(g0, kb.index(group)), k);
    scf::ForOp sum = kb.loop(
        g0, g1, kb.index(vw), ValueRange{i32Splat(0)},
        [&](Value c0, ValueRange acc) {
          Value q = kb.load(out.quads, ValueRange{outRow, c0},
                            kb.prefixMask(kb.sub(g1, c0)));
          return SmallVector<Value>{arith::AddIOp::create(
              b, loc, acc[0], arith::ExtSIOp::create(b, loc, i32Vec, q))};
        });
    storeSum(sum.getResult(0), g);
  });
}
