//===- SelectionKernels.cpp - xf_cpu.top_k and xf_cpu.gather_mlp ----------===//
//
// top_k: per row, the k-th largest key (f32 bits mapped so that unsigned
// order is totalOrder) is built from the top bit down with vector counts
// of the keys at or above a candidate; the search stops as soon as exactly
// k keys reach the candidate, which random scores do after about log2(N)
// steps. When exactly k keys reach the threshold their indices are written
// from each vector compare's lane mask; otherwise equal keys straddle the
// k-th place and an ordered scan takes the first of them.
//
// gather_mlp: the (row, neuron) pairs are sorted by neuron (a counting
// sort), and each selected neuron's weight rows are read once for all the
// rows that chose it: neuron-major, as weight-stationary as the selection
// allows. The down projection goes by blocks of neurons, their pairs in row
// order, so that an output row is updated in registers across its pairs.
// Threads take contiguous ranges of neurons and accumulate into their own
// copies of the output, summed at the end.
//
//===----------------------------------------------------------------------===//

#include "AttentionCommon.h"
#include "Kernels.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// Neurons per block of gather_mlp's down projection: their W_down rows
/// (192 KiB at 768 outputs) stay in L2 while the block's rows go by.
constexpr int64_t kSpreadNeurons = 64;
/// Vectors of an output row held in registers across a row's pairs.
constexpr int64_t kSpreadVectors = 8;

/// i32 keys and counts, as scalars and vectors.
struct KeyBuilder {
  KernelBuilder &kb;

  VectorType ivec() {
    return VectorType::get({kb.vectorWidth}, kb.b.getI32Type());
  }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(kb.b, kb.loc, kb.b.getI32Type(), v);
  }
  Value splat(int32_t v) {
    return arith::ConstantOp::create(
        kb.b, kb.loc,
        DenseElementsAttr::get(ivec(), kb.b.getI32IntegerAttr(v)));
  }
  Value constant(Value like, int32_t v) {
    return isa<VectorType>(like.getType()) ? splat(v) : i32(v);
  }

  /// The key of f32 values (scalar or vector) whose unsigned order is their
  /// totalOrder: every bit of negatives flipped, only the sign bit of the
  /// others.
  Value key(Value v) {
    Type type = isa<VectorType>(v.getType()) ? Type(ivec()) : kb.b.getI32Type();
    Value bits = arith::BitcastOp::create(kb.b, kb.loc, type, v);
    Value negative = kb.cmp(arith::CmpIPredicate::slt, bits, constant(bits, 0));
    Value flip = arith::SelectOp::create(
        kb.b, kb.loc, negative, constant(bits, -1),
        constant(bits, std::numeric_limits<int32_t>::min()));
    return arith::XOrIOp::create(kb.b, kb.loc, bits, flip);
  }

  /// 1 in the lanes where `hit` holds (and `mask`, if given), else 0.
  Value ones(Value hit, Value mask) {
    if (mask)
      hit = arith::AndIOp::create(kb.b, kb.loc, hit, mask);
    return arith::ExtUIOp::create(kb.b, kb.loc, ivec(), hit);
  }
  Value sum(Value v) {
    return vector::ReductionOp::create(kb.b, kb.loc, vector::CombiningKind::ADD,
                                       v);
  }
};

} // namespace

/// Threads for work split by the rows of `rows`: none for a single static
/// row (a decode step), whose parallel region would cost more than the row.
static int64_t rowThreads(Value rows, int64_t threads) {
  return cast<MemRefType>(rows.getType()).getDimSize(0) == 1 ? 1 : threads;
}

