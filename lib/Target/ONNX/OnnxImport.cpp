//===- OnnxImport.cpp - ONNX models into the xf dialect -------------------===//
//
// The graph's inputs become the arguments of one function, its initializers
// constants (from their raw buffers), its nodes xf ops in graph order. A few
// subgraphs that exporters write for one function (GELU through erf, SiLU
// through a sigmoid) are recognized by what they compute (OnnxPatterns.cpp).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

//===----------------------------------------------------------------------===//
// Tensors and types
//===----------------------------------------------------------------------===//

Type onnx_import::elementType(MLIRContext *ctx, int32_t onnxType) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::INT64:
    return IntegerType::get(ctx, 64);
  case onnx::TensorProto::INT32:
    return IntegerType::get(ctx, 32);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(ctx, 1);
  default:
    return {};
  }
}

FailureOr<RankedTensorType> Importer::tensorType(const onnx::TensorProto &t,
                                                 const Twine &what) {
  Type element = elementType(ctx, t.data_type());
  if (!element)
    return fail(what + ": element type " +
                onnx::TensorProto::DataType_Name(
                    static_cast<onnx::TensorProto::DataType>(t.data_type())) +
                " is not supported (float, int64, int32, bool are)");
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return fail(what + ": external data is not supported");
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d))
      return fail(what + ": invalid dimension " + Twine(d));
    shape.push_back(d);
    count *= d;
  }
  return RankedTensorType::get(shape, element);
}

FailureOr<std::pair<RankedTensorType, ArrayRef<char>>>
Importer::tensorBytes(const onnx::TensorProto &t, const Twine &what) {
  FailureOr<RankedTensorType> type = tensorType(t, what);
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  size_t width = element.getIntOrFloatBitWidth() / 8;
  auto view = [&](const char *data, size_t bytes)
      -> FailureOr<std::pair<RankedTensorType, ArrayRef<char>>> {
    size_t expected = type->getNumElements() * width;
    if (bytes != expected)
      return fail(what + ": " + Twine(bytes) + " bytes of data, expected " +
                  Twine(expected));
    return std::make_pair(*type, ArrayRef<char>(data, bytes));
  };
  if (t.has_raw_data())
    return view(t.raw_data().data(), t.raw_data().size());
  if (element.isF32())
    return view(reinterpret_cast<const char *>(t.float_data().data()),
                t.float_data_size() * sizeof(float));
  if (element.isInteger(64))
    return view(reinterpret_cast<const char *>(t.int64_data().data()),
                t.int64_data_size() * sizeof(int64_t));
  return view(reinterpret_cast<const char *>(t.int32_data().data()),
              t.int32_data_size() * sizeof(int32_t));
}

FailureOr<DenseElementsAttr> Importer::tensor(const onnx::TensorProto &t,
                                              const Twine &what) {
  FailureOr<RankedTensorType> type = tensorType(t, what);
  if (failed(type))
    return failure();
  // Bools are a byte each in raw data, an int32 each otherwise; MLIR packs
  // them in bits.
  if (type->getElementType().isInteger(1)) {
    SmallVector<bool> bits;
    if (t.has_raw_data())
      for (char c : t.raw_data())
        bits.push_back(c != 0);
    else
      for (int32_t v : t.int32_data())
        bits.push_back(v != 0);
    if (static_cast<int64_t>(bits.size()) != type->getNumElements())
      return fail(what + ": " + Twine(bits.size()) + " bools, expected " +
                  Twine(type->getNumElements()));
    return DenseElementsAttr::get(*type, ArrayRef<bool>(bits));
  }
  auto bytes = tensorBytes(t, what);
  if (failed(bytes))
    return failure();
  return DenseElementsAttr::getFromRawBuffer(bytes->first, bytes->second);
}

FailureOr<DenseElementsAttr> Importer::tensorQuiet(const onnx::TensorProto &t) {
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
  return tensor(t, "");
}

FailureOr<RankedTensorType>
Importer::valueType(const onnx::ValueInfoProto &info) {
  std::string what = "graph value '" + info.name() + "'";
  if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
    return fail(what + ": no tensor type with a shape");
  const onnx::TypeProto::Tensor &t = info.type().tensor_type();
  Type element = elementType(ctx, t.elem_type());
  if (!element)
    return fail(what + ": element type " + Twine(t.elem_type()) +
                " is not supported (float, int64, int32, bool are)");
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &d : t.shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() < 0)
      return fail(what + ": dimension '" + d.dim_param() +
                  "' is not static; export with static shapes");
    shape.push_back(d.dim_value());
  }
  return RankedTensorType::get(shape, element);
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::input(const onnx::NodeProto &node, int i) {
  if (i >= node.input_size() || inputName(node, i).empty())
    return nodeError(node, "missing input #" + Twine(i));
  return named(node, inputName(node, i));
}

FailureOr<SmallVector<Value>> Importer::inputs(const onnx::NodeProto &node) {
  SmallVector<Value> result;
  for (int i = 0; i < node.input_size(); ++i) {
    FailureOr<Value> v = input(node, i);
    if (failed(v))
      return failure();
    result.push_back(*v);
  }
  return result;
}

