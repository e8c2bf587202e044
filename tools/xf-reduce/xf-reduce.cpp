//===- xf-reduce.cpp - mlir-reduce with the xf dialects and passes --------===//
//
// Shrinks an input that shows a problem (a pipeline failure, a wrong
// result) to a small reproducer; see docs/Tools.md.
//
//===----------------------------------------------------------------------===//

#include "xf/InitXf.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Tools/mlir-reduce/MlirReduceMain.h"

#include <cstdlib>

int main(int argc, char **argv) {
  // The passes too: `opt-reduction-pass` reduces by running any of them.
  mlir::registerAllPasses();
  mlir::xf::registerAllXfPasses();
  mlir::DialectRegistry registry;
  mlir::xf::registerXfAndUpstreamDialects(registry);
  mlir::MLIRContext context(registry);
  return mlir::failed(mlir::mlirReduceMain(argc, argv, context)) ? EXIT_FAILURE
                                                                 : EXIT_SUCCESS;
}
