//===- GemmLowering.h - one xf_cpu.gemm and its schedule -------*- C++ -*-===//
//
// The state and tile builders of the GEMM lowering: f32, block-sparse and
// 2:4 panels in GemmKernel.cpp, bf16 pairs, int8 quads and AMX tiles in
// GemmLowPrecision.cpp; the schedule (work items, threads) in lowerGemm.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_CPU_GEMMLOWERING_H
#define XF_LIB_CODEGEN_CPU_GEMMLOWERING_H

#include "KernelBuilder.h"

#include "xf/Dialect/XfCpuOps.h"

namespace mlir::xf::cpu {

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
  void quantizeInput();

  /// sum over the quads [q0, q1) of K of xq * (w + 128), per accumulator:
  /// one AVX-512 VNNI dot product (vpdpbusd: unsigned weights times signed
  /// inputs, four products per i32 lane) per quad, or with AVX2 the bytes
  /// widened to i32.
  SmallVector<Value> quadProducts(Value panel, Value m0, int64_t rows, Value q0,
                                  Value q1);

  /// f32 values of the i32 sums of group `g`: (sum - 128 * sum_k xq) * xs *
  /// ws (the +128 of the weights taken back).
  SmallVector<Value> dequantize(Value panel, Value m0, int64_t rows,
                                ValueRange sums, Value g);

  /// As tile(), on int8 quads: per group of K the i32 sums, dequantized
  /// into f32 accumulators (once, per channel, without groups).
  void tileQuads(Value panel, Value m0, int64_t rows);

  /// aPairs from the input, the padding column zero.
  void roundInput();

  /// The width of aPairs: K padded to whole pairs.
  Value pairsWidth();

  /// The width of aQuads: K padded to whole quads.
  Value quadsWidth();

  /// Row `row` of the input rounded to bf16 into row `outRow` of aPairs.
  void roundRow(Value row, Value outRow);

  /// Rows [r0, r1) of the input, rounded or quantized, into the rows of
  /// aPairs or aQuads from the first, which then stand for input rows from
  /// r0 (inputBase).
  void convertRows(Value r0, Value r1);

  /// The row of aPairs, aQuads, aScale and aSums of input row m0 + i.
  Value inRow(Value m0, int64_t i);

  /// Whether the panels can be multiplied with AMX tiles: bf16 pairs, or
  /// int8 quads with one scale per channel (groups would need their sums
  /// apart).
  bool amxApplies(const KernelOptions &options) const;

  /// Rows [m0, m1) (whole blocks of kAmxRows, at most kAmxGroup of them) x
  /// panel `panel` with AMX tiles (amxProducts), their sums taken from
  /// amxOut row by row, with the products of the
  /// last packed rows of K, fewer than 16, added by the vector path
  /// (narrower tiles after full ones leave LLVM's tile register allocation
  /// without registers), to the epilogue. f32 sums of whole steps of K
  /// that nothing follows go from the tiles to the result.
  void tileAmx(Value panel, Value m0, Value m1);

  /// As tile(), on bf16 pairs: per pair of rows of K, one AVX-512 BF16 dot
  /// product per accumulator with the row's two inputs broadcast. With AVX2
  /// (no such instruction) the pairs are widened to f32, split into their
  /// two rows and multiplied with FMAs: the same products, slower.
  void tilePairs(Value panel, Value m0, int64_t rows);

  /// `init` plus the products of the pairs [p0, p1) of K (tilePairs).
  SmallVector<Value> pairProducts(Value panel, Value m0, int64_t rows, Value p0,
                                  Value p1, ValueRange init);

  /// The FMAs of one row of K: the panel's vectors at `wIndices` (plus the
  /// column offset) times input column `kk`, into the accumulators.
  SmallVector<Value> rowProducts(ValueRange wIndices, Value m0, int64_t rows,
                                 Value kk, ValueRange acc);

  /// The products of group `g` of 4 rows of K of a 2:4 panel: per input
  /// row, its 4 inputs in every 128-bit lane, permuted within the lane
  /// (vpermilps, which reads bits 0-1 of each selector lane) into the
  /// columns' first and second kept rows, times the kept values. `tail`:
  /// the group may run past K, whose inputs are then read masked.
  SmallVector<Value> groupProducts(Value panel, Value m0, int64_t rows, Value g,
                                   ValueRange acc, bool tail);

  /// As tile(), on 2:4 panels: two multiply-adds per group of 4 rows of K.
  void tileTwoOfFour(Value panel, Value m0, int64_t rows);

  /// As tile(), on the stored blocks of a block-sparse panel only.
  void tileBlocks(Value panel, Value m0, int64_t rows);

  /// Computes rows [m0, m0 + rows) x panel `panel` with `rows` accumulator
  /// rows held in registers.
  void tile(Value panel, Value m0, int64_t rows);

  /// bias, activation and residual on the registers, then the stores.
  void epilogue(Value panel, Value m0, int64_t rows, ValueRange acc);
};

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_GEMMLOWERING_H
