//===- FunctionInputs.cpp - roles, random inputs, shape specialization ----===//

#include "xf/Runtime/FunctionInputs.h"

#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace mlir;
using namespace mlir::xf::runtime;
namespace xfd = mlir::xf;

/// The input features of a linear weight.
static int64_t fanIn(Value weight, xfd::WeightLayout layout) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(weight.getType()).getShape();
  return s[xfd::weightInputDim(layout)];
}

/// Weight, norm weight or bias, by which operand of a linear-bearing op
/// (xf.linear, xf.mlp, xf.block) `use` is.
static std::optional<ArgInfo> weightRole(OpOperand &use, Operation *op,
                                         ArrayRef<Value> weights,
                                         ArrayRef<Value> normWeights,
                                         xfd::WeightLayout layout) {
  Value v = use.get();
  if (llvm::is_contained(weights, v))
    return ArgInfo{ArgRole::Weight, fanIn(v, layout), 1};
  if (llvm::is_contained(normWeights, v))
    return ArgInfo{ArgRole::NormWeight, 1, 1};
  return std::nullopt;
}

/// Size `i` of a value's shape, counting from the end when negative.
static int64_t sizeOf(Value v, int64_t i) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return s[i < 0 ? s.size() + i : i];
}

static ArgInfo kvLenRole(Value keys, Value steps) {
  return ArgInfo{ArgRole::KvLen, 1, sizeOf(keys, -2), sizeOf(steps, -2)};
}
static ArgInfo offsetsRole(Value tokens) {
  return ArgInfo{ArgRole::SeqOffsets, 1, sizeOf(tokens, 0), 0};
}

static std::optional<ArgInfo> roleOfUse(OpOperand &use) {
  Operation *op = use.getOwner();
  Value v = use.get();
  auto bias = std::optional<ArgInfo>(ArgInfo{ArgRole::Bias, 1, 1});
  const ArgInfo positions{ArgRole::Positions, 1, 1};
  return llvm::TypeSwitch<Operation *, std::optional<ArgInfo>>(op)
      .Case([&](xfd::LinearOp o) -> std::optional<ArgInfo> {
        if (v == o.getBias())
          return bias;
        return weightRole(use, o, {o.getWeight()}, {}, o.getWeightLayout());
      })
      .Case([&](xfd::MlpOp o) -> std::optional<ArgInfo> {
        if (v == o.getUpBias() || v == o.getGateBias() || v == o.getDownBias())
          return bias;
        return weightRole(use, o,
                          {o.getUpWeight(), o.getGateWeight(),
                           o.getDownWeight(), o.getPredictorIn(),
                           o.getPredictorOut()},
                          {}, o.getWeightLayout());
      })
      .Case([&](xfd::GatherMlpOp o) -> std::optional<ArgInfo> {
        if (v == o.getUpBias() || v == o.getGateBias() || v == o.getDownBias())
          return bias;
        // Neuron ids index the hidden neurons as token ids index a table.
        if (v == o.getNeurons()) {
          return ArgInfo{
              ArgRole::TokenIds, 1,
              o.getUpWeight()
                  .getType()
                  .getShape()[xfd::weightOutputDim(o.getWeightLayout())]};
        }
        return weightRole(
            use, o, {o.getUpWeight(), o.getGateWeight(), o.getDownWeight()}, {},
            o.getWeightLayout());
      })
      .Case([&](xfd::BlockOp o) -> std::optional<ArgInfo> {
        if (v == o.getPositions())
          return positions;
        if (v == o.getKvLen())
          return kvLenRole(o.getKeyCache(), o.getInput());
        if (v == o.getSeqOffsets())
          return offsetsRole(o.getInput());
        if (v == o.getMask() || v == o.getInput() || v == o.getKeyCache() ||
            v == o.getValueCache())
          return std::nullopt;
        std::optional<ArgInfo> r = weightRole(
            use, o,
            {o.getQWeight(), o.getKWeight(), o.getVWeight(), o.getOWeight(),
             o.getUpWeight(), o.getGateWeight(), o.getDownWeight(),
             o.getPredictorIn(), o.getPredictorOut()},
            {o.getNorm1Weight(), o.getNorm2Weight()}, o.getWeightLayout());
        return r ? r : bias;
      })
      .Case<xfd::LayerNormOp, xfd::RmsNormOp>(
          [&](auto o) -> std::optional<ArgInfo> {
            if (use.getOperandNumber() == 1)
              return ArgInfo{ArgRole::NormWeight, 1, 1};
            return use.getOperandNumber() == 2 ? bias : std::nullopt;
          })
      .Case([&](xfd::EmbeddingOp o) -> std::optional<ArgInfo> {
        if (v != o.getIndices())
          return std::nullopt;
        return ArgInfo{ArgRole::TokenIds, 1,
                       o.getTable().getType().getShape()[0]};
      })
      .Case([&](xfd::RopeOp o) -> std::optional<ArgInfo> {
        if (v == o.getPositions())
          return positions;
        if (v == o.getSeqOffsets())
          return offsetsRole(o.getInput());
        return std::nullopt;
      })
      .Case([&](xfd::AttentionOp o) -> std::optional<ArgInfo> {
        if (v == o.getKvLen())
          return kvLenRole(o.getKey(), o.getQuery());
        if (v == o.getSeqOffsets())
          return offsetsRole(o.getQuery());
        if (v == o.getBlockMask())
          return ArgInfo{ArgRole::BlockMask, 1, 1};
        return std::nullopt;
      })
      .Case([&](xfd::CacheWriteOp o) -> std::optional<ArgInfo> {
        if (v == o.getKvLen())
          return kvLenRole(o.getCache(), o.getUpdate());
        return std::nullopt;
      })
      .Case([&](xfd::DequantizeOp o) -> std::optional<ArgInfo> {
        // The reduced dimension is the fan-in of the product it feeds.
        int64_t k = sizeOf(o.getInput(), 1 - o.getAxis());
        return ArgInfo{v == o.getInput() ? ArgRole::QuantizedWeight
                                         : ArgRole::Scales,
                       k, 1};
      })
      .Default([](Operation *) { return std::nullopt; });
}

