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
#include "mlir/Dialect/Traits.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <numeric>

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
  // An identity needs no op; a rank-0 linalg.transpose (the identity of no
  // axes) would even crash upstream's verifier.
  if (llvm::all_of(llvm::enumerate(perm), [](auto p) {
        return static_cast<int64_t>(p.index()) == p.value();
      }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init =
      tensor::EmptyOp::create(builder, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(builder, loc, x, init, perm)->getResult(0);
}

Value Importer::sliceValue(Value x, ArrayRef<int64_t> offsets,
                           ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides) {
  return tensor::ExtractSliceOp::create(
      builder, loc, x, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
}

Value Importer::reshapeValue(Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  // Row-major data in any static shape: through one dimension. A scalar
  // (rank 0) becomes [1] and back with no reassociation groups at all.
  auto group = [](int64_t rank) {
    SmallVector<ReassociationIndices> groups;
    if (rank > 0)
      groups.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    return groups;
  };
  auto flatType = type.clone({type.getNumElements()});
  Value flat = x;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(builder, loc, flatType, x, group(0));
  else if (type.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(builder, loc, flatType, x,
                                           group(type.getRank()));
  if (shape.empty())
    return tensor::CollapseShapeOp::create(builder, loc, type.clone(shape),
                                           flat, group(0));
  if (shape.size() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(builder, loc, type.clone(shape), flat,
                                       group(shape.size()));
}

LogicalResult Importer::checkShape(const onnx::NodeProto &node,
                                   ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 40) / d))
      return nodeError(node, "invalid shape dimension " + Twine(d));
    count *= std::max<int64_t>(d, 1);
  }
  return success();
}

LogicalResult Importer::reshapeInput(const onnx::NodeProto &node,
                                     RankedTensorType type) {
  if (std::optional<DenseElementsAttr> c = constant(inputName(node, 0))) {
    constants[outputName(node, 0)] = c->reshape(type);
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
  constants[outputName(node, 0)] =
      i64Constant(ctx, {static_cast<int64_t>(dims.size())}, dims);
  return success();
}

LogicalResult Importer::importGather(const onnx::NodeProto &node) {
  // From a 1-D integer constant: a shape computation, folded.
  std::optional<DenseElementsAttr> source = constant(inputName(node, 0));
  if (source && source->getElementType().isInteger()) {
    std::optional<SmallVector<int64_t>> data = intValues(inputName(node, 0));
    std::optional<SmallVector<int64_t>> indices =
        node.input_size() > 1 ? intValues(inputName(node, 1)) : std::nullopt;
    if (!indices || source->getType().getRank() != 1)
      return nodeError(node, "gathers from integer constants take a 1-D "
                             "constant and constant indices");
    SmallVector<int64_t> result;
    for (int64_t i : *indices) {
      int64_t n = data->size();
      if (i < -n || i >= n)
        return nodeError(node, "index " + Twine(i) + " is out of range");
      result.push_back((*data)[i < 0 ? i + n : i]);
    }
    constants[outputName(node, 0)] = i64Constant(
        ctx, constant(inputName(node, 1))->getType().getShape(), result);
    return success();
  }
  return importGatherValues(node);
}

LogicalResult Importer::importGatherValues(const onnx::NodeProto &node) {
  FailureOr<Value> data = input(node, 0);
  FailureOr<RankedTensorType> indexType = typeOf(node, 1);
  if (failed(data) || failed(indexType))
    return failure();
  auto type = cast<RankedTensorType>(data->getType());
  int64_t rank = type.getRank(), axis = intAttr(node, "axis", 0);
  FailureOr<int64_t> normalized = axisOf(node, axis, rank);
  if (failed(normalized))
    return failure();
  axis = *normalized;
  if (!indexType->getElementType().isInteger())
    return nodeError(node, "indices must be integers");
  int64_t n = type.getDimSize(axis);
  // Constant indices: checked, negative ones counted from the end.
  std::optional<SmallVector<int64_t>> indices = intValues(inputName(node, 1));
  if (indices)
    for (int64_t &i : *indices) {
      if (i < -n || i >= n)
        return nodeError(node, "index " + Twine(i) + " is out of range");
      i = i < 0 ? i + n : i;
    }
  ArrayRef<int64_t> indexShape = indexType->getShape();
  SmallVector<int64_t> shape(type.getShape().take_front(axis));
  llvm::append_range(shape, indexShape);
  llvm::append_range(shape, type.getShape().drop_front(axis + 1));
  if (failed(checkShape(node, shape)))
    return failure();

  // Rows of a table (token and position embeddings): xf.embedding, which
  // takes ids in [0, rows); xf-run refuses others in its inputs.
  if (rank == 2 && axis == 0) {
    Value ids;
    if (indices)
      ids = arith::ConstantOp::create(builder, loc,
                                      i64Constant(ctx, indexShape, *indices));
    else if (FailureOr<Value> v = input(node, 1); succeeded(v))
      ids = *v;
    else
      return failure();
    auto op = EmbeddingOp::create(builder, loc, type.clone(shape), *data, ids);
    if (failed(verifyBuilt(node, op)))
      return failure();
    return define(node, op.getResult());
  }

  // Constant indices along any axis (a token picked out of a sequence, one
  // of stacked projections): slices, concatenated.
  constexpr int64_t kMaxSlices = 64;
  if (!indices || indices->empty() || indices->size() > kMaxSlices ||
      shape.empty())
    return nodeError(node, "gathers run-time indices only from the rows of a "
                           "2-D table (embeddings); elsewhere 1 to " +
                               Twine(kMaxSlices) +
                               " constant indices and a result of rank >= 1");
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  sizes[axis] = 1;
  SmallVector<Value> parts;
  for (int64_t i : *indices) {
    offsets[axis] = i;
    parts.push_back(sliceValue(*data, offsets, sizes, strides));
  }
  Value gathered = parts.front();
  if (parts.size() > 1) {
    SmallVector<int64_t> joined(sizes);
    joined[axis] = parts.size();
    gathered =
        tensor::ConcatOp::create(builder, loc, type.clone(joined), axis, parts);
  }
  return define(node, reshapeValue(gathered, shape));
}

LogicalResult Importer::importUnsqueeze(const onnx::NodeProto &node) {
  FailureOr<RankedTensorType> typeOrFailure = typeOf(node, 0);
  if (failed(typeOrFailure))
    return failure();
  RankedTensorType type = *typeOrFailure;
  bool squeeze = node.op_type() == "Squeeze";
  // Axes: a constant input (opset 13), an attribute (before), or for
  // Squeeze neither: every axis of size 1.
  bool axesInput = hasInput(node, 1);
  std::optional<SmallVector<int64_t>> axes =
      axesInput ? intValues(inputName(node, 1)) : std::nullopt;
  const onnx::AttributeProto *a = attribute(node, "axes");
  if (!axes && !axesInput && a)
    axes.emplace(a->ints().begin(), a->ints().end());
  if (!axes && !axesInput && !a && squeeze) {
    axes.emplace();
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.getDimSize(d) == 1)
        axes->push_back(d);
  }
  if (!axes)
    return nodeError(node, "expects constant axes");
  int64_t rank = type.getRank() + (squeeze ? 0 : axes->size());
  llvm::SmallDenseSet<int64_t> at;
  for (int64_t a : *axes) {
    FailureOr<int64_t> d = axisOf(node, a, rank);
    if (failed(d))
      return failure();
    // Unsqueeze's rank counts every axis: a repeated one would count twice.
    if (!at.insert(*d).second)
      return nodeError(node, "axis " + Twine(*d) + " is repeated");
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
  // 1-D integer constants: a shape, folded.
  SmallVector<int64_t> result;
  bool shapes = true;
  for (const std::string &in : node.input()) {
    std::optional<SmallVector<int64_t>> v = intValues(in);
    shapes = shapes && v && constant(in)->getType().getRank() == 1;
    if (shapes)
      result.append(*v);
  }
  if (shapes) {
    constants[outputName(node, 0)] =
        i64Constant(ctx, {static_cast<int64_t>(result.size())}, result);
    return success();
  }
  // Values: tensor.concat.
  FailureOr<SmallVector<Value>> partsOrFailure = inputs(node);
  if (failed(partsOrFailure))
    return failure();
  SmallVector<Value> &parts = *partsOrFailure;
  if (parts.empty())
    return nodeError(node, "expects at least one input");
  auto first = cast<RankedTensorType>(parts[0].getType());
  int64_t rank = first.getRank(), axis = intAttr(node, "axis", 0);
  FailureOr<int64_t> normalized = axisOf(node, axis, rank);
  if (failed(normalized))
    return failure();
  axis = *normalized;
  // The result's type, checked here: tensor.concat's builder assumes it.
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value part : parts) {
    auto type = cast<RankedTensorType>(part.getType());
    if (type.getRank() != rank ||
        type.getElementType() != first.getElementType())
      return nodeError(node, "inputs of different ranks or element types");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && type.getDimSize(d) != first.getDimSize(d))
        return nodeError(node, "inputs differ in dimension " + Twine(d));
    shape[axis] += type.getDimSize(axis);
  }
  auto concat =
      tensor::ConcatOp::create(builder, loc, first.clone(shape), axis, parts);
  if (failed(verifyBuilt(node, concat)))
    return failure();
  return define(node, concat.getResult());
}

