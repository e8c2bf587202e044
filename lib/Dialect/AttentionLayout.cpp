//===- AttentionLayout.cpp - which keys each query of attention sees ------===//

#include "xf/Dialect/AttentionLayout.h"

#include <algorithm>
#include <cstdlib>

using namespace mlir::xf;

namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Whether [a, b] holds a multiple of m (m >= 1).
bool holdsMultiple(int64_t a, int64_t b, int64_t m) {
  return a <= b && floorDiv(b, m) * m >= a;
}

/// Globals in [lo, hi).
int64_t countIn(const std::vector<int64_t> &sorted, int64_t lo, int64_t hi) {
  if (lo >= hi)
    return 0;
  return std::lower_bound(sorted.begin(), sorted.end(), hi) -
         std::lower_bound(sorted.begin(), sorted.end(), lo);
}

} // namespace

BlockMap::BlockMap(int64_t blockRows, int64_t blockCols, int64_t rows,
                   int64_t cols, std::vector<uint8_t> present)
    : blockRows(blockRows), blockCols(blockCols), rows(rows), cols(cols),
      present(std::move(present)) {
  if (rows <= 0 || cols <= 0 ||
      static_cast<int64_t>(this->present.size()) != rows * cols)
    return;
  table.assign((rows + 1) * (cols + 1), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      table[(r + 1) * (cols + 1) + c + 1] =
          (this->present[r * cols + c] != 0) + table[r * (cols + 1) + c + 1] +
          table[(r + 1) * (cols + 1) + c] - table[r * (cols + 1) + c];
}

int64_t BlockMap::count(int64_t r0, int64_t r1, int64_t c0, int64_t c1) const {
  if (table.empty())
    return 0;
  r0 = std::clamp<int64_t>(r0, 0, rows);
  r1 = std::clamp<int64_t>(r1, 0, rows);
  c0 = std::clamp<int64_t>(c0, 0, cols);
  c1 = std::clamp<int64_t>(c1, 0, cols);
  if (r0 >= r1 || c0 >= c1)
    return 0;
  auto at = [&](int64_t r, int64_t c) { return table[r * (cols + 1) + c]; };
  return at(r1, c1) - at(r0, c1) - at(r1, c0) + at(r0, c0);
}

bool AttentionLayout::isGlobal(int64_t position) const {
  return std::binary_search(globals.begin(), globals.end(), position);
}

bool AttentionLayout::isVisible(int64_t position, int64_t key) const {
  if (causal && key > position)
    return false;
  if (!hasComponents())
    return true;
  int64_t distance = std::llabs(position - key);
  if (window && distance % dilation == 0 && distance / dilation < window)
    return true;
  if (stride && distance % stride == 0)
    return true;
  if (key < sinks || isGlobal(position) || isGlobal(key))
    return true;
  return !blocks.empty() && position >= 0 &&
         blocks.count(position / blocks.getBlockRows(),
                      position / blocks.getBlockRows() + 1,
                      key / blocks.getBlockCols(),
                      key / blocks.getBlockCols() + 1) > 0;
}

AttentionLayout::Tile AttentionLayout::classify(int64_t p0, int64_t p1,
                                                int64_t k0, int64_t k1) const {
  // The causal constraint: no key of the tile at or below any position, or
  // every key at or below every position.
  bool causalFull = true;
  if (causal) {
    if (k0 > p1 - 1)
      return Tile::Empty;
    causalFull = k1 - 1 <= p0;
  }
  if (!hasComponents())
    return causalFull ? Tile::Full : Tile::Partial;

  bool any = false, full = false;
  // Distances d = position - key of the tile's pairs form [dMin, dMax];
  // causal keeps d >= 0.
  int64_t dMin = p0 - (k1 - 1), dMax = (p1 - 1) - k0;
  if (causal)
    dMin = std::max<int64_t>(dMin, 0);
  if (window) {
    int64_t reach = (window - 1) * dilation;
    any |=
        holdsMultiple(std::max(dMin, -reach), std::min(dMax, reach), dilation);
    full |= dilation == 1 && dMin >= -reach && dMax <= reach;
  }
  if (stride) {
    any |= holdsMultiple(dMin, dMax, stride);
    full |= stride == 1;
  }
  if (sinks) {
    any |= k0 < sinks;
    full |= k1 <= sinks;
  }
  if (!globals.empty()) {
    // A global key is seen by the positions at or after it (causal); a
    // global position sees the keys at or before it.
    any |= countIn(globals, k0, causal ? std::min(k1, p1) : k1) > 0 ||
           countIn(globals, causal ? std::max(p0, k0) : p0, p1) > 0;
    full |= countIn(globals, p0, p1) == p1 - p0 ||
            countIn(globals, k0, k1) == k1 - k0;
  }
  if (!blocks.empty() && p1 > 0) {
    int64_t br = blocks.getBlockRows(), bc = blocks.getBlockCols();
    int64_t r0 = std::max<int64_t>(p0, 0) / br, r1 = (p1 - 1) / br + 1;
    int64_t c0 = k0 / bc, c1 = (k1 - 1) / bc + 1;
    int64_t present = blocks.count(r0, r1, c0, c1);
    any |= present > 0;
    full |= p0 >= 0 && present == (r1 - r0) * (c1 - c0);
  }
  if (!any)
    return Tile::Empty;
  return causalFull && full ? Tile::Full : Tile::Partial;
}

std::string AttentionLayout::check(int64_t numKeys) const {
  if (window < 0)
    return "expects a window of at least one key";
  if (dilation < 1)
    return "expects a dilation of at least 1";
  if (dilation != 1 && !window)
    return "has a dilation but no window";
  if (stride < 0)
    return "expects a stride of at least 1";
  if (sinks < 0)
    return "expects a non-negative number of sink keys";
  for (size_t i = 0; i < globals.size(); ++i)
    if (globals[i] < 0 || (i && globals[i] <= globals[i - 1]))
      return "expects global positions that are non-negative, sorted and "
             "unique";
  if (!blocks.empty() &&
      (blocks.getBlockRows() < 1 || blocks.getBlockCols() < 1))
    return "expects block sizes of at least 1";
  if (numKeys < 0)
    return "";
  auto n = [](int64_t v) { return std::to_string(v); };
  if (sinks > numKeys)
    return "has " + n(sinks) + " sink keys but only " + n(numKeys) + " keys";
  if (!globals.empty() && globals.back() >= numKeys)
    return "has global position " + n(globals.back()) + " past the " +
           n(numKeys) + " keys";
  if (!blocks.empty()) {
    int64_t positions = blocks.getRows() * blocks.getBlockRows();
    int64_t keys = blocks.getCols() * blocks.getBlockCols();
    if (positions < numKeys || keys < numKeys)
      return "has a block map covering " + n(positions) + " positions x " +
             n(keys) + " keys, fewer than the " + n(numKeys) + " keys";
  }
  return "";
}
