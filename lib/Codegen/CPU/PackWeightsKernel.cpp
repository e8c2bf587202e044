//===- PackWeightsKernel.cpp - xf_cpu.pack_weights as loops ---------------===//
//
// Weights packed into the panels xf_cpu.gemm reads (GemmKernel.cpp): f32
// rows of NR columns, or bf16 pairs and int8 quads of rows of K interleaved
// per column. Packing runs once per weight.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "KernelBuilder.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

/// Packs into groups of `rows` rows of K (bf16 pairs, i8 quads):
/// packed[p][k / rows][rows j + k % rows] = W(k, p NR + j), rounded to bf16
/// or, for int8, shifted by 128 into an unsigned byte; padding past K and N
/// is a zero weight. Packing runs once per weight, so it is written for
/// clarity: one element at a time.
static void packInterleaved(PackWeightsOp op, KernelBuilder &kb,
                            const KernelOptions &options, int64_t rows) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value w = op.getWeight(), packed = op.getInit();
  bool kn = op.getWeightLayout() == WeightLayout::kn;
  Value k = kb.dim(w, kn ? 0 : 1), n = kb.dim(w, kn ? 1 : 0);
  auto packedType = cast<MemRefType>(packed.getType());
  int64_t nr = packedType.getDimSize(2) / rows;
  Type elt = packedType.getElementType();
  bool int8 = elt.isSignlessInteger(8);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elt));
  Value shift =
      int8 ? arith::ConstantIntOp::create(b, loc, elt, -128).getResult()
           : Value();
  kb.parallel(kb.dim(packed, 0), options.threads, [&](Value panel) {
    kb.loop(kb.index(0), kb.dim(packed, 1), 1, [&](Value group) {
      kb.loop(kb.index(0), kb.index(rows * nr), 1, [&](Value slot) {
        Value j = arith::DivUIOp::create(b, loc, slot, kb.index(rows));
        Value r = kb.add(kb.mul(group, kb.index(rows)),
                         arith::RemUIOp::create(b, loc, slot, kb.index(rows)));
        Value col = kb.add(kb.mul(panel, kb.index(nr)), j);
        Value inside = arith::AndIOp::create(
            b, loc, kb.cmp(arith::CmpIPredicate::slt, col, n),
            kb.cmp(arith::CmpIPredicate::slt, r, k));
        auto ifOp = scf::IfOp::create(b, loc, TypeRange{elt}, inside,
                                      /*withElseRegion=*/true);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(ifOp.thenBlock());
          Value v = memref::LoadOp::create(
              b, loc, w, kn ? ValueRange{r, col} : ValueRange{col, r});
          if (!int8 && v.getType() != elt)
            v = arith::TruncFOp::create(b, loc, elt, kb.widen(v));
          scf::YieldOp::create(b, loc, v);
          b.setInsertionPointToStart(ifOp.elseBlock());
          scf::YieldOp::create(b, loc, zero);
        }
        Value v = ifOp.getResult(0);
        if (int8) // q + 128 as an unsigned byte is q xor 0x80
          v = arith::XOrIOp::create(b, loc, v, shift);
        memref::StoreOp::create(b, loc, v, packed,
                                ValueRange{panel, group, slot});
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
  if (int64_t rows =
          PackWeightsOp::rowsPerPackedRow(packedType.getElementType());
      rows > 1) {
    packInterleaved(op, kb, options, rows);
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
