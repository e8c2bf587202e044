//===- ExpandCopies.cpp - the xf-cpu-expand-copies pass -------------------===//

#include "xf/Codegen/CPU/Passes.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUEXPANDCOPIES
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

/// Whether finalize-memref-to-llvm turns a copy from/to `type` into memcpy.
static bool isContiguous(Type type) {
  auto memref = cast<MemRefType>(type);
  return memref.hasStaticShape() && memref.getLayout().isIdentity();
}

namespace {
struct XfCpuExpandCopiesPass
    : xf::impl::XfCpuExpandCopiesBase<XfCpuExpandCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!isContiguous(copy.getSource().getType()) ||
          !isContiguous(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    OpBuilder b(&getContext());
    for (memref::CopyOp copy : copies) {
      b.setInsertionPoint(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};
} // namespace
