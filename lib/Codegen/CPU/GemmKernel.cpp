//===- GemmKernel.cpp - xf_cpu.gemm as vector loops -----------------------===//
//
// The GEMM is register-tiled after the BLIS pattern, which reaches 93-97%
// of the FMA peak here (bench/run): a tile of
// MR rows x NR columns (NR / VW vectors) of accumulators lives in registers
// for the whole K loop; per k it loads the NR packed weights of the panel
// once and broadcasts one input element per row. Panels are the unit of
// parallel work; the input rows stream past each panel.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "AttentionCommon.h"
#include "GemmAmx.h"
#include "GemmQuantize.h"
#include "KernelBuilder.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// Input rows per chunk of a block-sparse GEMM, in bytes: they stay in L2
/// across the panels (1.5 MiB measured best of 0.5, 1 and 1.5 MiB on a
/// Xeon with 2 MiB of L2 per core; an input that fits is one chunk).
constexpr int64_t kSparseInputBytes = 3 << 19;

/// One gemm on memrefs and its schedule.
struct GemmLowering {
  GemmLowering(GemmOp op, KernelBuilder &kb) : op(op), kb(kb) {}

  GemmOp op;
  KernelBuilder &kb;
  int64_t nr = 0, vectors = 0, threads = 0;
  Value a, packed, bias, residual, c;
  Value m, k, n;
  bool raggedColumns = true;
  /// With bf16 panels: the input rounded to bf16, [M, 2 ceil(K / 2)] (with
  /// AMX tiles a worker's chunk of rows, see inputBase).
  Value aPairs;
  /// Where the rows of aPairs or aQuads (and aScale, aSums) are a chunk's
  /// (convertRows): the input row of their first. Null: all rows.
  Value inputBase;
  /// With AMX tiles: a work item's accumulators on their way from the
  /// tiles to the vector epilogue, [kAmxGroup * kAmxRows, NR].
  Value amxOut;
  /// With i8 panels: the weights' scales and group size (0: per channel),
  /// and the input quantized per row: its int8 values [M, 4 ceil(K / 4)],
  /// scales [M] and sums per group of K [M, groups] (with AMX tiles a
  /// worker's chunk of rows, see inputBase).
  Value weightScales;
  int64_t group = 0;
  Value aQuads, aScale, aSums, groups;
  /// With a block-sparse weight: the panels' block ranges and the blocks'
  /// rows of K (in blocks of `blockRows`).
  Value blockOffsets, blockRows;
  /// With a 2:4 weight: the kept values' rows in their group of 4.
  Value selectors;

  /// aQuads, aScale and aSums from the input (quantizeRows).
  void quantizeInput() {
    QuantizedRows q = quantizeRows(kb, a, m, k, quadsWidth(), group, threads);
    aQuads = q.quads;
    aScale = q.scales;
    aSums = q.sums;
    groups = q.groups;
  }

