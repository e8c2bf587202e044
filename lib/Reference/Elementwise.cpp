//===- Elementwise.cpp - reference conversions, comparisons, selects -----===//
//
// What imported graphs compute masks with between the xf ops: integer and
// float conversions, comparisons and selects, elementwise on tensors of
// one shape. Integers are held as the signed values of their width, bools
// (width 1) as 0 and 1.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include <cmath>
#include <limits>

using namespace mlir::xf::ref;

/// `v` wrapped to a `bits`-bit two's complement value (0 or 1 for bits 1).
static int64_t wrap(int64_t v, unsigned bits) {
  if (bits >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << bits) - 1, u = uint64_t(v) & mask;
  if (bits == 1)
    return static_cast<int64_t>(u);
  uint64_t sign = uint64_t(1) << (bits - 1);
  return static_cast<int64_t>(u & sign ? u | ~mask : u);
}

/// `v`, a `bits`-bit value as held, read signed or unsigned.
static int64_t valueOf(int64_t v, unsigned bits, bool isUnsigned) {
  if (bits >= 64)
    return v;
  if (isUnsigned)
    return static_cast<int64_t>(uint64_t(v) & ((uint64_t(1) << bits) - 1));
  return bits == 1 ? -(v & 1) : v;
}

IndexTensor mlir::xf::ref::convertInt(const IndexTensor &x, unsigned from,
                                      bool isUnsigned, unsigned to) {
  IndexTensor r = x;
  for (int64_t &v : r.data)
    v = wrap(valueOf(v, from, isUnsigned), to);
  return r;
}

Tensor mlir::xf::ref::intToFloat(const IndexTensor &x, unsigned bits,
                                 bool isUnsigned) {
  Tensor r(x.shape);
  for (size_t k = 0; k < x.data.size(); ++k)
    r.data[k] = static_cast<double>(valueOf(x.data[k], bits, isUnsigned));
  return r;
}

IndexTensor mlir::xf::ref::floatToInt(const Tensor &x, unsigned bits) {
  IndexTensor r{x.shape, std::vector<int64_t>(x.data.size())};
  for (size_t k = 0; k < x.data.size(); ++k)
    r.data[k] = wrap(static_cast<int64_t>(std::trunc(x.data[k])), bits);
  return r;
}

template <typename T>
IndexTensor mlir::xf::ref::compare(Compare c, const T &a, const T &b) {
  IndexTensor r{a.shape, std::vector<int64_t>(a.data.size())};
  for (size_t k = 0; k < a.data.size(); ++k) {
    auto x = a.data[k], y = b.data[k];
    bool v = false;
    switch (c) {
    case Compare::Eq:
      v = x == y;
      break;
    case Compare::Ne:
      v = x != y; // unordered for floats: true with a NaN
      break;
    case Compare::Lt:
      v = x < y;
      break;
    case Compare::Le:
      v = x <= y;
      break;
    case Compare::Gt:
      v = x > y;
      break;
    case Compare::Ge:
      v = x >= y;
      break;
    }
    r.data[k] = v;
  }
  return r;
}

template <typename T>
T mlir::xf::ref::select(const IndexTensor &cond, const T &a, const T &b) {
  T r = a;
  for (size_t k = 0; k < r.data.size(); ++k)
    if (!cond.data[k])
      r.data[k] = b.data[k];
  return r;
}

template IndexTensor mlir::xf::ref::compare(Compare, const Tensor &,
                                            const Tensor &);
template IndexTensor mlir::xf::ref::compare(Compare, const IndexTensor &,
                                            const IndexTensor &);
template Tensor mlir::xf::ref::select(const IndexTensor &, const Tensor &,
                                      const Tensor &);
template IndexTensor mlir::xf::ref::select(const IndexTensor &,
                                           const IndexTensor &,
                                           const IndexTensor &);
