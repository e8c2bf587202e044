//===- Prune.cpp - the xf-prune pass --------------------------------------===//

#include "xf/Dialect/WeightMatrix.h"
#include "xf/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlir::xf {
#define GEN_PASS_DEF_XFPRUNE
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Zeroes the `count` entries of smallest score (ties by position) through
/// `zero(i)`.
void zeroSmallest(ArrayRef<double> scores, int64_t count,
                  function_ref<void(int64_t)> zero) {
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  auto less = [&](int64_t a, int64_t b) {
    return scores[a] != scores[b] ? scores[a] < scores[b] : a < b;
  };
  count = std::clamp<int64_t>(count, 0, order.size());
  std::nth_element(order.begin(), order.begin() + count, order.end(), less);
  for (int64_t i = 0; i < count; ++i)
    zero(order[i]);
}

struct XfPrunePass : xf::impl::XfPruneBase<XfPrunePass> {
  using Base::Base;

  void runOnOperation() override {
    if (sparsity < 0 || sparsity > 1 || blockRows < 1 || blockCols < 1 ||
        (pattern != "unstructured" && pattern != "2:4" &&
         pattern != "blocks")) {
      getOperation()->emitError(
          "xf-prune: sparsity must be in [0, 1], pattern unstructured, 2:4 "
          "or blocks, block sizes positive");
      return signalPassFailure();
    }
    getOperation()->walk([&](Operation *op) {
      WeightLayout layout;
      for (OpOperand *weight : weightOperands(op, layout))
        prune(op, *weight, layout);
    });
  }

  /// The linear weights among `op`'s operands, and their layout.
  static SmallVector<OpOperand *> weightOperands(Operation *op,
                                                 WeightLayout &layout) {
    SmallVector<OpOperand *> weights;
    auto optional = [&](MutableOperandRange range) {
      for (unsigned i = 0; i < range.size(); ++i)
        weights.push_back(&range[i]);
    };
    if (auto linear = dyn_cast<LinearOp>(op)) {
      layout = linear.getWeightLayout();
      weights.push_back(&linear.getWeightMutable());
    } else if (auto mlp = dyn_cast<MlpOp>(op)) {
      layout = mlp.getWeightLayout();
      weights = {&mlp.getUpWeightMutable(), &mlp.getDownWeightMutable()};
      optional(mlp.getGateWeightMutable());
    } else if (auto block = dyn_cast<BlockOp>(op)) {
      layout = block.getWeightLayout();
      weights = {&block.getQWeightMutable(),  &block.getKWeightMutable(),
                 &block.getVWeightMutable(),  &block.getOWeightMutable(),
                 &block.getUpWeightMutable(), &block.getDownWeightMutable()};
      optional(block.getGateWeightMutable());
    }
    return weights;
  }

  void prune(Operation *user, OpOperand &operand, WeightLayout layout) {
    std::optional<WeightMatrix> w = WeightMatrix::read(operand.get(), layout);
    if (!w)
      return;
    int64_t k = w->rows(), n = w->cols();
    if (pattern == "2:4") {
      for (int64_t c = 0; c < n; ++c)
        for (int64_t r0 = 0; r0 < k; r0 += 4) {
          int64_t size = std::min<int64_t>(4, k - r0);
          SmallVector<double> scores;
          for (int64_t r = r0; r < r0 + size; ++r)
            scores.push_back(std::fabs(w->at(r, c)));
          zeroSmallest(scores, size - std::min<int64_t>(size, 2),
                       [&](int64_t i) { w->at(r0 + i, c) = 0.0f; });
        }
    } else if (pattern == "blocks") {
      int64_t rowBlocks = (k + blockRows - 1) / blockRows;
      int64_t colBlocks = (n + blockCols - 1) / blockCols;
      std::vector<double> scores(rowBlocks * colBlocks, 0.0);
      for (int64_t r = 0; r < k; ++r)
        for (int64_t c = 0; c < n; ++c)
          scores[(r / blockRows) * colBlocks + c / blockCols] +=
              std::fabs(w->at(r, c));
      zeroSmallest(scores, std::llround(sparsity * scores.size()),
                   [&](int64_t b) {
                     int64_t br = b / colBlocks, bc = b % colBlocks;
                     for (int64_t r = br * blockRows;
                          r < std::min(k, (br + 1) * blockRows); ++r)
                       for (int64_t c = bc * blockCols;
                            c < std::min(n, (bc + 1) * blockCols); ++c)
                         w->at(r, c) = 0.0f;
                   });
    } else {
      std::vector<double> scores(k * n);
      for (int64_t r = 0; r < k; ++r)
        for (int64_t c = 0; c < n; ++c)
          scores[r * n + c] = std::fabs(w->at(r, c));
      zeroSmallest(scores, std::llround(sparsity * scores.size()),
                   [&](int64_t i) { w->at(i / n, i % n) = 0.0f; });
    }
    OpBuilder b(user);
    Operation *dense = operand.get().getDefiningOp();
    auto type = cast<ShapedType>(operand.get().getType());
    operand.set(arith::ConstantOp::create(b, dense->getLoc(),
                                          cast<TypedAttr>(w->toAttr(type))));
    // Large models: the dense copy goes as soon as nothing reads it.
    if (dense->use_empty())
      dense->erase();
  }
};

} // namespace
