//===- OutlineWeightPacking.cpp - the xf-cpu-outline-weight-packing pass --===//
//
// Weights that arrive as arguments would be packed into GEMM panels on
// every call. This pass moves their packing into a function of its own,
// which a caller runs once when it loads the weights; the step function
// then takes the packed panels instead of the raw weights.
//
//===----------------------------------------------------------------------===//

#include "ArgumentPacking.h"

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/IR/IRMapping.h"

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
    cpu::ArgumentPacking packing = cpu::findArgumentPacking(func);
    if (packing.packed.empty())
      return;
    const llvm::SetVector<Value> &packed = packing.packed;
    const llvm::SetVector<unsigned> &args = packing.args;

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
    for (Operation *op : packing.ops)
      b.clone(*op, map);
    SmallVector<Value> results;
    for (Value p : packed)
      results.push_back(map.lookup(p));
    func::ReturnOp::create(b, loc, results);

    // The step function takes the panels as trailing arguments; the raw
    // weights it no longer uses go.
    SmallVector<int64_t> kept = cpu::takePackedArguments(func, packing);
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
