//===- OutlineLayers.cpp - the xf-outline-layers pass ---------------------===//
//
// Identical xf.block ops become calls of one private function, so that a
// deep model compiles about as fast as one of its layers. A weight given
// through xf.dequantize goes in as its int8 values and scales, the
// dequantize inside the layer: the layer's GEMMs then read int8, not the
// f32 weight the call would otherwise carry.
//
//===----------------------------------------------------------------------===//

#include "OutlineRepeats.h"

#include "xf/Dialect/XfOps.h"
#include "xf/Transforms/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir::xf {
#define GEN_PASS_DEF_XFOUTLINELAYERS
#include "xf/Transforms/Passes.h.inc"
} // namespace mlir::xf

using namespace mlir;
using namespace mlir::xf;

namespace {

/// Ops equal up to their operands: the same attributes and properties,
/// operand and result types.
bool sameUpToOperands(Operation *a, Operation *b) {
  return OperationEquivalence::isEquivalentTo(
      a, b, OperationEquivalence::ignoreValueEquivalence,
      /*markEquivalent=*/nullptr, OperationEquivalence::IgnoreLocations);
}

/// The dequantize that gives a block operand, which the layer takes in.
DequantizeOp dequantizeOf(Value operand) {
  return operand.getDefiningOp<DequantizeOp>();
}

/// Blocks that compute the same function of their operands, their
/// dequantized weights included.
bool sameLayer(Operation *a, Operation *b) {
  if (!sameUpToOperands(a, b))
    return false;
  for (auto [x, y] : llvm::zip(a->getOperands(), b->getOperands())) {
    DequantizeOp dx = dequantizeOf(x), dy = dequantizeOf(y);
    if (static_cast<bool>(dx) != static_cast<bool>(dy) ||
        (dx && !sameUpToOperands(dx, dy)))
      return false;
  }
  return true;
}

/// A layer's arguments for `block`: its operands, a dequantized weight as
/// the dequantize's operands.
SmallVector<Value> layerArguments(Operation *block) {
  SmallVector<Value> args;
  for (Value operand : block->getOperands()) {
    if (DequantizeOp d = dequantizeOf(operand))
      llvm::append_range(args, d->getOperands());
    else
      args.push_back(operand);
  }
  return args;
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
                                         layerArguments(block));
        SmallVector<Operation *> dequantized;
        for (Value operand : block->getOperands())
          if (DequantizeOp d = dequantizeOf(operand))
            dequantized.push_back(d);
        block->replaceAllUsesWith(call.getResults());
        block->erase();
        for (Operation *d : dequantized)
          if (d->use_empty())
            d->erase();
      }
    }
  }

  /// `@<func>_layer<index>`: the block on its arguments (layerArguments),
  /// its dequantized weights dequantized inside.
  func::FuncOp createLayer(func::FuncOp func, BlockOp block, int64_t index) {
    OpBuilder b(func);
    auto layer = func::FuncOp::create(
        b, block.getLoc(), (func.getSymName() + "_layer" + Twine(index)).str(),
        b.getFunctionType(ValueRange(layerArguments(block)).getTypes(),
                          block->getResultTypes()));
    layer.setPrivate();
    Block *body = layer.addEntryBlock();
    b.setInsertionPointToEnd(body);
    // Operand by operand: a value used twice by this block (one weight for
    // Q, K and V) may be two values in another block of the group.
    SmallVector<Value> operands;
    ValueRange args = body->getArguments();
    for (Value operand : block->getOperands()) {
      DequantizeOp d = dequantizeOf(operand);
      if (!d) {
        operands.push_back(args.front());
        args = args.drop_front();
        continue;
      }
      Operation *clone = b.clone(*d);
      clone->setOperands(args.take_front(d->getNumOperands()));
      args = args.drop_front(d->getNumOperands());
      operands.push_back(clone->getResult(0));
    }
    Operation *clone = b.clone(*block);
    clone->setOperands(operands);
    func::ReturnOp::create(b, block.getLoc(), clone->getResults());
    return layer;
  }
};

} // namespace
