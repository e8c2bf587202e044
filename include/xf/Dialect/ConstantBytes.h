//===- ConstantBytes.h - constant tensors as raw buffers --------*- C++ -*-===//
//
// Constant tensors (weights above all) are read and made from their bytes in
// memory, never as per-element attributes, and the large ones live in
// resource blobs that the compiler may release once nothing refers to them:
// so that a model's weights pass through the compiler in memory close to
// their own size. Every pass that reads or makes a constant weight goes
// through these functions, whichever attribute holds it.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_CONSTANTBYTES_H
#define XF_DIALECT_CONSTANTBYTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <vector>

namespace mlir::xf {

/// The elements of a constant tensor as they are in memory: a dense
/// attribute's raw data (one element when it is a splat) or a resource
/// blob's bytes. Elements are whole bytes wide.
struct RawElements {
  enum class Kind { F64, F32, F16, BF16, Int };
  RawElements(ShapedType type, ArrayRef<char> data, bool splat);

  ShapedType type;
  ArrayRef<char> data;
  bool splat = false;
  /// What the elements are, and their bytes: read once, not per element.
  Kind kind;
  size_t elementBytes;

  int64_t size() const { return type.getNumElements(); }
  size_t width() const { return elementBytes; }
  /// The bytes of element `i` (row-major).
  const char *at(int64_t i) const {
    return data.data() + (splat ? 0 : i) * elementBytes;
  }
  /// Element `i` of an f64, f32, f16 or bf16 tensor, widened.
  double floatAt(int64_t i) const;
  /// Element `i` of a signless integer tensor of 8 to 64 bits, sign-extended.
  int64_t intAt(int64_t i) const;
};

/// The raw elements of a dense or resource constant of whole-byte int or
/// float elements; nullopt for anything else (and for a released blob).
std::optional<RawElements> rawElements(Attribute attr);
/// The raw elements of the constant defining `value`.
std::optional<RawElements> rawElements(Value value);

/// A constant of `type` holding `values` as they are in memory: from a raw
/// buffer, without per-element attributes.
template <typename T>
DenseElementsAttr rawConstant(ShapedType type, ArrayRef<T> values) {
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                           values.size() * sizeof(T)));
}

/// Constants of at least this many bytes are resource blobs (blobConstant),
/// and constant globals of at least this size reach LLVM as flat bytes
/// (xf-cpu-globals-as-bytes).
constexpr int64_t kLargeConstantBytes = 4096;

/// Whether a constant of `type` is large: made a resource blob by
/// blobConstant, and weighed as a weight (not a value read for its
/// contents) by the importers.
bool isLargeConstant(ShapedType type);

/// A constant of `type` holding `bytes` as they are in memory. From
/// kLargeConstantBytes up, a resource blob aligned to 64 bytes (not uniqued:
/// it can be released, and is bound to JIT-compiled code without a copy),
/// named by a hash of its bytes so that equal constants share one; below, a
/// DenseElementsAttr (readable in printed IR).
ElementsAttr blobConstant(ShapedType type, ArrayRef<char> bytes);

using BlobEntry = DialectResourceBlobManager::BlobEntry;
/// The resource blobs that `op`'s attributes refer to, one entry per
/// reference.
SmallVector<BlobEntry *> blobReferences(Operation *op);
/// The resource blobs that `root` and the ops nested in it refer to, with
/// their numbers of references.
llvm::DenseMap<BlobEntry *, int64_t> countBlobReferences(Operation *root);
/// Frees the bytes of `entry`: attributes that refer to it then read as
/// released (rawElements gives nullopt, and printing them fails).
void releaseBlob(BlobEntry *entry);

/// `values` in `type`'s element type (f32, bf16 or f16, rounded), as bytes.
std::vector<char> floatBytes(ShapedType type, ArrayRef<float> values);

/// A constant of `type` (f32, bf16 or f16 elements) from f32 values, rounded
/// to the element type: a blob from kLargeConstantBytes up.
ElementsAttr floatConstant(ShapedType type, ArrayRef<float> values);

/// The leading corner of a rank-2 constant, of `type`'s (smaller) shape,
/// copied from its raw buffer.
ElementsAttr leadingCorner(const RawElements &from, ShapedType type);

} // namespace mlir::xf

#endif // XF_DIALECT_CONSTANTBYTES_H
