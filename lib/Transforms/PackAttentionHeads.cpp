//===- PackAttentionHeads.cpp - the xf-pack-attention-heads pass ----------===//
//
// Attention with the heads as a batch dimension, [..., H, S, D] and
// `heads 1`, becomes attention with the heads packed in the last dimension,
// [..., S, H * D]: the layout projections produce, so the transposes that
// split and merge the heads around the op cancel. Repeated key/value heads
// become kv_heads, and a rotary embedding after the split moves before it.
//
//===----------------------------------------------------------------------===//

#include "xf/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFPACKATTENTIONHEADS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// The permutation of `rank` axes that swaps `a` and `a + 1`.
SmallVector<int64_t> swapPerm(int64_t rank, int64_t a) {
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[a], perm[a + 1]);
  return perm;
}

/// Reassociation of `rank` axes that groups `a` with `a + 1`.
SmallVector<ReassociationIndices> pairAt(int64_t rank, int64_t a) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == a + 1)
      continue;
    groups.push_back(d == a ? ReassociationIndices{d, d + 1}
                            : ReassociationIndices{d});
  }
  return groups;
}

/// The heads of a value along `axis`, as heads [first, first + count) of
/// `base`, each repeated `group` times in a row: v[h] = base[first + h /
/// group].
struct HeadMap {
  Value base;
  int64_t first, count, group;
};

/// Whether `slice` takes, with unit strides, the whole of its source but
/// along `axis`.
bool slicesOnlyAxis(tensor::ExtractSliceOp slice, int64_t axis) {
  RankedTensorType source = slice.getSourceType();
  if (slice.getType().getRank() != source.getRank() || !slice.hasUnitStride() ||
      !slice.getType().hasStaticShape())
    return false;
  for (int64_t d = 0; d < source.getRank(); ++d)
    if (d != axis && (slice.getStaticOffsets()[d] != 0 ||
                      slice.getStaticSizes()[d] != source.getDimSize(d)))
      return false;
  return !ShapedType::isDynamic(slice.getStaticOffsets()[axis]);
}

HeadMap headMap(Value v, int64_t axis) {
  HeadMap identity{v, 0, tensorType(v).getDimSize(axis), 1};
  // A slice of heads.
  if (auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
      slice && slicesOnlyAxis(slice, axis))
    return {slice.getSource(), slice.getStaticOffsets()[axis],
            slice.getStaticSizes()[axis], 1};
  // Each head repeated g times: broadcast to [..., c, g, S, D], merged.
  if (auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>()) {
    auto broadcast = collapse.getSrc().getDefiningOp<linalg::BroadcastOp>();
    int64_t rank = tensorType(v).getRank();
    if (!broadcast || broadcast.getDimensions().size() != 1 ||
        broadcast.getDimensions()[0] != axis + 1 ||
        collapse.getReassociationIndices() != pairAt(rank + 1, axis))
      return identity;
    HeadMap inner = headMap(broadcast.getInput(), axis);
    inner.group *= tensorType(collapse.getSrc()).getDimSize(axis + 1);
    return inner;
  }
  // Repeated heads concatenated in order.
  if (auto concat = v.getDefiningOp<tensor::ConcatOp>();
      concat && static_cast<int64_t>(concat.getDim()) == axis) {
    std::optional<HeadMap> all;
    for (Value part : concat.getInputs()) {
      HeadMap m = headMap(part, axis);
      if (!all) {
        all = m;
        continue;
      }
      if (m.base != all->base || m.group != all->group ||
          m.first != all->first + all->count)
        return identity;
      all->count += m.count;
    }
    return all ? *all : identity;
  }
  return identity;
}

/// [..., H, S, D] -> [..., S, H * D], heads at `axis`.
Value packHeads(PatternRewriter &rewriter, Location loc, Value x,
                int64_t axis) {
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  // Move the heads axis next to the features: [..., S, H, D].
  perm.erase(perm.begin() + axis);
  perm.insert(perm.end() - 1, axis);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init =
      tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  Value t =
      linalg::TransposeOp::create(rewriter, loc, x, init, perm)->getResult(0);
  return tensor::CollapseShapeOp::create(rewriter, loc, t,
                                         pairAt(rank, rank - 2));
}

