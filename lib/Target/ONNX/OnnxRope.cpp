//===- OnnxRope.cpp - rotary embeddings as exporters write them -----------===//
//
// LLaMA's reference code (and PyTorch's export of it) applies RoPE as
//   x * cos + cat(-x[..., D/2:], x[..., :D/2]) * sin
// with cos and sin tables of [S, D] precomputed for positions 0 .. S-1.
// When the tables hold exactly cos / sin(t * theta^(-2i / D)) for one theta,
// that is xf.rope on x, heads of D features, positions 0 .. S-1. Models that
// take position ids (Hugging Face's) gather the rows of longer tables at run
// time, cos = table[position_ids] (unsqueezed to broadcast over the heads):
// xf.rope at those positions.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "OnnxUses.h"

#include "mlir/Dialect/Traits.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

std::optional<double> mlir::xf::onnx_import::ropeTheta(DenseElementsAttr cos,
                                                       DenseElementsAttr sin,
                                                       int64_t rotaryDim) {
  ArrayRef<int64_t> shape = cos.getType().getShape();
  if (cos.getType() != sin.getType() || !cos.getElementType().isF32() ||
      shape.size() < 2 ||
      llvm::any_of(shape.drop_back(2), [](int64_t d) { return d != 1; }))
    return std::nullopt;
  int64_t s = shape[shape.size() - 2], d = shape.back(), half = rotaryDim / 2;
  if (s < 2 || rotaryDim < 4 || rotaryDim % 2 || d < 2 || d % half)
    return std::nullopt;
  SmallVector<float> c(cos.getValues<float>()), n(sin.getValues<float>());
  // Pair 1 at position 1 turns by theta^(-2 / rotaryDim).
  double step = std::atan2(n[d + 1], c[d + 1]);
  if (!(step > 0))
    return std::nullopt;
  auto matches = [&](double theta) {
    for (int64_t t = 0; t < s; ++t)
      for (int64_t i = 0; i < d; ++i) {
        double angle = t * std::pow(theta, -2.0 * (i % half) / rotaryDim);
        if (std::abs(c[t * d + i] - std::cos(angle)) > 1e-5 ||
            std::abs(n[t * d + i] - std::sin(angle)) > 1e-5)
          return false;
      }
    return true;
  };
  // The tables are f32: theta comes back within rounding of the integer
  // models use (10000, 500000), which is kept when it fits as well.
  double theta = std::pow(step, -rotaryDim / 2.0);
  if (matches(std::round(theta)))
    return std::round(theta);
  if (matches(theta))
    return theta;
  return std::nullopt;
}

namespace mlir::xf::onnx_import {

/// The rotary table behind one operand of the product: a constant, or rows
/// of a constant table [P, D] gathered at run-time indices, through
/// `unsqueezes` (last first).
struct RopeTable {
  DenseElementsAttr table;
  std::string indices;
  SmallVector<const onnx::NodeProto *> unsqueezes;
};

} // namespace mlir::xf::onnx_import

static RopeTable
ropeTable(const Uses &uses, StringRef name,
          function_ref<std::optional<DenseElementsAttr>(StringRef)> constant) {
  if (std::optional<DenseElementsAttr> c = constant(name))
    return {*c, "", {}};
  size_t at;
  SmallVector<const onnx::NodeProto *> unsqueezes;
  const onnx::NodeProto *node = uses.definer(name, at);
  while (node && node->op_type() == "Unsqueeze") {
    unsqueezes.push_back(node);
    node = uses.definer(inputName(*node, 0), at);
  }
  if (!node || node->op_type() != "Gather" || intAttr(*node, "axis", 0) != 0 ||
      !hasInput(*node, 1) || constant(inputName(*node, 1)))
    return {};
  std::optional<DenseElementsAttr> table = constant(inputName(*node, 0));
  if (!table || table->getType().getRank() != 2)
    return {};
  return {*table, inputName(*node, 1), unsqueezes};
}

bool Importer::sameView(const Uses &uses, const RopeTable &a,
                        const RopeTable &b) {
  if (a.indices != b.indices || a.unsqueezes.size() != b.unsqueezes.size())
    return false;
  auto axes = [&](const onnx::NodeProto &node) {
    if (hasInput(node, 1))
      return integersBefore(uses, inputName(node, 1));
    const onnx::AttributeProto *attr = attribute(node, "axes");
    return attr ? std::optional<SmallVector<int64_t>>(SmallVector<int64_t>(
                      attr->ints().begin(), attr->ints().end()))
                : std::nullopt;
  };
  for (auto [x, y] : llvm::zip(a.unsqueezes, b.unsqueezes)) {
    std::optional<SmallVector<int64_t>> ax = axes(*x), ay = axes(*y);
    if (!ax || ax != ay)
      return false;
  }
  return true;
}

