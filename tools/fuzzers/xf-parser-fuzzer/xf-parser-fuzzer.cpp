//===- xf-parser-fuzzer.cpp - the parser and verifiers on arbitrary text --===//
//
// Parses the input as a module, verifies it, prints what verified and
// parses the print again: the custom parsers, printers and verifiers of the
// xf dialects (layouts, weight formats, attention operands) on any text.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

extern "C" int LLVMFuzzerInitialize(int *, char ***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext *context = xf_fuzz::contextForInput(xf_fuzz::Dialects::Input);
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = xf_fuzz::parseVerified(text, context);
  if (!module)
    return 0;
  // What verified prints as text that parses and verifies again.
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  if (!xf_fuzz::parseVerified(printed, context))
    __builtin_trap();
  return 0;
}
