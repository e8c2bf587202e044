//===- XfDialect.h - the xf dialect -----------------------------*- C++ -*-===//

#ifndef XF_DIALECT_XFDIALECT_H
#define XF_DIALECT_XFDIALECT_H

#include "mlir/IR/Dialect.h"

#include "xf/Dialect/XfDialect.h.inc"

#endif // XF_DIALECT_XFDIALECT_H
