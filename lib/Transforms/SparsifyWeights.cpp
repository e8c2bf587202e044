//===- SparsifyWeights.cpp - the xf-sparsify-weights pass -----------------===//

#include "xf/Dialect/WeightMatrix.h"
#include "xf/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstring>

namespace mlir::xf {
#define GEN_PASS_DEF_XFSPARSIFYWEIGHTS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// The per-block overhead of a block-sparse product, in rows of K: the
/// block's row index and loop, about two rows' worth of FMAs.
constexpr double kBlockOverheadRows = 2.0;
/// The cost of an unstructured (per element) product per nonzero, relative
/// to a dense multiply-add: one load of the transposed input per FMA (from
/// L2, at random rows), the index, and the transposes of the input and the
/// result; measured (bench/run --only sparse) at 90% zeros to about 3x
/// faster than dense, and no faster at 70%.
constexpr double kElementCost = 3.3;
/// The tallest block the kernels take.
constexpr int64_t kMaxBlockRows = 32;
/// The time of a 2:4 product relative to the dense one (bench/run --only
/// sparse, 768 x 3072): in prefill it pays half the multiply-adds but
/// permutes every input group (0.85 at 512 rows); a decode step (one row)
/// reads 9/16 of the dense bytes (0.5).
constexpr double kTwoOfFourPrefillCost = 0.85;
constexpr double kTwoOfFourDecodeCost = 0.5;

/// Whether `op` multiplies a single row (a decode step), as far as its
/// static shape says.
bool isSingleRow(LinearOp op) {
  auto type = cast<RankedTensorType>(op.getInput().getType());
  ArrayRef<int64_t> rows = type.getShape().drop_back();
  return llvm::all_of(rows, [](int64_t d) { return d == 1; });
}

double nonzeroFraction(const WeightMatrix &w, int64_t rows, int64_t cols) {
  int64_t blocks =
      ((w.rows() + rows - 1) / rows) * ((w.cols() + cols - 1) / cols);
  return blocks ? double(w.nonzeroBlocks(rows, cols)) / blocks : 0.0;
}

struct XfSparsifyWeightsPass
    : xf::impl::XfSparsifyWeightsBase<XfSparsifyWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threshold < 0 || threshold > 1 || blockCols < 1 ||
        !(halfDenseSpeedup > 0)) {
      getOperation()->emitError("xf-sparsify-weights: threshold must be in "
                                "[0, 1], block-cols and half-dense-speedup "
                                "positive");
      return signalPassFailure();
    }
    getOperation()->walk([&](LinearOp op) { inspect(op); });
  }

  void inspect(LinearOp op) {
    if (op.getSparsity() || !mayBecomeSparse(op.getWeight()))
      return;
    std::optional<WeightMatrix> w =
        WeightMatrix::read(op.getWeight(), op.getWeightLayout());
    if (!w || w->rows() == 0 || w->cols() == 0)
      return;
    double zeros = 1.0 - nonzeroFraction(*w, 1, 1);
    if (zeros == 0.0)
      return;
    // The sparse kernels multiply f32 values: against a 16-bit weight's
    // faster dense product every cost counts halfDenseSpeedup times.
    Type elt = getElementTypeOrSelf(op.getWeight());
    bool sixteenBit = (elt.isBF16() || elt.isF16()) && halfDenseSpeedup != 1.0;
    double perF32 = sixteenBit ? halfDenseSpeedup.getValue() : 1.0;
    // The cheapest block shape the kernels take.
    int64_t bestRows = 0;
    double bestFraction = 1.0, bestCost = 1.0;
    for (int64_t rows = 1; rows <= kMaxBlockRows; rows *= 2) {
      double fraction = nonzeroFraction(*w, rows, blockCols);
      double cost = perF32 * fraction * (rows + kBlockOverheadRows) / rows;
      if (cost < bestCost) {
        bestRows = rows;
        bestFraction = fraction;
        bestCost = cost;
      }
    }
    int64_t bestCols = blockCols;
    double density = 1.0 - zeros;
    if (perF32 * density * kElementCost < bestCost) {
      bestRows = bestCols = 1;
      bestFraction = density;
      bestCost = perF32 * density * kElementCost;
    }
    bool twoOfFour = w->isTwoOfFour();
    double twoOfFourCost =
        isSingleRow(op) ? kTwoOfFourDecodeCost : kTwoOfFourPrefillCost;
    // The 2:4 kernel stores f32 values: measured against f32 panels only
    // (bf16 ones read half the bytes already), and on whole groups.
    bool pickTwoOfFour = twoOfFour &&
                         getElementTypeOrSelf(op.getWeight()).isF32() &&
                         w->rows() >= 4 && twoOfFourCost < bestCost;
    if (pickTwoOfFour)
      bestCost = twoOfFourCost;
    bool found = bestRows || pickTwoOfFour;
    bool sparse = found && bestCost <= threshold;
    const char *verdict = !sparse         ? "stays dense"
                          : pickTwoOfFour ? "2:4 sparse"
                          : bestCols == 1 ? "unstructured sparse"
                                          : "block-sparse";
    std::string format =
        pickTwoOfFour ? std::string("2:4")
                      : llvm::formatv("blocks [{0}, {1}]: {2:f1}% nonzero",
                                      bestRows, bestCols, 100 * bestFraction)
                            .str();
    std::string choice =
        found
            ? llvm::formatv("{0}, cost {1:f3} of dense{2} {3} {4:f2}: {5}",
                            format, bestCost, sixteenBit ? " bf16" : "",
                            sparse ? "<=" : ">", threshold.getValue(), verdict)
                  .str()
            : "no sparse format is cheaper than dense: stays dense";
    op.emitRemark() << llvm::formatv(
        "xf-sparsify-weights: weight [{0} x {1}], {2:f1}% zeros, 2:4 {3}; "
        "nonzero blocks: 1x16 {4:f1}%, 4x1 {5:f1}%, 16x16 {6:f1}%; {7}",
        w->rows(), w->cols(), 100 * zeros, twoOfFour ? "yes" : "no",
        100 * nonzeroFraction(*w, 1, 16), 100 * nonzeroFraction(*w, 4, 1),
        100 * nonzeroFraction(*w, 16, 16), choice);
    if (!sparse)
      return;
    op.setSparsityAttr(
        pickTwoOfFour
            ? SparsityAttr::getTwoOfFour(op.getContext())
            : SparsityAttr::get(op.getContext(), {bestRows, bestCols}));
  }
};

} // namespace

