//===- InitXf.cpp - register everything xf provides -----------------------===//

#include "xf/InitXf.h"

#include "xf/Dialect/XfOps.h"

using namespace mlir;

void xf::registerAllXfDialects(DialectRegistry &registry) {
  registry.insert<XfDialect>();
}

void xf::registerAllXfPasses() {}
