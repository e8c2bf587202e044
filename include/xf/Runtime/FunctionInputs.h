//===- FunctionInputs.h - shapes, random inputs and FLOPs -------*- C++ -*-===//
//
// What xf-run and the benchmarks need to know about a function before they
// call it: its shapes made static, plausible random values for every
// argument, and the FLOPs of its matrix products.
//
//===----------------------------------------------------------------------===//

#ifndef XF_RUNTIME_FUNCTIONINPUTS_H
#define XF_RUNTIME_FUNCTIONINPUTS_H

#include "xf/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::xf::runtime {

/// How the xf ops use an argument; decides the distribution of its random
/// values so that random blocks stay numerically well-conditioned, as real
/// ones are.
enum class ArgRole {
  Activation,      ///< U(-1, 1)
  Weight,          ///< U(-1, 1) / sqrt(fan_in), as nn.Linear initializes
  NormWeight,      ///< 1 + 0.1 U(-1, 1)
  Bias,            ///< 0.1 U(-1, 1)
  TokenIds,        ///< integers in [0, limit)
  Positions,       ///< start + 0, 1, 2, ... along each row, random starts
  KvLen,           ///< valid cache lengths in [minimum, limit]
  SeqOffsets,      ///< non-decreasing offsets from 0 to limit (the tokens)
  BlockMask,       ///< 0 or 1 per block
  QuantizedWeight, ///< int8 in [-127, 127] (xf.dequantize's input)
  Scales,          ///< U(0.5, 1.5) / (127 sqrt(fan_in)), positive
};

/// Whether arguments of `role` are model parameters (weights, biases, norm
/// weights, quantized weights and their scales): what a deployment compiles
/// in as constants.
bool isParameter(ArgRole role);

struct ArgInfo {
  ArgRole role = ArgRole::Activation;
  int64_t fanIn = 1;
  /// Token ids: the vocabulary; kv_len: the capacity; seq_offsets: the
  /// tokens. Dynamic when the shapes do not say.
  int64_t limit = 1;
  /// kv_len: the steps that the function writes (random lengths start
  /// there).
  int64_t minimum = 0;
  /// What the function adds to the argument before the op with the role
  /// reads it (the ONNX importer's kv_len = max(seqlens_k + 1, S)): its
  /// bounds are the role's less this.
  int64_t shift = 0;
};

/// Reads the role of `arg` from its first use by an xf op, looking through
/// ops that only reshape it and integer additions of (or maxima with)
/// constants, which shift its bounds.
ArgInfo classifyArgument(mlir::BlockArgument arg);

/// What the values of an integer argument must satisfy to be safe to pass:
/// each in [low, high], and non-decreasing where `ordered`. `message` is
/// the printf format of the error for a value out of range (the value, its
/// flat index, `shownLimit`), kOrderMessage the one for a decrease (the
/// flat index, the value, the one before). One definition for checkInput
/// and for the checks AOT headers declare (lib/Target/Aot.cpp).
struct ValueRule {
  int64_t low, high, shownLimit;
  bool ordered;
  std::string message;
};
inline constexpr const char *kOrderMessage =
    "seq_offsets decrease at flat index %lld (%lld after %lld)";

/// The rule for arguments of `info`'s role, if their values matter.
std::optional<ValueRule> valueRule(const ArgInfo &info);

/// An error message when `t` holds values the function must not get for an
/// argument of role `info` (token ids outside the table, valid lengths past
/// the cache, offsets that decrease or leave the tokens) or of its element
/// type (a bool byte other than 0 or 1), else "".
std::string checkInput(const ArgInfo &info, const HostTensor &t);
/// The same for `n` elements of `dtype` at `data`, a caller's buffer read in
/// place (float buffers hold no ids, lengths or offsets: "").
std::string checkInput(const ArgInfo &info, DType dtype, const void *data,
                       int64_t n);

/// Seeded random values of the given static type for an argument.
HostTensor randomInput(mlir::RankedTensorType type, const ArgInfo &info,
                       uint64_t seed, unsigned argIndex);

/// Replaces the argument types of `func` with static shapes and re-infers
/// the result types of its ops and of the function. Fails (with an error at
/// the op) where an op cannot infer its types or does not verify with them
/// (operands that must agree and do not).
mlir::LogicalResult specializeShapes(mlir::func::FuncOp func,
                                     llvm::ArrayRef<HostTensor> inputs);

/// For `written` compiled as it is written (dynamic sizes stay dynamic) and
/// called with the shapes of `specialized` (specializeShapes of a copy):
/// fails, with an error at the op, where a dimension written `?` is 1 and
/// would broadcast (xf.add, xf.mul, xf.matmul's batch dimensions, the masks
/// and block masks of xf.attention and xf.block). Compiled code decides
/// broadcasting from the sizes the types state, so it would read such an
/// operand past its one row.
mlir::LogicalResult checkDynamicBroadcasts(mlir::func::FuncOp written,
                                           mlir::func::FuncOp specialized);

/// 2 * multiply-adds of the matrix products (linear, matmul, attention,
/// mlp, block) of `func`; masked attention pairs are not counted.
double countFlops(mlir::func::FuncOp func);

} // namespace mlir::xf::runtime

#endif // XF_RUNTIME_FUNCTIONINPUTS_H