/// xf.attention heads 1 on [..., H, S, D] -> heads H (kv_heads) on
/// [..., S, H * D].
struct PackHeads : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType qt = tensorType(op.getQuery());
    int64_t rank = qt.getRank(), axis = rank - 3;
    if (op.getNumHeads() != 1 || op.getEffectiveNumKvHeads() != 1 ||
        op.getMask() || op.getKvLen() || op.getBlockMask() ||
        op.getSeqOffsets() || rank < 4 || !qt.hasStaticShape() ||
        !tensorType(op.getKey()).hasStaticShape() ||
        !tensorType(op.getValue()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not heads as a batch axis");
    int64_t heads = qt.getDimSize(axis);
    HeadMap k = headMap(op.getKey(), axis), v = headMap(op.getValue(), axis);
    // Key and value heads: each of a smaller tensor's, repeated in a row.
    auto whole = [&](const HeadMap &m) {
      return m.first == 0 && m.count == tensorType(m.base).getDimSize(axis) &&
             m.count * m.group == heads;
    };
    if (!whole(k) || !whole(v) || k.group != v.group) {
      k = {op.getKey(), 0, heads, 1};
      v = {op.getValue(), 0, heads, 1};
    }
    // The scale of `heads 1` is already per head; keep it explicit.
    std::optional<double> scale = op.getEffectiveScale();
    if (!scale)
      return rewriter.notifyMatchFailure(op, "unknown scale");

    Location loc = op.getLoc();
    Value q = packHeads(rewriter, loc, op.getQuery(), axis);
    Value key = packHeads(rewriter, loc, k.base, axis);
    Value value = packHeads(rewriter, loc, v.base, axis);
    RankedTensorType rt = op.getType();
    SmallVector<int64_t> packed(rt.getShape());
    int64_t dv = packed.back();
    packed.erase(packed.begin() + axis);
    packed.back() = heads * dv;
    int64_t kvHeads = heads / k.group;
    auto attention = AttentionOp::create(
        rewriter, loc, rt.clone(packed), q, key, value, Value(), Value(),
        Value(), Value(), rewriter.getI64IntegerAttr(heads),
        kvHeads == heads ? IntegerAttr() : rewriter.getI64IntegerAttr(kvHeads),
        rewriter.getF64FloatAttr(*scale), op.getLayoutAttr(), nullptr);
    // Back to [..., H, S, Dv] for the users.
    SmallVector<int64_t> split(packed);
    split.back() = dv;
    split.insert(split.end() - 1, heads);
    Value expanded = tensor::ExpandShapeOp::create(
        rewriter, loc, rt.clone(split), attention, pairAt(rank, rank - 2));
    Value init = tensor::EmptyOp::create(rewriter, loc, rt.getShape(),
                                         rt.getElementType());
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    perm.erase(perm.end() - 2);
    perm.insert(perm.begin() + axis, rank - 2);
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, loc, expanded, init, perm)
                ->getResult(0));
    return success();
  }
};

/// rope(transpose(expand(x))) with [..., S, H * D] -> [..., S, H, D] ->
/// [..., H, S, D] -> transpose(expand(rope(x))): the same positions (the
/// sequence axis) and heads of D features, on the packed heads. Positions
/// per row ([..., H, S]) move along when they are one row per sequence
/// broadcast over the heads.
struct RopeBeforeHeadSplit : OpRewritePattern<RopeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RopeOp op,
                                PatternRewriter &rewriter) const override {
    auto transpose = op.getInput().getDefiningOp<linalg::TransposeOp>();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    if (!transpose || op.getSeqOffsets() || rank < 3 ||
        transpose.getPermutation() != ArrayRef(swapPerm(rank, rank - 3)))
      return rewriter.notifyMatchFailure(op, "not after a heads split");
    Value positions = op.getPositions();
    if (positions && tensorType(positions).getRank() != 1) {
      auto heads = positions.getDefiningOp<linalg::BroadcastOp>();
      if (!heads || heads.getDimensions().size() != 1 ||
          heads.getDimensions()[0] != rank - 3)
        return rewriter.notifyMatchFailure(op, "positions differ by head");
      positions = heads.getInput();
    }
    auto expand = transpose.getInput().getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand || !expand.getSrcType().hasStaticShape() ||
        expand.getReassociationIndices() != pairAt(rank, rank - 2))
      return rewriter.notifyMatchFailure(op, "not a split of the features");
    Location loc = op.getLoc();
    auto rope = RopeOp::create(rewriter, loc, expand.getSrcType(),
                               expand.getSrc(), positions, Value(),
                               op.getHeadDimAttr(), op.getRotaryDimAttr(),
                               op.getThetaAttr(), op.getStyleAttr());
    Value split = tensor::ExpandShapeOp::create(
        rewriter, loc, expand.getResultType(), rope,
        expand.getReassociationIndices(), expand.getMixedOutputShape());
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op,
                       linalg::TransposeOp::create(rewriter, loc, split, init,
                                                   transpose.getPermutation())
                           ->getResult(0));
    return success();
  }
};

struct XfPackAttentionHeadsPass
    : xf::impl::XfPackAttentionHeadsBase<XfPackAttentionHeadsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    // The transposes and reshapes that now meet are left to the
    // canonicalizer, which the graph pipeline runs next.
    patterns.add<PackHeads, RopeBeforeHeadSplit>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
