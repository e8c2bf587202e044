//===- OnnxContrib.cpp - ONNX Runtime's contrib ops -----------------------===//
//
// The com.microsoft ops that ONNX Runtime's graph optimizer writes into the
// models users save: fused GELUs, LayerNorm with its residual, attention
// with the heads packed in the last dimension. Each is an xf op or two.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

LogicalResult Importer::importContrib(const onnx::NodeProto &node) {
  using Handler = LogicalResult (Importer::*)(const onnx::NodeProto &);
  Handler handler =
      llvm::StringSwitch<Handler>(node.op_type())
          .Cases({"FastGelu", "BiasGelu"}, &Importer::importBiasGelu)
          .Case("SkipLayerNormalization", &Importer::importSkipLayerNorm)
          .Case("MultiHeadAttention", &Importer::importMultiHeadAttention)
          .Case("GroupQueryAttention", &Importer::importGroupQueryAttention)
          .Default(nullptr);
  if (!handler)
    return nodeError(node, "unsupported op of domain com.microsoft");
  // SkipLayerNormalization's sum and the attentions' present keys and
  // values are defined by their importers.
  for (int i = 1; i < node.output_size(); ++i)
    if (!outputName(node, i).empty() &&
        !(node.op_type() == "SkipLayerNormalization" && i == 3) &&
        !(node.op_type() == "MultiHeadAttention" && i <= 2) &&
        node.op_type() != "GroupQueryAttention")
      return nodeError(node, "output #" + Twine(i) + " is not supported");
  return (this->*handler)(node);
}

FailureOr<Value> Importer::addValues(const onnx::NodeProto &node, Value a,
                                     Value b) {
  auto at = cast<RankedTensorType>(a.getType());
  auto bt = cast<RankedTensorType>(b.getType());
  if (bt.getRank() > at.getRank() ||
      at.getShape().take_back(bt.getRank()) != bt.getShape())
    return nodeError(node, "cannot add a value of shape [" +
                               Twine(bt.getRank()) + "-D] to its input");
  // Verified: the element types (float, alike) come from the file too.
  auto sum = AddOp::create(builder, loc, at, a, b);
  if (failed(verifyBuilt(node, sum)))
    return failure();
  return sum.getResult();
}

LogicalResult Importer::importBiasGelu(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0);
  if (failed(x))
    return failure();
  Value v = *x;
  if (hasInput(node, 1)) {
    FailureOr<Value> bias = input(node, 1);
    if (failed(bias) || failed(bias = addValues(node, v, *bias)))
      return failure();
    v = *bias;
  }
  // FastGelu is the tanh approximation, BiasGelu the exact function.
  GeluApproximation approx = node.op_type() == "FastGelu"
                                 ? GeluApproximation::tanh
                                 : GeluApproximation::none;
  auto gelu = GeluOp::create(builder, loc, v.getType(), v,
                             GeluApproximationAttr::get(ctx, approx));
  if (failed(verifyBuilt(node, gelu)))
    return failure();
  return define(node, gelu.getResult());
}

LogicalResult Importer::importSkipLayerNorm(const onnx::NodeProto &node) {
  FailureOr<Value> x = input(node, 0), skip = input(node, 1),
                   gamma = input(node, 2);
  if (failed(x) || failed(skip) || failed(gamma))
    return failure();
  if (cast<RankedTensorType>(skip->getType()) !=
      cast<RankedTensorType>(x->getType()))
    return nodeError(node, "a skip of another shape than the input is not "
                           "supported");
  FailureOr<Value> skipped = addValues(node, *x, *skip);
  if (failed(skipped))
    return failure();
  Value sum = *skipped;
  Value beta;
  if (hasInput(node, 3)) {
    FailureOr<Value> b = input(node, 3);
    if (failed(b))
      return failure();
    beta = *b;
  }
  if (hasInput(node, 4)) {
    FailureOr<Value> bias = input(node, 4);
    if (failed(bias) || failed(bias = addValues(node, sum, *bias)))
      return failure();
    sum = *bias;
  }
  if (node.output_size() > 3 && !outputName(node, 3).empty())
    values[outputName(node, 3)] = sum; // input + skip + bias
  auto norm = LayerNormOp::create(
      builder, loc, x->getType(), sum, *gamma, beta,
      builder.getF64FloatAttr(floatAttr(node, "epsilon", 1e-12f)));
  if (failed(verifyBuilt(node, norm)))
    return failure();
  return define(node, norm.getResult());
}

namespace {

// The inputs of MultiHeadAttention.
enum MhaInput {
  kMhaQuery,
  kMhaKey,
  kMhaValue,
  kMhaBias,
  kMhaKeyPaddingMask,
  kMhaAttentionBias,
  kMhaPastKey,
  kMhaPastValue,
  kMhaFirstUnsupported
};

// Its outputs after the attention's.
enum MhaOutput { kMhaPresentKey = 1, kMhaPresentValue };

} // namespace

