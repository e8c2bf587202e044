//===- AttentionCommon.cpp - what both attention kernels read -------------===//

#include "AttentionCommon.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

AttentionContext::AttentionContext(FlashAttentionOp op, KernelBuilder &kb)
    : op(op), kb(kb) {
  q = op.getQuery();
  k = op.getKey();
  v = op.getValue();
  mask = op.getMask();
  kvLen = op.getKvLen();
  blockMask = op.getBlockMask();
  seqOffsets = op.getSeqOffsets();
  blockTable = op.getBlockTable();
  out = op.getInit();
  auto qType = cast<MemRefType>(q.getType());
  heads = op.getNumHeads();
  kvHeads = op.getNumKvHeads();
  group = heads / kvHeads;
  dh = qType.getShape().back() / heads;
  dv = cast<MemRefType>(v.getType()).getShape().back() / kvHeads;
  batchRank = qType.getRank() - 2;
  scale = op.getScale().convertToDouble();
  layout = layoutOf(op.getLayoutAttr());
  if (std::optional<ArrayRef<int64_t>> sizes = op.getBlockMaskSizes()) {
    maskBlockQ = (*sizes)[0];
    maskBlockK = (*sizes)[1];
  }
  batchCount = kb.index(1);
  for (int64_t i = 0; i < batchRank; ++i) {
    batchSizes.push_back(kb.dim(q, i));
    batchCount = kb.mul(batchCount, batchSizes.back());
  }
  sq = kb.dim(q, batchRank);
  skv = kb.dim(k, batchRank);
}

SmallVector<Value> AttentionContext::at(ArrayRef<Value> bidx, Value s,
                                        Value f) const {
  SmallVector<Value> idx(bidx);
  idx.append({s, f});
  return idx;
}

/// An integer element of a run-time operand as a clamped index.
static Value loadIndex(KernelBuilder &kb, Value memref, ValueRange idx,
                       Value lo, Value hi) {
  Value x = memref::LoadOp::create(kb.b, kb.loc, memref, idx);
  if (!x.getType().isIndex())
    x = arith::IndexCastOp::create(kb.b, kb.loc, kb.b.getIndexType(), x);
  return kb.min(kb.max(x, lo), hi);
}

Value AttentionContext::validKeys(ArrayRef<Value> bidx) {
  if (!kvLen)
    return skv;
  return loadIndex(kb, kvLen, bidx, kb.index(0), skv);
}

Value AttentionContext::numSequences() {
  return kb.sub(kb.dim(seqOffsets, 0), kb.index(1));
}

Value AttentionContext::sequenceOffset(Value s) {
  return loadIndex(kb, seqOffsets, ValueRange{s}, kb.index(0), sq);
}

Value AttentionContext::sequenceLength(Value s) {
  return kb.max(
      kb.sub(sequenceOffset(kb.add(s, kb.index(1))), sequenceOffset(s)),
      kb.index(0));
}

SmallVector<Value> AttentionContext::blockMaskIndex(ArrayRef<Value> bidx,
                                                    Value h, Value r, Value c) {
  auto type = cast<MemRefType>(blockMask.getType());
  SmallVector<Value> idx;
  for (int64_t i = 0; i < batchRank; ++i)
    idx.push_back(type.getDimSize(i) == 1 ? kb.index(0) : bidx[i]);
  idx.push_back(type.getDimSize(batchRank) == 1 ? kb.index(0) : h);
  idx.append({r, c});
  return idx;
}

Value AttentionContext::keep(ArrayRef<Value> bidx, Value h, Value row,
                             Value position, Value keyRow, Value keyPos,
                             Value numKeys) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value keepIt = kb.cmp(arith::CmpIPredicate::slt, keyPos, numKeys);
  if (!layout.isDense())
    keepIt = arith::AndIOp::create(
        b, loc, keepIt,
        LayoutBuilder(b, loc, layout, blockTable).isVisible(position, keyPos));
  if (blockMask) {
    // Rows and keys past the operand (padding lanes and keys) read its last
    // block; they are never kept or written.
    Value r = arith::DivUIOp::create(
        b, loc, kb.min(row, kb.sub(sq, kb.index(1))), kb.index(maskBlockQ));
    Value c = arith::DivUIOp::create(
        b, loc, kb.min(keyRow, kb.sub(skv, kb.index(1))), kb.index(maskBlockK));
    Value m = memref::LoadOp::create(b, loc, blockMask,
                                     blockMaskIndex(bidx, h, r, c));
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(m.getType()));
    keepIt = arith::AndIOp::create(
        b, loc, keepIt,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, m, zero));
  }
  return keepIt;
}

