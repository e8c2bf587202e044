//===- GemmAmx.cpp - AMX tile blocks of xf_cpu.gemm -----------------------===//
//
// Per step of 16 packed rows of K (pairs of bf16, quads of int8: 64 bytes
// per column tile row either way), two tiles of 16 input rows times the
// panel's tiles of 16 columns into 16 x 16 accumulator tiles, two column
// tiles at a time (the 8 tile registers: 4 accumulators, 2 + 2 operands).
// A weight tile has the layout of the panel (a row holds each column's
// pair or quad), so it loads straight from it; int8 products are signed
// inputs times the panels' unsigned w + 128 (tdpbsud), as the VNNI path
// computes them.
//
// K goes in blocks of kAmxBlockSteps steps, and each K block over the work
// item's row blocks, so that the block's slice of the panel is read from L2
// once and from L1 for the other row blocks: with both operands from L2 the
// tile loads, not the products, set the pace. The accumulators go to the
// item's sums between K blocks (the first block starts from zero), and
// after the last one to the result where nothing is left to add or apply.
//
//===----------------------------------------------------------------------===//

#include "GemmAmx.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::xf::cpu;

bool mlir::xf::cpu::amxFits(const KernelBuilder &kb, Value packed, int64_t nr) {
  auto type = cast<MemRefType>(packed.getType());
  return kb.vectorWidth == 16 && nr % 16 == 0 &&
         !ShapedType::isDynamic(type.getDimSize(1)) && type.getDimSize(1) >= 16;
}

Type mlir::xf::cpu::amxSumType(OpBuilder &b, Value input) {
  return cast<MemRefType>(input.getType()).getElementType().isInteger(8)
             ? Type(b.getI32Type())
             : Type(b.getF32Type());
}

