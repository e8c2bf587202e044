//===- OnnxGroupQueryAttention.cpp - ONNX Runtime's grouped attention -----===//
//
// com.microsoft GroupQueryAttention as generation loops export it: grouped
// heads, a causal (optionally sliding-window) layout, rotary embedding from
// cos/sin caches, and keys and values appended to a KV cache. A first
// prompt (no past keys and values, or empty ones) is one xf.attention with
// kv_heads; its rotary embedding is xf.rope when the caches are the tables of
// one theta; its present keys and values are the heads-first copies of the
// keys and values. In a prompt ONNX Runtime's attention does not read
// seqlens_k: query i sees keys 0 .. i (rows past a sequence's length are
// padding), and so does the import. With past keys and values, the new ones
// are xf.cache_write into the present cache at each sequence's length, and
// the attention reads the cache up to it (kv_len); the rotary embedding
// rotates the new rows at their positions.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::onnx_import;

namespace {

// The inputs of GroupQueryAttention.
enum Input {
  kQuery,
  kKey,
  kValue,
  kPastKey,
  kPastValue,
  kSeqLens,
  kTotal,
  kCos,
  kSin,
  kPositionIds,
  kAttentionBias,
  kFirstUnsupported
};

} // namespace

LogicalResult Importer::importGroupQueryAttention(const onnx::NodeProto &node) {
  for (int i = kFirstUnsupported; i < node.input_size(); ++i)
    if (hasInput(node, i))
      return nodeError(node,
                       "input #" + Twine(i) + " (head sinks) is not supported");
  if (floatAttr(node, "softcap", 0.0f) != 0.0f ||
      intAttr(node, "smooth_softmax", 0))
    return nodeError(node, "softcap and smooth_softmax are not supported");
  int64_t heads = intAttr(node, "num_heads", 0);
  int64_t kvHeads = intAttr(node, "kv_num_heads", 0);
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads)
    return nodeError(node, "expects num_heads and kv_num_heads > 0, "
                           "kv_num_heads dividing num_heads");
  FailureOr<Value> query = input(node, kQuery);
  if (failed(query))
    return failure();
  auto qt = cast<RankedTensorType>(query->getType());
  if (qt.getRank() != 3)
    return nodeError(node, "expects a query [B, S, features]");
  int64_t b = qt.getDimSize(0), s = qt.getDimSize(1), f = qt.getDimSize(2);

  // Separate q, k, v, or the three packed in the query's features.
  Value q = *query, k, v;
  int64_t headDim;
  if (!hasInput(node, kKey) && !hasInput(node, kValue)) {
    if (f % (heads + 2 * kvHeads))
      return nodeError(node, "a packed query's features must be (num_heads + "
                             "2 kv_num_heads) * head size");
    headDim = f / (heads + 2 * kvHeads);
    auto part = [&](int64_t offset, int64_t size) {
      return sliceValue(*query, {0, 0, offset * headDim},
                        {b, s, size * headDim}, {1, 1, 1});
    };
    q = part(0, heads);
    k = part(heads, kvHeads);
    v = part(heads + kvHeads, kvHeads);
  } else {
    FailureOr<Value> key = input(node, kKey), value = input(node, kValue);
    if (failed(key) || failed(value))
      return failure();
    k = *key;
    v = *value;
    headDim = f / heads;
    for (Value x : {k, v}) {
      auto t = cast<RankedTensorType>(x.getType());
      if (f % heads || t.getRank() != 3 || t.getDimSize(0) != b ||
          t.getDimSize(1) != s || t.getDimSize(2) != kvHeads * headDim)
        return nodeError(node, "expects a query [B, S, num_heads * D] and a "
                               "key and value [B, S, kv_num_heads * D]");
    }
  }

  // Past keys and values [B, kv_num_heads, P, D]: none or empty ones (a
  // first prompt), or a KV cache.
  if (hasInput(node, kPastKey) != hasInput(node, kPastValue))
    return nodeError(node, "expects both past_key and past_value or neither");
  int64_t pastLen = 0;
  if (hasInput(node, kPastKey))
    for (int i : {kPastKey, kPastValue}) {
      FailureOr<RankedTensorType> t = typeOf(node, i);
      if (failed(t))
        return failure();
      if (t->getRank() != 4 || t->getDimSize(0) != b ||
          t->getDimSize(1) != kvHeads || t->getDimSize(3) != headDim ||
          t->getElementType() != qt.getElementType() ||
          t->getDimSize(2) != typeOf(node, kPastKey)->getDimSize(2))
        return nodeError(node, "expects past_key and past_value [B, "
                               "kv_num_heads, P, head size] of the query's "
                               "element type");
      pastLen = t->getDimSize(2);
    }
  std::optional<SmallVector<int64_t>> total =
      hasInput(node, kTotal) ? intValues(inputName(node, kTotal))
                             : std::nullopt;
  if (total && total->size() != 1)
    return nodeError(node, "total_sequence_length must be a scalar");
  if (!pastLen && total && (*total)[0] != s)
    return nodeError(node, "total_sequence_length must be the prompt's "
                           "length " +
                               Twine(s) + " without past keys and values");

  // With a cache, sequence b's S new rows end at its length seqlens_k[b] + 1
  // (ONNX Runtime's past length seqlens_k[b] + 1 - S), or at S in a prompt
  // padded past its length (where ONNX Runtime writes from row 0 and its
  // query i sees keys 0 .. i, as here): kv_len = max(seqlens_k + 1, S).
  Value kvLen;
  if (pastLen) {
    FailureOr<Value> seqLens = input(node, kSeqLens);
    if (failed(seqLens))
      return failure();
    auto lt = cast<RankedTensorType>(seqLens->getType());
    if (lt.getRank() != 1 || lt.getDimSize(0) != b ||
        !lt.getElementType().isInteger() || lt.getElementTypeBitWidth() < 8)
      return nodeError(node, "expects seqlens_k [B] of integers");
    kvLen = intArith<linalg::MaxOp>(
        intArith<linalg::AddOp>(*seqLens, splat(lt, 1)), splat(lt, s));
  }

  // Rotary embedding of q and k at positions 0 .. S-1.
  if (intAttr(node, "do_rotary", 0)) {
    std::optional<DenseElementsAttr> cos = constant(inputName(node, kCos));
    std::optional<DenseElementsAttr> sin = constant(inputName(node, kSin));
    // [positions >= S, rotary dim / 2] tables.
    bool tables = cos && sin && cos->getType().getRank() == 2 &&
                  cos->getType().getDimSize(0) >= s;
    int64_t rotaryDim = tables ? 2 * cos->getType().getDimSize(1) : 0;
    std::optional<double> theta = tables && rotaryDim <= headDim
                                      ? ropeTheta(*cos, *sin, rotaryDim)
                                      : std::nullopt;
    if (!theta)
      return nodeError(node, "do_rotary needs constant cos_cache and "
                             "sin_cache [positions >= S, rotary dim / 2] that "
                             "are the tables of one theta");
    RopeStyle style = intAttr(node, "rotary_interleaved", 0)
                          ? RopeStyle::interleaved
                          : RopeStyle::half;
    // Positions position_ids [B, S] when given; else kv_len - S .. kv_len -
    // 1 of each sequence, or 0 .. S-1.
    Value positions;
    if (hasInput(node, kPositionIds)) {
      FailureOr<Value> ids = input(node, kPositionIds);
      if (failed(ids))
        return failure();
      auto it = cast<RankedTensorType>(ids->getType());
      if (it.getRank() != 2 || it.getDimSize(0) != b || it.getDimSize(1) != s ||
          !it.getElementType().isInteger() || it.getElementTypeBitWidth() < 8)
        return nodeError(node, "expects position_ids [B, S] of integers");
      positions = *ids;
    } else if (kvLen) {
      auto lt = cast<RankedTensorType>(kvLen.getType());
      SmallVector<int64_t> steps = llvm::to_vector(llvm::seq<int64_t>(0, s));
      Value iota = arith::ConstantOp::create(
          builder, loc,
          DenseElementsAttr::get(
              lt.clone({s}), llvm::map_to_vector(steps, [&](int64_t i) {
                return APInt(lt.getElementTypeBitWidth(), i, true);
              })));
      Value start = intArith<linalg::SubOp>(kvLen, splat(lt, s));
      positions = intArith<linalg::AddOp>(
          broadcastValue(reshapeValue(start, {b, 1}), {b, s}),
          broadcastValue(iota, {b, s}));
    }
    for (Value *x : {&q, &k}) {
      auto rope = RopeOp::create(
          builder, loc, x->getType(), *x, positions, Value(),
          builder.getI64IntegerAttr(headDim),
          rotaryDim == headDim ? IntegerAttr()
                               : builder.getI64IntegerAttr(rotaryDim),
          builder.getF64FloatAttr(*theta), RopeStyleAttr::get(ctx, style));
      if (failed(verifyBuilt(node, rope)))
        return failure();
      *x = rope.getResult();
    }
  }

  double scale = floatAttr(node, "scale", 0.0f);
  if (scale == 0.0)
    scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  // local_window_size w > 0: a query sees w keys, itself and the w - 1
  // before it (Mistral's sliding window; what ONNX Runtime 1.30 computes,
  // checked against it).
  AttentionLayout layout;
  layout.causal = true;
  if (int64_t w = intAttr(node, "local_window_size", -1); w > 0)
    layout.window = w;
  // The cache's capacity: the present outputs' declared length, else
  // ONNX Runtime's max(P, total_sequence_length), which must be a constant.
  int64_t capacity = s;
  if (pastLen) {
    capacity = pastLen;
    if (total)
      capacity = std::max(capacity, (*total)[0]);
    auto declared = declaredOutputs.find(outputName(node, 1));
    if (declared != declaredOutputs.end() && declared->second.getRank() == 4)
      capacity = declared->second.getDimSize(2);
    if (capacity < pastLen || capacity < s)
      return nodeError(node, "the present keys' length " + Twine(capacity) +
                                 " is shorter than the past keys or the "
                                 "new ones");
    FailureOr<Value> keys =
        appendToCache(node, k, kPastKey, 1, kvLen, kvHeads, capacity);
    FailureOr<Value> vals =
        appendToCache(node, v, kPastValue, 2, kvLen, kvHeads, capacity);
    if (failed(keys) || failed(vals))
      return failure();
    k = *keys;
    v = *vals;
  }
  FailureOr<Value> bias = attentionBias(node, kAttentionBias, b, heads, s,
                                        cast<RankedTensorType>(k.getType()));
  if (failed(bias))
    return failure();
  auto attention = AttentionOp::create(
      builder, loc, qt.clone({b, s, heads * headDim}), q, k, v, *bias, kvLen,
      Value(), Value(), builder.getI64IntegerAttr(heads),
      kvHeads == heads ? IntegerAttr() : builder.getI64IntegerAttr(kvHeads),
      builder.getF64FloatAttr(scale), AttentionLayoutAttr::get(ctx, layout),
      nullptr);
  if (failed(verifyBuilt(node, attention)))
    return failure();

  // A prompt's present_key / present_value: [B, kv_num_heads, S, D].
  Value keysAndValues[] = {k, v};
  if (!pastLen)
    for (auto [i, x] : llvm::enumerate(keysAndValues))
      if (const std::string &name = outputName(node, i + 1); !name.empty())
        values[name] = transposeValue(reshapeValue(x, {b, s, kvHeads, headDim}),
                                      {0, 2, 1, 3});
  return define(node, attention.getResult());
}

