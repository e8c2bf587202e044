//===- xf-lsp-server.cpp - the MLIR language server with the xf dialects --===//
//
// Editors talk to it over LSP: diagnostics, hovers, go-to-definition and
// completion for .mlir files that use the xf and xf_cpu dialects next to
// the upstream ones.
//
//===----------------------------------------------------------------------===//

#include "xf/InitXf.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

#include <cstdlib>

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::xf::registerXfAndUpstreamDialects(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry))
             ? EXIT_FAILURE
             : EXIT_SUCCESS;
}
