//===- PackAtCallSites.cpp - the xf-cpu-pack-at-call-sites pass -----------===//
//
// An outlined layer packs the weights it receives on every call; its callers
// can pack them once (at compile time for constants).
//
//===----------------------------------------------------------------------===//

#include "ArgumentPacking.h"

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUPACKATCALLSITES
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {
struct XfCpuPackAtCallSitesPass
    : xf::impl::XfCpuPackAtCallSitesBase<XfCpuPackAtCallSitesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Callees before callers: a caller that is itself private gets the
    // packing it received moved on to its own callers. A call graph has
    // no more levels than functions.
    size_t functions = llvm::range_size(module.getOps<func::FuncOp>());
    for (size_t round = 0; round < functions; ++round) {
      bool changed = false;
      for (auto func : llvm::to_vector(module.getOps<func::FuncOp>()))
        if (!func.isExternal() && func.isPrivate())
          changed |= moveToCallers(func, module);
      if (!changed)
        break;
    }
  }

  bool moveToCallers(func::FuncOp func, ModuleOp module) {
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(func, module);
    SmallVector<func::CallOp> calls;
    for (const SymbolTable::SymbolUse &use : *uses) {
      auto call = dyn_cast<func::CallOp>(use.getUser());
      if (!call || call.getCallee() != func.getSymName())
        return false;
      calls.push_back(call);
    }
    if (calls.empty())
      return false;
    cpu::ArgumentPacking packing = cpu::findArgumentPacking(func);
    if (packing.packed.empty())
      return false;
    // Each call packs its own operands before the call.
    SmallVector<SmallVector<Value>> packedOperands;
    for (func::CallOp call : calls) {
      OpBuilder b(call);
      IRMapping map;
      map.map(func.getArguments(), call.getOperands());
      for (Operation *op : packing.ops)
        b.clone(*op, map);
      SmallVector<Value> packed;
      for (Value p : packing.packed)
        packed.push_back(map.lookup(p));
      packedOperands.push_back(std::move(packed));
    }
    SmallVector<int64_t> kept = cpu::takePackedArguments(func, packing);
    for (auto [call, packed] : llvm::zip_equal(calls, packedOperands)) {
      SmallVector<Value> operands;
      for (int64_t a : kept)
        operands.push_back(call.getOperand(a));
      llvm::append_range(operands, packed);
      OpBuilder b(call);
      auto newCall = func::CallOp::create(b, call.getLoc(), func, operands);
      call->replaceAllUsesWith(newCall.getResults());
      call->erase();
    }
    return true;
  }
};
} // namespace
