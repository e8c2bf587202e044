//===- xf-opt.cpp - mlir-opt with the xf dialect and passes ---------------===//

#include "xf/InitXf.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::xf::registerAllXfPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  mlir::xf::registerAllXfDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "xf optimizer driver: mlir-opt with the xf dialect\n",
      registry));
}
