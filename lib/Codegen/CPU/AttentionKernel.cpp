//===- AttentionKernel.cpp - xf_cpu.flash_attention as vector loops -------===//
//
// FlashAttention-2 on the CPU for prefill (docs/Pipelines.md). K and V are
// first copied per KV head into contiguous rows (in the [S, H * D] layout a
// head's rows are H * D apart and a KV tile thrashes a few L1 sets), zero
// past each batch element's valid keys. Each work item is one block of Br
// queries of one head (of one packed sequence with seq_offsets), copied
// transposed and scaled; it visits the KV tiles that the layout and the
// block mask show it (AttentionContext), computing the scores transposed,
// S^T = K Q^T, so that the softmax statistics of 16 queries are one vector
// and every max and sum runs down the tile instead of across lanes. Only
// tiles that a mask cuts are masked pair by pair. The running max, running
// sum and an unnormalized Br x Dv output block live on the stack; O is
// written once.
//
//===----------------------------------------------------------------------===//

#include "AttentionCommon.h"
#include "Kernels.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// One work item: a block of query rows of one head and the keys they may
/// see.
struct WorkItem {
  Value bt;                ///< linear batch index (0 for packed sequences)
  SmallVector<Value> bidx; ///< batch indices
  Value h, kvh;            ///< query head and its KV head
  Value q0, rows;          ///< first query row and number of rows
  Value kBegin, numKeys;   ///< first key row and number of valid keys
  Value position0;         ///< the layout position of query row q0
};

class AttentionLowering {
public:
  AttentionLowering(FlashAttentionOp op, KernelBuilder &kb,
                    const KernelOptions &options)
      : ctx(op, kb), kb(kb), b(kb.b), loc(kb.loc), options(options) {}

  void build();

private:
  Value packHeads(Value src, int64_t headDim, int64_t paddedDim);
  void allocateScratch(Scratch &scratch);
  WorkItem workItem(Value item);
  /// For packed sequences: the sequence and block within it of the g-th
  /// block of Br queries over all sequences.
  std::pair<Value, Value> locateBlock(Value g);
  Value totalBlocks();
  void zeroOutsideSequences();
  void block(Value item);
  void copyQueries(const WorkItem &w);
  void gemmScores(Value bt, Value kvh, Value k0);
  void applyMasks(const WorkItem &w, Value k0, Value kp0);
  void maxOfScores();
  void softmax();
  void gemmValues(Value bt, Value kvh, Value k0);
  void writeOutput(ArrayRef<Value> bidx, Value h, Value q0, Value rows);

  SmallVector<Value> at(ArrayRef<Value> bidx, Value s, Value f) {
    return ctx.at(bidx, s, f);
  }

  AttentionContext ctx;
  KernelBuilder &kb;
  OpBuilder &b;
  Location loc;
  KernelOptions options;

  int64_t br, bc, vw, mr1, mr2, dvVectors, dvPadded, dhPadded;
  Value nkb, packedK, packedV;
  // Per work item scratch: the transposed scaled queries Qt[Dh][Br], the
  // transposed scores/probabilities St[Bc][Br], the output block
  // Ob[Br][Dv] and the statistics of the Br queries.
  Value queries, scores, outBlock, rowMax, rowSum, alpha;
  // The running max updated with the current tile's scores, kept by the
  // score GEMM as it stores them so that the softmax needs no max pass.
  Value tileMax;
  // The keys of the current KV tile that are computed: Bc, or fewer (a
  // multiple of the register tile) where the tile runs past the last key
  // that any query of the block sees.
  Value cols;
};

} // namespace

