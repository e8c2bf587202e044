//===- OnnxImporter.h - the state of one ONNX import ------------*- C++ -*-===//

#ifndef XF_LIB_TARGET_ONNX_ONNXIMPORTER_H
#define XF_LIB_TARGET_ONNX_ONNXIMPORTER_H

#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfOps.h"
#include "xf/Target/OnnxImport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <map>

#include "onnx/onnx_pb.h"

namespace mlir::xf::onnx_import {

struct Uses;
struct RopeTable;
using Nodes = google::protobuf::RepeatedPtrField<onnx::NodeProto>;

/// The name of input / output `i` of `node`, empty where there is none
/// (an optional input left out, or a malformed node).
inline const std::string &inputName(const onnx::NodeProto &node, int i) {
  static const std::string none;
  return i < node.input_size() ? node.input(i) : none;
}
inline const std::string &outputName(const onnx::NodeProto &node, int i) {
  static const std::string none;
  return i < node.output_size() ? node.output(i) : none;
}

/// Whether input `i` of `node` is given (optional inputs may be left out or
/// named "").
inline bool hasInput(const onnx::NodeProto &node, int i) {
  return !inputName(node, i).empty();
}

/// An ONNX axis, counted from the end when negative, as a dimension of a
/// rank-`rank` tensor; nullopt outside [-rank, rank).
inline std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

/// The attribute `name` of `node`, or null.
inline const onnx::AttributeProto *attribute(const onnx::NodeProto &node,
                                             llvm::StringRef name) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}
inline int64_t intAttr(const onnx::NodeProto &node, llvm::StringRef name,
                       int64_t value) {
  const onnx::AttributeProto *a = attribute(node, name);
  return a ? a->i() : value;
}
inline float floatAttr(const onnx::NodeProto &node, llvm::StringRef name,
                       float value) {
  const onnx::AttributeProto *a = attribute(node, name);
  return a ? a->f() : value;
}

/// What a recognized subgraph computes.
enum class PatternKind { GeluErf, Silu, RmsNorm, Rope };

/// A subgraph imported as one op: its root (last) node produces the value
/// from `input`; for RMSNorm with `weight` (empty for none) and `epsilon`,
/// for RoPE with `theta`, `headDim`, `positions` and the sliced `axis`, and
/// where the tables are rows gathered at run time, the gathered indices
/// (`positionIds`) and the cos operand of the product (`tableView`).
struct Pattern {
  PatternKind kind;
  std::string input;
  std::string weight = {};
  double epsilon = 0, theta = 0;
  int64_t headDim = 0, positions = 0, axis = -1;
  std::string positionIds = {}, tableView = {};
};

/// The recognized subgraphs of a graph, by the index of their root node,
/// and the indices of the other nodes they contain.
struct Patterns {
  llvm::DenseMap<size_t, Pattern> roots;
  llvm::DenseSet<size_t> inside;
};

/// theta when `cos` and `sin` are rotary tables of positions 0 .. S-1 for
/// `rotaryDim` rotated features: entry (t, i) of the [.., S, D] tables is the
/// angle t * theta^(-2 (i mod rotaryDim/2) / rotaryDim). D is rotaryDim for
/// tables of both halves (PyTorch's), rotaryDim / 2 for one (ONNX Runtime's
/// caches).
std::optional<double> ropeTheta(DenseElementsAttr cos, DenseElementsAttr sin,
                                int64_t rotaryDim);

/// The MLIR element type of an ONNX one (TensorProto::DataType), or null
/// where xf does not take it.
Type elementType(MLIRContext *ctx, int32_t onnxType);

class Importer {
public:
  Importer(MLIRContext *ctx, Location loc) : ctx(ctx), builder(ctx), loc(loc) {}

  /// The module of `model`; the bytes of the large initializers it reads
  /// move out of `model` into the module's resource blobs.
  OwningOpRef<ModuleOp> run(onnx::ModelProto &model,
                            const OnnxImportOptions &options);

private:
  // OnnxImport.cpp: tensors, types, values, errors.
  FailureOr<DenseElementsAttr> tensor(const onnx::TensorProto &t,
                                      const Twine &what);
  /// The type of `t`, checked: element type, storage, dimensions.
  FailureOr<RankedTensorType> tensorType(const onnx::TensorProto &t,
                                         const Twine &what);
  /// The type of `t` and its bytes as they are in the model (a view into
  /// `t`), checked against the type; not for bools (MLIR packs them).
  FailureOr<std::pair<RankedTensorType, ArrayRef<char>>>
  tensorBytes(const onnx::TensorProto &t, const Twine &what);
  /// tensor() without an error: nullopt-like failure for what it refuses.
  FailureOr<DenseElementsAttr> tensorQuiet(const onnx::TensorProto &t);
  FailureOr<RankedTensorType> valueType(const onnx::ValueInfoProto &info);
  /// Input `i` of `node`: a value defined before it, or a constant.
  FailureOr<Value> input(const onnx::NodeProto &node, int i);
  /// Every input of `node`, in order.
  FailureOr<SmallVector<Value>> inputs(const onnx::NodeProto &node);
  /// The value `name` that `node` reads.
  FailureOr<Value> named(const onnx::NodeProto &node, const std::string &name);
  /// The value of an initializer or a Constant node's output.
  std::optional<DenseElementsAttr> constant(StringRef name);
  /// Whether `name` is an initializer or a Constant node's output, and its
  /// type: without reading its value.
  bool isConstant(StringRef name);
  RankedTensorType constantType(StringRef name);
  /// The large initializer `name` as a resource blob, made from the model's
  /// bytes (freed there) the first time; null for anything else.
  ElementsAttr largeConstant(StringRef name);
  LogicalResult define(const onnx::NodeProto &node, Value v);
  LogicalResult fail(const Twine &message);
  LogicalResult nodeError(const onnx::NodeProto &node, const Twine &reason);
  /// normalizeAxis, or an error naming the node and the axis.
  FailureOr<int64_t> axisOf(const onnx::NodeProto &node, int64_t axis,
                            int64_t rank);