FailureOr<Value> Importer::attentionBias(const onnx::NodeProto &node, int index,
                                         int64_t b, int64_t heads, int64_t s,
                                         RankedTensorType keys) {
  if (!hasInput(node, index))
    return Value();
  FailureOr<Value> given = input(node, index);
  if (failed(given))
    return failure();
  auto t = cast<RankedTensorType>(given->getType());
  int64_t capacity = keys.getDimSize(1);
  if (t.getRank() != 4 ||
      !llvm::is_contained({int64_t(1), b}, t.getDimSize(0)) ||
      !llvm::is_contained({int64_t(1), heads}, t.getDimSize(1)) ||
      t.getDimSize(2) != s || t.getDimSize(3) < 1 ||
      t.getDimSize(3) > capacity || t.getElementType() != keys.getElementType())
    return nodeError(node, "expects an attention bias [B or 1, num_heads or "
                           "1, S, total sequence length <= " +
                               Twine(capacity) + "] of the query's type");
  if (t.getDimSize(3) == capacity)
    return *given;
  // Keys past the total length are past every kv_len: hidden whatever is
  // added to them.
  SmallVector<int64_t> shape(t.getShape());
  shape[3] = capacity - t.getDimSize(3);
  Value zeros = splat(t.clone(shape), 0);
  shape[3] = capacity;
  return mlir::tensor::ConcatOp::create(builder, loc, t.clone(shape), 3,
                                        ValueRange{*given, zeros})
      .getResult();
}

