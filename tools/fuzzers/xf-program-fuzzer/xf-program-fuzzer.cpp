//===- ProgramFuzzer.cpp - the program API's checks of caller buffers -----===//
//
// Compiles once a function that takes token ids, a KV cache with its valid
// lengths and packed sequences with their offsets, then calls it through
// the C API with buffers the input describes: their count, ranks, sizes,
// element types, null data and values (ids outside the table, lengths past
// the cache, offsets that decrease or leave the tokens). Each call either
// runs or returns an error naming the argument; nothing is read or written
// outside the buffers the call was given.
//
//===----------------------------------------------------------------------===//

#include "xf-c/Program.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

const char *kModule = R"mlir(
func.func @step(%ids: tensor<2x3xi64>, %table: tensor<50x16xf32>,
                %q: tensor<2x1x16xf32>, %kc: tensor<2x8x16xf32>,
                %vc: tensor<2x8x16xf32>, %len: tensor<2xi32>,
                %t: tensor<10x16xf32>, %off: tensor<3xi32>)
    -> (tensor<2x3x16xf32>, tensor<2x1x16xf32>, tensor<10x16xf32>) {
  %e = xf.embedding %table, %ids
      : (tensor<50x16xf32>, tensor<2x3xi64>) -> tensor<2x3x16xf32>
  %o = xf.attention %q, %kc, %vc kv_len %len heads 2 causal
      : (tensor<2x1x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>,
         tensor<2xi32>) -> tensor<2x1x16xf32>
  %p = xf.attention %t, %t, %t seq_offsets %off heads 2 causal
      : (tensor<10x16xf32>, tensor<10x16xf32>, tensor<10x16xf32>,
         tensor<3xi32>) -> tensor<10x16xf32>
  return %e, %o, %p : tensor<2x3x16xf32>, tensor<2x1x16xf32>, tensor<10x16xf32>
}
)mlir";

XfProgram *program = nullptr;

/// Reads the fuzz input a byte at a time, zeros once it is used up.
struct Reader {
  const uint8_t *data;
  size_t size;
  uint8_t next() {
    if (!size)
      return 0;
    --size;
    return *data++;
  }
};

size_t elementSize(int dtype) {
  switch (dtype) {
  case XF_F64:
  case XF_I64:
    return 8;
  case XF_I8:
  case XF_BOOL:
    return 1;
  case XF_BF16:
  case XF_F16:
    return 2;
  default:
    return 4;
  }
}

/// A buffer: the signature's `info`, or what the input says instead.
struct Buffer {
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
  XfBuffer view;

  Buffer(Reader &in, XfTensorInfo info) {
    uint8_t how = in.next();
    int64_t rank = info.rank;
    int dtype = info.dtype;
    shape.assign(info.shape, info.shape + info.rank);
    if (how & 1) { // another shape or element type
      rank = in.next() % 5;
      shape.clear();
      for (int64_t d = 0; d < rank; ++d)
        shape.push_back(in.next() % 12);
      dtype = in.next() % 8; // 7 is no element type at all
    }
    size_t count = 1;
    for (int64_t d : shape)
      count *= static_cast<size_t>(d);
    // The buffer holds exactly what its shape says: the API cannot check
    // the extent of memory it is given, only what it is told about it.
    bytes.resize(count * elementSize(dtype));
    for (uint8_t &b : bytes)
      b = (how & 2) ? in.next() : 0;
    // Small integers where the input says so: ids, lengths, offsets that
    // are often but not always valid.
    if ((how & 4) && (dtype == XF_I32 || dtype == XF_I64))
      for (size_t k = 0; k < count; ++k) {
        int64_t v = static_cast<int8_t>(in.next()) % 16;
        std::memcpy(bytes.data() + k * elementSize(dtype), &v,
                    elementSize(dtype));
      }
    view.data = (how & 8) || bytes.empty() ? nullptr : bytes.data();
    view.rank = rank;
    view.shape = shape.data();
    view.dtype = static_cast<XfDType>(dtype);
  }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  char *error = nullptr;
  program = xfProgramCompile(kModule, "step", "threads=1", &error);
  if (!program) {
    std::fprintf(stderr, "xf-program-fuzzer: %s\n", error ? error : "");
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Reader in{data, size};
  // Sometimes a wrong count of inputs or results.
  uint8_t counts = in.next();
  int64_t numInputs = xfProgramNumInputs(program);
  int64_t numResults = xfProgramNumResults(program);
  if (counts & 1)
    numInputs = counts >> 4;
  if (counts & 2)
    numResults = (counts >> 2) & 3;
  std::vector<Buffer> inputs, results;
  inputs.reserve(numInputs);
  results.reserve(numResults);
  XfTensorInfo none{0, nullptr, XF_F32};
  for (int64_t i = 0; i < numInputs; ++i)
    inputs.emplace_back(in, i < xfProgramNumInputs(program)
                                ? xfProgramInput(program, i)
                                : none);
  for (int64_t i = 0; i < numResults; ++i)
    results.emplace_back(in, i < xfProgramNumResults(program)
                                 ? xfProgramResult(program, i)
                                 : none);
  std::vector<XfBuffer> in0, out0;
  for (Buffer &b : inputs)
    in0.push_back(b.view);
  for (Buffer &b : results)
    out0.push_back(b.view);
  char *error = nullptr;
  xfProgramCall(program, in0.data(), numInputs, out0.data(), numResults,
                &error);
  xfFreeString(error);
  return 0;
}
