//===- LowerRope.cpp - rotary position embedding as two linalg ops --------===//
//
// RoPE in two steps whose loops vectorize, so that it runs at memory speed:
//
// 1. A table of cos and sin per (position, pair): the angle position *
//    theta^(-2p / rot) in f64, reduced modulo 2 pi in f64 so that large
//    positions keep their accuracy, then cos and sin in the element type
//    (polynomials on the CPU). The table is [S, rot / 2], or one row per
//    token when positions differ between batch elements or sequences, so
//    the transcendentals run once per position and pair, not per head.
// 2. The rotation, over [..., S, H, rot / 2]: each pair's two features are
//    contiguous slices of the input (the two halves of a head, or the even
//    and odd features), so every access is affine; the results are written
//    into the matching slices of the output, and features past rot are
//    copied.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

using utils::IteratorType;

namespace {

/// The rotation angle's cos and sin, `[lead..., rot / 2]` each, where `lead`
/// are the leading dimensions of `x` that positions vary along.
std::pair<Value, Value> buildTables(OpBuilder &b, Location loc, RopeOp op,
                                    Value x, Value positions, Value seqOffsets,
                                    int64_t leadBegin) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  Type elt = type.getElementType(), f64 = b.getF64Type();
  int64_t rank = type.getRank(), rot = op.getEffectiveRotaryDim();
  int64_t half = rot / 2, lead = rank - 1 - leadBegin;
  double theta = op.getTheta().convertToDouble();

  SmallVector<double> freqs;
  for (int64_t p = 0; p < half; ++p)
    freqs.push_back(std::pow(theta, -2.0 * static_cast<double>(p) / rot));
  Value invFreq = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({half}, f64),
                             ArrayRef<double>(freqs)));

  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, x);
  sizes.erase(sizes.begin(), sizes.begin() + leadBegin);
  sizes.back() = b.getIndexAttr(half);
  Value cosInit = emptyTensor(b, loc, sizes, elt);
  Value sinInit = emptyTensor(b, loc, sizes, elt);

  // Iteration space (lead..., p).
  int64_t dims = lead + 1;
  SmallVector<Value> inputs = {invFreq};
  SmallVector<AffineMap> maps = {
      AffineMap::get(dims, 0, getAffineDimExpr(lead, ctx))};
  if (positions) {
    // [S] against lead [S] or [..., S]; [..., S] against lead [..., S].
    int64_t pRank = cast<RankedTensorType>(positions.getType()).getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = lead - pRank; i < lead; ++i)
      exprs.push_back(getAffineDimExpr(i, ctx));
    inputs.push_back(positions);
    maps.push_back(AffineMap::get(dims, 0, exprs, ctx));
  }
  maps.append(2, AffineMap::getMultiDimIdentityMap(dims, ctx));
  SmallVector<IteratorType> iterators(dims, IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{cosInit.getType(), sinInit.getType()}, inputs,
      ValueRange{cosInit, sinInit}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value pos;
        if (positions) {
          pos = arith::SIToFPOp::create(nb, l, f64, args[1]);
        } else if (seqOffsets) {
          // Counted from the start of the token's sequence.
          Value t = linalg::IndexOp::create(nb, l, 0);
          auto [seq, start] = buildSequenceOf(nb, l, seqOffsets, t);
          Value inside =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, seq,
                                    arith::ConstantIndexOp::create(nb, l, 0));
          Value local = arith::SelectOp::create(
              nb, l, inside, arith::SubIOp::create(nb, l, t, start),
              arith::ConstantIndexOp::create(nb, l, 0));
          pos = castIndexToFloat(nb, l, local, f64);
        } else {
          pos = castIndexToFloat(nb, l,
                                 linalg::IndexOp::create(nb, l, lead - 1), f64);
        }
        auto f64c = [&](double v) {
          return arith::ConstantOp::create(nb, l, nb.getF64FloatAttr(v));
        };
        // angle - k 2 pi with k = round(angle / 2 pi), the product exact
        // through two fmas and a two-part 2 pi.
        const double twoPi = 2.0 * llvm::numbers::pi;
        const double twoPiLo = 2.4492935982947064e-16;
        Value angle = arith::MulFOp::create(nb, l, pos, args[0]);
        Value k = math::RoundEvenOp::create(
            nb, l, arith::MulFOp::create(nb, l, angle, f64c(1.0 / twoPi)));
        Value negK = arith::NegFOp::create(nb, l, k);
        Value r = math::FmaOp::create(nb, l, negK, f64c(twoPi), angle);
        r = math::FmaOp::create(nb, l, negK, f64c(twoPiLo), r);
        Value reduced = arith::TruncFOp::create(nb, l, elt, r);
        linalg::YieldOp::create(
            nb, l,
            ValueRange{math::CosOp::create(nb, l, reduced),
                       math::SinOp::create(nb, l, reduced)});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

