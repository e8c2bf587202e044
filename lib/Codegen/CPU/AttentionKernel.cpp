//===- AttentionKernel.cpp - xf_cpu.flash_attention as vector loops -------===//
//
// FlashAttention-2 on the CPU (docs/Pipelines.md). K and V are
// first copied per KV head into contiguous rows (in the [S, H * D] layout a
// head's rows are H * D apart and a KV tile thrashes a few L1 sets). Each
// work item is one block of Br queries of one head, copied transposed and
// scaled; it streams the KV tiles, computing the scores transposed,
// S^T = K Q^T, so that the softmax statistics of 16 queries are one vector
// and every max and sum runs down the tile instead of across lanes. The
// running max, running sum and an unnormalized Br x Dv output block live on
// the stack; O is written once.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

class AttentionLowering {
public:
  AttentionLowering(FlashAttentionOp op, KernelBuilder &kb,
                    const KernelOptions &options)
      : op(op), kb(kb), b(kb.b), loc(kb.loc), options(options) {}

  void build();

private:
  Value packHeads(Value src, int64_t headDim, int64_t paddedDim);
  void allocateScratch();
  void freeScratch();
  void block(Value item);
  void copyQueries(ArrayRef<Value> bidx, Value h, Value q0);
  void gemmScores(Value bt, Value kvh, Value k0);
  void applyMasks(ArrayRef<Value> bidx, Value h, Value q0, Value k0,
                  Value rows);
  void maxOfScores();
  void softmax();
  void gemmValues(Value bt, Value kvh, Value k0);
  void writeOutput(ArrayRef<Value> bidx, Value h, Value q0, Value rows);

