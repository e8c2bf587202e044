//===- OutlineRepeats.cpp - repeated runs of ops as calls -----------------===//
//
// A model imported from ONNX is primitives, layer after layer, with no
// xf.block to group: xf-outline-layers finds the run of ops that repeats
// back to back (the layers) and makes it one private function, called per
// repeat with what differs (the previous layer's output, the weights).
//
//===----------------------------------------------------------------------===//

#include "OutlineRepeats.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"

using namespace mlir;
using namespace mlir::xf;

namespace {

/// One op's operand as a repeat reads it: an op of the same repeat (its
/// position and result) or the repeat's external value `index`.
struct Read {
  bool internal;
  int64_t index, result;
  bool operator==(const Read &o) const {
    return internal == o.internal && index == o.index && result == o.result;
  }
};

/// `count` back-to-back repeats of `period` ops from `begin`, and how they
/// read and are read.
struct Plan {
  size_t begin, period, count;
  /// Constants whose value differs between repeats (weights): passed in.
  SmallVector<bool> varying;
  /// Per repeat, its external values in order of first read.
  SmallVector<SmallVector<Value>> externals;
  /// The results read after their repeat, as (position, result).
  SmallVector<std::pair<int64_t, int64_t>> outputs;
};

class RepeatFinder {
public:
  RepeatFinder(func::FuncOp func) {
    for (Operation &op : func.getBody().front().without_terminator()) {
      position[&op] = ops.size();
      ops.push_back(&op);
      signatures.push_back(signature(&op));
    }
  }

  /// The best plan whose repeats cover at least half the ops, if any.
  std::optional<Plan> find(int64_t minRepeats) {
    size_t n = ops.size();
    struct Candidate {
      size_t covered, begin, period, run;
    };
    SmallVector<Candidate> candidates;
    std::vector<size_t> run(n + 1, 0);
    for (size_t p = 2; p <= n / 2; ++p) {
      // run[i]: how many signatures from i equal those p further (none
      // from n - p, where the ones p further would be past the end).
      run[n - p] = 0;
      for (size_t i = n - p; i-- > 0;)
        run[i] = signatures[i] == signatures[i + p] ? run[i + 1] + 1 : 0;
      for (size_t i = 0; i + p < n; ++i) {
        if ((i > 0 && run[i - 1] > 0) || run[i] < p)
          continue;
        size_t count = run[i] / p + 1;
        if (static_cast<int64_t>(count) >= minRepeats && 2 * count * p >= n)
          candidates.push_back({count * p, i, p, run[i]});
      }
    }
    // Most ops covered first; then the earliest, the shortest period.
    llvm::sort(candidates, [](const Candidate &a, const Candidate &b) {
      return std::make_tuple(b.covered, a.begin, a.period) <
             std::make_tuple(a.covered, b.begin, b.period);
    });
    // The repeats may start at any phase of the run: the first whose
    // reads agree.
    for (const Candidate &c : candidates)
      for (size_t shift = 0; shift < c.period && shift <= c.run; ++shift) {
        size_t count = (c.run - shift) / c.period + 1;
        if (static_cast<int64_t>(count) < minRepeats)
          break;
        if (std::optional<Plan> plan =
                analyze(c.begin + shift, c.period, count))
          return plan;
      }
    return std::nullopt;
  }

  Operation *op(const Plan &plan, size_t k, size_t j) const {
    return ops[plan.begin + k * plan.period + j];
  }

private:
  /// What two ops of different repeats must share: name, attributes (but a
  /// constant's value), operand and result types.
  static llvm::hash_code signature(Operation *op) {
    llvm::hash_code h = llvm::hash_combine(
        op->getName(), op->getNumRegions(),
        llvm::hash_combine_range(op->getResultTypes().begin(),
                                 op->getResultTypes().end()),
        llvm::hash_combine_range(op->getOperandTypes().begin(),
                                 op->getOperandTypes().end()));
    if (!isa<arith::ConstantOp>(op))
      h = llvm::hash_combine(h, op->getRawDictionaryAttrs(),
                             op->getPropertiesAsAttribute());
    return h;
  }

