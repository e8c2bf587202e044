//===- LowerElementwise.cpp - pointwise xf ops and embedding --------------===//

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
          Value id = clampIndex(b, l, args[0], last);
          Value d = linalg::IndexOp::create(b, l, rank - 1);
          Value v = tensor::ExtractOp::create(b, l, table, ValueRange{id, d});
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void xf::lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<LowerGelu, LowerSilu, LowerRelu, LowerSwiglu, LowerGeglu,
               LowerAdd, LowerMul, LowerEmbedding>(patterns.getContext());
}