FailureOr<Value> Importer::named(const onnx::NodeProto &node,
                                 const std::string &name) {
  if (Value v = values.lookup(name))
    return v;
  if (Value source = transposed.lookup(name)) {
    int64_t rank = cast<RankedTensorType>(source.getType()).getRank();
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d)
      perm.push_back(d < rank - 2 ? d : 2 * rank - 3 - d);
    Value v = transposeValue(source, perm);
    values[name] = v;
    return v;
  }
  // A weight: its blob, not its values.
  if (ElementsAttr big = largeConstant(name)) {
    Value v = arith::ConstantOp::create(builder, loc, cast<TypedAttr>(big));
    values[name] = v;
    return v;
  }
  if (std::optional<DenseElementsAttr> c = constant(name)) {
    Value v = arith::ConstantOp::create(builder, loc, *c);
    values[name] = v;
    return v;
  }
  return nodeError(node, "input '" + name + "' is not defined before it");
}

FailureOr<RankedTensorType> Importer::typeOf(const onnx::NodeProto &node,
                                             int i) {
  if (i >= node.input_size() || inputName(node, i).empty())
    return nodeError(node, "missing input #" + Twine(i));
  if (RankedTensorType type = constantType(inputName(node, i)))
    return type;
  FailureOr<Value> v = input(node, i);
  if (failed(v))
    return failure();
  return cast<RankedTensorType>(v->getType());
}

std::optional<DenseElementsAttr> Importer::constant(StringRef name) {
  auto it = constants.find(name);
  if (it != constants.end())
    return it->second;
  // A weight read for its values (a rotary table, a mask): a copy.
  std::optional<RawElements> raw = rawElements(largeConstant(name));
  if (!raw)
    return std::nullopt;
  DenseElementsAttr value = DenseElementsAttr::getFromRawBuffer(
      cast<ShapedType>(raw->type), raw->data);
  constants[name] = value;
  return value;
}

bool Importer::isConstant(StringRef name) {
  return constants.count(name) || pendingInitializers.count(name) ||
         largeInitializers.count(name);
}

RankedTensorType Importer::constantType(StringRef name) {
  if (DenseElementsAttr c = constants.lookup(name))
    return cast<RankedTensorType>(c.getType());
  if (ElementsAttr big = largeConstant(name))
    return cast<RankedTensorType>(big.getShapedType());
  return {};
}

ElementsAttr Importer::largeConstant(StringRef name) {
  if (ElementsAttr big = largeInitializers.lookup(name))
    return big;
  onnx::TensorProto *t = pendingInitializers.lookup(name);
  if (!t)
    return {};
  // Checked when the model was read.
  auto bytes = tensorBytes(*t, "initializer '" + t->name() + "'");
  ElementsAttr big = blobConstant(bytes->first, bytes->second);
  std::string().swap(*t->mutable_raw_data());
  google::protobuf::RepeatedField<float>().Swap(t->mutable_float_data());
  pendingInitializers.erase(name);
  largeInitializers[name] = big;
  return big;
}

