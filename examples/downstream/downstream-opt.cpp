//===- downstream-opt.cpp - a project's own opt tool with xf in it --------===//
//
// What a project that builds on xf writes to get an mlir-opt of its own:
// the upstream dialects and passes, then xf's (xf/InitXf.h).
//
//===----------------------------------------------------------------------===//

#include "xf/InitXf.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::xf::registerAllXfPasses();
  mlir::DialectRegistry registry;
  mlir::xf::registerXfAndUpstreamDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "downstream-opt: a project's opt tool with xf\n", registry));
}
