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

/// A tensor of `shape` with its elements value-initialized.
template <typename T> T ofShape(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  T r;
  r.shape = shape;
  r.data.assign(count, {});
  return r;
}

} // namespace

template <typename T>
T mlir::xf::ref::transpose(const T &x, const std::vector<int64_t> &perm) {
  std::vector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.shape[p]);
  T r = ofShape<T>(shape);
  std::vector<int64_t> from(perm.size());
  int64_t k = 0;
  forEachIndex(shape, [&](const std::vector<int64_t> &index) {
    for (size_t d = 0; d < perm.size(); ++d)
      from[perm[d]] = index[d];
    r.data[k++] = x.data[offsetOf(from, x.shape)];
  });
  return r;
}

template <typename T>
T mlir::xf::ref::reshape(const T &x, const std::vector<int64_t> &shape) {
  T r = x;
  r.shape = shape;
  return r;
}

template <typename T>
T mlir::xf::ref::slice(const T &x, const std::vector<int64_t> &offsets,
                       const std::vector<int64_t> &sizes,
                       const std::vector<int64_t> &strides) {
  T r = ofShape<T>(sizes);
  std::vector<int64_t> from(sizes.size());
  int64_t k = 0;
  forEachIndex(sizes, [&](const std::vector<int64_t> &index) {
    for (size_t d = 0; d < sizes.size(); ++d)
      from[d] = offsets[d] + index[d] * strides[d];
    r.data[k++] = x.data[offsetOf(from, x.shape)];
  });
  return r;
}

template <typename T>
T mlir::xf::ref::concat(const std::vector<const T *> &parts, int64_t axis) {
  std::vector<int64_t> shape = parts.front()->shape;
  shape[axis] = 0;
  for (const T *p : parts)
    shape[axis] += p->shape[axis];
  T r = ofShape<T>(shape);
  int64_t start = 0;
  for (const T *p : parts) {
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

template <typename T>
T mlir::xf::ref::broadcast(const T &x, const std::vector<int64_t> &shape,
                           const std::vector<int64_t> &added) {
  T r = ofShape<T>(shape);
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

IndexTensor mlir::xf::ref::elementwise(IntOp op, const IndexTensor &a,
                                       const IndexTensor &b) {
  IndexTensor r = a;
  for (size_t k = 0; k < r.data.size(); ++k) {
    int64_t x = a.data[k], y = b.data[k];
    switch (op) {
    case IntOp::Add:
      r.data[k] = x + y;
      break;
    case IntOp::Sub:
      r.data[k] = x - y;
      break;
    case IntOp::Mul:
      r.data[k] = x * y;
      break;
    case IntOp::Max:
      r.data[k] = std::max(x, y);
      break;
    case IntOp::Min:
      r.data[k] = std::min(x, y);
      break;
    }
  }
  return r;
}

// The two element types the evaluator holds.
#define XF_DATA_MOVEMENT(T)                                                    \
  template T mlir::xf::ref::transpose(const T &,                               \
                                      const std::vector<int64_t> &);           \
  template T mlir::xf::ref::reshape(const T &, const std::vector<int64_t> &);  \
  template T mlir::xf::ref::slice(const T &, const std::vector<int64_t> &,     \
                                  const std::vector<int64_t> &,                \
                                  const std::vector<int64_t> &);               \
  template T mlir::xf::ref::concat(const std::vector<const T *> &, int64_t);   \
  template T mlir::xf::ref::broadcast(const T &, const std::vector<int64_t> &, \
                                      const std::vector<int64_t> &);
XF_DATA_MOVEMENT(Tensor)
XF_DATA_MOVEMENT(IndexTensor)
#undef XF_DATA_MOVEMENT
