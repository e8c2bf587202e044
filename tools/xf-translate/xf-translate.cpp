//===- xf-translate.cpp - mlir-translate with xf's translations -----------===//
//
// Every upstream translation, plus
//   --xf-to-llvmir   an xf (or linalg-on-tensors) module through
//                    xf-cpu-pipeline to LLVM IR, for ahead-of-time use:
//                    `clang -c out.ll` gives an object whose functions take
//                    bare pointers (inputs, then one output per result).
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/InitXf.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<std::string> cpuPipelineOptions(
    "xf-cpu-pipeline-options",
    llvm::cl::desc("Options of xf-cpu-pipeline for --xf-to-llvmir"),
    llvm::cl::init(""));

static LogicalResult xfToLLVMIR(Operation *op, llvm::raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("--xf-to-llvmir expects a builtin.module");
  auto options = xf::CpuPipelineOptions::createFromString(cpuPipelineOptions);
  if (!options)
    return emitError(module.getLoc(), "invalid --xf-cpu-pipeline-options");
  if (failed(options->kernelOptions().verify([&](const Twine &msg) {
        return emitError(module.getLoc(), "--xf-cpu-pipeline-options: " + msg);
      })))
    return failure();
  PassManager pm(module.getContext());
  xf::buildCpuPipeline(pm, *options);
  if (failed(pm.run(module)))
    return failure();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return emitError(module.getLoc(), "translation to LLVM IR failed");
  llvmModule->print(os, nullptr);
  return success();
}

int main(int argc, char **argv) {
  registerAllTranslations();
  TranslateFromMLIRRegistration xfToLLVM(
      "xf-to-llvmir", "Compile with xf-cpu-pipeline and translate to LLVM IR",
      xfToLLVMIR, [](DialectRegistry &registry) {
        registerAllDialects(registry);
        registerAllExtensions(registry);
        registerAllToLLVMIRTranslations(registry);
        xf::registerAllXfDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "xf translation driver\n"));
}
