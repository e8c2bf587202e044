//===- TileForThreads.cpp - the xf-cpu-tile-for-threads pass --------------===//

#include "xf/Codegen/CPU/KernelOptions.h"
#include "xf/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/AffineExprVisitor.h"

#include <numeric>

namespace mlir::xf {
#define GEN_PASS_DEF_XFCPUTILEFORTHREADS
#include "xf/Codegen/CPU/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;

namespace {

/// The multiple that tiles of loop `dim` must start at for `op`'s indexing
/// maps to stay valid on a tile: `d floordiv c` (grouped-query heads) and
/// `d mod c` index the same slice from any offset that is a multiple of c.
/// Nullopt when the loop appears in a quotient or remainder of anything
/// else, which no offset keeps valid.
std::optional<int64_t> tileAlignment(linalg::LinalgOp op, unsigned dim) {
  int64_t align = 1;
  bool valid = true;
  AffineExpr loop = getAffineDimExpr(dim, op.getContext());
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr result : map.getResults())
      result.walk([&](AffineExpr e) {
        auto bin = dyn_cast<AffineBinaryOpExpr>(e);
        if (!bin || e.getKind() == AffineExprKind::Add ||
            e.getKind() == AffineExprKind::Mul ||
            !bin.getLHS().isFunctionOfDim(dim))
          return;
        auto divisor = dyn_cast<AffineConstantExpr>(bin.getRHS());
        if (bin.getLHS() != loop || !divisor || divisor.getValue() <= 0)
          valid = false;
        else
          align = std::lcm(align, divisor.getValue());
      });
  if (!valid)
    return std::nullopt;
  return align;
}

/// The loop to split between `chunks` threads: the first of the leading
/// parallel loops with at least as many iterations (a dynamic one may), so
/// that a unit batch dimension does not leave every op on one thread; the
/// largest of them when none has.
unsigned loopToSplit(linalg::LinalgOp op, int64_t chunks) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned best = 0;
  for (unsigned d = 0;
       d < ranges.size() && iterators[d] == utils::IteratorType::parallel;
       ++d) {
    if (ShapedType::isDynamic(ranges[d]) || ranges[d] >= chunks)
      return d;
    if (ranges[d] > ranges[best])
      best = d;
  }
  return best;
}

struct XfCpuTileForThreadsPass
    : xf::impl::XfCpuTileForThreadsBase<XfCpuTileForThreadsPass> {
  using Base::Base;

  void runOnOperation() override {
    xf::cpu::KernelOptions options;
    options.threads = threads;
    if (failed(options.verify([&](const Twine &msg) {
          return getOperation().emitError("xf-cpu-tile-for-threads: " + msg);
        })))
      return signalPassFailure();
    int64_t chunks = options.effectiveThreads();
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
      unsigned dim = loopToSplit(op, chunks);
      std::optional<int64_t> align = tileAlignment(op, dim);
      int64_t range = op.getStaticLoopRanges()[dim];
      if (!align || (*align > 1 && ShapedType::isDynamic(range)) || range == 1)
        continue; // Left whole: correct, just on one thread.
      SmallVector<OpFoldResult> perLoop(op.getNumLoops(),
                                        rewriter.getIndexAttr(0));
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      if (*align == 1) {
        perLoop[dim] = rewriter.getIndexAttr(chunks);
        options.setNumThreads(perLoop);
      } else {
        // Tiles of whole groups: ceil(range / chunks) rounded up to align.
        int64_t size =
            llvm::divideCeil(llvm::divideCeil(range, chunks), *align);
        perLoop[dim] = rewriter.getIndexAttr(size * *align);
        options.setTileSizes(perLoop);
      }
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
