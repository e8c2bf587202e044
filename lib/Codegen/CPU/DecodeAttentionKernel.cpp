//===- DecodeAttentionKernel.cpp - flash_attention for short queries ------===//
//
// Attention for a few queries against a long KV cache (decoding), after
// Flash-Decoding: the work is split over the keys, not the queries.
//
// * The rows of a KV head are the query heads of its GQA group times the
//   queries, so K and V are read once per group.
// * K and V are read in place from the cache's layout, never copied.
// * Work items are (batch element, split): split s takes the key chunks s,
//   s + splits, s + 2 splits, ..., so that any layout's visible chunks
//   spread over the splits, and every KV head of a chunk. Each item keeps
//   a running max, sum and unnormalized output per row; a second pass
//   merges the splits with their log-sum-exp weights.
// * A chunk is computed KV head by KV head; while a head reads its slice of
//   the chunk's rows, it prefetches the same slice of the split's next
//   chunk into L2, so memory is read a chunk of whole rows at a time at an
//   even pace, overlapped with the compute. (One item per KV head, each
//   streaming its slice of every row, reads memory at about half the
//   bandwidth; prefetching into L1 evicts the chunk being computed.)
// * Chunks that no row sees (layout, block mask, valid length) are skipped;
//   only chunks that a mask cuts are masked pair by pair.
//
// Per key, the scores of a row are a dot product over the head: FMAs on
// vectors of the head dimension, then one horizontal sum.
//
//===----------------------------------------------------------------------===//

#include "AttentionCommon.h"
#include "Kernels.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

class DecodeLowering {
public:
  DecodeLowering(FlashAttentionOp op, KernelBuilder &kb,
                 const KernelOptions &options)
      : ctx(op, kb), kb(kb), b(kb.b), loc(kb.loc), options(options) {}

  void build();

private:
  /// Rows per register tile: its queries' vectors and accumulators fit the
  /// register file next to one key's vectors.
  int64_t rowTile() const {
    int64_t registers = vw == 16 ? 32 : 16;
    return std::clamp<int64_t>(
        (registers - 2) / std::max(dhVectors, dvVectors) - 1, 1, 4);
  }
  void item(Value id, Value splits, Value partials);
  void loadQueries(ArrayRef<Value> bidx);
  /// Runs `body` per KV head and tile of its rows (rowTile() at a time):
  /// the head, the tile's row indices, whether it is the head's first tile.
  void forRowTiles(
      function_ref<void(Value kvh, ArrayRef<Value> rowIds, bool firstTile)>
          body);
  /// The vectors of rows `rowIds` of a [rows][features] scratch buffer.
  SmallVector<Value> loadRows(Value buffer, ArrayRef<Value> rowIds,
                              int64_t vectors);
  /// The vectors of cache[key, base : base + dim] (the tail masked).
  SmallVector<Value> loadHead(ArrayRef<Value> bidx, Value cache, Value key,
                              Value base, int64_t dim);
  void prefetch(ArrayRef<Value> bidx, Value cache, Value key, Value base,
                int64_t floats);
  void chunk(ArrayRef<Value> bidx, Value k0, Value k1, Value numKeys,
             Value position0);
  void scores(ArrayRef<Value> bidx, Value k0, Value count);
  void mask(ArrayRef<Value> bidx, Value k0, Value count, Value numKeys,
            Value position0);
  void softmax(Value count);
  void values(ArrayRef<Value> bidx, Value k0, Value count);
  void merge(Value id, Value splits, Value partials);

  /// The head and query of row r: rows are, per KV head, the heads of its
  /// group times the queries.
  std::pair<Value, Value> headAndQuery(Value r) {
    Value h = arith::DivUIOp::create(b, loc, r, kb.index(sqStatic));
    Value i = arith::RemUIOp::create(b, loc, r, kb.index(sqStatic));
    return {h, i};
  }

