//===- Evaluator.cpp - run an xf function with the reference kernels ------===//
//
// Maps xf ops and their attributes onto the plain-C++ kernels. Only the
// translation of attributes lives here; the semantics are in Kernels.cpp
// and Attention.cpp.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Evaluator.h"

#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <variant>

using namespace mlir;
using namespace mlir::xf::ref;

namespace {

using RefValue = std::variant<Tensor, IndexTensor>;

xf::ref::Activation convert(xf::Activation a) {
  switch (a) {
  case xf::Activation::gelu:
    return xf::ref::Activation::Gelu;
  case xf::Activation::gelu_tanh:
    return xf::ref::Activation::GeluTanh;
  case xf::Activation::relu:
    return xf::ref::Activation::Relu;
  case xf::Activation::silu:
    return xf::ref::Activation::Silu;
  }
  llvm_unreachable("unknown activation");
}

xf::ref::Layout convert(xf::WeightLayout l) {
  return l == xf::WeightLayout::kn ? Layout::KN : Layout::NK;
}

xf::ref::RopeStyle convert(xf::RopeStyle s) {
  return s == xf::RopeStyle::half ? RopeStyle::Half : RopeStyle::Interleaved;
}

/// Attention parameters shared by xf.attention and xf.block; the run-time
/// operands are filled in by the caller.
template <typename OpTy> AttentionParams attentionParams(OpTy op) {
  AttentionParams p;
  p.numHeads = op.getNumHeads();
  p.numKvHeads = op.getNumKvHeads().value_or(op.getNumHeads());
  if (std::optional<APFloat> s = op.getScale())
    p.scale = s->convertToDouble();
  p.layout = xf::layoutOf(op.getLayoutAttr());
  return p;
}

class Evaluator {
public:
  explicit Evaluator(const EvalOptions &options) : options(options) {}
  LogicalResult run(func::FuncOp func, ArrayRef<xf::runtime::HostTensor> inputs,
                    std::vector<Tensor> &results);

private:
  const Tensor &f(Value v) { return std::get<Tensor>(values.at(v)); }
  const Tensor *opt(Value v) { return v ? &f(v) : nullptr; }
  const IndexTensor &i(Value v) { return std::get<IndexTensor>(values.at(v)); }
  const IndexTensor *optI(Value v) { return v ? &i(v) : nullptr; }
  /// `fn` of the value of `v`, float or integer, as a value.
  template <typename Fn> RefValue either(Value v, Fn fn) {
    return std::visit([&](const auto &x) { return RefValue(fn(x)); },
                      values.at(v));
  }
  /// The values of `parts`, all of element type T, concatenated.
  template <typename T> RefValue concatOf(ValueRange parts, int64_t axis) {
    std::vector<const T *> of;
    for (Value v : parts)
      of.push_back(&std::get<T>(values.at(v)));
    return RefValue(concat(of, axis));
  }

  LogicalResult evaluate(Operation *op);
  /// Binds `v` to `value`, tagged with the modelled input rounding.
  void store(Value v, RefValue value);
  FailureOr<RefValue> constant(arith::ConstantOp op);
  /// Conversions, comparisons and selects on tensors (imported masks).
  FailureOr<RefValue> elementwiseArith(Operation *op);
  std::vector<Tensor> block(xf::BlockOp op);
  Tensor attention(xf::AttentionOp op);
  MlpWeights mlpWeights(Value up, Value gate, Value down, Value upBias,
                        Value gateBias, Value downBias);
  /// The top-k part of an MLP (xf.mlp or xf.block), if any.
  template <typename OpTy> std::optional<MlpTopK> topKOf(OpTy op);

  const EvalOptions &options;
  llvm::DenseMap<Value, RefValue> values;
  /// Nesting of calls: a recursive module stops instead of overflowing.
  int depth = 0;
};

} // namespace

static std::vector<int64_t> shapeOf(Type type) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(type).getShape();
  return std::vector<int64_t>(shape.begin(), shape.end());
}