bool mlir::xf::runtime::isParameter(ArgRole role) {
  switch (role) {
  case ArgRole::Weight:
  case ArgRole::NormWeight:
  case ArgRole::Bias:
  case ArgRole::QuantizedWeight:
  case ArgRole::Scales:
    return true;
  default:
    return false;
  }
}

std::string mlir::xf::runtime::checkInput(const ArgInfo &info,
                                          const HostTensor &t) {
  return checkInput(info, t.dtype(), t.data(), t.numElements());
}

/// Element `k` of an integer buffer.
static int64_t intAt(DType dtype, const void *data, int64_t k) {
  switch (dtype) {
  case DType::I32:
    return static_cast<const int32_t *>(data)[k];
  case DType::I8:
    return static_cast<const int8_t *>(data)[k];
  case DType::Bool:
    return static_cast<const uint8_t *>(data)[k] != 0;
  default:
    return static_cast<const int64_t *>(data)[k];
  }
}

std::optional<ValueRule> mlir::xf::runtime::valueRule(const ArgInfo &info) {
  bool known = !ShapedType::isDynamic(info.limit);
  int64_t limit = known ? info.limit : std::numeric_limits<int64_t>::max();
  std::optional<ValueRule> rule;
  const char *what = "";
  switch (info.role) {
  case ArgRole::TokenIds:
    if (!known)
      return std::nullopt;
    rule = ValueRule{0, limit - 1, limit, false,
                     "token id %lld at flat index %lld is outside the table "
                     "[0, %lld)"};
    what = "a token id in the table";
    break;
  case ArgRole::KvLen:
    rule = ValueRule{0, limit, limit, false,
                     "kv_len %lld at flat index %lld is outside [0, %lld] "
                     "(the cache capacity)"};
    what = "a valid length within the cache";
    break;
  case ArgRole::SeqOffsets:
    rule = ValueRule{0, limit, limit, true,
                     "seq_offsets %lld at flat index %lld is outside [0, "
                     "%lld] (the packed tokens)"};
    what = "an offset within the packed tokens";
    break;
  default:
    return std::nullopt;
  }
  if (info.shift == 0)
    return rule;
  // The argument's own bounds: the role's less what the function adds.
  rule->low -= info.shift;
  if (known)
    rule->high -= info.shift;
  rule->shownLimit = rule->high;
  rule->message = "%lld at flat index %lld is outside [" +
                  std::to_string(rule->low) + ", %lld]: the function adds " +
                  std::to_string(info.shift) + " to it for " + what;
  return rule;
}

