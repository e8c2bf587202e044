//===- HostTensor.h - dense host buffers for inputs and outputs -*- C++ -*-===//

#ifndef XF_RUNTIME_HOSTTENSOR_H
#define XF_RUNTIME_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir {
class Type;
class MLIRContext;
} // namespace mlir

namespace mlir::xf::runtime {

/// Element types a compiled function exchanges with its caller. BF16 and
/// F16 are weights in low precision, stored as their 16-bit patterns.
/// Bool is i1 in MLIR: one byte per element holding 0 or 1, as NumPy's bool
/// and LLVM's i1 in memory.
enum class DType { F32, F64, I32, I64, I8, BF16, F16, Bool };

/// Whether elements of `dtype` are integers (ids, lengths, offsets, masks).
inline bool isInteger(DType dtype) {
  return dtype == DType::I32 || dtype == DType::I64 || dtype == DType::I8 ||
         dtype == DType::Bool;
}

/// What xf knows of an element type, in one place: bytes per element, its
/// name in NumPy ("float32") and in MLIR ("f32"), its .npy descr ("<f4").
struct DTypeInfo {
  size_t bytes;
  llvm::StringRef numpyName, mlirName, npyDescr;
};
const DTypeInfo &dtypeInfo(DType dtype);

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// NumPy's name for the type ("float32", ...).
llvm::StringRef dtypeName(DType dtype);
/// The element type of an MLIR tensor, if xf can exchange it.
std::optional<DType> dtypeOf(mlir::Type elementType);

/// A dense row-major buffer, 64-byte aligned so that compiled code may use
/// aligned vector loads on it.
class HostTensor {
public:
  HostTensor() = default;
  HostTensor(DType dtype, std::vector<int64_t> shape);

  /// False when the buffer could not be allocated.
  bool isAllocated() const { return storage != nullptr; }
  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  /// -1 / SIZE_MAX when the count overflows 64 bits.
  int64_t numElements() const;
  size_t numBytes() const;
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }

  template <typename T> T *as() { return static_cast<T *>(data()); }
  template <typename T> const T *as() const {
    return static_cast<const T *>(data());
  }

  /// Element `i` converted to double / int64_t whatever the dtype.
  double getDouble(int64_t i) const;
  int64_t getInt(int64_t i) const;
  /// Sets element `i` of a floating-point tensor, rounded to nearest even
  /// where the dtype is narrower.
  void setDouble(int64_t i, double value);

  /// "1x64x768xf32", as MLIR spells tensor shapes.
  std::string describe() const;

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType type = DType::F32;
  std::vector<int64_t> dims;
  std::unique_ptr<void, Free> storage;
};

} // namespace mlir::xf::runtime

#endif // XF_RUNTIME_HOSTTENSOR_H
