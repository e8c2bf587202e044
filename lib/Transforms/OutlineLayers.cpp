//===- OutlineLayers.cpp - the xf-outline-layers pass ---------------------===//
//
// Identical xf.block ops become calls of one private function, so that a
// deep model compiles about as fast as one of its layers.
//
//===----------------------------------------------------------------------===//

#include "OutlineRepeats.h"

#include "xf/Transforms/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFOUTLINELAYERS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Blocks that compute the same function of their operands: the same
/// attributes and properties, operand and result types.
bool sameLayer(Operation *a, Operation *b) {
  return OperationEquivalence::isEquivalentTo(
      a, b, OperationEquivalence::ignoreValueEquivalence,
      /*markEquivalent=*/nullptr, OperationEquivalence::IgnoreLocations);
}

struct XfOutlineLayersPass
    : xf::impl::XfOutlineLayersBase<XfOutlineLayersPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minRepeats < 1) {
      getOperation()->emitError("xf-outline-layers: min-repeats must be "
                                "positive");
      return signalPassFailure();
    }
    SymbolTable symbols(getOperation());
    for (auto func : llvm::to_vector(getOperation().getOps<func::FuncOp>()))
      if (!func.isExternal())
        outline(func, symbols);
  }

  void outline(func::FuncOp func, SymbolTable &symbols) {
    // Groups of identical blocks, in program order.
    SmallVector<SmallVector<BlockOp>> groups;
    func.walk([&](BlockOp block) {
      // Better compiled where it stands: a weight is a constant that
      // xf-sparsify-weights may specialize the layer for.
      if (keepSparseConstants &&
          llvm::any_of(block->getOperands(), mayBecomeSparse))
        return;
      for (SmallVector<BlockOp> &group : groups)
        if (sameLayer(group.front(), block)) {
          group.push_back(block);
          return;
        }
      groups.push_back({block});
    });
    int64_t index = 0;
    // Without blocks, the run of ops that repeats (an imported model).
    if (groups.empty()) {
      outlineRepeatedRuns(func, symbols, minRepeats, index, [&](Value v) {
        return keepSparseConstants && mayBecomeSparse(v);
      });
      return;
    }
    for (SmallVector<BlockOp> &group : groups) {
      if (static_cast<int64_t>(group.size()) < minRepeats)
        continue;
      func::FuncOp layer = createLayer(func, group.front(), index++);
      symbols.insert(layer);
      for (BlockOp block : group) {
        OpBuilder b(block);
        auto call = func::CallOp::create(b, block.getLoc(), layer,
                                         block->getOperands());
        block->replaceAllUsesWith(call.getResults());
        block->erase();
      }
    }
  }

  /// `@<func>_layer<index>`: the block on its arguments.
  func::FuncOp createLayer(func::FuncOp func, BlockOp block, int64_t index) {
    OpBuilder b(func);
    auto layer = func::FuncOp::create(
        b, block.getLoc(), (func.getSymName() + "_layer" + Twine(index)).str(),
        b.getFunctionType(block->getOperandTypes(), block->getResultTypes()));
    layer.setPrivate();
    Block *body = layer.addEntryBlock();
    b.setInsertionPointToEnd(body);
    // Operand by operand: a value used twice by this block (one weight for
    // Q, K and V) may be two values in another block of the group.
    Operation *clone = b.clone(*block);
    clone->setOperands(body->getArguments());
    func::ReturnOp::create(b, block.getLoc(), clone->getResults());
    return layer;
  }
};

} // namespace