  static bool same(Operation *a, Operation *b) {
    if (a->getOperandTypes() != b->getOperandTypes() || readsAbove(a) ||
        readsAbove(b))
      return false;
    if (isa<arith::ConstantOp>(a))
      return a->getName() == b->getName() &&
             a->getResultTypes() == b->getResultTypes();
    return OperationEquivalence::isEquivalentTo(
        a, b, OperationEquivalence::ignoreValueEquivalence, nullptr,
        OperationEquivalence::IgnoreLocations);
  }

  /// Whether `op`'s regions read values from outside it (which the repeat's
  /// reads would miss); a named linalg op's body does not.
  static bool readsAbove(Operation *op) {
    llvm::SetVector<Value> above;
    for (Region &r : op->getRegions())
      getUsedValuesDefinedAbove(r, above);
    return !above.empty();
  }

  std::optional<Plan> analyze(size_t begin, size_t period, size_t count) {
    Plan plan{begin, period, count, SmallVector<bool>(period, false), {}, {}};
    for (size_t k = 1; k < count; ++k)
      for (size_t j = 0; j < period; ++j)
        if (!same(op(plan, 0, j), op(plan, k, j)))
          return std::nullopt;
    for (size_t j = 0; j < period; ++j)
      if (auto c = dyn_cast<arith::ConstantOp>(op(plan, 0, j)))
        for (size_t k = 1; k < count; ++k)
          if (cast<arith::ConstantOp>(op(plan, k, j)).getValue() !=
              c.getValue())
            plan.varying[j] = true;
    // Every repeat must read the same way: its own ops at the same
    // positions, its external values in the same pattern.
    SmallVector<Read> first;
    llvm::DenseSet<std::pair<int64_t, int64_t>> outputs;
    for (size_t k = 0; k < count; ++k) {
      size_t lo = begin + k * period, hi = lo + period;
      auto inside = [&](Operation *o) {
        auto it = o ? position.find(o) : position.end();
        return it != position.end() && it->second >= lo && it->second < hi &&
               !plan.varying[it->second - lo];
      };
      SmallVector<Read> reads;
      SmallVector<Value> externals;
      llvm::DenseMap<Value, int64_t> externalIndex;
      for (size_t j = 0; j < period; ++j) {
        Operation *o = op(plan, k, j);
        if (plan.varying[j])
          continue;
        for (Value v : o->getOperands()) {
          if (inside(v.getDefiningOp())) {
            reads.push_back(
                {true,
                 static_cast<int64_t>(position.lookup(v.getDefiningOp()) - lo),
                 cast<OpResult>(v).getResultNumber()});
            continue;
          }
          auto [it, inserted] = externalIndex.try_emplace(v, externals.size());
          if (inserted)
            externals.push_back(v);
          reads.push_back({false, it->second, 0});
        }
        for (OpResult r : o->getResults())
          if (llvm::any_of(r.getUsers(),
                           [&](Operation *user) { return !inside(user); }))
            outputs.insert({static_cast<int64_t>(j), r.getResultNumber()});
      }
      if (k == 0)
        first = reads;
      else if (reads != first)
        return std::nullopt;
      plan.externals.push_back(std::move(externals));
    }
    plan.outputs.assign(outputs.begin(), outputs.end());
    llvm::sort(plan.outputs);
    return plan;
  }