std::string mlir::xf::runtime::checkInput(const ArgInfo &info, DType dtype,
                                          const void *data, int64_t n) {
  auto format = [](const char *f, int64_t a, int64_t b, int64_t c) {
    std::string text;
    llvm::raw_string_ostream(text)
        << llvm::format(f, static_cast<long long>(a), static_cast<long long>(b),
                        static_cast<long long>(c));
    return text;
  };
  // Compiled code reads a bool as a byte that is 0 or 1 (an i1 in memory);
  // another byte would be read as true by one instruction, false by another.
  if (dtype == DType::Bool && data)
    for (int64_t k = 0; k < n; ++k)
      if (uint8_t byte = static_cast<const uint8_t *>(data)[k]; byte > 1)
        return "bool byte " + std::to_string(byte) + " at flat index " +
               std::to_string(k) + " is not 0 or 1";
  std::optional<ValueRule> rule = valueRule(info);
  if (!rule || !isInteger(dtype) || !data)
    return "";
  for (int64_t k = 0; k < n; ++k) {
    int64_t v = intAt(dtype, data, k);
    if (v < rule->low || v > rule->high)
      return format(rule->message.c_str(), v, k, rule->shownLimit);
    if (rule->ordered && k && v < intAt(dtype, data, k - 1))
      return format(kOrderMessage, k, v, intAt(dtype, data, k - 1));
  }
  return "";
}

/// The splat integer constant `v` is, if it is one.
static std::optional<int64_t> splatInt(Value v) {
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  return attr.getSplatValue<APInt>().getSExtValue();
}

/// What `use` turns its operand into, and what it adds to it: a reshape
/// (nothing), an integer addition of a constant (the constant) or a maximum
/// with one (nothing: it only raises small values); else none.
static std::optional<std::pair<Value, int64_t>> passedOn(OpOperand &use) {
  Operation *op = use.getOwner();
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ReshapeOp,
          tensor::CastOp>(op))
    return use.getOperandNumber() == 0
               ? std::optional(std::pair(op->getResult(0), int64_t(0)))
               : std::nullopt;
  bool add = isa<linalg::AddOp, arith::AddIOp>(op);
  if (!add && !isa<linalg::MaxOp, arith::MaxSIOp>(op))
    return std::nullopt;
  // The other input of the two must be a constant.
  if (use.getOperandNumber() > 1)
    return std::nullopt;
  std::optional<int64_t> c =
      splatInt(op->getOperand(1 - use.getOperandNumber()));
  if (!c)
    return std::nullopt;
  return std::pair(op->getResult(0), add ? *c : int64_t(0));
}

/// The role of `v` from its first use that has one, through at most
/// `depth` ops that pass it on.
static std::optional<ArgInfo> roleOfValue(Value v, int depth) {
  for (OpOperand &use : v.getUses())
    if (std::optional<ArgInfo> info = roleOfUse(use))
      return info;
  if (depth == 0)
    return std::nullopt;
  for (OpOperand &use : v.getUses())
    if (auto next = passedOn(use))
      if (std::optional<ArgInfo> info = roleOfValue(next->first, depth - 1)) {
        info->shift += next->second;
        return info;
      }
  return std::nullopt;
}

ArgInfo mlir::xf::runtime::classifyArgument(BlockArgument arg) {
  return roleOfValue(arg, /*depth=*/4).value_or(ArgInfo{});
}

