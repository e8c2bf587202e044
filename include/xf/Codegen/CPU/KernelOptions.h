//===- KernelOptions.h - schedule parameters of the CPU kernels -*- C++ -*-===//
//
// The one description of the CPU kernels' schedule (vector width, register
// and cache tiles, threads) and of which values are valid. The pipeline
// options, the options of the CPU passes and xf-run all convert to it and
// validate through KernelOptions::verify.
//
//===----------------------------------------------------------------------===//

#ifndef XF_CODEGEN_CPU_KERNELOPTIONS_H
#define XF_CODEGEN_CPU_KERNELOPTIONS_H

#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace mlir::xf::cpu {

struct KernelOptions {
  /// f32 lanes of the target's vectors: 16 (AVX-512) or 8 (AVX2).
  int64_t vectorWidth = 16;
  /// Columns of a packed weight panel; 0 = two vectors.
  int64_t panelWidth = 0;
  /// Rows of the GEMM register tile; 0 = as many as the registers hold.
  int64_t gemmTileRows = 0;
  /// Threads the kernels split their work for; 0 = the compiling machine's
  /// cores, 1 = no threads.
  int64_t threads = 0;
  /// Queries per attention work item and keys per attention tile.
  int64_t attentionBlockQ = 64;
  int64_t attentionBlockKv = 128;
  /// bf16 and f16 weights are packed as bf16 pairs (half the bytes of f32)
  /// and the activations rounded to bf16; the GEMM multiplies them with
  /// AVX-512 BF16 dot products (vdpbf16ps) at vector width 16, and widened
  /// to f32 with AVX2. Otherwise the weights are widened to f32 panels.
  bool bf16Panels = false;
  /// int8 weights (xf.dequantize with channels along N, groups a multiple
  /// of 4) are packed as i8 quads and multiplied with AVX-512 VNNI dot
  /// products (vpdpbusd), the activations quantized to int8 per row;
  /// otherwise they are dequantized to f32 panels.
  bool int8Panels = false;
  /// bf16 panels, and int8 panels with scales per channel, are multiplied
  /// with AMX tiles (tdpbf16ps, tdpbsud: 16 x 16 accumulators per
  /// instruction) in blocks of 32 rows where there are that many; needs
  /// vector width 16, and a process that Linux lets use AMX state
  /// (runtime::requestAmx).
  bool amx = false;

  /// Reports the first invalid value through `emitError`.
  LogicalResult
  verify(function_ref<LogicalResult(const Twine &)> emitError) const;

  int64_t effectivePanelWidth() const {
    return panelWidth > 0 ? panelWidth : 2 * vectorWidth;
  }
  int64_t effectiveThreads() const;
  /// Keys per register tile of the attention score GEMM: 8 with 32 zmm
  /// registers, 4 with 16 ymm. KV blocks are whole numbers of such tiles.
  int64_t attentionKeyTile() const { return vectorWidth == 16 ? 8 : 4; }
  /// Queries per register tile of the prefill attention kernel.
  int64_t attentionQueryTile() const { return 2 * vectorWidth; }
  /// Whether weights of `elementType` go into bf16 panels (their
  /// activations rounded to bf16).
  bool usesBf16Panels(Type elementType) const {
    return bf16Panels && (elementType.isBF16() || elementType.isF16());
  }
  /// Whether int8 weights dequantized in groups of `groupSize` of K (none:
  /// per channel) go into int8 panels where their channels lie along N
  /// (their activations quantized per row): the packed quads of 4 rows of
  /// K must not straddle two groups.
  bool usesInt8Panels(std::optional<uint64_t> groupSize) const {
    return int8Panels && (!groupSize || *groupSize % 4 == 0);
  }
};

} // namespace mlir::xf::cpu

#endif // XF_CODEGEN_CPU_KERNELOPTIONS_H
