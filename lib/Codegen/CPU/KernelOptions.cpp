//===- KernelOptions.cpp - validity of the CPU kernels' schedule ----------===//

#include "xf/Codegen/CPU/KernelOptions.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <thread>

using namespace mlir;
using namespace mlir::xf::cpu;

int64_t KernelOptions::effectiveThreads() const {
  if (threads > 0)
    return threads;
  return std::max<int64_t>(std::thread::hardware_concurrency(), 1);
}

LogicalResult KernelOptions::verify(
    function_ref<LogicalResult(const Twine &)> emitError) const {
  int64_t vw = vectorWidth;
  if (vw != 8 && vw != 16)
    return emitError("vector-width must be 8 (AVX2) or 16 (AVX-512), got " +
                     Twine(vw));
  if (amx && vw != 16)
    return emitError("amx needs vector-width 16 (AVX-512), got " + Twine(vw));
  if (threads < 0)
    return emitError("threads must be >= 0 (0 = the cores of the "
                     "compiling machine), got " +
                     Twine(threads));
  if (panelWidth < 0 || panelWidth % vw != 0 || panelWidth > 8 * vw)
    return emitError("panel-width must be 0 or a multiple of vector-width " +
                     Twine(vw) + " up to " + Twine(8 * vw) + ", got " +
                     Twine(panelWidth));
  // Beyond 32 rows the unrolled register tile only spills.
  if (gemmTileRows < 0 || gemmTileRows > 32)
    return emitError("gemm-tile-rows must be between 0 (as many as the "
                     "registers hold) and 32, got " +
                     Twine(gemmTileRows));
  // The prefill attention tile is computed as 2 vectors of queries by
  // register tiles of 8 (AVX-512) or 4 (AVX2) keys.
  int64_t qStep = attentionQueryTile(), kvStep = attentionKeyTile();
  if (attentionBlockQ <= 0 || attentionBlockQ % qStep != 0 ||
      attentionBlockQ > 1024)
    return emitError("attention-block-q must be a multiple of " + Twine(qStep) +
                     " up to 1024, got " + Twine(attentionBlockQ));
  if (attentionBlockKv <= 0 || attentionBlockKv % kvStep != 0 ||
      attentionBlockKv > 1024)
    return emitError("attention-block-kv must be a multiple of " +
                     Twine(kvStep) + " up to 1024, got " +
                     Twine(attentionBlockKv));
  return success();
}
