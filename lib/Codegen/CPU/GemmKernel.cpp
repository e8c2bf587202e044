//===- GemmKernel.cpp - xf_cpu.gemm as vector loops -----------------------===//
//
// The GEMM is register-tiled after the BLIS pattern, which reaches 93-97%
// of the FMA peak here (bench/run): a tile of
// MR rows x NR columns (NR / VW vectors) of accumulators lives in registers
// for the whole K loop; per k it loads the NR packed weights of the panel
// once and broadcasts one input element per row. Panels are the unit of
// parallel work; the input rows stream past each panel. This file holds
// the f32, block-sparse and 2:4 tiles, the epilogue and the schedule; the
// bf16, int8 and AMX products are in GemmLowPrecision.cpp.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "AttentionCommon.h"
#include "GemmAmx.h"
#include "GemmLowering.h"
#include "KernelBuilder.h"

#include "xf/Conversion/Activations.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

namespace {

/// Input rows per chunk of a block-sparse GEMM, in bytes: they stay in L2
/// across the panels (1.5 MiB measured best of 0.5, 1 and 1.5 MiB on a
/// Xeon with 2 MiB of L2 per core; an input that fits is one chunk).
constexpr int64_t kSparseInputBytes = 3 << 19;

/// One gemm on memrefs and its schedule.

} // namespace

SmallVector<Value> GemmLowering::rowProducts(ValueRange wIndices, Value m0,
                                             int64_t rows, Value kk,
                                             ValueRange acc) {
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
      next.push_back(
          vector::FMAOp::create(kb.b, kb.loc, xs, w[j], acc[i * vectors + j]));
  }
  return next;
}

SmallVector<Value> GemmLowering::groupProducts(Value panel, Value m0,
                                               int64_t rows, Value g,
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

void GemmLowering::tileTwoOfFour(Value panel, Value m0, int64_t rows) {
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

void GemmLowering::tileBlocks(Value panel, Value m0, int64_t rows) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Value bk = kb.dim(packed, 1);
  int64_t staticBk = cast<MemRefType>(packed.getType()).getDimSize(1);
  int64_t staticK = cast<MemRefType>(a.getType()).getDimSize(1);
  // Whole blocks everywhere: a constant trip count that LLVM unrolls.
  bool wholeBlocks = !ShapedType::isDynamic(staticBk) &&
                     !ShapedType::isDynamic(staticK) && staticK % staticBk == 0;
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
        scf::ForOp rowLoop = kb.loop(kb.index(0), count, kb.index(1), acc,
                                     [&](Value r, ValueRange inner) {
                                       return rowProducts({block, r}, m0, rows,
                                                          kb.add(k0, r), inner);
                                     });
        return SmallVector<Value>(rowLoop.getResults());
      });
  epilogue(panel, m0, rows, blockLoop.getResults());
}

void GemmLowering::tile(Value panel, Value m0, int64_t rows) {
  SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
  scf::ForOp kLoop = kb.loop(
      kb.index(0), k, kb.index(1), zeros, [&](Value kk, ValueRange acc) {
        return rowProducts({panel, kk}, m0, rows, kk, acc);
      });
  epilogue(panel, m0, rows, kLoop.getResults());
}

void GemmLowering::epilogue(Value panel, Value m0, int64_t rows,
                            ValueRange acc) {
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
  Value rowsPerChunk = kb.divUp(g.m, chunks);
  Value perChunk = kb.roundUp(rowsPerChunk, mr);
  int64_t amxChunk = kAmxGroup * kAmxRows;
  if (amx)
    perChunk =
        kb.max(kb.index(kAmxRows),
               kb.min(kb.index(amxChunk), kb.roundUp(rowsPerChunk, kAmxRows)));
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
