//===- ReferenceKernelsTest.cpp - tests of the reference kernels ----------===//
//
// Small cases whose expected values are derived by hand from the op
// definitions, not by running the kernels. Only the block tests compare
// against a composition of the (separately tested) primitive kernels.
//
//===----------------------------------------------------------------------===//

#include "xf/Reference/Kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

using namespace mlir::xf::ref;
using mlir::xf::AttentionLayout;

namespace {

using Shape = std::vector<int64_t>;
const double kInf = std::numeric_limits<double>::infinity();

Tensor makeTensor(Shape shape, std::vector<double> data) {
  Tensor t(std::move(shape));
  EXPECT_EQ(t.data.size(), data.size());
  t.data = std::move(data);
  return t;
}

void expectTensor(const Tensor &t, const Shape &shape,
                  const std::vector<double> &expected, double tol = 1e-12) {
  ASSERT_EQ(t.shape, shape);
  ASSERT_EQ(t.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(t.data[i], expected[i], tol) << "at flat index " << i;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

/// The pair (a, b) turned by `angle`: (a cos - b sin, b cos + a sin).
std::pair<double, double> turn(double a, double b, double angle) {
  return {a * std::cos(angle) - b * std::sin(angle),
          b * std::cos(angle) + a * std::sin(angle)};
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, LinearBothLayoutsWithEpilogue) {
  // x W = [[1, 2, 3], [3, 4, 7]]; + bias [1, -10, 0]; relu; + 0.5.
  Tensor x = makeTensor({2, 1, 2}, {1, 2, 3, 4});
  Tensor wKN = makeTensor({2, 3}, {1, 0, 1, 0, 1, 1});
  Tensor wNK = makeTensor({3, 2}, {1, 0, 0, 1, 1, 1});
  Tensor bias = makeTensor({3}, {1, -10, 0});
  Tensor res({2, 1, 3}, 0.5);
  expectTensor(linear(x, wKN, Layout::KN), {2, 1, 3}, {1, 2, 3, 3, 4, 7});
  expectTensor(linear(x, wNK, Layout::NK), {2, 1, 3}, {1, 2, 3, 3, 4, 7});
  std::vector<double> full = {2.5, 0.5, 3.5, 4.5, 0.5, 7.5};
  expectTensor(linear(x, wKN, Layout::KN, &bias, Activation::Relu, &res),
               {2, 1, 3}, full);
  expectTensor(linear(x, wNK, Layout::NK, &bias, Activation::Relu, &res),
               {2, 1, 3}, full);
  // Bias without activation keeps the negative entries.
  expectTensor(linear(x, wKN, Layout::KN, &bias), {2, 1, 3},
               {2, -8, 3, 4, -6, 7});
}

TEST(ReferenceKernels, DequantizePerChannelAndGroup) {
  // q [2, 3] with channels on axis 0 and groups of 2 along K = 3: scales
  // [2, 2], the last group one element long.
  IndexTensor q{{2, 3}, {1, -2, 3, 4, 5, -6}};
  Tensor s = makeTensor({2, 2}, {0.5, 2.0, 0.25, 10.0});
  expectTensor(dequantize(q, s, 0, 2), {2, 3},
               {0.5, -1.0, 6.0, 1.0, 1.25, -60.0});
  // The same q with channels on axis 1 ([K, C] = [2, 3]), one scale each.
  Tensor c = makeTensor({3}, {1.0, 0.5, -2.0});
  expectTensor(dequantize(q, c, 1, std::nullopt), {2, 3},
               {1.0, -1.0, -6.0, 4.0, 2.5, 12.0});
}

TEST(ReferenceKernelsDeathTest, MalformedInputsAbort) {
  Tensor x({2, 3}), w({2, 4});
  EXPECT_DEATH(linear(x, w, Layout::KN), "linear: weight does not match");
  EXPECT_DEATH(matmul(x, x, false, false), "contraction sizes differ");
  Tensor bad({2, 2});
  bad.data.pop_back();
  EXPECT_DEATH(add(bad, bad), "data does not match its shape");
}

TEST(ReferenceKernels, MatmulTransposes) {
  // [[1, 2, 3], [4, 5, 6]] [[7, 8], [9, 10], [11, 12]].
  Tensor a = makeTensor({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor aT = makeTensor({3, 2}, {1, 4, 2, 5, 3, 6});
  Tensor b = makeTensor({3, 2}, {7, 8, 9, 10, 11, 12});
  Tensor bT = makeTensor({2, 3}, {7, 9, 11, 8, 10, 12});
  std::vector<double> c = {58, 64, 139, 154};
  expectTensor(matmul(a, b, false, false), {2, 2}, c);
  expectTensor(matmul(aT, b, true, false), {2, 2}, c);
  expectTensor(matmul(a, bT, false, true), {2, 2}, c);
  expectTensor(matmul(aT, bT, true, true), {2, 2}, c);
}

TEST(ReferenceKernels, MatmulBroadcastsBatches) {
  // a: [2, 1, 2, 2] = {I, 2I}; b: [3, 2, 2]; out[i][j] = (i + 1) b[j].
  Tensor a = makeTensor({2, 1, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});
  std::vector<double> bData = {1, 2, 3, 4, 0, 1, 1, 0, 1, 1, 1, 1};
  Tensor b = makeTensor({3, 2, 2}, bData);
  std::vector<double> expected = bData;
  for (double v : bData)
    expected.push_back(2 * v);
  expectTensor(matmul(a, b, false, false), {2, 3, 2, 2}, expected);
  // A missing batch dimension repeats too: [2, 2] x [3, 2, 2].
  Tensor twoI = makeTensor({2, 2}, {2, 0, 0, 2});
  expectTensor(matmul(twoI, b, false, false), {3, 2, 2},
               std::vector<double>(expected.begin() + 12, expected.end()));
  // Transposing b = [[1, 2], [3, 4]] through the batch: I b^T.
  Tensor b0 = makeTensor({1, 2, 2}, {1, 2, 3, 4});
  expectTensor(matmul(a, b0, false, true), {2, 1, 2, 2},
               {1, 3, 2, 4, 2, 6, 4, 8});
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, LayerNorm) {
  // Row [1, 2, 3, 4]: mean 2.5, biased variance 1.25; eps 0.75 makes the
  // denominator sqrt(2). Row [5, 5, 5, 5] has zero variance.
  Tensor x = makeTensor({2, 4}, {1, 2, 3, 4, 5, 5, 5, 5});
  Tensor w = makeTensor({4}, {1, 1, 2, 2});
  Tensor b = makeTensor({4}, {0, 0, 0, 1});
  double r = 1 / std::sqrt(2.0);
  expectTensor(layerNorm(x, w, &b, 0.75), {2, 4},
               {-1.5 * r, -0.5 * r, 2 * 0.5 * r, 2 * 1.5 * r + 1, 0, 0, 0, 1});
  // eps 0 (a constant row would be 0 / 0 here).
  Tensor row = makeTensor({4}, {1, 2, 3, 4});
  double s = 1 / std::sqrt(1.25);
  expectTensor(layerNorm(row, w, nullptr, 0.0), {4},
               {-1.5 * s, -0.5 * s, 1.0 * s, 3.0 * s});
}

TEST(ReferenceKernels, RmsNorm) {
  // Row [3, 4]: mean square 12.5; eps 3.5 gives sqrt(16) = 4.
  Tensor x = makeTensor({1, 2, 2}, {3, 4, 0, 0});
  Tensor w = makeTensor({2}, {2, -1});
  expectTensor(rmsNorm(x, w, 3.5), {1, 2, 2}, {1.5, -1, 0, 0});
}

TEST(ReferenceKernels, Softmax) {
  Tensor x = makeTensor({4, 2},
                        {0, std::log(3.0), -kInf, -kInf, -kInf, 5, 1000, 1000});
  expectTensor(softmax(x, -1), {4, 2}, {0.25, 0.75, 0, 0, 0, 1, 0.5, 0.5});
  expectTensor(softmax(x, 1), {4, 2}, {0.25, 0.75, 0, 0, 0, 1, 0.5, 0.5});
  // Along axis 0: column [0, log 3] and column [0, -inf].
  Tensor y = makeTensor({2, 2}, {0, 0, std::log(3.0), -kInf});
  expectTensor(softmax(y, 0), {2, 2}, {0.25, 1, 0.75, 0});
  expectTensor(softmax(y, -2), {2, 2}, {0.25, 1, 0.75, 0});
}

//===----------------------------------------------------------------------===//
// Pointwise
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, Activations) {
  Tensor x = makeTensor({5}, {1, -1, 0, 2, -3});
  // Phi(1) = 0.8413447460685429 (standard normal CDF).
  expectTensor(activation(x, Activation::Gelu), {5},
               {0.8413447460685429, -0.15865525393145707, 0, 1.9544997361036416,
                -0.00404969409489031});
  expectTensor(activation(x, Activation::GeluTanh), {5},
               {0.8411919906082768, -0.15880800939172324, 0, 1.954597694087775,
                -0.0036373920817729943});
  expectTensor(activation(x, Activation::Relu), {5}, {1, 0, 0, 2, 0});
  expectTensor(activation(x, Activation::Silu), {5},
               {0.7310585786300049, -0.2689414213699951, 0, 1.7615941559557646,
                -0.14227761953270035});
  // silu must not produce NaN at large |x|.
  Tensor big = makeTensor({2}, {1000, -1000});
  expectTensor(activation(big, Activation::Silu), {2}, {1000, 0});
  expectTensor(activation(big, Activation::GeluTanh), {2}, {1000, 0});
}

TEST(ReferenceKernels, GatedUnits) {
  Tensor gate = makeTensor({2}, {1, -1});
  Tensor up = makeTensor({2}, {2, 3});
  expectTensor(gatedUnit(gate, up, Activation::Silu), {2},
               {2 * 0.7310585786300049, 3 * -0.2689414213699951});
  expectTensor(gatedUnit(gate, up, Activation::Gelu), {2},
               {2 * 0.8413447460685429, 3 * -0.15865525393145707});
}

//===----------------------------------------------------------------------===//
// Activation sparsity
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, TopKTiesGoToLowerIndices) {
  // Row 0: the two 5s tie for the second place; index 1 wins over 3.
  // Row 1: values that differ only below f32 precision tie as f32.
  Tensor x = makeTensor({2, 4}, {1, 5, 7, 5, 1 + 1e-12, 1, 0, -1});
  IndexTensor y = topK(x, 2);
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.data, (std::vector<int64_t>{1, 2, 0, 1}));
}

TEST(ReferenceKernels, TopKTotalOrder) {
  // -NaN < -inf < -0 < +0 < +inf < +NaN.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = makeTensor({6}, {0.0, -nan, -0.0, kInf, nan, -kInf});
  EXPECT_EQ(topK(x, 3).data, (std::vector<int64_t>{0, 3, 4}));
  EXPECT_EQ(topK(x, 4).data, (std::vector<int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(topK(x, 6).data, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
}

TEST(ReferenceKernels, GatherMlpClampsAndRepeats) {
  // x [1, 2]; W_up [2, 3] (kn); W_down [3, 1]; relu.
  Tensor x = makeTensor({1, 2}, {1, 2});
  Tensor up = makeTensor({2, 3}, {1, -1, 2, 1, 1, 1});
  Tensor down = makeTensor({3, 1}, {10, 100, 1000});
  Tensor bias = makeTensor({1}, {0.5});
  MlpWeights w{&up, nullptr, &down, nullptr, nullptr, &bias};
  // Hidden pre-activations: 3, 1, 4. Neuron 7 clamps to 2 and neuron -1 to
  // 0; neuron 2 listed twice counts twice.
  IndexTensor n{{1, 3}, {7, -1, 2}};
  expectTensor(gatherMlp(x, n, w, Activation::Relu, Layout::KN), {1, 1},
               {0.5 + 4 * 1000 + 3 * 10 + 4 * 1000});
}

TEST(ReferenceKernels, TopKMlpMatchesTheSelectedNeurons) {
  // Gated, predictor = the first input feature of W_gate: scores x0 * row 0.
  Tensor x = makeTensor({1, 2}, {2, 1});
  Tensor gate = makeTensor({2, 3}, {1, 3, 2, 5, -5, 0});
  Tensor up = makeTensor({2, 3}, {1, 1, 1, 0, 0, 0});
  Tensor down = makeTensor({3, 1}, {1, 10, 100});
  MlpWeights w{&up, &gate, &down, nullptr, nullptr, nullptr};
  MlpTopK k{1, 1, nullptr, nullptr};
  // Scores 2, 6, 4: neuron 1 alone, although its full gate (1) is below
  // neuron 0's (7): the predictor decides.
  expectTensor(mlp(x, w, Activation::Relu, Layout::KN, &k), {1, 1},
               {1.0 * 2 * 10});
}

//===----------------------------------------------------------------------===//
// Rope and embedding
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, RopeStyles) {
  // One head of 4 features, theta 100: pair 0 turns by pos, pair 1 by
  // pos * 100^(-1/2) = pos / 10. Row 0 (position 0) is unchanged. Two
  // identical batches get identical results.
  Tensor x =
      makeTensor({2, 2, 4}, {5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4});
  auto [h0, h2] = turn(1, 3, 1.0);
  auto [h1, h3] = turn(2, 4, 0.1);
  std::vector<double> half = {5, 6, 7, 8, h0, h1, h2, h3};
  half.insert(half.end(), half.begin(), half.end());
  expectTensor(rope(x, nullptr, nullptr, 4, 4, 100.0, RopeStyle::Half),
               {2, 2, 4}, half);
  auto [i0, i1] = turn(1, 2, 1.0);
  auto [i2, i3] = turn(3, 4, 0.1);
  std::vector<double> inter = {5, 6, 7, 8, i0, i1, i2, i3};
  inter.insert(inter.end(), inter.begin(), inter.end());
  expectTensor(rope(x, nullptr, nullptr, 4, 4, 100.0, RopeStyle::Interleaved),
               {2, 2, 4}, inter);
}

TEST(ReferenceKernels, RopePartialWithPositions) {
  // Two heads of 6 features, rotary_dim 4, theta 1e4: pair 0 turns by pos,
  // pair 1 by pos / 100; features 4 and 5 of each head pass through.
  // Positions [5, 0]: row 1 is unchanged.
  std::vector<double> data;
  for (int i = 1; i <= 24; ++i)
    data.push_back(i);
  Tensor x = makeTensor({2, 12}, data);
  IndexTensor pos{{2}, {5, 0}};
  std::vector<double> half(data), inter(data);
  for (int h = 0; h < 2; ++h) {
    double *f = data.data() + 6 * h;
    std::tie(half[6 * h], half[6 * h + 2]) = turn(f[0], f[2], 5.0);
    std::tie(half[6 * h + 1], half[6 * h + 3]) = turn(f[1], f[3], 0.05);
    std::tie(inter[6 * h], inter[6 * h + 1]) = turn(f[0], f[1], 5.0);
    std::tie(inter[6 * h + 2], inter[6 * h + 3]) = turn(f[2], f[3], 0.05);
  }
  expectTensor(rope(x, &pos, nullptr, 6, 4, 1e4, RopeStyle::Half), {2, 12},
               half);
  expectTensor(rope(x, &pos, nullptr, 6, 4, 1e4, RopeStyle::Interleaved),
               {2, 12}, inter);
}

TEST(ReferenceKernels, EmbeddingClampsIds) {
  Tensor table = makeTensor({3, 2}, {0, 1, 10, 11, 20, 21});
  IndexTensor ids{{2, 2}, {2, -1, 0, 7}};
  expectTensor(embedding(table, ids), {2, 2, 2}, {20, 21, 0, 1, 0, 1, 20, 21});
}

TEST(ReferenceKernels, BroadcastBinary) {
  Tensor a = makeTensor({2, 1}, {1, 2});
  Tensor b = makeTensor({3}, {10, 20, 30});
  expectTensor(add(a, b), {2, 3}, {11, 21, 31, 12, 22, 32});
  expectTensor(mul(b, a), {2, 3}, {10, 20, 30, 20, 40, 60});
  Tensor scalar = makeTensor({}, {-2});
  expectTensor(mul(a, scalar), {2, 1}, {-2, -4});
  expectTensor(add(scalar, scalar), {}, {-4});
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, AttentionSingleHead) {
  // q = k = I, scale 1/sqrt(2): row 0 puts sigmoid(1/sqrt 2) on key 0.
  Tensor q = makeTensor({2, 2}, {1, 0, 0, 1});
  Tensor v = makeTensor({2, 2}, {1, 2, 3, 4});
  double p = sigmoid(1 / std::sqrt(2.0));
  AttentionParams params;
  expectTensor(attention(q, q, v, nullptr, params), {2, 2},
               {p * 1 + (1 - p) * 3, p * 2 + (1 - p) * 4, (1 - p) * 1 + p * 3,
                (1 - p) * 2 + p * 4});
  params.layout.causal = true;
  expectTensor(attention(q, q, v, nullptr, params), {2, 2},
               {1, 2, (1 - p) * 1 + p * 3, (1 - p) * 2 + p * 4});
  // Scale 0 averages the keys.
  params.layout = AttentionLayout();
  params.scale = 0.0;
  expectTensor(attention(q, q, v, nullptr, params), {2, 2}, {2, 3, 2, 3});
}

TEST(ReferenceKernels, AttentionStructuralMasks) {
  // Zero q and k: every visible key gets the same weight, so each output is
  // the mean of the visible values [1, 2, 4].
  Tensor z3({3, 1}), z2({2, 1});
  Tensor v = makeTensor({3, 1}, {1, 2, 4});
  AttentionParams params;
  params.layout.causal = true;
  expectTensor(attention(z3, z3, v, nullptr, params), {3, 1},
               {1, 1.5, 7.0 / 3});
  params.layout.causal = true;
  params.layout.window = 2;
  expectTensor(attention(z3, z3, v, nullptr, params), {3, 1}, {1, 1.5, 3});
  params.layout.window = 1;
  expectTensor(attention(z3, z3, v, nullptr, params), {3, 1}, {1, 2, 4});
  // Sq = 2 < Skv = 3: off = 1, query 0 sees keys 0 and 1.
  params.layout.window = 0;
  expectTensor(attention(z2, z3, v, nullptr, params), {2, 1}, {1.5, 7.0 / 3});
  params.layout.causal = true;
  params.layout.window = 2;
  expectTensor(attention(z2, z3, v, nullptr, params), {2, 1}, {1.5, 3});
  // Sq = 3 > Skv = 2: off = -1, query 0 sees no key and gives zeros.
  params.layout.window = 0;
  Tensor v2 = makeTensor({2, 1}, {1, 2});
  expectTensor(attention(z3, z2, v2, nullptr, params), {3, 1}, {0, 1, 1.5});
}

TEST(ReferenceKernels, AttentionGroupedQuery) {
  // H = 4, Hkv = 2, Dh = Dv = 1, scale 1: heads 0, 1 read kv head 0 and
  // heads 2, 3 read kv head 1. kv head 0 has keys [0, 1], values [1, 5];
  // kv head 1 has keys [0, 0], values [10, 20].
  Tensor q = makeTensor({1, 4}, {0, std::log(3.0), 0, std::log(3.0)});
  Tensor k = makeTensor({2, 2}, {0, 0, 1, 0});
  Tensor v = makeTensor({2, 2}, {1, 10, 5, 20});
  AttentionParams params;
  params.numHeads = 4;
  params.numKvHeads = 2;
  params.scale = 1.0;
  // Head 1: weights [1/4, 3/4] -> 1/4 + 15/4 = 4.
  expectTensor(attention(q, k, v, nullptr, params), {1, 4}, {3, 4, 15, 15});
}

TEST(ReferenceKernels, AttentionAdditiveMask) {
  Tensor z({2, 1});
  Tensor v = makeTensor({2, 2}, {1, 2, 3, 4});
  AttentionParams params;
  // Row 0 masks key 1; row 1 adds log 3 to key 0 (weights [3/4, 1/4]).
  Tensor mask = makeTensor({2, 2}, {0, -kInf, std::log(3.0), 0});
  expectTensor(attention(z, z, v, &mask, params), {2, 2}, {1, 2, 1.5, 2.5});
  // A fully masked row gives zeros, also combined with a structural mask.
  Tensor dead = makeTensor({2, 2}, {-kInf, -kInf, 0, -kInf});
  params.layout.causal = true;
  expectTensor(attention(z, z, v, &dead, params), {2, 2}, {0, 0, 1, 2});
}

TEST(ReferenceKernels, AttentionValidKeysAndLayouts) {
  // Zero q and k: each output is the mean of the visible values.
  Tensor z1({2, 1, 1}), z4({2, 4, 1});
  Tensor v = makeTensor({2, 4, 1}, {1, 2, 4, 8, 1, 2, 4, 8});
  AttentionParams params;
  params.layout.causal = true;
  // kv_len [2, 3]: one query at position L - 1 sees keys 0 .. L-1; the
  // rows past L (garbage in a cache) never count.
  IndexTensor len{{2}, {2, 3}};
  params.kvLen = &len;
  expectTensor(attention(z1, z4, v, nullptr, params), {2, 1, 1},
               {1.5, 7.0 / 3});
  // A window of 2 with 1 sink at position 2: keys 0, 1, 2.
  params.layout.window = 2;
  params.layout.sinks = 1;
  expectTensor(attention(z1, z4, v, nullptr, params), {2, 1, 1},
               {1.5, 7.0 / 3});
  len.data = {4, 4};
  expectTensor(attention(z1, z4, v, nullptr, params), {2, 1, 1},
               {13.0 / 3, 13.0 / 3});
}

TEST(ReferenceKernels, AttentionPackedSequences) {
  // Tokens [0, 2) and [2, 5) are two sequences, token 5 is outside both.
  Tensor z({6, 1});
  Tensor v = makeTensor({6, 1}, {1, 3, 10, 20, 30, 99});
  IndexTensor offsets{{3}, {0, 2, 5}};
  AttentionParams params;
  params.seqOffsets = &offsets;
  params.layout.causal = true;
  expectTensor(attention(z, z, v, nullptr, params), {6, 1},
               {1, 2, 10, 15, 20, 0});
}

TEST(ReferenceKernels, AttentionBlockMask) {
  // Blocks of 2 queries x 2 keys; query block 0 sees key block 1, query
  // block 1 sees key block 0 only.
  Tensor z({4, 1});
  Tensor v = makeTensor({4, 1}, {1, 3, 10, 20});
  IndexTensor blocks{{1, 2, 2}, {0, 1, 1, 0}};
  AttentionParams params;
  params.blockMask = &blocks;
  params.blockQ = params.blockK = 2;
  expectTensor(attention(z, z, v, nullptr, params), {4, 1}, {15, 15, 2, 2});
}

TEST(ReferenceKernels, CacheWrite) {
  // Capacity 3, one new row: batch 0 writes row 1 (kv_len 2), batch 1 would
  // write row 3, past the cache, and keeps its rows.
  Tensor cache = makeTensor({2, 3, 1}, {1, 2, 3, 4, 5, 6});
  Tensor update = makeTensor({2, 1, 1}, {-1, -2});
  IndexTensor len{{2}, {2, 4}};
  expectTensor(cacheWrite(update, cache, len), {2, 3, 1}, {1, -1, 3, 4, 5, 6});
}

TEST(ReferenceKernels, RopePerBatchAndPackedPositions) {
  // One head of 2 features, theta 1 (the pair turns by the position).
  Tensor x = makeTensor({2, 1, 2}, {1, 0, 1, 0});
  IndexTensor pos{{2, 1}, {0, 2}};
  auto [c, s] = turn(1, 0, 2.0);
  expectTensor(rope(x, &pos, nullptr, 2, 2, 1.0, RopeStyle::Half), {2, 1, 2},
               {1, 0, c, s});
  // Packed: tokens 0, 1 | 2, 3: positions 0, 1, 0, 1.
  Tensor t = makeTensor({4, 2}, {1, 0, 1, 0, 1, 0, 1, 0});
  IndexTensor offsets{{3}, {0, 2, 4}};
  auto [c1, s1] = turn(1, 0, 1.0);
  expectTensor(rope(t, nullptr, &offsets, 2, 2, 1.0, RopeStyle::Half), {4, 2},
               {1, 0, c1, s1, 1, 0, c1, s1});
}

TEST(ReferenceKernels, AttentionMaskBroadcastsOverBatchAndHeads) {
  // Batch 2, S = 2, H = 2, Dh = Dv = 1, zero q and k. A padding mask
  // [B, 1, 1, Skv] hides key 1 in batch 1 only.
  Tensor z({2, 2, 2});
  Tensor v = makeTensor({2, 2, 2}, {1, 10, 3, 30, 1, 10, 3, 30});
  Tensor mask = makeTensor({2, 1, 1, 2}, {0, 0, 0, -kInf});
  AttentionParams params;
  params.numHeads = params.numKvHeads = 2;
  expectTensor(attention(z, z, v, &mask, params), {2, 2, 2},
               {2, 20, 2, 20, 1, 10, 1, 10});
}

//===----------------------------------------------------------------------===//
// Composites
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, MlpDense) {
  // x = [1, -1]: up = identity -> relu [1, 0]; down [2, 3]^T + 0.5 = 2.5.
  Tensor x = makeTensor({1, 2}, {1, -1});
  Tensor eye = makeTensor({2, 2}, {1, 0, 0, 1});
  Tensor downKN = makeTensor({2, 1}, {2, 3});
  Tensor downNK = makeTensor({1, 2}, {2, 3});
  Tensor downBias = makeTensor({1}, {0.5});
  MlpWeights w;
  w.up = &eye;
  w.down = &downKN;
  w.downBias = &downBias;
  expectTensor(mlp(x, w, Activation::Relu, Layout::KN), {1, 1}, {2.5});
  w.down = &downNK;
  expectTensor(mlp(x, w, Activation::Relu, Layout::NK), {1, 1}, {2.5});
}

TEST(ReferenceKernels, MlpGated) {
  // gate = x + [0, 0] = [1, -1]; up = x + [1, 1] = [2, 0];
  // h = [2 silu(1), 0]; y = 2 h0.
  Tensor x = makeTensor({1, 2}, {1, -1});
  Tensor eye = makeTensor({2, 2}, {1, 0, 0, 1});
  Tensor upBias = makeTensor({2}, {1, 1});
  Tensor down = makeTensor({2, 1}, {2, 3});
  MlpWeights w;
  w.up = &eye;
  w.gate = &eye;
  w.down = &down;
  w.upBias = &upBias;
  expectTensor(mlp(x, w, Activation::Silu, Layout::KN), {1, 1},
               {4 * 0.7310585786300049});
}

/// Deterministic, non-trivial test weights.
Tensor filled(Shape shape, double seed) {
  Tensor t(std::move(shape));
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = 0.5 * std::sin(seed + 1.7 * static_cast<double>(i));
  return t;
}

struct BlockFixture {
  // D = 4, S = 3, H = 2, Hkv = 1, Dh = 2, F = 6, weights in KN layout.
  Tensor x = filled({1, 3, 4}, 0.1);
  Tensor g1 = filled({4}, 1), b1 = filled({4}, 2), g2 = filled({4}, 3),
         b2 = filled({4}, 4);
  Tensor wq = filled({4, 4}, 5), wk = filled({4, 2}, 6), wv = filled({4, 2}, 7),
         wo = filled({4, 4}, 8), bq = filled({4}, 9), bo = filled({4}, 10);
  Tensor up = filled({4, 6}, 11), gate = filled({4, 6}, 12),
         down = filled({6, 4}, 13), upBias = filled({6}, 14);
  Tensor mask = filled({3, 3}, 15);
  BlockWeights w;
  BlockParams p;

  BlockFixture() {
    w.norm1Weight = &g1;
    w.q = &wq;
    w.k = &wk;
    w.v = &wv;
    w.o = &wo;
    w.qBias = &bq;
    w.oBias = &bo;
    w.norm2Weight = &g2;
    w.mlp.up = &up;
    w.mlp.down = &down;
    w.mlp.upBias = &upBias;
    p.attention.numHeads = 2;
    p.attention.numKvHeads = 1;
    p.attention.layout.causal = true;
  }

  /// attn(t) from the primitives, with the optional rope.
  Tensor attn(const Tensor &t) const {
    Tensor q = linear(t, wq, Layout::KN, &bq), k = linear(t, wk, Layout::KN);
    if (p.ropeTheta) {
      q = rope(q, nullptr, nullptr, 2, 2, *p.ropeTheta, p.ropeStyle);
      k = rope(k, nullptr, nullptr, 2, 2, *p.ropeTheta, p.ropeStyle);
    }
    Tensor a = attention(q, k, linear(t, wv, Layout::KN), w.mask, p.attention);
    return linear(a, wo, Layout::KN, &bo);
  }
  Tensor ffn(const Tensor &t) const { return mlp(t, w.mlp, p.act, Layout::KN); }
};

TEST(ReferenceKernels, BlockPreLayerNorm) {
  BlockFixture f;
  f.w.norm1Bias = &f.b1;
  f.w.norm2Bias = &f.b2;
  f.p.act = Activation::GeluTanh;
  double eps = f.p.eps;
  Tensor h = add(f.x, f.attn(layerNorm(f.x, f.g1, &f.b1, eps)));
  Tensor y = add(h, f.ffn(layerNorm(h, f.g2, &f.b2, eps)));
  expectTensor(block(f.x, f.w, f.p).front(), f.x.shape, y.data);
}

TEST(ReferenceKernels, BlockPostRmsNormRopeGated) {
  BlockFixture f;
  f.w.mlp.gate = &f.gate;
  f.w.mask = &f.mask;
  f.p.placement = NormPlacement::Post;
  f.p.norm = NormKind::RmsNorm;
  f.p.eps = 1e-3;
  f.p.act = Activation::Silu;
  f.p.ropeTheta = 100.0;
  f.p.ropeStyle = RopeStyle::Interleaved;
  Tensor h = rmsNorm(add(f.x, f.attn(f.x)), f.g1, 1e-3);
  Tensor y = rmsNorm(add(h, f.ffn(h)), f.g2, 1e-3);
  expectTensor(block(f.x, f.w, f.p).front(), f.x.shape, y.data);
}

TEST(ReferenceKernels, BlockWithZeroOutputsIsIdentityOrNorms) {
  // With Wo, bo and Wdown zero, both sublayers add nothing: pre-norm returns
  // x and post-norm returns norm2(norm1(x)).
  BlockFixture f;
  f.wo = Tensor({4, 4});
  f.bo = Tensor({4});
  f.down = Tensor({6, 4});
  expectTensor(block(f.x, f.w, f.p).front(), f.x.shape, f.x.data);
  f.p.placement = NormPlacement::Post;
  f.p.norm = NormKind::RmsNorm;
  Tensor y = rmsNorm(rmsNorm(f.x, f.g1, f.p.eps), f.g2, f.p.eps);
  expectTensor(block(f.x, f.w, f.p).front(), f.x.shape, y.data);
}

} // namespace

//===----------------------------------------------------------------------===//
// Data movement (what imported graphs do between the xf ops)
//===----------------------------------------------------------------------===//

namespace {

// x[i][j][k] = 100 i + 10 j + k, shape [2, 3, 2].
Tensor counting() {
  return makeTensor({2, 3, 2},
                    {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121});
}

TEST(ReferenceKernels, TransposePermutesDimensions) {
  // Result dimension d is x's dimension perm[d]: r[k][i][j] = x[i][j][k].
  expectTensor(transpose(counting(), {2, 0, 1}), {2, 2, 3},
               {0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121});
}

TEST(ReferenceKernels, ReshapeKeepsRowMajorData) {
  Tensor r = reshape(counting(), {3, 4});
  expectTensor(r, {3, 4}, counting().data);
}

TEST(ReferenceKernels, SliceWithOffsetsAndStrides) {
  // x[1, 0::2, 1]: rows 0 and 2 of the second matrix, second column.
  expectTensor(slice(counting(), {1, 0, 1}, {1, 2, 1}, {1, 2, 1}), {1, 2, 1},
               {101, 121});
}

TEST(ReferenceKernels, ConcatAlongAnAxis) {
  Tensor a = makeTensor({2, 1}, {1, 2});
  Tensor b = makeTensor({2, 2}, {3, 4, 5, 6});
  expectTensor(concat<Tensor>({&a, &b}, 1), {2, 3}, {1, 3, 4, 2, 5, 6});
  expectTensor(concat<Tensor>({&b, &b}, 0), {4, 2}, {3, 4, 5, 6, 3, 4, 5, 6});
}

TEST(ReferenceKernels, BroadcastAddsDimensions) {
  // [2] to [3, 2] (dimension 0 added), and to [2, 3] (dimension 1 added).
  Tensor x = makeTensor({2}, {7, 8});
  expectTensor(broadcast(x, {3, 2}, {0}), {3, 2}, {7, 8, 7, 8, 7, 8});
  expectTensor(broadcast(x, {2, 3}, {1}), {2, 3}, {7, 7, 7, 8, 8, 8});
}

TEST(ReferenceKernels, IntegerLengthsAndPositions) {
  // Integer tensors move like float ones, and compute lengths exactly:
  // max(lens + 1, 3), then each row's positions len - 3 + [0, 1, 2].
  IndexTensor lens{{2}, {1, 6}};
  IndexTensor one{{2}, {1, 1}}, three{{2}, {3, 3}};
  IndexTensor kvLen =
      elementwise(IntOp::Max, elementwise(IntOp::Add, lens, one), three);
  EXPECT_EQ(kvLen.data, (std::vector<int64_t>{3, 7}));
  IndexTensor start =
      broadcast(elementwise(IntOp::Sub, kvLen, three), {2, 3}, {1});
  IndexTensor iota = broadcast(IndexTensor{{3}, {0, 1, 2}}, {2, 3}, {0});
  IndexTensor positions = elementwise(IntOp::Add, start, iota);
  EXPECT_EQ(positions.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(positions.data, (std::vector<int64_t>{0, 1, 2, 4, 5, 6}));
  EXPECT_EQ(elementwise(IntOp::Min, lens, three).data,
            (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(elementwise(IntOp::Mul, lens, three).data,
            (std::vector<int64_t>{3, 18}));
  EXPECT_EQ(transpose(positions, {1, 0}).data,
            (std::vector<int64_t>{0, 4, 1, 5, 2, 6}));
}

TEST(ReferenceKernels, ConversionsComparisonsSelects) {
  // Bools are 0 and 1; as i1 read signed, true is -1.
  IndexTensor flags{{3}, {0, 1, 1}};
  EXPECT_EQ(convertInt(flags, 1, /*isUnsigned=*/true, 32).data,
            (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(convertInt(flags, 1, /*isUnsigned=*/false, 32).data,
            (std::vector<int64_t>{0, -1, -1}));
  EXPECT_EQ(intToFloat(flags, 1, /*isUnsigned=*/true).data,
            (std::vector<double>{0, 1, 1}));
  // Truncation wraps: 300 in 8 bits is 44, -129 is 127; and to a bool keeps
  // the low bit.
  IndexTensor wide{{3}, {300, -129, 3}};
  EXPECT_EQ(convertInt(wide, 32, false, 8).data,
            (std::vector<int64_t>{44, 127, 3}));
  EXPECT_EQ(convertInt(wide, 32, false, 1).data,
            (std::vector<int64_t>{0, 1, 1}));
  // Floats truncate toward zero.
  Tensor reals = makeTensor({3}, {-1.7, 2.9, 0.2});
  EXPECT_EQ(floatToInt(reals, 32).data, (std::vector<int64_t>{-1, 2, 0}));
  // Ne is unordered: true with a NaN; the others are false with one.
  Tensor a = makeTensor({3}, {1.0, std::nan(""), 2.0});
  Tensor b = makeTensor({3}, {1.0, 1.0, 3.0});
  EXPECT_EQ(compare(Compare::Ne, a, b).data, (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(compare(Compare::Lt, a, b).data, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(compare(Compare::Eq, flags, IndexTensor{{3}, {0, 0, 1}}).data,
            (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(select(flags, a, b).data[0], 1.0);
  EXPECT_EQ(select(flags, b, a).data[2], 3.0);
  EXPECT_EQ(
      select(flags, IndexTensor{{3}, {7, 8, 9}}, IndexTensor{{3}, {4, 5, 6}})
          .data,
      (std::vector<int64_t>{4, 8, 9}));
}

} // namespace
