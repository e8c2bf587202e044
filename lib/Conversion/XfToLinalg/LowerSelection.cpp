//===- LowerSelection.cpp - top_k and gather_mlp --------------------------===//
//
// The straightforward lowering of activation sparsity: the selection finds
// each row's k-th largest key bit by bit (32 counting passes) and then
// collects the indices in one ordered scan; the gathered MLP reads the
// selected weight columns inside linalg bodies. Every target that has no
// kernel of its own for these ops runs this.
//
//===----------------------------------------------------------------------===//

#include "LinalgBuilders.h"
#include "Patterns.h"

#include "xf/Conversion/Activations.h"
#include "xf/Dialect/RowReshape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::lowering;

using utils::IteratorType;

static Value i32Constant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

/// A generic over `[R, N]` (parallel, reduction) that counts, per row, the
/// elements for which `pred(element, row value)` holds.
static Value
countPerRow(OpBuilder &b, Location loc, Value keys, Value perRow,
            function_ref<Value(OpBuilder &, Location, Value, Value)> pred) {
  MLIRContext *ctx = b.getContext();
  Value zero = i32Constant(b, loc, 0);
  Value init = linalg::FillOp::create(
                   b, loc, zero,
                   emptyTensor(b, loc, {tensor::getMixedSize(b, loc, keys, 0)},
                               b.getI32Type()))
                   .getResult(0);
  AffineMap all = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap row = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{keys, perRow},
             ValueRange{init}, ArrayRef<AffineMap>{all, row, row},
             ArrayRef<IteratorType>{IteratorType::parallel,
                                    IteratorType::reduction},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value hit = arith::ExtUIOp::create(
                   nb, l, nb.getI32Type(), pred(nb, l, args[0], args[1]));
               linalg::YieldOp::create(
                   nb, l,
                   arith::AddIOp::create(nb, l, args[2], hit).getResult());
             })
      .getResult(0);
}

namespace {

struct LowerTopK : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value x = collapseToRows(b, loc, adaptor.getInput());
    int64_t k = static_cast<int64_t>(op.getK());
    Type i32 = b.getI32Type();
    SmallVector<OpFoldResult> sizes = sizesOf(b, loc, x);

