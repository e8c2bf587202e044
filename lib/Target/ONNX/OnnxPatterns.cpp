//===- OnnxPatterns.cpp - subgraphs that compute one xf op ----------------===//
//
// Exporters write some functions as several nodes: PyTorch's exact GELU is
// x * 0.5 * (1 + erf(x / sqrt(2))), its SiLU x * sigmoid(x), an RMSNorm
// x * (1 / sqrt(mean(x^2) + eps)) * w. They are found
// by what they compute (the constants' values, not the exporter's node
// names or order of operands) and imported as one op. Every intermediate
// value must have the pattern as its only user.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"
#include "OnnxUses.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

namespace {

bool near(std::optional<double> v, double target) {
  return v && std::abs(*v - target) <= 1e-4 * std::abs(target);
}

} // namespace

std::optional<DenseElementsAttr> Importer::constantBefore(const Uses &uses,
                                                          StringRef name) {
  if (std::optional<DenseElementsAttr> c = constant(name))
    return c;
  size_t index;
  const onnx::NodeProto *node = uses.definer(name, index);
  if (!node || node->op_type() != "Constant")
    return std::nullopt;
  for (const onnx::AttributeProto &a : node->attribute()) {
    if (a.name() == "value_float")
      return DenseElementsAttr::get(
          RankedTensorType::get({}, builder.getF32Type()), a.f());
    if (a.name() == "value")
      if (FailureOr<DenseElementsAttr> t = tensorQuiet(a.t()); succeeded(t))
        return *t;
  }
  return std::nullopt;
}

std::optional<double> Importer::scalarValue(const Uses &uses, StringRef name) {
  std::optional<DenseElementsAttr> c = constantBefore(uses, name);
  if (!c || c->getNumElements() != 1 || !c->getElementType().isF32())
    return std::nullopt;
  return static_cast<double>(*c->getValues<float>().begin());
}

std::optional<SmallVector<int64_t>> Importer::integersBefore(const Uses &uses,
                                                             StringRef name) {
  std::optional<DenseElementsAttr> c = constantBefore(uses, name);
  if (!c || !c->getElementType().isInteger(64))
    return std::nullopt;
  return SmallVector<int64_t>(c->getValues<int64_t>());
}

/// The operand of a two-input node other than the one named `known`, or
/// empty when `known` is not one of them.
static std::string otherOperand(const onnx::NodeProto &node, StringRef known) {
  if (node.input_size() != 2)
    return {};
  if (inputName(node, 0) == known)
    return inputName(node, 1);
  if (inputName(node, 1) == known)
    return inputName(node, 0);
  return {};
}

Patterns Importer::findPatterns(const Nodes &nodes,
                                ArrayRef<std::string> outputs) {
  Uses uses(nodes, outputs);
  Patterns patterns;
  auto isScalar = [&](StringRef name, double value) {
    return near(scalarValue(uses, name), value);
  };
  for (auto [i, node] : llvm::enumerate(nodes)) {
    if (node.op_type() == "Pow") {
      findRmsNorm(uses, i, patterns);
      continue;
    }
    if (node.op_type() == "Add") {
      findRope(uses, i, patterns);
      continue;
    }
    // x * sigmoid(x)
    if (node.op_type() == "Sigmoid" && node.input_size() == 1) {
      size_t m;
      const onnx::NodeProto *mul = uses.onlyUser(outputName(node, 0), m);
      if (mul && mul->op_type() == "Mul" &&
          otherOperand(*mul, outputName(node, 0)) == inputName(node, 0)) {
        patterns.roots[m] = {PatternKind::Silu, inputName(node, 0)};
        patterns.inside.insert(i);
      }
      continue;
    }
    // x * 0.5 * (1 + erf(x / sqrt(2))), the products in any order.
    if (node.op_type() != "Erf" || node.input_size() != 1)
      continue;
    size_t d, a, m1, m2, only;
    const onnx::NodeProto *scale = uses.definer(inputName(node, 0), d);
    if (!scale || !uses.onlyUser(inputName(node, 0), only))
      continue;
    std::string x;
    if (scale->op_type() == "Div" &&
        isScalar(inputName(*scale, 1), std::sqrt(2.0)))
      x = inputName(*scale, 0);
    else if (scale->op_type() == "Mul")
      for (int k = 0; k < 2 && x.empty(); ++k)
        if (isScalar(inputName(*scale, k), std::sqrt(0.5)))
          x = inputName(*scale, 1 - k);
    const onnx::NodeProto *add = uses.onlyUser(outputName(node, 0), a);
    if (x.empty() || !add || add->op_type() != "Add" ||
        !isScalar(otherOperand(*add, outputName(node, 0)), 1.0))
      continue;
    const onnx::NodeProto *first = uses.onlyUser(outputName(*add, 0), m1);
    if (!first || first->op_type() != "Mul")
      continue;
    std::string factor = otherOperand(*first, outputName(*add, 0));
    llvm::SmallVector<size_t> inside = {d, i, a};
    size_t root = m1, h;
    const onnx::NodeProto *half = uses.definer(factor, h);
    if (half && half->op_type() == "Mul" && uses.onlyUser(factor, h) &&
        !otherOperand(*half, x).empty() &&
        isScalar(otherOperand(*half, x), 0.5)) {
      inside.push_back(h); // (1 + erf) * (x * 0.5)
    } else {
      const onnx::NodeProto *second = uses.onlyUser(outputName(*first, 0), m2);
      if (!second || second->op_type() != "Mul")
        continue;
      std::string last = otherOperand(*second, outputName(*first, 0));
      if (!((factor == x && isScalar(last, 0.5)) ||
            (isScalar(factor, 0.5) && last == x)))
        continue;
      inside.push_back(m1);
      root = m2;
    }
    patterns.roots[root] = {PatternKind::GeluErf, x};
    patterns.inside.insert(inside.begin(), inside.end());
  }
  return patterns;
}

