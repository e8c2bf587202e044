//===- LinalgBuilders.cpp - building blocks of the xf lowering ------------===//

#include "LinalgBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

SmallVector<OpFoldResult> lowering::sizesOf(OpBuilder &b, Location loc,
                                            Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

Value lowering::emptyTensor(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes, Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value lowering::filledTensor(OpBuilder &b, Location loc,
                             ArrayRef<OpFoldResult> sizes, Type elementType,
                             double value) {
  Value init = emptyTensor(b, loc, sizes, elementType);
  Value c = buildFloatConstant(b, loc, elementType, value);
  return linalg::FillOp::create(b, loc, c, init).getResult(0);
}

AffineMap lowering::broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operand,
                                 ArrayRef<int64_t> result) {
  unsigned offset = result.size() - operand.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operand)) {
    bool broadcast = size == 1 && result[i + offset] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(result.size(), 0, exprs, ctx);
}

SmallVector<OpFoldResult>
lowering::broadcastSizes(OpBuilder &b, Location loc, ValueRange operands,
                         ArrayRef<int64_t> resultShape) {
  SmallVector<OpFoldResult> sizes;
  for (auto [i, size] : llvm::enumerate(resultShape)) {
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(b.getIndexAttr(size));
      continue;
    }
    // A dynamic result size comes from an operand whose size there is not 1.
    for (Value v : operands) {
      auto t = cast<RankedTensorType>(v.getType());
      int64_t dim = static_cast<int64_t>(i) -
                    (static_cast<int64_t>(resultShape.size()) - t.getRank());
      if (dim >= 0 && t.getDimSize(dim) != 1) {
        sizes.push_back(tensor::getMixedSize(b, loc, v, dim));
        break;
      }
    }
  }
  return sizes;
}

Value lowering::buildElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType resultType,
                                 ArrayRef<OpFoldResult> resultSizes,
                                 ValueRange operands, ElementFn fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value v : operands)
    maps.push_back(broadcastMap(ctx,
                                cast<RankedTensorType>(v.getType()).getShape(),
                                resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultSizes, resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = fn(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value lowering::buildReduction(
    OpBuilder &b, Location loc, Value input, int64_t axis, double init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, input);
  sizes.erase(sizes.begin() + axis);
  Value acc = filledTensor(b, loc, sizes, type.getElementType(), init);

  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      outExprs.push_back(getAffineDimExpr(i, ctx));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, ValueRange{input}, ValueRange{acc},
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[0], args[1]));
      });
  return generic.getResult(0);
}

/// The map from the full iteration space of `rank` dims to one that drops
/// `axis` (how a reduced tensor is read back per element).
static AffineMap droppedAxisMap(MLIRContext *ctx, int64_t rank, int64_t axis) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Elementwise over `input`'s shape with a second operand that lacks `axis`.
static Value mapWithReduced(OpBuilder &b, Location loc, Value input,
                            Value reduced, int64_t axis, ElementFn fn) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 droppedAxisMap(ctx, rank, axis),
                                 b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init =
      emptyTensor(b, loc, sizesOf(b, loc, input), type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{input, reduced}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value lowering::buildSoftmax(OpBuilder &b, Location loc, Value input,
                             int64_t axis) {
  Type elt = cast<RankedTensorType>(input.getType()).getElementType();
  double negInf = -std::numeric_limits<double>::infinity();
  Value max = buildReduction(
      b, loc, input, axis, negInf,
      [](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
        return arith::MaximumFOp::create(nb, nloc, x, acc);
      });
  // exp(x - m), with m replaced by 0 when the slice is all -inf so that the
  // exponentials are 0 instead of NaN.
  Value exps = mapWithReduced(
      b, loc, input, max, axis,
      [&](OpBuilder &nb, Location nloc, ValueRange e) -> Value {
        Value isEmpty =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OEQ, e[1],
                                  buildFloatConstant(nb, nloc, elt, negInf));
        Value shift = arith::SelectOp::create(
            nb, nloc, isEmpty, buildFloatConstant(nb, nloc, elt, 0.0), e[1]);
        return math::ExpOp::create(
            nb, nloc, arith::SubFOp::create(nb, nloc, e[0], shift));
      });
  Value sum = buildReduction(
      b, loc, exps, axis, 0.0,
      [](OpBuilder &nb, Location nloc, Value x, Value acc) -> Value {
        return arith::AddFOp::create(nb, nloc, x, acc);
      });
  return mapWithReduced(
      b, loc, exps, sum, axis,
      [&](OpBuilder &nb, Location nloc, ValueRange e) -> Value {
        Value zero = buildFloatConstant(nb, nloc, elt, 0.0);
        Value isEmpty = arith::CmpFOp::create(
            nb, nloc, arith::CmpFPredicate::OEQ, e[1], zero);
        Value p = arith::DivFOp::create(nb, nloc, e[0], e[1]);
        return arith::SelectOp::create(nb, nloc, isEmpty, zero, p);
      });
}