  /// Indices of a [batch..., S, F] operand.
  SmallVector<Value> at(ArrayRef<Value> bidx, Value s, Value f) {
    SmallVector<Value> idx(bidx);
    idx.append({s, f});
    return idx;
  }
  /// The lane mask of chunk `c` of a `dim`-wide row (null when full).
  Value chunkMask(int64_t c, int64_t dim) {
    int64_t lanes = std::min(vw, dim - c * vw);
    return lanes == vw ? Value() : kb.prefixMask(kb.index(lanes));
  }
  Value fma(Value x, Value y, Value z) {
    return vector::FMAOp::create(b, loc, x, y, z);
  }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }

  FlashAttentionOp op;
  KernelBuilder &kb;
  OpBuilder &b;
  Location loc;
  KernelOptions options;

  int64_t heads, kvHeads, group, dh, dv, br, bc, vw, batchRank;
  int64_t mr1, mr2, dvVectors, dvPadded, dhPadded;
  Value q, k, v, mask, o, sq, skv, nkb, batchCount, packedK, packedV;
  SmallVector<Value> batchSizes;
  // Per work item scratch: the transposed scaled queries Qt[Dh][Br], the
  // transposed scores/probabilities St[Bc][Br], the output block
  // Ob[Br][Dv] and the statistics of the Br queries.
  Value queries, scores, outBlock, rowMax, rowSum, alpha;
  // Scratch too large for a thread's stack (very wide heads or large
  // blocks) lives on the heap instead.
  bool scratchOnHeap = false;
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
  // P[bt][kvh][j][:] = src[b, j, kvh * D : (kvh + 1) * D], zero in the
  // padding columns and in the rows past Skv up to whole KV tiles.
  Value rowsPadded = kb.mul(nkb, kb.index(bc));
  Value packed = memref::AllocOp::create(
      b, loc,
      MemRefType::get(
          {ShapedType::kDynamic, kvHeads, ShapedType::kDynamic, paddedDim},
          b.getF32Type()),
      ValueRange{batchCount, rowsPadded}, b.getI64IntegerAttr(64));
  int64_t vectors = paddedDim / vw;
  Value items = kb.mul(kb.mul(batchCount, kb.index(kvHeads)), nkb);
  kb.parallel(items, options.threads, [&](Value item) {
    SmallVector<Value> ids =
        kb.delinearize(item, {batchCount, kb.index(kvHeads), nkb});
    SmallVector<Value> bidx = kb.delinearize(ids[0], batchSizes);
    Value base = kb.mul(ids[1], kb.index(headDim));
    Value j0 = kb.mul(ids[2], kb.index(bc));
    Value lastRow = kb.sub(skv, kb.index(1));
    kb.loop(j0, kb.add(j0, kb.index(bc)), 1, [&](Value j) {
      Value inside = cmp(arith::CmpIPredicate::slt, j, skv);
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

void AttentionLowering::copyQueries(ArrayRef<Value> bidx, Value h, Value q0) {
  // Qt[d][i] = scale * Q[q0 + i][h * Dh + d]; rows past Sq repeat the last
  // query (computed, never written back).
  Value scale = kb.f32(op.getScale().convertToDouble());
  Value lastRow = kb.sub(sq, kb.index(1));
  Value base = kb.mul(h, kb.index(dh));
  kb.loop(kb.index(0), kb.index(br), 1, [&](Value i) {
    Value row = kb.min(kb.add(q0, i), lastRow);
    kb.loop(kb.index(0), kb.index(dh), 1, [&](Value d) {
      Value x =
          memref::LoadOp::create(b, loc, q, at(bidx, row, kb.add(base, d)));
      memref::StoreOp::create(b, loc, arith::MulFOp::create(b, loc, x, scale),
                              queries, ValueRange{d, i});
    });
  });
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
          kb.loop(kb.index(0), kb.index(dh), kb.index(1), zeros,
                  [&](Value d, ValueRange acc) {
                    Value q0v = kb.load(queries, ValueRange{d, it});
                    Value q1v = kb.load(
                        queries, ValueRange{d, kb.add(it, kb.index(vw))});
                    SmallVector<Value> next;
                    for (int64_t r = 0; r < mr1; ++r) {
                      Value x = kb.broadcast(memref::LoadOp::create(
                          b, loc, packedK, ValueRange{bt, kvh, keys[r], d}));
                      next.push_back(fma(x, q0v, acc[2 * r]));
                      next.push_back(fma(x, q1v, acc[2 * r + 1]));
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

void AttentionLowering::applyMasks(ArrayRef<Value> bidx, Value h, Value q0,
                                   Value k0, Value rows) {
  MaskKind kind = op.getMaskKind();
  int64_t window = op.getWindow().value_or(0);
  Value off = kb.sub(skv, sq);
  // Only tiles that cut a mask need this pass: the ragged last tile, tiles
  // crossing the causal diagonal or the window's edge, and every tile when
  // an additive mask is given.
  Value need = cmp(arith::CmpIPredicate::sgt, kb.add(k0, cols), skv);
  if (mask)
    need = arith::ConstantIntOp::create(b, loc, 1, 1);
  if (kind != MaskKind::none)
    need = arith::OrIOp::create(b, loc, need,
                                cmp(arith::CmpIPredicate::sgt,
                                    kb.add(k0, kb.sub(cols, kb.index(1))),
                                    kb.add(q0, off)));
  if (kind == MaskKind::sliding_window)
    need = arith::OrIOp::create(
        b, loc, need,
        cmp(arith::CmpIPredicate::sle, k0,
            kb.sub(kb.add(kb.add(q0, rows), off), kb.index(window + 1))));

  auto scope = scf::IfOp::create(b, loc, need, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(scope.thenBlock());
  auto i64Vec = VectorType::get({vw}, b.getI64Type());
  SmallVector<int64_t> lanes(vw);
  for (int64_t l = 0; l < vw; ++l)
    lanes[l] = l;
  auto toI64 = [&](Value x) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), x).getResult();
  };
  auto splatI64 = [&](Value x) {
    return vector::BroadcastOp::create(b, loc, i64Vec, toI64(x)).getResult();
  };
  Value iota = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i64Vec, ArrayRef<int64_t>(lanes)));
  Value ninf = kb.splat(-std::numeric_limits<double>::infinity());

  if (mask) {
    // The additive mask broadcasts to [batch..., H, Sq, Skv]: add it per
    // element (its queries are not contiguous in St).
    auto mType = cast<MemRefType>(mask.getType());
    int64_t rank = mType.getRank(), full = batchRank + 3;
    Value lastRow = kb.sub(sq, kb.index(1));
    Value lastCol = kb.sub(skv, kb.index(1));
    kb.loop(kb.index(0), cols, 1, [&](Value j) {
      Value col = kb.min(kb.add(k0, j), lastCol);
      kb.loop(kb.index(0), kb.index(br), 1, [&](Value i) {
        Value row = kb.min(kb.add(q0, i), lastRow);
        SmallVector<Value> idx;
        for (int64_t t = 0; t < rank; ++t) {
          int64_t f = t + full - rank;
          if (mType.getDimSize(t) == 1)
            idx.push_back(kb.index(0));
          else if (f < batchRank)
            idx.push_back(bidx[f]);
          else
            idx.push_back(f == batchRank ? h : f == batchRank + 1 ? row : col);
        }
        Value m = memref::LoadOp::create(b, loc, mask, idx);
        Value s = memref::LoadOp::create(b, loc, scores, ValueRange{j, i});
        memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, s, m),
                                scores, ValueRange{j, i});
      });
    });
  }
  // Structural masks and the keys past Skv, a vector of queries at a time.
  Value offVec = splatI64(off);
  kb.loop(kb.index(0), cols, 1, [&](Value j) {
    Value col = kb.add(k0, j);
    Value colVec = splatI64(col);
    Value keep = cmp(arith::CmpIPredicate::slt, colVec, splatI64(skv));
    kb.loop(kb.index(0), kb.index(br), vw, [&](Value i) {
      // The diagonal of query i is i + q0 + off.
      Value diag = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, iota, splatI64(kb.add(q0, i))),
          offVec);
      Value k = keep;
      if (kind != MaskKind::none)
        k = arith::AndIOp::create(b, loc, k,
                                  cmp(arith::CmpIPredicate::sle, colVec, diag));
      if (kind == MaskKind::sliding_window) {
        Value lo =
            arith::SubIOp::create(b, loc, diag, splatI64(kb.index(window)));
        k = arith::AndIOp::create(b, loc, k,
                                  cmp(arith::CmpIPredicate::sgt, colVec, lo));
      }
      Value s = kb.load(scores, ValueRange{j, i});
      kb.store(arith::SelectOp::create(b, loc, k, s, ninf), scores,
               ValueRange{j, i});
    });
  });
  // Masked scores may have held the max: take it again.
  maxOfScores();
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
    kb.store(fma(kb.load(rowSum, ValueRange{i}), a, sumLoop.getResult(0)),
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
                next.push_back(fma(p, vv[c], acc[r * nvec + c]));
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
  Value oBase = kb.mul(h, kb.index(dv));
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
      kb.store(arith::MulFOp::create(b, loc, x, invVec), o,
               at(bidx, kb.add(q0, i), kb.add(oBase, kb.index(c * vw))),
               chunkMask(c, dv));
    }
  });
}