static RefValue toRef(const mlir::xf::runtime::HostTensor &t) {
  int64_t n = t.numElements();
  std::vector<int64_t> shape(t.shape().begin(), t.shape().end());
  if (mlir::xf::runtime::isInteger(t.dtype())) {
    IndexTensor r{shape, std::vector<int64_t>(n)};
    for (int64_t k = 0; k < n; ++k)
      r.data[k] = t.getInt(k);
    return r;
  }
  Tensor r(shape);
  for (int64_t k = 0; k < n; ++k)
    r.data[k] = t.getDouble(k);
  return r;
}

FailureOr<RefValue> Evaluator::constant(arith::ConstantOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  std::vector<int64_t> shape;
  if (type)
    shape.assign(type.getShape().begin(), type.getShape().end());
  // Dense and resource constants alike from their bytes; bools (bits) and
  // other element types through the attribute.
  if (std::optional<mlir::xf::RawElements> raw =
          mlir::xf::rawElements(op.getValue());
      raw && type) {
    if (isa<FloatType>(type.getElementType())) {
      Tensor t(shape);
      for (int64_t k = 0; k < raw->size(); ++k)
        t.data[k] = raw->floatAt(k);
      return RefValue(std::move(t));
    }
    IndexTensor t{shape, {}};
    for (int64_t k = 0; k < raw->size(); ++k)
      t.data.push_back(raw->intAt(k));
    return RefValue(std::move(t));
  }
  auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!dense || !type)
    return op.emitError("reference evaluator: only dense or resource tensor "
                        "constants are supported");
  if (isa<FloatType>(type.getElementType())) {
    Tensor t(shape);
    size_t k = 0;
    for (APFloat v : dense.getValues<APFloat>())
      t.data[k++] = v.convertToDouble();
    return RefValue(std::move(t));
  }
  IndexTensor t{shape, {}};
  bool isBool = type.getElementType().isInteger(1);
  for (APInt v : dense.getValues<APInt>())
    t.data.push_back(isBool ? v.getZExtValue() : v.getSExtValue());
  return RefValue(std::move(t));
}

/// The bit width of a tensor's integer elements.
static unsigned bitsOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementTypeBitWidth();
}

FailureOr<RefValue> Evaluator::elementwiseArith(Operation *op) {
  using P = arith::CmpIPredicate;
  using FP = arith::CmpFPredicate;
  Value out = op->getResult(0);
  return llvm::TypeSwitch<Operation *, FailureOr<RefValue>>(op)
      .Case([&](arith::SelectOp o) -> FailureOr<RefValue> {
        if (!isa<ShapedType>(o.getCondition().getType()))
          return o.emitError("reference evaluator: a scalar select");
        const IndexTensor &cond = i(o.getCondition());
        if (std::holds_alternative<Tensor>(values.at(o.getTrueValue())))
          return RefValue(
              select(cond, f(o.getTrueValue()), f(o.getFalseValue())));
        return RefValue(
            select(cond, i(o.getTrueValue()), i(o.getFalseValue())));
      })
      .Case([&](arith::CmpIOp o) -> FailureOr<RefValue> {
        std::optional<Compare> c;
        switch (o.getPredicate()) {
        case P::eq:
          c = Compare::Eq;
          break;
        case P::ne:
          c = Compare::Ne;
          break;
        case P::slt:
          c = Compare::Lt;
          break;
        case P::sle:
          c = Compare::Le;
          break;
        case P::sgt:
          c = Compare::Gt;
          break;
        case P::sge:
          c = Compare::Ge;
          break;
        default:
          return o.emitError("reference evaluator: unsigned comparisons are "
                             "not supported");
        }
        return RefValue(compare(*c, i(o.getLhs()), i(o.getRhs())));
      })
      .Case([&](arith::CmpFOp o) -> FailureOr<RefValue> {
        std::optional<Compare> c;
        switch (o.getPredicate()) {
        case FP::OEQ:
          c = Compare::Eq;
          break;
        case FP::UNE:
          c = Compare::Ne;
          break;
        case FP::OLT:
          c = Compare::Lt;
          break;
        case FP::OLE:
          c = Compare::Le;
          break;
        case FP::OGT:
          c = Compare::Gt;
          break;
        case FP::OGE:
          c = Compare::Ge;
          break;
        default:
          return o.emitError("reference evaluator: this float comparison is "
                             "not supported");
        }
        return RefValue(compare(*c, f(o.getLhs()), f(o.getRhs())));
      })
      .Case<arith::SIToFPOp, arith::UIToFPOp>([&](auto o) {
        bool isUnsigned = isa<arith::UIToFPOp>(o.getOperation());
        return RefValue(
            intToFloat(i(o.getIn()), bitsOf(o.getIn()), isUnsigned));
      })
      .Case([&](arith::FPToSIOp o) {
        return RefValue(floatToInt(f(o.getIn()), bitsOf(out)));
      })
      .Case<arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp>([&](auto o) {
        bool isUnsigned = isa<arith::ExtUIOp>(o.getOperation());
        return RefValue(convertInt(i(o.getIn()), bitsOf(o.getIn()), isUnsigned,
                                   bitsOf(out)));
      })
      .Default([](Operation *o) -> FailureOr<RefValue> {
        return o->emitError("reference evaluator: cannot evaluate '")
               << o->getName() << "'";
      });
}

