//===- ArgumentPacking.cpp - weight packing that reads arguments ----------===//

#include "ArgumentPacking.h"

#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

/// Collects into `ops` the ops computing `v` when it depends on nothing but
/// function arguments and constants through effect-free ops without regions,
/// and the arguments into `args`. Fails on anything that depends on other
/// values.
static LogicalResult collectWeightSlice(Value v, func::FuncOp func,
                                        llvm::SetVector<Operation *> &ops,
                                        llvm::SetVector<unsigned> &args) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != &func.getBody().front())
      return failure();
    args.insert(arg.getArgNumber());
    return success();
  }
  Operation *op = v.getDefiningOp();
  if (ops.contains(op))
    return success();
  if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return failure();
  for (Value operand : op->getOperands())
    if (failed(collectWeightSlice(operand, func, ops, args)))
      return failure();
  ops.insert(op);
  return success();
}

ArgumentPacking cpu::findArgumentPacking(func::FuncOp func) {
  // Each packed weight with the ops and arguments it needs.
  struct Slice {
    Value packed;
    llvm::SetVector<Operation *> ops;
    llvm::SetVector<unsigned> args;
  };
  SmallVector<Slice> slices;
  auto consider = [&](Value packed, bool mustPack) {
    // A weight the kernel reads as it is needs no packing.
    if (!packed || isa<BlockArgument>(packed))
      return;
    Slice s{packed, {}, {}};
    if (llvm::any_of(slices,
                     [&](const Slice &o) { return o.packed == s.packed; }) ||
        failed(collectWeightSlice(s.packed, func, s.ops, s.args)) ||
        s.args.empty() ||
        (mustPack && llvm::none_of(s.ops, llvm::IsaPred<PackWeightsOp>)))
      return;
    slices.push_back(std::move(s));
  };
  func.walk([&](Operation *op) {
    if (auto gemm = dyn_cast<GemmOp>(op))
      consider(gemm.getPackedWeight(), /*mustPack=*/false);
    if (auto mlp = dyn_cast<GatherMlpOp>(op))
      for (Value rows : {mlp.getUpRows(), mlp.getGateRows(), mlp.getDownRows()})
        consider(rows, /*mustPack=*/false);
    // Panels packed for a callee (by xf-cpu-pack-at-call-sites).
    if (auto call = dyn_cast<func::CallOp>(op))
      for (Value operand : call.getOperands())
        consider(operand, /*mustPack=*/true);
  });
  // An argument is a weight only if nothing but weight packing reads it,
  // directly or through the slices' ops. Drop the slices that read another
  // kind of argument, until the rest only read weights.
  ArgumentPacking result;
  for (bool changed = true; changed;) {
    result.ops.clear();
    for (Slice &s : slices)
      result.ops.insert(s.ops.begin(), s.ops.end());
    auto onlyPacking = [&](Value v) {
      return llvm::all_of(v.getUsers(), [&](Operation *user) {
        return result.ops.contains(user);
      });
    };
    size_t before = slices.size();
    llvm::erase_if(slices, [&](const Slice &s) {
      // The values of the slice that depend on its arguments.
      llvm::SetVector<Value> derived;
      for (unsigned a : s.args)
        derived.insert(func.getArgument(a));
      for (Operation *op : s.ops) // operands first
        if (llvm::any_of(op->getOperands(),
                         [&](Value v) { return derived.contains(v); }))
          derived.insert(op->result_begin(), op->result_end());
      return !llvm::all_of(
          derived, [&](Value v) { return v == s.packed || onlyPacking(v); });
    });
    changed = slices.size() != before;
  }
  for (Slice &s : slices) {
    result.packed.insert(s.packed);
    result.args.insert(s.args.begin(), s.args.end());
  }
  if (result.packed.empty())
    result.ops.clear();
  return result;
}

SmallVector<int64_t> cpu::takePackedArguments(func::FuncOp func,
                                              const ArgumentPacking &packing) {
  unsigned first = func.getNumArguments();
  for (auto [i, p] : llvm::enumerate(packing.packed)) {
    Value v = p;
    (void)func.insertArgument(first + i, v.getType(), {}, v.getLoc());
    v.replaceAllUsesWith(func.getArgument(first + i));
  }
  for (Operation *op : llvm::reverse(packing.ops))
    if (op->use_empty())
      op->erase();
  llvm::BitVector unused(func.getNumArguments());
  SmallVector<int64_t> kept;
  for (unsigned a = 0; a < first; ++a) {
    if (func.getArgument(a).use_empty() && packing.args.contains(a))
      unused.set(a);
    else
      kept.push_back(a);
  }
  (void)func.eraseArguments(unused);
  return kept;
}
