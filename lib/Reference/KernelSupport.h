//===- KernelSupport.h - what the reference kernels share -------*- C++ -*-===//
//
// Checks and small helpers of the reference kernels (Kernels.cpp,
// Attention.cpp): invariants abort with a message naming the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_REFERENCE_KERNELSUPPORT_H
#define XF_LIB_REFERENCE_KERNELSUPPORT_H

#include "xf/Reference/Kernels.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace mlir::xf::ref::detail {

using Shape = std::vector<int64_t>;

std::string formatShape(const Shape &shape);

/// Aborts with a message naming the kernel when an invariant does not hold;
/// the project builds without exceptions.
void require(bool ok, const char *kernel, const char *what,
             const std::vector<const Shape *> &shapes = {});

int64_t product(const Shape &shape, size_t begin, size_t end);
int64_t product(const Shape &shape);

/// Checks that each present tensor holds as many values as its shape says,
/// so that indexing derived from the shapes stays in bounds.
void requireData(const char *kernel,
                 std::initializer_list<const Tensor *> tensors);

/// `shape` without its last `n` dimensions.
Shape dropBack(const Shape &shape, size_t n);

/// Maps flat indices of a row-major tensor of shape `out` to offsets in a
/// row-major operand of shape `in` that broadcasts to `out`: broadcast
/// (size-1 or missing) dimensions get stride 0.
class BroadcastMap {
public:
  BroadcastMap(const Shape &in, const Shape &out, const char *kernel)
      : outShape(out), strides(out.size(), 0) {
    require(in.size() <= out.size(), kernel, "operand of higher rank than",
            {&in, &out});
    int64_t stride = 1;
    for (size_t i = 0; i < in.size(); ++i) {
      size_t di = in.size() - 1 - i, dout = out.size() - 1 - i;
      require(in[di] == out[dout] || in[di] == 1, kernel,
              "operand does not broadcast to", {&in, &out});
      if (in[di] != 1)
        strides[dout] = stride;
      stride *= in[di];
    }
  }

  int64_t offset(int64_t flat) const {
    int64_t off = 0;
    for (size_t d = outShape.size(); d-- > 0;) {
      off += (flat % outShape[d]) * strides[d];
      flat /= outShape[d];
    }
    return off;
  }

  int64_t innermostStride() const {
    return strides.empty() ? 0 : strides.back();
  }

private:
  Shape outShape, strides;
};

double sigmoid(double x);
double applyActivation(double x, Activation act);

/// The top-k MLP (ActivationSparsity.cpp).
Tensor topKMlp(const Tensor &x, const MlpWeights &w, Activation act,
               Layout layout, const MlpTopK &topK);

/// In-place softmax of the `n` values p[0], p[stride], ...; a slice whose
/// entries are all -inf becomes zeros rather than NaN.
void softmaxStrided(double *p, int64_t n, int64_t stride);

/// The sequence of packed token t: the s with offsets[s] <= t <
/// offsets[s + 1], or -1 when t lies outside every sequence.
int64_t sequenceOf(const IndexTensor &offsets, int64_t t);

/// Checks packed-sequence offsets against T tokens.
void requireOffsets(const char *kernel, const IndexTensor &offsets,
                    int64_t tokens);

} // namespace mlir::xf::ref::detail

#endif // XF_LIB_REFERENCE_KERNELSUPPORT_H