    // Keys whose unsigned order is the values' totalOrder as f32: flip
    // every bit of negatives, only the sign bit of the others.
    Value keys = buildElementwise(
        b, loc,
        RankedTensorType::get(cast<ShapedType>(x.getType()).getShape(), i32),
        sizes, ValueRange{x}, [&](OpBuilder &nb, Location l, ValueRange e) {
          Value v = e[0];
          if (!v.getType().isF32())
            v = arith::ExtFOp::create(nb, l, nb.getF32Type(), v);
          Value bits = arith::BitcastOp::create(nb, l, nb.getI32Type(), v);
          Value negative = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::slt, bits, i32Constant(nb, l, 0));
          Value flip = arith::SelectOp::create(
              nb, l, negative, i32Constant(nb, l, -1),
              i32Constant(nb, l, static_cast<int32_t>(0x80000000u)));
          return arith::XOrIOp::create(nb, l, bits, flip).getResult();
        });

    // The k-th largest key of each row, one bit at a time from the top:
    // keep a bit when at least k keys are >= the threshold with it set.
    Value rowsSize = dimValue(b, loc, x, 0);
    Value kth = linalg::FillOp::create(b, loc, i32Constant(b, loc, 0),
                                       emptyTensor(b, loc, {sizes[0]}, i32))
                    .getResult(0);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    Value c32 = arith::ConstantIndexOp::create(b, loc, 32);
    Value kValue = i32Constant(b, loc, k);
    auto bits = scf::ForOp::create(
        b, loc, c0, c32, c1, ValueRange{kth},
        [&](OpBuilder &nb, Location l, Value iv, ValueRange iter) {
          Value shift = arith::SubIOp::create(
              nb, l, i32Constant(nb, l, 31),
              arith::IndexCastOp::create(nb, l, nb.getI32Type(), iv));
          Value bit =
              arith::ShLIOp::create(nb, l, i32Constant(nb, l, 1), shift);
          auto withBit = [&](OpBuilder &bb, Location ll, Value t) -> Value {
            return arith::OrIOp::create(bb, ll, t, bit);
          };
          Value count = countPerRow(
              nb, l, keys, iter[0],
              [&](OpBuilder &bb, Location ll, Value key, Value t) -> Value {
                return arith::CmpIOp::create(bb, ll, arith::CmpIPredicate::uge,
                                             key, withBit(bb, ll, t));
              });
          // Updated in place: the loop carries one buffer.
          AffineMap id = AffineMap::getMultiDimIdentityMap(1, nb.getContext());
          auto next = linalg::GenericOp::create(
              nb, l, TypeRange{iter[0].getType()}, ValueRange{count},
              ValueRange{iter[0]}, ArrayRef<AffineMap>{id, id},
              ArrayRef<IteratorType>{IteratorType::parallel},
              [&](OpBuilder &bb, Location ll, ValueRange e) {
                Value enough = arith::CmpIOp::create(
                    bb, ll, arith::CmpIPredicate::sge, e[0], kValue);
                linalg::YieldOp::create(
                    bb, ll,
                    arith::SelectOp::create(bb, ll, enough,
                                            withBit(bb, ll, e[1]), e[1])
                        .getResult());
              });
          scf::YieldOp::create(nb, l, next.getResult(0));
        });
    kth = bits.getResult(0);
    Value greater = countPerRow(
        b, loc, keys, kth,
        [](OpBuilder &bb, Location ll, Value key, Value t) -> Value {
          return arith::CmpIOp::create(bb, ll, arith::CmpIPredicate::ugt, key,
                                       t);
        });

    // Each row in index order: every key above the k-th, and the first
    // (k - greater) keys equal to it.
    Value n = dimValue(b, loc, x, 1);
    Value out =
        emptyTensor(b, loc, {sizes[0], b.getIndexAttr(k)}, b.getI64Type());
    auto rowsLoop = scf::ForOp::create(
        b, loc, c0, rowsSize, c1, ValueRange{out},
        [&](OpBuilder &rb, Location l, Value r, ValueRange rowIter) {
          Value t = tensor::ExtractOp::create(rb, l, kth, ValueRange{r});
          Value need = arith::SubIOp::create(
              rb, l, kValue,
              tensor::ExtractOp::create(rb, l, greater, ValueRange{r}));
          auto scan = scf::ForOp::create(
              rb, l, c0, n, c1,
              ValueRange{c0, i32Constant(rb, l, 0), rowIter[0]},
              [&](OpBuilder &sb, Location sl, Value i, ValueRange it) {
                Value key =
                    tensor::ExtractOp::create(sb, sl, keys, ValueRange{r, i});
                Value above = arith::CmpIOp::create(
                    sb, sl, arith::CmpIPredicate::ugt, key, t);
                Value equal = arith::CmpIOp::create(
                    sb, sl, arith::CmpIPredicate::eq, key, t);
                Value room = arith::CmpIOp::create(
                    sb, sl, arith::CmpIPredicate::slt, it[1], need);
                Value take = arith::OrIOp::create(
                    sb, sl, above, arith::AndIOp::create(sb, sl, equal, room));
                auto write = scf::IfOp::create(
                    sb, sl, take,
                    [&](OpBuilder &ib, Location il) {
                      Value id = arith::IndexCastOp::create(ib, il,
                                                            ib.getI64Type(), i);
                      Value o = tensor::InsertOp::create(ib, il, id, it[2],
                                                         ValueRange{r, it[0]});
                      Value pos = arith::AddIOp::create(ib, il, it[0], c1);
                      scf::YieldOp::create(ib, il, ValueRange{pos, o});
                    },
                    [&](OpBuilder &ib, Location il) {
                      scf::YieldOp::create(ib, il, ValueRange{it[0], it[2]});
                    });
                Value eq = arith::AddIOp::create(
                    sb, sl, it[1],
                    arith::ExtUIOp::create(sb, sl, sb.getI32Type(), equal));
                scf::YieldOp::create(
                    sb, sl,
                    ValueRange{write.getResult(0), eq, write.getResult(1)});
              });
          scf::YieldOp::create(rb, l, scan.getResult(2));
        });
    rewriter.replaceOp(op, expandFromRows(b, loc, rowsLoop.getResult(0),
                                          op.getType(), adaptor.getInput()));
    return success();
  }
};

