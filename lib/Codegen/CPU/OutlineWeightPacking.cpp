//===- OutlineWeightPacking.cpp - the xf-cpu-outline-weight-packing pass --===//
//
// Weights that arrive as arguments would be packed into GEMM panels on
// every call. This pass moves their packing into a function of its own,
// which a caller runs once when it loads the weights; the step function
// then takes the packed panels instead of the raw weights.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUOUTLINEWEIGHTPACKING
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

xf::PackingAttrNames xf::getPackingAttrNames() {
  return {"xf.pack_entry", "xf.pack_inputs", "xf.step_inputs",
          "xf.packed_types"};
}

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

namespace {
struct XfCpuOutlineWeightPackingPass
    : xf::impl::XfCpuOutlineWeightPackingBase<XfCpuOutlineWeightPackingPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (!func.isExternal() && func.isPublic())
        outline(func, symbols);
  }

  void outline(func::FuncOp func, SymbolTable &symbols) {
    // The packed weights that depend on arguments only (constant ones were
    // packed at compile time), each with the ops and arguments it needs.
    struct Slice {
      Value packed;
      llvm::SetVector<Operation *> ops;
      llvm::SetVector<unsigned> args;
    };
    SmallVector<Slice> slices;
    auto consider = [&](Value packed) {
      // A weight the kernel reads as it is needs no packing function.
      if (!packed || isa<BlockArgument>(packed))
        return;
      Slice s{packed, {}, {}};
      if (llvm::any_of(slices,
                       [&](const Slice &o) { return o.packed == s.packed; }) ||
          failed(collectWeightSlice(s.packed, func, s.ops, s.args)) ||
          s.args.empty())
        return;
      slices.push_back(std::move(s));
    };
    func.walk([&](Operation *op) {
      if (auto gemm = dyn_cast<cpu::GemmOp>(op))
        consider(gemm.getPackedWeight());
      if (auto mlp = dyn_cast<cpu::GatherMlpOp>(op))
        for (Value rows :
             {mlp.getUpRows(), mlp.getGateRows(), mlp.getDownRows()})
          consider(rows);
    });
    // An argument is a weight only if nothing but weight packing reads it,
    // directly or through the slices' ops: an activation that also feeds a
    // packed panel (a product of two activations) changes on every call.
    // Drop the slices that read one, until the rest only read weights.
    llvm::SetVector<Operation *> ops;
    for (bool changed = true; changed;) {
      ops.clear();
      for (Slice &s : slices)
        ops.insert(s.ops.begin(), s.ops.end());
      auto onlyPacking = [&](Value v) {
        return llvm::all_of(
            v.getUsers(), [&](Operation *user) { return ops.contains(user); });
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
    if (slices.empty())
      return;
    llvm::SetVector<Value> packed;
    llvm::SetVector<unsigned> args;
    for (Slice &s : slices) {
      packed.insert(s.packed);
      args.insert(s.args.begin(), s.args.end());
    }

    // The packing function: the weight arguments in, the panels out.
    OpBuilder b(func);
    Location loc = func.getLoc();
    SmallVector<unsigned> inputs(args.begin(), args.end());
    llvm::sort(inputs);
    SmallVector<Type> inputTypes, packedTypes;
    for (unsigned a : inputs)
      inputTypes.push_back(func.getArgumentTypes()[a]);
    for (Value p : packed)
      packedTypes.push_back(p.getType());
    auto pack = func::FuncOp::create(
        b, loc, (func.getSymName() + "_pack_weights").str(),
        b.getFunctionType(inputTypes, packedTypes));
    symbols.insert(pack);
    Block *body = pack.addEntryBlock();
    IRMapping map;
    for (auto [i, a] : llvm::enumerate(inputs))
      map.map(func.getArgument(a), body->getArgument(i));
    b.setInsertionPointToEnd(body);
    // `ops` lists each slice's operands before their users.
    for (Operation *op : ops)
      b.clone(*op, map);
    SmallVector<Value> results;
    for (Value p : packed)
      results.push_back(map.lookup(p));
    func::ReturnOp::create(b, loc, results);

    // The step function takes the panels as trailing arguments; the raw
    // weights it no longer uses go.
    unsigned first = func.getNumArguments();
    for (auto [i, p] : llvm::enumerate(packed)) {
      Value v = p;
      (void)func.insertArgument(first + i, v.getType(), {}, v.getLoc());
      v.replaceAllUsesWith(func.getArgument(first + i));
    }
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty())
        op->erase();
    llvm::BitVector unused(func.getNumArguments());
    SmallVector<int64_t> kept;
    for (unsigned a = 0; a < first; ++a) {
      if (func.getArgument(a).use_empty() && args.contains(a))
        unused.set(a);
      else
        kept.push_back(a);
    }
    (void)func.eraseArguments(unused);
    PackingAttrNames names = getPackingAttrNames();
    MLIRContext *ctx = &getContext();
    func->setAttr(names.entry, FlatSymbolRefAttr::get(pack));
    func->setAttr(names.inputs,
                  DenseI64ArrayAttr::get(
                      ctx, SmallVector<int64_t>(inputs.begin(), inputs.end())));
    func->setAttr(names.stepInputs, DenseI64ArrayAttr::get(ctx, kept));
    SmallVector<Attribute> types;
    for (Type t : packedTypes)
      types.push_back(TypeAttr::get(t));
    func->setAttr(names.packedTypes, ArrayAttr::get(ctx, types));
  }
};
} // namespace
