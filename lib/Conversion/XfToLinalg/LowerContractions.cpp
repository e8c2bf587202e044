//===- LowerContractions.cpp - linear and matmul --------------------------===//

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

/// q * scale, the scale of q's channel (and group).
struct LowerDequantize : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis();
    AffineExpr c = getAffineDimExpr(axis, ctx);
    AffineExpr k = getAffineDimExpr(1 - axis, ctx);
    SmallVector<AffineExpr> scaleExprs = {c};
    if (std::optional<uint64_t> g = op.getGroupSize())
      scaleExprs.push_back(k.floorDiv(static_cast<int64_t>(*g)));
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(2, ctx),
                                   AffineMap::get(2, 0, scaleExprs, ctx),
                                   AffineMap::getMultiDimIdentityMap(2, ctx)};
    Value init =
        emptyTensor(rewriter, loc, sizesOf(rewriter, loc, adaptor.getInput()),
                    type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type},
        ValueRange{adaptor.getInput(), adaptor.getScales()}, ValueRange{init},
        maps, {IteratorType::parallel, IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value q = arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
          linalg::YieldOp::create(
              b, l, arith::MulFOp::create(b, l, q, args[1]).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
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

} // namespace

void xf::lowering::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinear, LowerDequantize, LowerMatmul>(
      patterns.getContext());
}
