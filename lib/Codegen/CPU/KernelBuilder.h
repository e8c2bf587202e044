//===- KernelBuilder.h - helpers for writing vector micro-kernels -*- C++ -*-//
//
// The xf_cpu kernels are emitted as explicit loops over register tiles in
// the vector dialect. These helpers keep that code close to the algorithm:
// index arithmetic, loops, work splitting for threads, and the vector exp
// of the online softmax.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_KERNELBUILDER_H
#define XF_LIB_CODEGEN_KERNELBUILDER_H

#include "xf/Codegen/CPU/KernelOptions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::xf::cpu {

/// An OpBuilder at a location with index and vector shorthands.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, int64_t vectorWidth)
      : b(b), loc(loc), vectorWidth(vectorWidth) {}

  OpBuilder &b;
  Location loc;
  int64_t vectorWidth;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  VectorType vec() { return VectorType::get({vectorWidth}, b.getF32Type()); }
  /// A vector of `value` in every lane.
  Value splat(double value);
  Value broadcast(Value scalar) {
    return vector::BroadcastOp::create(b, loc, vec(), scalar);
  }

  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value divUp(Value x, int64_t d);
  /// x rounded up to a multiple of r.
  Value roundUp(Value x, int64_t r) { return mul(divUp(x, r), index(r)); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value dim(Value memref, int64_t i) {
    return memref::DimOp::create(b, loc, memref, i);
  }

  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value fma(Value x, Value y, Value z) {
    return vector::FMAOp::create(b, loc, x, y, z);
  }

  /// A lane mask of the first `count` lanes (all lanes when count >= width,
  /// none when count <= 0).
  Value prefixMask(Value count);
  /// The lane mask of vector `c` of a `dim`-wide row: null when the vector
  /// is whole.
  Value rowMask(int64_t c, int64_t dim) {
    int64_t lanes = std::min(vectorWidth, dim - c * vectorWidth);
    return lanes == vectorWidth ? Value() : prefixMask(index(lanes));
  }
  /// Lane l holds l * stride: the i32 offsets of a strided gather/scatter.
  Value laneOffsets(Value stride);
  /// The i32 element `i` of a 1-D memref, as an index.
  Value loadIndex(Value memref, Value i);
  /// A vector load or store at `indices`; with a lane mask only its lanes
  /// are touched (masked-off lanes load 0), without one it is a plain
  /// vector access. Float loads give f32 vectors: bf16 and f16 elements
  /// are widened (exactly); integers load as they are.
  Value load(Value memref, ValueRange indices, Value mask = {});
  /// A bf16 or f16 scalar or vector as f32 (f32 and integers as they are).
  Value widen(Value v);
  void store(Value value, Value memref, ValueRange indices, Value mask = {});

  /// `scf.for` from lb to ub with the body building the yielded values.
  scf::ForOp
  loop(Value lb, Value ub, Value step, ValueRange iterArgs,
       function_ref<SmallVector<Value>(Value iv, ValueRange args)> body);
  void loop(Value lb, Value ub, int64_t step,
            function_ref<void(Value iv)> body);

  /// Runs `body(item)` for item in [0, count): an scf.parallel (threads
  /// through OpenMP later) when `threads` > 1, else an scf.for.
  void parallel(Value count, int64_t threads, function_ref<void(Value)> body);

  /// Splits `linear` into indices of `sizes` (row-major, innermost last).
  SmallVector<Value> delinearize(Value linear, ArrayRef<Value> sizes);

  /// exp(x) for x <= 0 on a vector, 15 ops: a Cody-Waite reduction, a degree
  /// 6 polynomial and the exponent added through the integer bits. Exact
  /// zero below -80 (masked scores and the initial running maximum), which
  /// the online softmax relies on for fully masked rows.
  Value expNonPositive(Value x);

  /// Fast-math flags for the reductions and max/sum trees of the softmax:
  /// reassociation without assuming finite values (masked scores are -inf).
  static arith::FastMathFlags reductionFlags();
};

/// Vector loops over one row of `d` elements (`full` of them in whole
/// vectors): whole vectors, then a masked tail.
struct RowLoops {
  KernelBuilder &kb;
  Value d, full;

  /// The loops over a row of `d` elements.
  static RowLoops of(KernelBuilder &kb, Value d) {
    Value w = kb.index(kb.vectorWidth);
    return {kb, d,
            kb.mul(arith::DivUIOp::create(kb.b, kb.loc, d, w).getResult(), w)};
  }

  /// Folds `step(acc, column, mask)` over the row's vectors into `init`.
  SmallVector<Value>
  fold(ValueRange init,
       function_ref<SmallVector<Value>(ValueRange acc, Value col, Value mask)>
           step) {
    scf::ForOp main =
        kb.loop(kb.index(0), full, kb.index(kb.vectorWidth), init,
                [&](Value c, ValueRange acc) { return step(acc, c, Value()); });
    scf::ForOp tail =
        kb.loop(full, d, kb.index(kb.vectorWidth), main.getResults(),
                [&](Value c, ValueRange acc) {
                  return step(acc, c, kb.prefixMask(kb.sub(d, c)));
                });
    return tail.getResults();
  }
  Value fold(Value init,
             function_ref<Value(Value acc, Value col, Value mask)> step) {
    return fold(ValueRange{init},
                [&](ValueRange acc, Value c, Value m) {
                  return SmallVector<Value>{step(acc[0], c, m)};
                })
        .front();
  }

  /// Runs `body(column, mask)` over the row's vectors.
  void each(function_ref<void(Value col, Value mask)> body) {
    eachIn(kb.index(0), d, body);
  }
  /// Runs `body(column, mask)` over the vectors of columns [lo, hi), lo a
  /// multiple of the vector width and hi one or the row's end.
  void eachIn(Value lo, Value hi,
              function_ref<void(Value col, Value mask)> body) {
    Value whole = kb.min(hi, full);
    kb.loop(lo, whole, kb.vectorWidth, [&](Value c) { body(c, Value()); });
    kb.loop(whole, hi, kb.vectorWidth,
            [&](Value c) { body(c, kb.prefixMask(kb.sub(d, c))); });
  }
};

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_KERNELBUILDER_H
