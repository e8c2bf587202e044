//===- OnnxFuzzer.cpp - the ONNX importer on arbitrary bytes --------------===//
//
// Imports the input as an ONNX model (weights as constants, then as
// arguments) and verifies the result: truncated and corrupt files, graphs
// whose nodes miss inputs or attributes, shapes that cannot be.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "xf/Target/OnnxImport.h"

#include "mlir/IR/Verifier.h"

using namespace mlir;

extern "C" int LLVMFuzzerInitialize(int *, char ***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  for (bool weightsAsArguments : {false, true}) {
    MLIRContext *context = xf_fuzz::contextForInput(xf_fuzz::Dialects::Input);
    xf::OnnxImportOptions options;
    options.weightsAsArguments = weightsAsArguments;
    OwningOpRef<ModuleOp> module =
        xf::importOnnx(bytes, "fuzz.onnx", context, options);
    // What the importer returns must verify: it reports, never emits
    // malformed IR.
    if (module && failed(verify(*module)))
      __builtin_trap();
  }
  return 0;
}