Value AttentionContext::keepLanes(ArrayRef<Value> bidx, Value h, Value row0,
                                  Value position0, Value keyRow, Value keyPos,
                                  Value numKeys) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  int64_t vw = kb.vectorWidth;
  auto maskType = VectorType::get({vw}, b.getI1Type());
  if (!blockMask && layout.blocks.empty()) {
    // Every lane at once: positions position0 + lane.
    auto i64Vec = VectorType::get({vw}, b.getI64Type());
    SmallVector<int64_t> lanes(vw);
    for (int64_t l = 0; l < vw; ++l)
      lanes[l] = l;
    Value iota = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i64Vec, ArrayRef<int64_t>(lanes)));
    Value positions = arith::AddIOp::create(
        b, loc, iota,
        vector::BroadcastOp::create(
            b, loc, i64Vec,
            arith::IndexCastOp::create(b, loc, b.getI64Type(), position0)));
    Value inRange = vector::BroadcastOp::create(
        b, loc, maskType, kb.cmp(arith::CmpIPredicate::slt, keyPos, numKeys));
    if (layout.isDense())
      return inRange;
    return arith::AndIOp::create(
        b, loc, inRange,
        LayoutBuilder(b, loc, layout, blockTable).isVisible(positions, keyPos));
  }
  // Block maps are read one pair at a time.
  Value lanes = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(maskType, false));
  for (int64_t l = 0; l < vw; ++l) {
    Value pair = keep(bidx, h, kb.add(row0, kb.index(l)),
                      kb.add(position0, kb.index(l)), keyRow, keyPos, numKeys);
    lanes = vector::InsertOp::create(b, loc, pair, lanes, l);
  }
  return lanes;
}

Value AttentionContext::additive(ArrayRef<Value> bidx, Value h, Value row,
                                 Value keyRow) {
  // The additive mask broadcasts to [batch..., H, Sq, Skv].
  auto type = cast<MemRefType>(mask.getType());
  int64_t rank = type.getRank(), full = batchRank + 3;
  row = kb.min(row, kb.sub(sq, kb.index(1)));
  keyRow = kb.min(keyRow, kb.sub(skv, kb.index(1)));
  SmallVector<Value> idx;
  for (int64_t t = 0; t < rank; ++t) {
    int64_t f = t + full - rank;
    if (type.getDimSize(t) == 1)
      idx.push_back(kb.index(0));
    else if (f < batchRank)
      idx.push_back(bidx[f]);
    else
      idx.push_back(f == batchRank ? h : f == batchRank + 1 ? row : keyRow);
  }
  return memref::LoadOp::create(kb.b, kb.loc, mask, idx);
}

LayoutBuilder::TileVisit AttentionContext::blockMaskTile(ArrayRef<Value> bidx,
                                                         Value h, Value r0,
                                                         Value r1, Value c0,
                                                         Value c1) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  auto type = cast<MemRefType>(blockMask.getType());
  Value rows = kb.dim(blockMask, type.getRank() - 2);
  Value cols = kb.dim(blockMask, type.getRank() - 1);
  auto blocks = [&](Value lo, Value hi, int64_t size, Value count) {
    Value first = arith::DivUIOp::create(b, loc, lo, kb.index(size));
    Value last = kb.divUp(hi, size);
    return std::make_pair(kb.min(first, count), kb.min(last, count));
  };
  Value br0, br1, bc0, bc1;
  std::tie(br0, br1) = blocks(r0, r1, maskBlockQ, rows);
  std::tie(bc0, bc1) = blocks(c0, c1, maskBlockK, cols);
  Value yes = arith::ConstantIntOp::create(b, loc, 1, 1);
  Value no = arith::ConstantIntOp::create(b, loc, 0, 1);
  scf::ForOp rowLoop = kb.loop(
      br0, br1, kb.index(1), ValueRange{no, yes}, [&](Value r, ValueRange acc) {
        scf::ForOp colLoop =
            kb.loop(bc0, bc1, kb.index(1), acc, [&](Value c, ValueRange inner) {
              Value m = memref::LoadOp::create(b, loc, blockMask,
                                               blockMaskIndex(bidx, h, r, c));
              Value present = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::ne, m,
                  arith::ConstantOp::create(b, loc,
                                            b.getZeroAttr(m.getType())));
              return SmallVector<Value>{
                  arith::OrIOp::create(b, loc, inner[0], present),
                  arith::AndIOp::create(b, loc, inner[1], present)};
            });
        return SmallVector<Value>(colLoop.getResults());
      });
  return {rowLoop.getResult(0), rowLoop.getResult(1)};
}

