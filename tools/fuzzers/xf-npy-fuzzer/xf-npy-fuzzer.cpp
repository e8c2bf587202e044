//===- NpyFuzzer.cpp - the .npy reader and the input checks ---------------===//
//
// Reads the input as a .npy file and, when it is one, checks its values as
// each kind of integer argument (token ids, cache lengths, sequence
// offsets), as xf-run and the program API do before a call.
//
//===----------------------------------------------------------------------===//

#include "xf/Runtime/FunctionInputs.h"
#include "xf/Runtime/Npy.h"

using namespace mlir::xf::runtime;

extern "C" int LLVMFuzzerInitialize(int *, char ***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<HostTensor> tensor = parseNpy(bytes, "fuzz.npy");
  if (!tensor) {
    llvm::consumeError(tensor.takeError());
    return 0;
  }
  (void)tensor->describe();
  for (ArgRole role :
       {ArgRole::TokenIds, ArgRole::KvLen, ArgRole::SeqOffsets}) {
    ArgInfo info;
    info.role = role;
    info.limit = 40;
    (void)checkInput(info, *tensor);
  }
  for (int64_t i = 0, n = std::min<int64_t>(tensor->numElements(), 64); i < n;
       ++i)
    (void)tensor->getDouble(i);
  return 0;
}
