//===- GlobalsAsBytes.cpp - the xf-cpu-globals-as-bytes pass --------------===//
//
// Large constants (packed weights) reach LLVM as one array of bytes, which
// it translates and emits as one block instead of row by row.
//
//===----------------------------------------------------------------------===//

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Dialect/ConstantBytes.h"

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
      Attribute value = global.getValueOrNull();
      std::optional<RawElements> raw = rawElements(value);
      if (!raw || raw->splat ||
          static_cast<int64_t>(raw->data.size()) < minBytes)
        return;
      ArrayRef<char> bytes = raw->data;
      auto type =
          RankedTensorType::get({static_cast<int64_t>(bytes.size())}, i8);
      // A resource keeps its blob; a dense constant's storage lives as long
      // as the context, and a resource refers to it without copying.
      auto resource = dyn_cast<DenseResourceElementsAttr>(value);
      auto flat =
          resource
              ? DenseResourceElementsAttr::get(type, resource.getRawHandle())
              : DenseResourceElementsAttr::get(
                    type, global.getSymName(),
                    UnmanagedAsmResourceBlob::allocateInferAlign(bytes));
      global.setValueAttr(flat);
      global.setGlobalType(LLVM::LLVMArrayType::get(i8, bytes.size()));
    });
  }
};
} // namespace
