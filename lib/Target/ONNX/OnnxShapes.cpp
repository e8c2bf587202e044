//===- OnnxShapes.cpp - shape computations and data movement --------------===//
//
// Exporters compute reshape targets and slice bounds at run time from the
// shapes of values (Shape, Gather, Unsqueeze, Concat, integer arithmetic).
// With static shapes these are constants, folded here. What moves data
// (Reshape, Slice, Transpose, Unsqueeze of a value) becomes tensor and
// linalg ops, which the pipeline takes as they are.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

namespace {

DenseElementsAttr i64Constant(MLIRContext *ctx, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> values) {
  return DenseElementsAttr::get(
      RankedTensorType::get(shape, IntegerType::get(ctx, 64)), values);
}

} // namespace

std::optional<SmallVector<int64_t>> Importer::intValues(StringRef name) {
  std::optional<DenseElementsAttr> c = constant(name);
  if (!c || !c->getElementType().isInteger())
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &v : c->getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

Value Importer::transposeValue(Value x, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init =
      tensor::EmptyOp::create(builder, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(builder, loc, x, init, perm)->getResult(0);
}

Value Importer::reshapeValue(Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  // Row-major data in any static shape: through one dimension.
  Value flat = x;
  if (type.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < type.getRank(); ++d)
      all.push_back(d);
    flat = tensor::CollapseShapeOp::create(builder, loc, x,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (shape.size() == 1)
    return flat;
  ReassociationIndices all;
  for (size_t d = 0; d < shape.size(); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(builder, loc, type.clone(shape), flat,
                                       ArrayRef<ReassociationIndices>{all});
}

LogicalResult Importer::reshapeInput(const onnx::NodeProto &node,
                                     RankedTensorType type) {
  if (std::optional<DenseElementsAttr> c = constant(node.input(0))) {
    constants[node.output(0)] = c->reshape(type);
    return success();
  }
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  return define(node, reshapeValue(*x, type.getShape()));
}

LogicalResult Importer::importShape(const onnx::NodeProto &node) {
  FailureOr<RankedTensorType> type = typeOf(node, 0);
  if (failed(type))
    return failure();
  ArrayRef<int64_t> shape = type->getShape();
  int64_t rank = shape.size();
  auto bound = [&](StringRef name, int64_t dflt) {
    const onnx::AttributeProto *a = attribute(node, name);
    int64_t v = a ? a->i() : dflt;
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  int64_t start = bound("start", 0), end = bound("end", rank);
  SmallVector<int64_t> dims(shape.begin() + start,
                            shape.begin() + std::max(start, end));
  constants[node.output(0)] =
      i64Constant(ctx, {static_cast<int64_t>(dims.size())}, dims);
  return success();
}

LogicalResult Importer::importGather(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> data = intValues(node.input(0));
  std::optional<SmallVector<int64_t>> indices =
      node.input_size() > 1 ? intValues(node.input(1)) : std::nullopt;
  std::optional<DenseElementsAttr> indexAttr =
      node.input_size() > 1 ? constant(node.input(1)) : std::nullopt;
  if (!data || !indices || constant(node.input(0))->getType().getRank() != 1)
    return nodeError(node, "only gathers from 1-D integer constants (shape "
                           "computations) are supported");
  SmallVector<int64_t> result;
  for (int64_t i : *indices) {
    int64_t n = data->size();
    if (i < -n || i >= n)
      return nodeError(node, "index " + Twine(i) + " is out of range");
    result.push_back((*data)[i < 0 ? i + n : i]);
  }
  constants[node.output(0)] =
      i64Constant(ctx, indexAttr->getType().getShape(), result);
  return success();
}

LogicalResult Importer::importUnsqueeze(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> axes =
      node.input_size() > 1 ? intValues(node.input(1)) : std::nullopt;
  if (!axes) {
    const onnx::AttributeProto *a = attribute(node, "axes");
    if (!a)
      return nodeError(node, "expects constant axes");
    axes.emplace(a->ints().begin(), a->ints().end());
  }
  FailureOr<RankedTensorType> typeOrFailure = typeOf(node, 0);
  if (failed(typeOrFailure))
    return failure();
  RankedTensorType type = *typeOrFailure;
  bool squeeze = node.op_type() == "Squeeze";
  int64_t rank = type.getRank() + (squeeze ? 0 : axes->size());
  llvm::SmallDenseSet<int64_t> at;
  for (int64_t a : *axes) {
    if (a < -rank || a >= rank)
      return nodeError(node, "axis " + Twine(a) + " is out of range");
    at.insert(a < 0 ? a + rank : a);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0, from = 0; d < rank; ++d) {
    if (squeeze) {
      if (!at.contains(d))
        shape.push_back(type.getDimSize(d));
      else if (type.getDimSize(d) != 1)
        return nodeError(node, "axis " + Twine(d) + " is not of size 1");
    } else {
      shape.push_back(at.contains(d) ? 1 : type.getDimSize(from++));
    }
  }
  return reshapeInput(node, type.clone(shape));
}

LogicalResult Importer::importConcat(const onnx::NodeProto &node) {
  SmallVector<int64_t> result;
  for (const std::string &in : node.input()) {
    std::optional<SmallVector<int64_t>> v = intValues(in);
    if (!v || constant(in)->getType().getRank() != 1)
      return nodeError(node, "only concatenations of 1-D integer constants "
                             "(shape computations) are supported");
    result.append(*v);
  }
  constants[node.output(0)] =
      i64Constant(ctx, {static_cast<int64_t>(result.size())}, result);
  return success();
}

LogicalResult Importer::importReshape(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> target =
      node.input_size() > 1 ? intValues(node.input(1)) : std::nullopt;
  if (!target)
    return nodeError(node, "expects a constant shape");
  FailureOr<RankedTensorType> typeOrFailure = typeOf(node, 0);
  if (failed(typeOrFailure))
    return failure();
  RankedTensorType type = *typeOrFailure;
  bool allowZero = intAttr(node, "allowzero", 0) != 0;
  // 0 copies the input's dimension (unless allowzero), -1 takes the rest.
  SmallVector<int64_t> shape;
  int64_t known = 1, infer = -1;
  for (auto [d, v] : llvm::enumerate(*target)) {
    if (v == 0 && !allowZero) {
      if (static_cast<int64_t>(d) >= type.getRank())
        return nodeError(node, "dimension 0 copies a missing input axis");
      v = type.getDimSize(d);
    }
    if (v == -1) {
      if (infer >= 0)
        return nodeError(node, "more than one -1 in the shape");
      infer = d;
    } else if (v < 0) {
      return nodeError(node, "invalid dimension " + Twine(v));
    } else {
      known *= v;
    }
    shape.push_back(v);
  }
  int64_t count = type.getNumElements();
  if (infer >= 0 && known > 0 && count % known == 0)
    shape[infer] = count / known;
  if (ShapedType::getNumElements(shape) != count ||
      llvm::is_contained(shape, -1))
    return nodeError(node, "cannot reshape " + std::to_string(count) +
                               " elements to the requested shape");
  return reshapeInput(node, type.clone(shape));
}

LogicalResult Importer::importSlice(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  int64_t rank = type.getRank();
  auto ints = [&](int i) -> std::optional<SmallVector<int64_t>> {
    if (i >= node.input_size() || node.input(i).empty())
      return std::nullopt;
    return intValues(node.input(i));
  };
  std::optional<SmallVector<int64_t>> starts = ints(1), ends = ints(2),
                                      axes = ints(3), steps = ints(4);
  if (!starts || !ends || starts->size() != ends->size() ||
      (node.input_size() > 3 && !node.input(3).empty() && !axes) ||
      (node.input_size() > 4 && !node.input(4).empty() && !steps))
    return nodeError(node, "expects constant starts, ends, axes and steps");
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t axis = axes ? (*axes)[i] : static_cast<int64_t>(i);
    int64_t step = steps ? (*steps)[i] : 1;
    if (axis < -rank || axis >= rank || step <= 0)
      return nodeError(node, "only positive steps on valid axes are "
                             "supported");
    axis = axis < 0 ? axis + rank : axis;
    int64_t dim = type.getDimSize(axis);
    auto clamp = [&](int64_t v) {
      return std::clamp<int64_t>(v < 0 ? v + dim : v, 0, dim);
    };
    int64_t start = clamp((*starts)[i]), end = clamp((*ends)[i]);
    offsets[axis] = start;
    sizes[axis] = end > start ? (end - start + step - 1) / step : 0;
    strides[axis] = step;
  }
  auto folded = [&](ArrayRef<int64_t> v) {
    return getAsIndexOpFoldResult(ctx, v);
  };
  return define(
      node, tensor::ExtractSliceOp::create(builder, loc, *x, folded(offsets),
                                           folded(sizes), folded(strides)));
}
