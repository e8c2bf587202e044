//===- FuzzContext.h - what the fuzz targets share --------------*- C++ -*-===//

#ifndef XF_TOOLS_FUZZERS_FUZZCONTEXT_H
#define XF_TOOLS_FUZZERS_FUZZCONTEXT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace xf_fuzz {

/// Which dialects a context knows.
enum class Dialects {
  /// The xf dialects and the upstream ones xf's inputs are written in
  /// (builtin, func, arith, tensor): what fuzzing text reaches. Other
  /// upstream parsers crash on some malformed text (linalg.transpose on a
  /// broken permutation, test/fuzz/upstream/), which is Debian's libMLIR's
  /// to fix, not xf's.
  Input,
  /// Everything xf's tools register: what the pipeline needs.
  All,
};

/// A fresh context with no threads, and diagnostics swallowed: errors are
/// expected; crashes and memory errors are what a fuzzer looks for.
std::unique_ptr<mlir::MLIRContext> makeContext(Dialects dialects);

/// A context for one input, shared by kInputsPerContext inputs in a row
/// and then replaced: creating one (loading its dialects) costs more than
/// most inputs, and one kept forever would pile up the attributes and types
/// that millions of inputs unique.
inline constexpr int kInputsPerContext = 256;
mlir::MLIRContext *contextForInput(Dialects dialects);

/// The module in `text` (which must end in a NUL: MLIR's lexer reads it),
/// parsed in `context` and verified; null otherwise.
mlir::OwningOpRef<mlir::ModuleOp> parseVerified(const std::string &text,
                                                mlir::MLIRContext *context);

} // namespace xf_fuzz

#endif // XF_TOOLS_FUZZERS_FUZZCONTEXT_H