template <typename OpTy> std::optional<MlpTopK> Evaluator::topKOf(OpTy op) {
  std::optional<uint64_t> k = op.getTopK();
  if (!k)
    return std::nullopt;
  MlpTopK topK{static_cast<int64_t>(*k), std::nullopt, opt(op.getPredictorIn()),
               opt(op.getPredictorOut())};
  if (std::optional<uint64_t> r = op.getPredictorFeatures())
    topK.features = static_cast<int64_t>(*r);
  return topK;
}

MlpWeights Evaluator::mlpWeights(Value up, Value gate, Value down, Value upBias,
                                 Value gateBias, Value downBias) {
  return MlpWeights{opt(up),     opt(gate),     opt(down),
                    opt(upBias), opt(gateBias), opt(downBias)};
}

Tensor Evaluator::attention(xf::AttentionOp op) {
  AttentionParams p = attentionParams(op);
  p.kvLen = optI(op.getKvLen());
  p.seqOffsets = optI(op.getSeqOffsets());
  if (Value m = op.getBlockMask()) {
    p.blockMask = &i(m);
    p.blockQ = (*op.getBlockMaskSizes())[0];
    p.blockK = (*op.getBlockMaskSizes())[1];
  }
  return xf::ref::attention(f(op.getQuery()), f(op.getKey()), f(op.getValue()),
                            opt(op.getMask()), p);
}

std::vector<Tensor> Evaluator::block(xf::BlockOp op) {
  BlockWeights w;
  w.norm1Weight = opt(op.getNorm1Weight());
  w.norm1Bias = opt(op.getNorm1Bias());
  w.q = opt(op.getQWeight());
  w.k = opt(op.getKWeight());
  w.v = opt(op.getVWeight());
  w.o = opt(op.getOWeight());
  w.qBias = opt(op.getQBias());
  w.kBias = opt(op.getKBias());
  w.vBias = opt(op.getVBias());
  w.oBias = opt(op.getOBias());
  w.norm2Weight = opt(op.getNorm2Weight());
  w.norm2Bias = opt(op.getNorm2Bias());
  w.mlp = mlpWeights(op.getUpWeight(), op.getGateWeight(), op.getDownWeight(),
                     op.getUpBias(), op.getGateBias(), op.getDownBias());
  w.mask = opt(op.getMask());
  w.positions = optI(op.getPositions());
  w.keyCache = opt(op.getKeyCache());
  w.valueCache = opt(op.getValueCache());
  w.kvLen = optI(op.getKvLen());
  w.seqOffsets = optI(op.getSeqOffsets());
  BlockParams p;
  p.attention = attentionParams(op);
  p.norm = op.getNormKind() == xf::NormKind::layer_norm ? NormKind::LayerNorm
                                                        : NormKind::RmsNorm;
  p.placement = op.getNormPlacement() == xf::NormPlacement::pre
                    ? NormPlacement::Pre
                    : NormPlacement::Post;
  p.eps = op.getEpsilon().convertToDouble();
  p.act = convert(op.getActivation());
  p.topK = topKOf(op);
  if (std::optional<APFloat> theta = op.getRopeTheta())
    p.ropeTheta = theta->convertToDouble();
  if (std::optional<uint64_t> rot = op.getRotaryDim())
    p.rotaryDim = static_cast<int64_t>(*rot);
  p.ropeStyle = convert(op.getRopeStyle());
  p.layout = convert(op.getWeightLayout());
  return xf::ref::block(f(op.getInput()), w, p);
}

