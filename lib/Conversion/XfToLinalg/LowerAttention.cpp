//===- LowerAttention.cpp - attention and the KV cache to linalg ----------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Conversion/Activations.h"
#include "xf/Dialect/AttentionLayoutBuilder.h"
#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

namespace {

/// Splits the packed heads of `[batch..., S, H * D]` into `[batch..., S, H,
/// D]` (a free reshape).
Value splitHeads(OpBuilder &b, Location loc, Value t, int64_t heads) {
  auto type = cast<RankedTensorType>(t.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape().drop_back());
  int64_t headDim = type.getShape().back() / heads;
  shape.append({heads, headDim});
  SmallVector<ReassociationIndices> reassoc;
  for (int64_t i = 0; i < rank - 1; ++i)
    reassoc.push_back({i});
  reassoc.push_back({rank - 1, rank});
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, t);
  sizes.back() = b.getIndexAttr(heads);
  sizes.push_back(b.getIndexAttr(headDim));
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), t, reassoc,
      sizes);
}

/// Plain attention: materialized scores, masked softmax, then P V.
struct LowerAttention : OpConversionPattern<AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Type elt = type.getElementType();
    Value q = adaptor.getQuery(), k = adaptor.getKey(), v = adaptor.getValue();
    for (Value t : {q, k, v})
      if (ShapedType::isDynamic(
              cast<RankedTensorType>(t.getType()).getShape().back()))
        return rewriter.notifyMatchFailure(
            op, "head splitting needs static feature sizes");
    int64_t heads = op.getNumHeads(), kvHeads = op.getEffectiveNumKvHeads();
    int64_t group = heads / kvHeads;
    int64_t batchRank = type.getRank() - 2;
    double scale = *op.getEffectiveScale();

    Value qh = splitHeads(rewriter, loc, q, heads);
    Value kh = splitHeads(rewriter, loc, k, kvHeads);
    Value vh = splitHeads(rewriter, loc, v, kvHeads);
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> batch;
    for (int64_t i = 0; i < batchRank; ++i)
      batch.push_back(dim(i));
    auto withBatch = [&](ArrayRef<AffineExpr> tail) {
      SmallVector<AffineExpr> e(batch);
      e.append(tail.begin(), tail.end());
      return e;
    };
    int64_t nd = batchRank + 4;

    // scores[b.., h, i, j] = sum_d q[b.., i, h, d] k[b.., j, h / G, d]
    AffineExpr h = dim(batchRank), i = dim(batchRank + 1),
               j = dim(batchRank + 2), d = dim(batchRank + 3);
    SmallVector<OpFoldResult> qSizes = sizesOf(rewriter, loc, q);
    SmallVector<OpFoldResult> kSizes = sizesOf(rewriter, loc, k);
    SmallVector<OpFoldResult> scoreSizes(qSizes.begin(),
                                         qSizes.begin() + batchRank);
    scoreSizes.append(
        {rewriter.getIndexAttr(heads), qSizes[batchRank], kSizes[batchRank]});
    Value scores = buildContraction(
        rewriter, loc, qh, kh, filledTensor(rewriter, loc, scoreSizes, elt, 0),
        {AffineMap::get(nd, 0, withBatch({i, h, d}), ctx),
         AffineMap::get(nd, 0, withBatch({j, h.floorDiv(group), d}), ctx),
         AffineMap::get(nd, 0, withBatch({h, i, j}), ctx)});

    // Scale, additive mask, and which keys each query sees: the valid keys,
    // the layout (bottom-right aligned) and the block mask.
    auto scoreType = cast<RankedTensorType>(scores.getType());
    SmallVector<Value> operands = {scores};
    if (Value mask = adaptor.getMask())
      operands.push_back(mask);
    AttentionLayout layout = op.getEffectiveLayout();
    Value blockTable;
    if (DenseIntElementsAttr table =
            getBlockTableAttr(rewriter.getContext(), layout))
      blockTable = arith::ConstantOp::create(rewriter, loc, table);
    Value sqValue = dimValue(rewriter, loc, q, batchRank);
    Value skvValue = dimValue(rewriter, loc, k, batchRank);
    Value kvLen = adaptor.getKvLen(), blockMask = adaptor.getBlockMask();
    Value seqOffsets = adaptor.getSeqOffsets();
    std::optional<ArrayRef<int64_t>> blockSizes = op.getBlockMaskSizes();
    Value masked = buildElementwise(
        rewriter, loc, scoreType, scoreSizes, operands,
        [&](OpBuilder &b, Location l, ValueRange e) -> Value {
          Value s = arith::MulFOp::create(b, l, e[0],
                                          buildFloatConstant(b, l, elt, scale));
          if (e.size() > 1)
            s = arith::AddFOp::create(b, l, s, e[1]);
          auto idx = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          SmallVector<Value> batch;
          for (int64_t i = 0; i < batchRank; ++i)
            batch.push_back(linalg::IndexOp::create(b, l, i));
          Value h = linalg::IndexOp::create(b, l, batchRank);
          Value row = linalg::IndexOp::create(b, l, batchRank + 1);
          Value col = linalg::IndexOp::create(b, l, batchRank + 2);
          Value keep;
          auto both = [&](Value x) {
            keep = keep ? arith::AndIOp::create(b, l, keep, x).getResult() : x;
          };
          Value position, keyPos;
          if (seqOffsets) {
            // Query and key in the same sequence, at positions counted
            // from its first token.
            auto [qSeq, qStart] = buildSequenceOf(b, l, seqOffsets, row);
            auto [kSeq, kStart] = buildSequenceOf(b, l, seqOffsets, col);
            both(arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, qSeq,
                                       idx(0)));
            both(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, qSeq,
                                       kSeq));
            position = arith::SubIOp::create(b, l, row, qStart);
            keyPos = arith::SubIOp::create(b, l, col, kStart);
          } else {
            // The last query sits at the last valid key.
            Value valid = skvValue;
            if (kvLen)
              valid = arith::MinSIOp::create(
                  b, l,
                  arith::MaxSIOp::create(b, l, extractIndex(b, l, kvLen, batch),
                                         idx(0)),
                  skvValue);
            both(arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, col,
                                       valid));
            position = arith::AddIOp::create(
                b, l, row, arith::SubIOp::create(b, l, valid, sqValue));
            keyPos = col;
          }
          if (!layout.isDense())
            both(LayoutBuilder(b, l, layout, blockTable)
                     .isVisible(position, keyPos));
          if (blockMask) {
            auto mType = cast<RankedTensorType>(blockMask.getType());
            SmallVector<Value> at;
            for (int64_t i = 0; i < batchRank; ++i)
              at.push_back(mType.getDimSize(i) == 1 ? idx(0) : batch[i]);
            at.push_back(mType.getDimSize(batchRank) == 1 ? idx(0) : h);
            at.push_back(
                arith::DivUIOp::create(b, l, row, idx((*blockSizes)[0])));
            at.push_back(
                arith::DivUIOp::create(b, l, col, idx((*blockSizes)[1])));
            Value m = tensor::ExtractOp::create(b, l, blockMask, at);
            both(arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::ne, m,
                arith::ConstantOp::create(b, l, b.getZeroAttr(m.getType()))));
          }
          if (!keep)
            return s;
          Value ninf = buildFloatConstant(
              b, l, elt, -std::numeric_limits<double>::infinity());
          return arith::SelectOp::create(b, l, keep, s, ninf);
        });
    Value probs = buildSoftmax(rewriter, loc, masked, batchRank + 2);

    // out[b.., i, h, e] = sum_j p[b.., h, i, j] v[b.., j, h / G, e]
    auto vhType = cast<RankedTensorType>(vh.getType());
    int64_t dv = vhType.getShape().back();
    AffineExpr oi = dim(batchRank), oh = dim(batchRank + 1),
               oe = dim(batchRank + 2), oj = dim(batchRank + 3);
    SmallVector<OpFoldResult> outSizes(qSizes.begin(),
                                       qSizes.begin() + batchRank + 1);
    outSizes.append({rewriter.getIndexAttr(heads), rewriter.getIndexAttr(dv)});
    Value out = buildContraction(
        rewriter, loc, probs, vh, filledTensor(rewriter, loc, outSizes, elt, 0),
        {AffineMap::get(nd, 0, withBatch({oh, oi, oj}), ctx),
         AffineMap::get(nd, 0, withBatch({oj, oh.floorDiv(group), oe}), ctx),
         AffineMap::get(nd, 0, withBatch({oi, oh, oe}), ctx)});

    SmallVector<ReassociationIndices> reassoc;
    for (int64_t r = 0; r <= batchRank; ++r)
      reassoc.push_back({r});
    reassoc.push_back({batchRank + 1, batchRank + 2});
    rewriter.replaceOp(
        op, tensor::CollapseShapeOp::create(rewriter, loc, type, out, reassoc));
    return success();
  }
};

