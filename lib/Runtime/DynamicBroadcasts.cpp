//===- DynamicBroadcasts.cpp - run-time sizes of a dynamic function -------===//
//
// A function compiled as written (xf-run --dynamic) broadcasts where its
// types state a 1 (lib/Conversion/XfToLinalg/LinalgBuilders.cpp,
// broadcastMap): a dimension written `?` is read with the size it is
// broadcast with. Called with a 1 there, the code would read past the
// operand's one row; such calls are refused. The sites mirror the ops'
// shape rules (lib/Dialect/ShapeChecks.cpp: broadcastShapes and its
// callers).
//
//===----------------------------------------------------------------------===//

#include "xf/Dialect/AttentionScores.h"
#include "xf/Dialect/XfOps.h"
#include "xf/Runtime/FunctionInputs.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::xf;

namespace {
/// An operand that broadcasts to `target`, aligned to its last dimensions
/// but `dropBack` (matrix or block dimensions, which do not broadcast).
struct Site {
  unsigned operand;
  SmallVector<int64_t> target;
  int64_t dropBack = 0;
};
} // namespace

static SmallVector<int64_t> shapeOf(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return SmallVector<int64_t>(type.getShape());
}

/// The operand number of an optional operand, or none.
static std::optional<unsigned> operandNumber(MutableOperandRange range) {
  if (range.empty())
    return std::nullopt;
  return range[0].getOperandNumber();
}

/// The scores of attention with queries [batch..., Sq, F] and keys
/// [batch..., Skv, F].
static SmallVector<int64_t> scoresShape(Value query, Value key,
                                        uint64_t heads) {
  SmallVector<int64_t> q = shapeOf(query), k = shapeOf(key);
  return attentionScoresShape(ArrayRef(q).drop_back(2),
                              static_cast<int64_t>(heads), q[q.size() - 2],
                              k[k.size() - 2]);
}

/// Where `op` (with run-time shapes) broadcasts an operand.
static SmallVector<Site> broadcastSites(Operation *op) {
  return llvm::TypeSwitch<Operation *, SmallVector<Site>>(op)
      .Case<AddOp, MulOp>([](Operation *op) {
        SmallVector<int64_t> result = shapeOf(op->getResult(0));
        return SmallVector<Site>{{0, result}, {1, result}};
      })
      .Case([](MatmulOp op) {
        SmallVector<int64_t> batch = shapeOf(op.getResult());
        batch.pop_back_n(2);
        return SmallVector<Site>{{0, batch, 2}, {1, batch, 2}};
      })
      .Case([](AttentionOp op) {
        SmallVector<Site> sites;
        SmallVector<int64_t> scores =
            scoresShape(op.getQuery(), op.getKey(), op.getNumHeads());
        if (std::optional<unsigned> mask = operandNumber(op.getMaskMutable()))
          sites.push_back({*mask, scores});
        // A block mask's batch and head dimensions may broadcast.
        if (std::optional<unsigned> blocks =
                operandNumber(op.getBlockMaskMutable())) {
          scores.pop_back_n(2);
          sites.push_back({*blocks, scores, 2});
        }
        return sites;
      })
      .Case([](BlockOp op) {
        SmallVector<Site> sites;
        Value keys = op.getKeyCache() ? op.getKeyCache() : op.getInput();
        if (std::optional<unsigned> mask = operandNumber(op.getMaskMutable()))
          sites.push_back(
              {*mask, scoresShape(op.getInput(), keys, op.getNumHeads())});
        return sites;
      })
      .Default([](Operation *) { return SmallVector<Site>{}; });
}

LogicalResult
mlir::xf::runtime::checkDynamicBroadcasts(func::FuncOp written,
                                          func::FuncOp specialized) {
  SmallVector<Operation *> writtenOps, specializedOps;
  written.walk([&](Operation *op) { writtenOps.push_back(op); });
  specialized.walk([&](Operation *op) { specializedOps.push_back(op); });
  if (writtenOps.size() != specializedOps.size())
    return written.emitError("the specialized function differs from it");
  for (auto [w, s] : llvm::zip(writtenOps, specializedOps)) {
    for (const Site &site : broadcastSites(s)) {
      auto writtenType =
          cast<RankedTensorType>(w->getOperand(site.operand).getType());
      SmallVector<int64_t> runTime = shapeOf(s->getOperand(site.operand));
      int64_t rank = static_cast<int64_t>(runTime.size()) - site.dropBack;
      int64_t offset = static_cast<int64_t>(site.target.size()) - rank;
      for (int64_t i = 0; i < rank; ++i) {
        int64_t target = i + offset >= 0 ? site.target[i + offset] : 1;
        if (writtenType.isDynamicDim(i) && runTime[i] == 1 && target != 1)
          return s->emitError()
                 << "operand #" << site.operand << " has size 1 in dimension "
                 << i << ", written `?`, where it would broadcast to " << target
                 << ": compiled as written, a `?` dimension does "
                 << "not broadcast";
      }
    }
  }
  return success();
}
