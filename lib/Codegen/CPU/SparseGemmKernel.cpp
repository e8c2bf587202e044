//===- SparseGemmKernel.cpp - xf_cpu.sparse_gemm as vector loops ----------===//
//
// An unstructured sparse weight leaves no panel rows to skip, so the product
// runs transposed: Y^T = W^T X^T. The input is transposed once, tile of rows
// by tile, into [tiles, K, TR]; each nonzero w of column n at row k then adds
// w * X^T[tile, k] to the tile's TR rows of Y^T[tile, n] held in registers
// (two accumulator sets over alternate nonzeros, so that the FMA latency is
// hidden). Y^T is transposed back through the epilogue (bias, activation,
// residual) into the result. Tile-major scratch keeps a tile's K rows
// contiguous: rows a power-of-two apart would share few cache sets.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// One row (a decode step): per column a dot product of its nonzeros with
/// the input gathered at their rows, a vector of nonzeros at a time; a
/// vector of columns goes through the epilogue together. The transposes of
/// the general kernel would only cost here: the nonzeros are read once.
void lowerSparseGemv(SparseGemmOp op, KernelBuilder &kb, int64_t threads) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  int64_t vw = kb.vectorWidth;
  Value a = op.getInput(), c = op.getInit(), values = op.getValues();
  Value offsets = op.getColOffsets(), rowIndex = op.getRowIndices();
  Value n = kb.dim(c, 1);
  auto i32Vec = VectorType::get({vw}, b.getI32Type());
  Value zeroIndices = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i32Vec, b.getI32IntegerAttr(0)));
  kb.parallel(kb.divUp(n, vw), threads, [&](Value group) {
    Value c0 = kb.mul(group, kb.index(vw));
    Value sums = kb.splat(0.0);
    for (int64_t j = 0; j < vw; ++j) {
      // Columns past N have no nonzeros: offsets[N] .. offsets[N].
      Value col = kb.min(kb.add(c0, kb.index(j)), n);
      Value first = kb.loadIndex(offsets, col);
      Value last = kb.loadIndex(offsets, kb.min(kb.add(col, kb.index(1)), n));
      scf::ForOp dot = kb.loop(
          first, last, kb.index(vw), ValueRange{kb.splat(0.0)},
          [&](Value nz, ValueRange acc) {
            Value mask = kb.prefixMask(kb.sub(last, nz));
            Value rows = vector::MaskedLoadOp::create(
                b, loc, i32Vec, rowIndex, ValueRange{nz}, mask, zeroIndices);
            Value x = vector::GatherOp::create(
                b, loc, kb.vec(), a, ValueRange{kb.index(0), kb.index(0)}, rows,
                mask, kb.splat(0.0));
            Value w = kb.load(values, ValueRange{nz}, mask);
            return SmallVector<Value>{kb.fma(w, x, acc[0])};
          });
      Value sum = vector::ReductionOp::create(
          b, loc, vector::CombiningKind::ADD, dot.getResult(0),
          KernelBuilder::reductionFlags());
      sums = vector::InsertOp::create(b, loc, sum, sums, j);
    }
    Value mask = kb.prefixMask(kb.sub(n, c0));
    Value zero = kb.index(0);
    Value bias =
        op.getBias() ? kb.load(op.getBias(), ValueRange{c0}, mask) : Value();
    Value residual = op.getResidual()
                         ? kb.load(op.getResidual(), ValueRange{zero, c0}, mask)
                         : Value();
    kb.store(applyEpilogue(kb, sums, bias, op.getActivation(), residual), c,
             ValueRange{zero, c0}, mask);
  });
}

} // namespace