LogicalResult cpu::lowerTopK(cpu::TopKOp op, RewriterBase &rewriter,
                             const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  KernelBuilder kb(rewriter, loc, options.vectorWidth);
  KeyBuilder keys{kb};
  OpBuilder &b = kb.b;
  Value x = op.getInput(), y = op.getInit();
  Value n = kb.dim(x, 1);
  int64_t k = static_cast<int64_t>(op.getK());
  Value kI32 = keys.i32(k);
  using P = arith::CmpIPredicate;

  // With a static row length, each row's keys are computed once into
  // scratch for the ~log2(N) counting passes; else on every pass.
  int64_t staticN = cast<MemRefType>(x.getType()).getDimSize(1);
  bool keyScratch = !ShapedType::isDynamic(staticN);
  Value rowKeys;
  parallelWithScratch(
      kb, kb.dim(x, 0), rowThreads(x, options.threads),
      keyScratch ? 4 * staticN : 0,
      [&](Scratch &scratch) {
        if (keyScratch)
          rowKeys = scratch.buffer({staticN}, b.getI32Type());
      },
      [&](Value row) {
        RowLoops loops = RowLoops::of(kb, n);
        if (rowKeys)
          loops.each([&](Value c, Value mask) {
            kb.store(keys.key(kb.load(x, {row, c}, mask)), rowKeys, {c}, mask);
          });
        auto keyAt = [&](Value c, Value mask) {
          return rowKeys ? kb.load(rowKeys, {c}, mask)
                         : keys.key(kb.load(x, {row, c}, mask));
        };
        auto count = [&](P p, Value threshold) {
          Value t = vector::BroadcastOp::create(b, loc, keys.ivec(), threshold);
          return keys.sum(
              loops.fold(keys.splat(0), [&](Value acc, Value c, Value m) {
                Value hit = kb.cmp(p, keyAt(c, m), t);
                return arith::AddIOp::create(b, loc, acc, keys.ones(hit, m))
                    .getResult();
              }));
        };

        // The threshold, bit by bit from the top; `done` once exactly k keys
        // are at or above it.
        Type i1 = b.getI1Type(), i32 = b.getI32Type();
        auto search = scf::WhileOp::create(
            b, loc, TypeRange{i32, i32, i1},
            ValueRange{keys.i32(0),
                       keys.i32(std::numeric_limits<int32_t>::min()),
                       arith::ConstantIntOp::create(b, loc, i1, 0)},
            [&](OpBuilder &nb, Location, ValueRange s) {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              Value more = arith::AndIOp::create(
                  b, loc, kb.cmp(P::ne, s[1], keys.i32(0)),
                  arith::XOrIOp::create(
                      b, loc, s[2],
                      arith::ConstantIntOp::create(b, loc, i1, 1)));
              scf::ConditionOp::create(b, loc, more, s);
            },
            [&](OpBuilder &nb, Location, ValueRange s) {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              Value candidate = arith::OrIOp::create(b, loc, s[0], s[1]);
              Value c = count(P::uge, candidate);
              Value t = arith::SelectOp::create(b, loc, kb.cmp(P::sge, c, kI32),
                                                candidate, s[0]);
              Value bit = arith::ShRUIOp::create(b, loc, s[1], keys.i32(1));
              scf::YieldOp::create(b, loc,
                                   ValueRange{t, bit, kb.cmp(P::eq, c, kI32)});
            });
        Value t = search.getResult(0);
        Value atOrAbove = count(P::uge, t);
        Value exact = kb.cmp(P::eq, atOrAbove, kI32);
        scf::IfOp::create(
            b, loc, exact,
            [&](OpBuilder &nb, Location) {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              // Exactly k keys >= t: their indices in order, a vector's
              // lane mask at a time, one store per set bit (few: k is a
              // small part of N). No compress store: Zen's microcodes
              // vpcompress to memory at ~100 cycles.
              auto bitsType = b.getIntegerType(kb.vectorWidth);
              Type i64 = b.getI64Type();
              Value tv = vector::BroadcastOp::create(b, loc, keys.ivec(), t);
              loops.fold(kb.index(0), [&](Value pos, Value c, Value m) {
                Value take = kb.cmp(P::uge, keyAt(c, m), tv);
                if (m)
                  take = arith::AndIOp::create(b, loc, take, m);
                Value bits = vector::ExtractOp::create(
                    b, loc,
                    vector::BitCastOp::create(
                        b, loc, VectorType::get({1}, bitsType), take),
                    ArrayRef<int64_t>{0});
                bits = arith::ExtUIOp::create(b, loc, i64, bits);
                Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
                auto each = scf::WhileOp::create(
                    b, loc, TypeRange{i64, b.getIndexType()},
                    ValueRange{bits, pos},
                    [&](OpBuilder &nb2, Location, ValueRange st) {
                      OpBuilder::InsertionGuard g2(b);
                      b.setInsertionPoint(nb2.getInsertionBlock(),
                                          nb2.getInsertionPoint());
                      scf::ConditionOp::create(b, loc,
                                               kb.cmp(P::ne, st[0], zero), st);
                    },
                    [&](OpBuilder &nb2, Location, ValueRange st) {
                      OpBuilder::InsertionGuard g2(b);
                      b.setInsertionPoint(nb2.getInsertionBlock(),
                                          nb2.getInsertionPoint());
                      Value lane =
                          math::CountTrailingZerosOp::create(b, loc, st[0]);
                      Value id = arith::AddIOp::create(
                          b, loc, lane,
                          arith::IndexCastOp::create(b, loc, i64, c));
                      memref::StoreOp::create(b, loc, id, y,
                                              ValueRange{row, st[1]});
                      Value rest = arith::AndIOp::create(
                          b, loc, st[0],
                          arith::SubIOp::create(
                              b, loc, st[0],
                              arith::ConstantIntOp::create(b, loc, i64, 1)));
                      scf::YieldOp::create(
                          b, loc, ValueRange{rest, kb.add(st[1], kb.index(1))});
                    });
                return each.getResult(1);
              });
              scf::YieldOp::create(b, loc);
            },
            [&](OpBuilder &nb, Location) {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPoint(nb.getInsertionBlock(),
                                  nb.getInsertionPoint());
              // Equal keys straddle the k-th place: all keys above t, then the
              // first (k - above) equal to it, in one ordered scan.
              Value need =
                  arith::SubIOp::create(b, loc, kI32, count(P::ugt, t));
              kb.loop(kb.index(0), n, kb.index(1),
                      ValueRange{kb.index(0), keys.i32(0)},
                      [&](Value i, ValueRange s) {
                        Value key = keys.key(memref::LoadOp::create(
                            b, loc, x, ValueRange{row, i}));
                        Value equal = kb.cmp(P::eq, key, t);
                        Value take = arith::OrIOp::create(
                            b, loc, kb.cmp(P::ugt, key, t),
                            arith::AndIOp::create(b, loc, equal,
                                                  kb.cmp(P::slt, s[1], need)));
                        scf::IfOp::create(
                            b, loc, take, [&](OpBuilder &ib, Location il) {
                              Value id = arith::IndexCastOp::create(
                                  ib, il, ib.getI64Type(), i);
                              memref::StoreOp::create(ib, il, id, y,
                                                      ValueRange{row, s[0]});
                              scf::YieldOp::create(ib, il);
                            });
                        Value step = arith::IndexCastOp::create(
                            b, loc, b.getIndexType(),
                            arith::ExtUIOp::create(b, loc, i32, take));
                        return SmallVector<Value>{
                            kb.add(s[0], step),
                            arith::AddIOp::create(
                                b, loc, s[1],
                                arith::ExtUIOp::create(b, loc, i32, equal))};
                      });
              scf::YieldOp::create(b, loc);
            });
      });
  rewriter.eraseOp(op);
  return success();
}

