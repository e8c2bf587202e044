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

  /// Whether some pair / every pair of op rows [r0, r1) x key rows [c0, c1)
  /// is in a present block of the run-time block mask.
  LayoutBuilder::TileVisit blockMaskTile(ArrayRef<Value> bidx, Value h,
                                         Value r0, Value r1, Value c0,
                                         Value c1);
  /// How the layout shows keys [kp0, kp1) to positions [p0, p1).
  LayoutBuilder::TileVisit classify(Value p0, Value p1, Value kp0, Value kp1);

private:
  /// Indices of the block mask's block (r, c) for a batch element and head.
  SmallVector<Value> blockMaskIndex(ArrayRef<Value> bidx, Value h, Value r,
                                    Value c);
  Value cmp(arith::CmpIPredicate p, Value x, Value y);
};

} // namespace mlir::xf::cpu

#endif // XF_LIB_CODEGEN_CPU_ATTENTIONCOMMON_H