  SmallVector<Operation *> ops;
  SmallVector<llvm::hash_code> signatures;
  llvm::DenseMap<Operation *, size_t> position;
};

/// `@<func>_layer<index>`: the first repeat, on its external values.
func::FuncOp createFunction(func::FuncOp func, const RepeatFinder &finder,
                            const Plan &plan, int64_t index) {
  OpBuilder b(func);
  Location loc = finder.op(plan, 0, 0)->getLoc();
  SmallVector<Type> results;
  for (auto [j, r] : plan.outputs)
    results.push_back(finder.op(plan, 0, j)->getResult(r).getType());
  auto layer = func::FuncOp::create(
      b, loc, (func.getSymName() + "_layer" + Twine(index)).str(),
      b.getFunctionType(ValueRange(plan.externals[0]).getTypes(), results));
  layer.setPrivate();
  Block *body = layer.addEntryBlock();
  b.setInsertionPointToEnd(body);
  IRMapping map;
  map.map(plan.externals[0], body->getArguments());
  for (size_t j = 0; j < plan.period; ++j)
    if (!plan.varying[j])
      b.clone(*finder.op(plan, 0, j), map);
  SmallVector<Value> returned;
  for (auto [j, r] : plan.outputs)
    returned.push_back(map.lookup(finder.op(plan, 0, j)->getResult(r)));
  func::ReturnOp::create(b, loc, returned);
  return layer;
}

/// One constant op per value and type in `block`, the first: uses of the
/// others read it (it precedes them).
void mergeConstants(Block &block) {
  llvm::DenseMap<std::pair<Attribute, Type>, Operation *> first;
  for (auto c : llvm::make_early_inc_range(block.getOps<arith::ConstantOp>())) {
    auto [it, inserted] =
        first.try_emplace({c.getValue(), c.getType()}, c.getOperation());
    if (inserted)
      continue;
    c->replaceAllUsesWith(it->second);
    c->erase();
  }
}

} // namespace

bool mlir::xf::outlineRepeatedRuns(
    func::FuncOp func, SymbolTable &symbols, int64_t minRepeats, int64_t &index,
    llvm::function_ref<bool(Value)> keepInPlace) {
  // A constant read in several places is one op; each reader gets its own
  // copy, so that every repeat holds the constants it reads.
  for (auto c : llvm::to_vector(func.getOps<arith::ConstantOp>())) {
    for (OpOperand &use : llvm::make_early_inc_range(c->getUses())) {
      OpBuilder b(use.getOwner());
      use.set(b.clone(*c)->getResult(0));
    }
    c->erase();
  }
  Block &body = func.getBody().front();
  RepeatFinder finder(func);
  std::optional<Plan> plan = finder.find(minRepeats);
  if (plan && llvm::any_of(llvm::seq<size_t>(0, plan->count), [&](size_t k) {
        return llvm::any_of(llvm::seq<size_t>(0, plan->period), [&](size_t j) {
          return plan->varying[j] &&
                 keepInPlace(finder.op(*plan, k, j)->getResult(0));
        });
      }))
    plan.reset();
  if (!plan) {
    mergeConstants(body);
    return false;
  }
  func::FuncOp layer = createFunction(func, finder, *plan, index++);
  mergeConstants(layer.getBody().front());
  symbols.insert(layer);
  // Repeat by repeat: its ops become a call after them, the varying
  // constants stay to be passed in, and later readers read the call.
  llvm::DenseMap<Value, Value> replaced;
  for (size_t k = 0; k < plan->count; ++k) {
    Operation *last = finder.op(*plan, k, plan->period - 1);
    OpBuilder b(last->getContext());
    b.setInsertionPointAfter(last);
    SmallVector<Value> operands;
    for (Value v : plan->externals[k])
      operands.push_back(replaced.lookup(v) ? replaced.lookup(v) : v);
    auto call = func::CallOp::create(b, last->getLoc(), layer, operands);
    llvm::SmallPtrSet<Operation *, 32> inRepeat;
    for (size_t j = 0; j < plan->period; ++j)
      if (!plan->varying[j])
        inRepeat.insert(finder.op(*plan, k, j));
    for (auto [i, out] : llvm::enumerate(plan->outputs)) {
      Value v = finder.op(*plan, k, out.first)->getResult(out.second);
      v.replaceUsesWithIf(call.getResult(i), [&](OpOperand &use) {
        return !inRepeat.contains(use.getOwner());
      });
      replaced[v] = call.getResult(i);
    }
    for (size_t j = plan->period; j-- > 0;)
      if (!plan->varying[j])
        finder.op(*plan, k, j)->erase();
  }
  mergeConstants(body);
  return true;
}
