//===- Kernels.h - reference semantics of the xf ops ------------*- C++ -*-===//
//
// An independent implementation of every xf op in double precision with
// naive loops, written from the op definitions in dialects/xf/*.td and not
// from the lowering. Attention layouts come from their one definition,
// xf/Dialect/AttentionLayout.h (plain C++ too). It is the oracle that xf-run
// --check and the end-to-end tests compare compiled code against. Plain C++17;
// no MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef XF_REFERENCE_KERNELS_H
#define XF_REFERENCE_KERNELS_H

#include "xf/Dialect/AttentionLayout.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::xf::ref {

/// How a compiled product rounds its input rows before multiplying them
/// with a weight, as xf-run --check models low-precision kernels (not the
/// ops' semantics): not at all; each value to bf16; or each row quantized
/// to int8 (the int8 panels of lib/Codegen/CPU/GemmKernel.cpp), which
/// applies where the weight's channels lie along dimension `channelAxis`
/// and that is the product's output dimension N.
struct InputRounding {
  /// From the finest to the coarsest.
  enum Kind { None, Bf16, Int8Rows } kind = None;
  int64_t channelAxis = 0;
};

/// A dense row-major tensor of doubles. Rank 0 has shape {} and one element.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;
  /// On a weight: how the products with it round their inputs (None unless
  /// the evaluator is asked to model a kernel; see Evaluator.h).
  InputRounding rounding;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape, double fill = 0.0);

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Number of elements.
  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// Size of dimension `i`; negative `i` counts from the end.
  int64_t dim(int64_t i) const;
};

/// Integer tensor (token ids, positions), row-major.
struct IndexTensor {
  std::vector<int64_t> shape;
  std::vector<int64_t> data;
};

enum class Activation { Gelu, GeluTanh, Relu, Silu };
enum class Layout { KN, NK };
enum class RopeStyle { Half, Interleaved };
enum class NormKind { LayerNorm, RmsNorm };
enum class NormPlacement { Pre, Post };

/// Symmetric int8 weights `q` ([C, K] for axis 0, [K, C] for axis 1) times
/// `scales`: [C] per channel, or [C, ceil(K / group)] with a group size.
Tensor dequantize(const IndexTensor &q, const Tensor &scales, int64_t axis,
                  std::optional<int64_t> group);
/// `x` as a product with a weight tagged `rounding` in `layout` reads it:
/// each value rounded to bf16 (nearest even), or each row quantized to
/// xq * s with s = max |x| / 127 and xq = round(x / s) in f32 arithmetic,
/// a NaN or infinite row all NaN, a row below 1e-30 zero; else `x`.
Tensor roundInputs(const Tensor &x, InputRounding rounding, Layout layout);
/// act(x W + bias) + residual over the last dimension of x, with x rounded
/// as w.rounding says (roundInputs).
Tensor linear(const Tensor &x, const Tensor &w, Layout layout,
              const Tensor *bias = nullptr,
              std::optional<Activation> act = std::nullopt,
              const Tensor *residual = nullptr);
/// Batched op(a) op(b) with NumPy-broadcast batch dimensions.
Tensor matmul(const Tensor &a, const Tensor &b, bool transposeA,
              bool transposeB);
Tensor layerNorm(const Tensor &x, const Tensor &weight, const Tensor *bias,
                 double eps);
Tensor rmsNorm(const Tensor &x, const Tensor &weight, double eps);
/// Softmax along `axis` (negative counts from the end); an all -inf slice
/// gives zeros.
Tensor softmax(const Tensor &x, int64_t axis);
Tensor activation(const Tensor &x, Activation act);
/// act(gate) * up.
Tensor gatedUnit(const Tensor &gate, const Tensor &up, Activation act);
/// Positions are `[S]`, `[..., S]` (per batch element) or, with
/// `seqOffsets`, counted from the start of each packed sequence.
Tensor rope(const Tensor &x, const IndexTensor *positions,
            const IndexTensor *seqOffsets, int64_t headDim, int64_t rotaryDim,
            double theta, RopeStyle style);
/// Ids outside [0, V) are clamped, as the op defines.
Tensor embedding(const Tensor &table, const IndexTensor &ids);
/// NumPy-broadcast elementwise sum and product.
Tensor add(const Tensor &a, const Tensor &b);

/// Data movement (lib/Reference/DataMovement.cpp), of float and of integer
/// tensors (T is Tensor or IndexTensor): `x` with its dimensions permuted
/// (result dimension d is x's dimension perm[d]); the same data in another
/// shape; the elements at `offsets + index * strides` for every index of
/// `sizes`; `parts` one after the other along `axis`; `x` repeated along the
/// result dimensions `added` of `shape`.
template <typename T> T transpose(const T &x, const std::vector<int64_t> &perm);
template <typename T> T reshape(const T &x, const std::vector<int64_t> &shape);
template <typename T>
T slice(const T &x, const std::vector<int64_t> &offsets,
        const std::vector<int64_t> &sizes, const std::vector<int64_t> &strides);
template <typename T>
T concat(const std::vector<const T *> &parts, int64_t axis);
template <typename T>
T broadcast(const T &x, const std::vector<int64_t> &shape,
            const std::vector<int64_t> &added);

