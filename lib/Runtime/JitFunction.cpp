//===- JitFunction.cpp - compile and call one function in-process ---------===//

#include "xf/Runtime/JitFunction.h"

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <climits>

#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace mlir::xf::runtime;

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

void mlir::xf::runtime::keepFreedMemoryMapped() {
#ifdef __GLIBC__
  // Serve large blocks from the heap and never give it back, so that the
  // buffers a compiled function allocates per call reuse pages already
  // mapped instead of faulting fresh ones in (a page fault costs about
  // 2 ms per MB in the 2-core VMs xf is developed on).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

int64_t mlir::xf::runtime::hostVectorWidth() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512f") ? 16 : 8;
}

llvm::Expected<std::unique_ptr<JitFunction>> JitFunction::compile(
    mlir::ModuleOp module, llvm::StringRef name,
    const mlir::xf::CpuPipelineOptions &options,
    llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)> configure) {
  auto fail = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  keepFreedMemoryMapped();
  auto result = std::make_unique<JitFunction>();
  auto start = std::chrono::steady_clock::now();
  mlir::PassManager pm(module.getContext());
  mlir::xf::buildCpuPipeline(pm, options);
  if (configure && mlir::failed(configure(pm)))
    return fail("invalid pass manager options");
  if (mlir::failed(pm.run(module)))
    return fail("compilation of @" + name + " failed");
  result->pipelineSeconds = secondsSince(start);
  // Results that the pipeline left in their inputs' buffers.
  if (auto f = module.lookupSymbol(name))
    if (auto tied = f->getAttrOfType<mlir::DenseI64ArrayAttr>(
            mlir::xf::getTiedResultsAttrName()))
      result->tiedResults.assign(tied.asArrayRef().begin(),
                                 tied.asArrayRef().end());

  start = std::chrono::steady_clock::now();
  mlir::DialectRegistry registry;
  mlir::registerAllToLLVMIRTranslations(registry);
  module.getContext()->appendDialectRegistry(registry);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // The host's CPU and features, so that LLVM vectorizes for AVX-512 where
  // the machine has it.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  // ExecutionEngineOptions holds the transformer by reference.
  auto transformer = mlir::makeOptimizingTransformer(3, 0, machine->get());
  mlir::ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  // Threaded kernels call the OpenMP runtime.
  llvm::StringRef sharedLibs[] = {XF_OPENMP_RUNTIME};
  engineOptions.sharedLibPaths = sharedLibs;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = mlir::ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return engine.takeError();
  result->engine = std::move(*engine);
  auto entry = result->engine->lookupPacked(name);
  if (!entry)
    return entry.takeError();
  result->entry = *entry;
  result->llvmSeconds = secondsSince(start);
  return result;
}

void JitFunction::call(llvm::ArrayRef<void *> buffers) const {
  // The packed entry takes a pointer to each argument's storage.
  llvm::SmallVector<void *> storage(buffers.begin(), buffers.end());
  llvm::SmallVector<void *> args;
  for (void *&p : storage)
    args.push_back(&p);
  entry(args.data());
}
