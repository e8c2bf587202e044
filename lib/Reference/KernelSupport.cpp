//===- KernelSupport.cpp - what the reference kernels share ---------------===//

#include "KernelSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

using namespace mlir::xf::ref;

namespace mlir::xf::ref::detail {

std::string formatShape(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s + "]";
}

void require(bool ok, const char *kernel, const char *what,
             const std::vector<const Shape *> &shapes) {
  if (ok)
    return;
  std::string msg;
  for (const Shape *s : shapes)
    msg += " " + formatShape(*s);
  std::fprintf(stderr, "mlir::xf::ref::%s: %s%s\n", kernel, what, msg.c_str());
  std::abort();
}

int64_t product(const Shape &shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end; ++i)
    n *= shape[i];
  return n;
}

int64_t product(const Shape &shape) { return product(shape, 0, shape.size()); }

void requireData(const char *kernel,
                 std::initializer_list<const Tensor *> tensors) {
  for (const Tensor *t : tensors)
    if (t)
      require(t->size() == product(t->shape), kernel,
              "tensor data does not match its shape", {&t->shape});
}

Shape dropBack(const Shape &shape, size_t n) {
  return Shape(shape.begin(), shape.end() - static_cast<ptrdiff_t>(n));
}

void softmaxStrided(double *p, int64_t n, int64_t stride) {
  const double negInf = -std::numeric_limits<double>::infinity();
  double max = negInf;
  for (int64_t i = 0; i < n; ++i)
    max = std::max(max, p[i * stride]);
  if (max == negInf) {
    for (int64_t i = 0; i < n; ++i)
      p[i * stride] = 0.0;
    return;
  }
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    double e = std::exp(p[i * stride] - max);
    p[i * stride] = e;
    sum += e;
  }
  for (int64_t i = 0; i < n; ++i)
    p[i * stride] /= sum;
}

int64_t sequenceOf(const IndexTensor &offsets, int64_t t) {
  for (size_t q = 0; q + 1 < offsets.data.size(); ++q)
    if (offsets.data[q] <= t && t < offsets.data[q + 1])
      return static_cast<int64_t>(q);
  return -1;
}

void requireOffsets(const char *kernel, const IndexTensor &offsets,
                    int64_t tokens) {
  const std::vector<int64_t> &o = offsets.data;
  require(o.size() >= 2 && o.front() >= 0 && o.back() <= tokens, kernel,
          "seq_offsets must hold B + 1 >= 2 offsets within the tokens");
  for (size_t i = 1; i < o.size(); ++i)
    require(o[i - 1] <= o[i], kernel, "seq_offsets must not decrease");
}

} // namespace mlir::xf::ref::detail

double mlir::xf::ref::detail::sigmoid(double x) {
  // Only ever exponentiate a non-positive number, so nothing overflows.
  if (x >= 0)
    return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

double mlir::xf::ref::detail::applyActivation(double x, Activation act) {
  switch (act) {
  case Activation::Gelu:
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case Activation::GeluTanh: {
    const double pi = 3.14159265358979323846;
    const double c = std::sqrt(2.0 / pi);
    return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
  }
  case Activation::Relu:
    return x > 0.0 ? x : 0.0;
  case Activation::Silu:
    return x * sigmoid(x);
  }
  require(false, "activation", "unknown activation");
  return 0.0;
}
