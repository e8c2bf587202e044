//===- ShapeChecks.h - shape validation shared by xf ops --------*- C++ -*-===//
//
// Type inference of every xf op validates its operands through these helpers,
// which work on shapes rather than values so that composite ops (xf.block,
// xf.mlp) can check the virtual tensors between their stages with the same
// code and messages as the primitives.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_DIALECT_SHAPECHECKS_H
#define XF_LIB_DIALECT_SHAPECHECKS_H

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/Diagnostics.h"

#include <optional>

namespace mlir::xf::checks {

/// Emits "'xf.<op>' op ..." errors at the op's location, or nothing when
/// inference runs without a location.
class OpChecker {
public:
  OpChecker(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}

  template <typename... Args> LogicalResult fail(Args &&...args) const {
    return emitOptionalError(loc, "'", opName, "' op ",
                             std::forward<Args>(args)...);
  }

private:
  std::optional<Location> loc;
  StringRef opName;
};

/// Prints a shape as `[a, b, ?]`.
std::string formatShape(ArrayRef<int64_t> shape);

/// Whether two sizes are known to differ.
bool dimsConflict(int64_t a, int64_t b);
/// The static one of two compatible sizes (dynamic if both are).
int64_t mergeDims(int64_t a, int64_t b);

/// Checks that all given types share one element type.
LogicalResult checkSameElementType(const OpChecker &c, ArrayRef<Type> types);

/// The element types of an op with weights: the activations (inputs, biases,
/// residuals, norm weights, caches; null entries skipped) share one float
/// type, and each weight has that type or, with f32 activations, is bf16 or
/// f16. The one rule for xf.linear, xf.mlp and xf.block.
LogicalResult checkWeightTypes(const OpChecker &c, ArrayRef<Type> activations,
                               ArrayRef<Type> weights);

/// Checks that `shape` is `[size]` for a per-feature vector named `what`.
LogicalResult checkVector(const OpChecker &c, StringRef what,
                          ArrayRef<int64_t> shape, int64_t size);

/// Checks a linear weight against `inFeatures` and returns its output size.
FailureOr<int64_t> checkLinearWeight(const OpChecker &c, StringRef what,
                                     ArrayRef<int64_t> weight,
                                     int64_t inFeatures, WeightLayout layout);

/// NumPy broadcast of two shapes.
FailureOr<SmallVector<int64_t>> broadcastShapes(const OpChecker &c,
                                                StringRef what,
                                                ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs);

/// The attention configuration that q/k/v shapes are checked against.
struct AttentionConfig {
  int64_t numHeads;
  int64_t numKvHeads;
  std::optional<double> scale;
  AttentionLayoutAttr layout;

  /// Builds the configuration from the attributes xf.attention and xf.block
  /// share.
  static AttentionConfig get(uint64_t numHeads,
                             std::optional<uint64_t> numKvHeads,
                             std::optional<APFloat> scale,
                             AttentionLayoutAttr layout);
};

/// The shapes of attention's operands; absent optional ones are nullopt.
struct AttentionShapes {
  ArrayRef<int64_t> q, k, v;
  std::optional<ArrayRef<int64_t>> mask, kvLen, blockMask, seqOffsets;
  /// The block sizes of `blockMask`.
  std::optional<ArrayRef<int64_t>> blockMaskSizes;
};

/// Checks attention's operands and returns the result shape
/// `[..., Sq, H * Dv]`.
FailureOr<SmallVector<int64_t>> checkAttention(const OpChecker &c,
                                               const AttentionConfig &config,
                                               const AttentionShapes &shapes);

/// Checks that `kvLen` has the batch shape `batch` (xf.attention,
/// xf.cache_write).
LogicalResult checkKvLen(const OpChecker &c, ArrayRef<int64_t> kvLen,
                         ArrayRef<int64_t> batch);

/// Checks RoPE's optional positions (`[S]` or `[..., S]`) or sequence
/// offsets against an input `x`.
LogicalResult checkRopePositions(const OpChecker &c, ArrayRef<int64_t> x,
                                 std::optional<ArrayRef<int64_t>> positions,
                                 std::optional<ArrayRef<int64_t>> seqOffsets);

/// The weights of an MLP, as xf.mlp and xf.block take them.
struct MlpShapes {
  ArrayRef<int64_t> up, down;
  std::optional<ArrayRef<int64_t>> gate, upBias, gateBias, downBias;
};

/// Checks an MLP applied to `[..., inFeatures]` and returns its output size.
FailureOr<int64_t> checkMlp(const OpChecker &c, const MlpShapes &mlp,
                            int64_t inFeatures, WeightLayout layout);

/// Checks the rotary-embedding attributes against a head size.
LogicalResult checkRope(const OpChecker &c, int64_t headDim,
                        std::optional<int64_t> rotaryDim, double theta);

/// The shape of an optional operand, if present.
inline std::optional<ArrayRef<int64_t>> shapeOf(Value v) {
  if (!v)
    return std::nullopt;
  return cast<RankedTensorType>(v.getType()).getShape();
}
inline ArrayRef<int64_t> shapeOfValue(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

} // namespace mlir::xf::checks

#endif // XF_LIB_DIALECT_SHAPECHECKS_H
