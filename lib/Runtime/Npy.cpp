//===- Npy.cpp - NumPy .npy files -----------------------------------------===//

#include "xf/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::xf::runtime;
using llvm::StringRef;

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

static llvm::Error npyError(StringRef path, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + msg);
}

/// The text after `'key':` in a .npy header dict, trimmed.
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

static std::optional<DType> parseDescr(StringRef descr) {
  if (descr == "<f4")
    return DType::F32;
  if (descr == "<f8")
    return DType::F64;
  if (descr == "<i4")
    return DType::I32;
  if (descr == "<i8")
    return DType::I64;
  if (descr == "|i1")
    return DType::I8;
  if (descr == "|b1")
    return DType::Bool;
  if (descr == "<f2")
    return DType::F16;
  // NumPy has no bfloat16: xf writes its bit patterns as uint16 and reads
  // those, or ml_dtypes' bfloat16 arrays (two-byte void).
  if (descr == "<u2" || descr == "<V2" || descr == "|V2")
    return DType::BF16;
  return std::nullopt;
}

/// Parses "(2, 3)", "(5,)" or "()".
static std::optional<std::vector<int64_t>> parseShape(StringRef text) {
  if (!text.consume_front("("))
    return std::nullopt;
  size_t close = text.find(')');
  if (close == StringRef::npos)
    return std::nullopt;
  std::vector<int64_t> shape;
  llvm::SmallVector<StringRef> parts;
  text.take_front(close).split(parts, ',');
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return std::nullopt;
    shape.push_back(d);
  }
  return shape;
}

llvm::Expected<HostTensor> mlir::xf::runtime::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return npyError(path, buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

llvm::Expected<HostTensor> mlir::xf::runtime::parseNpy(StringRef bytes,
                                                       StringRef path) {
  if (bytes.size() < kMagicSize + 4 ||
      std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    return npyError(path, "not a .npy file (bad magic)");
  uint8_t major = bytes[kMagicSize];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | uint8_t(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(path, "truncated header");
    headerLen = uint32_t(uint8_t(bytes[8])) | uint32_t(uint8_t(bytes[9])) << 8 |
                uint32_t(uint8_t(bytes[10])) << 16 |
                uint32_t(uint8_t(bytes[11])) << 24;
    headerStart = 12;
  } else {
    return npyError(path, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError(path, "truncated header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = headerValue(header, "descr");
  std::optional<StringRef> order = headerValue(header, "fortran_order");
  std::optional<StringRef> shapeText = headerValue(header, "shape");
  if (!descr || !order || !shapeText)
    return npyError(path, "malformed header '" + header.trim() + "'");
  StringRef d = descr->drop_front().take_until(
      [](char c) { return c == '\'' || c == '"'; });
  std::optional<DType> dtype = parseDescr(d);
  if (!dtype)
    return npyError(path, "unsupported dtype '" + d +
                              "' (expected float32, float64, float16, "
                              "int64, int32, int8, or uint16 holding "
                              "bfloat16; little-endian)");
  if (order->starts_with("True"))
    return npyError(path, "Fortran-order arrays are not supported");
  std::optional<std::vector<int64_t>> shape = parseShape(*shapeText);
  if (!shape)
    return npyError(path, "malformed shape in header");

  // Check the size before allocating, so that a corrupt shape cannot ask
  // for an absurd buffer.
  StringRef data = bytes.drop_front(headerStart + headerLen);
  uint64_t expected = dtypeSize(*dtype);
  bool overflow = false;
  for (int64_t d : *shape)
    overflow |=
        __builtin_mul_overflow(expected, static_cast<uint64_t>(d), &expected);
  if (overflow || expected > data.size())
    return npyError(path,
                    "truncated data: the header's shape " +
                        shapeText->take_until([](char c) { return c == ')'; }) +
                        ") needs more than the " + llvm::Twine(data.size()) +
                        " bytes present");
  // The sizes can still overflow in another order (a huge one before a 0):
  // the tensor is then not allocated.
  HostTensor tensor(*dtype, *shape);
  if (!tensor.isAllocated())
    return npyError(
        path, "cannot allocate the header's shape " +
                  shapeText->take_until([](char c) { return c == ')'; }) + ")");
  if (tensor.numBytes())
    std::memcpy(tensor.data(), data.data(), tensor.numBytes());
  return tensor;
}

llvm::Error mlir::xf::runtime::writeNpy(StringRef path,
                                        const HostTensor &tensor) {
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << dtypeInfo(tensor.dtype()).npyDescr
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.shape())
    os << d << ", ";
  os << "), }";
  // Pad with spaces so that the data starts 64-byte aligned, then newline.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError(path, ec.message());
  out.write(kMagic, kMagicSize);
  out << char(1) << char(0) << char(header.size() & 0xff)
      << char(header.size() >> 8) << header;
  out.write(static_cast<const char *>(tensor.data()), tensor.numBytes());
  out.close();
  if (out.has_error())
    return npyError(path, out.error().message());
  return llvm::Error::success();
}