Value AttentionLowering::packHeads(Value src, int64_t headDim,
                                   int64_t paddedDim) {
  // P[bt][kvh][j][:] = src[b, j, kvh * D : (kvh + 1) * D] for the valid key
  // rows j, zero in the padding columns and in every other row (keys past
  // kv_len may hold anything, and a zero probability times a NaN is NaN).
  // One tile of slack past Skv: a packed sequence's tiles start at its
  // first key, not at a multiple of Bc.
  Value rowsPadded = kb.mul(kb.add(nkb, kb.index(1)), kb.index(bc));
  Value packed = memref::AllocOp::create(
      b, loc,
      MemRefType::get(
          {ShapedType::kDynamic, ctx.kvHeads, ShapedType::kDynamic, paddedDim},
          b.getF32Type()),
      ValueRange{ctx.batchCount, rowsPadded}, b.getI64IntegerAttr(64));
  int64_t vectors = paddedDim / vw;
  Value tiles = kb.add(nkb, kb.index(1));
  Value items = kb.mul(kb.mul(ctx.batchCount, kb.index(ctx.kvHeads)), tiles);
  kb.parallel(items, options.threads, [&](Value item) {
    SmallVector<Value> ids =
        kb.delinearize(item, {ctx.batchCount, kb.index(ctx.kvHeads), tiles});
    SmallVector<Value> bidx = kb.delinearize(ids[0], ctx.batchSizes);
    Value lo = kb.index(0), hi = ctx.validKeys(bidx);
    if (ctx.seqOffsets) {
      lo = ctx.sequenceOffset(kb.index(0));
      hi = ctx.sequenceOffset(ctx.numSequences());
    }
    Value base = kb.mul(ids[1], kb.index(headDim));
    Value j0 = kb.mul(ids[2], kb.index(bc));
    Value lastRow = kb.sub(ctx.skv, kb.index(1));
    kb.loop(j0, kb.add(j0, kb.index(bc)), 1, [&](Value j) {
      Value inside = arith::AndIOp::create(
          b, loc, kb.cmp(arith::CmpIPredicate::sge, j, lo),
          kb.cmp(arith::CmpIPredicate::slt, j, hi));
      Value row = kb.min(j, lastRow);
      for (int64_t c = 0; c < vectors; ++c) {
        int64_t lanes = std::min(vw, headDim - c * vw);
        Value count = arith::SelectOp::create(b, loc, inside, kb.index(lanes),
                                              kb.index(0));
        Value x = kb.load(src, at(bidx, row, kb.add(base, kb.index(c * vw))),
                          kb.prefixMask(count));
        kb.store(x, packed, ValueRange{ids[0], ids[1], j, kb.index(c * vw)});
      }
    });
  });
  return packed;
}

Value AttentionLowering::totalBlocks() {
  Value count = ctx.numSequences();
  scf::ForOp loop =
      kb.loop(kb.index(0), count, kb.index(1), ValueRange{kb.index(0)},
              [&](Value s, ValueRange acc) {
                return SmallVector<Value>{
                    kb.add(acc[0], kb.divUp(ctx.sequenceLength(s), br))};
              });
  return loop.getResult(0);
}

std::pair<Value, Value> AttentionLowering::locateBlock(Value g) {
  // Walk the sequences, counting their blocks, until g falls in one.
  Value no = arith::ConstantIntOp::create(b, loc, 0, 1);
  scf::ForOp loop = kb.loop(
      kb.index(0), ctx.numSequences(), kb.index(1),
      ValueRange{kb.index(0), kb.index(0), kb.index(0), no},
      [&](Value s, ValueRange acc) {
        Value end = kb.add(acc[0], kb.divUp(ctx.sequenceLength(s), br));
        Value here = arith::AndIOp::create(
            b, loc, kb.cmp(arith::CmpIPredicate::slt, g, end),
            arith::XOrIOp::create(b, loc, acc[3],
                                  arith::ConstantIntOp::create(b, loc, 1, 1)));
        return SmallVector<Value>{
            end, arith::SelectOp::create(b, loc, here, s, acc[1]),
            arith::SelectOp::create(b, loc, here, kb.sub(g, acc[0]), acc[2]),
            arith::OrIOp::create(b, loc, acc[3], here)};
      });
  return {loop.getResult(1), loop.getResult(2)};
}

