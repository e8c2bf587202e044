//===- HalfFloat.h - bf16 and f16 bit patterns ------------------*- C++ -*-===//
//
// Conversions between float and the 16-bit floating-point formats, rounding
// to nearest even: the one definition for the runtime's buffers and the
// compiler's constant folds.
//
//===----------------------------------------------------------------------===//

#ifndef XF_SUPPORT_HALFFLOAT_H
#define XF_SUPPORT_HALFFLOAT_H

#include <cstdint>
#include <cstring>

namespace mlir::xf {

inline uint16_t toBF16(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  if ((bits & 0x7fffffff) > 0x7f800000) // NaN: keep it a quiet NaN
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

inline float fromBF16(uint16_t bits) {
  uint32_t wide = uint32_t(bits) << 16;
  float x;
  std::memcpy(&x, &wide, 4);
  return x;
}

inline uint16_t toF16(float x) {
  _Float16 h = static_cast<_Float16>(x);
  uint16_t bits;
  std::memcpy(&bits, &h, 2);
  return bits;
}

inline float fromF16(uint16_t bits) {
  _Float16 h;
  std::memcpy(&h, &bits, 2);
  return static_cast<float>(h);
}

} // namespace mlir::xf

#endif // XF_SUPPORT_HALFFLOAT_H
