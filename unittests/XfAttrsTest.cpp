//===- XfAttrsTest.cpp - verifiers of xf attributes -----------------------===//
//
// The attribute checks that the textual forms cannot reach (their parsers
// never build such a value) but C++ callers of getChecked can: the
// verifiers themselves, as getChecked calls them.
//
//===----------------------------------------------------------------------===//

#include "xf/Dialect/XfDialect.h"
#include "xf/Dialect/XfOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace mlir::xf;

namespace {

TEST(SparsityAttr, TwoOfFourTakesNoBlocks) {
  MLIRContext ctx;
  ctx.loadDialect<XfDialect>();
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  auto emitError = [&] { return mlir::emitError(UnknownLoc::get(&ctx)); };
  SmallVector<int64_t> blocks = {16, 32};
  EXPECT_TRUE(failed(SparsityAttr::verify(emitError, blocks, true)));
  EXPECT_EQ(message, "#xf.sparsity 2:4 takes no blocks");
  EXPECT_TRUE(succeeded(SparsityAttr::verify(emitError, {}, true)));
  EXPECT_TRUE(succeeded(SparsityAttr::verify(emitError, blocks, false)));
}

} // namespace