void mlir::xf::cpu::amxProducts(KernelBuilder &kb, const AmxOperands &ops,
                                Value panel, Value m0, Value m1) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value in = ops.input, packed = ops.packed;
  int64_t nr = ops.nr;
  bool int8 = cast<MemRefType>(in.getType()).getElementType().isInteger(8);
  Type operand = int8 ? Type(b.getI8Type()) : Type(b.getBF16Type());
  int64_t perRow = int8 ? 4 : 2, tileCols = int8 ? 64 : 32;
  int64_t rows = cast<MemRefType>(packed.getType()).getDimSize(1);
  int64_t whole = rows / 16 * 16, columnTiles = nr / 16;
  int64_t blockRows = std::min<int64_t>(16 * kAmxBlockSteps, whole);
  auto accType = amx::TileType::get({16, 16}, amxSumType(b, in));
  auto tileType = amx::TileType::get({16, tileCols}, operand);
  for (int64_t c0 = 0; c0 < columnTiles; c0 += 2) {
    int64_t cols = std::min<int64_t>(2, columnTiles - c0);
    // The products of the 16 packed rows of K from r0 for the row block
    // from rb, in a K block that ends at `end`.
    auto step = [&](Value rb, Value start, Value end, Value r0,
                    ValueRange acc) {
      Value k0 = kb.mul(r0, kb.index(perRow));
      // The next step's rows into L1 while this one multiplies: a tile
      // load waits for L2 otherwise, and the 8 tile registers leave no
      // room to load ahead. After a K block's last step the next row
      // block's first comes.
      Value next = kb.add(r0, kb.index(16));
      Value last = kb.cmp(arith::CmpIPredicate::sge, next, end);
      Value aheadRow =
          arith::SelectOp::create(b, loc, last,
                                  kb.min(kb.add(rb, kb.index(kAmxRows)),
                                         kb.sub(m1, kb.index(kAmxRows))),
                                  rb);
      Value aheadK = kb.mul(arith::SelectOp::create(b, loc, last, start, next),
                            kb.index(perRow));
      for (int64_t i = 0; i < kAmxRows; ++i)
        memref::PrefetchOp::create(
            b, loc, in, ValueRange{kb.add(aheadRow, kb.index(i)), aheadK},
            /*isWrite=*/false, /*localityHint=*/3, /*isDataCache=*/true);
      Value ahead = kb.min(next, kb.index(whole - 16));
      for (int64_t p = 0; p < 16; ++p)
        for (int64_t j = 0; j < cols; ++j)
          memref::PrefetchOp::create(
              b, loc, packed,
              ValueRange{panel, kb.add(ahead, kb.index(p)),
                         kb.index(tileCols * (c0 + j))},
              /*isWrite=*/false, /*localityHint=*/3, /*isDataCache=*/true);
      SmallVector<Value> x, w, sums;
      for (int64_t i = 0; i < 2; ++i)
        x.push_back(amx::TileLoadOp::create(
            b, loc, tileType, in,
            ValueRange{kb.add(rb, kb.index(16 * i)), k0}));
      for (int64_t j = 0; j < cols; ++j)
        w.push_back(amx::TileLoadOp::create(
            b, loc, tileType, packed,
            ValueRange{panel, r0, kb.index(tileCols * (c0 + j))}));
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < cols; ++j) {
          Value sum = acc[i * cols + j];
          sums.push_back(
              int8 ? amx::TileMulIOp::create(b, loc, accType, x[i], w[j], sum,
                                             /*isZextLhs=*/false,
                                             /*isZextRhs=*/true)
                         .getResult()
                   : amx::TileMulFOp::create(b, loc, accType, x[i], w[j], sum)
                         .getResult());
        }
      return sums;
    };
    // The packed rows [start, start + count) of K for every row block; the
    // first K block starts from zero sums, the others from the stored ones;
    // the last stores to the result where it is given.
    auto kBlock = [&](Value start, int64_t count, bool first, bool last) {
      Value end = kb.add(start, kb.index(count));
      kb.loop(m0, m1, kAmxRows, [&](Value rb) {
        Value local = kb.sub(rb, m0);
        auto at = [&](int64_t i, int64_t j) {
          return SmallVector<Value>{kb.add(local, kb.index(16 * i)),
                                    kb.index(16 * (c0 + j))};
        };
        SmallVector<Value> acc;
        for (int64_t i = 0; i < 2; ++i)
          for (int64_t j = 0; j < cols; ++j)
            acc.push_back(
                first ? amx::TileZeroOp::create(b, loc, accType).getResult()
                      : amx::TileLoadOp::create(b, loc, accType, ops.sums,
                                                at(i, j))
                            .getResult());
        if (count > 0)
          acc = SmallVector<Value>(kb.loop(start, end, kb.index(16), acc,
                                           [&](Value r0, ValueRange inner) {
                                             return step(rb, start, end, r0,
                                                         inner);
                                           })
                                       .getResults());
        for (int64_t i = 0; i < 2; ++i)
          for (int64_t j = 0; j < cols; ++j) {
            if (!last || !ops.result) {
              amx::TileStoreOp::create(b, loc, ops.sums, at(i, j),
                                       acc[i * cols + j]);
              continue;
            }
            amx::TileStoreOp::create(
                b, loc, ops.result,
                ValueRange{
                    kb.add(ops.resultRow, kb.add(local, kb.index(16 * i))),
                    kb.add(ops.resultCol, kb.index(16 * (c0 + j)))},
                acc[i * cols + j]);
          }
      });
    };
    kBlock(kb.index(0), blockRows, /*first=*/true,
           /*last=*/whole <= blockRows);
    if (whole <= blockRows)
      continue;
    int64_t full = whole / blockRows * blockRows;
    int64_t middleEnd = full < whole ? full : full - blockRows;
    kb.loop(kb.index(blockRows), kb.index(middleEnd), blockRows,
            [&](Value start) {
              kBlock(start, blockRows, /*first=*/false, /*last=*/false);
            });
    kBlock(kb.index(middleEnd), whole - middleEnd, /*first=*/false,
           /*last=*/true);
  }
}
