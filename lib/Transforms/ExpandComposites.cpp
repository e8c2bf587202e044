//===- ExpandComposites.cpp - xf.block and xf.mlp to primitives -----------===//

#include "xf/Transforms/Passes.h"

#include "xf/Dialect/WeightMatrix.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFEXPANDBLOCKS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

/// The first `r` features of `x : [..., D]`.
static Value leadingFeatures(OpBuilder &b, Location loc, Value x, int64_t r) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  sizes.back() = b.getIndexAttr(r);
  return tensor::ExtractSliceOp::create(b, loc, x, offsets, sizes, strides);
}

/// The first `r` rows of K of a linear weight `w` in `layout`: a new
/// constant when `w` is one (so that targets pack it at compile time), else
/// a slice.
static Value leadingWeightRows(OpBuilder &b, Location loc, Value w,
                               WeightLayout layout, int64_t r) {
  auto type = cast<RankedTensorType>(w.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[weightInputDim(layout)] = r;
  std::optional<RawElements> value = rawElements(w);
  if (value && type.hasStaticShape())
    if (ElementsAttr slice = leadingCorner(*value, type.clone(shape)))
      return arith::ConstantOp::create(b, loc, cast<TypedAttr>(slice));
  SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, w);
  sizes[weightInputDim(layout)] = b.getIndexAttr(r);
  return tensor::ExtractSliceOp::create(b, loc, w, offsets, sizes, strides);
}

namespace {

/// Builds xf primitives at one location; the shared vocabulary of the
/// expansions below.
struct PrimitiveBuilder {
  OpBuilder &b;
  Location loc;
  WeightLayout layout;

  Value linear(Value x, Value w, Value bias = {}) {
    return LinearOp::create(b, loc, x, w, bias, /*residual=*/Value(), layout,
                            /*activation=*/nullptr, /*sparsity=*/nullptr);
  }

  Value activation(Activation act, Value x) {
    switch (act) {
    case Activation::gelu:
      return GeluOp::create(b, loc, x, GeluApproximation::none);
    case Activation::gelu_tanh:
      return GeluOp::create(b, loc, x, GeluApproximation::tanh);
    case Activation::relu:
      return ReluOp::create(b, loc, x);
    case Activation::silu:
      return SiluOp::create(b, loc, x);
    }
    llvm_unreachable("unknown activation");
  }

  /// act(gate) * up, with the dedicated GLU ops where one exists.
  Value gatedUnit(Activation act, Value gate, Value up) {
    switch (act) {
    case Activation::silu:
      return SwigluOp::create(b, loc, gate, up);
    case Activation::gelu:
      return GegluOp::create(b, loc, gate, up, GeluApproximation::none);
    case Activation::gelu_tanh:
      return GegluOp::create(b, loc, gate, up, GeluApproximation::tanh);
    case Activation::relu:
      return MulOp::create(b, loc, ReluOp::create(b, loc, gate), up);
    }
    llvm_unreachable("unknown activation");
  }

  /// The top-k part of an MLP (absent: dense).
  struct TopK {
    std::optional<uint64_t> k, features;
    Value in, out;
  };

  Value mlp(Value x, Activation act, Value up, Value gate, Value down,
            Value upBias, Value gateBias, Value downBias,
            const TopK &topK = {}) {
    if (topK.k) {
      // The predictor's scores, the k best neurons of each row, and the
      // MLP over those alone.
      Value scores;
      if (topK.features) {
        int64_t rows = static_cast<int64_t>(*topK.features);
        scores =
            linear(leadingFeatures(b, loc, x, rows),
                   leadingWeightRows(b, loc, gate ? gate : up, layout, rows));
      } else {
        scores = linear(linear(x, topK.in), topK.out);
      }
      Value neurons = TopKOp::create(b, loc, scores, *topK.k);
      return GatherMlpOp::create(b, loc, x, neurons, up, gate, down, upBias,
                                 gateBias, downBias, act, layout);
    }
    Value hidden;
    if (gate)
      hidden = gatedUnit(act, linear(x, gate, gateBias), linear(x, up, upBias));
    else
      hidden = activation(act, linear(x, up, upBias));
    return linear(hidden, down, downBias);
  }

