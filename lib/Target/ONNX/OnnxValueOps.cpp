//===- OnnxValueOps.cpp - elementwise ops on run-time values -------------===//
//
// What exported graphs compute attention masks with, from a padding mask
// input: Cast between bool, integer and float tensors, and Where selecting
// between values (a bool padding mask into -inf and 0). They become arith
// ops on tensors, which the pipelines lower as linalg; casts of constants
// fold, so that shape computations stay constants.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Traits.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

/// `c` converted to `to` (bool is nonzero; float to integer truncates), or
/// nullopt for a float that does not fit.
static std::optional<DenseElementsAttr> castConstant(DenseElementsAttr c,
                                                     Type to) {
  Type from = c.getElementType();
  auto type = c.getType().clone(to);
  if (from == to)
    return c;
  if (isa<IntegerType>(from) && isa<IntegerType>(to)) {
    unsigned width = to.getIntOrFloatBitWidth();
    return c.mapValues(to, [&](const APInt &v) {
      if (width == 1)
        return APInt(1, !v.isZero());
      return from.isInteger(1) ? v.zext(width) : v.sextOrTrunc(width);
    });
  }
  if (isa<IntegerType>(from)) {
    SmallVector<APFloat> values;
    for (const APInt &v : c.getValues<APInt>())
      values.emplace_back(static_cast<float>(
          from.isInteger(1) ? v.getZExtValue() : v.getSExtValue()));
    return DenseElementsAttr::get(type, values);
  }
  if (!isa<IntegerType>(to))
    return std::nullopt; // only f32 floats are imported
  SmallVector<APInt> values;
  for (APFloat v : c.getValues<APFloat>()) {
    if (to.isInteger(1)) {
      values.emplace_back(1, !v.isZero());
      continue;
    }
    APSInt i(to.getIntOrFloatBitWidth(), /*isUnsigned=*/false);
    bool exact;
    if (v.convertToInteger(i, APFloat::rmTowardZero, &exact) &
        APFloat::opInvalidOp)
      return std::nullopt;
    values.push_back(i);
  }
  return DenseElementsAttr::get(type, values);
}

Value Importer::castValue(Value x, Type to) {
  auto type = cast<RankedTensorType>(x.getType());
  Type from = type.getElementType();
  if (from == to)
    return x;
  auto result = type.clone(to);
  if (to.isInteger(1)) {
    Value zero = splat(type, 0);
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UNE, x,
                                   zero);
    return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ne, x,
                                 zero);
  }
  if (isa<FloatType>(to)) {
    if (from.isInteger(1))
      return arith::UIToFPOp::create(builder, loc, result, x);
    return arith::SIToFPOp::create(builder, loc, result, x);
  }
  if (isa<FloatType>(from))
    return arith::FPToSIOp::create(builder, loc, result, x);
  if (from.getIntOrFloatBitWidth() > to.getIntOrFloatBitWidth())
    return arith::TruncIOp::create(builder, loc, result, x);
  if (from.isInteger(1))
    return arith::ExtUIOp::create(builder, loc, result, x);
  return arith::ExtSIOp::create(builder, loc, result, x);
}

LogicalResult Importer::importCast(const onnx::NodeProto &node) {
  const onnx::AttributeProto *a = attribute(node, "to");
  Type to = a ? elementType(ctx, a->i()) : Type();
  if (!to)
    return nodeError(node, "casts only to float, int64, int32 or bool");
  if (node.input_size() != 1)
    return nodeError(node, "expects 1 input");
  if (std::optional<DenseElementsAttr> c = constant(inputName(node, 0))) {
    std::optional<DenseElementsAttr> folded = castConstant(*c, to);
    if (!folded)
      return nodeError(node, "a float constant does not fit the integers");
    constants[outputName(node, 0)] = *folded;
    return success();
  }
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  return define(node, castValue(*x, to));
}

LogicalResult Importer::importWhere(const onnx::NodeProto &node) {
  if (node.input_size() != 3)
    return nodeError(node, "expects 3 inputs");
  if (llvm::all_of(node.input(),
                   [&](const std::string &name) { return isConstant(name); }))
    return importIntegerSelect(node);
  FailureOr<SmallVector<Value>> in = inputs(node);
  if (failed(in))
    return failure();
  auto type = [&](int i) { return cast<RankedTensorType>((*in)[i].getType()); };
  if (!type(0).getElementType().isInteger(1))
    return nodeError(node, "expects a bool condition");
  if (type(1).getElementType() != type(2).getElementType())
    return nodeError(node, "expects both branches of one element type");
  SmallVector<int64_t> shape, both;
  if (!OpTrait::util::getBroadcastedShape(type(1).getShape(),
                                          type(2).getShape(), both) ||
      !OpTrait::util::getBroadcastedShape(type(0).getShape(), both, shape))
    return nodeError(node, "the condition and the branches do not broadcast");
  if (failed(checkShape(node, shape)))
    return failure();
  SmallVector<Value> operands;
  for (Value v : *in)
    operands.push_back(broadcastValue(v, shape));
  return define(node, arith::SelectOp::create(builder, loc, operands[0],
                                              operands[1], operands[2])
                          .getResult());
}
