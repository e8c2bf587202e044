//===- AttentionLayoutTest.cpp - the definition of attention layouts ------===//
//
// Visibility on hand-computed cases, and the tile classification that the
// kernels rely on checked against visibility pair by pair: a tile called
// empty has no visible pair (exactly so without block maps), a tile called
// full has no hidden one.
//
//===----------------------------------------------------------------------===//

#include "xf/Dialect/AttentionLayout.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using mlir::xf::AttentionLayout;
using mlir::xf::BlockMap;

namespace {

/// The visible keys of `position` among keys [0, n), as a string of 0/1.
std::string row(const AttentionLayout &l, int64_t position, int64_t n) {
  std::string s;
  for (int64_t k = 0; k < n; ++k)
    s += l.isVisible(position, k) ? '1' : '0';
  return s;
}

TEST(AttentionLayout, CausalAndWindow) {
  AttentionLayout l;
  EXPECT_EQ(row(l, 2, 5), "11111");
  l.causal = true;
  EXPECT_EQ(row(l, 2, 5), "11100");
  EXPECT_EQ(row(l, -1, 3), "000");
  l.window = 2;
  EXPECT_EQ(row(l, 3, 6), "001100");
  l.causal = false; // a band on both sides
  EXPECT_EQ(row(l, 3, 6), "001110");
  l.dilation = 2; // distances 0 and 2
  EXPECT_EQ(row(l, 3, 7), "0101010");
  l.causal = true;
  EXPECT_EQ(row(l, 3, 7), "0101000");
}

TEST(AttentionLayout, SinksStrideGlobalsBlocks) {
  AttentionLayout l;
  l.causal = true;
  l.window = 2;
  l.sinks = 2;
  EXPECT_EQ(row(l, 6, 8), "11000110");
  AttentionLayout strided;
  strided.causal = true;
  strided.stride = 3;
  EXPECT_EQ(row(strided, 7, 9), "010010010");
  AttentionLayout global;
  global.window = 1;
  global.globals = {1, 5};
  EXPECT_EQ(row(global, 3, 7), "0101010"); // global keys 1, 5 and itself
  EXPECT_EQ(row(global, 5, 7), "1111111"); // a global position sees all
  AttentionLayout blocks;
  // 2 x 2 blocks of 2 positions x 3 keys: block (0, 1) and (1, 0).
  blocks.blocks = BlockMap(2, 3, 2, 2, {0, 1, 1, 0});
  EXPECT_EQ(row(blocks, 1, 6), "000111");
  EXPECT_EQ(row(blocks, 2, 6), "111000");
  EXPECT_EQ(row(blocks, 4, 6), "000000"); // outside the map: absent
  EXPECT_EQ(blocks.blocks.count(0, 2, 0, 2), 2);
  EXPECT_EQ(blocks.blocks.count(1, 5, -3, 1), 1);
}

TEST(AttentionLayout, Check) {
  AttentionLayout l;
  EXPECT_EQ(l.check(4), "");
  l.dilation = 2;
  EXPECT_EQ(l.check(), "has a dilation but no window");
  l = AttentionLayout();
  l.globals = {3, 1};
  EXPECT_EQ(l.check(), "expects global positions that are non-negative, "
                       "sorted and unique");
  l.globals = {1, 9};
  EXPECT_EQ(l.check(8), "has global position 9 past the 8 keys");
  l = AttentionLayout();
  l.sinks = 9;
  EXPECT_EQ(l.check(8), "has 9 sink keys but only 8 keys");
  l = AttentionLayout();
  l.blocks = BlockMap(4, 4, 1, 1, {1});
  EXPECT_EQ(l.check(8), "has a block map covering 4 positions x 4 keys, "
                        "fewer than the 8 keys");
  // The ranges that the textual form cannot express (its parser rejects
  // them first) but a layout built in C++ can.
  l = AttentionLayout();
  l.window = -1;
  EXPECT_EQ(l.check(), "expects a window of at least one key");
  l = AttentionLayout();
  l.window = 2;
  l.dilation = 0;
  EXPECT_EQ(l.check(), "expects a dilation of at least 1");
  l = AttentionLayout();
  l.stride = -1;
  EXPECT_EQ(l.check(), "expects a stride of at least 1");
  l = AttentionLayout();
  l.sinks = -1;
  EXPECT_EQ(l.check(), "expects a non-negative number of sink keys");
  l = AttentionLayout();
  l.blocks = BlockMap(0, 4, 1, 1, {1});
  EXPECT_EQ(l.check(), "expects block sizes of at least 1");
}

/// A random layout of some components.
AttentionLayout randomLayout(std::mt19937 &rng, int64_t n) {
  auto coin = [&] { return rng() % 2 == 0; };
  auto upTo = [&](int64_t m) { return static_cast<int64_t>(rng() % m); };
  AttentionLayout l;
  l.causal = coin();
  if (coin()) {
    l.window = 1 + upTo(6);
    l.dilation = 1 + upTo(3);
  }
  if (coin())
    l.stride = 1 + upTo(7);
  if (coin())
    l.sinks = upTo(4);
  if (coin())
    for (int64_t p = 0; p < n; ++p)
      if (upTo(9) == 0)
        l.globals.push_back(p);
  if (coin()) {
    int64_t br = 1 + upTo(5), bc = 1 + upTo(5);
    int64_t rows = (n + br - 1) / br, cols = (n + bc - 1) / bc;
    std::vector<uint8_t> present(rows * cols);
    for (uint8_t &p : present)
      p = upTo(3) == 0;
    l.blocks = BlockMap(br, bc, rows, cols, std::move(present));
  }
  return l;
}

TEST(AttentionLayout, ClassifyAgreesWithVisibility) {
  std::mt19937 rng(7);
  const int64_t n = 24;
  for (int trial = 0; trial < 400; ++trial) {
    AttentionLayout l = randomLayout(rng, n);
    ASSERT_EQ(l.check(n), "");
    for (int t = 0; t < 40; ++t) {
      // Positions may start below 0 (more queries than keys).
      int64_t p0 = static_cast<int64_t>(rng() % (n + 6)) - 6;
      int64_t p1 = p0 + 1 + rng() % 9, k0 = rng() % n;
      int64_t k1 = std::min<int64_t>(n, k0 + 1 + rng() % 9);
      int64_t seen = 0, hidden = 0;
      for (int64_t p = p0; p < p1; ++p)
        for (int64_t k = k0; k < k1; ++k)
          (l.isVisible(p, k) ? seen : hidden) += 1;
      AttentionLayout::Tile tile = l.classify(p0, p1, k0, k1);
      if (tile == AttentionLayout::Tile::Empty)
        EXPECT_EQ(seen, 0) << "trial " << trial;
      if (tile == AttentionLayout::Tile::Full)
        EXPECT_EQ(hidden, 0) << "trial " << trial;
      // Empty is exact unless a block map cuts the causal diagonal.
      if (seen == 0 && l.blocks.empty())
        EXPECT_EQ(tile, AttentionLayout::Tile::Empty) << "trial " << trial;
    }
  }
}

} // namespace