LogicalResult cpu::lowerSparseGemm(SparseGemmOp op, RewriterBase &rewriter,
                                   const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  int64_t vw = options.vectorWidth;
  KernelBuilder kb(rewriter, loc, vw);
  OpBuilder &b = kb.b;
  Value a = op.getInput(), c = op.getInit(), values = op.getValues();
  Value offsets = op.getColOffsets(), rowIndex = op.getRowIndices();
  if (cast<MemRefType>(c.getType()).getDimSize(0) == 1) {
    lowerSparseGemv(op, kb, options.threads);
    rewriter.eraseOp(op);
    return success();
  }
  Value m = kb.dim(c, 0), n = kb.dim(c, 1), k = kb.dim(a, 1);
  // Vectors of rows per register tile: 8 (two sets of 8 accumulators and
  // the broadcast fit 32 zmm; fewer passes over the nonzeros), 4 with 16
  // ymm, fewer for few static rows.
  int64_t staticM = cast<MemRefType>(c.getType()).getDimSize(0);
  int64_t maxVectors = vw == 16 ? 8 : 4;
  int64_t tileVectors =
      ShapedType::isDynamic(staticM)
          ? maxVectors
          : std::clamp<int64_t>((staticM + vw - 1) / vw, 1, maxVectors);
  int64_t tileRows = tileVectors * vw;
  Value mTiles = kb.divUp(m, tileRows);
  Value mPad = kb.mul(mTiles, kb.index(tileRows));
  auto dyn = ShapedType::kDynamic;
  auto scratchType = MemRefType::get({dyn, dyn, tileRows}, b.getF32Type());
  IntegerAttr align = b.getI64IntegerAttr(64);
  Value xt = memref::AllocOp::create(b, loc, scratchType, ValueRange{mTiles, k},
                                     align);
  Value yt = memref::AllocOp::create(b, loc, scratchType, ValueRange{mTiles, n},
                                     align);
  Value lanes = kb.laneOffsets(kb.index(tileRows));
  auto tileOf = [&](Value row) {
    return std::make_pair(
        arith::DivUIOp::create(b, loc, row, kb.index(tileRows)).getResult(),
        arith::RemUIOp::create(b, loc, row, kb.index(tileRows)).getResult());
  };

  // X^T, the rows past M zero.
  kb.parallel(mPad, options.threads, [&](Value row) {
    Value inside = kb.cmp(arith::CmpIPredicate::slt, row, m);
    std::pair<Value, Value> at = tileOf(row);
    Value tile = at.first, r = at.second;
    kb.loop(kb.index(0), k, vw, [&](Value k0) {
      Value count =
          arith::SelectOp::create(b, loc, inside, kb.sub(k, k0), kb.index(0));
      Value v = kb.load(a, ValueRange{row, k0}, kb.prefixMask(count));
      vector::ScatterOp::create(b, loc, TypeRange{}, xt,
                                ValueRange{tile, k0, r}, lanes,
                                kb.prefixMask(kb.sub(k, k0)), v, IntegerAttr());
    });
  });

  // Y^T: per (row tile, chunk of columns), each column's nonzeros.
  const int64_t chunkColumns = 64;
  Value chunks = kb.divUp(n, chunkColumns);
  kb.parallel(kb.mul(mTiles, chunks), options.threads, [&](Value item) {
    Value tile = arith::DivUIOp::create(b, loc, item, chunks);
    Value chunk = arith::RemUIOp::create(b, loc, item, chunks);
    Value n0 = kb.mul(chunk, kb.index(chunkColumns));
    Value n1 = kb.min(kb.add(n0, kb.index(chunkColumns)), n);
    kb.loop(n0, n1, 1, [&](Value col) {
      Value first = kb.loadIndex(offsets, col);
      Value last = kb.loadIndex(offsets, kb.add(col, kb.index(1)));
      Value pairs =
          kb.add(first, kb.mul(arith::DivUIOp::create(
                                   b, loc, kb.sub(last, first), kb.index(2)),
                               kb.index(2)));
      auto products = [&](Value nz, ValueRange acc) {
        Value w = kb.broadcast(memref::LoadOp::create(b, loc, values, nz));
        Value row = kb.loadIndex(rowIndex, nz);
        SmallVector<Value> next;
        for (int64_t t = 0; t < tileVectors; ++t)
          next.push_back(kb.fma(
              w, kb.load(xt, ValueRange{tile, row, kb.index(t * vw)}), acc[t]));
        return next;
      };
      SmallVector<Value> zeros(2 * tileVectors, kb.splat(0.0));
      scf::ForOp twoAtATime = kb.loop(
          first, pairs, kb.index(2), zeros, [&](Value nz, ValueRange acc) {
            SmallVector<Value> next = products(nz, acc.take_front(tileVectors));
            llvm::append_range(next, products(kb.add(nz, kb.index(1)),
                                              acc.drop_front(tileVectors)));
            return next;
          });
      ValueRange both = twoAtATime.getResults();
      scf::ForOp tail =
          kb.loop(pairs, last, kb.index(1), both.take_front(tileVectors),
                  [&](Value nz, ValueRange acc) { return products(nz, acc); });
      for (int64_t t = 0; t < tileVectors; ++t)
        kb.store(arith::AddFOp::create(b, loc, tail.getResult(t),
                                       both[tileVectors + t]),
                 yt, ValueRange{tile, col, kb.index(t * vw)});
    });
  });

  // The result from Y^T, per (row tile, vector of columns) so that the
  // gathered lines stay in L1 across the tile's rows, through the epilogue.
  Value columnVectors = kb.divUp(n, vw);
  kb.parallel(kb.mul(mTiles, columnVectors), options.threads, [&](Value item) {
    Value tile = arith::DivUIOp::create(b, loc, item, columnVectors);
    Value c0 = kb.mul(arith::RemUIOp::create(b, loc, item, columnVectors),
                      kb.index(vw));
    Value mask = kb.prefixMask(kb.sub(n, c0));
    Value bias =
        op.getBias() ? kb.load(op.getBias(), ValueRange{c0}, mask) : Value();
    Value m0 = kb.mul(tile, kb.index(tileRows));
    kb.loop(kb.index(0), kb.min(kb.index(tileRows), kb.sub(m, m0)), 1,
            [&](Value r) {
              Value row = kb.add(m0, r);
              Value v = vector::GatherOp::create(b, loc, kb.vec(), yt,
                                                 ValueRange{tile, c0, r}, lanes,
                                                 mask, kb.splat(0.0));
              Value residual =
                  op.getResidual()
                      ? kb.load(op.getResidual(), ValueRange{row, c0}, mask)
                      : Value();
              kb.store(applyEpilogue(kb, v, bias, op.getActivation(), residual),
                       c, ValueRange{row, c0}, mask);
            });
  });
  memref::DeallocOp::create(b, loc, xt);
  memref::DeallocOp::create(b, loc, yt);
  rewriter.eraseOp(op);
  return success();
}
