//===- xf-translate.cpp - mlir-translate with xf's translations -----------===//
//
// Every upstream translation, plus
//   --xf-to-llvmir   an xf (or linalg-on-tensors) module through
//                    xf-cpu-pipeline to LLVM IR, for ahead-of-time use:
//                    `clang -c out.ll` gives an object whose functions take
//                    bare pointers (inputs, then one output per result).
//   --xf-to-object   the same compiled to an ELF object for the host or
//                    --xf-target-triple/-cpu/-features.
//   --xf-emit-header the C header declaring that object's entry points.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/InitXf.h"
#include "xf/Runtime/JitFunction.h"
#include "xf/Target/Aot.h"
#include "xf/Target/OnnxImport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<std::string> cpuPipelineOptions(
    "xf-cpu-pipeline-options",
    llvm::cl::desc("Options of xf-cpu-pipeline for --xf-to-llvmir"),
    llvm::cl::init(""));

static llvm::cl::opt<std::string>
    targetTriple("xf-target-triple",
                 llvm::cl::desc("Target triple of --xf-to-object (default: "
                                "the host)"),
                 llvm::cl::init(""));
static llvm::cl::opt<std::string>
    targetCpu("xf-target-cpu",
              llvm::cl::desc("Target CPU of --xf-to-object (default: the "
                             "host's)"),
              llvm::cl::init(""));
static llvm::cl::opt<std::string> targetFeatures(
    "xf-target-features",
    llvm::cl::desc("Target features of --xf-to-object, e.g. "
                   "\"+avx512f,+avx512bf16\" (default: the host's)"),
    llvm::cl::init(""));

/// The pipeline options of the command line: the host's vectors unless a
/// target is named (then the options say what it has); null after a
/// diagnostic.
static std::unique_ptr<xf::CpuPipelineOptions> pipelineOptions(Location loc) {
  auto options = xf::CpuPipelineOptions::createFromString(cpuPipelineOptions);
  if (!options) {
    emitError(loc, "invalid --xf-cpu-pipeline-options");
    return nullptr;
  }
  // AMX tiles only on request: an object's caller would first have to ask
  // Linux for their state (runtime::requestAmx).
  if (!options->amx.hasValue())
    options->amx = false;
  if (targetCpu.empty() && targetTriple.empty() && targetFeatures.empty())
    xf::runtime::applyHostDefaults(*options);
  return options;
}

/// The module through xf-cpu-pipeline with `options` to LLVM IR.
static std::unique_ptr<llvm::Module>
compile(Operation *op, const xf::CpuPipelineOptions &options,
        llvm::LLVMContext &context, StringRef flag) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module) {
    op->emitError() << "--" << flag << " expects a builtin.module";
    return nullptr;
  }
  return xf::compileToLLVM(module, options, context);
}

static LogicalResult xfToLLVMIR(Operation *op, llvm::raw_ostream &os) {
  auto options = pipelineOptions(op->getLoc());
  if (!options)
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      compile(op, *options, context, "xf-to-llvmir");
  if (!llvmModule)
    return failure();
  llvmModule->print(os, nullptr);
  return success();
}

static LogicalResult xfToObject(Operation *op, llvm::raw_ostream &os) {
  auto options = pipelineOptions(op->getLoc());
  if (!options)
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      compile(op, *options, context, "xf-to-object");
  if (!llvmModule)
    return failure();
  SmallString<0> object;
  llvm::raw_svector_ostream objectStream(object);
  std::string error;
  xf::ObjectTarget target{targetTriple, targetCpu, targetFeatures,
                          options->llvmOptLevel};
  if (failed(xf::emitObject(*llvmModule, target, objectStream, error)))
    return op->emitError("--xf-to-object: ") << error;
  os << object;
  return success();
}

static LogicalResult xfEmitHeader(Operation *op, llvm::raw_ostream &os) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("--xf-emit-header expects a builtin.module");
  auto options = pipelineOptions(module.getLoc());
  if (!options)
    return failure();
  if (!options->barePtrCallConv)
    return module.emitError("--xf-emit-header declares bare-pointer entry "
                            "points; drop bare-ptr-calling-convention=false");
  FailureOr<SmallVector<xf::EntrySignature>> entries =
      xf::readEntrySignatures(module);
  llvm::LLVMContext context;
  if (failed(entries) || !compile(op, *options, context, "xf-emit-header"))
    return failure();
  xf::emitHeader(*entries, module, os);
  return success();
}

int main(int argc, char **argv) {
  registerAllTranslations();
  TranslateFromMLIRRegistration xfToLLVM(
      "xf-to-llvmir", "Compile with xf-cpu-pipeline and translate to LLVM IR",
      xfToLLVMIR, xf::registerXfAndUpstreamDialects);
  TranslateFromMLIRRegistration xfObject(
      "xf-to-object",
      "Compile with xf-cpu-pipeline to an object file (C ABI, bare pointers)",
      xfToObject, xf::registerXfAndUpstreamDialects);
  TranslateFromMLIRRegistration xfHeader(
      "xf-emit-header",
      "The C header of the entry points that --xf-to-object compiles",
      xfEmitHeader, xf::registerXfAndUpstreamDialects);
  static llvm::cl::opt<bool> onnxWeightsAsArguments(
      "onnx-weights-as-arguments",
      llvm::cl::desc("--import-onnx: weights (float initializers of rank 2 "
                     "or more) as arguments after the graph's inputs"),
      llvm::cl::init(false));
  TranslateToMLIRRegistration onnx(
      "import-onnx", "Import an ONNX model into the xf dialect",
      [](llvm::SourceMgr &sources, MLIRContext *context) {
        const llvm::MemoryBuffer *file =
            sources.getMemoryBuffer(sources.getMainFileID());
        xf::OnnxImportOptions options;
        options.weightsAsArguments = onnxWeightsAsArguments;
        return OwningOpRef<Operation *>(xf::importOnnx(
            file->getBuffer(), file->getBufferIdentifier(), context, options));
      },
      xf::registerXfAndUpstreamDialects);
  return failed(mlirTranslateMain(argc, argv, "xf translation driver\n"));
}