  AttentionContext ctx;
  KernelBuilder &kb;
  OpBuilder &b;
  Location loc;
  KernelOptions options;

  // rows: per KV head; allRows: of every KV head.
  int64_t vw, bc, sqStatic, rows, allRows, dhVectors, dvVectors, dhPadded,
      dvPadded;
  // Per item scratch: the scaled queries Q[allRows][Dh], the scores and then
  // probabilities S[allRows][Bc] of a chunk, the unnormalized outputs
  // O[allRows][Dv] and each row's running max and sum.
  Value queries, scoreTile, outRows, rowMax, rowSum;
  // Keys from a chunk to the split's next one.
  Value ahead;
};

} // namespace

void DecodeLowering::loadQueries(ArrayRef<Value> bidx) {
  // Q[r][:] = scale * q[b, i, h * Dh : (h + 1) * Dh], zero padded.
  Value scale = kb.broadcast(kb.f32(ctx.scale));
  kb.loop(kb.index(0), kb.index(allRows), 1, [&](Value r) {
    auto [h, i] = headAndQuery(r);
    Value base = kb.mul(h, kb.index(ctx.dh));
    for (int64_t c = 0; c < dhVectors; ++c) {
      Value x = kb.load(ctx.q, ctx.at(bidx, i, kb.add(base, kb.index(c * vw))),
                        kb.rowMask(c, ctx.dh));
      kb.store(arith::MulFOp::create(b, loc, x, scale), queries,
               ValueRange{r, kb.index(c * vw)});
    }
  });
}

void DecodeLowering::prefetch(ArrayRef<Value> bidx, Value cache, Value key,
                              Value base, int64_t floats) {
  // cache[key + ahead, base : base + floats] into L2, the key clamped to the
  // cache.
  const int64_t lineFloats = 16; // a 64-byte cache line
  Value row = kb.min(kb.add(key, ahead), kb.sub(ctx.skv, kb.index(1)));
  for (int64_t f = 0; f < floats; f += lineFloats)
    memref::PrefetchOp::create(b, loc, cache,
                               ctx.at(bidx, row, kb.add(base, kb.index(f))),
                               /*isWrite=*/false, /*localityHint=*/2,
                               /*isDataCache=*/true);
}

void DecodeLowering::forRowTiles(
    function_ref<void(Value kvh, ArrayRef<Value> rowIds, bool firstTile)>
        body) {
  int64_t rt = rowTile();
  kb.loop(kb.index(0), kb.index(ctx.kvHeads), 1, [&](Value kvh) {
    Value first = kb.mul(kvh, kb.index(rows));
    for (int64_t r0 = 0; r0 < rows; r0 += rt) {
      SmallVector<Value> rowIds;
      for (int64_t r = r0; r < std::min(r0 + rt, rows); ++r)
        rowIds.push_back(kb.add(first, kb.index(r)));
      body(kvh, rowIds, r0 == 0);
    }
  });
}

SmallVector<Value> DecodeLowering::loadRows(Value buffer,
                                            ArrayRef<Value> rowIds,
                                            int64_t vectors) {
  SmallVector<Value> out;
  for (Value r : rowIds)
    for (int64_t c = 0; c < vectors; ++c)
      out.push_back(kb.load(buffer, ValueRange{r, kb.index(c * vw)}));
  return out;
}

SmallVector<Value> DecodeLowering::loadHead(ArrayRef<Value> bidx, Value cache,
                                            Value key, Value base,
                                            int64_t dim) {
  SmallVector<Value> out;
  for (int64_t c = 0; c * vw < dim; ++c)
    out.push_back(kb.load(cache,
                          ctx.at(bidx, key, kb.add(base, kb.index(c * vw))),
                          kb.rowMask(c, dim)));
  return out;
}

