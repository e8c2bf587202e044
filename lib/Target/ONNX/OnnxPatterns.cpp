//===- OnnxPatterns.cpp - subgraphs that compute one xf op ----------------===//
//
// Exporters write some functions as several nodes: PyTorch's exact GELU is
// x * 0.5 * (1 + erf(x / sqrt(2))), its SiLU x * sigmoid(x). They are found
// by what they compute (the constants' values, not the exporter's node
// names or order of operands) and imported as one op. Every intermediate
// value must have the pattern as its only user.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

/// The graph's def-use structure by value name.
struct mlir::xf::onnx_import::Uses {
  explicit Uses(const onnx::GraphProto &graph) : graph(graph) {
    for (auto [i, node] : llvm::enumerate(graph.node())) {
      for (const std::string &out : node.output())
        producer[out] = i;
      for (const std::string &in : node.input())
        users[in].push_back(i);
    }
    for (const onnx::ValueInfoProto &out : graph.output())
      users[out.name()].push_back(SIZE_MAX); // read by the caller
  }

  /// The node that reads `value` and nothing else does.
  const onnx::NodeProto *onlyUser(StringRef value, size_t &index) const {
    auto it = users.find(value);
    if (it == users.end() || it->second.size() != 1 ||
        it->second[0] == SIZE_MAX)
      return nullptr;
    index = it->second[0];
    return &graph.node(index);
  }
  const onnx::NodeProto *definer(StringRef value, size_t &index) const {
    auto it = producer.find(value);
    if (it == producer.end())
      return nullptr;
    index = it->second;
    return &graph.node(index);
  }

  const onnx::GraphProto &graph;
  llvm::StringMap<size_t> producer;
  llvm::StringMap<SmallVector<size_t>> users;
};

namespace {

bool near(std::optional<double> v, double target) {
  return v && std::abs(*v - target) <= 1e-4 * std::abs(target);
}

} // namespace

std::optional<double> Importer::scalarValue(const Uses &uses, StringRef name) {
  if (std::optional<double> v = scalar(name))
    return v;
  size_t index;
  const onnx::NodeProto *node = uses.definer(name, index);
  if (!node || node->op_type() != "Constant")
    return std::nullopt;
  for (const onnx::AttributeProto &a : node->attribute()) {
    if (a.name() == "value_float")
      return a.f();
    if (a.name() == "value" && a.t().data_type() == onnx::TensorProto::FLOAT) {
      FailureOr<DenseElementsAttr> t = tensorQuiet(a.t());
      if (succeeded(t) && t->getNumElements() == 1)
        return static_cast<double>(*t->getValues<float>().begin());
    }
  }
  return std::nullopt;
}

/// The operand of a two-input node other than the one named `known`, or
/// empty when `known` is not one of them.
static std::string otherOperand(const onnx::NodeProto &node, StringRef known) {
  if (node.input_size() != 2)
    return {};
  if (node.input(0) == known)
    return node.input(1);
  if (node.input(1) == known)
    return node.input(0);
  return {};
}

Patterns Importer::findPatterns(const onnx::GraphProto &graph) {
  Uses uses(graph);
  Patterns patterns;
  auto isScalar = [&](StringRef name, double value) {
    return near(scalarValue(uses, name), value);
  };
  for (auto [i, node] : llvm::enumerate(graph.node())) {
    // x * sigmoid(x)
    if (node.op_type() == "Sigmoid" && node.input_size() == 1) {
      size_t m;
      const onnx::NodeProto *mul = uses.onlyUser(node.output(0), m);
      if (mul && mul->op_type() == "Mul" &&
          otherOperand(*mul, node.output(0)) == node.input(0)) {
        patterns.roots[m] = {PatternKind::Silu, node.input(0)};
        patterns.inside.insert(i);
      }
      continue;
    }
    // x * 0.5 * (1 + erf(x / sqrt(2))), the products in any order.
    if (node.op_type() != "Erf" || node.input_size() != 1)
      continue;
    size_t d, a, m1, m2, only;
    const onnx::NodeProto *scale = uses.definer(node.input(0), d);
    if (!scale || !uses.onlyUser(node.input(0), only))
      continue;
    std::string x;
    if (scale->op_type() == "Div" && isScalar(scale->input(1), std::sqrt(2.0)))
      x = scale->input(0);
    else if (scale->op_type() == "Mul")
      for (int k = 0; k < 2 && x.empty(); ++k)
        if (isScalar(scale->input(k), std::sqrt(0.5)))
          x = scale->input(1 - k);
    const onnx::NodeProto *add = uses.onlyUser(node.output(0), a);
    if (x.empty() || !add || add->op_type() != "Add" ||
        !isScalar(otherOperand(*add, node.output(0)), 1.0))
      continue;
    const onnx::NodeProto *first = uses.onlyUser(add->output(0), m1);
    if (!first || first->op_type() != "Mul")
      continue;
    std::string factor = otherOperand(*first, add->output(0));
    llvm::SmallVector<size_t> inside = {d, i, a};
    size_t root = m1, h;
    const onnx::NodeProto *half = uses.definer(factor, h);
    if (half && half->op_type() == "Mul" && uses.onlyUser(factor, h) &&
        !otherOperand(*half, x).empty() &&
        isScalar(otherOperand(*half, x), 0.5)) {
      inside.push_back(h); // (1 + erf) * (x * 0.5)
    } else {
      const onnx::NodeProto *second = uses.onlyUser(first->output(0), m2);
      if (!second || second->op_type() != "Mul")
        continue;
      std::string last = otherOperand(*second, first->output(0));
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

LogicalResult Importer::importPattern(const onnx::NodeProto &root,
                                      const Pattern &pattern) {
  Value x = values.lookup(pattern.input);
  if (!x)
    return nodeError(root,
                     "input '" + pattern.input + "' is not defined before it");
  Operation *op =
      pattern.kind == PatternKind::Silu
          ? SiluOp::create(builder, loc, x.getType(), x).getOperation()
          : GeluOp::create(
                builder, loc, x.getType(), x,
                GeluApproximationAttr::get(ctx, GeluApproximation::none))
                .getOperation();
  return define(root, op->getResult(0));
}