LogicalResult Importer::importSplit(const onnx::NodeProto &node) {
  FailureOr<RankedTensorType> type = typeOf(node, 0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank(), axis = intAttr(node, "axis", 0);
  FailureOr<int64_t> normalized = axisOf(node, axis, rank);
  if (failed(normalized))
    return failure();
  axis = *normalized;
  int64_t dim = type->getDimSize(axis), parts = node.output_size();
  if (parts == 0)
    return nodeError(node, "expects at least one output");
  SmallVector<int64_t> sizes;
  if (node.input_size() > 1 && !inputName(node, 1).empty()) {
    std::optional<SmallVector<int64_t>> given = intValues(inputName(node, 1));
    if (!given)
      return nodeError(node, "expects constant split sizes");
    sizes = *given;
  } else if (const onnx::AttributeProto *a = attribute(node, "split")) {
    sizes.assign(a->ints().begin(), a->ints().end());
  } else {
    // Equal parts, the last one smaller.
    int64_t each = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(each, dim - i * each));
  }
  if (static_cast<int64_t>(sizes.size()) != parts ||
      llvm::any_of(sizes, [](int64_t v) { return v < 0; }) ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t(0)) != dim)
    return nodeError(node,
                     "split sizes do not add up to dimension " + Twine(dim));
  // A 1-D integer constant (a shape) splits into constants; a value into
  // slices.
  std::optional<SmallVector<int64_t>> ints;
  Value x;
  if (isConstant(inputName(node, 0))) {
    ints = intValues(inputName(node, 0));
    if (!ints || rank != 1)
      return nodeError(node, "only splits of values and of 1-D integer "
                             "constants are supported");
  } else {
    FailureOr<Value> v = input(node, 0);
    if (failed(v))
      return failure();
    x = *v;
  }
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (ints) {
      constants[outputName(node, i)] = i64Constant(
          ctx, {size}, ArrayRef<int64_t>(*ints).slice(offset, size));
    } else {
      SmallVector<int64_t> offsets(rank, 0), shape(type->getShape()),
          strides(rank, 1);
      offsets[axis] = offset;
      shape[axis] = size;
      values[outputName(node, i)] = sliceValue(x, offsets, shape, strides);
    }
    offset += size;
  }
  return success();
}