void DecodeLowering::scores(ArrayRef<Value> bidx, Value k0, Value count) {
  // S[r][j] = sum_d Q[r][d] K[k0 + j][d], per KV head a tile of its rows at
  // a time so that their queries stay in registers while the keys stream
  // past.
  arith::FastMathFlags fm = KernelBuilder::reductionFlags();
  forRowTiles([&](Value kvh, ArrayRef<Value> rowIds, bool firstTile) {
    Value kBase = kb.mul(kvh, kb.index(ctx.dh));
    SmallVector<Value> qv = loadRows(queries, rowIds, dhVectors);
    kb.loop(kb.index(0), count, 1, [&](Value j) {
      Value key = kb.add(k0, j);
      if (firstTile)
        prefetch(bidx, ctx.k, key, kBase, ctx.dh);
      SmallVector<Value> kv = loadHead(bidx, ctx.k, key, kBase, ctx.dh);
      for (auto [r, row] : llvm::enumerate(rowIds)) {
        Value acc = arith::MulFOp::create(b, loc, kv[0], qv[r * dhVectors]);
        for (int64_t c = 1; c < dhVectors; ++c)
          acc = kb.fma(kv[c], qv[r * dhVectors + c], acc);
        Value s = vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, acc, fm);
        memref::StoreOp::create(b, loc, s, scoreTile, ValueRange{row, j});
      }
    });
  });
}

void DecodeLowering::mask(ArrayRef<Value> bidx, Value k0, Value count,
                          Value numKeys, Value position0) {
  Value ninf = kb.f32(-std::numeric_limits<double>::infinity());
  kb.loop(kb.index(0), kb.index(allRows), 1, [&](Value r) {
    Value h, i;
    std::tie(h, i) = headAndQuery(r);
    Value position = kb.add(position0, i);
    kb.loop(kb.index(0), count, 1, [&](Value j) {
      Value key = kb.add(k0, j);
      Value s = memref::LoadOp::create(b, loc, scoreTile, ValueRange{r, j});
      if (ctx.mask)
        s = arith::AddFOp::create(b, loc, s, ctx.additive(bidx, h, i, key));
      Value keep = ctx.keep(bidx, h, i, position, key, key, numKeys);
      memref::StoreOp::create(b, loc,
                              arith::SelectOp::create(b, loc, keep, s, ninf),
                              scoreTile, ValueRange{r, j});
    });
  });
}

