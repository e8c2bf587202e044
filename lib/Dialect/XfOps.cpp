//===- XfOps.cpp - type inference and verification of xf ops --------------===//
//
// Each op's inferReturnTypes validates its operands and attributes and emits
// a precise error at the op's location; the InferTypeOpInterface trait runs
// it during verification, so the checks live in one place.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::checks;

bool xf::areCompatibleTensorTypes(TypeRange inferred, TypeRange declared) {
  if (inferred.size() != declared.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, declared)) {
    auto ta = dyn_cast<RankedTensorType>(a);
    auto tb = dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
        failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
      return false;
  }
  return true;
}

static RankedTensorType tensorOf(ArrayRef<int64_t> shape, Value like) {
  return RankedTensorType::get(
      shape, cast<RankedTensorType>(like.getType()).getElementType());
}

static Type typeOrNull(Value v) { return v ? v.getType() : Type(); }

//===----------------------------------------------------------------------===//
// Custom directive: the attention layout of attention-like ops, inline.
//===----------------------------------------------------------------------===//

ParseResult xf::parseLayout(OpAsmParser &parser, AttentionLayoutAttr &layout) {
  return AttentionLayoutAttr::parseKeywords(parser, layout);
}

void xf::printLayout(OpAsmPrinter &printer, Operation *,
                     AttentionLayoutAttr layout) {
  if (layout)
    layout.printKeywords(printer);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  if (failed(checkWeightTypes(c,
                              {adaptor.getInput().getType(),
                               typeOrNull(adaptor.getBias()),
                               typeOrNull(adaptor.getResidual())},
                              {adaptor.getWeight().getType()})))
    return failure();
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  if (x.empty())
    return c.fail("expects an input of rank >= 1");
  FailureOr<int64_t> n =
      checkLinearWeight(c, "weight", shapeOfValue(adaptor.getWeight()),
                        x.back(), adaptor.getWeightLayout());
  if (failed(n))
    return failure();
  if (adaptor.getBias() &&
      failed(checkVector(c, "bias", *shapeOf(adaptor.getBias()), *n)))
    return failure();
  SmallVector<int64_t> shape(x.drop_back());
  shape.push_back(*n);
  if (Value r = adaptor.getResidual()) {
    ArrayRef<int64_t> rs = shapeOfValue(r);
    if (failed(verifyCompatibleShape(rs, shape)))
      return c.fail("expects a residual of the result's shape ",
                    formatShape(shape), ", got ", formatShape(rs));
    for (auto [d, e] : llvm::zip(shape, rs))
      d = mergeDims(d, e);
  }
  results.push_back(tensorOf(shape, adaptor.getInput()));
  return success();
}

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *ctx,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  ArrayRef<int64_t> q = shapeOfValue(adaptor.getInput());
  ArrayRef<int64_t> s = shapeOfValue(adaptor.getScales());
  if (q.size() != 2)
    return c.fail("expects a matrix of int8 weights, got ", formatShape(q));
  int64_t axis = adaptor.getAxis();
  if (axis != 0 && axis != 1)
    return c.fail("expects axis 0 or 1 (the channel dimension), got ", axis);
  int64_t channels = q[axis], reduced = q[1 - axis];
  SmallVector<int64_t> expected = {channels};
  if (std::optional<uint64_t> g = adaptor.getGroupSize()) {
    if (*g == 0 || *g > uint64_t(INT32_MAX))
      return c.fail("expects a group size in [1, 2^31), got ", *g);
    int64_t group = static_cast<int64_t>(*g);
    expected.push_back(ShapedType::isDynamic(reduced)
                           ? ShapedType::kDynamic
                           : (reduced + group - 1) / group);
  }
  if (s.size() != expected.size() ||
      llvm::any_of(llvm::zip(s, expected), [](auto p) {
        return dimsConflict(std::get<0>(p), std::get<1>(p));
      }))
    return c.fail("expects scales of shape ", formatShape(expected), " (",
                  adaptor.getGroupSize() ? "per channel and group"
                                         : "per channel",
                  "), got ", formatShape(s));
  results.push_back(RankedTensorType::get(q, Float32Type::get(ctx)));
  return success();
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  if (failed(checkSameElementType(
          c, {adaptor.getLhs().getType(), adaptor.getRhs().getType()})))
    return failure();
  ArrayRef<int64_t> a = shapeOfValue(adaptor.getLhs());
  ArrayRef<int64_t> b = shapeOfValue(adaptor.getRhs());
  if (a.size() < 2 || b.size() < 2)
    return c.fail("expects operands of rank >= 2, got ", formatShape(a),
                  " and ", formatShape(b));
  size_t ra = a.size(), rb = b.size();
  bool ta = adaptor.getTransposeLhs(), tb = adaptor.getTransposeRhs();
  int64_t m = ta ? a[ra - 1] : a[ra - 2], ka = ta ? a[ra - 2] : a[ra - 1];
  int64_t kb = tb ? b[rb - 1] : b[rb - 2], n = tb ? b[rb - 2] : b[rb - 1];
  if (dimsConflict(ka, kb))
    return c.fail("contracts ", ka, " lhs columns with ", kb,
                  " rhs rows (shapes ", formatShape(a), " and ", formatShape(b),
                  ")");
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(c, "batch dimensions", a.drop_back(2), b.drop_back(2));
  if (failed(batch))
    return failure();
  batch->append({m, n});
  results.push_back(tensorOf(*batch, adaptor.getLhs()));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax
//===----------------------------------------------------------------------===//

static LogicalResult inferNorm(const OpChecker &c, Value input, Value weight,
                               Value bias, double epsilon,
                               SmallVectorImpl<Type> &results) {
  if (failed(checkSameElementType(
          c, {input.getType(), weight.getType(), typeOrNull(bias)})))
    return failure();
  ArrayRef<int64_t> x = shapeOfValue(input);
  if (x.empty())
    return c.fail("expects an input of rank >= 1");
  if (failed(checkVector(c, "weight", shapeOfValue(weight), x.back())) ||
      (bias && failed(checkVector(c, "bias", shapeOfValue(bias), x.back()))))
    return failure();
  if (!(epsilon >= 0.0) || !std::isfinite(epsilon))
    return c.fail("expects a non-negative finite epsilon, got ", epsilon);
  results.push_back(input.getType());
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferNorm(OpChecker(loc, getOperationName()), adaptor.getInput(),
                   adaptor.getWeight(), adaptor.getBias(),
                   adaptor.getEpsilon().convertToDouble(), results);
}

LogicalResult RmsNormOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferNorm(OpChecker(loc, getOperationName()), adaptor.getInput(),
                   adaptor.getWeight(), Value(),
                   adaptor.getEpsilon().convertToDouble(), results);
}

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  int64_t rank = cast<RankedTensorType>(adaptor.getInput().getType()).getRank();
  int64_t axis = adaptor.getAxis();
  if (rank == 0 || axis < -rank || axis >= rank)
    return c.fail("expects an axis in [", -rank, ", ", rank, "), got ", axis);
  results.push_back(adaptor.getInput().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Positions and tokens
//===----------------------------------------------------------------------===//

LogicalResult RopeOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  if (x.size() < 2)
    return c.fail("expects an input of rank >= 2 ([..., seq, features]), "
                  "got ",
                  formatShape(x));
  int64_t headDim = adaptor.getHeadDim();
  if (failed(checkRope(c, headDim, adaptor.getRotaryDim(),
                       adaptor.getTheta().convertToDouble())))
    return failure();
  if (!ShapedType::isDynamic(x.back()) && x.back() % headDim != 0)
    return c.fail("expects features (", x.back(),
                  ") to be a multiple of head_dim (", headDim, ")");
  if (failed(checkRopePositions(c, x, shapeOf(adaptor.getPositions()),
                                shapeOf(adaptor.getSeqOffsets()))))
    return failure();
  results.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  ArrayRef<int64_t> table = shapeOfValue(adaptor.getTable());
  if (table.size() != 2)
    return c.fail("expects a table of rank 2 ([vocab, features]), got ",
                  formatShape(table));
  // Ids are clamped into the table, which needs at least one row.
  if (table[0] == 0)
    return c.fail("expects a table with at least one row");
  SmallVector<int64_t> shape(shapeOfValue(adaptor.getIndices()));
  shape.push_back(table[1]);
  results.push_back(tensorOf(shape, adaptor.getTable()));
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  ArrayRef<int64_t> x = shapeOfValue(adaptor.getInput());
  if (x.empty())
    return c.fail("expects an input of rank >= 1");
  int64_t k = static_cast<int64_t>(adaptor.getK());
  if (k < 1 || (!ShapedType::isDynamic(x.back()) && k > x.back()))
    return c.fail("expects k in [1, ", x.back(), "], got ", k);
  SmallVector<int64_t> shape(x.drop_back());
  shape.push_back(k);
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcast(const OpChecker &c, Value lhs, Value rhs,
                                    SmallVectorImpl<Type> &results) {
  if (failed(checkSameElementType(c, {lhs.getType(), rhs.getType()})))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(c, "operands", shapeOfValue(lhs), shapeOfValue(rhs));
  if (failed(shape))
    return failure();
  results.push_back(tensorOf(*shape, lhs));
  return success();
}

LogicalResult AddOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(OpChecker(loc, getOperationName()), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

LogicalResult MulOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  return inferBroadcast(OpChecker(loc, getOperationName()), adaptor.getLhs(),
                        adaptor.getRhs(), results);
}

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

LogicalResult CacheWriteOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  if (failed(checkSameElementType(
          c, {adaptor.getUpdate().getType(), adaptor.getCache().getType()})))
    return failure();
  ArrayRef<int64_t> cache = shapeOfValue(adaptor.getCache());
  ArrayRef<int64_t> update = shapeOfValue(adaptor.getUpdate());
  if (cache.size() < 2 || update.size() != cache.size())
    return c.fail("expects a cache [..., capacity, features] and an update "
                  "[..., seq, features] of the same rank, got ",
                  formatShape(cache), " and ", formatShape(update));
  if (failed(verifyCompatibleShape(cache.drop_back(2), update.drop_back(2))) ||
      dimsConflict(cache.back(), update.back()))
    return c.fail("expects the update ", formatShape(update),
                  " to match the cache ", formatShape(cache),
                  " in batch and feature sizes");
  if (failed(
          checkKvLen(c, shapeOfValue(adaptor.getKvLen()), cache.drop_back(2))))
    return failure();
  results.push_back(adaptor.getCache().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  OpChecker c(loc, getOperationName());
  if (failed(checkSameElementType(
          c, {adaptor.getQuery().getType(), adaptor.getKey().getType(),
              adaptor.getValue().getType(), typeOrNull(adaptor.getMask())})))
    return failure();
  AttentionConfig cfg =
      AttentionConfig::get(adaptor.getNumHeads(), adaptor.getNumKvHeads(),
                           adaptor.getScale(), adaptor.getLayoutAttr());
  std::optional<ArrayRef<int64_t>> sizes;
  if (auto s = adaptor.getBlockMaskSizesAttr())
    sizes = s.asArrayRef();
  FailureOr<SmallVector<int64_t>> shape = checkAttention(
      c, cfg,
      AttentionShapes{
          shapeOfValue(adaptor.getQuery()), shapeOfValue(adaptor.getKey()),
          shapeOfValue(adaptor.getValue()), shapeOf(adaptor.getMask()),
          shapeOf(adaptor.getKvLen()), shapeOf(adaptor.getBlockMask()),
          shapeOf(adaptor.getSeqOffsets()), sizes});
  if (failed(shape))
    return failure();
  results.push_back(tensorOf(*shape, adaptor.getQuery()));
  return success();
}

int64_t AttentionOp::getHeadDim() {
  int64_t f = getQuery().getType().getShape().back();
  return ShapedType::isDynamic(f) ? f : f / getNumHeads();
}

std::optional<double> AttentionOp::getEffectiveScale() {
  if (std::optional<APFloat> s = getScale())
    return s->convertToDouble();
  if (ShapedType::isDynamic(getHeadDim()))
    return std::nullopt;
  return 1.0 / std::sqrt(static_cast<double>(getHeadDim()));
}

#define GET_OP_CLASSES
#include "xf/Dialect/XfOps.cpp.inc"