LogicalResult Importer::define(const onnx::NodeProto &node, Value v) {
  if (node.output_size() < 1)
    return nodeError(node, "no output");
  values[outputName(node, 0)] = v;
  return success();
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

LogicalResult Importer::fail(const Twine &message) {
  emitError(loc) << message;
  return failure();
}

LogicalResult Importer::nodeError(const onnx::NodeProto &node,
                                  const Twine &reason) {
  // Exporters may leave nodes unnamed: their position names them then.
  std::string name = node.name().empty() ? "#" + std::to_string(nodeIndex)
                                         : "'" + node.name() + "'";
  return fail("node " + name + " (" + node.op_type() + "): " + reason);
}

FailureOr<int64_t> Importer::axisOf(const onnx::NodeProto &node, int64_t axis,
                                    int64_t rank) {
  if (std::optional<int64_t> d = normalizeAxis(axis, rank))
    return *d;
  return nodeError(node, "axis " + Twine(axis) + " is out of range");
}

OwningOpRef<ModuleOp> Importer::run(onnx::ModelProto &model,
                                    const OnnxImportOptions &options) {
  onnx::GraphProto &graph = *model.mutable_graph();
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opset = set.version();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  this->module = *module;
  for (const onnx::FunctionProto &f : model.functions())
    functions[{f.domain(), f.name()}] = &f;
  for (onnx::TensorProto &t : *graph.mutable_initializer()) {
    std::string what = "initializer '" + t.name() + "'";
    FailureOr<RankedTensorType> type = tensorType(t, what);
    if (failed(type))
      return nullptr;
    // Large float initializers (weights) wait, checked, until they are read.
    if (type->getElementType().isF32() && isLargeConstant(*type)) {
      if (failed(tensorBytes(t, what)))
        return nullptr;
      pendingInitializers[t.name()] = &t;
      continue;
    }
    FailureOr<DenseElementsAttr> attr = tensor(t, what);
    if (failed(attr))
      return nullptr;
    constants[t.name()] = *attr;
  }
  SmallVector<Type> argTypes, resultTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (isConstant(info.name()))
      continue; // an initializer listed as an input (older exporters)
    FailureOr<RankedTensorType> type = valueType(info);
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    argNames.push_back(info.name());
  }
  // Weights as arguments: the float initializers of rank 2 or more, after
  // the graph's inputs and in the model's order. Biases, norm weights and
  // scalars stay constants (the patterns read the scalars' values).
  if (options.weightsAsArguments)
    for (const onnx::TensorProto &t : graph.initializer()) {
      RankedTensorType type;
      if (DenseElementsAttr attr = constants.lookup(t.name()))
        type = cast<RankedTensorType>(attr.getType());
      else if (pendingInitializers.count(t.name()))
        type = *tensorType(t, ""); // checked above
      if (!type || type.getRank() < 2 || !type.getElementType().isF32() ||
          llvm::is_contained(argNames, t.name()))
        continue;
      constants.erase(t.name());
      pendingInitializers.erase(t.name());
      argTypes.push_back(type);
      argNames.push_back(t.name());
    }
  for (const onnx::ValueInfoProto &info : graph.output()) {
    FailureOr<RankedTensorType> type = valueType(info);
    if (failed(type))
      return nullptr;
    resultTypes.push_back(*type);
    declaredOutputs[info.name()] = *type;
  }
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, loc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name, arg] : llvm::enumerate(argNames, body->getArguments())) {
    values[name] = arg;
    func.setArgAttr(i, "onnx.name", builder.getStringAttr(name));
  }
  builder.setInsertionPointToEnd(body);

  SmallVector<std::string> outputs;
  for (const onnx::ValueInfoProto &info : graph.output())
    outputs.push_back(info.name());
  if (failed(importNodes(graph.node(), outputs)))
    return nullptr;

  SmallVector<Value> results;
  for (auto [info, type] : llvm::zip_equal(graph.output(), resultTypes)) {
    Value v = values.lookup(info.name());
    if (!v) {
      (void)fail("graph output '" + info.name() +
                 "' is not computed by any node");
      return nullptr;
    }
    if (v.getType() != type) {
      std::string got;
      llvm::raw_string_ostream os(got);
      os << v.getType() << ", the model declares " << type;
      (void)fail("graph output '" + info.name() + "' is " + got);
      return nullptr;
    }
    results.push_back(v);
  }
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  // What nothing reads is dropped (a pattern's replaced nodes that other
  // nodes fed, as the gathered rows of rotary tables): the import is what
  // the graph's outputs need.
  for (func::FuncOp f : module->getOps<func::FuncOp>())
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(f.getBody().front())))
      if (isOpTriviallyDead(&op))
        op.erase();
  return module;
}

LogicalResult Importer::importNodes(const Nodes &nodes,
                                    ArrayRef<std::string> outputs) {
  Patterns patterns = findPatterns(nodes, outputs);
  for (auto [index, node] : llvm::enumerate(nodes)) {
    nodeIndex = index;
    if (patterns.inside.contains(index))
      continue;
    auto fused = patterns.roots.find(index);
    if (failed(fused != patterns.roots.end()
                   ? importPattern(node, fused->second)
                   : importNode(node)))
      return failure();
  }
  return success();
}

/// Parses `bytes` into `model`; false (with an error at `loc`) for what is
/// not a model.
static bool parseModel(StringRef bytes, Location loc, onnx::ModelProto &model) {
  if (bytes.size() > INT_MAX ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(loc) << "not an ONNX model: the file does not parse as "
                      "onnx.ModelProto (truncated or corrupt)";
    return false;
  }
  return true;
}

static Location fileLocation(MLIRContext *context, StringRef fileName) {
  context->loadDialect<XfDialect, func::FuncDialect, arith::ArithDialect,
                       tensor::TensorDialect, linalg::LinalgDialect>();
  return FileLineColLoc::get(context, fileName, 0, 0);
}

/// The module of a parsed `model`.
static OwningOpRef<ModuleOp> importModel(onnx::ModelProto &model, Location loc,
                                         const OnnxImportOptions &options) {
  if (!model.has_graph()) {
    emitError(loc) << "the ONNX model has no graph";
    return nullptr;
  }
  Importer importer(loc.getContext(), loc);
  return importer.run(model, options);
}

OwningOpRef<ModuleOp> xf::importOnnx(StringRef bytes, StringRef fileName,
                                     MLIRContext *context,
                                     const OnnxImportOptions &options) {
  Location loc = fileLocation(context, fileName);
  onnx::ModelProto model;
  if (!parseModel(bytes, loc, model))
    return nullptr;
  return importModel(model, loc, options);
}

OwningOpRef<ModuleOp> xf::importOnnxFile(StringRef path, MLIRContext *context,
                                         const OnnxImportOptions &options) {
  Location loc = fileLocation(context, path);
  std::ifstream in(path.str(), std::ios::binary);
  if (!in) {
    emitError(loc) << "cannot open the ONNX model: " << std::strerror(errno);
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) {
    emitError(loc) << "not an ONNX model: the file does not parse as "
                      "onnx.ModelProto (truncated or corrupt)";
    return nullptr;
  }
  return importModel(model, loc, options);
}
