//===- WeightMatrix.h - a constant weight as a [K, N] matrix ----*- C++ -*-===//
//
// The values of a constant linear weight, widened to f32 from its raw
// buffer (f32, bf16 or f16; a splat expanded), seen as [K, N] whatever its
// layout: what the passes that inspect, prune or repack constant weights
// read and write, one element at a time.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_WEIGHTMATRIX_H
#define XF_DIALECT_WEIGHTMATRIX_H

#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfOps.h"

#include <optional>
#include <vector>

namespace mlir::xf {

class WeightMatrix {
public:
  /// The weight `raw` (rank 2, f32/bf16/f16) in layout `layout`; nullopt
  /// for any other constant.
  static std::optional<WeightMatrix> read(const RawElements &raw,
                                          WeightLayout layout);
  /// The constant defining `weight`, read as above; nullopt when it is not
  /// one.
  static std::optional<WeightMatrix> read(Value weight, WeightLayout layout);

  int64_t rows() const { return k; }
  int64_t cols() const { return n; }
  float at(int64_t r, int64_t c) const { return values[index(r, c)]; }
  float &at(int64_t r, int64_t c) { return values[index(r, c)]; }

  /// The nonzero blocks of `blockRows x blockCols` elements (aligned to
  /// multiples of the block size; the last ones may be cut by K or N).
  int64_t nonzeroBlocks(int64_t blockRows, int64_t blockCols) const;
  /// Whether block (br, bc) of that size has a nonzero element.
  bool blockIsNonzero(int64_t br, int64_t bc, int64_t blockRows,
                      int64_t blockCols) const;
  /// Whether every group of 4 consecutive rows of a column (from row 0; the
  /// last group may be shorter) has at most 2 nonzeros: the 2:4 pattern.
  bool isTwoOfFour() const;

  /// The values in `type`'s element type and the original layout, as a new
  /// constant (from a raw buffer: no per-element attribute).
  ElementsAttr toAttr(ShapedType type) const;

private:
  int64_t index(int64_t r, int64_t c) const {
    return kn ? r * n + c : c * k + r;
  }
  std::vector<float> values;
  int64_t k = 0, n = 0;
  bool kn = true;
};

} // namespace mlir::xf

#endif // XF_DIALECT_WEIGHTMATRIX_H