void AttentionLowering::allocateScratch() {
  auto buffer = [&](ArrayRef<int64_t> shape) -> Value {
    auto type = MemRefType::get(shape, b.getF32Type());
    IntegerAttr align = b.getI64IntegerAttr(64);
    if (scratchOnHeap)
      return memref::AllocOp::create(b, loc, type, ValueRange{}, align);
    return memref::AllocaOp::create(b, loc, type, ValueRange{}, align);
  };
  queries = buffer({dh, br});
  scores = buffer({bc, br});
  outBlock = buffer({br, dvPadded});
  rowMax = buffer({br});
  rowSum = buffer({br});
  alpha = buffer({br});
  tileMax = buffer({br});
}

void AttentionLowering::freeScratch() {
  if (!scratchOnHeap)
    return;
  for (Value buffer :
       {queries, scores, outBlock, rowMax, rowSum, alpha, tileMax})
    memref::DeallocOp::create(b, loc, buffer);
}

void AttentionLowering::block(Value item) {
  Value nqb = kb.divUp(sq, br);
  SmallVector<Value> ids =
      kb.delinearize(item, {batchCount, kb.index(heads), nqb});
  Value bt = ids[0], h = ids[1];
  SmallVector<Value> bidx = kb.delinearize(bt, batchSizes);
  Value kvh = arith::DivUIOp::create(b, loc, h, kb.index(group));
  Value q0 = kb.mul(ids[2], kb.index(br));
  Value rows = kb.min(kb.index(br), kb.sub(sq, q0));

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

  // KV tiles that the structural mask hides from all queries are skipped.
  Value off = kb.sub(skv, sq);
  Value lo = kb.index(0), hi = nkb, keyEnd = skv;
  auto floorDiv = [&](Value x) {
    return arith::FloorDivSIOp::create(b, loc, x, kb.index(bc)).getResult();
  };
  if (op.getMaskKind() != MaskKind::none) {
    Value last = kb.sub(kb.add(kb.add(q0, rows), off), kb.index(1));
    hi = kb.max(kb.min(kb.add(floorDiv(last), kb.index(1)), nkb), kb.index(0));
    keyEnd = kb.min(keyEnd, kb.add(last, kb.index(1)));
  }
  if (op.getMaskKind() == MaskKind::sliding_window) {
    Value first =
        kb.add(kb.sub(kb.add(q0, off), kb.index(*op.getWindow())), kb.index(1));
    lo = kb.min(kb.max(floorDiv(first), kb.index(0)), hi);
  }
  copyQueries(bidx, h, q0);
  kb.loop(lo, hi, 1, [&](Value kblk) {
    Value k0 = kb.mul(kblk, kb.index(bc));
    cols = kb.mul(kb.divUp(kb.min(kb.index(bc), kb.sub(keyEnd, k0)), mr1),
                  kb.index(mr1));
    kb.loop(kb.index(0), kb.index(br), vw,
            [&](Value i) { kb.store(kb.load(rowMax, i), tileMax, i); });
    gemmScores(bt, kvh, k0);
    applyMasks(bidx, h, q0, k0, rows);
    softmax();
    gemmValues(bt, kvh, k0);
  });
  writeOutput(bidx, h, q0, rows);
}

