//===- InputRoundingTest.cpp - the reference's model of input rounding ----===//
//
// roundInputs (lib/Reference/InputRounding.cpp), with values worked out by
// hand from the int8 and bf16 rules.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlir::xf::ref;

// Rows of [0.5, -1.27, 0.004]: s = 1.27 / 127 = 0.01, so 0.5 -> 50 steps,
// 0.004 -> 0 steps; a NaN row all NaN; a row of zeros stays zeros.
TEST(InputRounding, QuantizesRowsToInt8) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x({3, 3});
  x.data = {0.5, -1.27, 0.004, nan, 1.0, 2.0, 0, 0, 0};
  InputRounding int8{InputRounding::Int8Rows, 1};
  Tensor r = roundInputs(x, int8, Layout::KN);
  EXPECT_NEAR(r.data[0], 0.5, 1e-6);
  EXPECT_NEAR(r.data[1], -1.27, 1e-6);
  EXPECT_EQ(r.data[2], 0.0);
  for (int c = 3; c < 6; ++c)
    EXPECT_TRUE(std::isnan(r.data[c]));
  for (int c = 6; c < 9; ++c)
    EXPECT_EQ(r.data[c], 0.0);
  // Channels along K (axis 0 of a KN weight): no int8 panels, exact input.
  Tensor same = roundInputs(x, {InputRounding::Int8Rows, 0}, Layout::KN);
  EXPECT_EQ(same.data[2], 0.004);
  // For an NK weight the channels lie along axis 0.
  EXPECT_EQ(roundInputs(x, {InputRounding::Int8Rows, 0}, Layout::NK).data[2],
            0.0);
}

// bf16 keeps 8 significant bits: 1 + 2^-9 ties to 1, 1 + 3 * 2^-9 rounds up
// to 1 + 2^-7.
TEST(InputRounding, RoundsToBf16) {
  Tensor x({2});
  x.data = {1.0 + std::ldexp(1.0, -9), 1.0 + 3 * std::ldexp(1.0, -9)};
  Tensor r = roundInputs(x, {InputRounding::Bf16, 0}, Layout::KN);
  EXPECT_EQ(r.data[0], 1.0);
  EXPECT_EQ(r.data[1], 1.0 + std::ldexp(1.0, -7));
  EXPECT_EQ(roundInputs(x, {}, Layout::KN).data, x.data);
}

// linear() reads its input as its weight's tag says: 0.003 is under half
// a step of 1 / 127.
TEST(InputRounding, LinearRoundsItsInputAsTheWeightSays) {
  Tensor x({1, 2});
  x.data = {1.0, 0.003};
  Tensor w({2, 1});
  w.data = {0.0, 1.0};
  EXPECT_NEAR(linear(x, w, Layout::KN).data[0], 0.003, 1e-12);
  w.rounding = {InputRounding::Int8Rows, 1};
  EXPECT_EQ(linear(x, w, Layout::KN).data[0], 0.0);
}