WorkItem AttentionLowering::workItem(Value item) {
  WorkItem w;
  Value qLen;
  if (ctx.seqOffsets) {
    // Heads outermost, so that a static split of the items between threads
    // gives each thread whole heads of every sequence.
    SmallVector<Value> ids =
        kb.delinearize(item, {kb.index(ctx.heads), totalBlocks()});
    auto [s, local] = locateBlock(ids[1]);
    w.bt = kb.index(0);
    w.h = ids[0];
    w.kBegin = ctx.sequenceOffset(s);
    qLen = ctx.sequenceLength(s);
    w.numKeys = qLen;
    w.q0 = kb.add(w.kBegin, kb.mul(local, kb.index(br)));
    w.rows = kb.min(kb.index(br), kb.sub(kb.add(w.kBegin, qLen), w.q0));
    // Queries and keys of a sequence both start at its first token.
    w.position0 = kb.sub(w.q0, w.kBegin);
  } else {
    Value nqb = kb.divUp(ctx.sq, br);
    SmallVector<Value> ids =
        kb.delinearize(item, {ctx.batchCount, kb.index(ctx.heads), nqb});
    w.bt = ids[0];
    w.bidx = kb.delinearize(w.bt, ctx.batchSizes);
    w.h = ids[1];
    w.kBegin = kb.index(0);
    w.numKeys = ctx.validKeys(w.bidx);
    w.q0 = kb.mul(ids[2], kb.index(br));
    w.rows = kb.min(kb.index(br), kb.sub(ctx.sq, w.q0));
    // Bottom right: the last query sits at the last valid key.
    w.position0 = kb.add(w.q0, kb.sub(w.numKeys, ctx.sq));
  }
  w.kvh = arith::DivUIOp::create(b, loc, w.h, kb.index(ctx.group));
  return w;
}

void AttentionLowering::copyQueries(const WorkItem &w) {
  // Qt[d][i] = scale * Q[q0 + i][h * Dh + d]; rows past Sq repeat the last
  // query (computed, never written back).
  Value scale = kb.f32(ctx.scale);
  Value lastRow = kb.sub(ctx.sq, kb.index(1));
  Value base = kb.mul(w.h, kb.index(ctx.dh));
  kb.loop(kb.index(0), kb.index(br), 1, [&](Value i) {
    Value row = kb.min(kb.add(w.q0, i), lastRow);
    kb.loop(kb.index(0), kb.index(ctx.dh), 1, [&](Value d) {
      Value x = memref::LoadOp::create(b, loc, ctx.q,
                                       at(w.bidx, row, kb.add(base, d)));
      memref::StoreOp::create(b, loc, arith::MulFOp::create(b, loc, x, scale),
                              queries, ValueRange{d, i});
    });
  });
}

void AttentionLowering::applyMasks(const WorkItem &w, Value k0, Value kp0) {
  Value ninf = kb.splat(-std::numeric_limits<double>::infinity());
  if (ctx.mask) {
    // The additive mask: per element, its queries are not contiguous in St.
    kb.loop(kb.index(0), cols, 1, [&](Value j) {
      kb.loop(kb.index(0), kb.index(br), 1, [&](Value i) {
        Value m = ctx.additive(w.bidx, w.h, kb.add(w.q0, i), kb.add(k0, j));
        Value s = memref::LoadOp::create(b, loc, scores, ValueRange{j, i});
        memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, s, m),
                                scores, ValueRange{j, i});
      });
    });
  }
  // Valid keys, the layout and the block mask, a vector of queries at a
  // time.
  kb.loop(kb.index(0), cols, 1, [&](Value j) {
    Value keyRow = kb.add(k0, j), keyPos = kb.add(kp0, j);
    kb.loop(kb.index(0), kb.index(br), vw, [&](Value i) {
      Value keep =
          ctx.keepLanes(w.bidx, w.h, kb.add(w.q0, i), kb.add(w.position0, i),
                        keyRow, keyPos, w.numKeys);
      Value s = kb.load(scores, ValueRange{j, i});
      kb.store(arith::SelectOp::create(b, loc, keep, s, ninf), scores,
               ValueRange{j, i});
    });
  });
  // Masked scores may have held the max: take it again.
  maxOfScores();
}

