//===- Flops.cpp - FLOPs of the matrix products of a function -------------===//

#include "xf/Runtime/FunctionInputs.h"

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::xf::runtime;
namespace xfd = mlir::xf;

static double numElements(ArrayRef<int64_t> shape) {
  double n = 1;
  for (int64_t d : shape)
    n *= static_cast<double>(d);
  return n;
}

/// FLOPs of x W for x with `rows` rows and a weight in `layout`.
static double linearFlops(double rows, Value weight) {
  return 2.0 * rows *
         numElements(cast<RankedTensorType>(weight.getType()).getShape());
}

/// Query/key pairs that the layout shows, counted by tiles of 64 x 64 pairs
/// and pair by pair only in the tiles it cuts.
static double attendedPairs(int64_t sq, int64_t skv,
                            const xfd::AttentionLayout &layout) {
  if (layout.isDense())
    return static_cast<double>(sq) * skv;
  const int64_t tile = 64;
  double pairs = 0;
  int64_t off = skv - sq;
  for (int64_t p0 = off; p0 < skv; p0 += tile)
    for (int64_t k0 = 0; k0 < skv; k0 += tile) {
      int64_t p1 = std::min(p0 + tile, skv), k1 = std::min(k0 + tile, skv);
      switch (layout.classify(p0, p1, k0, k1)) {
      case xfd::AttentionLayout::Tile::Empty:
        break;
      case xfd::AttentionLayout::Tile::Full:
        pairs += static_cast<double>(p1 - p0) * (k1 - k0);
        break;
      case xfd::AttentionLayout::Tile::Partial:
        for (int64_t p = p0; p < p1; ++p)
          for (int64_t k = k0; k < k1; ++k)
            pairs += layout.isVisible(p, k);
        break;
      }
    }
  return pairs;
}

/// Attention over queries `q = [..., Sq, H * Dh]` and `skv` keys: 2 (Dh +
/// Dv) FLOPs per attended pair and head.
static double attentionFlops(ArrayRef<int64_t> q, int64_t skv,
                             int64_t vFeatures, int64_t heads, int64_t kvHeads,
                             xfd::AttentionLayoutAttr layout) {
  double pairs = attendedPairs(q[q.size() - 2], skv, xfd::layoutOf(layout));
  double dh = static_cast<double>(q.back()) / heads;
  double dv = static_cast<double>(vFeatures) / kvHeads;
  return 2.0 * (dh + dv) * pairs * heads * numElements(q.drop_back(2));
}

/// The FLOPs of `func`, following calls; `active` holds the functions being
/// counted, so that a recursive call counts nothing instead of looping.
static double countFlopsOf(func::FuncOp func,
                           llvm::SmallPtrSetImpl<Operation *> &active) {
  if (!active.insert(func).second)
    return 0.0;
  double flops = 0;
  func.walk([&](Operation *op) {
    flops +=
        llvm::TypeSwitch<Operation *, double>(op)
            .Case([](xfd::LinearOp o) {
              ArrayRef<int64_t> x = o.getInput().getType().getShape();
              return linearFlops(numElements(x.drop_back()), o.getWeight());
            })
            .Case([](xfd::MatmulOp o) {
              ArrayRef<int64_t> a = o.getLhs().getType().getShape();
              int64_t k = o.getTransposeLhs() ? a[a.size() - 2] : a.back();
              return 2.0 * numElements(o.getType().getShape()) * k;
            })
            .Case([](xfd::AttentionOp o) {
              ArrayRef<int64_t> k = o.getKey().getType().getShape();
              return attentionFlops(
                  o.getQuery().getType().getShape(), k[k.size() - 2],
                  o.getValue().getType().getShape().back(), o.getNumHeads(),
                  o.getEffectiveNumKvHeads(), o.getLayoutAttr());
            })
            .Case([](xfd::MlpOp o) {
              double rows =
                  numElements(o.getInput().getType().getShape().drop_back());
              double f = linearFlops(rows, o.getUpWeight()) +
                         linearFlops(rows, o.getDownWeight());
              if (o.getGateWeight())
                f += linearFlops(rows, o.getGateWeight());
              return f;
            })
            .Case([](xfd::BlockOp o) {
              ArrayRef<int64_t> x = o.getInput().getType().getShape();
              double rows = numElements(x.drop_back());
              double f = 0;
              for (Value w : {o.getQWeight(), o.getKWeight(), o.getVWeight(),
                              o.getOWeight(), o.getUpWeight(),
                              o.getGateWeight(), o.getDownWeight()})
                if (w)
                  f += linearFlops(rows, w);
              auto features = [&](Value w) {
                return cast<RankedTensorType>(w.getType())
                    .getShape()[xfd::weightOutputDim(o.getWeightLayout())];
              };
              SmallVector<int64_t> q(x.drop_back());
              q.push_back(features(o.getQWeight()));
              return f +
                     attentionFlops(q, x[x.size() - 2],
                                    features(o.getVWeight()), o.getNumHeads(),
                                    o.getNumKvHeads().value_or(o.getNumHeads()),
                                    o.getLayoutAttr());
            })
            .Case([&](func::CallOp call) {
              // A called function (an outlined or imported layer) counts
              // once per call.
              auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                  call, call.getCalleeAttr());
              return callee && !callee.isExternal()
                         ? countFlopsOf(callee, active)
                         : 0.0;
            })
            .Default([](Operation *) { return 0.0; });
  });
  active.erase(func);
  return flops;
}

double mlir::xf::runtime::countFlops(func::FuncOp func) {
  llvm::SmallPtrSet<Operation *, 4> active;
  return countFlopsOf(func, active);
}
