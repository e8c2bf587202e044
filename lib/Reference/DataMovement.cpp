//===- DataMovement.cpp - reference permutations, reshapes, slices --------===//
//
// What imported graphs do between the xf ops: permute, reshape, slice,
// concatenate and broadcast row-major tensors. Index arithmetic only.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include <algorithm>

using namespace mlir::xf::ref;

namespace {

/// Calls `body(index)` for every multi-index of `shape`, in row-major order.
template <typename Fn>
void forEachIndex(const std::vector<int64_t> &shape, Fn body) {
  std::vector<int64_t> index(shape.size(), 0);
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  for (int64_t n = 0; n < count; ++n) {
    body(index);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// The row-major offset of `index` in `shape`.
int64_t offsetOf(const std::vector<int64_t> &index,
                 const std::vector<int64_t> &shape) {
  int64_t at = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    at = at * shape[d] + index[d];
  return at;
}

} // namespace

Tensor mlir::xf::ref::transpose(const Tensor &x,
                                const std::vector<int64_t> &perm) {
  std::vector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.shape[p]);
  Tensor r(shape);
  std::vector<int64_t> from(perm.size());
  int64_t k = 0;
  forEachIndex(shape, [&](const std::vector<int64_t> &index) {
    for (size_t d = 0; d < perm.size(); ++d)
      from[perm[d]] = index[d];
    r.data[k++] = x.data[offsetOf(from, x.shape)];
  });
  return r;
}

Tensor mlir::xf::ref::reshape(const Tensor &x,
                              const std::vector<int64_t> &shape) {
  Tensor r = x;
  r.shape = shape;
  return r;
}

Tensor mlir::xf::ref::slice(const Tensor &x,
                            const std::vector<int64_t> &offsets,
                            const std::vector<int64_t> &sizes,
                            const std::vector<int64_t> &strides) {
  Tensor r(sizes);
  std::vector<int64_t> from(sizes.size());
  int64_t k = 0;
  forEachIndex(sizes, [&](const std::vector<int64_t> &index) {
    for (size_t d = 0; d < sizes.size(); ++d)
      from[d] = offsets[d] + index[d] * strides[d];
    r.data[k++] = x.data[offsetOf(from, x.shape)];
  });
  return r;
}

Tensor mlir::xf::ref::concat(const std::vector<const Tensor *> &parts,
                             int64_t axis) {
  std::vector<int64_t> shape = parts.front()->shape;
  shape[axis] = 0;
  for (const Tensor *p : parts)
    shape[axis] += p->shape[axis];
  Tensor r(shape);
  int64_t start = 0;
  for (const Tensor *p : parts) {
    std::vector<int64_t> to(shape.size());
    int64_t k = 0;
    forEachIndex(p->shape, [&](const std::vector<int64_t> &index) {
      to = index;
      to[axis] += start;
      r.data[offsetOf(to, shape)] = p->data[k++];
    });
    start += p->shape[axis];
  }
  return r;
}

Tensor mlir::xf::ref::broadcast(const Tensor &x,
                                const std::vector<int64_t> &shape,
                                const std::vector<int64_t> &added) {
  Tensor r(shape);
  std::vector<int64_t> from;
  int64_t k = 0;
  forEachIndex(shape, [&](const std::vector<int64_t> &index) {
    from.clear();
    for (size_t d = 0; d < shape.size(); ++d)
      if (std::find(added.begin(), added.end(), static_cast<int64_t>(d)) ==
          added.end())
        from.push_back(index[d]);
    r.data[k++] = x.data[offsetOf(from, x.shape)];
  });
  return r;
}