void AttentionLowering::build() {
  q = op.getQuery();
  k = op.getKey();
  v = op.getValue();
  mask = op.getMask();
  o = op.getInit();
  auto qType = cast<MemRefType>(q.getType());
  heads = op.getNumHeads();
  kvHeads = op.getNumKvHeads();
  group = heads / kvHeads;
  dh = qType.getShape().back() / heads;
  dv = cast<MemRefType>(v.getType()).getShape().back() / kvHeads;
  br = options.attentionBlockQ;
  bc = options.attentionBlockKv;
  vw = options.vectorWidth;
  // The block sizes are whole numbers of register tiles
  // (KernelOptions::verify).
  mr1 = options.attentionKeyTile();
  mr2 = mr1 / 2;
  dvVectors = (dv + vw - 1) / vw;
  dvPadded = dvVectors * vw;
  dhPadded = (dh + vw - 1) / vw * vw;
  batchRank = qType.getRank() - 2;

  batchCount = kb.index(1);
  for (int64_t i = 0; i < batchRank; ++i) {
    batchSizes.push_back(kb.dim(q, i));
    batchCount = kb.mul(batchCount, batchSizes.back());
  }
  sq = kb.dim(q, batchRank);
  skv = kb.dim(k, batchRank);
  nkb = kb.divUp(skv, bc);
  packedK = packHeads(k, dh, dhPadded);
  packedV = packHeads(v, dv, dvPadded);
  Value items = kb.mul(kb.mul(batchCount, kb.index(heads)), kb.divUp(sq, br));
  // Scratch once per item under OpenMP (which gives each iteration an
  // allocation scope), once in all for a serial loop; on the stack unless
  // it would use a large part of a worker's (libomp's default is 4 MiB).
  int64_t scratchBytes = 4 * br * (dh + bc + dvPadded + 4);
  scratchOnHeap = scratchBytes > (512 << 10);
  bool serial = options.threads <= 1;
  if (serial)
    allocateScratch();
  kb.parallel(items, options.threads, [&](Value item) {
    if (!serial)
      allocateScratch();
    block(item);
    if (!serial)
      freeScratch();
  });
  if (serial)
    freeScratch();
  memref::DeallocOp::create(b, loc, packedK);
  memref::DeallocOp::create(b, loc, packedV);
}

LogicalResult cpu::lowerFlashAttention(FlashAttentionOp op,
                                       RewriterBase &rewriter,
                                       const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  KernelBuilder kb(rewriter, op.getLoc(), options.vectorWidth);
  AttentionLowering(op, kb, options).build();
  rewriter.eraseOp(op);
  return success();
}