void AttentionLowering::gemmScores(Value bt, Value kvh, Value k0) {
  // St[j][i] = sum_d Kp[k0 + j][d] Qt[d][i], by tiles of 8 keys x 2 vectors
  // of queries: per d, 2 loads of Qt, 8 broadcasts of K and 16 FMAs.
  kb.loop(kb.index(0), cols, mr1, [&](Value jt) {
    SmallVector<Value> keys;
    for (int64_t r = 0; r < mr1; ++r)
      keys.push_back(kb.add(kb.add(k0, jt), kb.index(r)));
    kb.loop(kb.index(0), kb.index(br), 2 * vw, [&](Value it) {
      SmallVector<Value> zeros(2 * mr1, kb.splat(0.0));
      scf::ForOp dLoop =
          kb.loop(kb.index(0), kb.index(ctx.dh), kb.index(1), zeros,
                  [&](Value d, ValueRange acc) {
                    Value q0v = kb.load(queries, ValueRange{d, it});
                    Value q1v = kb.load(
                        queries, ValueRange{d, kb.add(it, kb.index(vw))});
                    SmallVector<Value> next;
                    for (int64_t r = 0; r < mr1; ++r) {
                      Value x = kb.broadcast(memref::LoadOp::create(
                          b, loc, packedK, ValueRange{bt, kvh, keys[r], d}));
                      next.push_back(kb.fma(x, q0v, acc[2 * r]));
                      next.push_back(kb.fma(x, q1v, acc[2 * r + 1]));
                    }
                    return next;
                  });
      for (int64_t c = 0; c < 2; ++c) {
        Value col = kb.add(it, kb.index(c * vw));
        Value m = kb.load(tileMax, ValueRange{col});
        for (int64_t r = 0; r < mr1; ++r) {
          Value s = dLoop.getResult(2 * r + c);
          kb.store(s, scores, ValueRange{kb.add(jt, kb.index(r)), col});
          m = arith::MaximumFOp::create(b, loc, m, s,
                                        KernelBuilder::reductionFlags());
        }
        kb.store(m, tileMax, ValueRange{col});
      }
    });
  });
}

void AttentionLowering::maxOfScores() {
  kb.loop(kb.index(0), kb.index(br), vw, [&](Value i) {
    scf::ForOp maxLoop =
        kb.loop(kb.index(0), cols, kb.index(1), ValueRange{kb.load(rowMax, i)},
                [&](Value j, ValueRange acc) {
                  return SmallVector<Value>{arith::MaximumFOp::create(
                      b, loc, acc[0], kb.load(scores, ValueRange{j, i}),
                      KernelBuilder::reductionFlags())};
                });
    kb.store(maxLoop.getResult(0), tileMax, i);
  });
}

void AttentionLowering::softmax() {
  // For 16 queries at a time: m' = max(m, max_j St[j]) (in tileMax),
  // St[j] = exp(St[j] - m'), l = exp(m - m') l + sum_j St[j]; alpha =
  // exp(m - m') rescales O.
  arith::FastMathFlags fm = KernelBuilder::reductionFlags();
  kb.loop(kb.index(0), kb.index(br), vw, [&](Value i) {
    Value mOld = kb.load(rowMax, ValueRange{i});
    Value mNew = kb.load(tileMax, ValueRange{i});
    scf::ForOp sumLoop =
        kb.loop(kb.index(0), cols, kb.index(1), ValueRange{kb.splat(0.0)},
                [&](Value j, ValueRange acc) {
                  Value p = kb.expNonPositive(arith::SubFOp::create(
                      b, loc, kb.load(scores, ValueRange{j, i}), mNew));
                  kb.store(p, scores, ValueRange{j, i});
                  return SmallVector<Value>{
                      arith::AddFOp::create(b, loc, acc[0], p, fm)};
                });
    Value a = kb.expNonPositive(arith::SubFOp::create(b, loc, mOld, mNew));
    kb.store(mNew, rowMax, ValueRange{i});
    kb.store(a, alpha, ValueRange{i});
    kb.store(kb.fma(kb.load(rowSum, ValueRange{i}), a, sumLoop.getResult(0)),
             rowSum, ValueRange{i});
  });
}