LogicalResult Importer::importConstantOfShape(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> shape = intValues(inputName(node, 0));
  if (!shape)
    return nodeError(node, "expects a constant shape");
  if (failed(checkShape(node, *shape)))
    return failure();
  DenseElementsAttr fill = DenseElementsAttr::get(
      RankedTensorType::get({1}, builder.getF32Type()), 0.0f);
  if (const onnx::AttributeProto *a = attribute(node, "value")) {
    FailureOr<DenseElementsAttr> v =
        tensor(a->t(), "node '" + node.name() + "' (ConstantOfShape)");
    if (failed(v))
      return failure();
    fill = *v;
  }
  auto type = RankedTensorType::get(*shape, fill.getElementType());
  constants[outputName(node, 0)] =
      DenseElementsAttr::get(type, *fill.value_begin<Attribute>());
  return success();
}

LogicalResult Importer::importIntegerSelect(const onnx::NodeProto &node) {
  // Equal and Where on 1-D integer constants: shape computations.
  bool where = node.op_type() == "Where";
  if (node.input_size() != (where ? 3 : 2))
    return nodeError(node, "expects " + Twine(where ? 3 : 2) + " inputs");
  SmallVector<SmallVector<int64_t>> in;
  for (int i = 0; i < node.input_size(); ++i) {
    std::optional<DenseElementsAttr> c = constant(inputName(node, i));
    if (!c || c->getType().getRank() > 1 || !c->getElementType().isIntOrIndex())
      return nodeError(node, "only " + node.op_type() +
                                 " on 1-D integer constants (shape "
                                 "computations) is supported");
    in.emplace_back();
    for (const APInt &v : c->getValues<APInt>())
      in.back().push_back(c->getElementType().isInteger(1) ? v.getZExtValue()
                                                           : v.getSExtValue());
  }
  size_t n = 1;
  for (auto &v : in) {
    if (v.empty())
      return nodeError(node, "an operand has no elements");
    if (v.size() != 1 && n != 1 && v.size() != n)
      return nodeError(node, "operands do not broadcast");
    n = std::max(n, v.size());
  }
  auto at = [&](int i, size_t j) { return in[i][in[i].size() == 1 ? 0 : j]; };
  SmallVector<int64_t> result;
  for (size_t j = 0; j < n; ++j)
    result.push_back(where ? (at(0, j) ? at(1, j) : at(2, j))
                           : at(0, j) == at(1, j));
  if (where) {
    constants[outputName(node, 0)] =
        i64Constant(ctx, {static_cast<int64_t>(n)}, result);
  } else {
    SmallVector<bool> bits(result.begin(), result.end());
    constants[outputName(node, 0)] = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(n)}, builder.getI1Type()),
        ArrayRef<bool>(bits));
  }
  return success();
}

