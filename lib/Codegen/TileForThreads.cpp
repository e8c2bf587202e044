//===- TileForThreads.cpp - the xf-cpu-tile-for-threads pass --------------===//

#include "xf/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"

#include <thread>

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUTILEFORTHREADS
#include "xf/Codegen/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

namespace {
struct XfCpuTileForThreadsPass
    : xf::impl::XfCpuTileForThreadsBase<XfCpuTileForThreadsPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t chunks =
        threads > 0 ? threads
                    : std::max<int64_t>(std::thread::hardware_concurrency(), 1);
    if (chunks == 1)
      return;
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && op.getNumLoops() > 0 &&
          op.getIteratorTypesArray().front() == utils::IteratorType::parallel &&
          !op->getParentOfType<scf::ForallOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<OpFoldResult> numThreads(op.getNumLoops(),
                                           rewriter.getIndexAttr(0));
      numThreads.front() = rewriter.getIndexAttr(chunks);
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      options.setNumThreads(numThreads);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue; // Left whole: correct, just on one thread.
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};
} // namespace