void DecodeLowering::softmax(Value count) {
  // Per row: m' = max(m, max_j S), S = exp(S - m'), l = alpha l + sum S
  // with alpha = exp(m - m'), vectors of keys at a time (masked tail); the
  // row's output is rescaled by alpha.
  arith::FastMathFlags fm = KernelBuilder::reductionFlags();
  Value full =
      kb.mul(arith::DivUIOp::create(b, loc, count, kb.index(vw)), kb.index(vw));
  Value ninf = kb.splat(-std::numeric_limits<double>::infinity());
  auto overKeys = [&](Value init,
                      function_ref<Value(Value acc, Value j, Value m)> step) {
    scf::ForOp main =
        kb.loop(kb.index(0), full, kb.index(vw), ValueRange{init},
                [&](Value j, ValueRange acc) {
                  return SmallVector<Value>{step(acc[0], j, Value())};
                });
    scf::ForOp tail =
        kb.loop(full, count, kb.index(vw), ValueRange{main.getResult(0)},
                [&](Value j, ValueRange acc) {
                  return SmallVector<Value>{
                      step(acc[0], j, kb.prefixMask(kb.sub(count, j)))};
                });
    return tail.getResult(0);
  };
  kb.loop(kb.index(0), kb.index(allRows), 1, [&](Value r) {
    Value tileMax = overKeys(ninf, [&](Value acc, Value j, Value m) {
      Value s = kb.load(scoreTile, ValueRange{r, j}, m);
      if (m)
        s = arith::SelectOp::create(b, loc, m, s, ninf);
      return arith::MaximumFOp::create(b, loc, acc, s, fm).getResult();
    });
    Value mOld = memref::LoadOp::create(b, loc, rowMax, ValueRange{r});
    Value mNew = arith::MaximumFOp::create(
        b, loc, mOld,
        vector::ReductionOp::create(b, loc, vector::CombiningKind::MAXIMUMF,
                                    tileMax, fm),
        fm);
    Value mVec = kb.broadcast(mNew);
    Value sum = overKeys(kb.splat(0.0), [&](Value acc, Value j, Value m) {
      Value s = kb.load(scoreTile, ValueRange{r, j}, m);
      Value p = kb.expNonPositive(arith::SubFOp::create(b, loc, s, mVec));
      if (m)
        p = arith::SelectOp::create(b, loc, m, p, kb.splat(0.0));
      kb.store(p, scoreTile, ValueRange{r, j}, m);
      return arith::AddFOp::create(b, loc, acc, p, fm).getResult();
    });
    // alpha = exp(m - m') as one lane of the vector exp.
    Value alpha = kb.expNonPositive(
        arith::SubFOp::create(b, loc, kb.broadcast(mOld), mVec));
    Value l = memref::LoadOp::create(b, loc, rowSum, ValueRange{r});
    Value total = vector::ReductionOp::create(
        b, loc, vector::CombiningKind::ADD, sum, fm);
    memref::StoreOp::create(
        b, loc,
        arith::AddFOp::create(
            b, loc,
            arith::MulFOp::create(b, loc, l,
                                  vector::ExtractOp::create(b, loc, alpha, 0)),
            total),
        rowSum, ValueRange{r});
    memref::StoreOp::create(b, loc, mNew, rowMax, ValueRange{r});
    for (int64_t c = 0; c < dvPadded; c += vw) {
      SmallVector<Value> at = {r, kb.index(c)};
      kb.store(arith::MulFOp::create(b, loc, kb.load(outRows, at), alpha),
               outRows, at);
    }
  });
}

void DecodeLowering::values(ArrayRef<Value> bidx, Value k0, Value count) {
  // O[r][:] += sum_j S[r][j] V[k0 + j][:], per KV head a tile of its rows
  // in registers.
  forRowTiles([&](Value kvh, ArrayRef<Value> rowIds, bool firstTile) {
    Value vBase = kb.mul(kvh, kb.index(ctx.dv));
    scf::ForOp jLoop = kb.loop(
        kb.index(0), count, kb.index(1), loadRows(outRows, rowIds, dvVectors),
        [&](Value j, ValueRange acc) {
          Value key = kb.add(k0, j);
          if (firstTile)
            prefetch(bidx, ctx.v, key, vBase, ctx.dv);
          SmallVector<Value> vv = loadHead(bidx, ctx.v, key, vBase, ctx.dv);
          SmallVector<Value> next;
          for (auto [r, row] : llvm::enumerate(rowIds)) {
            Value p = kb.broadcast(
                memref::LoadOp::create(b, loc, scoreTile, ValueRange{row, j}));
            for (int64_t c = 0; c < dvVectors; ++c)
              next.push_back(kb.fma(p, vv[c], acc[r * dvVectors + c]));
          }
          return next;
        });
    for (auto [r, row] : llvm::enumerate(rowIds))
      for (int64_t c = 0; c < dvVectors; ++c)
        kb.store(jLoop.getResult(r * dvVectors + c), outRows,
                 ValueRange{row, kb.index(c * vw)});
  });
}

