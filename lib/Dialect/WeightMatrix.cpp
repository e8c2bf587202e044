//===- WeightMatrix.cpp - a constant weight as a [K, N] matrix ------------===//

#include "xf/Dialect/WeightMatrix.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace mlir::xf;

std::optional<WeightMatrix> WeightMatrix::read(const RawElements &raw,
                                               WeightLayout layout) {
  ShapedType type = raw.type;
  Type elt = type.getElementType();
  if (type.getRank() != 2 || !(elt.isF32() || elt.isBF16() || elt.isF16()))
    return std::nullopt;
  WeightMatrix w;
  w.kn = layout == WeightLayout::kn;
  w.k = type.getDimSize(w.kn ? 0 : 1);
  w.n = type.getDimSize(w.kn ? 1 : 0);
  int64_t count = raw.size();
  w.values.resize(count);
  if (raw.kind == RawElements::Kind::F32 && !raw.splat) {
    std::memcpy(w.values.data(), raw.data.data(), count * sizeof(float));
    return w;
  }
  for (int64_t i = 0; i < count; ++i)
    w.values[i] = static_cast<float>(raw.floatAt(i));
  return w;
}

std::optional<WeightMatrix> WeightMatrix::read(Value weight,
                                               WeightLayout layout) {
  std::optional<RawElements> raw = rawElements(weight);
  return raw ? read(*raw, layout) : std::nullopt;
}

bool WeightMatrix::blockIsNonzero(int64_t br, int64_t bc, int64_t blockRows,
                                  int64_t blockCols) const {
  for (int64_t r = br * blockRows; r < std::min(k, (br + 1) * blockRows); ++r)
    for (int64_t c = bc * blockCols; c < std::min(n, (bc + 1) * blockCols); ++c)
      if (at(r, c) != 0.0f)
        return true;
  return false;
}

int64_t WeightMatrix::nonzeroBlocks(int64_t blockRows,
                                    int64_t blockCols) const {
  int64_t count = 0;
  for (int64_t br = 0; br * blockRows < k; ++br)
    for (int64_t bc = 0; bc * blockCols < n; ++bc)
      count += blockIsNonzero(br, bc, blockRows, blockCols);
  return count;
}

bool WeightMatrix::isTwoOfFour() const {
  for (int64_t c = 0; c < n; ++c)
    for (int64_t r0 = 0; r0 < k; r0 += 4) {
      int nonzeros = 0;
      for (int64_t r = r0; r < std::min(r0 + 4, k); ++r)
        nonzeros += at(r, c) != 0.0f;
      if (nonzeros > 2)
        return false;
    }
  return true;
}

ElementsAttr WeightMatrix::toAttr(ShapedType type) const {
  return floatConstant(type, values);
}
