//===- AttentionCommon.h - what both attention kernels read -----*- C++ -*-===//
//
// One xf_cpu.flash_attention on memrefs as the prefill and the decode
// kernels see it: its operands and sizes, and the masks that decide which
// (query, key) pairs count: the valid keys (kv_len, packed sequences), the
// layout (through AttentionLayoutBuilder), the run-time block mask and the
// additive mask. Both kernels ask these questions here, pair by pair for
// tiles that are cut and tile by tile to skip what nobody sees.
//
//===----------------------------------------------------------------------===//

#ifndef XF_LIB_CODEGEN_CPU_ATTENTIONCOMMON_H
#define XF_LIB_CODEGEN_CPU_ATTENTIONCOMMON_H

#include "KernelBuilder.h"

#include "xf/Codegen/CPU/KernelOptions.h"
#include "xf/Dialect/AttentionLayoutBuilder.h"
#include "xf/Dialect/XfCpuOps.h"

namespace mlir::xf::cpu {

class AttentionContext {
public:
  AttentionContext(FlashAttentionOp op, KernelBuilder &kb);

  FlashAttentionOp op;
  KernelBuilder &kb;
  Value q, k, v, mask, kvLen, blockMask, seqOffsets, blockTable, out;
  int64_t heads, kvHeads, group, dh, dv, batchRank;
  double scale;
  AttentionLayout layout;
  /// Block sizes of the run-time block mask (0 without one).
  int64_t maskBlockQ = 0, maskBlockK = 0;
  SmallVector<Value> batchSizes;
  Value batchCount, sq, skv;

  /// Indices of a [batch..., S, F] operand.
  SmallVector<Value> at(ArrayRef<Value> bidx, Value s, Value f) const;
  /// The valid keys of a batch element: kv_len clamped to [0, Skv], or Skv.
  Value validKeys(ArrayRef<Value> bidx);
  /// The packed sequences: their count B and offset `s` clamped to [0, T].
  Value numSequences();
  Value sequenceOffset(Value s);
  /// The tokens of packed sequence `s` (0 where its offsets decrease).
  Value sequenceLength(Value s);

  /// Whether the query in op row `row`, at layout position `position`, sees
  /// the key in op row `keyRow` at key position `keyPos` of `numKeys` valid
  /// ones (i1), by every mask but the additive one.
  Value keep(ArrayRef<Value> bidx, Value h, Value row, Value position,
             Value keyRow, Value keyPos, Value numKeys);
  /// The same for the vector-width queries in rows row0, row0 + 1, ...
  /// (positions position0, position0 + 1, ...): a vector of i1.
  Value keepLanes(ArrayRef<Value> bidx, Value h, Value row0, Value position0,
                  Value keyRow, Value keyPos, Value numKeys);
  /// The additive mask's value at (batch, head, row, key row).
  Value additive(ArrayRef<Value> bidx, Value h, Value row, Value keyRow);

  /// How the queries of head `h` (of every head when null) in op rows
  /// [r0, r1), at positions [p0, p1), see the keys at positions [kp0, kp1)
  /// (op rows from keyRow0 on), by the layout and the run-time block mask:
  /// whether some pair is visible, whether every pair is. With an additive
  /// mask no tile is whole (the mask is added pair by pair).
  LayoutBuilder::TileVisit visitTile(ArrayRef<Value> bidx, Value h, Value r0,
                                     Value r1, Value p0, Value p1, Value kp0,
                                     Value kp1, Value keyRow0);

private:
  /// Whether some pair / every pair of op rows [r0, r1) x key rows [c0, c1)
  /// is in a present block of the run-time block mask.
  LayoutBuilder::TileVisit blockMaskTile(ArrayRef<Value> bidx, Value h,
                                         Value r0, Value r1, Value c0,
                                         Value c1);
  /// Indices of the block mask's block (r, c) for a batch element and head.
  SmallVector<Value> blockMaskIndex(ArrayRef<Value> bidx, Value h, Value r,
                                    Value c);
};

/// A work item's scratch buffers (64-byte aligned), on the stack or on the
/// heap.
class Scratch {
public:
  Scratch(KernelBuilder &kb, bool onHeap) : kb(kb), onHeap(onHeap) {}
  /// A buffer of static `shape` (f32 unless `elementType` is given).
  Value buffer(ArrayRef<int64_t> shape, Type elementType = {});
  /// Frees the heap buffers made so far.
  void release();

private:
  KernelBuilder &kb;
  bool onHeap;
  SmallVector<Value> heapBuffers;
};

/// Runs `body(item)` for item in [0, count) (KernelBuilder::parallel) with
/// the scratch that `allocate` makes: once per item under OpenMP, which
/// gives each iteration an allocation scope, once in all for a serial loop.
/// Scratch of more than 512 KiB per item goes on the heap rather than use a
/// large part of a worker's stack (libomp's default is 4 MiB).
void parallelWithScratch(KernelBuilder &kb, Value count, int64_t threads,
                         int64_t scratchBytes,
                         function_ref<void(Scratch &)> allocate,
                         function_ref<void(Value item)> body);

/// Emits the `decode` schedule of `op` at the builder's insertion point
/// (DecodeAttentionKernel.cpp).
void buildDecodeAttention(FlashAttentionOp op, KernelBuilder &kb,
                          const KernelOptions &options);

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_ATTENTIONCOMMON_H