HostTensor mlir::xf::runtime::randomInput(RankedTensorType type,
                                          const ArgInfo &info, uint64_t seed,
                                          unsigned argIndex) {
  std::optional<DType> dtype = dtypeOf(type.getElementType());
  HostTensor t(
      dtype.value_or(DType::F32),
      std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
  if (!t.isAllocated())
    return t;
  // One stream per argument, so that an argument's values do not depend on
  // the arguments before it.
  std::mt19937_64 rng(seed * 1000003 + argIndex);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  int64_t n = t.numElements();
  // Values are drawn for the role; the argument holds them less what the
  // function adds to it.
  auto setInt = [&](int64_t k, int64_t value) {
    value -= info.shift;
    if (t.dtype() == DType::I32)
      t.as<int32_t>()[k] = static_cast<int32_t>(value);
    else if (t.dtype() == DType::I8)
      t.as<int8_t>()[k] = static_cast<int8_t>(value);
    else if (t.dtype() == DType::Bool)
      t.as<uint8_t>()[k] = value != 0;
    else
      t.as<int64_t>()[k] = value;
  };
  auto setFloat = [&](int64_t k, double value) { t.setDouble(k, value); };
  auto between = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, std::max(lo, hi))(rng);
  };
  switch (info.role) {
  case ArgRole::TokenIds:
    for (int64_t k = 0; k < n; ++k)
      setInt(k, between(0, info.limit - 1));
    return t;
  case ArgRole::Positions: {
    // Consecutive along each row (one sequence's steps), from its own start.
    int64_t row = type.getRank() ? type.getShape().back() : 1;
    for (int64_t k = 0; k < n; k += row) {
      int64_t start = between(0, 1000);
      for (int64_t j = 0; j < row; ++j)
        setInt(k + j, start + j);
    }
    return t;
  }
  case ArgRole::KvLen:
    for (int64_t k = 0; k < n; ++k)
      setInt(k, between(std::min(info.minimum, info.limit), info.limit));
    return t;
  case ArgRole::SeqOffsets: {
    // Sorted cuts of the tokens; sometimes a few padding tokens at the end
    // belong to no sequence.
    int64_t end = info.limit;
    if (between(0, 2) == 0)
      end -= std::min<int64_t>(end, between(1, 3));
    std::vector<int64_t> cuts(n);
    for (int64_t k = 1; k + 1 < n; ++k)
      cuts[k] = between(0, end);
    std::sort(cuts.begin() + 1, cuts.end() - 1);
    cuts.back() = end;
    for (int64_t k = 0; k < n; ++k)
      setInt(k, cuts[k]);
    return t;
  }
  case ArgRole::BlockMask:
    for (int64_t k = 0; k < n; ++k)
      setInt(k, between(0, 9) < 7);
    return t;
  case ArgRole::QuantizedWeight:
    for (int64_t k = 0; k < n; ++k)
      setInt(k, between(-127, 127));
    return t;
  case ArgRole::Scales: {
    double unit = 1.0 / (127.0 * std::sqrt(static_cast<double>(
                                     std::max<int64_t>(info.fanIn, 1))));
    for (int64_t k = 0; k < n; ++k)
      setFloat(k, unit * (1.0 + 0.5 * u(rng)));
    return t;
  }
  case ArgRole::Activation:
  case ArgRole::Weight:
  case ArgRole::NormWeight:
  case ArgRole::Bias:
    break;
  }
  if (isInteger(t.dtype())) {
    int64_t top = t.dtype() == DType::Bool ? 1 : 99;
    for (int64_t k = 0; k < n; ++k)
      setInt(k, std::uniform_int_distribution<int64_t>(0, top)(rng));
    return t;
  }
  double scale = 1.0, offset = 0.0;
  if (info.role == ArgRole::Weight)
    scale =
        1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(info.fanIn, 1)));
  else if (info.role == ArgRole::NormWeight)
    scale = 0.1, offset = 1.0;
  else if (info.role == ArgRole::Bias)
    scale = 0.1;
  for (int64_t k = 0; k < n; ++k)
    setFloat(k, offset + scale * u(rng));
  return t;
}

LogicalResult mlir::xf::runtime::specializeShapes(func::FuncOp func,
                                                  ArrayRef<HostTensor> inputs) {
  Block &body = func.getBody().front();
  SmallVector<Type> argTypes;
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs)) {
    auto type = cast<RankedTensorType>(arg.getType());
    auto staticType = RankedTensorType::get(
        SmallVector<int64_t>(input.shape().begin(), input.shape().end()),
        type.getElementType());
    arg.setType(staticType);
    argTypes.push_back(staticType);
  }
  for (Operation &op : body.without_terminator()) {
    auto infer = dyn_cast<InferTypeOpInterface>(&op);
    if (!infer) {
      for (Type t : op.getResultTypes())
        if (auto shaped = dyn_cast<ShapedType>(t);
            shaped && !shaped.hasStaticShape())
          return op.emitError("cannot specialize the dynamic result shape "
                              "of this op");
      continue;
    }
    SmallVector<Type> inferred;
    if (failed(infer.inferReturnTypes(op.getContext(), op.getLoc(),
                                      op.getOperands(), op.getAttrDictionary(),
                                      op.getPropertiesStorage(),
                                      op.getRegions(), inferred)))
      return failure();
    for (auto [result, type] : llvm::zip(op.getResults(), inferred))
      result.setType(type);
  }
  func.setType(FunctionType::get(func.getContext(), argTypes,
                                 body.getTerminator()->getOperandTypes()));
  return verify(func);
}
