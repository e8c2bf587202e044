//===- OnnxNodes.cpp - ONNX nodes as xf ops -------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

namespace {

RankedTensorType rankedType(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

} // namespace

LogicalResult Importer::verifyBuilt(const onnx::NodeProto &node,
                                    Operation *op) {
  std::string message;
  {
    ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &d) {
      if (message.empty())
        message = d.str();
      return success();
    });
    if (succeeded(verify(op)))
      return success();
  }
  op->erase();
  return nodeError(node, message);
}

LogicalResult Importer::importNode(const onnx::NodeProto &node) {
  auto function = functions.find({node.domain(), node.op_type()});
  if (function != functions.end())
    return importCall(node, *function->second);
  if (node.domain() == "com.microsoft")
    return importContrib(node);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return nodeError(node, "domain '" + node.domain() + "' is not supported");
  using Handler = LogicalResult (Importer::*)(const onnx::NodeProto &);
  Handler handler =
      llvm::StringSwitch<Handler>(node.op_type())
          .Case("Constant", &Importer::importConstant)
          .Case("MatMul", &Importer::importMatMul)
          .Case("Gemm", &Importer::importGemm)
          .Cases({"Add", "Sub", "Mul", "Div"}, &Importer::importBinary)
          .Case("LayerNormalization", &Importer::importLayerNorm)
          .Case("Softmax", &Importer::importSoftmax)
          .Cases({"Relu", "Gelu", "Identity"}, &Importer::importUnary)
          .Case("Transpose", &Importer::importTranspose)
          .Case("Shape", &Importer::importShape)
          .Case("Gather", &Importer::importGather)
          .Cases({"Unsqueeze", "Squeeze"}, &Importer::importUnsqueeze)
          .Case("Concat", &Importer::importConcat)
          .Case("Reshape", &Importer::importReshape)
          .Case("Slice", &Importer::importSlice)
          .Case("Split", &Importer::importSplit)
          .Case("ConstantOfShape", &Importer::importConstantOfShape)
          .Case("Equal", &Importer::importIntegerSelect)
          .Case("Where", &Importer::importWhere)
          .Case("Cast", &Importer::importCast)
          .Case("Expand", &Importer::importExpand)
          .Case("Neg", &Importer::importNeg)
          .Default(nullptr);
  if (!handler)
    return nodeError(node, "unsupported op");
  return (this->*handler)(node);
}

LogicalResult Importer::importConstant(const onnx::NodeProto &node) {
  if (node.output_size() != 1)
    return nodeError(node, "expects one output");
  if (const onnx::AttributeProto *value = attribute(node, "value")) {
    FailureOr<DenseElementsAttr> attr =
        tensor(value->t(), "node '" + node.name() + "' (Constant)");
    if (failed(attr))
      return failure();
    constants[outputName(node, 0)] = *attr;
    return success();
  }
  if (const onnx::AttributeProto *value = attribute(node, "value_float")) {
    constants[outputName(node, 0)] = DenseElementsAttr::get(
        RankedTensorType::get({}, builder.getF32Type()), value->f());
    return success();
  }
  return nodeError(node, "only 'value' and 'value_float' constants are "
                         "supported");
}

template <typename OpTy, typename... Args>
FailureOr<Value> Importer::build(const onnx::NodeProto &node, Type resultType,
                                 Args &&...args) {
  auto op = OpTy::create(builder, loc, resultType, std::forward<Args>(args)...);
  if (failed(verifyBuilt(node, op)))
    return failure();
  return op->getResult(0);
}

LogicalResult Importer::importTranspose(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  int64_t rank = rankedType(*x).getRank();
  SmallVector<int64_t> perm;
  if (const onnx::AttributeProto *p = attribute(node, "perm"))
    perm.assign(p->ints().begin(), p->ints().end());
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  // The size check stands apart from the loop: a rank-0 input has no axes
  // to permute, whatever perm holds.
  if (static_cast<int64_t>(sorted.size()) != rank ||
      llvm::any_of(llvm::enumerate(sorted), [](auto p) {
        return static_cast<int64_t>(p.index()) != p.value();
      }))
    return nodeError(node, "perm is not a permutation of the axes");
  // A permutation that ends by swapping two axes is another one followed
  // by a swap of the last two axes, which stays a view that a MatMul reads
  // as it is (keys as [..., S, D] for q k^T); other readers get the swap
  // materialized (input()).
  if (rank >= 2 && perm[rank - 2] > perm[rank - 1]) {
    std::swap(perm[rank - 2], perm[rank - 1]);
    transposed[outputName(node, 0)] = transposeValue(*x, perm);
    return success();
  }
  return define(node, transposeValue(*x, perm));
}

