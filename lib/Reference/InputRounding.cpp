//===- InputRounding.cpp - inputs as low-precision products read them -----===//
//
// A model of the input rounding of the compiled low-precision products, so
// that xf-run --check can tell the error these formats imply on the given
// data from an error of the compiler (tools/xf-run/RunSession.cpp). The
// int8 rule follows the quantization in lib/Codegen/CPU/GemmQuantize.cpp,
// step by step in f32.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include "xf/Support/HalfFloat.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::xf::ref;

namespace {

void roundToBf16(double *row, int64_t k) {
  for (int64_t c = 0; c < k; ++c)
    row[c] = mlir::xf::fromBF16(mlir::xf::toBF16(static_cast<float>(row[c])));
}

void quantizeToInt8(double *row, int64_t k) {
  float top = 0.0f;
  for (int64_t c = 0; c < k; ++c) {
    float magnitude = std::fabs(static_cast<float>(row[c]));
    if (!std::isfinite(magnitude)) {
      std::fill(row, row + k, std::numeric_limits<double>::quiet_NaN());
      return;
    }
    top = std::max(top, magnitude);
  }
  float scale = top <= 1e-30f ? 1.0f : top / 127.0f;
  float inverse = 1.0f / scale;
  for (int64_t c = 0; c < k; ++c)
    row[c] = static_cast<double>(
                 std::nearbyint(static_cast<float>(row[c]) * inverse)) *
             static_cast<double>(scale);
}

} // namespace

Tensor mlir::xf::ref::roundInputs(const Tensor &x, InputRounding rounding,
                                  Layout layout) {
  int64_t outputAxis = layout == Layout::KN ? 1 : 0;
  bool int8 = rounding.kind == InputRounding::Int8Rows &&
              rounding.channelAxis == outputAxis;
  if (rounding.kind != InputRounding::Bf16 && !int8)
    return x;
  Tensor out(x.shape);
  out.data = x.data;
  int64_t k = x.rank() ? x.dim(-1) : 1;
  for (int64_t r = 0; k > 0 && r < x.size() / k; ++r) {
    if (int8)
      quantizeToInt8(&out.data[r * k], k);
    else
      roundToBf16(&out.data[r * k], k);
  }
  return out;
}