void AttentionLowering::gemmValues(Value bt, Value kvh, Value k0) {
  // Ob[i][:] = alpha[i] Ob[i][:] + sum_j St[j][i] Vp[k0 + j][:], by tiles of
  // 4 queries x 4 vectors: per j, 4 loads of V, 4 broadcasts of P and 16
  // FMAs. Padded keys have P = 0 and zero values.
  const int64_t groupVectors = 4;
  kb.loop(kb.index(0), kb.index(br), mr2, [&](Value it) {
    for (int64_t g0 = 0; g0 < dvVectors; g0 += groupVectors) {
      int64_t nvec = std::min(groupVectors, dvVectors - g0);
      SmallVector<Value> init;
      for (int64_t r = 0; r < mr2; ++r) {
        Value row = kb.add(it, kb.index(r));
        Value a = kb.broadcast(
            memref::LoadOp::create(b, loc, alpha, ValueRange{row}));
        for (int64_t c = 0; c < nvec; ++c)
          init.push_back(arith::MulFOp::create(
              b, loc,
              kb.load(outBlock, ValueRange{row, kb.index((g0 + c) * vw)}), a));
      }
      scf::ForOp jLoop = kb.loop(
          kb.index(0), cols, kb.index(1), init, [&](Value j, ValueRange acc) {
            Value key = kb.add(k0, j);
            SmallVector<Value> vv;
            for (int64_t c = 0; c < nvec; ++c)
              vv.push_back(kb.load(
                  packedV, ValueRange{bt, kvh, key, kb.index((g0 + c) * vw)}));
            SmallVector<Value> next;
            for (int64_t r = 0; r < mr2; ++r) {
              Value p = kb.broadcast(memref::LoadOp::create(
                  b, loc, scores, ValueRange{j, kb.add(it, kb.index(r))}));
              for (int64_t c = 0; c < nvec; ++c)
                next.push_back(kb.fma(p, vv[c], acc[r * nvec + c]));
            }
            return next;
          });
      for (int64_t r = 0; r < mr2; ++r)
        for (int64_t c = 0; c < nvec; ++c)
          kb.store(
              jLoop.getResult(r * nvec + c), outBlock,
              ValueRange{kb.add(it, kb.index(r)), kb.index((g0 + c) * vw)});
    }
  });
}

void AttentionLowering::writeOutput(ArrayRef<Value> bidx, Value h, Value q0,
                                    Value rows) {
  // O = Ob / l, and zero for queries that attended to nothing (l = 0).
  Value oBase = kb.mul(h, kb.index(ctx.dv));
  kb.loop(kb.index(0), rows, 1, [&](Value i) {
    Value l = memref::LoadOp::create(b, loc, rowSum, ValueRange{i});
    Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, l,
                                        kb.f32(0.0));
    Value inv =
        arith::SelectOp::create(b, loc, empty, kb.f32(0.0),
                                arith::DivFOp::create(b, loc, kb.f32(1.0), l));
    Value invVec = kb.broadcast(inv);
    for (int64_t c = 0; c < dvVectors; ++c) {
      Value x = kb.load(outBlock, ValueRange{i, kb.index(c * vw)});
      kb.store(arith::MulFOp::create(b, loc, x, invVec), ctx.out,
               at(bidx, kb.add(q0, i), kb.add(oBase, kb.index(c * vw))),
               kb.rowMask(c, ctx.dv));
    }
  });
}

void AttentionLowering::allocateScratch(Scratch &scratch) {
  queries = scratch.buffer({ctx.dh, br});
  scores = scratch.buffer({bc, br});
  outBlock = scratch.buffer({br, dvPadded});
  rowMax = scratch.buffer({br});
  rowSum = scratch.buffer({br});
  alpha = scratch.buffer({br});
  tileMax = scratch.buffer({br});
}

void AttentionLowering::zeroOutsideSequences() {
  // Tokens outside every packed sequence attend to nothing: zero rows.
  Value first = ctx.sequenceOffset(kb.index(0));
  Value last = ctx.sequenceOffset(ctx.numSequences());
  int64_t features = ctx.heads * ctx.dv;
  auto zeroRows = [&](Value lo, Value hi) {
    kb.loop(lo, hi, 1, [&](Value row) {
      for (int64_t c = 0; c < features; c += vw)
        kb.store(kb.splat(0.0), ctx.out, ValueRange{row, kb.index(c)},
                 kb.rowMask(c / vw, features));
    });
  };
  zeroRows(kb.index(0), first);
  zeroRows(kb.max(last, first), ctx.sq);
}

