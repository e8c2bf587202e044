//===- LowerKernels.cpp - the xf-cpu-lower-kernels pass -------------------===//

#include "Kernels.h"

#include "xf/Codegen/CPU/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPULOWERKERNELS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {
struct XfCpuLowerKernelsPass
    : xf::impl::XfCpuLowerKernelsBase<XfCpuLowerKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    KernelOptions options;
    options.vectorWidth = vectorWidth;
    options.gemmTileRows = gemmTileRows;
    options.threads = threads;
    options.attentionBlockQ = attentionBlockQ;
    options.attentionBlockKv = attentionBlockKv;
    options.amx = amx;
    if (failed(options.verify([&](const Twine &msg) {
          return getOperation().emitError("xf-cpu-lower-kernels: " + msg);
        })))
      return signalPassFailure();
    // The kernels split their work for this many threads.
    options.threads = options.effectiveThreads();

    SmallVector<Operation *> kernels;
    getOperation().walk([&](Operation *op) {
      if (isa<GemmOp, SparseGemmOp, PackWeightsOp, FlashAttentionOp, NormOp,
              cpu::TopKOp, cpu::GatherMlpOp>(op))
        kernels.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : kernels) {
      if (!cast<DestinationStyleOpInterface>(op).hasPureBufferSemantics()) {
        op->emitOpError("must be bufferized before xf-cpu-lower-kernels");
        return signalPassFailure();
      }
      LogicalResult lowered =
          llvm::TypeSwitch<Operation *, LogicalResult>(op)
              .Case([&](GemmOp g) { return lowerGemm(g, rewriter, options); })
              .Case([&](SparseGemmOp g) {
                return lowerSparseGemm(g, rewriter, options);
              })
              .Case([&](PackWeightsOp p) {
                return lowerPackWeights(p, rewriter, options);
              })
              .Case([&](FlashAttentionOp a) {
                return lowerFlashAttention(a, rewriter, options);
              })
              .Case([&](NormOp n) { return lowerNorm(n, rewriter, options); })
              .Case([&](cpu::TopKOp t) {
                return lowerTopK(t, rewriter, options);
              })
              .Case([&](cpu::GatherMlpOp g) {
                return lowerGatherMlp(g, rewriter, options);
              });
      if (failed(lowered))
        return signalPassFailure();
    }
  }
};
} // namespace