void Importer::findRope(const Uses &uses, size_t addIndex, Patterns &patterns) {
  const onnx::NodeProto &add = uses.node(addIndex);
  if (add.op_type() != "Add" || add.input_size() != 2)
    return;
  for (int first = 0; first < 2; ++first) {
    size_t m1, m2, cat, neg, s1, s2, only;
    const onnx::NodeProto *byCos = uses.definer(inputName(add, first), m1);
    const onnx::NodeProto *bySin = uses.definer(inputName(add, 1 - first), m2);
    if (!byCos || !bySin || byCos->op_type() != "Mul" ||
        bySin->op_type() != "Mul" || byCos->input_size() != 2 ||
        bySin->input_size() != 2 ||
        !uses.onlyUser(outputName(*byCos, 0), only) ||
        !uses.onlyUser(outputName(*bySin, 0), only))
      continue;
    for (int c = 0; c < 2; ++c)
      for (int s = 0; s < 2; ++s) {
        std::string x = inputName(*byCos, 1 - c);
        auto lookup = [&](StringRef n) { return constant(n); };
        RopeTable cosTable = ropeTable(uses, inputName(*byCos, c), lookup);
        RopeTable sinTable = ropeTable(uses, inputName(*bySin, s), lookup);
        DenseElementsAttr cos = cosTable.table, sin = sinTable.table;
        // Gathered tables: the positions come from cos's view, so sin's
        // must be the same (the same Unsqueezes of the same indices).
        if (!sameView(uses, cosTable, sinTable))
          continue;
        const onnx::NodeProto *concat =
            uses.definer(inputName(*bySin, 1 - s), cat);
        if (!cos || !sin || !concat || concat->op_type() != "Concat" ||
            concat->input_size() != 2 ||
            !uses.onlyUser(outputName(*concat, 0), only))
          continue;
        std::optional<double> theta =
            ropeTheta(cos, sin, cos.getType().getShape().back());
        const onnx::NodeProto *negate =
            uses.definer(inputName(*concat, 0), neg);
        const onnx::NodeProto *low = uses.definer(inputName(*concat, 1), s2);
        const onnx::NodeProto *high =
            negate && negate->op_type() == "Neg"
                ? uses.definer(inputName(*negate, 0), s1)
                : nullptr;
        if (!theta || !low || !high || low->op_type() != "Slice" ||
            high->op_type() != "Slice" || inputName(*low, 0) != x ||
            inputName(*high, 0) != x)
          continue;
        // high = x[..., D/2 :], low = x[..., : D/2] on the last axis, as
        // the concatenation.
        int64_t d = cos.getType().getShape().back();
        auto sliceIs = [&](const onnx::NodeProto &slice, int64_t start,
                           int64_t end, int64_t &axis) {
          auto starts = integersBefore(uses, inputName(slice, 1));
          auto ends = integersBefore(uses, inputName(slice, 2));
          auto axes = integersBefore(uses, inputName(slice, 3));
          auto steps =
              inputName(slice, 4).empty()
                  ? std::optional<SmallVector<int64_t>>(SmallVector<int64_t>{1})
                  : integersBefore(uses, inputName(slice, 4));
          if (!starts || !ends || !axes || !steps || starts->size() != 1 ||
              ends->size() != 1 || axes->size() != 1 || steps->size() != 1 ||
              (*steps)[0] != 1 || (*starts)[0] != start ||
              (end == d ? (*ends)[0] < d : (*ends)[0] != end))
            return false;
          axis = (*axes)[0];
          return true;
        };
        int64_t highAxis, lowAxis, catAxis = intAttr(*concat, "axis", 0);
        if (!sliceIs(*high, d / 2, d, highAxis) ||
            !sliceIs(*low, 0, d / 2, lowAxis) || highAxis != lowAxis ||
            (catAxis != highAxis && catAxis != -1 && highAxis != -1))
          continue;
        Pattern pattern{PatternKind::Rope, x};
        pattern.theta = *theta;
        pattern.headDim = d;
        pattern.positions =
            cos.getType().getShape()[cos.getType().getRank() - 2];
        pattern.axis = catAxis == -1 ? highAxis : catAxis;
        pattern.positionIds = cosTable.indices;
        if (!cosTable.indices.empty())
          pattern.tableView = inputName(*byCos, c);
        patterns.roots[addIndex] = pattern;
        for (size_t i : {m1, m2, cat, neg, s1, s2})
          patterns.inside.insert(i);
        return;
      }
  }
}

LogicalResult Importer::importRope(const onnx::NodeProto &root,
                                   const Pattern &pattern, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  bool gathered = !pattern.positionIds.empty();
  if (rank < 2 || (pattern.axis != -1 && pattern.axis != rank - 1) ||
      type.getShape().back() != pattern.headDim ||
      (!gathered && type.getShape()[rank - 2] != pattern.positions))
    return nodeError(root, "a rotary embedding over other than the last "
                           "axis, or with tables of another shape than "
                           "[positions, features], is not supported");
  // [..., S, D]: one head of D features per row; positions 0 .. S-1, or
  // the gathered rows' indices, as the table rows broadcast to x's rows.
  Value positions;
  if (gathered) {
    FailureOr<Value> ids = named(root, pattern.positionIds);
    FailureOr<Value> view = named(root, pattern.tableView);
    if (failed(ids) || failed(view))
      return failure();
    ArrayRef<int64_t> rows = type.getShape().drop_back();
    ArrayRef<int64_t> viewRows =
        cast<RankedTensorType>(view->getType()).getShape().drop_back();
    SmallVector<int64_t> joint;
    if (!OpTrait::util::getBroadcastedShape(viewRows, rows, joint) ||
        ArrayRef<int64_t>(joint) != rows ||
        cast<RankedTensorType>(ids->getType()).getNumElements() !=
            ShapedType::getNumElements(viewRows))
      return nodeError(root, "rotary tables gathered at positions that do "
                             "not broadcast to the rotated rows");
    positions = broadcastValue(reshapeValue(*ids, viewRows), rows);
  }
  auto rope =
      RopeOp::create(builder, loc, type, x, positions, Value(),
                     builder.getI64IntegerAttr(pattern.headDim), IntegerAttr(),
                     builder.getF64FloatAttr(pattern.theta),
                     RopeStyleAttr::get(ctx, RopeStyle::half));
  if (failed(verifyBuilt(root, rope)))
    return failure();
  return define(root, rope.getResult());
}
