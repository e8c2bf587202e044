//===- OnnxFunctions.cpp - model-local functions as private functions -----===//
//
// An exporter that writes each layer as a call of one local function
// (torch.onnx.export(..., export_modules_as_functions={Layer})) says which
// layers are alike. Each function becomes one private func.func per
// signature of its operands, and each call a func.call: a deep model is
// compiled about as fast as one layer, its weights passed in as operands
// (their packing moves to the call sites, xf-cpu-pack-at-call-sites).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

LogicalResult Importer::importCall(const onnx::NodeProto &node,
                                   const onnx::FunctionProto &function) {
  if (node.attribute_size() || function.attribute_size())
    return nodeError(node, "functions with attributes are not supported");
  if (node.input_size() != function.input_size() ||
      node.output_size() > function.output_size())
    return nodeError(node, "the call does not match the function's " +
                               Twine(function.input_size()) + " inputs and " +
                               Twine(function.output_size()) + " outputs");
  FailureOr<SmallVector<Value>> operandsOrFailure = inputs(node);
  if (failed(operandsOrFailure))
    return failure();
  SmallVector<Value> &operands = *operandsOrFailure;
  // One import per signature: shapes inside depend on the operands'.
  std::string key = function.domain() + "." + function.name();
  for (Value v : operands) {
    llvm::raw_string_ostream os(key);
    os << ":" << v.getType();
  }
  func::FuncOp callee = imported.lookup(key);
  if (!callee) {
    // The body is imported with a state of its own: its names are local.
    auto savedValues = std::move(values);
    auto savedConstants = std::move(constants);
    auto savedPending = std::move(pendingInitializers);
    auto savedLarge = std::move(largeInitializers);
    auto savedTransposed = std::move(transposed);
    size_t savedIndex = nodeIndex;
    OpBuilder::InsertionGuard guard(builder);
    values.clear();
    constants.clear();
    pendingInitializers.clear();
    largeInitializers.clear();
    transposed.clear();

    builder.setInsertionPointToStart(module.getBody());
    callee = func::FuncOp::create(
        builder, loc, function.name(),
        builder.getFunctionType(ValueRange(operands).getTypes(), {}));
    callee.setPrivate();
    SymbolTable(module).insert(callee);
    Block *body = callee.addEntryBlock();
    for (auto [name, arg] :
         llvm::zip_equal(function.input(), body->getArguments()))
      values[name] = arg;
    builder.setInsertionPointToEnd(body);
    SmallVector<std::string> outputs(function.output().begin(),
                                     function.output().end());
    LogicalResult result = importNodes(function.node(), outputs);
    SmallVector<Value> results;
    for (const std::string &out : outputs) {
      if (failed(result))
        break;
      Value v = values.lookup(out);
      if (!v)
        result = nodeError(node, "function output '" + out +
                                     "' is not computed by any node");
      results.push_back(v);
    }
    if (succeeded(result)) {
      func::ReturnOp::create(builder, loc, results);
      callee.setFunctionType(builder.getFunctionType(
          body->getArgumentTypes(), ValueRange(results).getTypes()));
    }
    values = std::move(savedValues);
    constants = std::move(savedConstants);
    pendingInitializers = std::move(savedPending);
    largeInitializers = std::move(savedLarge);
    transposed = std::move(savedTransposed);
    nodeIndex = savedIndex;
    if (failed(result)) {
      callee.erase();
      return failure();
    }
    imported[key] = callee;
  }
  auto call = func::CallOp::create(builder, loc, callee, operands);
  for (auto [name, result] : llvm::zip(node.output(), call.getResults()))
    if (!name.empty())
      values[name] = result;
  return success();
}