/// y[r] = sum_j h_r(n_rj) W_down[n_rj, :] + b_down with the selected weight
/// columns read inside the linalg bodies (see xf.gather_mlp).
struct LowerGatherMlp : OpConversionPattern<GatherMlpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherMlpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    RankedTensorType type = op.getType();
    Type elt = type.getElementType();
    bool kn = op.getWeightLayout() == WeightLayout::kn;
    Value x = adaptor.getInput(), ids = adaptor.getNeurons();
    Value up = adaptor.getUpWeight(), gate = adaptor.getGateWeight();
    Value down = adaptor.getDownWeight();
    int64_t rank = type.getRank();
    Value last =
        arith::SubIOp::create(b, loc, dimValue(b, loc, up, kn ? 1 : 0),
                              arith::ConstantIndexOp::create(b, loc, 1));
    // The neuron id, clamped into the weights, and weight elements in the
    // activations' type.
    auto neuron = [&](OpBuilder &nb, Location l, Value id) {
      return clampIndex(nb, l, id, last);
    };
    auto element = [&](OpBuilder &nb, Location l, Value t,
                       ValueRange at) -> Value {
      Value v = tensor::ExtractOp::create(nb, l, t, at);
      return v.getType() == elt ? v : arith::ExtFOp::create(nb, l, elt, v);
    };

    // Iteration space (rows..., j, d) for the projections onto the
    // selected neurons.
    SmallVector<AffineExpr> rowsExprs;
    for (int64_t i = 0; i + 1 < rank; ++i)
      rowsExprs.push_back(getAffineDimExpr(i, ctx));
    AffineExpr j = getAffineDimExpr(rank - 1, ctx);
    AffineExpr d = getAffineDimExpr(rank, ctx);
    auto withLast = [&](AffineExpr e) {
      SmallVector<AffineExpr> exprs = rowsExprs;
      exprs.push_back(e);
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<OpFoldResult> hiddenSizes = sizesOf(b, loc, ids);
    SmallVector<Value> weights = {up};
    if (gate)
      weights.push_back(gate);
    SmallVector<Value> inits(weights.size(),
                             filledTensor(b, loc, hiddenSizes, elt, 0.0));
    SmallVector<AffineMap> maps = {withLast(d), withLast(j)};
    maps.append(weights.size(), withLast(j));
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    auto projections = linalg::GenericOp::create(
        b, loc, TypeRange(ValueRange(inits)), ValueRange{x, ids}, inits, maps,
        iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
          Value f = neuron(nb, l, args[1]);
          Value p = linalg::IndexOp::create(nb, l, rank);
          SmallVector<Value> sums;
          for (auto [w, acc] : llvm::zip(weights, args.drop_front(2))) {
            Value v =
                element(nb, l, w, kn ? ValueRange{p, f} : ValueRange{f, p});
            sums.push_back(arith::AddFOp::create(
                nb, l, acc, arith::MulFOp::create(nb, l, args[0], v)));
          }
          linalg::YieldOp::create(nb, l, sums);
        });

    // h = act(gate + b_gate) * (up + b_up), or act(up + b_up).
    Value upBias = adaptor.getUpBias(), gateBias = adaptor.getGateBias();
    auto hiddenType = RankedTensorType::get(
        cast<RankedTensorType>(inits.front().getType()).getShape(), elt);
    SmallVector<Value> hiddenOperands = {ids};
    hiddenOperands.append(projections.getResults().begin(),
                          projections.getResults().end());
    Value hidden = buildElementwise(
        b, loc, hiddenType, hiddenSizes, hiddenOperands,
        [&](OpBuilder &nb, Location l, ValueRange e) -> Value {
          Value f = neuron(nb, l, e[0]);
          auto biased = [&](Value v, Value bias) -> Value {
            return bias ? arith::AddFOp::create(nb, l, v,
                                                element(nb, l, bias, {f}))
                        : v;
          };
          Value u = biased(e[1], upBias);
          if (!gate)
            return buildActivation(nb, l, op.getActivation(), u);
          Value g = buildActivation(nb, l, op.getActivation(),
                                    biased(e[2], gateBias));
          return arith::MulFOp::create(nb, l, g, u);
        });

    // Iteration space (rows..., e, j) for the down projection.
    SmallVector<OpFoldResult> sizes = sizesOf(b, loc, x);
    sizes.back() = tensor::getMixedSize(b, loc, down, kn ? 1 : 0);
    Value init;
    if (Value bias = adaptor.getDownBias())
      init = buildElementwise(
          b, loc, type, sizes, ValueRange{bias},
          [&](OpBuilder &nb, Location l, ValueRange e) -> Value {
            return e[0].getType() == elt
                       ? e[0]
                       : arith::ExtFOp::create(nb, l, elt, e[0]);
          });
    else
      init = filledTensor(b, loc, sizes, elt, 0.0);
    AffineExpr out = getAffineDimExpr(rank - 1, ctx), sel = d;
    auto y = linalg::GenericOp::create(
        b, loc, TypeRange{type}, ValueRange{hidden, ids}, ValueRange{init},
        ArrayRef<AffineMap>{withLast(sel), withLast(sel), withLast(out)},
        iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
          Value f = neuron(nb, l, args[1]);
          Value c = linalg::IndexOp::create(nb, l, rank - 1);
          Value w =
              element(nb, l, down, kn ? ValueRange{f, c} : ValueRange{c, f});
          linalg::YieldOp::create(
              nb, l,
              arith::AddFOp::create(nb, l, args[2],
                                    arith::MulFOp::create(nb, l, args[0], w))
                  .getResult());
        });
    rewriter.replaceOp(op, y.getResult(0));
    return success();
  }
};

} // namespace

void xf::lowering::populateSelectionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerTopK, LowerGatherMlp>(patterns.getContext());
}