LayoutBuilder::TileVisit AttentionContext::visitTile(ArrayRef<Value> bidx,
                                                     Value h, Value r0,
                                                     Value r1, Value p0,
                                                     Value p1, Value kp0,
                                                     Value kp1, Value keyRow0) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value yes = arith::ConstantIntOp::create(b, loc, 1, 1);
  LayoutBuilder::TileVisit seen = {yes, yes};
  if (!layout.isDense())
    seen = LayoutBuilder(b, loc, layout, blockTable)
               .classifyTile(p0, p1, kp0, kp1);
  if (blockMask) {
    Value c0 = kb.add(keyRow0, kp0), c1 = kb.add(keyRow0, kp1);
    LayoutBuilder::TileVisit blocks;
    if (h) {
      blocks = blockMaskTile(bidx, h, r0, r1, c0, c1);
    } else {
      // Some head sees a block of the tile; every head sees all of them.
      Value no = arith::ConstantIntOp::create(b, loc, 0, 1);
      scf::ForOp loop =
          kb.loop(kb.index(0), kb.index(heads), kb.index(1),
                  ValueRange{no, yes}, [&](Value head, ValueRange acc) {
                    LayoutBuilder::TileVisit one =
                        blockMaskTile(bidx, head, r0, r1, c0, c1);
                    return SmallVector<Value>{
                        arith::OrIOp::create(b, loc, acc[0], one.visit),
                        arith::AndIOp::create(b, loc, acc[1], one.full)};
                  });
      blocks = {loop.getResult(0), loop.getResult(1)};
    }
    seen.visit = arith::AndIOp::create(b, loc, seen.visit, blocks.visit);
    seen.full = arith::AndIOp::create(b, loc, seen.full, blocks.full);
  }
  if (mask)
    seen.full = arith::ConstantIntOp::create(b, loc, 0, 1);
  return seen;
}

Value Scratch::buffer(ArrayRef<int64_t> shape, Type elementType) {
  auto type =
      MemRefType::get(shape, elementType ? elementType : kb.b.getF32Type());
  IntegerAttr align = kb.b.getI64IntegerAttr(64);
  if (!onHeap)
    return memref::AllocaOp::create(kb.b, kb.loc, type, ValueRange{}, align);
  heapBuffers.push_back(
      memref::AllocOp::create(kb.b, kb.loc, type, ValueRange{}, align));
  return heapBuffers.back();
}

void Scratch::release() {
  for (Value buffer : heapBuffers)
    memref::DeallocOp::create(kb.b, kb.loc, buffer);
  heapBuffers.clear();
}

void cpu::parallelWithScratch(KernelBuilder &kb, Value count, int64_t threads,
                              int64_t scratchBytes,
                              function_ref<void(Scratch &)> allocate,
                              function_ref<void(Value item)> body) {
  Scratch scratch(kb, scratchBytes > (512 << 10));
  bool serial = threads <= 1;
  if (serial)
    allocate(scratch);
  kb.parallel(count, threads, [&](Value item) {
    if (!serial)
      allocate(scratch);
    body(item);
    if (!serial)
      scratch.release();
  });
  if (serial)
    scratch.release();
}