LogicalResult Evaluator::evaluate(Operation *op) {
  using xf::GeluApproximation;
  FailureOr<RefValue> result =
      llvm::TypeSwitch<Operation *, FailureOr<RefValue>>(op)
          .Case([&](xf::LinearOp o) -> FailureOr<RefValue> {
            std::optional<xf::ref::Activation> act;
            if (std::optional<xf::Activation> a = o.getActivation())
              act = convert(*a);
            return RefValue(linear(
                f(o.getInput()), f(o.getWeight()), convert(o.getWeightLayout()),
                opt(o.getBias()), act, opt(o.getResidual())));
          })
          .Case([&](xf::DequantizeOp o) -> FailureOr<RefValue> {
            std::optional<int64_t> group;
            if (std::optional<uint64_t> g = o.getGroupSize())
              group = static_cast<int64_t>(*g);
            return RefValue(dequantize(i(o.getInput()), f(o.getScales()),
                                       o.getAxis(), group));
          })
          .Case([&](xf::MatmulOp o) -> FailureOr<RefValue> {
            return RefValue(matmul(f(o.getLhs()), f(o.getRhs()),
                                   o.getTransposeLhs(), o.getTransposeRhs()));
          })
          .Case([&](xf::LayerNormOp o) -> FailureOr<RefValue> {
            return RefValue(layerNorm(f(o.getInput()), f(o.getWeight()),
                                      opt(o.getBias()),
                                      o.getEpsilon().convertToDouble()));
          })
          .Case([&](xf::RmsNormOp o) -> FailureOr<RefValue> {
            return RefValue(rmsNorm(f(o.getInput()), f(o.getWeight()),
                                    o.getEpsilon().convertToDouble()));
          })
          .Case([&](xf::SoftmaxOp o) -> FailureOr<RefValue> {
            return RefValue(softmax(f(o.getInput()), o.getAxis()));
          })
          .Case([&](xf::GeluOp o) -> FailureOr<RefValue> {
            bool tanh = o.getApproximate() == GeluApproximation::tanh;
            return RefValue(
                activation(f(o.getInput()), tanh ? xf::ref::Activation::GeluTanh
                                                 : xf::ref::Activation::Gelu));
          })
          .Case([&](xf::SiluOp o) -> FailureOr<RefValue> {
            return RefValue(
                activation(f(o.getInput()), xf::ref::Activation::Silu));
          })
          .Case([&](xf::ReluOp o) -> FailureOr<RefValue> {
            return RefValue(
                activation(f(o.getInput()), xf::ref::Activation::Relu));
          })
          .Case([&](xf::SwigluOp o) -> FailureOr<RefValue> {
            return RefValue(gatedUnit(f(o.getGate()), f(o.getUp()),
                                      xf::ref::Activation::Silu));
          })
          .Case([&](xf::GegluOp o) -> FailureOr<RefValue> {
            bool tanh = o.getApproximate() == GeluApproximation::tanh;
            return RefValue(gatedUnit(f(o.getGate()), f(o.getUp()),
                                      tanh ? xf::ref::Activation::GeluTanh
                                           : xf::ref::Activation::Gelu));
          })
          .Case([&](xf::RopeOp o) -> FailureOr<RefValue> {
            return RefValue(rope(f(o.getInput()), optI(o.getPositions()),
                                 optI(o.getSeqOffsets()), o.getHeadDim(),
                                 o.getEffectiveRotaryDim(),
                                 o.getTheta().convertToDouble(),
                                 convert(o.getStyle())));
          })
          .Case([&](xf::EmbeddingOp o) -> FailureOr<RefValue> {
            return RefValue(embedding(f(o.getTable()), i(o.getIndices())));
          })
          .Case([&](xf::AddOp o) -> FailureOr<RefValue> {
            return RefValue(add(f(o.getLhs()), f(o.getRhs())));
          })
          .Case([&](xf::MulOp o) -> FailureOr<RefValue> {
            return RefValue(mul(f(o.getLhs()), f(o.getRhs())));
          })
          .Case([&](xf::AttentionOp o) -> FailureOr<RefValue> {
            return RefValue(attention(o));
          })
          .Case([&](xf::CacheWriteOp o) -> FailureOr<RefValue> {
            return RefValue(
                cacheWrite(f(o.getUpdate()), f(o.getCache()), i(o.getKvLen())));
          })
          .Case([&](xf::MlpOp o) -> FailureOr<RefValue> {
            std::optional<MlpTopK> topK = topKOf(o);
            return RefValue(mlp(f(o.getInput()),
                                mlpWeights(o.getUpWeight(), o.getGateWeight(),
                                           o.getDownWeight(), o.getUpBias(),
                                           o.getGateBias(), o.getDownBias()),
                                convert(o.getActivation()),
                                convert(o.getWeightLayout()),
                                topK ? &*topK : nullptr));
          })
          .Case([&](xf::TopKOp o) -> FailureOr<RefValue> {
            return RefValue(
                topK(f(o.getInput()), static_cast<int64_t>(o.getK())));
          })
          .Case([&](xf::GatherMlpOp o) -> FailureOr<RefValue> {
            return RefValue(gatherMlp(
                f(o.getInput()), i(o.getNeurons()),
                mlpWeights(o.getUpWeight(), o.getGateWeight(),
                           o.getDownWeight(), o.getUpBias(), o.getGateBias(),
                           o.getDownBias()),
                convert(o.getActivation()), convert(o.getWeightLayout())));
          })
          .Case([&](xf::BlockOp o) -> FailureOr<RefValue> {
            // The output here; the updated caches (if any) below.
            std::vector<Tensor> results = block(o);
            for (size_t r = 1; r < results.size(); ++r)
              values.try_emplace(o->getResult(r), std::move(results[r]));
            return RefValue(std::move(results.front()));
          })
          .Case([&](arith::ConstantOp o) { return constant(o); })
          .Case<arith::SelectOp, arith::CmpIOp, arith::CmpFOp, arith::SIToFPOp,
                arith::UIToFPOp, arith::FPToSIOp, arith::ExtSIOp,
                arith::ExtUIOp, arith::TruncIOp>(
              [&](Operation *o) { return elementwiseArith(o); })
          .Case([&](tensor::CastOp o) -> FailureOr<RefValue> {
            return values.at(o.getSource());
          })
          // What imported graphs do between the xf ops: data movement.
          .Case([&](tensor::EmptyOp o) -> FailureOr<RefValue> {
            return RefValue(Tensor(shapeOf(o.getType())));
          })
          .Case([&](linalg::TransposeOp o) -> FailureOr<RefValue> {
            std::vector<int64_t> perm(o.getPermutation().begin(),
                                      o.getPermutation().end());
            return either(o.getInput(),
                          [&](const auto &x) { return transpose(x, perm); });
          })
          .Case([&](linalg::BroadcastOp o) -> FailureOr<RefValue> {
            std::vector<int64_t> added(o.getDimensions().begin(),
                                       o.getDimensions().end());
            std::vector<int64_t> shape = shapeOf(o.getInit().getType());
            return either(o.getInput(), [&](const auto &x) {
              return broadcast(x, shape, added);
            });
          })
          // Integer arithmetic (lengths and positions) between tensors of
          // one shape.
          .Case<linalg::AddOp, linalg::SubOp, linalg::MulOp, linalg::MaxOp,
                linalg::MinOp>([&](auto o) -> FailureOr<RefValue> {
            Value a = o.getInputs()[0], b = o.getInputs()[1];
            if (!std::holds_alternative<IndexTensor>(values.at(a)) ||
                !std::holds_alternative<IndexTensor>(values.at(b)))
              return o.emitError("reference evaluator: linalg arithmetic "
                                 "only on integer tensors");
            IntOp kind = llvm::TypeSwitch<Operation *, IntOp>(o)
                             .Case([](linalg::AddOp) { return IntOp::Add; })
                             .Case([](linalg::SubOp) { return IntOp::Sub; })
                             .Case([](linalg::MulOp) { return IntOp::Mul; })
                             .Case([](linalg::MaxOp) { return IntOp::Max; })
                             .Default([](Operation *) { return IntOp::Min; });
            return RefValue(elementwise(kind, i(a), i(b)));
          })
          .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
              [&](auto o) -> FailureOr<RefValue> {
                std::vector<int64_t> shape = shapeOf(o.getType());
                return either(o.getSrc(),
                              [&](const auto &x) { return reshape(x, shape); });
              })
          .Case([&](tensor::ExtractSliceOp o) -> FailureOr<RefValue> {
            if (!o.hasUnitStride() &&
                ShapedType::isDynamicShape(o.getStaticStrides()))
              return o.emitError("reference evaluator: dynamic strides");
            auto vec = [](ArrayRef<int64_t> v) {
              return std::vector<int64_t>(v.begin(), v.end());
            };
            if (ShapedType::isDynamicShape(o.getStaticOffsets()) ||
                ShapedType::isDynamicShape(o.getStaticSizes()) ||
                o.getSourceType().getRank() != o.getType().getRank())
              return o.emitError("reference evaluator: only static slices "
                                 "of the source's rank are supported");
            return either(o.getSource(), [&](const auto &x) {
              return slice(x, vec(o.getStaticOffsets()),
                           vec(o.getStaticSizes()), vec(o.getStaticStrides()));
            });
          })
          .Case([&](tensor::ConcatOp o) -> FailureOr<RefValue> {
            if (std::holds_alternative<Tensor>(values.at(o.getInputs()[0])))
              return concatOf<Tensor>(o.getInputs(), o.getDim());
            return concatOf<IndexTensor>(o.getInputs(), o.getDim());
          })
          .Case([&](func::CallOp o) -> FailureOr<RefValue> {
            // A called function (an imported layer): its results, from the
            // operands' values.
            auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                o, o.getCalleeAttr());
            if (!callee || callee.isExternal() || depth > 64)
              return o.emitError("reference evaluator: cannot evaluate a "
                                 "call of @")
                     << o.getCallee();
            Evaluator inner(options);
            inner.depth = depth + 1;
            Block &body = callee.getBody().front();
            for (auto [arg, operand] :
                 llvm::zip(body.getArguments(), o.getOperands()))
              inner.values.try_emplace(arg, values.at(operand));
            for (Operation &nested : body.without_terminator())
              if (failed(inner.evaluate(&nested)))
                return failure();
            Operation *ret = body.getTerminator();
            for (auto [r, v] : llvm::enumerate(ret->getOperands()))
              if (r > 0)
                values.try_emplace(o->getResult(r), inner.values.at(v));
            if (ret->getNumOperands() == 0)
              return o.emitError("reference evaluator: a call without "
                                 "results");
            return inner.values.at(ret->getOperand(0));
          })
          .Default([&](Operation *o) -> FailureOr<RefValue> {
            return o->emitError("reference evaluator: cannot evaluate '")
                   << o->getName() << "'";
          });
  if (failed(result))
    return failure();
  store(op->getResult(0), std::move(*result));
  return success();
}

void Evaluator::store(Value v, RefValue value) {
  if (auto *t = std::get_if<Tensor>(&value); t && options.roundingOf)
    t->rounding = options.roundingOf(v);
  values.try_emplace(v, std::move(value));
}

LogicalResult Evaluator::run(func::FuncOp func,
                             ArrayRef<mlir::xf::runtime::HostTensor> inputs,
                             std::vector<Tensor> &results) {
  Block &body = func.getBody().front();
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs))
    store(arg, toRef(input));
  for (Operation &op : body.without_terminator())
    if (failed(evaluate(&op)))
      return failure();
  for (Value v : body.getTerminator()->getOperands()) {
    if (!std::holds_alternative<Tensor>(values.at(v)))
      return func.emitError("reference evaluator: integer results are not "
                            "supported");
    results.push_back(std::get<Tensor>(values.at(v)));
  }
  return success();
}

FailureOr<std::vector<Tensor>>
mlir::xf::ref::evaluate(func::FuncOp func,
                        ArrayRef<mlir::xf::runtime::HostTensor> inputs,
                        const EvalOptions &options) {
  std::vector<Tensor> results;
  if (failed(Evaluator(options).run(func, inputs, results)))
    return failure();
  return results;
}