FailureOr<Value> Importer::appendToCache(const onnx::NodeProto &node, Value x,
                                         int past, int present, Value kvLen,
                                         int64_t kvHeads, int64_t capacity) {
  FailureOr<Value> cache = input(node, past);
  if (failed(cache))
    return failure();
  auto ct = cast<RankedTensorType>(cache->getType());
  int64_t b = ct.getDimSize(0), pastLen = ct.getDimSize(2),
          headDim = ct.getDimSize(3);
  int64_t s = cast<RankedTensorType>(x.getType()).getDimSize(1);
  // A present longer than the past: the past's rows, then zeros.
  if (capacity > pastLen) {
    Value zeros = splat(ct.clone({b, kvHeads, capacity - pastLen, headDim}), 0);
    cache = mlir::tensor::ConcatOp::create(
                builder, loc, ct.clone({b, kvHeads, capacity, headDim}), 2,
                ValueRange{*cache, zeros})
                .getResult();
  }
  // Each head's rows kv_len - S .. kv_len - 1: the cache's batch is
  // [B, kv_num_heads].
  Value update =
      transposeValue(reshapeValue(x, {b, s, kvHeads, headDim}), {0, 2, 1, 3});
  Value lens = broadcastValue(reshapeValue(kvLen, {b, 1}), {b, kvHeads});
  auto write = CacheWriteOp::create(builder, loc, cache->getType(), update,
                                    *cache, lens);
  if (failed(verifyBuilt(node, write)))
    return failure();
  if (const std::string &name = outputName(node, present); !name.empty())
    values[name] = write.getResult();
  return reshapeValue(transposeValue(write.getResult(), {0, 2, 1, 3}),
                      {b, capacity, kvHeads * headDim});
}

template <typename OpTy> Value Importer::intArith(Value a, Value b) {
  auto type = cast<RankedTensorType>(a.getType());
  Value init = mlir::tensor::EmptyOp::create(builder, loc, type.getShape(),
                                             type.getElementType());
  return OpTy::create(builder, loc, ValueRange{a, b}, ValueRange{init})
      ->getResult(0);
}

Value Importer::splat(RankedTensorType type, double value) {
  Type elt = type.getElementType();
  Attribute v =
      isa<FloatType>(elt)
          ? Attribute(builder.getFloatAttr(elt, value))
          : Attribute(builder.getIntegerAttr(elt, static_cast<int64_t>(value)));
  return arith::ConstantOp::create(builder, loc,
                                   SplatElementsAttr::get(type, v));
}
