//===- GemmKernel.cpp - xf_cpu.gemm and pack_weights as vector loops ------===//
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

#include "KernelBuilder.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// One gemm on memrefs and its schedule.
struct GemmLowering {
  GemmOp op;
  KernelBuilder &kb;
  int64_t nr, vectors, threads;
  Value a, packed, bias, residual, c;
  Value m, k, n;
  bool raggedColumns;
  /// With bf16 panels: the input rounded to bf16, [M, 2 ceil(K / 2)].
  Value aPairs;

  /// aPairs from the input, the padding column zero.
  void roundInput() {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    int64_t vw = kb.vectorWidth;
    Value width = kb.mul(kb.dim(packed, 1), kb.index(2));
    aPairs = memref::AllocOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                        b.getBF16Type()),
        ValueRange{m, width}, b.getI64IntegerAttr(64));
    auto halfType = VectorType::get({vw}, b.getBF16Type());
    kb.parallel(m, threads, [&](Value row) {
      kb.loop(kb.index(0), width, vw, [&](Value c0) {
        Value v = kb.load(a, ValueRange{row, c0}, kb.prefixMask(kb.sub(k, c0)));
        kb.store(arith::TruncFOp::create(b, loc, halfType, v), aPairs,
                 ValueRange{row, c0}, kb.prefixMask(kb.sub(width, c0)));
      });
    });
  }

  /// As tile(), on bf16 pairs: per pair of rows of K, one AVX-512 BF16 dot
  /// product per accumulator with the row's two inputs broadcast. With AVX2
  /// (no such instruction) the pairs are widened to f32, split into their
  /// two rows and multiplied with FMAs: the same products, slower.
  void tilePairs(Value panel, Value m0, int64_t rows) {
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
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    scf::ForOp kLoop = kb.loop(
        kb.index(0), kb.dim(packed, 1), kb.index(1), zeros,
        [&](Value pair, ValueRange acc) {
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
                ValueRange{kb.add(m0, kb.index(i)), k0});
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
    epilogue(panel, m0, rows, kLoop.getResults());
  }

  /// Computes rows [m0, m0 + rows) x panel `panel` with `rows` accumulator
  /// rows held in registers.
  void tile(Value panel, Value m0, int64_t rows) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
    scf::ForOp kLoop = kb.loop(
        kb.index(0), k, kb.index(1), zeros, [&](Value kk, ValueRange acc) {
          SmallVector<Value> w;
          for (int64_t j = 0; j < vectors; ++j)
            w.push_back(kb.load(
                packed, ValueRange{panel, kk, kb.index(j * kb.vectorWidth)}));
          SmallVector<Value> next;
          for (int64_t i = 0; i < rows; ++i) {
            Value x = memref::LoadOp::create(
                b, loc, a, ValueRange{kb.add(m0, kb.index(i)), kk});
            Value xs = kb.broadcast(x);
            for (int64_t j = 0; j < vectors; ++j)
              next.push_back(vector::FMAOp::create(b, loc, xs, w[j],
                                                   acc[i * vectors + j]));
          }
          return next;
        });
    epilogue(panel, m0, rows, kLoop.getResults());
  }

  /// bias, activation and residual on the registers, then the stores.
  void epilogue(Value panel, Value m0, int64_t rows, ValueRange acc) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    std::optional<Activation> act = op.getActivation();
    for (int64_t j = 0; j < vectors; ++j) {
      Value col =
          kb.add(kb.mul(panel, kb.index(nr)), kb.index(j * kb.vectorWidth));
      // Only a ragged last panel needs masks; they cost nothing per FMA.
      Value mask = raggedColumns ? kb.prefixMask(kb.sub(n, col)) : Value();
      Value biasVec = bias ? kb.load(bias, ValueRange{col}, mask) : Value();
      for (int64_t i = 0; i < rows; ++i) {
        Value row = kb.add(m0, kb.index(i));
        Value v = acc[i * vectors + j];
        if (biasVec)
          v = arith::AddFOp::create(b, loc, v, biasVec);
        if (act)
          v = buildActivation(b, loc, *act, v);
        if (residual)
          v = arith::AddFOp::create(
              b, loc, v, kb.load(residual, ValueRange{row, col}, mask));
        kb.store(v, c, ValueRange{row, col}, mask);
      }
    }
  }
};

} // namespace