  /// sum over the quads [q0, q1) of K of xq * (w + 128), per accumulator:
  /// one AVX-512 VNNI dot product (vpdpbusd: unsigned weights times signed
  /// inputs, four products per i32 lane) per quad, or with AVX2 the bytes
  /// widened to i32.
  SmallVector<Value> quadProducts(Value panel, Value m0, int64_t rows, Value q0,
                                  Value q1) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    int64_t vw = kb.vectorWidth;
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    auto i32Vec = VectorType::get({vw}, i32);
    auto bytes = VectorType::get({4 * vw}, i8);
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32Vec, b.getI32IntegerAttr(0)));
    SmallVector<Value> zeros(rows * vectors, zero);
    StringAttr vnni = b.getStringAttr("llvm.x86.avx512.vpdpbusd.512");
    scf::ForOp loop =
        kb.loop(q0, q1, kb.index(1), zeros, [&](Value quad, ValueRange acc) {
          SmallVector<Value> w;
          for (int64_t j = 0; j < vectors; ++j)
            w.push_back(vector::LoadOp::create(
                b, loc, bytes, packed,
                ValueRange{panel, quad, kb.index(j * 4 * vw)}));
          Value k0 = kb.mul(quad, kb.index(4));
          SmallVector<Value> next;
          for (int64_t i = 0; i < rows; ++i) {
            Value four =
                vector::LoadOp::create(b, loc, VectorType::get({4}, i8), aQuads,
                                       ValueRange{inRow(m0, i), k0});
            if (vw != 16) {
              // AVX2: w_t, the t-th byte of every column, times x_t.
              Value x = arith::ExtSIOp::create(b, loc,
                                               VectorType::get({4}, i32), four);
              for (int64_t j = 0; j < vectors; ++j) {
                Value wide = arith::ExtUIOp::create(
                    b, loc, VectorType::get({4 * vw}, i32), w[j]);
                Value sum = acc[i * vectors + j];
                for (int64_t t = 0; t < 4; ++t) {
                  SmallVector<int64_t> lanes;
                  for (int64_t l = 0; l < vw; ++l)
                    lanes.push_back(4 * l + t);
                  Value wt =
                      vector::ShuffleOp::create(b, loc, wide, wide, lanes);
                  Value xt = vector::BroadcastOp::create(
                      b, loc, i32Vec, vector::ExtractOp::create(b, loc, x, t));
                  sum = arith::AddIOp::create(
                      b, loc, sum, arith::MulIOp::create(b, loc, wt, xt));
                }
                next.push_back(sum);
              }
              continue;
            }
            // The row's four bytes in every i32 lane.
            Value word = vector::ExtractOp::create(
                b, loc,
                vector::BitCastOp::create(b, loc, VectorType::get({1}, i32),
                                          four),
                0);
            Value xs = vector::BitCastOp::create(
                b, loc, bytes,
                vector::BroadcastOp::create(b, loc, i32Vec, word));
            for (int64_t j = 0; j < vectors; ++j)
              next.push_back(LLVM::CallIntrinsicOp::create(
                                 b, loc, i32Vec, vnni,
                                 ValueRange{acc[i * vectors + j], w[j], xs})
                                 .getResult(0));
          }
          return next;
        });
    return loop.getResults();
  }

  /// f32 values of the i32 sums of group `g`: (sum - 128 * sum_k xq) * xs *
  /// ws (the +128 of the weights taken back).
  SmallVector<Value> dequantize(Value panel, Value m0, int64_t rows,
                                ValueRange sums, Value g) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    int64_t vw = kb.vectorWidth;
    auto i32Vec = VectorType::get({vw}, b.getI32Type());
    SmallVector<Value> scale;
    for (int64_t j = 0; j < vectors; ++j) {
      Value col = kb.add(kb.mul(panel, kb.index(nr)), kb.index(j * vw));
      Value mask = kb.prefixMask(kb.sub(n, col));
      if (!group) {
        scale.push_back(kb.load(weightScales, ValueRange{col}, mask));
        continue;
      }
      // Scales [N, groups]: the group's column of them, strided.
      Value offsets = kb.laneOffsets(groups);
      scale.push_back(vector::GatherOp::create(b, loc, kb.vec(), weightScales,
                                               ValueRange{col, g}, offsets,
                                               mask, kb.splat(0.0)));
    }
    SmallVector<Value> out;
    for (int64_t i = 0; i < rows; ++i) {
      Value row = inRow(m0, i);
      Value xs = kb.broadcast(memref::LoadOp::create(b, loc, aScale, row));
      Value shift = vector::BroadcastOp::create(
          b, loc, i32Vec,
          arith::MulIOp::create(
              b, loc, memref::LoadOp::create(b, loc, aSums, ValueRange{row, g}),
              arith::ConstantIntOp::create(b, loc, b.getI32Type(), 128)));
      for (int64_t j = 0; j < vectors; ++j) {
        Value exact = arith::SIToFPOp::create(
            b, loc, kb.vec(),
            arith::SubIOp::create(b, loc, sums[i * vectors + j], shift));
        out.push_back(arith::MulFOp::create(
            b, loc, exact, arith::MulFOp::create(b, loc, xs, scale[j])));
      }
    }
    return out;
  }

  /// As tile(), on int8 quads: per group of K the i32 sums, dequantized
  /// into f32 accumulators (once, per channel, without groups).
  void tileQuads(Value panel, Value m0, int64_t rows) {
    Value quads = kb.dim(packed, 1);
    if (!group) {
      SmallVector<Value> sums =
          quadProducts(panel, m0, rows, kb.index(0), quads);
      epilogue(panel, m0, rows, dequantize(panel, m0, rows, sums, kb.index(0)));
      return;
    }
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    int64_t perGroup = group / 4;
    scf::ForOp loop = kb.loop(
        kb.index(0), groups, kb.index(1), zeros, [&](Value g, ValueRange acc) {
          Value q0 = kb.mul(g, kb.index(perGroup));
          Value q1 = kb.min(kb.add(q0, kb.index(perGroup)), quads);
          SmallVector<Value> part = dequantize(
              panel, m0, rows, quadProducts(panel, m0, rows, q0, q1), g);
          SmallVector<Value> next;
          for (auto [x, y] : llvm::zip(acc, part))
            next.push_back(arith::AddFOp::create(kb.b, kb.loc, x, y));
          return next;
        });
    epilogue(panel, m0, rows, loop.getResults());
  }

  /// aPairs from the input, the padding column zero.
  void roundInput() {
    aPairs = memref::AllocOp::create(
        kb.b, kb.loc,
        MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                        kb.b.getBF16Type()),
        ValueRange{m, pairsWidth()}, kb.b.getI64IntegerAttr(64));
    kb.parallel(m, threads, [&](Value row) { roundRow(row, row); });
  }

  /// The width of aPairs: K padded to whole pairs.
  Value pairsWidth() { return kb.mul(kb.dim(packed, 1), kb.index(2)); }
  /// The width of aQuads: K padded to whole quads.
  Value quadsWidth() { return kb.mul(kb.dim(packed, 1), kb.index(4)); }

  /// Row `row` of the input rounded to bf16 into row `outRow` of aPairs.
  void roundRow(Value row, Value outRow) {
    int64_t vw = kb.vectorWidth;
    Value width = pairsWidth();
    auto halfType = VectorType::get({vw}, kb.b.getBF16Type());
    kb.loop(kb.index(0), width, vw, [&](Value c0) {
      Value v = kb.load(a, ValueRange{row, c0}, kb.prefixMask(kb.sub(k, c0)));
      kb.store(arith::TruncFOp::create(kb.b, kb.loc, halfType, v), aPairs,
               ValueRange{outRow, c0}, kb.prefixMask(kb.sub(width, c0)));
    });
  }

  /// Rows [r0, r1) of the input, rounded or quantized, into the rows of
  /// aPairs or aQuads from the first, which then stand for input rows from
  /// r0 (inputBase).
  void convertRows(Value r0, Value r1) {
    kb.loop(r0, r1, 1, [&](Value row) {
      Value outRow = kb.sub(row, r0);
      if (aPairs)
        roundRow(row, outRow);
      else
        quantizeRow(kb, a, row, k, quadsWidth(), group,
                    QuantizedRows{aQuads, aScale, aSums, groups}, outRow);
    });
  }

  /// The row of aPairs, aQuads, aScale and aSums of input row m0 + i.
  Value inRow(Value m0, int64_t i) {
    Value row = kb.add(m0, kb.index(i));
    return inputBase ? kb.sub(row, inputBase) : row;
  }

  /// Whether the panels can be multiplied with AMX tiles: bf16 pairs, or
  /// int8 quads with one scale per channel (groups would need their sums
  /// apart).
  bool amxApplies(const KernelOptions &options) const {
    Type weights = cast<MemRefType>(packed.getType()).getElementType();
    return options.amx &&
           (weights.isBF16() || (weights.isSignlessInteger(8) && !group)) &&
           amxFits(kb, packed, nr);
  }

  /// Rows [m0, m1) (whole blocks of kAmxRows, at most kAmxGroup of them) x
  /// panel `panel` with AMX tiles (amxProducts), their sums taken from
  /// amxOut row by row, with the products of the
  /// last packed rows of K, fewer than 16, added by the vector path
  /// (narrower tiles after full ones leave LLVM's tile register allocation
  /// without registers), to the epilogue. f32 sums of whole steps of K
  /// that nothing follows go from the tiles to the result.
  void tileAmx(Value panel, Value m0, Value m1) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    bool int8 = aQuads != nullptr;
    int64_t rows = cast<MemRefType>(packed.getType()).getDimSize(1);
    int64_t whole = rows / 16 * 16;
    AmxOperands ops{int8 ? aQuads : aPairs, packed, amxOut, nr};
    bool direct = !int8 && rows == whole && !raggedColumns && !bias &&
                  !residual && !op.getActivation();
    if (direct) {
      ops.result = c;
      ops.resultRow = m0;
      ops.resultCol = kb.mul(panel, kb.index(nr));
    }
    amxProducts(kb, ops, panel, inRow(m0, 0), inRow(m1, 0));
    if (direct)
      return;
    kb.loop(kb.index(0), kb.sub(m1, m0), 1, [&](Value r) {
      Value row = kb.add(m0, r);
      SmallVector<Value> sums;
      for (int64_t j = 0; j < vectors; ++j)
        sums.push_back(
            kb.load(amxOut, ValueRange{r, kb.index(j * kb.vectorWidth)}));
      Value from = kb.index(whole), to = kb.index(rows);
      if (!int8) {
        if (rows > whole)
          sums = pairProducts(panel, row, 1, from, to, sums);
        epilogue(panel, row, 1, sums);
        return;
      }
      if (rows > whole) {
        SmallVector<Value> tail = quadProducts(panel, row, 1, from, to);
        for (auto [sum, more] : llvm::zip(sums, tail))
          sum = arith::AddIOp::create(b, loc, sum, more);
      }
      epilogue(panel, row, 1, dequantize(panel, row, 1, sums, kb.index(0)));
    });
  }

  /// As tile(), on bf16 pairs: per pair of rows of K, one AVX-512 BF16 dot
  /// product per accumulator with the row's two inputs broadcast. With AVX2
  /// (no such instruction) the pairs are widened to f32, split into their
  /// two rows and multiplied with FMAs: the same products, slower.
  void tilePairs(Value panel, Value m0, int64_t rows) {
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    epilogue(
        panel, m0, rows,
        pairProducts(panel, m0, rows, kb.index(0), kb.dim(packed, 1), zeros));
  }

  /// `init` plus the products of the pairs [p0, p1) of K (tilePairs).
  SmallVector<Value> pairProducts(Value panel, Value m0, int64_t rows, Value p0,
                                  Value p1, ValueRange init) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    int64_t vw = kb.vectorWidth;
    bool dot = vw == 16;
    auto pairVec = VectorType::get({2 * vw}, b.getBF16Type());
    SmallVector<int64_t> even, odd;
    for (int64_t l = 0; l < vw; ++l) {
      even.push_back(2 * l);
      odd.push_back(2 * l + 1);
    }
    scf::ForOp kLoop =
        kb.loop(p0, p1, kb.index(1), init, [&](Value pair, ValueRange acc) {
          // The panel's vectors of pairs; without dot products, each as its
          // first and second row in f32.
          SmallVector<Value> w, first, second;
          for (int64_t j = 0; j < vectors; ++j) {
            w.push_back(vector::LoadOp::create(
                b, loc, pairVec, packed,
                ValueRange{panel, pair, kb.index(j * 2 * vw)}));
            if (dot)
              continue;
            Value wide = kb.widen(w.back());
            first.push_back(
                vector::ShuffleOp::create(b, loc, wide, wide, even));
            second.push_back(
                vector::ShuffleOp::create(b, loc, wide, wide, odd));
          }
          Value k0 = kb.mul(pair, kb.index(2));
          SmallVector<Value> next;
          for (int64_t i = 0; i < rows; ++i) {
            Value two = vector::LoadOp::create(
                b, loc, VectorType::get({2}, b.getBF16Type()), aPairs,
                ValueRange{inRow(m0, i), k0});
            if (!dot) {
              Value wide = kb.widen(two);
              Value x0 =
                  kb.broadcast(vector::ExtractOp::create(b, loc, wide, 0));
              Value x1 =
                  kb.broadcast(vector::ExtractOp::create(b, loc, wide, 1));
              for (int64_t j = 0; j < vectors; ++j)
                next.push_back(kb.fma(
                    x1, second[j], kb.fma(x0, first[j], acc[i * vectors + j])));
              continue;
            }
            Value word = vector::ExtractOp::create(
                b, loc,
                vector::BitCastOp::create(
                    b, loc, VectorType::get({1}, b.getI32Type()), two),
                0);
            Value xs = vector::BitCastOp::create(
                b, loc, pairVec,
                vector::BroadcastOp::create(
                    b, loc, VectorType::get({vw}, b.getI32Type()), word));
            for (int64_t j = 0; j < vectors; ++j)
              next.push_back(x86vector::DotBF16Op::create(
                  b, loc, kb.vec(), acc[i * vectors + j], xs, w[j]));
          }
          return next;
        });
    return kLoop.getResults();
  }

  /// The FMAs of one row of K: the panel's vectors at `wIndices` (plus the
  /// column offset) times input column `kk`, into the accumulators.
  SmallVector<Value> rowProducts(ValueRange wIndices, Value m0, int64_t rows,
                                 Value kk, ValueRange acc) {
    SmallVector<Value> w;
    for (int64_t j = 0; j < vectors; ++j) {
      SmallVector<Value> at(wIndices);
      at.push_back(kb.index(j * kb.vectorWidth));
      w.push_back(kb.load(packed, at));
    }
    SmallVector<Value> next;
    for (int64_t i = 0; i < rows; ++i) {
      Value x = memref::LoadOp::create(kb.b, kb.loc, a,
                                       ValueRange{kb.add(m0, kb.index(i)), kk});
      Value xs = kb.broadcast(x);
      for (int64_t j = 0; j < vectors; ++j)
        next.push_back(vector::FMAOp::create(kb.b, kb.loc, xs, w[j],
                                             acc[i * vectors + j]));
    }
    return next;
  }

  /// The products of group `g` of 4 rows of K of a 2:4 panel: per input
  /// row, its 4 inputs in every 128-bit lane, permuted within the lane
  /// (vpermilps, which reads bits 0-1 of each selector lane) into the
  /// columns' first and second kept rows, times the kept values. `tail`:
  /// the group may run past K, whose inputs are then read masked.
  SmallVector<Value> groupProducts(Value panel, Value m0, int64_t rows, Value g,
                                   ValueRange acc, bool tail) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    int64_t vw = kb.vectorWidth;
    Type f32 = b.getF32Type();
    auto i32Vec = VectorType::get({vw}, b.getI32Type());
    auto four = VectorType::get({4}, f32);
    StringAttr permute =
        b.getStringAttr(vw == 16 ? "llvm.x86.avx512.vpermilvar.ps.512"
                                 : "llvm.x86.avx.vpermilvar.ps.256");
    Value two = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32Vec, b.getI32IntegerAttr(2)));
    SmallVector<Value> first, second, firstRow, secondRow;
    for (int64_t j = 0; j < vectors; ++j) {
      first.push_back(kb.load(packed, ValueRange{panel, g, kb.index(j * vw)}));
      second.push_back(
          kb.load(packed, ValueRange{panel, g, kb.index(nr + j * vw)}));
      Value bytes = vector::LoadOp::create(
          b, loc, VectorType::get({vw}, b.getI8Type()), selectors,
          ValueRange{panel, g, kb.index(j * vw)});
      firstRow.push_back(arith::ExtUIOp::create(b, loc, i32Vec, bytes));
      secondRow.push_back(arith::ShRUIOp::create(b, loc, firstRow.back(), two));
    }
    SmallVector<int64_t> lanes;
    for (int64_t l = 0; l < vw; ++l)
      lanes.push_back(l % 4);
    Value k0 = kb.mul(g, kb.index(4));
    Value zeros = arith::ConstantOp::create(b, loc, b.getZeroAttr(four));
    SmallVector<Value> next;
    for (int64_t i = 0; i < rows; ++i) {
      SmallVector<Value, 2> at = {kb.add(m0, kb.index(i)), k0};
      Value x = tail ? vector::MaskedLoadOp::create(
                           b, loc, four, a, at,
                           vector::CreateMaskOp::create(
                               b, loc, VectorType::get({4}, b.getI1Type()),
                               ValueRange{kb.sub(k, k0)}),
                           zeros)
                           .getResult()
                     : vector::LoadOp::create(b, loc, four, a, at).getResult();
      Value xs = vector::ShuffleOp::create(b, loc, x, x, lanes);
      for (int64_t j = 0; j < vectors; ++j) {
        auto pick = [&](Value rowsInGroup) {
          return LLVM::CallIntrinsicOp::create(b, loc, kb.vec(), permute,
                                               ValueRange{xs, rowsInGroup})
              .getResult(0);
        };
        Value sum = kb.fma(pick(firstRow[j]), first[j], acc[i * vectors + j]);
        next.push_back(kb.fma(pick(secondRow[j]), second[j], sum));
      }
    }
    return next;
  }

  /// As tile(), on 2:4 panels: two multiply-adds per group of 4 rows of K.
  void tileTwoOfFour(Value panel, Value m0, int64_t rows) {
    Value whole = arith::DivUIOp::create(kb.b, kb.loc, k, kb.index(4));
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    auto groups = [&](Value from, Value to, ValueRange init, bool tail) {
      return kb
          .loop(from, to, kb.index(1), init,
                [&](Value g, ValueRange acc) {
                  return groupProducts(panel, m0, rows, g, acc, tail);
                })
          .getResults();
    };
    ValueRange inside = groups(kb.index(0), whole, zeros, /*tail=*/false);
    epilogue(panel, m0, rows,
             groups(whole, kb.dim(packed, 1), inside, /*tail=*/true));
  }

  /// As tile(), on the stored blocks of a block-sparse panel only.
  void tileBlocks(Value panel, Value m0, int64_t rows) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    Value bk = kb.dim(packed, 1);
    int64_t staticBk = cast<MemRefType>(packed.getType()).getDimSize(1);
    int64_t staticK = cast<MemRefType>(a.getType()).getDimSize(1);
    // Whole blocks everywhere: a constant trip count that LLVM unrolls.
    bool wholeBlocks = !ShapedType::isDynamic(staticBk) &&
                       !ShapedType::isDynamic(staticK) &&
                       staticK % staticBk == 0;
    Value first = kb.loadIndex(blockOffsets, panel);
    Value last = kb.loadIndex(blockOffsets, kb.add(panel, kb.index(1)));
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    scf::ForOp blockLoop = kb.loop(
        first, last, kb.index(1), zeros, [&](Value block, ValueRange acc) {
          Value k0 = kb.mul(kb.loadIndex(blockRows, block), bk);
          // The input rows of the next stored block: its K offset jumps,
          // which the hardware prefetcher cannot follow.
          Value next =
              kb.min(kb.add(block, kb.index(1)), kb.sub(last, kb.index(1)));
          Value nextK0 = kb.mul(kb.loadIndex(blockRows, next), bk);
          for (int64_t i = 0; i < rows; ++i)
            memref::PrefetchOp::create(
                b, loc, a, ValueRange{kb.add(m0, kb.index(i)), nextK0},
                /*isWrite=*/false, /*localityHint=*/3, /*isDataCache=*/true);
          // Else the last block of K may be cut short.
          Value count = wholeBlocks ? bk : kb.min(bk, kb.sub(k, k0));
          scf::ForOp rowLoop = kb.loop(
              kb.index(0), count, kb.index(1), acc,
              [&](Value r, ValueRange inner) {
                return rowProducts({block, r}, m0, rows, kb.add(k0, r), inner);
              });
          return SmallVector<Value>(rowLoop.getResults());
        });
    epilogue(panel, m0, rows, blockLoop.getResults());
  }

  /// Computes rows [m0, m0 + rows) x panel `panel` with `rows` accumulator
  /// rows held in registers.
  void tile(Value panel, Value m0, int64_t rows) {
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    scf::ForOp kLoop = kb.loop(
        kb.index(0), k, kb.index(1), zeros, [&](Value kk, ValueRange acc) {
          return rowProducts({panel, kk}, m0, rows, kk, acc);
        });
    epilogue(panel, m0, rows, kLoop.getResults());
  }

  /// bias, activation and residual on the registers, then the stores.
  void epilogue(Value panel, Value m0, int64_t rows, ValueRange acc) {
    std::optional<Activation> act = op.getActivation();
    for (int64_t j = 0; j < vectors; ++j) {
      Value col =
          kb.add(kb.mul(panel, kb.index(nr)), kb.index(j * kb.vectorWidth));
      // Only a ragged last panel needs masks; they cost nothing per FMA.
      Value mask = raggedColumns ? kb.prefixMask(kb.sub(n, col)) : Value();
      Value biasVec = bias ? kb.load(bias, ValueRange{col}, mask) : Value();
      for (int64_t i = 0; i < rows; ++i) {
        Value row = kb.add(m0, kb.index(i));
        Value res =
            residual ? kb.load(residual, ValueRange{row, col}, mask) : Value();
        kb.store(applyEpilogue(kb, acc[i * vectors + j], biasVec, act, res), c,
                 ValueRange{row, col}, mask);
      }
    }
  }
};

} // namespace