bool xf::mayBecomeSparse(Value weight) {
  // Every format costs at least the fraction of nonzero blocks times
  // (rows + overhead) / rows, with at most kMaxBlockRows rows: it is cheaper
  // than dense only with that fraction of zeros at least (the unstructured
  // and 2:4 formats need more). Counted on the raw bits (zeros of either
  // sign), without widening the weight: xf-outline-layers asks this of
  // every constant of a model.
  std::optional<RawElements> raw = rawElements(weight);
  if (!raw || raw->type.getRank() != 2 || raw->size() == 0)
    return false;
  auto type = dyn_cast<FloatType>(raw->type.getElementType());
  if (!type || (type.getWidth() != 16 && type.getWidth() != 32))
    return false;
  size_t width = raw->width();
  uint32_t magnitude = width == 4 ? 0x7fffffffu : 0x7fffu;
  double needed =
      raw->size() * kBlockOverheadRows / (kMaxBlockRows + kBlockOverheadRows);
  int64_t zeros = 0;
  for (int64_t i = 0, e = raw->splat ? 1 : raw->size(); i < e; ++i) {
    uint32_t bits = 0;
    std::memcpy(&bits, raw->at(i), width);
    if ((bits & magnitude) == 0 && (raw->splat || ++zeros >= needed))
      return true;
  }
  return false;
}
