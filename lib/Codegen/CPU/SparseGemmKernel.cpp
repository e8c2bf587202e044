//===- SparseGemmKernel.cpp - xf_cpu.sparse_gemm as vector loops ----------===//
//
// An unstructured sparse weight leaves no panel rows to skip, so the product
// runs transposed: Y^T = W^T X^T. The input is transposed once, tile of rows
// by tile, into [tiles, K, TR] (16 x 16 blocks transposed in registers);
// each nonzero w of column n at row k then adds w * X^T[tile, k] to the
// tile's TR rows of Y^T[tile, n], held in registers over the column's
// nonzeros in a block of K and in Y^T between blocks. Y^T is transposed back
// through the epilogue (bias, activation, residual) into the result.
// Tile-major scratch keeps a tile's K rows contiguous: rows a power-of-two
// apart would share few cache sets.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "AttentionCommon.h"
#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// Columns per work item: their sums (a row tile each, 32 KiB in all at 128
/// rows) stay in L1 and L2 between K blocks.
constexpr int64_t kSparseChunkColumns = 64;
/// Rows of K per block: a block's rows of X^T (64 KiB in a tile of 128
/// rows) are reused from L1 and L2 across the item's columns; fewer rows
/// cost more loads and stores of the sums per nonzero (128 measured best
/// at the GPT-2 shapes, 64 and 256 slower).
constexpr int64_t kSparseKBlock = 128;

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
  auto dyn = ShapedType::kDynamic;
  auto scratchType = MemRefType::get({dyn, dyn, tileRows}, b.getF32Type());
  IntegerAttr align = b.getI64IntegerAttr(64);
  Value xt = memref::AllocOp::create(b, loc, scratchType, ValueRange{mTiles, k},
                                     align);
  Value yt = memref::AllocOp::create(b, loc, scratchType, ValueRange{mTiles, n},
                                     align);
  Value lanes = kb.laneOffsets(kb.index(tileRows));

  // X^T by blocks of vw rows x vw columns of K, each transposed in
  // registers (vector.transpose: shuffles), where a scatter per row would
  // write a cache line per element. Rows past M are zero; columns past K
  // are not stored.
  Value kVectors = kb.divUp(k, vw);
  auto blockType = VectorType::get({vw, vw}, b.getF32Type());
  Value zeroBlock = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(blockType, b.getF32FloatAttr(0.0)));
  kb.parallel(kb.mul(mTiles, kVectors), options.threads, [&](Value item) {
    Value tile = arith::DivUIOp::create(b, loc, item, kVectors);
    Value k0 =
        kb.mul(arith::RemUIOp::create(b, loc, item, kVectors), kb.index(vw));
    kb.loop(kb.index(0), kb.index(tileRows), vw, [&](Value r0) {
      Value first = kb.add(kb.mul(tile, kb.index(tileRows)), r0);
      Value block = zeroBlock;
      for (int64_t i = 0; i < vw; ++i) {
        Value row = kb.add(first, kb.index(i));
        Value count = arith::SelectOp::create(
            b, loc, kb.cmp(arith::CmpIPredicate::slt, row, m), kb.sub(k, k0),
            kb.index(0));
        block = vector::InsertOp::create(
            b, loc, kb.load(a, ValueRange{row, k0}, kb.prefixMask(count)),
            block, i);
      }
      Value columns =
          vector::TransposeOp::create(b, loc, block, ArrayRef<int64_t>{1, 0});
      for (int64_t j = 0; j < vw; ++j) {
        Value col = kb.add(k0, kb.index(j));
        Value stored = arith::SelectOp::create(
            b, loc, kb.cmp(arith::CmpIPredicate::slt, col, k), kb.index(vw),
            kb.index(0));
        kb.store(vector::ExtractOp::create(b, loc, columns, j), xt,
                 ValueRange{tile, col, r0}, kb.prefixMask(stored));
      }
    });
  });

  // Y^T: per (row tile, chunk of columns), K in blocks whose rows of X^T
  // are reused from L1 and L2 while the chunk's columns use them (a column
  // at a time over all of K reads each nonzero's row from anywhere in the
  // tile). A column's nonzeros in a block are the run from its cursor while
  // their rows are below the block's end (rows ascend within a column); its
  // sums wait in Y^T between blocks.
  Value chunks = kb.divUp(n, kSparseChunkColumns);
  Value lastStored = kb.sub(kb.dim(values, 0), kb.index(1));
  Value cursors;
  auto allocate = [&](Scratch &scratch) {
    cursors = scratch.buffer({kSparseChunkColumns}, b.getIndexType());
  };
  parallelWithScratch(
      kb, kb.mul(mTiles, chunks), options.threads, 0, allocate,
      [&](Value item) {
        Value tile = arith::DivUIOp::create(b, loc, item, chunks);
        Value chunk = arith::RemUIOp::create(b, loc, item, chunks);
        Value n0 = kb.mul(chunk, kb.index(kSparseChunkColumns));
        Value n1 = kb.min(kb.add(n0, kb.index(kSparseChunkColumns)), n);
        kb.loop(n0, n1, 1, [&](Value col) {
          memref::StoreOp::create(b, loc, kb.loadIndex(offsets, col), cursors,
                                  ValueRange{kb.sub(col, n0)});
          for (int64_t t = 0; t < tileVectors; ++t)
            kb.store(kb.splat(0.0), yt,
                     ValueRange{tile, col, kb.index(t * vw)});
        });
        kb.loop(kb.index(0), k, kSparseKBlock, [&](Value k0) {
          Value kEnd = kb.add(k0, kb.index(kSparseKBlock));
          kb.loop(n0, n1, 1, [&](Value col) {
            Value slot = kb.sub(col, n0);
            Value last = kb.loadIndex(offsets, kb.add(col, kb.index(1)));
            // The row of nonzero `nz`, and whether it is the column's and
            // in this block (the load stays inside the stored values).
            auto rowOf = [&](Value nz) {
              return kb.loadIndex(rowIndex, kb.min(nz, lastStored));
            };
            auto inBlock = [&](Value nz, Value row) -> Value {
              return arith::AndIOp::create(
                  b, loc, kb.cmp(arith::CmpIPredicate::slt, nz, last),
                  kb.cmp(arith::CmpIPredicate::slt, row, kEnd));
            };
            Value first = memref::LoadOp::create(b, loc, cursors, slot);
            Value any = inBlock(first, rowOf(first));
            scf::IfOp::create(b, loc, any, [&](OpBuilder &, Location) {
              SmallVector<Value> inits = {first};
              for (int64_t t = 0; t < tileVectors; ++t)
                inits.push_back(
                    kb.load(yt, ValueRange{tile, col, kb.index(t * vw)}));
              // The condition passes on each nonzero's row with the sums.
              SmallVector<Type> types = {b.getIndexType(), b.getIndexType()};
              for (int64_t t = 0; t < tileVectors; ++t)
                types.push_back(kb.vec());
              auto run = scf::WhileOp::create(
                  b, loc, types, inits,
                  [&](OpBuilder &, Location, ValueRange args) {
                    Value row = rowOf(args[0]);
                    SmallVector<Value> forwarded = {args[0], row};
                    llvm::append_range(forwarded, args.drop_front());
                    scf::ConditionOp::create(b, loc, inBlock(args[0], row),
                                             forwarded);
                  },
                  [&](OpBuilder &, Location, ValueRange args) {
                    Value nz = args[0], row = args[1];
                    Value w = kb.broadcast(
                        memref::LoadOp::create(b, loc, values, nz));
                    SmallVector<Value> next = {kb.add(nz, kb.index(1))};
                    for (int64_t t = 0; t < tileVectors; ++t)
                      next.push_back(kb.fma(
                          w,
                          kb.load(xt, ValueRange{tile, row, kb.index(t * vw)}),
                          args[2 + t]));
                    scf::YieldOp::create(b, loc, next);
                  });
              memref::StoreOp::create(b, loc, run.getResult(0), cursors, slot);
              for (int64_t t = 0; t < tileVectors; ++t)
                kb.store(run.getResult(2 + t), yt,
                         ValueRange{tile, col, kb.index(t * vw)});
              scf::YieldOp::create(b, loc);
            });
          });
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