void DecodeLowering::chunk(ArrayRef<Value> bidx, Value k0, Value k1,
                           Value numKeys, Value position0) {
  // Whether any row sees a key of the chunk, and whether every row sees
  // every key.
  Value count = kb.sub(k1, k0);
  LayoutBuilder::TileVisit seen =
      ctx.visitTile(bidx, Value(), kb.index(0), kb.index(sqStatic), position0,
                    kb.add(position0, kb.index(sqStatic)), k0, k1, kb.index(0));
  auto visit = scf::IfOp::create(b, loc, seen.visit, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(visit.thenBlock());
  scores(bidx, k0, count);
  Value need = arith::XOrIOp::create(
      b, loc, seen.full, arith::ConstantIntOp::create(b, loc, 1, 1));
  auto masked = scf::IfOp::create(b, loc, need, /*withElse=*/false);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(masked.thenBlock());
    mask(bidx, k0, count, numKeys, position0);
  }
  softmax(count);
  values(bidx, k0, count);
}

void DecodeLowering::item(Value id, Value splits, Value partials) {
  SmallVector<Value> ids = kb.delinearize(id, {ctx.batchCount, splits});
  SmallVector<Value> bidx = kb.delinearize(ids[0], ctx.batchSizes);
  Value split = ids[1];
  Value numKeys = ctx.validKeys(bidx);
  // Bottom right: the last query sits at the last valid key.
  Value position0 = kb.sub(numKeys, ctx.sq);
  Value chunks = kb.divUp(numKeys, bc);

  for (int64_t r = 0; r < allRows; ++r) {
    memref::StoreOp::create(b, loc, kb.f32(-std::numeric_limits<float>::max()),
                            rowMax, ValueRange{kb.index(r)});
    memref::StoreOp::create(b, loc, kb.f32(0.0), rowSum,
                            ValueRange{kb.index(r)});
    for (int64_t c = 0; c < dvPadded; c += vw)
      kb.store(kb.splat(0.0), outRows, ValueRange{kb.index(r), kb.index(c)});
  }
  loadQueries(bidx);
  ahead = kb.mul(splits, kb.index(bc));
  kb.loop(split, chunks, splits, ValueRange{}, [&](Value c, ValueRange) {
    Value k0 = kb.mul(c, kb.index(bc));
    Value k1 = kb.min(kb.add(k0, kb.index(bc)), numKeys);
    chunk(bidx, k0, k1, numKeys, position0);
    return SmallVector<Value>{};
  });
  // This split's running max, sum and unnormalized output per row.
  kb.loop(kb.index(0), kb.index(allRows), 1, [&](Value r) {
    Value m = memref::LoadOp::create(b, loc, rowMax, ValueRange{r});
    Value l = memref::LoadOp::create(b, loc, rowSum, ValueRange{r});
    memref::StoreOp::create(b, loc, m, partials,
                            ValueRange{id, r, kb.index(dvPadded)});
    memref::StoreOp::create(b, loc, l, partials,
                            ValueRange{id, r, kb.index(dvPadded + 1)});
    for (int64_t c = 0; c < dvPadded; c += vw)
      kb.store(kb.load(outRows, ValueRange{r, kb.index(c)}), partials,
               ValueRange{id, r, kb.index(c)});
  });
}