/// Integer arithmetic between tensors of one shape, as imported graphs
/// compute lengths and positions (linalg's elementwise ops): exact in 64
/// bits.
enum class IntOp { Add, Sub, Mul, Max, Min };
IndexTensor elementwise(IntOp op, const IndexTensor &a, const IndexTensor &b);

/// Conversions, comparisons and selects (lib/Reference/Elementwise.cpp),
/// elementwise between tensors of one shape. Integers are held as the
/// signed values of their width `bits`, bools (bits 1) as 0 and 1; `x` read
/// signed or unsigned and wrapped to `to` bits; integers as floats; floats
/// truncated toward zero and wrapped; comparisons (integers signed; Ne is
/// true with a NaN) as bools; `a` where `cond` is nonzero, else `b`.
IndexTensor convertInt(const IndexTensor &x, unsigned from, bool isUnsigned,
                       unsigned to);
Tensor intToFloat(const IndexTensor &x, unsigned bits, bool isUnsigned);
IndexTensor floatToInt(const Tensor &x, unsigned bits);
enum class Compare { Eq, Ne, Lt, Le, Gt, Ge };
template <typename T> IndexTensor compare(Compare c, const T &a, const T &b);
template <typename T> T select(const IndexTensor &cond, const T &a, const T &b);

Tensor mul(const Tensor &a, const Tensor &b);

struct AttentionParams {
  int64_t numHeads = 1;
  int64_t numKvHeads = 1;
  /// Defaults to 1 / sqrt(head_dim) when unset.
  std::optional<double> scale;
  /// Which keys each query sees, by the layout's own definition.
  AttentionLayout layout;
  /// Valid keys of each batch element (the batch shape), or null.
  const IndexTensor *kvLen = nullptr;
  /// Non-zero where block (i / blockQ, j / blockK) is visible, or null.
  const IndexTensor *blockMask = nullptr;
  int64_t blockQ = 1, blockK = 1;
  /// Offsets [B+1] of packed sequences, or null.
  const IndexTensor *seqOffsets = nullptr;
};
Tensor attention(const Tensor &q, const Tensor &k, const Tensor &v,
                 const Tensor *mask, const AttentionParams &params);

/// `cache` with rows kvLen[b] - S .. kvLen[b] - 1 of batch element b taken
/// from `update[b]`; rows outside the cache are dropped.
Tensor cacheWrite(const Tensor &update, const Tensor &cache,
                  const IndexTensor &kvLen);

/// Weights of an MLP; `gate` makes it gated. Null pointers are absent.
struct MlpWeights {
  const Tensor *up = nullptr, *gate = nullptr, *down = nullptr;
  const Tensor *upBias = nullptr, *gateBias = nullptr, *downBias = nullptr;
};
/// Top-k activation sparsity of an MLP: `k` neurons per row, by the scores
/// of the first `features` inputs and weight rows of the gate (up when not
/// gated), or of the low-rank predictor (x in) out.
struct MlpTopK {
  int64_t k = 1;
  std::optional<int64_t> features;
  const Tensor *predictorIn = nullptr, *predictorOut = nullptr;
};
Tensor mlp(const Tensor &x, const MlpWeights &w, Activation act, Layout layout,
           const MlpTopK *topK = nullptr);
/// Indices of the k largest values of each row (compared as f32 in IEEE
/// totalOrder, ties to the lower index), in increasing order.
IndexTensor topK(const Tensor &x, int64_t k);
/// The MLP restricted to the neurons each row lists (clamped into [0, F)).
Tensor gatherMlp(const Tensor &x, const IndexTensor &neurons,
                 const MlpWeights &w, Activation act, Layout layout);

struct BlockWeights {
  const Tensor *norm1Weight = nullptr, *norm1Bias = nullptr;
  const Tensor *q = nullptr, *k = nullptr, *v = nullptr, *o = nullptr;
  const Tensor *qBias = nullptr, *kBias = nullptr, *vBias = nullptr,
               *oBias = nullptr;
  const Tensor *norm2Weight = nullptr, *norm2Bias = nullptr;
  MlpWeights mlp;
  const Tensor *mask = nullptr;
  /// RoPE positions; the caches and their valid lengths; packed sequences.
  const IndexTensor *positions = nullptr;
  const Tensor *keyCache = nullptr, *valueCache = nullptr;
  const IndexTensor *kvLen = nullptr;
  const IndexTensor *seqOffsets = nullptr;
};
struct BlockParams {
  AttentionParams attention;
  /// A top-k MLP when set (its predictor weights, if any, are pointers).
  std::optional<MlpTopK> topK;
  NormKind norm = NormKind::LayerNorm;
  NormPlacement placement = NormPlacement::Pre;
  double eps = 1e-5;
  Activation act = Activation::Gelu;
  /// Rotary embedding on q and k when set.
  std::optional<double> ropeTheta;
  std::optional<int64_t> rotaryDim;
  RopeStyle ropeStyle = RopeStyle::Half;
  Layout layout = Layout::KN;
};
/// The block's output, then (with caches) the updated key and value caches.
std::vector<Tensor> block(const Tensor &x, const BlockWeights &w,
                          const BlockParams &p);

} // namespace mlir::xf::ref

#endif // XF_REFERENCE_KERNELS_H
