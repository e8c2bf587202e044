//===- LowerElementwise.cpp - pointwise xf ops, rope, embedding -----------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

namespace {

/// Lowers an op whose result is computed elementwise from its (broadcast)
/// operands; `Derived::compute` gives one element.
template <typename OpTy, typename Derived>
struct ElementwisePattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    ValueRange operands = adaptor.getOperands();
    SmallVector<OpFoldResult> sizes =
        broadcastSizes(rewriter, loc, operands, type.getShape());
    Value result =
        buildElementwise(rewriter, loc, type, sizes, operands,
                         [&](OpBuilder &b, Location l, ValueRange e) {
                           return Derived::compute(op, b, l, e);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerGelu : ElementwisePattern<GeluOp, LowerGelu> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(GeluOp op, OpBuilder &b, Location loc, ValueRange e) {
    return buildGelu(b, loc, e[0], op.getApproximate());
  }
};

struct LowerSilu : ElementwisePattern<SiluOp, LowerSilu> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(SiluOp, OpBuilder &b, Location loc, ValueRange e) {
    return buildSilu(b, loc, e[0]);
  }
};

struct LowerRelu : ElementwisePattern<ReluOp, LowerRelu> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(ReluOp, OpBuilder &b, Location loc, ValueRange e) {
    return buildRelu(b, loc, e[0]);
  }
};

struct LowerSwiglu : ElementwisePattern<SwigluOp, LowerSwiglu> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(SwigluOp, OpBuilder &b, Location loc, ValueRange e) {
    return arith::MulFOp::create(b, loc, buildSilu(b, loc, e[0]), e[1]);
  }
};

struct LowerGeglu : ElementwisePattern<GegluOp, LowerGeglu> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(GegluOp op, OpBuilder &b, Location loc, ValueRange e) {
    return arith::MulFOp::create(
        b, loc, buildGelu(b, loc, e[0], op.getApproximate()), e[1]);
  }
};

struct LowerAdd : ElementwisePattern<AddOp, LowerAdd> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(AddOp, OpBuilder &b, Location loc, ValueRange e) {
    return arith::AddFOp::create(b, loc, e[0], e[1]);
  }
};

struct LowerMul : ElementwisePattern<MulOp, LowerMul> {
  using ElementwisePattern::ElementwisePattern;
  static Value compute(MulOp, OpBuilder &b, Location loc, ValueRange e) {
    return arith::MulFOp::create(b, loc, e[0], e[1]);
  }
};

/// result[..., d] = table[clamp(ids[...]), d]
struct LowerEmbedding : OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Value table = adaptor.getTable(), ids = adaptor.getIndices();
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = sizesOf(rewriter, loc, ids);
    sizes.push_back(tensor::getMixedSize(rewriter, loc, table, 1));
    Value init = emptyTensor(rewriter, loc, sizes, type.getElementType());
    Value last =
        arith::SubIOp::create(rewriter, loc, dimValue(rewriter, loc, table, 0),
                              arith::ConstantIndexOp::create(rewriter, loc, 1));
    // The ids index every dimension but the feature one (none for a
    // single id of rank 0).
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, identity.getResults().drop_back(), ctx),
        identity};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{ids}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value id = args[0];
          if (!id.getType().isIndex())
            id = arith::IndexCastOp::create(b, l, b.getIndexType(), id);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          id = arith::MaxSIOp::create(b, l, id, zero);
          id = arith::MinSIOp::create(b, l, id, last);
          Value d = linalg::IndexOp::create(b, l, rank - 1);
          Value v = tensor::ExtractOp::create(b, l, table, ValueRange{id, d});
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Rotates feature pairs per head. Each output element reads its own input
/// and its partner's (through tensor.extract) and turns them by an angle
/// computed in f64, so that large positions keep full f32 accuracy.
struct LowerRope : OpConversionPattern<RopeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RopeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value x = adaptor.getInput(), positions = adaptor.getPositions();
    int64_t rank = type.getRank();
    int64_t headDim = op.getHeadDim(), rot = op.getEffectiveRotaryDim();
    double logTheta = std::log(op.getTheta().convertToDouble());
    bool interleaved = op.getStyle() == RopeStyle::interleaved;
    Type elt = type.getElementType(), f64 = rewriter.getF64Type();

    Value result = buildElementwise(
        rewriter, loc, type, sizesOf(rewriter, loc, x), ValueRange{x},
        [&](OpBuilder &b, Location l, ValueRange e) -> Value {
          auto idx = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          SmallVector<Value> ivs;
          for (int64_t i = 0; i < rank; ++i)
            ivs.push_back(linalg::IndexOp::create(b, l, i));
          Value f = ivs.back();
          Value i = arith::RemUIOp::create(b, l, f, idx(headDim));
          Value rotated = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                i, idx(rot));
          // first: whether this element is the first of its pair.
          // pair: the pair index p; partner: the other element's index.
          Value first, pair, partnerOffset;
          if (interleaved) {
            Value odd = arith::AndIOp::create(b, l, i, idx(1));
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, odd,
                                          idx(0));
            pair = arith::DivUIOp::create(b, l, i, idx(2));
            partnerOffset = idx(1);
          } else {
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, i,
                                          idx(rot / 2));
            pair = arith::SelectOp::create(
                b, l, first, i, arith::SubIOp::create(b, l, i, idx(rot / 2)));
            partnerOffset = idx(rot / 2);
          }
          // Elements past rotary_dim read themselves and turn by angle 0.
          Value partner = arith::SelectOp::create(
              b, l, first, arith::AddIOp::create(b, l, f, partnerOffset),
              arith::SubIOp::create(b, l, f, partnerOffset));
          partner = arith::SelectOp::create(b, l, rotated, partner, f);
          SmallVector<Value> at(ivs);
          at.back() = partner;
          Value other = tensor::ExtractOp::create(b, l, x, at);

          Value s = ivs[rank - 2];
          Value pos;
          if (positions) {
            pos = tensor::ExtractOp::create(b, l, positions, ValueRange{s});
            pos = arith::SIToFPOp::create(b, l, f64, pos);
          } else {
            pos = castIndexToFloat(b, l, s, f64);
          }
          // angle = pos * theta^(-2p / rot) = pos * exp(-2p ln(theta) / rot)
          Value p = castIndexToFloat(b, l, pair, f64);
          Value invFreq = math::ExpOp::create(
              b, l,
              arith::MulFOp::create(
                  b, l, p,
                  arith::ConstantOp::create(
                      b, l, b.getF64FloatAttr(-2.0 * logTheta / rot))));
          Value angle = arith::MulFOp::create(b, l, pos, invFreq);
          angle = arith::SelectOp::create(
              b, l, rotated, angle,
              arith::ConstantOp::create(b, l, b.getF64FloatAttr(0.0)));
          Value cos = arith::TruncFOp::create(b, l, elt,
                                              math::CosOp::create(b, l, angle));
          Value sin = arith::TruncFOp::create(b, l, elt,
                                              math::SinOp::create(b, l, angle));
          // first: x cos - other sin; second: x cos + other sin.
          Value os = arith::MulFOp::create(b, l, other, sin);
          os = arith::SelectOp::create(b, l, first,
                                       arith::NegFOp::create(b, l, os), os);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, e[0], cos), os);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void xf::lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerGelu, LowerSilu, LowerRelu, LowerSwiglu, LowerGeglu,
               LowerAdd, LowerMul, LowerEmbedding, LowerRope>(
      patterns.getContext());
}