Value lowering::dimValue(OpBuilder &b, Location loc, Value tensor,
                         int64_t dim) {
  return getValueOrCreateConstantIndexOp(
      b, loc, tensor::getMixedSize(b, loc, tensor, dim));
}

Value lowering::castIndexToFloat(OpBuilder &b, Location loc, Value index,
                                 Type type) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, type, i64);
}

Value lowering::extractIndex(OpBuilder &b, Location loc, Value tensor,
                             ValueRange at) {
  Value x = tensor::ExtractOp::create(b, loc, tensor, at);
  if (x.getType().isIndex())
    return x;
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), x);
}

Value lowering::clampIndex(OpBuilder &b, Location loc, Value id, Value last) {
  if (!id.getType().isIndex())
    id = arith::IndexCastOp::create(b, loc, b.getIndexType(), id);
  id = arith::MaxSIOp::create(b, loc, id,
                              arith::ConstantIndexOp::create(b, loc, 0));
  return arith::MinSIOp::create(b, loc, id, last);
}

std::pair<Value, Value> lowering::buildSequenceOf(OpBuilder &b, Location loc,
                                                  Value offsets, Value t) {
  auto idx = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value count =
      arith::SubIOp::create(b, loc, dimValue(b, loc, offsets, 0), idx(1));
  auto loop = scf::ForOp::create(
      b, loc, idx(0), count, idx(1), ValueRange{idx(-1), idx(0)},
      [&](OpBuilder &nb, Location l, Value s, ValueRange acc) {
        Value lo = extractIndex(nb, l, offsets, ValueRange{s});
        Value hi = extractIndex(
            nb, l, offsets,
            ValueRange{arith::AddIOp::create(
                nb, l, s, arith::ConstantIndexOp::create(nb, l, 1))});
        Value in = arith::AndIOp::create(
            nb, l,
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, lo, t),
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, t, hi));
        scf::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, in, s, acc[0]),
                       arith::SelectOp::create(nb, l, in, lo, acc[1])});
      });
  return {loop.getResult(0), loop.getResult(1)};
}

/// `init + sum_k lhs * rhs` as a linalg.generic with the given maps; the last
/// iteration dimension is the reduction.
Value lowering::buildContraction(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs, Value init,
                                 ArrayRef<AffineMap> maps) {
  unsigned numDims = maps.front().getNumDims();
  SmallVector<utils::IteratorType> iterators(numDims,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators, [](OpBuilder &nb, Location l, ValueRange args) {
        // Narrower operands (bf16 or f16 weights) are exact in the
        // accumulator's type.
        Type acc = args[2].getType();
        auto widen = [&](Value v) -> Value {
          return v.getType() == acc ? v : arith::ExtFOp::create(nb, l, acc, v);
        };
        Value p = arith::MulFOp::create(nb, l, widen(args[0]), widen(args[1]));
        linalg::YieldOp::create(
            nb, l, arith::AddFOp::create(nb, l, args[2], p).getResult());
      });
  return generic.getResult(0);
}
