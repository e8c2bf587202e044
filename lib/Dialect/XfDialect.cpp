//===- XfDialect.cpp - the xf dialect -------------------------------------===//

#include "xf/Dialect/XfOps.h"

using namespace mlir;
using namespace mlir::xf;

#include "xf/Dialect/XfDialect.cpp.inc"
#include "xf/Dialect/XfEnums.cpp.inc"

void XfDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "xf/Dialect/XfOps.cpp.inc"
      >();
}