Value Importer::unpackHeads(Value packed, int64_t index) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(packed.getType()).getShape();
  Value part = sliceValue(packed, {0, 0, 0, index, 0},
                          {s[0], s[1], s[2], 1, s[4]}, {1, 1, 1, 1, 1});
  return reshapeValue(part, {s[0], s[1], s[2] * s[4]});
}

LogicalResult Importer::importMultiHeadAttention(const onnx::NodeProto &node) {
  for (int i = kMhaFirstUnsupported; i < node.input_size(); ++i)
    if (hasInput(node, i))
      return nodeError(node, "input #" + Twine(i) +
                                 " (past_sequence_length, cache_indirection) "
                                 "is not supported");
  if (hasInput(node, kMhaPastKey) != hasInput(node, kMhaPastValue))
    return nodeError(node, "expects both past_key and past_value or neither");
  int64_t heads = intAttr(node, "num_heads", 0);
  FailureOr<Value> q = input(node, kMhaQuery);
  if (failed(q))
    return failure();
  // q, k and v given apart; or packed: all three in the query [B, S, N, 3,
  // H], or the key and value in the key [B, L, N, 2, H].
  FailureOr<Value> k = failure(), v = failure();
  auto packedIn = [&](Value x, int64_t count) {
    auto t = cast<RankedTensorType>(x.getType());
    return t.getRank() == 5 && t.getDimSize(2) == heads &&
           t.getDimSize(3) == count;
  };
  if (!hasInput(node, kMhaKey) && !hasInput(node, kMhaValue)) {
    if (!packedIn(*q, 3))
      return nodeError(node, "a query without key and value must pack all "
                             "three as [B, S, num_heads, 3, head size]");
    k = unpackHeads(*q, 1);
    v = unpackHeads(*q, 2);
    q = unpackHeads(*q, 0);
  } else if (!hasInput(node, kMhaValue)) {
    FailureOr<Value> kv = input(node, kMhaKey);
    if (failed(kv))
      return failure();
    if (!packedIn(*kv, 2))
      return nodeError(node, "a key without value must pack both as [B, L, "
                             "num_heads, 2, head size]");
    k = unpackHeads(*kv, 0);
    v = unpackHeads(*kv, 1);
  } else {
    k = input(node, kMhaKey);
    v = input(node, kMhaValue);
  }
  if (failed(k) || failed(v))
    return failure();
  auto qt = cast<RankedTensorType>(q->getType());
  auto kt = cast<RankedTensorType>(k->getType());
  auto vt = cast<RankedTensorType>(v->getType());
  if (qt.getRank() != 3 || kt.getRank() != 3 || vt.getRank() != 3 ||
      heads <= 0 || qt.getDimSize(2) % heads || vt.getDimSize(2) % heads)
    return nodeError(node, "expects query, key and value [B, S, heads * D] "
                           "with num_heads > 0 dividing their last "
                           "dimension");
  // The bias of q, k and v, concatenated: a constant, split here.
  if (hasInput(node, kMhaBias)) {
    std::optional<DenseElementsAttr> bias = constant(inputName(node, kMhaBias));
    int64_t dq = qt.getDimSize(2), dk = kt.getDimSize(2), dv = vt.getDimSize(2);
    if (!bias || bias->getType().getRank() != 1 ||
        bias->getNumElements() != dq + dk + dv ||
        !bias->getElementType().isF32())
      return nodeError(node, "the bias must be a constant [Dq + Dk + Dv]");
    auto part = [&](int64_t offset, int64_t size) {
      SmallVector<float> values(bias->getValues<float>().begin() + offset,
                                bias->getValues<float>().begin() + offset +
                                    size);
      return arith::ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({size}, builder.getF32Type()),
              ArrayRef<float>(values)));
    };
    q = addValues(node, *q, part(0, dq));
    if (failed(q) || failed(k = addValues(node, *k, part(dq, dk))) ||
        failed(v = addValues(node, *v, part(dq + dk, dv))))
      return failure();
  }
  // The keys and values the attention reads: the past ones, then these.
  k = withPastKeys(node, *k, kMhaPastKey, kMhaPresentKey, heads);
  v = withPastKeys(node, *v, kMhaPastValue, kMhaPresentValue, heads);
  if (failed(k) || failed(v))
    return failure();
  kt = cast<RankedTensorType>(k->getType());
  vt = cast<RankedTensorType>(v->getType());
  int64_t headDim = qt.getDimSize(2) / heads;
  double scale = floatAttr(node, "scale", 0.0f);
  if (scale == 0.0)
    scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  AttentionLayoutAttr layout;
  if (intAttr(node, "unidirectional", 0)) {
    AttentionLayout causal;
    causal.causal = true;
    layout = AttentionLayoutAttr::get(ctx, causal);
  }
  // The attention bias [B or 1, N or 1, S, L], added to the scaled scores:
  // the attention's additive mask.
  Value mask;
  if (hasInput(node, kMhaAttentionBias)) {
    FailureOr<Value> bias = input(node, kMhaAttentionBias);
    if (failed(bias))
      return failure();
    mask = *bias;
  }
  // The key padding mask: mask_filter_value added to the scores of the keys
  // it hides (ONNX Runtime's CPU kernel adds it, rather than hiding them:
  // a row with every key hidden averages them all, as there).
  if (hasInput(node, kMhaKeyPaddingMask)) {
    FailureOr<Value> padding =
        keyPaddingMask(node, qt.getDimSize(0), kt.getDimSize(1));
    if (failed(padding))
      return failure();
    if (mask) {
      SmallVector<int64_t> both;
      auto mt = cast<RankedTensorType>(mask.getType());
      if (!OpTrait::util::getBroadcastedShape(
              mt.getShape(),
              cast<RankedTensorType>(padding->getType()).getShape(), both))
        return nodeError(node, "the attention bias and the key padding mask "
                               "do not broadcast");
      auto sum = AddOp::create(builder, loc, mt.clone(both), mask, *padding);
      if (failed(verifyBuilt(node, sum)))
        return failure();
      padding = sum.getResult();
    }
    mask = *padding;
  }
  SmallVector<int64_t> shape(qt.getShape());
  shape.back() = vt.getDimSize(2);
  auto attention = AttentionOp::create(
      builder, loc, qt.clone(shape), *q, *k, *v, mask, Value(), Value(),
      Value(), builder.getI64IntegerAttr(heads), IntegerAttr(),
      builder.getF64FloatAttr(scale), layout, nullptr);
  if (failed(verifyBuilt(node, attention)))
    return failure();
  return define(node, attention.getResult());
}

