//===- HostTensor.cpp - dense host buffers --------------------------------===//

#include "xf/Runtime/HostTensor.h"

#include "xf/Support/HalfFloat.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>

#include <unistd.h>

using namespace mlir::xf::runtime;

const DTypeInfo &mlir::xf::runtime::dtypeInfo(DType dtype) {
  // Bytes, NumPy's name, MLIR's spelling, the .npy descr (bf16: its bits as
  // uint16, NumPy having no bfloat16).
  static const DTypeInfo f32{4, "float32", "f32", "<f4"},
      f64{8, "float64", "f64", "<f8"}, i32{4, "int32", "i32", "<i4"},
      i64{8, "int64", "i64", "<i8"}, i8{1, "int8", "i8", "|i1"},
      bf16{2, "bfloat16", "bf16", "<u2"}, f16{2, "float16", "f16", "<f2"},
      boolean{1, "bool", "i1", "|b1"};
  switch (dtype) {
  case DType::F32:
    return f32;
  case DType::F64:
    return f64;
  case DType::I32:
    return i32;
  case DType::I64:
    return i64;
  case DType::I8:
    return i8;
  case DType::BF16:
    return bf16;
  case DType::F16:
    return f16;
  case DType::Bool:
    return boolean;
  }
  llvm_unreachable("unknown dtype");
}

size_t mlir::xf::runtime::dtypeSize(DType dtype) {
  return dtypeInfo(dtype).bytes;
}

llvm::StringRef mlir::xf::runtime::dtypeName(DType dtype) {
  return dtypeInfo(dtype).numpyName;
}

std::optional<DType> mlir::xf::runtime::dtypeOf(mlir::Type t) {
  if (t.isF32())
    return DType::F32;
  if (t.isF64())
    return DType::F64;
  if (t.isSignlessInteger(32))
    return DType::I32;
  if (t.isSignlessInteger(64) || t.isIndex())
    return DType::I64;
  if (t.isSignlessInteger(8))
    return DType::I8;
  if (t.isSignlessInteger(1))
    return DType::Bool;
  if (t.isBF16())
    return DType::BF16;
  if (t.isF16())
    return DType::F16;
  return std::nullopt;
}

void HostTensor::Free::operator()(void *p) const { std::free(p); }

HostTensor::HostTensor(DType dtype, std::vector<int64_t> shape)
    : type(dtype), dims(std::move(shape)) {
  // aligned_alloc needs a size that is a multiple of the alignment, and a
  // non-zero one so that empty tensors still get a valid pointer.
  size_t bytes = std::max<size_t>(numBytes(), 1);
  // Refuse what cannot fit in memory (or overflows size_t): with overcommit
  // the allocation would succeed and the first write would bring in the OOM
  // killer instead.
  static const size_t physical =
      size_t(sysconf(_SC_PHYS_PAGES)) * size_t(sysconf(_SC_PAGE_SIZE));
  if (bytes > physical)
    return;
  bytes = (bytes + 63) / 64 * 64;
  storage.reset(std::aligned_alloc(64, bytes));
  if (storage)
    std::memset(storage.get(), 0, bytes);
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return -1;
  return n;
}

size_t HostTensor::numBytes() const {
  int64_t n = numElements();
  size_t bytes;
  if (n < 0 || __builtin_mul_overflow(size_t(n), dtypeSize(type), &bytes))
    return SIZE_MAX;
  return bytes;
}

double HostTensor::getDouble(int64_t i) const {
  switch (type) {
  case DType::F32:
    return as<float>()[i];
  case DType::F64:
    return as<double>()[i];
  case DType::I32:
    return as<int32_t>()[i];
  case DType::I64:
    return static_cast<double>(as<int64_t>()[i]);
  case DType::I8:
    return as<int8_t>()[i];
  case DType::Bool:
    return as<uint8_t>()[i] != 0;
  case DType::BF16:
    return fromBF16(as<uint16_t>()[i]);
  case DType::F16:
    return fromF16(as<uint16_t>()[i]);
  }
  llvm_unreachable("unknown dtype");
}

void HostTensor::setDouble(int64_t i, double value) {
  switch (type) {
  case DType::F32:
    as<float>()[i] = static_cast<float>(value);
    return;
  case DType::F64:
    as<double>()[i] = value;
    return;
  case DType::BF16:
    as<uint16_t>()[i] = toBF16(static_cast<float>(value));
    return;
  case DType::F16:
    as<uint16_t>()[i] = toF16(static_cast<float>(value));
    return;
  case DType::I32:
  case DType::I64:
  case DType::I8:
  case DType::Bool:
    break;
  }
  llvm_unreachable("setDouble on an integer tensor");
}

int64_t HostTensor::getInt(int64_t i) const {
  switch (type) {
  case DType::I32:
    return as<int32_t>()[i];
  case DType::I64:
    return as<int64_t>()[i];
  case DType::I8:
    return as<int8_t>()[i];
  case DType::Bool:
    return as<uint8_t>()[i] != 0;
  case DType::F32:
  case DType::F64:
  case DType::BF16:
  case DType::F16:
    return static_cast<int64_t>(getDouble(i));
  }
  llvm_unreachable("unknown dtype");
}

std::string HostTensor::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : dims)
    os << d << "x";
  os << dtypeInfo(type).mlirName;
  return s;
}
