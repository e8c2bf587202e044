//===- LowerContractions.cpp - linear, matmul and attention ---------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

using utils::IteratorType;

/// `init + sum_k lhs * rhs` as a linalg.generic with the given maps; the last
/// iteration dimension is the reduction.
static Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              Value init, ArrayRef<AffineMap> maps) {
  unsigned numDims = maps.front().getNumDims();
  SmallVector<IteratorType> iterators(numDims, IteratorType::parallel);
  iterators.back() = IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators, [](OpBuilder &nb, Location l, ValueRange args) {
        Value p = arith::MulFOp::create(nb, l, args[0], args[1]);
        linalg::YieldOp::create(
            nb, l, arith::AddFOp::create(nb, l, args[2], p).getResult());
      });
  return generic.getResult(0);
}

/// Dimension expressions that read an operand's batch dimensions inside an
/// iteration space whose first dimensions are the broadcast batch.
static SmallVector<AffineExpr> batchExprs(MLIRContext *ctx,
                                          ArrayRef<int64_t> operandBatch,
                                          ArrayRef<int64_t> resultBatch) {
  return llvm::to_vector(
      broadcastMap(ctx, operandBatch, resultBatch).getResults());
}

namespace {

struct LowerLinear : OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Value x = adaptor.getInput(), w = adaptor.getWeight();
    int64_t rank = type.getRank();
    bool kn = op.getWeightLayout() == WeightLayout::kn;

    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    sizes.back() = tensor::getMixedSize(rewriter, loc, w, kn ? 1 : 0);
    Value init;
    if (Value bias = adaptor.getBias())
      init = buildElementwise(
          rewriter, loc, type, sizes, ValueRange{bias},
          [](OpBuilder &, Location, ValueRange e) { return e[0]; });
    else
      init = filledTensor(rewriter, loc, sizes, type.getElementType(), 0.0);

    // Iteration space (batch..., n, k).
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    SmallVector<AffineExpr> xExprs, outExprs;
    for (int64_t i = 0; i < rank - 1; ++i)
      xExprs.push_back(getAffineDimExpr(i, ctx));
    outExprs = xExprs;
    xExprs.push_back(k);
    outExprs.push_back(n);
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, xExprs, ctx),
        AffineMap::get(
            rank + 1, 0,
            kn ? ArrayRef<AffineExpr>{k, n} : ArrayRef<AffineExpr>{n, k}, ctx),
        AffineMap::get(rank + 1, 0, outExprs, ctx)};
    Value y = buildContraction(rewriter, loc, x, w, init, maps);

    std::optional<Activation> act = op.getActivation();
    Value residual = adaptor.getResidual();
    if (act || residual) {
      SmallVector<Value> operands = {y};
      if (residual)
        operands.push_back(residual);
      y = buildElementwise(
          rewriter, loc, type, sizes, operands,
          [&](OpBuilder &b, Location l, ValueRange e) -> Value {
            Value v = act ? buildActivation(b, l, *act, e[0]) : e[0];
            return residual ? arith::AddFOp::create(b, l, v, e[1]) : v;
          });
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LowerMatmul : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Value a = adaptor.getLhs(), b = adaptor.getRhs();
    auto aType = cast<RankedTensorType>(a.getType());
    auto bType = cast<RankedTensorType>(b.getType());
    int64_t rank = type.getRank();
    ArrayRef<int64_t> batch = type.getShape().drop_back(2);

    // Iteration space (batch..., m, n, k).
    AffineExpr m = getAffineDimExpr(rank - 2, ctx);
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    auto operandMap = [&](RankedTensorType t, AffineExpr row, AffineExpr col,
                          bool transposed) {
      SmallVector<AffineExpr> exprs =
          batchExprs(ctx, t.getShape().drop_back(2), batch);
      exprs.push_back(transposed ? col : row);
      exprs.push_back(transposed ? row : col);
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps = {
        operandMap(aType, m, k, op.getTransposeLhs()),
        operandMap(bType, k, n, op.getTransposeRhs()),
        AffineMap::get(rank + 1, 0, outExprs, ctx)};

    // Result sizes: batch from whichever operand does not broadcast there,
    // rows from lhs, columns from rhs.
    SmallVector<OpFoldResult> aSizes = sizesOf(rewriter, loc, a);
    SmallVector<OpFoldResult> bSizes = sizesOf(rewriter, loc, b);
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < rank - 2; ++i) {
      int64_t ai = i - (rank - aType.getRank());
      int64_t bi = i - (rank - bType.getRank());
      if (ai >= 0 && aType.getDimSize(ai) != 1)
        sizes.push_back(aSizes[ai]);
      else if (bi >= 0)
        sizes.push_back(bSizes[bi]);
      else
        sizes.push_back(rewriter.getIndexAttr(1));
    }
    int64_t ar = aType.getRank(), br = bType.getRank();
    sizes.push_back(op.getTransposeLhs() ? aSizes[ar - 1] : aSizes[ar - 2]);
    sizes.push_back(op.getTransposeRhs() ? bSizes[br - 2] : bSizes[br - 1]);
    Value init = filledTensor(rewriter, loc, sizes, type.getElementType(), 0);
    rewriter.replaceOp(op, buildContraction(rewriter, loc, a, b, init, maps));
    return success();
  }
};

/// Splits the packed heads of `[batch..., S, H * D]` into `[batch..., S, H,
/// D]` (a free reshape).
static Value splitHeads(OpBuilder &b, Location loc, Value t, int64_t heads) {
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

    // Scale, additive mask and structural mask (bottom-right aligned).
    auto scoreType = cast<RankedTensorType>(scores.getType());
    SmallVector<Value> operands = {scores};
    if (Value mask = adaptor.getMask())
      operands.push_back(mask);
    MaskKind kind = op.getMaskKind();
    int64_t window = op.getWindow().value_or(0);
    Value offset = arith::SubIOp::create(rewriter, loc,
                                         dimValue(rewriter, loc, k, batchRank),
                                         dimValue(rewriter, loc, q, batchRank));
    Value masked = buildElementwise(
        rewriter, loc, scoreType, scoreSizes, operands,
        [&](OpBuilder &b, Location l, ValueRange e) -> Value {
          Value s = arith::MulFOp::create(b, l, e[0],
                                          buildFloatConstant(b, l, elt, scale));
          if (e.size() > 1)
            s = arith::AddFOp::create(b, l, s, e[1]);
          if (kind == MaskKind::none)
            return s;
          Value row = linalg::IndexOp::create(b, l, batchRank + 1);
          Value col = linalg::IndexOp::create(b, l, batchRank + 2);
          Value diag = arith::AddIOp::create(b, l, row, offset);
          Value keep =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, col, diag);
          if (kind == MaskKind::sliding_window) {
            Value lo = arith::SubIOp::create(
                b, l, diag, arith::ConstantIndexOp::create(b, l, window));
            keep = arith::AndIOp::create(
                b, l, keep,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, col,
                                      lo));
          }
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

} // namespace

void xf::lowering::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinear, LowerMatmul, LowerAttention>(patterns.getContext());
}
