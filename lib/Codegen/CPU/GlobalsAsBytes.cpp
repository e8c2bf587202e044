//===- GlobalsAsBytes.cpp - the xf-cpu-globals-as-bytes pass --------------===//
//
// Large constants (packed weights) reach LLVM as one array of bytes, which
// it translates and emits as one block instead of row by row.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUGLOBALSASBYTES
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {
struct XfCpuGlobalsAsBytesPass
    : xf::impl::XfCpuGlobalsAsBytesBase<XfCpuGlobalsAsBytesPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    Type i8 = IntegerType::get(ctx, 8);
    getOperation().walk([&](LLVM::GlobalOp global) {
      auto value = dyn_cast_or_null<DenseElementsAttr>(global.getValueOrNull());
      if (!value || value.isSplat() ||
          value.getElementType().getIntOrFloatBitWidth() % 8 != 0)
        return;
      ArrayRef<char> bytes = value.getRawData();
      if (static_cast<int64_t>(bytes.size()) < minBytes)
        return;
      // The constant's storage lives as long as the context: the resource
      // refers to it without copying.
      auto type =
          RankedTensorType::get({static_cast<int64_t>(bytes.size())}, i8);
      auto flat = DenseResourceElementsAttr::get(
          type, global.getSymName(),
          UnmanagedAsmResourceBlob::allocateInferAlign(bytes));
      global.setValueAttr(flat);
      global.setGlobalType(LLVM::LLVMArrayType::get(i8, bytes.size()));
    });
  }
};
} // namespace
