//===- InitXf.h - register everything xf provides ---------------*- C++ -*-===//

#ifndef XF_INITXF_H
#define XF_INITXF_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::xf {

/// Adds the xf dialect and the interfaces it attaches to upstream dialects.
void registerAllXfDialects(DialectRegistry &registry);

/// Adds everything a host of xf needs in one registry: the upstream
/// dialects and their extensions, their translations to LLVM IR, and the
/// xf dialects. What every tool and the C API register.
void registerXfAndUpstreamDialects(DialectRegistry &registry);

/// Registers every xf pass and pass pipeline with the global registry.
void registerAllXfPasses();

} // namespace mlir::xf

#endif // XF_INITXF_H