  /// Imports `nodes` in order at the builder's insertion point.
  LogicalResult importNodes(const Nodes &nodes, ArrayRef<std::string> outputs);

  // OnnxFunctions.cpp: model-local functions (a layer exported with
  // export_modules_as_functions) as private functions, one per signature,
  // called per use.
  LogicalResult importCall(const onnx::NodeProto &node,
                           const onnx::FunctionProto &function);

  // OnnxNodes.cpp: one node at a time.
  /// Verifies `op`, built for `node`; on failure erases it and reports the
  /// verifier's message as the node's error.
  LogicalResult verifyBuilt(const onnx::NodeProto &node, Operation *op);
  /// An op of `resultType` for `node`, verified.
  template <typename OpTy, typename... Args>
  FailureOr<Value> build(const onnx::NodeProto &node, Type resultType,
                         Args &&...args);
  LogicalResult importNode(const onnx::NodeProto &node);
  LogicalResult importConstant(const onnx::NodeProto &node);
  LogicalResult importMatMul(const onnx::NodeProto &node);
  LogicalResult importGemm(const onnx::NodeProto &node);
  LogicalResult importBinary(const onnx::NodeProto &node);
  LogicalResult importLayerNorm(const onnx::NodeProto &node);
  LogicalResult importSoftmax(const onnx::NodeProto &node);
  LogicalResult importUnary(const onnx::NodeProto &node);
  LogicalResult importTranspose(const onnx::NodeProto &node);
  LogicalResult importNeg(const onnx::NodeProto &node);

  // OnnxContrib.cpp: ONNX Runtime's com.microsoft ops.
  LogicalResult importContrib(const onnx::NodeProto &node);
  LogicalResult importBiasGelu(const onnx::NodeProto &node);
  LogicalResult importSkipLayerNorm(const onnx::NodeProto &node);
  LogicalResult importMultiHeadAttention(const onnx::NodeProto &node);
  /// MultiHeadAttention's keys or values `x` [B, L, N * H] after input
  /// `past`'s [B, N, P, H], as [B, P + L, N * H]; output `present` (if
  /// asked for) is them all as [B, N, P + L, H].
  FailureOr<Value> withPastKeys(const onnx::NodeProto &node, Value x, int past,
                                int present, int64_t heads);
  /// MultiHeadAttention's key padding mask, [B] lengths or [B, L] flags, as
  /// an additive [B, 1, 1, L] mask.
  FailureOr<Value> keyPaddingMask(const onnx::NodeProto &node, int64_t batch,
                                  int64_t keys);
  LogicalResult importGroupQueryAttention(const onnx::NodeProto &node);
  /// GroupQueryAttention's keys or values `x` ([B, S, kv_heads * D])
  /// appended to its past ones (input `past`) at each sequence's length
  /// `kvLen` in a present cache of `capacity` rows; defines output `present`
  /// and returns the cache as [B, capacity, kv_heads * D].
  FailureOr<Value> appendToCache(const onnx::NodeProto &node, Value x, int past,
                                 int present, Value kvLen, int64_t kvHeads,
                                 int64_t capacity);
  /// GroupQueryAttention's attention bias (input `index`, [B or 1, heads or
  /// 1, S, total length]) as the attention's additive mask over `keys`
  /// ([B, capacity, ...]), zeros past the total length; null without one.
  FailureOr<Value> attentionBias(const onnx::NodeProto &node, int index,
                                 int64_t b, int64_t heads, int64_t s,
                                 RankedTensorType keys);
  /// The elementwise integer op OpTy of `a` and `b` (one shape).
  template <typename OpTy> Value intArith(Value a, Value b);
  /// A tensor of `type` with every element `value`.
  Value splat(RankedTensorType type, double value);
  /// a + b, b broadcast along a's leading dimensions.
  FailureOr<Value> addValues(const onnx::NodeProto &node, Value a, Value b);