LogicalResult cpu::lowerGemm(GemmOp op, RewriterBase &rewriter,
                             const KernelOptions &options) {
  auto packedType = cast<MemRefType>(op.getPackedWeight().getType());
  int64_t vw = options.vectorWidth;
  int64_t nr = packedType.getDimSize(2);
  if (!ShapedType::isDynamic(nr))
    nr /= PackWeightsOp::rowsPerPackedRow(packedType.getElementType());
  if (ShapedType::isDynamic(nr) || nr % vw != 0)
    return op.emitOpError("needs a static panel width that is a multiple "
                          "of the vector width ")
           << vw;
  rewriter.setInsertionPoint(op);
  KernelBuilder kb(rewriter, op.getLoc(), vw);
  GemmLowering g{op,
                 kb,
                 nr,
                 nr / vw,
                 options.threads,
                 op.getInput(),
                 op.getPackedWeight(),
                 op.getBias(),
                 op.getResidual(),
                 op.getInit(),
                 Value(),
                 Value(),
                 Value(),
                 true,
                 Value()};
  g.m = kb.dim(g.c, 0);
  g.n = kb.dim(g.c, 1);
  g.k = kb.dim(g.a, 1);
  int64_t staticN = cast<MemRefType>(g.c.getType()).getDimSize(1);
  g.raggedColumns = ShapedType::isDynamic(staticN) || staticN % nr != 0;
  // Accumulators for MR rows x NR / VW vectors, the panel's vectors and a
  // broadcast must fit the register file (32 zmm or 16 ymm).
  int64_t registers = vw == 16 ? 32 : 16;
  int64_t mr =
      options.gemmTileRows > 0
          ? options.gemmTileRows
          : std::clamp<int64_t>((registers - g.vectors - 1) / g.vectors, 1, 8);

  // Work items: every panel, and the rows split into chunks when there are
  // too few panels to keep the threads busy.
  int64_t staticPanels = packedType.getDimSize(0);
  int64_t chunks = 1;
  if (options.threads > 1 && !ShapedType::isDynamic(staticPanels) &&
      staticPanels < 2 * options.threads)
    chunks = (2 * options.threads + staticPanels - 1) / staticPanels;
  if (packedType.getElementType().isBF16())
    g.roundInput();
  Value panels = kb.dim(g.packed, 0);
  Value items = kb.mul(panels, kb.index(chunks));
  kb.parallel(items, options.threads, [&](Value item) {
    Value panel =
        arith::DivUIOp::create(rewriter, kb.loc, item, kb.index(chunks));
    Value chunk =
        arith::RemUIOp::create(rewriter, kb.loc, item, kb.index(chunks));
    // Chunk rows, rounded to whole tiles.
    Value perChunk = kb.mul(kb.divUp(kb.divUp(g.m, chunks), mr), kb.index(mr));
    Value r0 = kb.min(kb.mul(chunk, perChunk), g.m);
    Value r1 = kb.min(kb.add(r0, perChunk), g.m);
    Value full =
        kb.add(r0, kb.mul(arith::DivUIOp::create(rewriter, kb.loc,
                                                 kb.sub(r1, r0), kb.index(mr)),
                          kb.index(mr)));
    auto tile = [&](Value m0, int64_t rows) {
      if (g.aPairs)
        g.tilePairs(panel, m0, rows);
      else
        g.tile(panel, m0, rows);
    };
    kb.loop(r0, full, mr, [&](Value m0) { tile(m0, mr); });
    kb.loop(full, r1, 1, [&](Value m0) { tile(m0, 1); });
  });
  if (g.aPairs)
    memref::DeallocOp::create(rewriter, kb.loc, g.aPairs);
  rewriter.eraseOp(op);
  return success();
}