LogicalResult Importer::importMatMul(const onnx::NodeProto &node) {
  // An operand transposed in its last two axes is read as it is.
  bool transA = false, transB = false;
  auto operand = [&](int i, bool &trans) -> FailureOr<Value> {
    if (i < node.input_size())
      if (Value v = transposed.lookup(inputName(node, i))) {
        trans = true;
        return v;
      }
    return input(node, i);
  };
  FailureOr<Value> a = operand(0, transA), b = operand(1, transB);
  if (failed(a) || failed(b))
    return failure();
  auto at = rankedType(*a), bt = rankedType(*b);
  if (at.getRank() < 2 || bt.getRank() < 2)
    return nodeError(node, "1-D operands are not supported");
  FailureOr<Value> result;
  SmallVector<int64_t> shape(at.getShape());
  if (!transA && !transB && bt.getRank() == 2 &&
      isConstant(inputName(node, 1))) {
    // A product with a constant matrix is a linear layer.
    shape.back() = bt.getDimSize(1);
    result = build<LinearOp>(node, at.clone(shape), *a, *b, Value(), Value(),
                             WeightLayoutAttr::get(ctx, WeightLayout::kn),
                             ActivationAttr(), SparsityAttr());
  } else {
    SmallVector<int64_t> batch;
    if (!OpTrait::util::getBroadcastedShape(at.getShape().drop_back(2),
                                            bt.getShape().drop_back(2), batch))
      return nodeError(node, "batch dimensions " + shapeString(at.getShape()) +
                                 " and " + shapeString(bt.getShape()) +
                                 " do not broadcast");
    batch.append({at.getShape()[at.getRank() - (transA ? 1 : 2)],
                  bt.getShape()[bt.getRank() - (transB ? 2 : 1)]});
    UnitAttr unit = builder.getUnitAttr();
    result =
        build<MatmulOp>(node, at.clone(batch), *a, *b,
                        transA ? unit : UnitAttr(), transB ? unit : UnitAttr());
  }
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importGemm(const onnx::NodeProto &node) {
  if (intAttr(node, "transA", 0) != 0 || floatAttr(node, "alpha", 1) != 1 ||
      floatAttr(node, "beta", 1) != 1)
    return nodeError(node, "transA, alpha and beta other than 0, 1, 1 are not "
                           "supported");
  FailureOr<Value> a = input(node, 0), b = input(node, 1);
  if (failed(a) || failed(b))
    return failure();
  auto at = rankedType(*a), bt = rankedType(*b);
  if (at.getRank() != 2 || bt.getRank() != 2)
    return nodeError(node, "expects 2-D A and B");
  bool transB = intAttr(node, "transB", 0) != 0;
  Value bias;
  if (node.input_size() > 2 && !inputName(node, 2).empty()) {
    FailureOr<Value> c = input(node, 2);
    if (failed(c))
      return failure();
    if (rankedType(*c).getRank() != 1)
      return nodeError(node, "a bias C other than 1-D [N] is not supported");
    bias = *c;
  }
  int64_t n = bt.getDimSize(transB ? 0 : 1);
  FailureOr<Value> result = build<LinearOp>(
      node, at.clone({at.getDimSize(0), n}), *a, *b, bias, Value(),
      WeightLayoutAttr::get(ctx, transB ? WeightLayout::nk : WeightLayout::kn),
      ActivationAttr(), SparsityAttr());
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importBinary(const onnx::NodeProto &node) {
  // Integer arithmetic on constants: shape computations, folded.
  std::optional<SmallVector<int64_t>> x = intValues(inputName(node, 0));
  std::optional<SmallVector<int64_t>> y =
      node.input_size() > 1 ? intValues(inputName(node, 1)) : std::nullopt;
  if (x && y) {
    if (x->size() != y->size() && x->size() != 1 && y->size() != 1)
      return nodeError(node, "integer constants of sizes " + Twine(x->size()) +
                                 " and " + Twine(y->size()) +
                                 " do not broadcast");
    StringRef op = node.op_type();
    size_t n = std::max(x->size(), y->size());
    SmallVector<int64_t> result;
    for (size_t i = 0; i < n; ++i) {
      int64_t l = (*x)[x->size() == 1 ? 0 : i],
              r = (*y)[y->size() == 1 ? 0 : i];
      if (op == "Div" && r == 0)
        return nodeError(node, "integer division by zero");
      int64_t v;
      bool overflow = op == "Add"   ? llvm::AddOverflow(l, r, v)
                      : op == "Sub" ? llvm::SubOverflow(l, r, v)
                      : op == "Mul" ? llvm::MulOverflow(l, r, v)
                                    : (l == INT64_MIN && r == -1);
      if (overflow)
        return nodeError(node, "integer overflow");
      result.push_back(op == "Div" ? l / r : v);
    }
    auto bigger = x->size() >= y->size() ? constant(inputName(node, 0))
                                         : constant(inputName(node, 1));
    constants[outputName(node, 0)] = DenseElementsAttr::get(
        RankedTensorType::get(bigger->getType().getShape(),
                              builder.getI64Type()),
        ArrayRef<int64_t>(result));
    return success();
  }
  FailureOr<Value> a = input(node, 0);
  if (failed(a))
    return failure();
  StringRef op = node.op_type();
  Value b;
  if (op == "Sub" || op == "Div") {
    // x - c and x / c with a constant c: x + (-c) and x * (1 / c).
    std::optional<DenseElementsAttr> c = constant(inputName(node, 1));
    if (!c || !c->getElementType().isF32())
      return nodeError(node, "only a constant f32 right operand is supported");
    bool sub = op == "Sub";
    DenseElementsAttr flipped =
        c->mapValues(c->getElementType(), [&](const APFloat &v) {
          float f = v.convertToFloat();
          return APFloat(sub ? -f : 1.0f / f).bitcastToAPInt();
        });
    b = arith::ConstantOp::create(builder, loc, flipped);
  } else {
    FailureOr<Value> rhs = input(node, 1);
    if (failed(rhs))
      return failure();
    b = *rhs;
  }
  auto at = rankedType(*a), bt = rankedType(b);
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(at.getShape(), bt.getShape(), shape))
    return nodeError(node, "shapes " + shapeString(at.getShape()) + " and " +
                               shapeString(bt.getShape()) +
                               " do not broadcast");
  Type type = at.clone(shape);
  FailureOr<Value> result = op == "Add" || op == "Sub"
                                ? build<AddOp>(node, type, *a, b)
                                : build<MulOp>(node, type, *a, b);
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importLayerNorm(const onnx::NodeProto &node) {
  for (int i = 1; i < node.output_size(); ++i)
    if (!outputName(node, i).empty())
      return nodeError(node, "the Mean and InvStdDev outputs are not "
                             "supported");
  FailureOr<Value> x = input(node, 0), scale = input(node, 1);
  if (failed(x) || failed(scale))
    return failure();
  int64_t rank = rankedType(*x).getRank(), axis = intAttr(node, "axis", -1);
  if (axis != -1 && axis != rank - 1)
    return nodeError(node, "normalization over more than the last axis is "
                           "not supported");
  Value bias;
  if (node.input_size() > 2 && !inputName(node, 2).empty()) {
    FailureOr<Value> b = input(node, 2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  FailureOr<Value> result = build<LayerNormOp>(
      node, x->getType(), *x, *scale, bias,
      builder.getF64FloatAttr(floatAttr(node, "epsilon", 1e-5f)));
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importSoftmax(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  // Before opset 13 the axis (default 1) splits the input into a 2-D
  // matrix whose rows are normalized: the same only for the last axis.
  int64_t rank = rankedType(*x).getRank();
  FailureOr<int64_t> axis =
      axisOf(node, intAttr(node, "axis", opset >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  if (opset < 13 && *axis != rank - 1)
    return nodeError(node, "a softmax over several trailing axes (opset " +
                               Twine(opset) + ") is not supported");
  FailureOr<Value> result = build<SoftmaxOp>(node, x->getType(), *x,
                                             builder.getI64IntegerAttr(*axis));
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importNeg(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  Value minusOne = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({}, builder.getF32Type()),
                             -1.0f));
  FailureOr<Value> result = build<MulOp>(node, x->getType(), *x, minusOne);
  return failed(result) ? failure() : define(node, *result);
}

LogicalResult Importer::importUnary(const onnx::NodeProto &node) {
  // An Identity of a constant (exporters share equal initializers so) is
  // that constant: a weight read through it is still a constant weight.
  if (node.op_type() == "Identity" && node.input_size() == 1)
    if (std::optional<DenseElementsAttr> c = constant(inputName(node, 0))) {
      constants[outputName(node, 0)] = *c;
      return success();
    }
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  StringRef op = node.op_type();
  if (op == "Identity")
    return define(node, *x);
  FailureOr<Value> result;
  if (op == "Relu") {
    result = build<ReluOp>(node, x->getType(), *x);
  } else {
    const onnx::AttributeProto *approx = attribute(node, "approximate");
    bool tanh = approx && approx->s() == "tanh";
    if (approx && !tanh && approx->s() != "none")
      return nodeError(node, "approximate '" + approx->s() + "' is unknown");
    result = build<GeluOp>(
        node, x->getType(), *x,
        GeluApproximationAttr::get(ctx, tanh ? GeluApproximation::tanh
                                             : GeluApproximation::none));
  }
  return failed(result) ? failure() : define(node, *result);
}
