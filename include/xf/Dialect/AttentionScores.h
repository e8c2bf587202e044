//===- AttentionScores.h - the shape of attention's scores ------*- C++ -*-===//
//
// The scores of attention, which an additive mask broadcasts to and a block
// mask tiles, defined once for the verifiers (lib/Dialect/ShapeChecks.cpp)
// and the run-time checks (lib/Runtime/DynamicBroadcasts.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_ATTENTIONSCORES_H
#define XF_DIALECT_ATTENTIONSCORES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::xf {

/// [batch..., heads, queries, keys]: one score per head, query and key.
inline llvm::SmallVector<int64_t>
attentionScoresShape(llvm::ArrayRef<int64_t> batch, int64_t heads,
                     int64_t queries, int64_t keys) {
  llvm::SmallVector<int64_t> shape(batch);
  shape.append({heads, queries, keys});
  return shape;
}

} // namespace mlir::xf

#endif // XF_DIALECT_ATTENTIONSCORES_H
