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
  int64_t nr = packedType.getDimSize(2), vw = options.vectorWidth;
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
                 true};
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
    kb.loop(r0, full, mr, [&](Value m0) { g.tile(panel, m0, mr); });
    kb.loop(full, r1, 1, [&](Value m0) { g.tile(panel, m0, 1); });
  });
  rewriter.eraseOp(op);
  return success();
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
  Value k = kb.dim(packed, 1);
  Value n = kb.dim(w, kn ? 1 : 0);
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
