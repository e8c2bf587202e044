//===- AttentionLayoutBuilder.cpp - attention layouts as IR ---------------===//

#include "xf/Dialect/AttentionLayoutBuilder.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::xf;

DenseIntElementsAttr xf::getBlockTableAttr(MLIRContext *ctx,
                                           const AttentionLayout &layout) {
  const BlockMap &map = layout.blocks;
  if (map.empty())
    return {};
  SmallVector<int32_t> table(map.summedArea().begin(), map.summedArea().end());
  auto type = RankedTensorType::get({map.getRows() + 1, map.getCols() + 1},
                                    IntegerType::get(ctx, 32));
  return DenseIntElementsAttr::get(type, ArrayRef<int32_t>(table));
}

Value LayoutBuilder::cst(int64_t v, Type like) {
  if (auto vec = dyn_cast<VectorType>(like))
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(vec, b.getIntegerAttr(vec.getElementType(), v)));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(like, v));
}

Value LayoutBuilder::boolean(bool v, Type like) {
  Type i1 = b.getI1Type();
  if (auto vec = dyn_cast<VectorType>(like))
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vec.clone(i1), b.getBoolAttr(v)));
  return arith::ConstantOp::create(b, loc, b.getBoolAttr(v));
}

Value LayoutBuilder::cmp(arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, loc, p, x, y);
}
// A null value stands for the identity of the operation (true for and,
// false for or), so that absent components emit nothing.
Value LayoutBuilder::andI(Value x, Value y) {
  if (!x || !y)
    return x ? x : y;
  return arith::AndIOp::create(b, loc, x, y);
}
Value LayoutBuilder::orI(Value x, Value y) {
  if (!x || !y)
    return x ? x : y;
  return arith::OrIOp::create(b, loc, x, y);
}

Value LayoutBuilder::absDiff(Value x, Value y) {
  Value d = arith::SubIOp::create(b, loc, x, y);
  Value neg = arith::SubIOp::create(b, loc, cst(0, d.getType()), d);
  return arith::MaxSIOp::create(b, loc, d, neg);
}

Value LayoutBuilder::holdsMultiple(Value lo, Value hi, int64_t m) {
  Type t = lo.getType();
  Value nonEmpty = cmp(arith::CmpIPredicate::sle, lo, hi);
  if (m == 1)
    return nonEmpty;
  Value below = arith::MulIOp::create(
      b, loc, arith::FloorDivSIOp::create(b, loc, hi, cst(m, t)), cst(m, t));
  return andI(nonEmpty, cmp(arith::CmpIPredicate::sge, below, lo));
}

Value LayoutBuilder::countGlobals(Value lo, Value hi) {
  Type t = lo.getType();
  Value count = cst(0, t);
  for (int64_t g : layout.globals) {
    Value in = andI(cmp(arith::CmpIPredicate::sle, lo, cst(g, t)),
                    cmp(arith::CmpIPredicate::sgt, hi, cst(g, t)));
    count = arith::AddIOp::create(
        b, loc, count,
        arith::SelectOp::create(b, loc, in, cst(1, t), cst(0, t)));
  }
  return count;
}

Value LayoutBuilder::countBlocks(Value r0, Value r1, Value c0, Value c1) {
  Type t = b.getIndexType();
  auto clamp = [&](Value v, int64_t hi) {
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, v, cst(0, t)), cst(hi, t));
  };
  const BlockMap &map = layout.blocks;
  r0 = clamp(r0, map.getRows());
  r1 = clamp(r1, map.getRows());
  c0 = clamp(c0, map.getCols());
  c1 = clamp(c1, map.getCols());
  // An empty rectangle after clamping counts nothing: keep r1 >= r0 and
  // c1 >= c0 so that the table's differences stay 0.
  r1 = arith::MaxSIOp::create(b, loc, r1, r0);
  c1 = arith::MaxSIOp::create(b, loc, c1, c0);
  auto at = [&](Value r, Value c) -> Value {
    Value v = isa<TensorType>(blockTable.getType())
                  ? Value(tensor::ExtractOp::create(b, loc, blockTable,
                                                    ValueRange{r, c}))
                  : Value(memref::LoadOp::create(b, loc, blockTable,
                                                 ValueRange{r, c}));
    return arith::IndexCastOp::create(b, loc, t, v);
  };
  Value sum = arith::SubIOp::create(b, loc, at(r1, c1), at(r0, c1));
  sum = arith::SubIOp::create(b, loc, sum, at(r1, c0));
  return arith::AddIOp::create(b, loc, sum, at(r0, c0));
}