  // OnnxShapes.cpp: shape computations (folded) and data movement.
  LogicalResult importShape(const onnx::NodeProto &node);
  LogicalResult importGather(const onnx::NodeProto &node);
  /// Gather from a float value: rows of a table, or constant indices.
  LogicalResult importGatherValues(const onnx::NodeProto &node);
  LogicalResult importUnsqueeze(const onnx::NodeProto &node);
  LogicalResult importConcat(const onnx::NodeProto &node);
  LogicalResult importReshape(const onnx::NodeProto &node);
  LogicalResult importSlice(const onnx::NodeProto &node);
  LogicalResult importSplit(const onnx::NodeProto &node);
  LogicalResult importConstantOfShape(const onnx::NodeProto &node);
  LogicalResult importIntegerSelect(const onnx::NodeProto &node);

  // OnnxValueOps.cpp: elementwise ops on run-time values, as graphs compute
  // masks: Cast, and Where between values.
  LogicalResult importCast(const onnx::NodeProto &node);
  LogicalResult importWhere(const onnx::NodeProto &node);
  /// `x` (a value or a constant) converted to `element`.
  Value castValue(Value x, Type element);
  LogicalResult importExpand(const onnx::NodeProto &node);
  /// The values of an integer constant.
  std::optional<SmallVector<int64_t>> intValues(StringRef name);
  /// The type of input `i` of `node`, whatever defines it.
  FailureOr<RankedTensorType> typeOf(const onnx::NodeProto &node, int i);
  Value transposeValue(Value x, ArrayRef<int64_t> perm);
  Value reshapeValue(Value x, ArrayRef<int64_t> shape);
  /// `x` broadcast to `shape` (numpy rules; the caller checks that they
  /// apply).
  Value broadcastValue(Value x, ArrayRef<int64_t> shape);
  /// Part `index` of a projection packed as [B, S, N, parts, H], as
  /// [B, S, N * H] (MultiHeadAttention's packed q/k/v).
  Value unpackHeads(Value packed, int64_t index);
  Value sliceValue(Value x, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                   ArrayRef<int64_t> strides);
  /// Fails with `node`'s error unless `shape` is a shape a tensor can have
  /// (no negative dimension, at most 2^40 elements).
  LogicalResult checkShape(const onnx::NodeProto &node,
                           ArrayRef<int64_t> shape);
  /// Defines `node`'s output as its input 0 in `type`'s shape.
  LogicalResult reshapeInput(const onnx::NodeProto &node,
                             RankedTensorType type);

  // OnnxPatterns.cpp: subgraphs imported as one op.
  Patterns findPatterns(const Nodes &nodes, ArrayRef<std::string> outputs);
  /// The value of an initializer or of a Constant node's output, found
  /// before the nodes are imported (patterns are found first); and that
  /// value as one f32 or as int64s.
  std::optional<DenseElementsAttr> constantBefore(const Uses &uses,
                                                  StringRef name);
  std::optional<double> scalarValue(const Uses &uses, StringRef name);
  std::optional<SmallVector<int64_t>> integersBefore(const Uses &uses,
                                                     StringRef name);
  LogicalResult importPattern(const onnx::NodeProto &root,
                              const Pattern &pattern);
  void findRmsNorm(const Uses &uses, size_t pow, Patterns &patterns);
  // OnnxRope.cpp: x * cos + rotate_half(x) * sin.
  void findRope(const Uses &uses, size_t add, Patterns &patterns);
  /// Whether two rotary tables are gathered at the same indices and
  /// unsqueezed alike (OnnxRope.cpp).
  bool sameView(const Uses &uses, const RopeTable &a, const RopeTable &b);
  LogicalResult importRope(const onnx::NodeProto &root, const Pattern &pattern,
                           Value x);

  MLIRContext *ctx;
  /// The module being built, and the model's local functions by domain and
  /// name, and their imports by signature.
  ModuleOp module;
  std::map<std::pair<std::string, std::string>, const onnx::FunctionProto *>
      functions;
  llvm::StringMap<func::FuncOp> imported;
  /// The model's version of the default ONNX operator set.
  int64_t opset = 0;
  /// The position in the graph of the node being imported.
  size_t nodeIndex = 0;
  OpBuilder builder;
  Location loc;
  llvm::StringMap<Value> values;
  llvm::StringMap<DenseElementsAttr> constants;
  /// Initializers of kLargeConstantBytes or more (the weights), kept out of
  /// `constants` until something reads their values: an op that only
  /// consumes one gets a resource blob, never a uniqued attribute, so that
  /// a model's weights are held once while it is imported and can be freed
  /// as they are packed. Pending ones point into the model.
  llvm::StringMap<onnx::TensorProto *> pendingInitializers;
  llvm::StringMap<ElementsAttr> largeInitializers;
  /// The types the graph declares for its outputs.
  llvm::StringMap<RankedTensorType> declaredOutputs;
  /// Values that are another value with its last two axes swapped: a
  /// MatMul reads them as a transposed operand.
  llvm::StringMap<Value> transposed;
};

} // namespace mlir::xf::onnx_import

#endif // XF_LIB_TARGET_ONNX_ONNXIMPORTER_H
