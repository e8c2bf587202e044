//===- ConstantBytes.cpp - constant tensors as raw buffers ----------------===//

#include "xf/Dialect/ConstantBytes.h"

#include "xf/Support/HalfFloat.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Memory.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

using namespace mlir;
using namespace mlir::xf;

RawElements::RawElements(ShapedType type, ArrayRef<char> data, bool splat)
    : type(type), data(data), splat(splat),
      elementBytes(type.getElementTypeBitWidth() / 8) {
  Type elt = type.getElementType();
  kind = elt.isF64()    ? Kind::F64
         : elt.isF32()  ? Kind::F32
         : elt.isF16()  ? Kind::F16
         : elt.isBF16() ? Kind::BF16
                        : Kind::Int;
}

double RawElements::floatAt(int64_t i) const {
  const char *p = at(i);
  switch (kind) {
  case Kind::F64: {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  case Kind::F32: {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case Kind::F16:
  case Kind::BF16: {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return kind == Kind::F16 ? fromF16(bits) : fromBF16(bits);
  }
  case Kind::Int:
    return static_cast<double>(intAt(i));
  }
  llvm_unreachable("element kinds are covered");
}

int64_t RawElements::intAt(int64_t i) const {
  const char *p = at(i);
  switch (elementBytes) {
  case 1:
    return static_cast<int8_t>(*p);
  case 2: {
    int16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
  case 4: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  default: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  }
}

/// Whether raw elements of `type` are whole bytes of a type RawElements
/// reads.
static bool readable(ShapedType type) {
  Type elt = type.getElementType();
  if (auto f = dyn_cast<FloatType>(elt))
    return f.isF64() || f.isF32() || f.isF16() || f.isBF16();
  return elt.isSignlessInteger() && elt.getIntOrFloatBitWidth() % 8 == 0 &&
         elt.getIntOrFloatBitWidth() <= 64;
}

std::optional<RawElements> mlir::xf::rawElements(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements || !readable(elements.getShapedType()))
    return std::nullopt;
  ShapedType type = elements.getShapedType();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return RawElements(type, dense.getRawData(), dense.isSplat());
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  // A released (or foreign) blob holds fewer bytes than its type needs.
  if (data.size() != static_cast<size_t>(type.getNumElements()) *
                         (type.getElementTypeBitWidth() / 8))
    return std::nullopt;
  return RawElements(type, data, false);
}

std::optional<RawElements> mlir::xf::rawElements(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return rawElements(attr);
}

/// `bytes` copied into pages mapped for them alone (page-aligned): released,
/// they go back to the system at once, whatever the heap allocator would
/// keep of them.
static AsmResourceBlob mappedBlob(ArrayRef<char> bytes) {
  std::error_code error;
  llvm::sys::MemoryBlock block = llvm::sys::Memory::allocateMappedMemory(
      bytes.size(), nullptr,
      llvm::sys::Memory::MF_READ | llvm::sys::Memory::MF_WRITE, error);
  if (error)
    return HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64);
  std::memcpy(block.base(), bytes.data(), bytes.size());
  return AsmResourceBlob(
      ArrayRef<char>(static_cast<const char *>(block.base()), bytes.size()),
      /*dataAlignment=*/64,
      [block](void *, size_t, size_t) mutable {
        llvm::sys::Memory::releaseMappedMemory(block);
      },
      /*dataIsMutable=*/true);
}

bool mlir::xf::isLargeConstant(ShapedType type) {
  unsigned bits = type.getElementTypeBitWidth();
  return bits % 8 == 0 &&
         type.getNumElements() * (bits / 8) >= kLargeConstantBytes;
}

ElementsAttr mlir::xf::blobConstant(ShapedType type, ArrayRef<char> bytes) {
  if (!isLargeConstant(type))
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  // Blobs named by a hash of their bytes: one weight packed in several
  // places (layers that share it) is one blob, as an attribute would be.
  auto &manager =
      DenseResourceElementsHandle::getManagerInterface(type.getContext());
  std::string key =
      "xf_" + llvm::utohexstr(llvm::xxh3_64bits(llvm::arrayRefFromStringRef(
                  StringRef(bytes.data(), bytes.size()))));
  if (BlobEntry *entry = manager.getBlobManager().lookup(key))
    if (entry->getBlob() && entry->getBlob()->getData() == bytes)
      return DenseResourceElementsAttr::get(
          type,
          DenseResourceElementsHandle(
              entry, type.getContext()->getLoadedDialect<BuiltinDialect>()));
  return DenseResourceElementsAttr::get(type, key, mappedBlob(bytes));
}

SmallVector<BlobEntry *> mlir::xf::blobReferences(Operation *op) {
  SmallVector<BlobEntry *> entries;
  for (NamedAttribute attr : op->getAttrs())
    attr.getValue().walk([&](DenseResourceElementsAttr resource) {
      entries.push_back(resource.getRawHandle().getResource());
    });
  return entries;
}

llvm::DenseMap<BlobEntry *, int64_t>
mlir::xf::countBlobReferences(Operation *root) {
  llvm::DenseMap<BlobEntry *, int64_t> counts;
  root->walk([&](Operation *op) {
    for (BlobEntry *entry : blobReferences(op))
      ++counts[entry];
  });
  return counts;
}

void mlir::xf::releaseBlob(BlobEntry *entry) {
  entry->setBlob(AsmResourceBlob());
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

ElementsAttr mlir::xf::floatConstant(ShapedType type, ArrayRef<float> values) {
  std::vector<char> bytes = floatBytes(type, values);
  return blobConstant(type, bytes);
}

ElementsAttr mlir::xf::leadingCorner(const RawElements &from, ShapedType type) {
  if (from.type.getRank() != 2 || type.getRank() != 2)
    return {};
  size_t width = from.width();
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  int64_t stride = from.type.getDimSize(1);
  std::vector<char> out(static_cast<size_t>(rows * cols) * width);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(out.data() + (r * cols + c) * width, from.at(r * stride + c),
                  width);
  return blobConstant(type, out);
}