Value LayoutBuilder::isVisible(Value position, Value key) {
  Type t = position.getType();
  if (auto vec = dyn_cast<VectorType>(t))
    key = vector::BroadcastOp::create(
        b, loc, vec,
        arith::IndexCastOp::create(b, loc, vec.getElementType(), key));
  Value keep =
      layout.causal ? cmp(arith::CmpIPredicate::sle, key, position) : Value();
  if (!layout.hasComponents())
    return keep ? keep : boolean(true, t);
  Value any;
  Value distance = absDiff(position, key);
  if (layout.window) {
    Value steps = distance;
    if (layout.dilation != 1) {
      Value r = cst(layout.dilation, t);
      any = cmp(arith::CmpIPredicate::eq,
                arith::RemSIOp::create(b, loc, distance, r), cst(0, t));
      steps = arith::DivSIOp::create(b, loc, distance, r);
    }
    any =
        andI(any, cmp(arith::CmpIPredicate::slt, steps, cst(layout.window, t)));
  }
  if (layout.stride)
    any =
        orI(any,
            cmp(arith::CmpIPredicate::eq,
                arith::RemSIOp::create(b, loc, distance, cst(layout.stride, t)),
                cst(0, t)));
  if (layout.sinks)
    any = orI(any, cmp(arith::CmpIPredicate::slt, key, cst(layout.sinks, t)));
  for (int64_t g : layout.globals)
    any = orI(any, orI(cmp(arith::CmpIPredicate::eq, position, cst(g, t)),
                       cmp(arith::CmpIPredicate::eq, key, cst(g, t))));
  if (!layout.blocks.empty()) {
    assert(!isa<VectorType>(t) && "block maps are read one pair at a time");
    Value r = arith::DivSIOp::create(b, loc, position,
                                     cst(layout.blocks.getBlockRows(), t));
    Value c = arith::DivSIOp::create(b, loc, key,
                                     cst(layout.blocks.getBlockCols(), t));
    Value one = cst(1, t);
    Value present = cmp(arith::CmpIPredicate::sgt,
                        countBlocks(r, arith::AddIOp::create(b, loc, r, one), c,
                                    arith::AddIOp::create(b, loc, c, one)),
                        cst(0, t));
    any = orI(any, andI(present,
                        cmp(arith::CmpIPredicate::sge, position, cst(0, t))));
  }
  return andI(keep, any ? any : boolean(false, t));
}

LayoutBuilder::TileVisit LayoutBuilder::classifyTile(Value p0, Value p1,
                                                     Value k0, Value k1) {
  Type t = p0.getType();
  auto add = [&](Value x, int64_t c) {
    return arith::AddIOp::create(b, loc, x, cst(c, t)).getResult();
  };
  auto sub = [&](Value x, Value y) {
    return arith::SubIOp::create(b, loc, x, y).getResult();
  };
  auto max = [&](Value x, Value y) {
    return arith::MaxSIOp::create(b, loc, x, y).getResult();
  };
  auto min = [&](Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y).getResult();
  };
  Value pLast = add(p1, -1), kLast = add(k1, -1);
  Value visit, full;
  if (layout.causal) {
    visit = cmp(arith::CmpIPredicate::sle, k0, pLast);
    full = cmp(arith::CmpIPredicate::sle, kLast, p0);
  }
  if (layout.hasComponents()) {
    Value any, whole;
    Value dMin = sub(p0, kLast), dMax = sub(pLast, k0);
    if (layout.causal)
      dMin = max(dMin, cst(0, t));
    if (layout.window) {
      int64_t reach = (layout.window - 1) * layout.dilation;
      any = holdsMultiple(max(dMin, cst(-reach, t)), min(dMax, cst(reach, t)),
                          layout.dilation);
      if (layout.dilation == 1)
        whole = andI(cmp(arith::CmpIPredicate::sge, dMin, cst(-reach, t)),
                     cmp(arith::CmpIPredicate::sle, dMax, cst(reach, t)));
    }
    if (layout.stride) {
      any = orI(any, holdsMultiple(dMin, dMax, layout.stride));
      if (layout.stride == 1)
        whole = boolean(true, t);
    }
    if (layout.sinks) {
      Value k = cst(layout.sinks, t);
      any = orI(any, cmp(arith::CmpIPredicate::slt, k0, k));
      whole = orI(whole, cmp(arith::CmpIPredicate::sle, k1, k));
    }
    if (!layout.globals.empty()) {
      Value zero = cst(0, t);
      Value keys = countGlobals(k0, layout.causal ? min(k1, p1) : k1);
      Value rows = countGlobals(layout.causal ? max(p0, k0) : p0, p1);
      any = orI(any, orI(cmp(arith::CmpIPredicate::sgt, keys, zero),
                         cmp(arith::CmpIPredicate::sgt, rows, zero)));
      whole = orI(whole, orI(cmp(arith::CmpIPredicate::eq, countGlobals(p0, p1),
                                 sub(p1, p0)),
                             cmp(arith::CmpIPredicate::eq, countGlobals(k0, k1),
                                 sub(k1, k0))));
    }
    if (!layout.blocks.empty()) {
      Value br = cst(layout.blocks.getBlockRows(), t);
      Value bc = cst(layout.blocks.getBlockCols(), t);
      auto div = [&](Value x, Value d) {
        return arith::FloorDivSIOp::create(b, loc, x, d).getResult();
      };
      Value zero = cst(0, t);
      Value r0 = div(max(p0, zero), br), r1 = add(div(pLast, br), 1);
      Value c0 = div(k0, bc), c1 = add(div(kLast, bc), 1);
      Value present = countBlocks(r0, r1, c0, c1);
      Value positive = cmp(arith::CmpIPredicate::sgt, p1, zero);
      any = orI(any,
                andI(positive, cmp(arith::CmpIPredicate::sgt, present, zero)));
      Value area = arith::MulIOp::create(b, loc, sub(r1, r0), sub(c1, c0));
      whole = orI(whole, andI(cmp(arith::CmpIPredicate::sge, p0, zero),
                              cmp(arith::CmpIPredicate::eq, present, area)));
    }
    visit = andI(visit, any ? any : boolean(false, t));
    full = andI(full, whole ? whole : boolean(false, t));
  }
  if (!visit)
    visit = boolean(true, t);
  return {visit, andI(visit, full)};
}
