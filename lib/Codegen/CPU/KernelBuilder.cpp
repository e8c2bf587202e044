//===- KernelBuilder.cpp - helpers for writing vector micro-kernels -------===//

#include "KernelBuilder.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::xf::cpu;

Value KernelBuilder::splat(double value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vec(), b.getF32FloatAttr(value)));
}

Value KernelBuilder::divUp(Value x, int64_t d) {
  return arith::CeilDivSIOp::create(b, loc, x, index(d));
}

Value KernelBuilder::prefixMask(Value count) {
  auto maskType = VectorType::get({vectorWidth}, b.getI1Type());
  return vector::CreateMaskOp::create(b, loc, maskType, ValueRange{count});
}

Value KernelBuilder::laneOffsets(Value stride) {
  auto i32Vec = VectorType::get({vectorWidth}, b.getI32Type());
  SmallVector<int32_t> lanes;
  for (int32_t l = 0; l < vectorWidth; ++l)
    lanes.push_back(l);
  Value iota = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i32Vec, ArrayRef<int32_t>(lanes)));
  Value s = arith::IndexCastOp::create(b, loc, b.getI32Type(), stride);
  return arith::MulIOp::create(b, loc, iota,
                               vector::BroadcastOp::create(b, loc, i32Vec, s));
}

Value KernelBuilder::loadIndex(Value memref, Value i) {
  return arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      memref::LoadOp::create(b, loc, memref, ValueRange{i}));
}

Value KernelBuilder::load(Value memref, ValueRange indices, Value mask) {
  Type elt = cast<MemRefType>(memref.getType()).getElementType();
  auto type = VectorType::get({vectorWidth}, elt);
  Value v;
  if (!mask) {
    v = vector::LoadOp::create(b, loc, type, memref, indices);
  } else {
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getZeroAttr(elt)));
    v = vector::MaskedLoadOp::create(b, loc, type, memref, indices, mask, zero);
  }
  return widen(v);
}

Value KernelBuilder::widen(Value v) {
  Type elt = getElementTypeOrSelf(v.getType());
  if (elt.isF32() || !isa<FloatType>(elt))
    return v;
  Type f32 = b.getF32Type();
  if (auto vt = dyn_cast<VectorType>(v.getType()))
    f32 = VectorType::get(vt.getShape(), f32);
  return arith::ExtFOp::create(b, loc, f32, v);
}

void KernelBuilder::store(Value value, Value memref, ValueRange indices,
                          Value mask) {
  if (!mask)
    vector::StoreOp::create(b, loc, value, memref, indices);
  else
    vector::MaskedStoreOp::create(b, loc, memref, indices, mask, value);
}

scf::ForOp KernelBuilder::loop(
    Value lb, Value ub, Value step, ValueRange iterArgs,
    function_ref<SmallVector<Value>(Value iv, ValueRange args)> body) {
  return scf::ForOp::create(
      b, loc, lb, ub, step, iterArgs,
      [&](OpBuilder &nb, Location, Value iv, ValueRange args) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        SmallVector<Value> results = body(iv, args);
        scf::YieldOp::create(b, loc, results);
      });
}

void KernelBuilder::loop(Value lb, Value ub, int64_t step,
                         function_ref<void(Value iv)> body) {
  loop(lb, ub, index(step), ValueRange{}, [&](Value iv, ValueRange) {
    body(iv);
    return SmallVector<Value>{};
  });
}

void KernelBuilder::parallel(Value count, int64_t threads,
                             function_ref<void(Value)> body) {
  if (threads <= 1) {
    loop(index(0), count, 1, body);
    return;
  }
  scf::ParallelOp::create(
      b, loc, ValueRange{index(0)}, ValueRange{count}, ValueRange{index(1)},
      [&](OpBuilder &nb, Location, ValueRange ivs) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        body(ivs[0]);
      });
}

SmallVector<Value> KernelBuilder::delinearize(Value linear,
                                              ArrayRef<Value> sizes) {
  SmallVector<Value> result(sizes.size());
  for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i >= 0; --i) {
    if (i == 0) {
      result[i] = linear;
      break;
    }
    result[i] = arith::RemUIOp::create(b, loc, linear, sizes[i]);
    linear = arith::DivUIOp::create(b, loc, linear, sizes[i]);
  }
  return result;
}

arith::FastMathFlags KernelBuilder::reductionFlags() {
  using F = arith::FastMathFlags;
  return F::nnan | F::nsz | F::reassoc | F::contract;
}

Value KernelBuilder::expNonPositive(Value x) {
  auto intVec = VectorType::get({vectorWidth}, b.getI32Type());
  auto fma = [&](Value a, Value c, Value d) {
    return vector::FMAOp::create(b, loc, a, c, d).getResult();
  };
  Value lo = splat(-80.0);
  Value clamped = arith::MaximumFOp::create(b, loc, x, lo, reductionFlags());
  // n = round(x / ln2) through the 1.5 * 2^23 trick; r = x - n ln2 in two
  // parts (Cody-Waite) keeps |r| <= ln2 / 2 exact enough for f32.
  Value magic = splat(12582912.0);
  Value t = fma(clamped, splat(1.44269504088896341), magic);
  Value n = arith::SubFOp::create(b, loc, t, magic);
  Value r = fma(n, splat(-0.693359375), clamped);
  r = fma(n, splat(2.12194440e-4), r);
  Value p = splat(1.0 / 720.0);
  for (double c : {1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0})
    p = fma(p, r, splat(c));
  // Add n to the exponent: the low bits of t hold n, so t << 23 is n << 23.
  Value shift = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(intVec, b.getI32IntegerAttr(23)));
  Value exponent = arith::ShLIOp::create(
      b, loc, arith::BitcastOp::create(b, loc, intVec, t), shift);
  Value bits = arith::AddIOp::create(
      b, loc, arith::BitcastOp::create(b, loc, intVec, p), exponent);
  Value e = arith::BitcastOp::create(b, loc, vec(), bits);
  Value underflow =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, lo);
  return arith::SelectOp::create(b, loc, underflow, splat(0.0), e);
}
