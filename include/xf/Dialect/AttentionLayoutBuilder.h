//===- AttentionLayoutBuilder.h - attention layouts as IR -------*- C++ -*-===//
//
// The questions of AttentionLayout (include/xf/Dialect/AttentionLayout.h),
// asked at run time: code generators build these instead of switching on
// layout kinds, so every layout works in every lowering. Both builders
// mirror AttentionLayout::isVisible and ::classify; the tests compare the
// code they give with the plain C++ definition through the reference
// evaluator.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_ATTENTIONLAYOUTBUILDER_H
#define XF_DIALECT_ATTENTIONLAYOUTBUILDER_H

#include "xf/Dialect/AttentionLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::xf {

/// The block map's summed-area table (AttentionLayout's BlockMap) as an i32
/// tensor constant of (rows + 1) x (cols + 1); null without a block map.
DenseIntElementsAttr getBlockTableAttr(MLIRContext *ctx,
                                       const AttentionLayout &layout);

class LayoutBuilder {
public:
  /// `blockTable` is the summed-area table (a tensor or a memref of i32, as
  /// getBlockTableAttr gives it); it is read only when the layout has a
  /// block map.
  LayoutBuilder(OpBuilder &b, Location loc, const AttentionLayout &layout,
                Value blockTable = {})
      : b(b), loc(loc), layout(layout), blockTable(blockTable) {}

  /// i1: whether the key at `key` is visible to the query at `position`
  /// (index values). With a vector of i64 positions (one query per lane)
  /// the result is a vector of i1; block maps need scalar positions.
  Value isVisible(Value position, Value key);

  struct TileVisit {
    Value visit; ///< some pair of the tile is visible
    Value full;  ///< every pair of the tile is visible
  };
  /// How the queries at positions [p0, p1) see the keys [k0, k1) (index
  /// values, non-empty ranges).
  TileVisit classifyTile(Value p0, Value p1, Value k0, Value k1);

private:
  Value cst(int64_t v, Type like);
  Value boolean(bool v, Type like);
  Value cmp(arith::CmpIPredicate p, Value x, Value y);
  Value andI(Value x, Value y);
  Value orI(Value x, Value y);
  Value absDiff(Value x, Value y);
  /// Whether [lo, hi] holds a multiple of m.
  Value holdsMultiple(Value lo, Value hi, int64_t m);
  /// The globals in [lo, hi).
  Value countGlobals(Value lo, Value hi);
  /// Present blocks in rows [r0, r1) x cols [c0, c1), clamped to the map.
  Value countBlocks(Value r0, Value r1, Value c0, Value c1);

  OpBuilder &b;
  Location loc;
  const AttentionLayout &layout;
  Value blockTable;
};

} // namespace mlir::xf

#endif // XF_DIALECT_ATTENTIONLAYOUTBUILDER_H