Value cpu::applyEpilogue(KernelBuilder &kb, Value v, Value bias,
                         std::optional<Activation> act, Value residual) {
  if (bias)
    v = arith::AddFOp::create(kb.b, kb.loc, v, bias);
  if (act)
    v = buildActivation(kb.b, kb.loc, *act, v);
  if (residual)
    v = arith::AddFOp::create(kb.b, kb.loc, v, residual);
  return v;
}

LogicalResult cpu::lowerGemm(GemmOp op, RewriterBase &rewriter,
                             const KernelOptions &options) {
  auto packedType = cast<MemRefType>(op.getPackedWeight().getType());
  int64_t vw = options.vectorWidth;
  int64_t nr = packedType.getDimSize(2);
  if (Value selectors = op.getSelectors())
    nr = cast<MemRefType>(selectors.getType()).getDimSize(2);
  else if (!ShapedType::isDynamic(nr))
    nr /= PackWeightsOp::rowsPerPackedRow(packedType.getElementType());
  if (ShapedType::isDynamic(nr) || nr % vw != 0)
    return op.emitOpError("needs a static panel width that is a multiple "
                          "of the vector width ")
           << vw;
  rewriter.setInsertionPoint(op);
  KernelBuilder kb(rewriter, op.getLoc(), vw);
  GemmLowering g(op, kb);
  g.nr = nr;
  g.vectors = nr / vw;
  g.threads = options.threads;
  g.a = op.getInput();
  g.packed = op.getPackedWeight();
  g.bias = op.getBias();
  g.residual = op.getResidual();
  g.c = op.getInit();
  g.m = kb.dim(g.c, 0);
  g.n = kb.dim(g.c, 1);
  g.k = kb.dim(g.a, 1);
  int64_t staticN = cast<MemRefType>(g.c.getType()).getDimSize(1);
  g.raggedColumns = ShapedType::isDynamic(staticN) || staticN % nr != 0;
  // Accumulators for MR rows x NR / VW vectors, the panel's vectors and a
  // broadcast must fit the register file (32 zmm or 16 ymm).
  int64_t registers = vw == 16 ? 32 : 16;
  // With int8 groups, f32 accumulators live next to the i32 ones.
  int64_t perRow = g.vectors;
  if (packedType.getElementType().isSignlessInteger(8) && op.getGroupSize())
    perRow *= 2;
  // 2:4 panels hold two vectors of values and two of rows per vector, and
  // the permuted inputs need two more.
  int64_t operands = g.vectors + 1;
  g.selectors = op.getSelectors();
  if (g.selectors)
    operands = 4 * g.vectors + 3;
  int64_t mr = options.gemmTileRows > 0
                   ? options.gemmTileRows
                   : std::clamp<int64_t>((registers - operands) / perRow, 1, 8);

  // Work items: every panel, and the rows split into chunks when there are
  // too few panels to keep the threads busy.
  g.blockOffsets = op.getBlockOffsets();
  g.blockRows = op.getBlockRows();
  int64_t staticPanels = packedType.getDimSize(0);
  if (g.blockOffsets) {
    staticPanels = cast<MemRefType>(g.blockOffsets.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(staticPanels))
      staticPanels -= 1;
  }
  int64_t chunks = 1;
  if (options.threads > 1 && !ShapedType::isDynamic(staticPanels) &&
      staticPanels < 2 * options.threads)
    chunks = (2 * options.threads + staticPanels - 1) / staticPanels;
  bool bf16 = packedType.getElementType().isBF16();
  bool int8 = packedType.getElementType().isSignlessInteger(8);
  if (int8) {
    g.weightScales = op.getWeightScales();
    g.group = static_cast<int64_t>(op.getGroupSize().value_or(0));
  }
  bool amx = g.amxApplies(options);
  // With AMX tiles each worker rounds or quantizes the rows of a chunk as
  // it comes to them, into its own scratch (in its L2, with no pass over
  // all rows and no barrier before the products); otherwise all rows first.
  if (bf16 && !amx)
    g.roundInput();
  if (int8 && !amx)
    g.quantizeInput();
  Value panels = g.blockOffsets ? kb.sub(kb.dim(g.blockOffsets, 0), kb.index(1))
                                : kb.dim(g.packed, 0);
  // Chunks of rows: whole tiles, as many as the threads need where there
  // are few panels. With AMX tiles they are groups of row blocks, and with
  // block-sparse weights at most kSparseInputBytes of input rows; both go
  // chunk by chunk, a chunk's panels one after another, so that its rows of
  // the input stay in L2 across the panels (the tiles would wait for L3
  // otherwise, and a sparse panel's few blocks fetch scattered lines of
  // every row).
  bool chunkMajor = amx || g.blockOffsets;
  Value perChunk = kb.mul(kb.divUp(kb.divUp(g.m, chunks), mr), kb.index(mr));
  int64_t amxChunk = kAmxGroup * kAmxRows;
  if (amx)
    perChunk = kb.max(kb.index(kAmxRows),
                      kb.min(kb.index(amxChunk),
                             kb.mul(kb.divUp(kb.divUp(g.m, chunks), kAmxRows),
                                    kb.index(kAmxRows))));
  else if (g.blockOffsets)
    perChunk = kb.max(
        kb.index(mr),
        kb.min(perChunk,
               kb.mul(arith::DivUIOp::create(
                          rewriter, kb.loc,
                          kb.index(kSparseInputBytes / sizeof(float)),
                          kb.max(kb.mul(g.k, kb.index(mr)), kb.index(1))),
                      kb.index(mr))));
  Value chunkCount =
      chunkMajor ? arith::CeilDivUIOp::create(rewriter, kb.loc, g.m, perChunk)
                       .getResult()
                 : kb.index(chunks);
  Value items = kb.mul(panels, chunkCount);
  // The panel and rows [r0, r1) of a work item.
  struct Item {
    Value panel, chunk, r0, r1;
  };
  auto itemOf = [&](Value item) {
    Item it;
    if (chunkMajor) {
      it.chunk = arith::DivUIOp::create(rewriter, kb.loc, item, panels);
      it.panel = arith::RemUIOp::create(rewriter, kb.loc, item, panels);
    } else {
      it.panel = arith::DivUIOp::create(rewriter, kb.loc, item, chunkCount);
      it.chunk = arith::RemUIOp::create(rewriter, kb.loc, item, chunkCount);
    }
    it.r0 = kb.min(kb.mul(it.chunk, perChunk), g.m);
    it.r1 = kb.min(kb.add(it.r0, perChunk), g.m);
    return it;
  };
  auto multiply = [&](Value panel, Value r0, Value r1) {
    // The rows [r0, end) in whole tiles of `rows`, where they end.
    auto wholeTiles = [&](Value end, int64_t rows) {
      Value count = arith::DivUIOp::create(rewriter, kb.loc, kb.sub(r1, end),
                                           kb.index(rows));
      return kb.add(end, kb.mul(count, kb.index(rows)));
    };
    if (amx) {
      Value amxEnd = wholeTiles(r0, kAmxRows);
      g.tileAmx(panel, r0, amxEnd);
      r0 = amxEnd;
    }
    Value full = wholeTiles(r0, mr);
    auto tile = [&](Value m0, int64_t rows) {
      if (g.blockOffsets)
        g.tileBlocks(panel, m0, rows);
      else if (g.selectors)
        g.tileTwoOfFour(panel, m0, rows);
      else if (g.aQuads)
        g.tileQuads(panel, m0, rows);
      else if (g.aPairs)
        g.tilePairs(panel, m0, rows);
      else
        g.tile(panel, m0, rows);
    };
    kb.loop(r0, full, mr, [&](Value m0) { tile(m0, mr); });
    kb.loop(full, r1, 1, [&](Value m0) { tile(m0, 1); });
  };
  if (!amx) {
    kb.parallel(items, options.threads, [&](Value item) {
      Item it = itemOf(item);
      multiply(it.panel, it.r0, it.r1);
    });
    for (Value scratch : {g.aPairs, g.aQuads, g.aScale, g.aSums})
      if (scratch)
        memref::DeallocOp::create(rewriter, kb.loc, scratch);
    rewriter.eraseOp(op);
    return success();
  }
  // With AMX tiles: one loop per worker over its share of the items in
  // order, converting a chunk's rows when it first comes to the chunk.
  int64_t packedRows = packedType.getDimSize(1);
  int64_t rowBytes = bf16 ? 4 * packedRows : 4 * packedRows + 8;
  // A chunk's rows, or all of a smaller static M (a decode step's one row).
  int64_t staticM = cast<MemRefType>(g.c.getType()).getDimSize(0);
  int64_t chunkRows = ShapedType::isDynamic(staticM)
                          ? amxChunk
                          : std::clamp<int64_t>(staticM, 1, amxChunk);
  auto allocate = [&](Scratch &scratch) {
    if (bf16) {
      g.aPairs =
          scratch.buffer({chunkRows, 2 * packedRows}, rewriter.getBF16Type());
    } else {
      g.aQuads =
          scratch.buffer({chunkRows, 4 * packedRows}, rewriter.getI8Type());
      g.aScale = scratch.buffer({chunkRows});
      g.aSums = scratch.buffer({chunkRows, 1}, rewriter.getI32Type());
      g.groups = kb.index(1);
    }
    g.amxOut = scratch.buffer({amxChunk, nr},
                              amxSumType(rewriter, bf16 ? g.aPairs : g.aQuads));
  };
  Value workers = kb.index(std::max<int64_t>(options.threads, 1));
  parallelWithScratch(
      kb, workers, options.threads, chunkRows * rowBytes + amxChunk * 4 * nr,
      allocate, [&](Value worker) {
        auto share = [&](Value w) {
          return arith::DivUIOp::create(rewriter, kb.loc, kb.mul(items, w),
                                        workers)
              .getResult();
        };
        Value none = kb.index(-1);
        kb.loop(share(worker), share(kb.add(worker, kb.index(1))), kb.index(1),
                ValueRange{none},
                [&](Value item, ValueRange converted) -> SmallVector<Value> {
                  Item it = itemOf(item);
                  auto fresh = scf::IfOp::create(
                      rewriter, kb.loc,
                      kb.cmp(arith::CmpIPredicate::ne, it.chunk, converted[0]),
                      /*withElse=*/false);
                  {
                    OpBuilder::InsertionGuard guard(rewriter);
                    rewriter.setInsertionPointToStart(
                        &fresh.getThenRegion().front());
                    g.convertRows(it.r0, it.r1);
                  }
                  g.inputBase = it.r0;
                  multiply(it.panel, it.r0, it.r1);
                  return {it.chunk};
                });
      });
  rewriter.eraseOp(op);
  return success();
}
