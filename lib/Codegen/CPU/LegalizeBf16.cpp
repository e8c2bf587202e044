//===- LegalizeBf16.cpp - the xf-cpu-legalize-bf16 pass -------------------===//
//
// bf16 as its i16 bits in the LLVM dialect, for CPUs whose backend would
// round every stored or merged bf16 value through __truncsfbf2 (the pass
// description in include/xf/Codegen/CPU/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPULEGALIZEBF16
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

namespace {

/// `type` with i16 for bf16 (scalars, vectors, arrays of them), or null if
/// it has none.
Type bitsType(Type type) {
  auto i16 = IntegerType::get(type.getContext(), 16);
  if (type.isBF16())
    return i16;
  if (auto vec = dyn_cast<VectorType>(type);
      vec && vec.getElementType().isBF16())
    return vec.clone(i16);
  if (auto array = dyn_cast<LLVM::LLVMArrayType>(type))
    if (Type element = bitsType(array.getElementType()))
      return LLVM::LLVMArrayType::get(element, array.getNumElements());
  return {};
}

/// A constant of `type` (a scalar or vector of integers) splatting `value`.
Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  Type elt = getElementTypeOrSelf(type);
  Attribute attr = b.getIntegerAttr(elt, value);
  if (auto vec = dyn_cast<VectorType>(type))
    attr = SplatElementsAttr::get(vec, attr);
  return LLVM::ConstantOp::create(b, loc, type, cast<TypedAttr>(attr));
}

/// `type` (f32 or i16, scalar or vector) with another element type.
Type withElement(Type type, Type elt) {
  if (auto vec = dyn_cast<VectorType>(type))
    return vec.clone(elt);
  return elt;
}

/// The bits of x (f32) rounded to bf16, to nearest even; a NaN keeps its
/// sign and high payload, made quiet (as toBF16 in
/// include/xf/Support/HalfFloat.h).
Value roundToBits(OpBuilder &b, Location loc, Value x) {
  Type i32 = withElement(x.getType(), b.getI32Type());
  Type i16 = withElement(x.getType(), b.getI16Type());
  Value bits = LLVM::BitcastOp::create(b, loc, i32, x);
  Value sixteen = intConstant(b, loc, i32, 16);
  Value high = LLVM::LShrOp::create(b, loc, bits, sixteen);
  Value odd = LLVM::AndOp::create(b, loc, high, intConstant(b, loc, i32, 1));
  Value rounded = LLVM::AddOp::create(
      b, loc, bits,
      LLVM::AddOp::create(b, loc, odd, intConstant(b, loc, i32, 0x7fff)));
  Value nearest = LLVM::LShrOp::create(b, loc, rounded, sixteen);
  Value quiet =
      LLVM::OrOp::create(b, loc, high, intConstant(b, loc, i32, 0x40));
  Value nan = LLVM::FCmpOp::create(b, loc, LLVM::FCmpPredicate::uno, x, x);
  return LLVM::TruncOp::create(
      b, loc, i16, LLVM::SelectOp::create(b, loc, nan, quiet, nearest));
}

/// The f32 value of bf16 bits (i16): the bits in the high half.
Value widenBits(OpBuilder &b, Location loc, Value bits, Type f32) {
  Type i32 = withElement(bits.getType(), b.getI32Type());
  Value wide = LLVM::ZExtOp::create(b, loc, i32, bits);
  return LLVM::BitcastOp::create(
      b, loc, f32,
      LLVM::ShlOp::create(b, loc, wide, intConstant(b, loc, i32, 16)));
}

/// Whether `op` only moves bits, so that its bf16 values may be i16.
bool movesBits(Operation *op) {
  return isa<LLVM::LoadOp, LLVM::StoreOp, LLVM::MaskedLoadOp,
             LLVM::MaskedStoreOp, LLVM::masked_gather, LLVM::masked_scatter,
             LLVM::SelectOp, LLVM::BitcastOp, LLVM::FreezeOp, LLVM::ConstantOp,
             LLVM::ExtractElementOp, LLVM::InsertElementOp,
             LLVM::ExtractValueOp, LLVM::InsertValueOp, LLVM::ShuffleVectorOp,
             LLVM::PoisonOp, LLVM::UndefOp, LLVM::ZeroOp, LLVM::CallOp,
             LLVM::BrOp, LLVM::CondBrOp, LLVM::SwitchOp, LLVM::ReturnOp,
             LLVM::GEPOp, LLVM::AllocaOp, LLVM::LLVMFuncOp>(op);
}