void Importer::findRmsNorm(const Uses &uses, size_t pow, Patterns &patterns) {
  const onnx::NodeProto &square = uses.node(pow);
  auto isScalar = [&](StringRef name, double value) {
    return near(scalarValue(uses, name), value);
  };
  if (square.input_size() != 2 || !isScalar(inputName(square, 1), 2.0))
    return;
  std::string x = inputName(square, 0);
  size_t m, a, r, s, n1, n2;
  const onnx::NodeProto *mean = uses.onlyUser(outputName(square, 0), m);
  if (!mean || mean->op_type() != "ReduceMean" ||
      intAttr(*mean, "keepdims", 1) != 1)
    return;
  // Over the last axis only (an attribute up to opset 17, an input after).
  std::optional<SmallVector<int64_t>> axes =
      mean->input_size() > 1 ? integersBefore(uses, inputName(*mean, 1))
                             : std::nullopt;
  if (const onnx::AttributeProto *attr = attribute(*mean, "axes"))
    axes.emplace(attr->ints().begin(), attr->ints().end());
  std::optional<RankedTensorType> type;
  if (Value v = values.lookup(x))
    type = cast<RankedTensorType>(v.getType());
  int64_t last = type ? type->getRank() - 1 : -1;
  if (!axes || axes->size() != 1 ||
      ((*axes)[0] != -1 && (!type || (*axes)[0] != last)))
    return;
  const onnx::NodeProto *add = uses.onlyUser(outputName(*mean, 0), a);
  if (!add || add->op_type() != "Add")
    return;
  std::optional<double> epsilon =
      scalarValue(uses, otherOperand(*add, outputName(*mean, 0)));
  const onnx::NodeProto *root = uses.onlyUser(outputName(*add, 0), s);
  if (!epsilon || *epsilon < 0 || !root || root->op_type() != "Sqrt")
    return;
  const onnx::NodeProto *inverse = uses.onlyUser(outputName(*root, 0), r);
  if (!inverse || !(inverse->op_type() == "Reciprocal" ||
                    (inverse->op_type() == "Div" &&
                     inputName(*inverse, 1) == outputName(*root, 0) &&
                     isScalar(inputName(*inverse, 0), 1.0))))
    return;
  const onnx::NodeProto *scaled = uses.onlyUser(outputName(*inverse, 0), n1);
  if (!scaled || scaled->op_type() != "Mul" ||
      otherOperand(*scaled, outputName(*inverse, 0)) != x)
    return;
  Pattern pattern{PatternKind::RmsNorm, x, "", *epsilon};
  size_t rootIndex = n1;
  llvm::SmallVector<size_t> inside = {pow, m, a, s, r};
  // An optional weight: a constant [D] the normalized rows are scaled by.
  const onnx::NodeProto *weighted = uses.onlyUser(outputName(*scaled, 0), n2);
  if (weighted && weighted->op_type() == "Mul") {
    std::string w = otherOperand(*weighted, outputName(*scaled, 0));
    std::optional<DenseElementsAttr> c = constant(w);
    if (c && c->getType().getRank() == 1) {
      pattern.weight = w;
      inside.push_back(n1);
      rootIndex = n2;
    }
  }
  patterns.roots[rootIndex] = pattern;
  patterns.inside.insert(inside.begin(), inside.end());
}

LogicalResult Importer::importPattern(const onnx::NodeProto &root,
                                      const Pattern &pattern) {
  Value x = values.lookup(pattern.input);
  if (!x)
    return nodeError(root,
                     "input '" + pattern.input + "' is not defined before it");
  if (pattern.kind == PatternKind::Rope)
    return importRope(root, pattern, x);
  if (pattern.kind == PatternKind::RmsNorm) {
    auto type = cast<RankedTensorType>(x.getType());
    Value weight;
    if (pattern.weight.empty()) {
      weight = arith::ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(RankedTensorType::get({type.getShape().back()},
                                                       type.getElementType()),
                                 1.0f));
    } else {
      FailureOr<Value> w = named(root, pattern.weight);
      if (failed(w))
        return failure();
      weight = *w;
    }
    auto norm = RmsNormOp::create(builder, loc, type, x, weight,
                                  builder.getF64FloatAttr(pattern.epsilon));
    if (failed(verifyBuilt(root, norm)))
      return failure();
    return define(root, norm.getResult());
  }
  Operation *op =
      pattern.kind == PatternKind::Silu
          ? SiluOp::create(builder, loc, x.getType(), x).getOperation()
          : GeluOp::create(
                builder, loc, x.getType(), x,
                GeluApproximationAttr::get(ctx, GeluApproximation::none))
                .getOperation();
  return define(root, op->getResult(0));
}
