//===- Activations.cpp - arith/math forms of xf activations ---------------===//

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::xf;

Value xf::buildFloatConstant(OpBuilder &b, Location loc, Type type,
                             double value) {
  if (auto vt = dyn_cast<VectorType>(type)) {
    auto scalar = b.getFloatAttr(vt.getElementType(), value);
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(vt, scalar));
  }
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value xf::buildGelu(OpBuilder &b, Location loc, Value x,
                    GeluApproximation approximation) {
  Type t = x.getType();
  auto c = [&](double v) { return buildFloatConstant(b, loc, t, v); };
  Value inner;
  if (approximation == GeluApproximation::tanh) {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 =
        arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value poly = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, c(0.044715), x3));
    inner = math::TanhOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(std::sqrt(2.0 / M_PI)), poly));
  } else {
    // erf(x / sqrt(2))
    inner = math::ErfOp::create(b, loc,
                                arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
  }
  Value half = arith::MulFOp::create(b, loc, c(0.5), x);
  return arith::MulFOp::create(b, loc, half,
                               arith::AddFOp::create(b, loc, c(1.0), inner));
}

Value xf::buildSilu(OpBuilder &b, Location loc, Value x) {
  // x / (1 + exp(-x)): for very negative x, exp overflows to inf and the
  // quotient is -0, the right limit.
  Type t = x.getType();
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  Value den =
      arith::AddFOp::create(b, loc, buildFloatConstant(b, loc, t, 1.0), e);
  return arith::DivFOp::create(b, loc, x, den);
}

Value xf::buildRelu(OpBuilder &b, Location loc, Value x) {
  return arith::MaximumFOp::create(b, loc, x,
                                   buildFloatConstant(b, loc, x.getType(), 0));
}

Value xf::buildActivation(OpBuilder &b, Location loc, Activation act, Value x) {
  switch (act) {
  case Activation::gelu:
    return buildGelu(b, loc, x, GeluApproximation::none);
  case Activation::gelu_tanh:
    return buildGelu(b, loc, x, GeluApproximation::tanh);
  case Activation::relu:
    return buildRelu(b, loc, x);
  case Activation::silu:
    return buildSilu(b, loc, x);
  }
  llvm_unreachable("unknown activation");
}
