//===- Compiler.cpp - running xf pipelines for the C API ------------------===//

#include "xf-c/Compiler.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/CAPI/Utils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace mlir;

MlirLogicalResult xfRunPassPipeline(MlirModule module, MlirStringRef pipeline) {
  ModuleOp op = unwrap(module);
  std::string errors;
  llvm::raw_string_ostream os(errors);
  FailureOr<OpPassManager> parsed = parsePassPipeline(unwrap(pipeline), os);
  if (failed(parsed)) {
    // The parser's first line says what is wrong; the rest draws a caret.
    emitError(op.getLoc()) << "xf: invalid pass pipeline '" << unwrap(pipeline)
                           << "': " << StringRef(errors).split('\n').first;
    return wrap(failure());
  }
  PassManager pm(op->getContext(), parsed->getOpAnchorName());
  static_cast<OpPassManager &>(pm) = std::move(*parsed);
  return wrap(pm.run(op));
}

MlirLogicalResult xfTranslateToLLVMIR(MlirModule module,
                                      MlirStringCallback callback,
                                      void *userData) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(unwrap(module), llvmContext);
  if (!llvmModule)
    return wrap(failure());
  detail::CallbackOstream stream(callback, userData);
  llvmModule->print(stream, nullptr);
  stream.flush();
  return wrap(success());
}
