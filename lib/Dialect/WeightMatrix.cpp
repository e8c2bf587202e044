//===- WeightMatrix.cpp - a constant weight as a [K, N] matrix ------------===//

#include "xf/Dialect/WeightMatrix.h"

#include "xf/Support/HalfFloat.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace mlir::xf;

std::optional<WeightMatrix> WeightMatrix::read(DenseElementsAttr attr,
                                               WeightLayout layout) {
  auto type = attr.getType();
  Type elt = type.getElementType();
  if (type.getRank() != 2 || !(elt.isF32() || elt.isBF16() || elt.isF16()))
    return std::nullopt;
  WeightMatrix w;
  w.kn = layout == WeightLayout::kn;
  w.k = type.getDimSize(w.kn ? 0 : 1);
  w.n = type.getDimSize(w.kn ? 1 : 0);
  ArrayRef<char> raw = attr.getRawData();
  int64_t count = type.getNumElements();
  w.values.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    int64_t at = attr.isSplat() ? 0 : i;
    if (elt.isF32()) {
      std::memcpy(&w.values[i], raw.data() + 4 * at, 4);
      continue;
    }
    uint16_t bits;
    std::memcpy(&bits, raw.data() + 2 * at, 2);
    w.values[i] = elt.isF16() ? fromF16(bits) : fromBF16(bits);
  }
  return w;
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

DenseElementsAttr WeightMatrix::toAttr(ShapedType type) const {
  return floatConstant(type, values);
}

std::vector<char> mlir::xf::floatBytes(ShapedType type,
                                       ArrayRef<float> values) {
  Type elt = type.getElementType();
  if (elt.isF32()) {
    const char *data = reinterpret_cast<const char *>(values.data());
    return std::vector<char>(data, data + values.size() * sizeof(float));
  }
  std::vector<char> bytes(values.size() * sizeof(uint16_t));
  for (size_t i = 0; i < values.size(); ++i) {
    uint16_t v = elt.isF16() ? toF16(values[i]) : toBF16(values[i]);
    std::memcpy(bytes.data() + i * sizeof(v), &v, sizeof(v));
  }
  return bytes;
}

DenseElementsAttr mlir::xf::floatConstant(ShapedType type,
                                          ArrayRef<float> values) {
  return rawConstant(type, ArrayRef<char>(floatBytes(type, values)));
}

ElementsAttr mlir::xf::packedConstant(ShapedType type, ArrayRef<char> bytes) {
  if (static_cast<int64_t>(bytes.size()) < kLargeConstantBytes)
    return rawConstant(type, bytes);
  // Blobs named by a hash of their bytes: one weight packed in several
  // places (layers that share it) is one blob, as an attribute would be.
  auto &manager =
      DenseResourceElementsHandle::getManagerInterface(type.getContext());
  std::string key =
      "xf_packed_" +
      llvm::utohexstr(llvm::xxh3_64bits(
          llvm::arrayRefFromStringRef(StringRef(bytes.data(), bytes.size()))));
  if (DialectResourceBlobManager::BlobEntry *entry =
          manager.getBlobManager().lookup(key))
    if (entry->getBlob() && entry->getBlob()->getData() == bytes)
      return DenseResourceElementsAttr::get(
          type,
          DenseResourceElementsHandle(
              entry, type.getContext()->getLoadedDialect<BuiltinDialect>()));
  return DenseResourceElementsAttr::get(
      type, key, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64));
}

std::optional<ArrayRef<char>> mlir::xf::constantBytes(Attribute attr) {
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(attr))
    if (!dense.isSplat())
      return dense.getRawData();
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

DenseElementsAttr mlir::xf::leadingCorner(DenseElementsAttr attr,
                                          ShapedType type) {
  ShapedType from = attr.getType();
  unsigned bits = from.getElementTypeBitWidth();
  if (from.getRank() != 2 || type.getRank() != 2 || bits % 8 != 0)
    return {};
  if (attr.isSplat())
    return attr.resizeSplat(type);
  size_t width = bits / 8;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  int64_t stride = from.getDimSize(1);
  ArrayRef<char> raw = attr.getRawData();
  std::vector<char> out(static_cast<size_t>(rows * cols) * width);
  for (int64_t r = 0; r < rows; ++r)
    std::memcpy(out.data() + r * cols * width, raw.data() + r * stride * width,
                cols * width);
  return DenseElementsAttr::getFromRawBuffer(type, out);
}