struct LowerRope : OpConversionPattern<RopeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RopeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Value x = adaptor.getInput(), positions = adaptor.getPositions();
    Value seqOffsets = adaptor.getSeqOffsets();
    int64_t rank = type.getRank(), headDim = op.getHeadDim();
    int64_t rot = op.getEffectiveRotaryDim(), half = rot / 2;
    bool interleaved = op.getStyle() == RopeStyle::interleaved;
    Type elt = type.getElementType();

    // Positions vary along S only, or along every leading dimension.
    bool perRow = seqOffsets ||
                  (positions &&
                   cast<RankedTensorType>(positions.getType()).getRank() > 1);
    int64_t leadBegin = perRow ? 0 : rank - 2;
    auto [cosT, sinT] =
        buildTables(rewriter, loc, op, x, positions, seqOffsets, leadBegin);

    // x as [lead..., H, headDim / 2, 2] (interleaved pairs) or
    // [lead..., H, headDim] (halves).
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, x);
    OpFoldResult features = sizes.back();
    SmallVector<OpFoldResult> heads(sizes.begin(), sizes.end() - 1);
    if (auto f = getConstantIntValue(features))
      heads.push_back(rewriter.getIndexAttr(*f / headDim));
    else
      heads.push_back(
          arith::DivUIOp::create(
              rewriter, loc, dimValue(rewriter, loc, x, rank - 1),
              arith::ConstantIndexOp::create(rewriter, loc, headDim))
              .getResult());
    SmallVector<OpFoldResult> split(heads);
    SmallVector<ReassociationIndices> reassoc;
    for (int64_t i = 0; i < rank - 1; ++i)
      reassoc.push_back({i});
    if (interleaved) {
      split.append(
          {rewriter.getIndexAttr(headDim / 2), rewriter.getIndexAttr(2)});
      reassoc.push_back({rank - 1, rank, rank + 1});
    } else {
      split.push_back(rewriter.getIndexAttr(headDim));
      reassoc.push_back({rank - 1, rank});
    }
    SmallVector<int64_t> splitShape;
    SmallVector<Value> dynamic;
    dispatchIndexOpFoldResults(split, dynamic, splitShape);
    auto splitType = RankedTensorType::get(splitShape, elt);
    Value xs = tensor::ExpandShapeOp::create(rewriter, loc, splitType, x,
                                             reassoc, split);
    // Features past rot pass through: start from the input where there are
    // any, so that only the rotated slices are written.
    Value dest = rot == headDim ? emptyTensor(rewriter, loc, split, elt) : xs;

    // The two features of every pair, as slices of [lead..., H, half].
    int64_t splitRank = splitType.getRank();
    auto slice = [&](int64_t offset) {
      SmallVector<OpFoldResult> offsets(splitRank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> lengths(split);
      SmallVector<OpFoldResult> strides(splitRank, rewriter.getIndexAttr(1));
      if (interleaved) {
        offsets.back() = rewriter.getIndexAttr(offset);
        lengths[splitRank - 2] = rewriter.getIndexAttr(half);
        lengths.back() = rewriter.getIndexAttr(1);
      } else {
        offsets.back() = rewriter.getIndexAttr(offset * half);
        lengths.back() = rewriter.getIndexAttr(half);
      }
      return std::make_tuple(offsets, lengths, strides);
    };
    SmallVector<int64_t> pairShape(splitShape.begin(),
                                   splitShape.begin() + rank + 1);
    pairShape.back() = half;
    auto pairType = RankedTensorType::get(pairShape, elt);
    SmallVector<Value> firsts, inits;
    for (int64_t which = 0; which < 2; ++which) {
      auto [offsets, lengths, strides] = slice(which);
      firsts.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, pairType, xs, offsets, lengths, strides));
      inits.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, pairType, dest, offsets, lengths, strides));
    }

    // Iteration space (lead..., h, p); the tables ignore h.
    int64_t dims = rank + 1;
    auto identity = AffineMap::getMultiDimIdentityMap(dims, ctx);
    SmallVector<AffineExpr> tableExprs;
    for (int64_t i = leadBegin; i < rank - 1; ++i)
      tableExprs.push_back(getAffineDimExpr(i, ctx));
    tableExprs.push_back(getAffineDimExpr(rank, ctx));
    AffineMap table = AffineMap::get(dims, 0, tableExprs, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{pairType, pairType},
        ValueRange{firsts[0], firsts[1], cosT, sinT}, inits,
        ArrayRef<AffineMap>{identity, identity, table, table, identity,
                            identity},
        SmallVector<IteratorType>(dims, IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange e) {
          // (a, b) turned: (a cos - b sin, b cos + a sin).
          Value a = e[0], bb = e[1], c = e[2], s = e[3];
          Value first =
              arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, a, c),
                                    arith::MulFOp::create(b, l, bb, s));
          Value second =
              arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, bb, c),
                                    arith::MulFOp::create(b, l, a, s));
          linalg::YieldOp::create(b, l, ValueRange{first, second});
        });
    Value result = dest;
    for (int64_t which = 0; which < 2; ++which) {
      auto [offsets, lengths, strides] = slice(which);
      result =
          tensor::InsertSliceOp::create(rewriter, loc, generic.getResult(which),
                                        result, offsets, lengths, strides);
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, type, result,
                                                         reassoc);
    return success();
  }
};

} // namespace

void xf::lowering::populateRopePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerRope>(patterns.getContext());
}
