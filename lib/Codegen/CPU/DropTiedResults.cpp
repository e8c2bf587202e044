//===- DropTiedResults.cpp - the xf-cpu-drop-tied-results pass ------------===//
//
// After one-shot bufferization, a result that was written in place into an
// argument's buffer (a KV cache that xf.cache_write updated) is returned as
// that argument. Such results are dropped from the signature, so that the
// caller's buffer is updated and never copied into an out-parameter, and
// the function records which argument holds each result. Upstream's
// drop-equivalent-buffer-results does the same for private functions only;
// compiled entry points are public.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUDROPTIEDRESULTS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

StringRef xf::getTiedResultsAttrName() { return "xf.tied_results"; }

/// Per result of `func`, the argument it is (through casts), or -1.
static SmallVector<int64_t> tiedArguments(func::FuncOp func,
                                          func::ReturnOp ret) {
  SmallVector<int64_t> tied;
  for (Value v : ret.getOperands()) {
    while (auto cast = v.getDefiningOp<memref::CastOp>())
      v = cast.getSource();
    auto arg = dyn_cast<BlockArgument>(v);
    bool isArg = arg && arg.getOwner() == &func.getBody().front();
    tied.push_back(isArg ? static_cast<int64_t>(arg.getArgNumber()) : -1);
  }
  return tied;
}

/// The functions of `module`, each after the functions it calls (but within
/// a recursion): a caller's result becomes an argument only once its
/// callee's tied results were dropped.
static SmallVector<func::FuncOp> calleesFirst(ModuleOp module) {
  SymbolTable symbols(module);
  SmallVector<func::FuncOp> order;
  llvm::DenseSet<Operation *> seen;
  std::function<void(func::FuncOp)> visit = [&](func::FuncOp func) {
    if (!seen.insert(func).second)
      return;
    func.walk([&](func::CallOp call) {
      if (auto callee = symbols.lookup<func::FuncOp>(call.getCallee()))
        visit(callee);
    });
    order.push_back(func);
  };
  for (auto func : module.getOps<func::FuncOp>())
    visit(func);
  return order;
}

namespace {
struct XfCpuDropTiedResultsPass
    : xf::impl::XfCpuDropTiedResultsBase<XfCpuDropTiedResultsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    for (func::FuncOp func : calleesFirst(module)) {
      if (func.isExternal() || !func.getBody().hasOneBlock())
        continue;
      auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
      SmallVector<int64_t> tied = tiedArguments(func, ret);
      if (llvm::all_of(tied, [](int64_t a) { return a < 0; }))
        continue;
      func->setAttr(xf::getTiedResultsAttrName(),
                    DenseI64ArrayAttr::get(&getContext(), tied));
      llvm::BitVector dropped(tied.size());
      SmallVector<Value> kept;
      for (auto [i, arg] : llvm::enumerate(tied)) {
        if (arg >= 0)
          dropped.set(i);
        else
          kept.push_back(ret.getOperand(i));
      }
      if (failed(func.eraseResults(dropped)))
        return signalPassFailure();
      ret.getOperandsMutable().assign(kept);
      // Callers in the module read the dropped results from their operands.
      std::optional<SymbolTable::UseRange> uses =
          SymbolTable::getSymbolUses(func, module);
      if (!uses)
        continue;
      for (const SymbolTable::SymbolUse &use : *uses) {
        auto call = dyn_cast<func::CallOp>(use.getUser());
        if (!call)
          continue;
        rewriter.setInsertionPoint(call);
        auto newCall = func::CallOp::create(rewriter, call.getLoc(), func,
                                            call.getOperands());
        SmallVector<Value> results;
        unsigned next = 0;
        for (auto [i, arg] : llvm::enumerate(tied)) {
          Value r = arg >= 0 ? call.getOperand(arg) : newCall.getResult(next++);
          if (r.getType() != call.getResult(i).getType())
            r = memref::CastOp::create(rewriter, call.getLoc(),
                                       call.getResult(i).getType(), r);
          results.push_back(r);
        }
        rewriter.replaceOp(call, results);
      }
    }
  }
};
} // namespace
