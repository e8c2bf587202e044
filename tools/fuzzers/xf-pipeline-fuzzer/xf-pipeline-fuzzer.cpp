//===- PipelineFuzzer.cpp - the CPU pipeline on IR that verifies ----------===//
//
// The first byte of the input picks pipeline options (plain or fast, fusions
// off, AVX2 vectors, threads, tile sizes, weights packed once); the rest is
// parsed as a module. What verifies goes through xf-cpu-pipeline and the
// translation to LLVM IR: every pass on inputs no test wrote, where a pass
// may fail with an error but must not crash or emit IR that does not verify.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/Target/Aot.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

extern "C" int LLVMFuzzerInitialize(int *, char ***) { return 0; }

/// xf-cpu-pipeline options, one per bit of `bits`.
static std::string optionsOf(uint8_t bits) {
  std::string options;
  auto add = [&](uint8_t bit, const char *text) {
    if (bits & bit)
      options += std::string(options.empty() ? "" : " ") + text;
  };
  add(1, "fast=false");
  add(2, "fuse-attention=false");
  add(4, "vector-width=8");
  add(8, "threads=1");
  add(16, "fuse-epilogue=false fuse-norms=false merge-projections=false");
  add(32, "gemm-tile-rows=2 attention-block-kv=8");
  add(64, "pack-weights-once=true");
  add(128, "outline-layers=false sparsify-weights=false");
  return options;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  // Parsed with the input dialects first (see FuzzContext.h), then again,
  // printed, where the pipeline finds every dialect it lowers through.
  std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
  {
    std::unique_ptr<MLIRContext> input =
        xf_fuzz::makeContext(xf_fuzz::Dialects::Input);
    OwningOpRef<ModuleOp> module = xf_fuzz::parseVerified(text, input.get());
    if (!module)
      return 0;
    text.clear();
    llvm::raw_string_ostream os(text);
    module->print(os);
  }
  std::unique_ptr<MLIRContext> context =
      xf_fuzz::makeContext(xf_fuzz::Dialects::All);
  OwningOpRef<ModuleOp> module = xf_fuzz::parseVerified(text, context.get());
  if (!module)
    __builtin_trap(); // it verified as printed
  xf::CpuPipelineOptions options;
  if (failed(options.parseFromString(optionsOf(data[0]))))
    __builtin_trap(); // the options above are all valid
  if (options.threads == 0)
    options.threads = 2;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> lowered =
      xf::compileToLLVM(*module, options, llvmContext);
  (void)lowered;
  return 0;
}
