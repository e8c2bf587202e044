//===- FuseAttention.cpp - the xf-fuse-attention pass ---------------------===//

#include "xf/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::xf {
#define GEN_PASS_DEF_XFFUSEATTENTION
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

/// The op of type OpTy defining `v`, if `v` has no other use.
template <typename OpTy> static OpTy soleProducer(Value v) {
  auto op = v.getDefiningOp<OpTy>();
  return op && v.hasOneUse() ? op : OpTy();
}

/// The value of a splat float constant.
static std::optional<double> splatValue(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

/// Whether `v` is a constant mask that hides exactly the keys above the
/// (bottom-right aligned) diagonal. Hidden entries are -inf, or any value
/// at most -1e30 where every query sees a key: exp then gives exactly 0
/// either way. A query that sees no key averages the values under a finite
/// mask but gets zeros from `causal`, so there only -inf matches.
static bool isCausalMaskConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return false;
  ArrayRef<int64_t> shape = attr.getType().getShape();
  if (shape.size() < 2 ||
      llvm::any_of(shape.drop_back(2), [](int64_t d) { return d != 1; }))
    return false;
  int64_t sq = shape[shape.size() - 2], skv = shape.back();
  bool everyQuerySeesAKey = sq <= skv;
  auto values = attr.getValues<APFloat>();
  for (int64_t i = 0; i < sq; ++i)
    for (int64_t j = 0; j < skv; ++j) {
      double x = values[i * skv + j].convertToDouble();
      bool hidden = j > i + (skv - sq);
      bool hides = std::isinf(x) ? x < 0 : everyQuerySeesAKey && x <= -1e30;
      if (hidden ? !hides : x != 0.0)
        return false;
    }
  return true;
}

namespace {

/// The unscaled scores `q k^T` and their scale, when `v` computes
/// `[c *] matmul([c' *] q, k, transpose_rhs)` with every intermediate used
/// once.
struct Scores {
  MatmulOp qk;
  double scale = 1.0;
  /// q, where the product's left operand is a scaled q.
  Value queries;
};

std::optional<Scores> matchScores(Value v) {
  if (!v.hasOneUse())
    return std::nullopt;
  Scores s;
  if (auto mul = v.getDefiningOp<MulOp>()) {
    // A splat constant of either side that keeps the product's type.
    Value product;
    for (int i = 0; i < 2; ++i)
      if (std::optional<double> c = splatValue(mul->getOperand(1 - i));
          c && mul.getType() == mul->getOperand(i).getType()) {
        s.scale = *c;
        product = mul->getOperand(i);
        break;
      }
    if (!product)
      return std::nullopt;
    v = product;
  }
  auto qk = soleProducer<MatmulOp>(v);
  if (!qk || qk.getTransposeLhs() || !qk.getTransposeRhs())
    return std::nullopt;
  s.qk = qk;
  // (c q) k^T = c (q k^T): a constant scale of the queries (as PyTorch
  // exports it) is the scores' scale.
  if (auto mul = soleProducer<MulOp>(qk.getLhs()))
    for (int i = 0; i < 2; ++i)
      if (std::optional<double> c = splatValue(mul->getOperand(1 - i));
          c && mul.getType() == mul->getOperand(i).getType()) {
        s.scale *= *c;
        s.queries = mul->getOperand(i);
        break;
      }
  return s;
}

/// matmul(softmax(matmul(q, k^T) [* c] [+ m]), v) -> attention(q, k, v).
struct FormAttention : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp pv,
                                PatternRewriter &rewriter) const override {
    if (pv.getTransposeLhs() || pv.getTransposeRhs())
      return failure();
    auto softmax = soleProducer<SoftmaxOp>(pv.getLhs());
    if (!softmax ||
        softmax.getNormalizedAxis() != softmax.getType().getRank() - 1)
      return failure();
    Value mask;
    std::optional<Scores> scores;
    if (auto add = soleProducer<AddOp>(softmax.getInput())) {
      // The scores are the operand that descends from q k^T; the other one
      // is the mask, whatever computed it.
      for (int i = 0; i < 2 && !scores; ++i)
        if ((scores = matchScores(add->getOperand(i))))
          mask = add->getOperand(1 - i);
    } else {
      scores = matchScores(softmax.getInput());
    }
    if (!scores)
      return failure();
    Value q = scores->queries ? scores->queries : scores->qk.getLhs();
    Value k = scores->qk.getRhs(), v = pv.getRhs();
    auto qType = cast<RankedTensorType>(q.getType());
    auto kType = cast<RankedTensorType>(k.getType());
    auto vType = cast<RankedTensorType>(v.getType());
    if (qType.getRank() != kType.getRank() ||
        qType.getRank() != vType.getRank() ||
        qType.getShape().drop_back(2) != kType.getShape().drop_back(2) ||
        qType.getShape().drop_back(2) != vType.getShape().drop_back(2) ||
        pv.getType() != RankedTensorType::get(
                            [&] {
                              SmallVector<int64_t> s(qType.getShape());
                              s.back() = vType.getShape().back();
                              return s;
                            }(),
                            qType.getElementType()))
      return rewriter.notifyMatchFailure(pv, "needs equal batch dimensions");

    Location loc = pv.getLoc();
    AttentionLayoutAttr layout;
    if (mask && isCausalMaskConstant(mask)) {
      AttentionLayout causal;
      causal.causal = true;
      layout = AttentionLayoutAttr::get(getContext(), causal);
      mask = Value();
    } else if (mask && cast<RankedTensorType>(mask.getType()).getRank() >= 3) {
      // The mask broadcast against [..., Sq, Skv]; attention's scores are
      // [..., heads = 1, Sq, Skv]: insert the unit head dimension.
      auto mType = cast<RankedTensorType>(mask.getType());
      int64_t r = mType.getRank();
      SmallVector<int64_t> shape(mType.getShape());
      shape.insert(shape.end() - 2, 1);
      SmallVector<ReassociationIndices> reassoc;
      for (int64_t i = 0; i < r - 3; ++i)
        reassoc.push_back({i});
      reassoc.push_back({r - 3, r - 2});
      reassoc.push_back({r - 1});
      reassoc.push_back({r});
      mask = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, mType.getElementType()),
          mask, reassoc);
    }
    rewriter.replaceOp(
        pv, AttentionOp::create(rewriter, loc, pv.getType(), q, k, v, mask,
                                /*kv_len=*/Value(),
                                /*block_mask=*/Value(), /*seq_offsets=*/Value(),
                                /*num_heads=*/1, IntegerAttr(),
                                rewriter.getF64FloatAttr(scores->scale), layout,
                                /*block_mask_sizes=*/nullptr));
    return success();
  }
};

struct XfFuseAttentionPass
    : xf::impl::XfFuseAttentionBase<XfFuseAttentionPass> {

  void runOnOperation() override {
    RewritePatternSet formation(&getContext());
    formation.add<FormAttention>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(formation))))
      signalPassFailure();
  }
};

} // namespace
