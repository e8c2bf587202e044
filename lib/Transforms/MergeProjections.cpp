//===- MergeProjections.cpp - the xf-merge-projections pass ---------------===//

#include "xf/Dialect/ConstantBytes.h"
#include "xf/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFMERGEPROJECTIONS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Concatenates tensors along `dim`: at compile time when they are all
/// constants, else with tensor.concat (which xf-cpu-form-kernels packs part
/// by part, and bufferization otherwise copies into one buffer).
Value concatenate(OpBuilder &b, Location loc, ArrayRef<Value> parts,
                  int64_t dim) {
  auto first = cast<RankedTensorType>(parts.front().getType());
  SmallVector<int64_t> shape(first.getShape());
  shape[dim] = 0;
  for (Value p : parts)
    shape[dim] += cast<RankedTensorType>(p.getType()).getDimSize(dim);
  auto type = RankedTensorType::get(shape, first.getElementType());

  SmallVector<RawElements> constants;
  for (Value p : parts) {
    std::optional<RawElements> raw = rawElements(p);
    if (!raw)
      break;
    constants.push_back(*raw);
  }
  if (constants.size() == parts.size() && type.hasStaticShape()) {
    // Row-major: the concatenated tensor interleaves the parts' blocks of
    // `inner` contiguous elements, copied as bytes.
    int64_t outer = 1;
    for (int64_t i = 0; i < dim; ++i)
      outer *= shape[i];
    size_t width = constants.front().width();
    std::vector<char> bytes;
    bytes.reserve(type.getNumElements() * width);
    for (int64_t o = 0; o < outer; ++o)
      for (const RawElements &src : constants) {
        int64_t inner = src.size() / outer;
        for (int64_t i = o * inner; i < (o + 1) * inner; ++i)
          bytes.insert(bytes.end(), src.at(i), src.at(i) + width);
      }
    return arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(blobConstant(type, bytes)));
  }

  return tensor::ConcatOp::create(b, loc, dim, parts);
}

/// Whether `op` can be merged: static weight, at most a bias as epilogue.
bool isMergeable(LinearOp op) {
  return !op.getActivation() && !op.getResidual() &&
         op.getWeight().getType().hasStaticShape() &&
         op.getType().getElementType().isF32();
}

void mergeGroup(ArrayRef<LinearOp> group) {
  LinearOp first = group.front();
  // At the first linear: its result may be used before the others.
  OpBuilder b(first);
  Location loc = first.getLoc();
  bool kn = first.getWeightLayout() == WeightLayout::kn;
  SmallVector<Value> weights, biases;
  bool anyBias = llvm::any_of(group, [](LinearOp op) { return op.getBias(); });
  for (LinearOp op : group) {
    weights.push_back(op.getWeight());
    if (!anyBias)
      continue;
    if (Value bias = op.getBias()) {
      biases.push_back(bias);
      continue;
    }
    int64_t n = op.getType().getShape().back();
    auto type = RankedTensorType::get({n}, op.getType().getElementType());
    biases.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type,
                               b.getFloatAttr(type.getElementType(), 0))));
  }
  Value weight = concatenate(b, loc, weights, kn ? 1 : 0);
  Value bias = anyBias ? concatenate(b, loc, biases, 0) : Value();
  auto merged = LinearOp::create(b, loc, first.getInput(), weight, bias,
                                 Value(), first.getWeightLayout(),
                                 ActivationAttr(), SparsityAttr());
  b.setInsertionPointAfter(merged);
  RankedTensorType mergedType = merged.getType();
  int64_t rank = mergedType.getRank(), offset = 0;
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, loc, merged.getResult());
  SmallVector<Value> slices;
  for (LinearOp op : group) {
    int64_t n = op.getType().getShape().back();
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    offsets.back() = b.getIndexAttr(offset);
    sizes.back() = b.getIndexAttr(n);
    SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
    slices.push_back(tensor::ExtractSliceOp::create(
        b, loc, op.getType(), merged, offsets, sizes, strides));
    offset += n;
  }
  // Only now: the builder's insertion point may be the first linear.
  for (auto [i, slice] : llvm::enumerate(slices)) {
    LinearOp op = group[i];
    op.getResult().replaceAllUsesWith(slice);
    op.erase();
  }
}

struct XfMergeProjectionsPass
    : xf::impl::XfMergeProjectionsBase<XfMergeProjectionsPass> {
  void runOnOperation() override {
    // Group the mergeable linears by block, input, layout and weight
    // element type (one concatenated weight has one), in program order: a
    // merged result replaces every member, so all of them must sit in the
    // block where it is created (a linear inside an scf.for body and one
    // outside it share an input but not a dominance region).
    using Key = std::tuple<Block *, Value, int, Type>;
    llvm::MapVector<Key, SmallVector<LinearOp>> groups;
    getOperation()->walk([&](LinearOp op) {
      if (isMergeable(op))
        groups[{op->getBlock(), op.getInput(),
                static_cast<int>(op.getWeightLayout()),
                getElementTypeOrSelf(op.getWeight().getType())}]
            .push_back(op);
    });
    for (auto &[key, group] : groups) {
      // The merged op replaces the first linear, so every weight and bias
      // must be defined before it (function arguments always are).
      LinearOp first = group.front();
      auto definedBefore = [&](Value v) {
        Operation *d = v ? v.getDefiningOp() : nullptr;
        return !d || (d->getBlock() == first->getBlock() &&
                      d->isBeforeInBlock(first));
      };
      bool dominated = llvm::all_of(group, [&](LinearOp op) {
        return definedBefore(op.getWeight()) && definedBefore(op.getBias());
      });
      if (group.size() >= 2 && dominated)
        mergeGroup(group);
    }
  }
};

} // namespace