struct XfCpuLegalizeBf16Pass
    : xf::impl::XfCpuLegalizeBf16Base<XfCpuLegalizeBf16Pass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The conversions first, while their types still say what they do.
    SmallVector<Operation *> conversions;
    module.walk([&](Operation *op) {
      if (isa<LLVM::FPTruncOp, LLVM::FPExtOp>(op) &&
          (bitsType(op->getResult(0).getType()) ||
           bitsType(op->getOperand(0).getType())))
        conversions.push_back(op);
    });
    for (Operation *op : conversions) {
      OpBuilder b(op);
      Value from = op->getOperand(0);
      Type to = op->getResult(0).getType();
      if (!getElementTypeOrSelf(isa<LLVM::FPTruncOp>(op) ? from.getType() : to)
               .isF32()) {
        op->emitError("xf-cpu-legalize-bf16: converts bf16 only from and to "
                      "f32, got ")
            << from.getType() << " to " << to;
        return signalPassFailure();
      }
      Value bits = isa<LLVM::FPTruncOp>(op)
                       ? roundToBits(b, op->getLoc(), from)
                       : LLVM::BitcastOp::create(
                             b, op->getLoc(), bitsType(from.getType()), from);
      Value result =
          isa<LLVM::FPTruncOp>(op)
              ? LLVM::BitcastOp::create(b, op->getLoc(), to, bits).getResult()
              : widenBits(b, op->getLoc(), bits, to);
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
    // Then every bf16 type to i16.
    WalkResult walk = module.walk([&](Operation *op) -> WalkResult {
      if (auto global = dyn_cast<LLVM::GlobalOp>(op);
          global && bitsType(global.getGlobalType())) {
        op->emitError("xf-cpu-legalize-bf16: a bf16 global");
        return WalkResult::interrupt();
      }
      // Block arguments (phis) only move bits, whatever the region's op.
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (Type t = bitsType(arg.getType()))
              arg.setType(t);
      bool carries = false;
      for (Value v : op->getOperands())
        carries |= bitsType(v.getType()) != nullptr;
      for (OpResult r : op->getResults())
        if (Type t = bitsType(r.getType())) {
          r.setType(t);
          carries = true;
        }
      if (auto gep = dyn_cast<LLVM::GEPOp>(op))
        if (Type t = bitsType(gep.getElemType())) {
          gep.setElemType(t);
          carries = true;
        }
      if (auto alloca = dyn_cast<LLVM::AllocaOp>(op))
        if (Type t = bitsType(alloca.getElemType()))
          alloca.setElemType(t);
      if (auto func = dyn_cast<LLVM::LLVMFuncOp>(op)) {
        LLVM::LLVMFunctionType type = func.getFunctionType();
        // A body elsewhere takes bf16 in vector registers, not i16 in
        // general ones: its calls cannot change.
        bool bf16 = bitsType(type.getReturnType()) ||
                    llvm::any_of(type.getParams(),
                                 [](Type t) { return bool(bitsType(t)); });
        if (bf16 && func.isExternal()) {
          op->emitError("xf-cpu-legalize-bf16: bf16 in the signature of the "
                        "external function @")
              << func.getName();
          return WalkResult::interrupt();
        }
        SmallVector<Type> params;
        for (Type t : type.getParams())
          params.push_back(bitsType(t) ? bitsType(t) : t);
        Type result = type.getReturnType();
        func.setFunctionType(LLVM::LLVMFunctionType::get(
            bitsType(result) ? bitsType(result) : result, params,
            type.isVarArg()));
      }
      if (auto constant = dyn_cast<LLVM::ConstantOp>(op); constant && carries) {
        Attribute value = constant.getValue();
        Type type = constant.getType();
        if (auto f = dyn_cast<FloatAttr>(value))
          value = IntegerAttr::get(type, f.getValue().bitcastToAPInt());
        else if (auto dense = dyn_cast<DenseElementsAttr>(value))
          value = dense.bitcast(getElementTypeOrSelf(type));
        constant.setValueAttr(value);
      }
      if (carries && !movesBits(op)) {
        op->emitError("xf-cpu-legalize-bf16: bf16 values in '")
            << op->getName() << "' on a CPU without AVX-512 BF16";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // Bitcasts between a bf16 and its bits are now no-ops.
    module.walk([&](LLVM::BitcastOp op) {
      if (op.getArg().getType() == op.getType()) {
        op.replaceAllUsesWith(op.getArg());
        op.erase();
      }
    });
  }
};

} // namespace
