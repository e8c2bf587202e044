//===- GemmLowPrecision.cpp - bf16, int8 and AMX tiles of xf_cpu.gemm -----===//
//
// The GEMM's products on bf16 pairs (AVX-512 BF16 dot products, or widened
// to f32 with AVX2), on int8 quads (VNNI, or i32 products with AVX2) with
// their dequantizing epilogue, and on AMX tiles (GemmAmx.cpp), with the
// rounding or quantization of the input rows they need.
//
//===----------------------------------------------------------------------===//

#include "GemmAmx.h"
#include "GemmLowering.h"
#include "GemmQuantize.h"
#include "Kernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

void GemmLowering::quantizeInput() {
  QuantizedRows q = quantizeRows(kb, a, m, k, quadsWidth(), group, threads);
  aQuads = q.quads;
  aScale = q.scales;
  aSums = q.sums;
  groups = q.groups;
}

SmallVector<Value> GemmLowering::quadProducts(Value panel, Value m0,
                                              int64_t rows, Value q0,
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
            Value x =
                arith::ExtSIOp::create(b, loc, VectorType::get({4}, i32), four);
            for (int64_t j = 0; j < vectors; ++j) {
              Value wide = arith::ExtUIOp::create(
                  b, loc, VectorType::get({4 * vw}, i32), w[j]);
              Value sum = acc[i * vectors + j];
              for (int64_t t = 0; t < 4; ++t) {
                SmallVector<int64_t> lanes;
                for (int64_t l = 0; l < vw; ++l)
                  lanes.push_back(4 * l + t);
                Value wt = vector::ShuffleOp::create(b, loc, wide, wide, lanes);
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
              b, loc, bytes, vector::BroadcastOp::create(b, loc, i32Vec, word));
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

SmallVector<Value> GemmLowering::dequantize(Value panel, Value m0, int64_t rows,
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
                                             ValueRange{col, g}, offsets, mask,
                                             kb.splat(0.0)));
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

void GemmLowering::tileQuads(Value panel, Value m0, int64_t rows) {
  Value quads = kb.dim(packed, 1);
  if (!group) {
    SmallVector<Value> sums = quadProducts(panel, m0, rows, kb.index(0), quads);
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

void GemmLowering::roundInput() {
  aPairs = memref::AllocOp::create(
      kb.b, kb.loc,
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                      kb.b.getBF16Type()),
      ValueRange{m, pairsWidth()}, kb.b.getI64IntegerAttr(64));
  kb.parallel(m, threads, [&](Value row) { roundRow(row, row); });
}

Value GemmLowering::pairsWidth() {
  return kb.mul(kb.dim(packed, 1), kb.index(2));
}

Value GemmLowering::quadsWidth() {
  return kb.mul(kb.dim(packed, 1), kb.index(4));
}

void GemmLowering::roundRow(Value row, Value outRow) {
  int64_t vw = kb.vectorWidth;
  Value width = pairsWidth();
  auto halfType = VectorType::get({vw}, kb.b.getBF16Type());
  kb.loop(kb.index(0), width, vw, [&](Value c0) {
    Value v = kb.load(a, ValueRange{row, c0}, kb.prefixMask(kb.sub(k, c0)));
    kb.store(arith::TruncFOp::create(kb.b, kb.loc, halfType, v), aPairs,
             ValueRange{outRow, c0}, kb.prefixMask(kb.sub(width, c0)));
  });
}

void GemmLowering::convertRows(Value r0, Value r1) {
  kb.loop(r0, r1, 1, [&](Value row) {
    Value outRow = kb.sub(row, r0);
    if (aPairs)
      roundRow(row, outRow);
    else
      quantizeRow(kb, a, row, k, quadsWidth(), group,
                  QuantizedRows{aQuads, aScale, aSums, groups}, outRow);
  });
}

Value GemmLowering::inRow(Value m0, int64_t i) {
  Value row = kb.add(m0, kb.index(i));
  return inputBase ? kb.sub(row, inputBase) : row;
}

bool GemmLowering::amxApplies(const KernelOptions &options) const {
  Type weights = cast<MemRefType>(packed.getType()).getElementType();
  return options.amx &&
         (weights.isBF16() || (weights.isSignlessInteger(8) && !group)) &&
         amxFits(kb, packed, nr);
}

void GemmLowering::tileAmx(Value panel, Value m0, Value m1) {
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

void GemmLowering::tilePairs(Value panel, Value m0, int64_t rows) {
  SmallVector<Value> zeros(rows * vectors, kb.splat(0.0));
  epilogue(
      panel, m0, rows,
      pairProducts(panel, m0, rows, kb.index(0), kb.dim(packed, 1), zeros));
}

SmallVector<Value> GemmLowering::pairProducts(Value panel, Value m0,
                                              int64_t rows, Value p0, Value p1,
                                              ValueRange init) {
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
          first.push_back(vector::ShuffleOp::create(b, loc, wide, wide, even));
          second.push_back(vector::ShuffleOp::create(b, loc, wide, wide, odd));
        }
        Value k0 = kb.mul(pair, kb.index(2));
        SmallVector<Value> next;
        for (int64_t i = 0; i < rows; ++i) {
          Value two = vector::LoadOp::create(
              b, loc, VectorType::get({2}, b.getBF16Type()), aPairs,
              ValueRange{inRow(m0, i), k0});
          if (!dot) {
            Value wide = kb.widen(two);
            Value x0 = kb.broadcast(vector::ExtractOp::create(b, loc, wide, 0));
            Value x1 = kb.broadcast(vector::ExtractOp::create(b, loc, wide, 1));
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
