//===- AttentionLayout.h - which keys each query of attention sees -*- C++ -*-//
//
// The structural mask of attention, defined once. The reference evaluator,
// the verifier and the canonicalizer ask this plain C++ definition; code
// generators emit the same questions as IR (AttentionLayoutBuilder.h) and
// are checked against it by the tests. No MLIR here: the reference kernels
// link it without linking the compiler.
//
// Positions are aligned to the bottom right: with `kvLen` valid keys and
// `qLen` queries, query i sits at position `i + kvLen - qLen`, key j at
// position j. A layout is the union of its components (a band of `window`
// keys around the diagonal, optionally dilated; every `stride`-th distance;
// the first `sinks` keys; global positions; a block map), intersected with
// `causal` (key <= position). Without components every key is a candidate,
// so `causal` alone is the usual causal mask and no layout is dense.
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_ATTENTIONLAYOUT_H
#define XF_DIALECT_ATTENTIONLAYOUT_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::xf {

/// Which blocks of (position, key) pairs are present: block (r, c) covers
/// positions [r * blockRows, (r + 1) * blockRows) and keys [c * blockCols,
/// (c + 1) * blockCols). Blocks outside the map are absent.
class BlockMap {
public:
  BlockMap() = default;
  /// `present` holds rows x cols flags, row-major.
  BlockMap(int64_t blockRows, int64_t blockCols, int64_t rows, int64_t cols,
           std::vector<uint8_t> present);

  bool empty() const { return rows == 0 || cols == 0; }
  int64_t getBlockRows() const { return blockRows; }
  int64_t getBlockCols() const { return blockCols; }
  int64_t getRows() const { return rows; }
  int64_t getCols() const { return cols; }
  const std::vector<uint8_t> &getPresent() const { return present; }

  /// Present blocks in rows [r0, r1) x cols [c0, c1); the rectangle is
  /// clamped to the map first.
  int64_t count(int64_t r0, int64_t r1, int64_t c0, int64_t c1) const;
  /// The summed-area table: entry (r, c) of (rows + 1) x (cols + 1) counts
  /// the present blocks above and left of it, so that any rectangle's count
  /// is four lookups (the code generators ship this table).
  const std::vector<int64_t> &summedArea() const { return table; }

private:
  int64_t blockRows = 0, blockCols = 0, rows = 0, cols = 0;
  std::vector<uint8_t> present;
  std::vector<int64_t> table;
};

struct AttentionLayout {
  bool causal = false;
  /// A band of keys around the diagonal: the distance d = position - key
  /// qualifies when |d| is a multiple of `dilation` and |d| / dilation <
  /// `window` (with `causal`, the `window` keys ending at the position, every
  /// `dilation`-th). 0: no band.
  int64_t window = 0;
  int64_t dilation = 1;
  /// Distances that are multiples of `stride` (Sparse Transformer's strided
  /// pattern). 0: none.
  int64_t stride = 0;
  /// Keys [0, sinks) are visible to every query (StreamingLLM's sinks).
  int64_t sinks = 0;
  /// Global positions, sorted and unique: the key at a global position is
  /// visible to every query and the query at one sees every key
  /// (Longformer's global attention).
  std::vector<int64_t> globals;
  /// Present blocks (BigBird-style block-sparse layouts).
  BlockMap blocks;

  bool hasComponents() const {
    return window || stride || sinks || !globals.empty() || !blocks.empty();
  }
  /// Every key visible to every query.
  bool isDense() const { return !causal && !hasComponents(); }

  /// Whether the key at `key` is visible to the query at `position`.
  bool isVisible(int64_t position, int64_t key) const;

  enum class Tile { Empty, Partial, Full };
  /// How the queries at positions [p0, p1) see the keys [k0, k1) (both
  /// non-empty): no pair visible, some, or all. Empty and Full are exact
  /// for every component but the block map, where a tile on the causal
  /// diagonal may be called Partial though it is empty.
  Tile classify(int64_t p0, int64_t p1, int64_t k0, int64_t k1) const;

  /// Whether `position` is global.
  bool isGlobal(int64_t position) const;

  /// An error message when the parameters are malformed or do not fit
  /// `numKeys` keys (negative: unknown), else "".
  std::string check(int64_t numKeys = -1) const;
};

} // namespace mlir::xf

#endif // XF_DIALECT_ATTENTIONLAYOUT_H
