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
// padding), and so does the import.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

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
  kFirstUnsupported
};

} // namespace

LogicalResult Importer::importGroupQueryAttention(const onnx::NodeProto &node) {
  for (int i = kFirstUnsupported; i < node.input_size(); ++i)
    if (hasInput(node, i))
      return nodeError(node, "input #" + Twine(i) +
                                 " (position ids, an attention bias, head "
                                 "sinks) is not supported");
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

  // Past keys and values: none or empty ones (a first prompt).
  for (int i : {kPastKey, kPastValue})
    if (hasInput(node, i)) {
      FailureOr<RankedTensorType> t = typeOf(node, i);
      if (failed(t))
        return failure();
      if (t->getRank() != 4 || t->getDimSize(2) != 0)
        return nodeError(node, "past keys and values (a KV cache) are not "
                               "supported: only a first prompt, with none "
                               "or empty ones");
    }
  if (hasInput(node, kTotal))
    if (std::optional<SmallVector<int64_t>> total =
            intValues(inputName(node, kTotal));
        total && (total->size() != 1 || (*total)[0] != s))
      return nodeError(node, "total_sequence_length must be the prompt's "
                             "length " +
                                 Twine(s) + " without past keys and values");

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
    for (Value *x : {&q, &k}) {
      auto rope = RopeOp::create(
          builder, loc, x->getType(), *x, Value(), Value(),
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
  // local_window_size w: a query sees itself and the w keys before it.
  AttentionLayout layout;
  layout.causal = true;
  if (int64_t w = intAttr(node, "local_window_size", -1); w >= 0)
    layout.window = w + 1;
  auto attention = AttentionOp::create(
      builder, loc, qt.clone({b, s, heads * headDim}), q, k, v, Value(),
      Value(), Value(), Value(), builder.getI64IntegerAttr(heads),
      kvHeads == heads ? IntegerAttr() : builder.getI64IntegerAttr(kvHeads),
      builder.getF64FloatAttr(scale), AttentionLayoutAttr::get(ctx, layout),
      nullptr);
  if (failed(verifyBuilt(node, attention)))
    return failure();

  // present_key / present_value: [B, kv_num_heads, S, D].
  Value keysAndValues[] = {k, v};
  for (auto [i, x] : llvm::enumerate(keysAndValues))
    if (const std::string &name = outputName(node, i + 1); !name.empty())
      values[name] = transposeValue(reshapeValue(x, {b, s, kvHeads, headDim}),
                                    {0, 2, 1, 3});
  return define(node, attention.getResult());
}