LogicalResult Importer::importExpand(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> target = intValues(inputName(node, 1));
  FailureOr<RankedTensorType> type = typeOf(node, 0);
  if (!target || failed(type))
    return target ? failure() : nodeError(node, "expects a constant shape");
  if (failed(checkShape(node, *target)))
    return failure();
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(type->getShape(), *target, shape))
    return nodeError(node, "the shape does not broadcast the input");
  if (std::optional<DenseElementsAttr> c = constant(inputName(node, 0))) {
    if (!c->isSplat())
      return nodeError(node, "only splat constants expand");
    constants[outputName(node, 0)] = DenseElementsAttr::get(
        type->clone(shape), *c->value_begin<Attribute>());
    return success();
  }
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  return define(node, broadcastValue(*x, shape));
}

Value Importer::broadcastValue(Value x, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  // Drop the input's dimensions that broadcast (size 1 to more, or
  // missing), then broadcast them back in.
  int64_t lead = shape.size() - type.getRank();
  SmallVector<int64_t> kept, broadcastDims;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    int64_t from = d - lead;
    if (from >= 0 && type.getDimSize(from) == shape[d])
      kept.push_back(shape[d]);
    else
      broadcastDims.push_back(d);
  }
  Value source = reshapeValue(x, kept);
  Value init =
      tensor::EmptyOp::create(builder, loc, shape, type.getElementType());
  return linalg::BroadcastOp::create(builder, loc, source, init, broadcastDims)
      ->getResult(0);
}

LogicalResult Importer::importReshape(const onnx::NodeProto &node) {
  std::optional<SmallVector<int64_t>> target =
      node.input_size() > 1 ? intValues(inputName(node, 1)) : std::nullopt;
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
    if (i >= node.input_size() || inputName(node, i).empty())
      return std::nullopt;
    return intValues(inputName(node, i));
  };
  std::optional<SmallVector<int64_t>> starts = ints(1), ends = ints(2),
                                      axes = ints(3), steps = ints(4);
  if (!starts || !ends || starts->size() != ends->size() ||
      (node.input_size() > 3 && !inputName(node, 3).empty() && !axes) ||
      (node.input_size() > 4 && !inputName(node, 4).empty() && !steps))
    return nodeError(node, "expects constant starts, ends, axes and steps");
  if ((axes && axes->size() != starts->size()) ||
      (steps && steps->size() != starts->size()))
    return nodeError(node, "expects as many axes and steps as starts");
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  for (size_t i = 0; i < starts->size(); ++i) {
    std::optional<int64_t> valid =
        normalizeAxis(axes ? (*axes)[i] : static_cast<int64_t>(i), rank);
    int64_t step = steps ? (*steps)[i] : 1;
    if (!valid || step <= 0)
      return nodeError(node, "only positive steps on valid axes are "
                             "supported");
    int64_t axis = *valid;
    int64_t dim = type.getDimSize(axis);
    auto clamp = [&](int64_t v) {
      return std::clamp<int64_t>(v < 0 ? v + dim : v, 0, dim);
    };
    int64_t start = clamp((*starts)[i]), end = clamp((*ends)[i]);
    offsets[axis] = start;
    sizes[axis] = end > start ? (end - start + step - 1) / step : 0;
    strides[axis] = step;
  }
  return define(node, sliceValue(*x, offsets, sizes, strides));
}