/// Packs into bf16 pairs: packed[p][k / 2][2 j + k % 2] = W(k, p NR + j),
/// rounded to bf16, zero past K and N. Packing runs once per weight, so
/// it is written for clarity: one element at a time.
static void packPairs(PackWeightsOp op, KernelBuilder &kb,
                      const KernelOptions &options) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value w = op.getWeight(), packed = op.getInit();
  bool kn = op.getWeightLayout() == WeightLayout::kn;
  Value k = kb.dim(w, kn ? 0 : 1), n = kb.dim(w, kn ? 1 : 0);
  int64_t nr = cast<MemRefType>(packed.getType()).getDimSize(2) / 2;
  Type bf16 = b.getBF16Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(bf16));
  kb.parallel(kb.dim(packed, 0), options.threads, [&](Value panel) {
    kb.loop(kb.index(0), kb.dim(packed, 1), 1, [&](Value pair) {
      kb.loop(kb.index(0), kb.index(2 * nr), 1, [&](Value slot) {
        Value j = arith::DivUIOp::create(b, loc, slot, kb.index(2));
        Value r = kb.add(kb.mul(pair, kb.index(2)),
                         arith::RemUIOp::create(b, loc, slot, kb.index(2)));
        Value col = kb.add(kb.mul(panel, kb.index(nr)), j);
        Value inside = arith::AndIOp::create(
            b, loc, kb.cmp(arith::CmpIPredicate::slt, col, n),
            kb.cmp(arith::CmpIPredicate::slt, r, k));
        auto ifOp = scf::IfOp::create(b, loc, TypeRange{bf16}, inside,
                                      /*withElseRegion=*/true);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(ifOp.thenBlock());
          Value v = memref::LoadOp::create(
              b, loc, w, kn ? ValueRange{r, col} : ValueRange{col, r});
          if (!v.getType().isBF16())
            v = arith::TruncFOp::create(b, loc, bf16, kb.widen(v));
          scf::YieldOp::create(b, loc, v);
          b.setInsertionPointToStart(ifOp.elseBlock());
          scf::YieldOp::create(b, loc, zero);
        }
        memref::StoreOp::create(b, loc, ifOp.getResult(0), packed,
                                ValueRange{panel, pair, slot});
      });
    });
  });
}

LogicalResult cpu::lowerPackWeights(PackWeightsOp op, RewriterBase &rewriter,
                                    const KernelOptions &options) {
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  KernelBuilder kb(rewriter, loc, options.vectorWidth);
  Value w = op.getWeight(), packed = op.getInit();
  auto packedType = cast<MemRefType>(packed.getType());
  int64_t nr = packedType.getDimSize(2), vw = options.vectorWidth;
  bool kn = op.getWeightLayout() == WeightLayout::kn;
  Value n = kb.dim(w, kn ? 1 : 0);
  if (packedType.getElementType().isBF16()) {
    packPairs(op, kb, options);
    rewriter.eraseOp(op);
    return success();
  }
  Value k = kb.dim(packed, 1);
  kb.parallel(kb.dim(packed, 0), options.threads, [&](Value panel) {
    Value col0 = kb.mul(panel, kb.index(nr));
    if (kn && nr % vw == 0) {
      // Rows of the weight are contiguous: copy them a vector at a time.
      kb.loop(kb.index(0), k, 1, [&](Value kk) {
        for (int64_t j = 0; j < nr; j += vw) {
          Value col = kb.add(col0, kb.index(j));
          Value mask = kb.prefixMask(kb.sub(n, col));
          Value v = kb.load(w, ValueRange{kk, col}, mask);
          kb.store(v, packed, ValueRange{panel, kk, kb.index(j)});
        }
      });
      return;
    }
    // [N, K]: each packed column is a weight row; zero past N.
    kb.loop(kb.index(0), kb.index(nr), 1, [&](Value j) {
      Value col = kb.add(col0, j);
      Value inside = arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::slt, col, n);
      Value src = kb.min(col, kb.sub(n, kb.index(1)));
      kb.loop(kb.index(0), k, 1, [&](Value kk) {
        Value v = kb.widen(memref::LoadOp::create(
            rewriter, loc, w, kn ? ValueRange{kk, src} : ValueRange{src, kk}));
        v = arith::SelectOp::create(rewriter, loc, inside, v, kb.f32(0.0));
        memref::StoreOp::create(rewriter, loc, v, packed,
                                ValueRange{panel, kk, j});
      });
    });
  });
  rewriter.eraseOp(op);
  return success();
}
