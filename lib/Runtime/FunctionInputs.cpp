//===- FunctionInputs.cpp - roles, random inputs, shape specialization ----===//

#include "xf/Runtime/FunctionInputs.h"

#include "xf/Dialect/XfOps.h"

#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::xf::runtime;
namespace xfd = mlir::xf;

/// The input features of a linear weight.
static int64_t fanIn(Value weight, xfd::WeightLayout layout) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(weight.getType()).getShape();
  return layout == xfd::WeightLayout::kn ? s[0] : s[1];
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

static std::optional<ArgInfo> roleOfUse(OpOperand &use) {
  Operation *op = use.getOwner();
  Value v = use.get();
  auto bias = std::optional<ArgInfo>(ArgInfo{ArgRole::Bias, 1, 1});
  return llvm::TypeSwitch<Operation *, std::optional<ArgInfo>>(op)
      .Case([&](xfd::LinearOp o) -> std::optional<ArgInfo> {
        if (v == o.getBias())
          return bias;
        return weightRole(use, o, {o.getWeight()}, {}, o.getWeightLayout());
      })
      .Case([&](xfd::MlpOp o) -> std::optional<ArgInfo> {
        if (v == o.getUpBias() || v == o.getGateBias() || v == o.getDownBias())
          return bias;
        return weightRole(
            use, o, {o.getUpWeight(), o.getGateWeight(), o.getDownWeight()}, {},
            o.getWeightLayout());
      })
      .Case([&](xfd::BlockOp o) -> std::optional<ArgInfo> {
        if (v == o.getMask() || v == o.getInput())
          return std::nullopt;
        std::optional<ArgInfo> r = weightRole(
            use, o,
            {o.getQWeight(), o.getKWeight(), o.getVWeight(), o.getOWeight(),
             o.getUpWeight(), o.getGateWeight(), o.getDownWeight()},
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
        if (v != o.getPositions())
          return std::nullopt;
        return ArgInfo{ArgRole::Positions, 1, 1};
      })
      .Default([](Operation *) { return std::nullopt; });
}

ArgInfo mlir::xf::runtime::classifyArgument(BlockArgument arg) {
  for (OpOperand &use : arg.getUses())
    if (std::optional<ArgInfo> info = roleOfUse(use))
      return *info;
  return ArgInfo{};
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
  auto setInt = [&](int64_t k, int64_t value) {
    if (t.dtype() == DType::I32)
      t.as<int32_t>()[k] = static_cast<int32_t>(value);
    else
      t.as<int64_t>()[k] = value;
  };
  auto setFloat = [&](int64_t k, double value) {
    if (t.dtype() == DType::F64)
      t.as<double>()[k] = value;
    else
      t.as<float>()[k] = static_cast<float>(value);
  };
  switch (info.role) {
  case ArgRole::TokenIds: {
    std::uniform_int_distribution<int64_t> id(
        0, std::max<int64_t>(info.vocab - 1, 0));
    for (int64_t k = 0; k < n; ++k)
      setInt(k, id(rng));
    return t;
  }
  case ArgRole::Positions: {
    int64_t start = std::uniform_int_distribution<int64_t>(0, 1000)(rng);
    for (int64_t k = 0; k < n; ++k)
      setInt(k, start + k);
    return t;
  }
  case ArgRole::Activation:
  case ArgRole::Weight:
  case ArgRole::NormWeight:
  case ArgRole::Bias:
    break;
  }
  if (t.dtype() == DType::I32 || t.dtype() == DType::I64) {
    for (int64_t k = 0; k < n; ++k)
      setInt(k, std::uniform_int_distribution<int64_t>(0, 99)(rng));
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
  return success();
}
