//===- PrepareBufferization.cpp - the xf-cpu-prepare-bufferization pass ---===//

#include "xf/Codegen/CPU/Passes.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUPREPAREBUFFERIZATION
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

static bool hasZeroSize(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && shaped.hasRank() && llvm::is_contained(shaped.getShape(), 0);
}

/// Reports the first value (argument or op result) whose type has a
/// zero-size dimension.
static LogicalResult refuseEmptyTensors(func::FuncOp func) {
  auto refuse = [](Location loc, Type type) {
    emitError(loc) << type
                   << " has a zero-size dimension: xf does not compile "
                      "empty tensors";
    return failure();
  };
  for (BlockArgument arg : func.getArguments())
    if (hasZeroSize(arg.getType()))
      return refuse(func.getLoc(), arg.getType());
  WalkResult walk = func.walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (hasZeroSize(type))
        return failed(refuse(op->getLoc(), type)) ? WalkResult::interrupt()
                                                  : WalkResult::advance();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// Copies each return operand that an earlier operand already returns.
static void copyRepeatedResults(func::FuncOp func) {
  func.walk([](func::ReturnOp ret) {
    llvm::SmallPtrSet<Value, 8> seen;
    OpBuilder b(ret);
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type || seen.insert(v).second)
        continue;
      operand.set(bufferization::AllocTensorOp::create(
          b, ret.getLoc(), type, ValueRange{}, /*copy=*/v));
    }
  });
}

namespace {
struct XfCpuPrepareBufferizationPass
    : xf::impl::XfCpuPrepareBufferizationBase<XfCpuPrepareBufferizationPass> {
  void runOnOperation() override {
    if (failed(refuseEmptyTensors(getOperation())))
      return signalPassFailure();
    copyRepeatedResults(getOperation());
  }
};
} // namespace
