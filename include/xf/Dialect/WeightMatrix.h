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

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <vector>

namespace mlir::xf {

class WeightMatrix {
public:
  /// The weight `attr` (rank 2, f32/bf16/f16) in layout `layout`; nullopt
  /// for any other constant.
  static std::optional<WeightMatrix> read(DenseElementsAttr attr,
                                          WeightLayout layout);

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
  DenseElementsAttr toAttr(ShapedType type) const;

private:
  int64_t index(int64_t r, int64_t c) const {
    return kn ? r * n + c : c * k + r;
  }
  std::vector<float> values;
  int64_t k = 0, n = 0;
  bool kn = true;
};

/// A constant of `type` holding `values` as they are in memory: from a raw
/// buffer, without per-element attributes, so that large weights pass
/// through the compiler in memory close to their own size.
template <typename T>
DenseElementsAttr rawConstant(ShapedType type, ArrayRef<T> values) {
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                           values.size() * sizeof(T)));
}

/// Constants the compiler creates (packed weights) of at least this many
/// bytes are resource blobs (packedConstant), and constant globals of at
/// least this size reach LLVM as flat bytes (xf-cpu-globals-as-bytes).
constexpr int64_t kLargeConstantBytes = 4096;

/// A constant of `type` holding `bytes` as they are in memory. From
/// kLargeConstantBytes up, a resource blob aligned to 64 bytes: not
/// uniqued, and bound to JIT-compiled code without a copy; below, a
/// DenseElementsAttr (readable in printed IR).
ElementsAttr packedConstant(ShapedType type, ArrayRef<char> bytes);

/// The bytes in memory of a non-splat dense constant or a resource
/// constant; nullopt for anything else.
std::optional<ArrayRef<char>> constantBytes(Attribute attr);

/// `values` in `type`'s element type (f32, bf16 or f16, rounded), as bytes.
std::vector<char> floatBytes(ShapedType type, ArrayRef<float> values);

/// The leading corner of a rank-2 constant, of `type`'s (smaller) shape,
/// copied from its raw buffer; null for elements that are not whole bytes.
DenseElementsAttr leadingCorner(DenseElementsAttr attr, ShapedType type);

/// A constant of `type` (f32, bf16 or f16 elements) from f32 values, rounded
/// to the element type.
DenseElementsAttr floatConstant(ShapedType type, ArrayRef<float> values);

} // namespace mlir::xf

#endif // XF_DIALECT_WEIGHTMATRIX_H