  Value add(Value a, Value c) { return AddOp::create(b, loc, a, c); }
};

/// The top-k part of an `xf.mlp` or an `xf.block`'s MLP.
template <typename OpTy> PrimitiveBuilder::TopK topKOf(OpTy op) {
  return {op.getTopK(), op.getPredictorFeatures(), op.getPredictorIn(),
          op.getPredictorOut()};
}

struct ExpandMlp : OpRewritePattern<MlpOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MlpOp op,
                                PatternRewriter &rewriter) const override {
    PrimitiveBuilder pb{rewriter, op.getLoc(), op.getWeightLayout()};
    rewriter.replaceOp(
        op, pb.mlp(op.getInput(), op.getActivation(), op.getUpWeight(),
                   op.getGateWeight(), op.getDownWeight(), op.getUpBias(),
                   op.getGateBias(), op.getDownBias(), topKOf(op)));
    return success();
  }
};

struct ExpandBlock : OpRewritePattern<BlockOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BlockOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PrimitiveBuilder pb{rewriter, loc, op.getWeightLayout()};
    APFloat eps = op.getEpsilon();
    auto norm = [&](Value x, Value weight, Value bias) -> Value {
      if (op.getNormKind() == NormKind::rms_norm)
        return RmsNormOp::create(rewriter, loc, x, weight, eps);
      return LayerNormOp::create(rewriter, loc, x, weight, bias, eps);
    };
    SmallVector<Value> caches;
    auto attention = [&](Value x) -> Value {
      Value q = pb.linear(x, op.getQWeight(), op.getQBias());
      Value k = pb.linear(x, op.getKWeight(), op.getKBias());
      Value v = pb.linear(x, op.getVWeight(), op.getVBias());
      if (std::optional<APFloat> theta = op.getRopeTheta()) {
        int64_t headDim =
            cast<RankedTensorType>(q.getType()).getShape().back() /
            static_cast<int64_t>(op.getNumHeads());
        auto rope = [&](Value t) -> Value {
          return RopeOp::create(
              rewriter, loc, t, op.getPositions(), op.getSeqOffsets(), headDim,
              op.getRotaryDimAttr(), *theta, op.getRopeStyle());
        };
        q = rope(q);
        k = rope(k);
      }
      // With a cache, the step's keys and values go into it first, and the
      // attention reads its valid rows.
      if (Value kc = op.getKeyCache()) {
        k = CacheWriteOp::create(rewriter, loc, k, kc, op.getKvLen());
        v = CacheWriteOp::create(rewriter, loc, v, op.getValueCache(),
                                 op.getKvLen());
        caches = {k, v};
      }
      Value a = AttentionOp::create(
          rewriter, loc, q, k, v, op.getMask(), op.getKvLen(),
          /*block_mask=*/Value(), op.getSeqOffsets(), op.getNumHeadsAttr(),
          op.getNumKvHeadsAttr(), op.getScaleAttr(), op.getLayoutAttr(),
          /*block_mask_sizes=*/nullptr);
      return pb.linear(a, op.getOWeight(), op.getOBias());
    };
    auto mlp = [&](Value x) -> Value {
      return pb.mlp(x, op.getActivation(), op.getUpWeight(), op.getGateWeight(),
                    op.getDownWeight(), op.getUpBias(), op.getGateBias(),
                    op.getDownBias(), topKOf(op));
    };

    Value x = op.getInput(), y;
    if (op.getNormPlacement() == NormPlacement::pre) {
      Value h =
          pb.add(x, attention(norm(x, op.getNorm1Weight(), op.getNorm1Bias())));
      y = pb.add(h, mlp(norm(h, op.getNorm2Weight(), op.getNorm2Bias())));
    } else {
      Value h =
          norm(pb.add(x, attention(x)), op.getNorm1Weight(), op.getNorm1Bias());
      y = norm(pb.add(h, mlp(h)), op.getNorm2Weight(), op.getNorm2Bias());
    }
    SmallVector<Value> results = {y};
    results.append(caches);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct XfExpandBlocksPass : xf::impl::XfExpandBlocksBase<XfExpandBlocksPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandCompositePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void xf::populateExpandCompositePatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandMlp, ExpandBlock>(patterns.getContext());
}