void AttentionLowering::block(Value item) {
  WorkItem w = workItem(item);
  // A finite initial max keeps exp(m - m') at 0 rather than NaN.
  kb.loop(kb.index(0), kb.index(br), vw, [&](Value i) {
    kb.store(kb.splat(-std::numeric_limits<float>::max()), rowMax,
             ValueRange{i});
    kb.store(kb.splat(0.0), rowSum, ValueRange{i});
  });
  kb.loop(kb.index(0), kb.index(br), 1, [&](Value i) {
    for (int64_t c = 0; c < dvPadded; c += vw)
      kb.store(kb.splat(0.0), outBlock, ValueRange{i, kb.index(c)});
  });

  // With a causal layout no key past the block's last position is seen, so
  // the tiles end there and the last one is trimmed to it.
  Value p1 = kb.add(w.position0, w.rows);
  Value keyEnd = w.numKeys;
  if (ctx.layout.causal)
    keyEnd = kb.max(kb.min(keyEnd, p1), kb.index(0));
  Value tiles = kb.divUp(keyEnd, bc);
  copyQueries(w);
  kb.loop(kb.index(0), tiles, 1, [&](Value tile) {
    Value kp0 = kb.mul(tile, kb.index(bc));
    Value kp1 = kb.min(kb.add(kp0, kb.index(bc)), w.numKeys);
    Value k0 = kb.add(w.kBegin, kp0);
    // Tiles that nobody in the block sees are skipped; only those that a
    // mask cuts, or that run past the valid keys, are masked pair by pair.
    LayoutBuilder::TileVisit seen =
        ctx.visitTile(w.bidx, w.h, w.q0, kb.add(w.q0, w.rows), w.position0, p1,
                      kp0, kp1, w.kBegin);
    auto visit = scf::IfOp::create(b, loc, seen.visit, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(visit.thenBlock());
    cols = kb.roundUp(kb.min(kb.index(bc), kb.sub(keyEnd, kp0)), mr1);
    kb.loop(kb.index(0), kb.index(br), vw,
            [&](Value i) { kb.store(kb.load(rowMax, i), tileMax, i); });
    gemmScores(w.bt, w.kvh, k0);
    Value need = arith::OrIOp::create(
        b, loc,
        arith::XOrIOp::create(b, loc, seen.full,
                              arith::ConstantIntOp::create(b, loc, 1, 1)),
        kb.cmp(arith::CmpIPredicate::sgt, kb.add(kp0, cols), w.numKeys));
    auto masked = scf::IfOp::create(b, loc, need, /*withElse=*/false);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(masked.thenBlock());
      applyMasks(w, k0, kp0);
    }
    softmax();
    gemmValues(w.bt, w.kvh, k0);
  });
  writeOutput(w.bidx, w.h, w.q0, w.rows);
}

void AttentionLowering::build() {
  br = options.attentionBlockQ;
  bc = options.attentionBlockKv;
  vw = options.vectorWidth;
  // The block sizes are whole numbers of register tiles
  // (KernelOptions::verify).
  mr1 = options.attentionKeyTile();
  mr2 = mr1 / 2;
  // Every tile a narrow band visits is cut by one of its edges: tiles of a
  // quarter of the band waste fewer masked pairs (window 256 at S = 8192:
  // about 10% faster with 64 keys than with 128).
  int64_t band = ctx.layout.window * ctx.layout.dilation;
  if (band && band < 4 * bc)
    bc = std::max(mr1, band / 4 / mr1 * mr1);
  dvVectors = (ctx.dv + vw - 1) / vw;
  dvPadded = dvVectors * vw;
  dhPadded = (ctx.dh + vw - 1) / vw * vw;

  nkb = kb.divUp(ctx.skv, bc);
  packedK = packHeads(ctx.k, ctx.dh, dhPadded);
  packedV = packHeads(ctx.v, ctx.dv, dvPadded);
  Value items;
  if (ctx.seqOffsets) {
    zeroOutsideSequences();
    items = kb.mul(kb.index(ctx.heads), totalBlocks());
  } else {
    items = kb.mul(kb.mul(ctx.batchCount, kb.index(ctx.heads)),
                   kb.divUp(ctx.sq, br));
  }
  parallelWithScratch(
      kb, items, options.threads, 4 * br * (ctx.dh + bc + dvPadded + 4),
      [&](Scratch &scratch) { allocateScratch(scratch); },
      [&](Value item) { block(item); });
  memref::DeallocOp::create(b, loc, packedK);
  memref::DeallocOp::create(b, loc, packedV);
}

LogicalResult cpu::lowerFlashAttention(FlashAttentionOp op,
                                       RewriterBase &rewriter,
                                       const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  KernelBuilder kb(rewriter, op.getLoc(), options.vectorWidth);
  if (op.getDecode())
    buildDecodeAttention(op, kb, options);
  else
    AttentionLowering(op, kb, options).build();
  rewriter.eraseOp(op);
  return success();
}