void DecodeLowering::merge(Value bt, Value splits, Value partials) {
  // Per row of a batch element: M = max_s m_s, L = sum_s l_s e^(m_s - M),
  // O = sum_s O_s e^(m_s - M) / L (zero where no key was seen).
  SmallVector<Value> bidx = kb.delinearize(bt, ctx.batchSizes);
  Value first = kb.mul(bt, splits);
  arith::FastMathFlags fm = KernelBuilder::reductionFlags();
  kb.loop(kb.index(0), kb.index(allRows), 1, [&](Value r) {
    scf::ForOp maxLoop =
        kb.loop(kb.index(0), splits, kb.index(1),
                ValueRange{kb.f32(-std::numeric_limits<float>::max())},
                [&](Value s, ValueRange acc) {
                  Value m = memref::LoadOp::create(
                      b, loc, partials,
                      ValueRange{kb.add(first, s), r, kb.index(dvPadded)});
                  return SmallVector<Value>{
                      arith::MaximumFOp::create(b, loc, acc[0], m, fm)};
                });
    Value mVec = kb.broadcast(maxLoop.getResult(0));
    SmallVector<Value> init(dvVectors + 1, kb.splat(0.0));
    scf::ForOp sumLoop = kb.loop(
        kb.index(0), splits, kb.index(1), init, [&](Value s, ValueRange acc) {
          Value part = kb.add(first, s);
          Value m = kb.broadcast(memref::LoadOp::create(
              b, loc, partials, ValueRange{part, r, kb.index(dvPadded)}));
          Value l = kb.broadcast(memref::LoadOp::create(
              b, loc, partials, ValueRange{part, r, kb.index(dvPadded + 1)}));
          Value w = kb.expNonPositive(arith::SubFOp::create(b, loc, m, mVec));
          SmallVector<Value> next = {kb.fma(l, w, acc[0])};
          for (int64_t c = 0; c < dvVectors; ++c)
            next.push_back(
                kb.fma(kb.load(partials, ValueRange{part, r, kb.index(c * vw)}),
                       w, acc[c + 1]));
          return next;
        });
    Value total = sumLoop.getResult(0);
    Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        total, kb.splat(0.0));
    Value inv = arith::SelectOp::create(
        b, loc, empty, kb.splat(0.0),
        arith::DivFOp::create(b, loc, kb.splat(1.0), total));
    auto [h, i] = headAndQuery(r);
    Value oBase = kb.mul(h, kb.index(ctx.dv));
    for (int64_t c = 0; c < dvVectors; ++c)
      kb.store(arith::MulFOp::create(b, loc, sumLoop.getResult(c + 1), inv),
               ctx.out, ctx.at(bidx, i, kb.add(oBase, kb.index(c * vw))),
               kb.rowMask(c, ctx.dv));
  });
}

void DecodeLowering::build() {
  vw = options.vectorWidth;
  bc = options.attentionBlockKv;
  sqStatic = cast<MemRefType>(ctx.q.getType()).getDimSize(ctx.batchRank);
  rows = ctx.group * sqStatic;
  allRows = ctx.kvHeads * rows;
  dhVectors = (ctx.dh + vw - 1) / vw;
  dvVectors = (ctx.dv + vw - 1) / vw;
  dhPadded = dhVectors * vw;
  dvPadded = dvVectors * vw;

  // Splits: enough items to keep every thread busy, no more than the
  // capacity's chunks.
  int64_t threads = std::max<int64_t>(options.threads, 1);
  Value splits = arith::CeilDivUIOp::create(
      b, loc, kb.index(4 * threads), kb.max(ctx.batchCount, kb.index(1)));
  splits = kb.max(kb.min(splits, kb.divUp(ctx.skv, bc)), kb.index(1));
  Value items = kb.mul(ctx.batchCount, splits);
  auto f32 = b.getF32Type();
  Value partials = memref::AllocOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic, allRows, dvPadded + 2}, f32),
      ValueRange{items}, b.getI64IntegerAttr(64));
  int64_t scratchFloats = allRows * (dhPadded + bc + dvPadded + 2);
  parallelWithScratch(
      kb, items, options.threads, 4 * scratchFloats,
      [&](Scratch &scratch) {
        queries = scratch.buffer({allRows, dhPadded});
        scoreTile = scratch.buffer({allRows, bc});
        outRows = scratch.buffer({allRows, dvPadded});
        rowMax = scratch.buffer({allRows});
        rowSum = scratch.buffer({allRows});
      },
      [&](Value id) { item(id, splits, partials); });
  kb.parallel(ctx.batchCount, options.threads,
              [&](Value bt) { merge(bt, splits, partials); });
  memref::DeallocOp::create(b, loc, partials);
}

void cpu::buildDecodeAttention(FlashAttentionOp op, KernelBuilder &kb,
                               const KernelOptions &options) {
  DecodeLowering(op, kb, options).build();
}
