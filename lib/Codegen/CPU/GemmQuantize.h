//===- GemmQuantize.h - int8 GEMM inputs quantized per row ------*- C++ -*-===//
//
// The inputs of xf_cpu.gemm on int8 panels (GemmLowPrecision.cpp),
// quantized once per call before the products, or with AMX tiles a chunk
// of rows at a time by the worker that multiplies them.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_CPU_GEMMQUANTIZE_H
#define XF_LIB_CODEGEN_CPU_GEMMQUANTIZE_H

#include "KernelBuilder.h"

namespace mlir::xf::cpu {

/// Input rows x = scales * quads with quads = round(x / scales) in
/// [-127, 127] and scales = max |x| / 127 per row (a row of tiny values is
/// zeros, a NaN row gets a NaN scale); sums holds each row's sum of quads
/// per group of K (`groups` of them; one without groups).
struct QuantizedRows {
  Value quads, scales, sums, groups;
};

/// Quantizes the [m, k] f32 input `a` into quads [m, width] (width: the
/// panels' K padded to whole quads, the padding zero), in parallel over
/// rows for `threads`.
QuantizedRows quantizeRows(KernelBuilder &kb, Value a, Value m, Value k,
                           Value width, int64_t group, int64_t threads);

/// Quantizes row `row` of `a` into row `outRow` of `out` (quantizeRows).
void quantizeRow(KernelBuilder &kb, Value a, Value row, Value k, Value width,
                 int64_t group, const QuantizedRows &out, Value outRow);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_GEMMQUANTIZE_H