LogicalResult cpu::lowerGatherMlp(cpu::GatherMlpOp op, RewriterBase &rewriter,
                                  const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  KernelBuilder kb(rewriter, loc, options.vectorWidth);
  OpBuilder &b = kb.b;
  Value x = op.getInput(), ids = op.getNeurons(), up = op.getUpRows(),
        gate = op.getGateRows(), down = op.getDownRows(), y = op.getInit();
  Value m = kb.dim(x, 0), d = kb.dim(x, 1), k = kb.dim(ids, 1),
        f = kb.dim(up, 0), e = kb.dim(y, 1);
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto alloc = [&](Type elt, ValueRange sizes) -> Value {
    SmallVector<int64_t> shape(sizes.size(), ShapedType::kDynamic);
    return memref::AllocOp::create(b, loc, MemRefType::get(shape, elt), sizes);
  };
  auto loadI32 = [&](Value mem, Value i) {
    return memref::LoadOp::create(b, loc, mem, ValueRange{i}).getResult();
  };
  auto storeI32 = [&](Value v, Value mem, Value i) {
    memref::StoreOp::create(b, loc, v, mem, ValueRange{i});
  };
  auto toI32 = [&](Value i) {
    return arith::IndexCastOp::create(b, loc, i32, i).getResult();
  };
  // The neuron of pair (r, j), clamped into [0, F) as the op defines.
  Value last = kb.sub(f, kb.index(1));
  auto neuronOf = [&](Value r, Value j) {
    Value id = memref::LoadOp::create(b, loc, ids, ValueRange{r, j});
    if (!id.getType().isIndex())
      id = arith::IndexCastOp::create(b, loc, b.getIndexType(), id);
    return kb.max(kb.min(id, last), kb.index(0));
  };
  auto eachPair = [&](function_ref<void(Value r, Value nf)> body) {
    kb.loop(kb.index(0), m, 1, [&](Value r) {
      kb.loop(kb.index(0), k, 1, [&](Value j) { body(r, neuronOf(r, j)); });
    });
  };

  // Counting sort of the pairs by neuron: `ends[f]` is the end of neuron
  // f's rows in `rows`, and `ends[f - 1]` (0 for f = 0) their start.
  Value ends = alloc(i32, {kb.add(f, kb.index(1))});
  Value rows = alloc(i32, {kb.mul(m, k)});
  Value pairNeurons = alloc(i32, {kb.mul(m, k)});
  kb.loop(kb.index(0), kb.add(f, kb.index(1)), 1, [&](Value i) {
    storeI32(arith::ConstantIntOp::create(b, loc, i32, 0), ends, i);
  });
  eachPair([&](Value, Value nf) {
    Value at = kb.add(nf, kb.index(1));
    storeI32(
        arith::AddIOp::create(b, loc, loadI32(ends, at),
                              arith::ConstantIntOp::create(b, loc, i32, 1)),
        ends, at);
  });
  kb.loop(kb.index(1), kb.add(f, kb.index(1)), 1, [&](Value i) {
    storeI32(arith::AddIOp::create(b, loc, loadI32(ends, i),
                                   loadI32(ends, kb.sub(i, kb.index(1)))),
             ends, i);
  });
  eachPair([&](Value r, Value nf) {
    Value at = loadI32(ends, nf);
    Value slot = arith::IndexCastOp::create(b, loc, b.getIndexType(), at);
    storeI32(toI32(r), rows, slot);
    storeI32(toI32(nf), pairNeurons, slot);
    storeI32(arith::AddIOp::create(
                 b, loc, at, arith::ConstantIntOp::create(b, loc, i32, 1)),
             ends, nf);
  });

  Value upBias = op.getUpBias(), gateBias = op.getGateBias();
  Activation act = op.getActivation();
  auto scalarAt = [&](Value mem, Value i) -> Value {
    return kb.widen(memref::LoadOp::create(b, loc, mem, ValueRange{i}));
  };
  // h of the pairs p0 .. p0 + g - 1 of neuron nf (a vector of g, stored
  // at hidden[p0]). Each weight vector is loaded once for the g rows, and
  // the g dot products run as independent chains.
  Value hidden = alloc(f32, {kb.mul(m, k)});
  auto rowsOf = [&](Value p0, int64_t g) {
    SmallVector<Value> r;
    for (int64_t i = 0; i < g; ++i)
      r.push_back(kb.loadIndex(rows, kb.add(p0, kb.index(i))));
    return r;
  };
  // The weight rows of the next neuron are fetched while this one
  // computes: the selection makes the rows far apart in time, and each
  // neuron's rows are few.
  auto prefetch = [&](Value rowsOfWeight, Value row, Value c) {
    memref::PrefetchOp::create(b, loc, rowsOfWeight, ValueRange{row, c},
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
  };
  auto project = [&](Value nf, Value p0, int64_t g) -> Value {
    SmallVector<Value> r = rowsOf(p0, g);
    Value nextNeuron = kb.min(kb.add(nf, kb.index(1)), last);
    int64_t projections = gate ? 2 : 1;
    SmallVector<Value> zeros(g * projections, kb.splat(0.0));
    SmallVector<Value> sums = RowLoops::of(kb, d).fold(
        zeros, [&](ValueRange acc, Value c, Value mask) {
          prefetch(up, nextNeuron, c);
          if (gate)
            prefetch(gate, nextNeuron, c);
          Value wu = kb.load(up, {nf, c}, mask);
          Value wg = gate ? kb.load(gate, {nf, c}, mask) : Value();
          SmallVector<Value> next(acc.begin(), acc.end());
          for (int64_t i = 0; i < g; ++i) {
            Value xv = kb.load(x, {r[i], c}, mask);
            next[i] = kb.fma(xv, wu, acc[i]);
            if (gate)
              next[g + i] = kb.fma(xv, wg, acc[g + i]);
          }
          return next;
        });
    // The g rows' sums side by side in one vector, so that the bias and
    // the activation run once for all of them.
    auto gathered = [&](ValueRange vectors, Value bias) -> Value {
      SmallVector<Value> lanes;
      for (Value v : vectors)
        lanes.push_back(vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, v, Value(),
            KernelBuilder::reductionFlags()));
      Value sum = vector::FromElementsOp::create(
          b, loc, VectorType::get({g}, b.getF32Type()), lanes);
      if (!bias)
        return sum;
      return arith::AddFOp::create(
          b, loc, sum,
          vector::BroadcastOp::create(b, loc, sum.getType(),
                                      scalarAt(bias, nf)));
    };
    Value u = gathered(ValueRange(sums).take_front(g), upBias);
    Value h = gate
                  ? arith::MulFOp::create(
                        b, loc,
                        buildActivation(
                            b, loc, act,
                            gathered(ValueRange(sums).drop_front(g), gateBias)),
                        u)
                        .getResult()
                  : buildActivation(b, loc, act, u);
    return h;
  };
  // The start of bucket i of a counting sort whose `bucketEnds` end each
  // bucket: the previous bucket's end, 0 for the first.
  auto bucketStart = [&](Value bucketEnds, Value i) -> Value {
    return arith::SelectOp::create(
        b, loc, kb.cmp(arith::CmpIPredicate::eq, i, kb.index(0)), kb.index(0),
        kb.loadIndex(bucketEnds, kb.max(kb.sub(i, kb.index(1)), kb.index(0))));
  };
  // The first pair of neuron nf (its end is ends[nf]).
  auto startOf = [&](Value nf) { return bucketStart(ends, nf); };
  // out[rowOffset + r] += sum of h W_down[nf] over the pairs (r, nf) of the
  // neurons [f0, f1), row by row: the pairs are put in row order (a
  // counting sort into `order`, with `counts` [M + 1]), and each row's
  // slice of `out` stays in registers across its pairs, where updating it
  // per pair would read and write it in L2 each time.
  auto spread = [&](Value out, Value rowOffset, Value f0, Value f1,
                    Value counts, Value order) {
    Value p0 = startOf(f0), p1 = kb.loadIndex(ends, kb.sub(f1, kb.index(1)));
    Value zero = arith::ConstantIntOp::create(b, loc, i32, 0);
    Value one = arith::ConstantIntOp::create(b, loc, i32, 1);
    kb.loop(kb.index(0), kb.add(m, kb.index(1)), 1,
            [&](Value r) { storeI32(zero, counts, r); });
    kb.loop(p0, p1, 1, [&](Value p) {
      Value at = kb.add(kb.loadIndex(rows, p), kb.index(1));
      storeI32(arith::AddIOp::create(b, loc, loadI32(counts, at), one), counts,
               at);
    });
    kb.loop(kb.index(1), kb.add(m, kb.index(1)), 1, [&](Value r) {
      storeI32(arith::AddIOp::create(b, loc, loadI32(counts, r),
                                     loadI32(counts, kb.sub(r, kb.index(1)))),
               counts, r);
    });
    // In pair order within a row: a row listed twice for one neuron sees
    // its first update before its second.
    kb.loop(p0, p1, 1, [&](Value p) {
      Value r = kb.loadIndex(rows, p);
      Value at = loadI32(counts, r);
      storeI32(toI32(p), order,
               arith::IndexCastOp::create(b, loc, b.getIndexType(), at));
      storeI32(arith::AddIOp::create(b, loc, at, one), counts, r);
    });
    // Now counts[r] ends row r's pairs and counts[r - 1] starts them.
    kb.loop(kb.index(0), m, 1, [&](Value r) {
      Value first = bucketStart(counts, r);
      Value end = kb.loadIndex(counts, r);
      Value row = kb.add(rowOffset, r);
      Value any = kb.cmp(arith::CmpIPredicate::ult, first, end);
      scf::IfOp::create(b, loc, any, [&](OpBuilder &, Location) {
        // Columns [c0, c0 + chunk) of the row; lane masks only on the
        // last, ragged chunk (eight masks would not fit the mask
        // registers beside the loads).
        auto chunk = [&](Value c0, bool ragged) {
          SmallVector<Value> cols, masks, sums;
          for (int64_t i = 0; i < kSpreadVectors; ++i) {
            cols.push_back(kb.add(c0, kb.index(i * kb.vectorWidth)));
            masks.push_back(ragged ? kb.prefixMask(kb.sub(e, cols[i]))
                                   : Value());
            sums.push_back(kb.load(out, {row, cols[i]}, masks[i]));
          }
          scf::ForOp pairs = kb.loop(
              first, end, kb.index(1), sums, [&](Value q, ValueRange acc) {
                Value p = kb.loadIndex(order, q);
                Value nf = kb.loadIndex(pairNeurons, p);
                Value h = kb.broadcast(
                    memref::LoadOp::create(b, loc, hidden, ValueRange{p}));
                SmallVector<Value> next;
                for (int64_t i = 0; i < kSpreadVectors; ++i)
                  next.push_back(kb.fma(
                      h, kb.load(down, {nf, cols[i]}, masks[i]), acc[i]));
                return next;
              });
          for (int64_t i = 0; i < kSpreadVectors; ++i)
            kb.store(pairs.getResult(i), out, {row, cols[i]}, masks[i]);
        };
        int64_t width = kSpreadVectors * kb.vectorWidth;
        Value whole = kb.mul(
            arith::DivUIOp::create(b, loc, e, kb.index(width)).getResult(),
            kb.index(width));
        kb.loop(kb.index(0), whole, width,
                [&](Value c0) { chunk(c0, /*ragged=*/false); });
        kb.loop(whole, e, width, [&](Value c0) { chunk(c0, /*ragged=*/true); });
        scf::YieldOp::create(b, loc);
      });
    });
  };
  // Runs `body(p0, g)` over the pairs of neuron nf, in groups of `group`
  // rows per weight load, then one at a time.
  constexpr int64_t group = 4;
  auto eachGroup = [&](Value nf, function_ref<void(Value, int64_t)> body) {
    Value start = startOf(nf);
    Value end = kb.loadIndex(ends, nf);
    Value grouped =
        kb.add(start, kb.mul(arith::DivUIOp::create(b, loc, kb.sub(end, start),
                                                    kb.index(group)),
                             kb.index(group)));
    kb.loop(start, grouped, group, [&](Value p) { body(p, group); });
    kb.loop(grouped, end, 1, [&](Value p) { body(p, 1); });
  };
  // The pairs of neurons [fLo, fHi): first their h, neuron by neuron (each
  // neuron's up and gate rows read once for all its pairs), then their
  // updates of `out`, a block of kSpreadNeurons neurons at a time (their
  // W_down rows stay in L2 while the block's rows go by).
  auto accumulate = [&](Value out, Value rowOffset, Value fLo, Value fHi) {
    kb.loop(fLo, fHi, 1, [&](Value nf) {
      eachGroup(nf, [&](Value p, int64_t g) {
        vector::StoreOp::create(b, loc, project(nf, p, g), hidden,
                                ValueRange{p});
      });
    });
    Value counts = alloc(i32, {kb.add(m, kb.index(1))});
    Value order = alloc(i32, {kb.mul(m, k)});
    kb.loop(fLo, fHi, kSpreadNeurons, [&](Value f0) {
      spread(out, rowOffset, f0,
             kb.min(kb.add(f0, kb.index(kSpreadNeurons)), fHi), counts, order);
    });
    memref::DeallocOp::create(b, loc, counts);
    memref::DeallocOp::create(b, loc, order);
  };
  // Rows [r0, r1) of `out` (from `rowOffset`) set to the down bias, or 0.
  Value downBias = op.getDownBias();
  auto initRows = [&](Value out, Value r0, Value r1, bool bias) {
    kb.loop(r0, r1, 1, [&](Value r) {
      RowLoops::of(kb, e).each([&](Value c, Value mask) {
        Value v =
            bias && downBias ? kb.load(downBias, {c}, mask) : kb.splat(0.0);
        kb.store(v, out, {r, c}, mask);
      });
    });
  };

  int64_t threads = options.threads;
  if (threads <= 1) {
    initRows(y, kb.index(0), m, true);
    accumulate(y, kb.index(0), kb.index(0), f);
  } else {
    // Thread t accumulates neurons [F t / T, F (t + 1) / T) into rows
    // [M t, M (t + 1)) of `partial`; the sum of the copies and the bias
    // then go to the output.
    Value partial = alloc(f32, {kb.mul(m, kb.index(threads)), e});
    kb.parallel(kb.index(threads), threads, [&](Value t) {
      Value offset = kb.mul(t, m);
      initRows(partial, offset, kb.add(offset, m), false);
      auto bound = [&](Value i) {
        return arith::DivUIOp::create(b, loc, kb.mul(f, i), kb.index(threads))
            .getResult();
      };
      accumulate(partial, offset, bound(t), bound(kb.add(t, kb.index(1))));
    });
    kb.parallel(m, rowThreads(y, threads), [&](Value r) {
      RowLoops::of(kb, e).each([&](Value c, Value mask) {
        Value v = downBias ? kb.load(downBias, {c}, mask) : kb.splat(0.0);
        for (int64_t t = 0; t < threads; ++t)
          v = arith::AddFOp::create(
              b, loc, v,
              kb.load(partial, {kb.add(kb.mul(kb.index(t), m), r), c}, mask));
        kb.store(v, y, {r, c}, mask);
      });
    });
    memref::DeallocOp::create(b, loc, partial);
  }
  memref::DeallocOp::create(b, loc, ends);
  memref::DeallocOp::create(b, loc, rows);
  memref::DeallocOp::create(b, loc, pairNeurons);
  memref::DeallocOp::create(b, loc, hidden);
  rewriter.eraseOp(op);
  return success();
}