FailureOr<Value> Importer::withPastKeys(const onnx::NodeProto &node, Value x,
                                        int past, int present, int64_t heads) {
  if (!hasInput(node, past) && outputName(node, present).empty())
    return x;
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t b = xt.getDimSize(0), l = xt.getDimSize(1),
          d = xt.getDimSize(2) / heads;
  // [B, L, N * H] as [B, N, L, H], the layout of the past and present.
  Value fresh = transposeValue(reshapeValue(x, {b, l, heads, d}), {0, 2, 1, 3});
  Value all = fresh;
  if (hasInput(node, past)) {
    FailureOr<Value> given = input(node, past);
    if (failed(given))
      return failure();
    auto pt = cast<RankedTensorType>(given->getType());
    if (pt.getRank() != 4 || pt.getDimSize(0) != b ||
        pt.getDimSize(1) != heads || pt.getDimSize(3) != d ||
        pt.getElementType() != xt.getElementType()) {
      std::string got;
      llvm::raw_string_ostream(got) << pt;
      return nodeError(node, "past keys and values must be [B, num_heads, "
                             "P, head size] of the new ones' type, got " +
                                 got);
    }
    int64_t p = pt.getDimSize(2);
    all = mlir::tensor::ConcatOp::create(builder, loc,
                                         pt.clone({b, heads, p + l, d}), 2,
                                         ValueRange{*given, fresh})
              .getResult();
  }
  if (const std::string &name = outputName(node, present); !name.empty())
    values[name] = all;
  int64_t total = cast<RankedTensorType>(all.getType()).getDimSize(2);
  return reshapeValue(transposeValue(all, {0, 2, 1, 3}), {b, total, heads * d});
}

FailureOr<Value> Importer::keyPaddingMask(const onnx::NodeProto &node,
                                          int64_t batch, int64_t keys) {
  FailureOr<Value> given = input(node, kMhaKeyPaddingMask);
  if (failed(given))
    return failure();
  auto type = cast<RankedTensorType>(given->getType());
  if (!type.getElementType().isInteger() || type.getRank() < 1 ||
      type.getDimSize(0) != batch ||
      (type.getRank() != 1 &&
       (type.getRank() != 2 || type.getDimSize(1) != keys)))
    return nodeError(node, "key_padding_mask must be [B] key lengths or a "
                           "[B, L] mask of integers");
  // Which keys each sequence keeps: nonzero entries, or the first
  // lengths[b].
  Value keep;
  if (type.getRank() == 2) {
    keep = castValue(*given, builder.getI1Type());
  } else {
    auto shape = type.clone({batch, keys});
    SmallVector<APInt> positions;
    for (int64_t j = 0; j < keys; ++j)
      positions.emplace_back(type.getElementTypeBitWidth(), j, true);
    Value iota = arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type.clone({keys}), positions));
    keep = arith::CmpIOp::create(
        builder, loc, arith::CmpIPredicate::slt,
        broadcastValue(iota, shape.getShape()),
        broadcastValue(reshapeValue(*given, {batch, 1}), shape.getShape()));
  }
  auto scores = RankedTensorType::get({batch, keys}, builder.getF32Type());
  Value additive = arith::SelectOp::create(
      builder, loc, keep, splat(scores, 0),
      splat(scores, floatAttr(node, "mask_filter_value", -10000.0f)));
  return reshapeValue(additive, {batch, 1, 1, keys});
}
