//===- GemmAmx.h - AMX tile blocks of xf_cpu.gemm ---------------*- C++ -*-===//
//
// The AMX products of the GEMM lowering (GemmLowPrecision.cpp): groups of
// blocks of kAmxRows input rows times one panel, on bf16 pairs or int8
// quads.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_CPU_GEMMAMX_H
#define XF_LIB_CODEGEN_CPU_GEMMAMX_H

#include "KernelBuilder.h"

namespace mlir::xf::cpu {

/// Rows per AMX block: two tiles of 16.
inline constexpr int64_t kAmxRows = 32;
/// Row blocks per work item: their sums, 16 KiB, stay in L1 with the
/// panel's K block.
inline constexpr int64_t kAmxGroup = 4;
/// Steps of 16 packed rows of K per K block: 16 KiB of a column-tile pair
/// of the panel, in L1 across the item's row blocks.
inline constexpr int64_t kAmxBlockSteps = 8;

/// What an AMX block reads and writes.
struct AmxOperands {
  /// The input rows as bf16 pairs [rows, 2 P] or quantized int8 [rows, 4 Q]
  /// (all of M, or a chunk's rows from the first).
  Value input;
  /// The panels: [panels, P pairs or Q quads, 2 or 4 x NR].
  Value packed;
  /// A work item's sums, [kAmxGroup * kAmxRows, NR] (amxSumType).
  Value sums;
  int64_t nr;
  /// Where nothing is left to add to the sums or apply to them: the
  /// result they are stored to after the last K block instead of `sums`,
  /// and its row of the first row block and column of the panel's first
  /// column. Null otherwise.
  Value result = {}, resultRow = {}, resultCol = {};
};

/// Whether panels of `nr` columns fit AMX tiles: vector width 16, whole
/// tiles of 16 columns, a static number of packed rows of K, at least one
/// step of 16 of them.
bool amxFits(const KernelBuilder &kb, Value packed, int64_t nr);

/// The element type of the sums: f32 of bf16 products, i32 of int8 ones.
Type amxSumType(OpBuilder &b, Value input);

/// The sums of rows [m0, m1) (at most kAmxGroup whole blocks of kAmxRows)
/// x panel `panel` over the packed rows of K in whole steps of 16, into
/// `ops.sums` from its first row (or `ops.result`).
void amxProducts(KernelBuilder &kb, const AmxOperands &ops, Value panel,
                 Value m0, Value m1);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_GEMMAMX_H