/// [batch..., N, F] as [B, N, F] with the batch dimensions flattened (a
/// unit batch dimension without any), and back.
Value toThreeD(OpBuilder &b, Location loc, Value t) {
  auto type = cast<RankedTensorType>(t.getType());
  int64_t rank = type.getRank();
  if (rank == 3)
    return t;
  if (rank == 2)
    return tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({1, type.getDimSize(0), type.getDimSize(1)},
                              type.getElementType()),
        t, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  ReassociationIndices batch;
  for (int64_t i = 0; i < rank - 2; ++i)
    batch.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, t, ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}});
}

Value fromThreeD(OpBuilder &b, Location loc, Value t, Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  int64_t rank = type.getRank();
  if (rank == 3)
    return t;
  if (rank == 2)
    return tensor::CollapseShapeOp::create(
        b, loc, t, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  ReassociationIndices batch;
  for (int64_t i = 0; i < rank - 2; ++i)
    batch.push_back(i);
  return tensor::ExpandShapeOp::create(
      b, loc, type, t,
      ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}},
      sizesOf(b, loc, like));
}

/// Per batch element, the rows of the update go into the cache with
/// tensor.insert_slice on a loop-carried cache: bufferization writes them
/// into the cache's buffer in place.
struct LowerCacheWrite : OpConversionPattern<CacheWriteOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CacheWriteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cache = toThreeD(rewriter, loc, adaptor.getCache());
    Value update = toThreeD(rewriter, loc, adaptor.getUpdate());
    Value kvLen = adaptor.getKvLen();
    auto lenType = cast<RankedTensorType>(kvLen.getType());
    // kv_len flattened like the batch.
    if (lenType.getRank() == 0)
      kvLen = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1}, lenType.getElementType()),
          kvLen, ArrayRef<ReassociationIndices>{});
    else if (lenType.getRank() > 1) {
      ReassociationIndices all;
      for (int64_t i = 0; i < lenType.getRank(); ++i)
        all.push_back(i);
      kvLen = tensor::CollapseShapeOp::create(
          rewriter, loc, kvLen, ArrayRef<ReassociationIndices>{all});
    }
    auto idx = [&](OpBuilder &b, Location l, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, l, v);
    };
    Value batches = dimValue(rewriter, loc, cache, 0);
    Value capacity = dimValue(rewriter, loc, cache, 1);
    Value steps = dimValue(rewriter, loc, update, 1);
    OpFoldResult features = sizesOf(rewriter, loc, cache)[2];
    auto loop = scf::ForOp::create(
        rewriter, loc, idx(rewriter, loc, 0), batches, idx(rewriter, loc, 1),
        ValueRange{cache},
        [&](OpBuilder &b, Location l, Value bt, ValueRange acc) {
          // Rows [len - S, len) of the cache, clipped to [0, capacity).
          Value len = extractIndex(b, l, kvLen, ValueRange{bt});
          Value start = arith::SubIOp::create(b, l, len, steps);
          Value lo = arith::MaxSIOp::create(b, l, start, idx(b, l, 0));
          Value hi = arith::MinSIOp::create(b, l, len, capacity);
          Value rows = arith::MaxSIOp::create(
              b, l, arith::SubIOp::create(b, l, hi, lo), idx(b, l, 0));
          lo = arith::MinSIOp::create(b, l, lo, capacity);
          SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), rows, features};
          SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
          Value first = arith::MinSIOp::create(
              b, l, arith::SubIOp::create(b, l, lo, start), steps);
          Value rowsOfUpdate = tensor::ExtractSliceOp::create(
              b, l, update,
              SmallVector<OpFoldResult>{bt, first, b.getIndexAttr(0)}, sizes,
              strides);
          Value written = tensor::InsertSliceOp::create(
              b, l, rowsOfUpdate, acc[0],
              SmallVector<OpFoldResult>{bt, lo, b.getIndexAttr(0)}, sizes,
              strides);
          scf::YieldOp::create(b, l, written);
        });
    rewriter.replaceOp(
        op, fromThreeD(rewriter, loc, loop.getResult(0), adaptor.getCache()));
    return success();
  }
};

} // namespace

void xf::lowering::populateAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerAttention, LowerCacheWrite>(patterns.getContext());
}
