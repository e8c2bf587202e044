//===- WeightMatrixTest.cpp - the [K, N] view of constant weights ---------===//

#include "xf/Dialect/WeightMatrix.h"
#include "xf/Support/HalfFloat.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::xf;

namespace {

DenseElementsAttr f32Constant(MLIRContext &ctx, ArrayRef<int64_t> shape,
                              ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, Float32Type::get(&ctx));
  return DenseElementsAttr::get(type, values);
}

std::optional<WeightMatrix> read(Attribute attr, WeightLayout layout) {
  std::optional<RawElements> raw = rawElements(attr);
  return raw ? WeightMatrix::read(*raw, layout) : std::nullopt;
}

TEST(WeightMatrix, BothLayoutsSeeTheSameKN) {
  MLIRContext ctx;
  // W [K = 2, N = 3] = [[1, 2, 3], [4, 5, 6]], stored kn and nk.
  auto kn =
      read(f32Constant(ctx, {2, 3}, {1, 2, 3, 4, 5, 6}), WeightLayout::kn);
  auto nk =
      read(f32Constant(ctx, {3, 2}, {1, 4, 2, 5, 3, 6}), WeightLayout::nk);
  ASSERT_TRUE(kn && nk);
  EXPECT_EQ(kn->rows(), 2);
  EXPECT_EQ(kn->cols(), 3);
  for (int64_t r = 0; r < 2; ++r)
    for (int64_t c = 0; c < 3; ++c)
      EXPECT_EQ(kn->at(r, c), nk->at(r, c)) << r << ", " << c;
  EXPECT_EQ(nk->at(1, 2), 6.0f);
}

TEST(WeightMatrix, BlocksCutByTheEdges) {
  MLIRContext ctx;
  // [K = 5, N = 3], nonzero only at (4, 2): the last block of each shape.
  SmallVector<float> values(15, 0.0f);
  values[4 * 3 + 2] = 1.0f;
  auto w = read(f32Constant(ctx, {5, 3}, values), WeightLayout::kn);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->nonzeroBlocks(1, 1), 1);
  EXPECT_EQ(w->nonzeroBlocks(2, 2), 1); // 3 x 2 blocks, (2, 1) cut
  EXPECT_TRUE(w->blockIsNonzero(2, 1, 2, 2));
  EXPECT_FALSE(w->blockIsNonzero(1, 1, 2, 2));
  EXPECT_EQ(w->nonzeroBlocks(16, 32), 1);
}

TEST(WeightMatrix, TwoOfFourAlongKWithAShortLastGroup) {
  MLIRContext ctx;
  // [K = 6, N = 2]: column 0 keeps rows 0, 3 and 4, 5 (the short group);
  // column 1 rows 1, 2 and none.
  SmallVector<float> values = {1, 0, 0, 2, 0, 3, 4, 0, 5, 0, 6, 0};
  auto w = read(f32Constant(ctx, {6, 2}, values), WeightLayout::kn);
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->isTwoOfFour());
  // A third nonzero in the first group of column 1; -0 counts as zero.
  values[2 * 3 + 1] = 7;
  values[0] = -0.0f;
  EXPECT_FALSE(
      read(f32Constant(ctx, {6, 2}, values), WeightLayout::kn)->isTwoOfFour());
  values[2 * 3 + 1] = -0.0f;
  EXPECT_TRUE(
      read(f32Constant(ctx, {6, 2}, values), WeightLayout::kn)->isTwoOfFour());
}

TEST(WeightMatrix, Bf16AndSplatsAndWriteBack) {
  MLIRContext ctx;
  Builder b(&ctx);
  auto bf16Type = RankedTensorType::get({2, 2}, b.getBF16Type());
  SmallVector<uint16_t> bits = {toBF16(1.5f), toBF16(-2.0f), toBF16(0.0f),
                                toBF16(3.25f)};
  auto bf16 = DenseElementsAttr::getFromRawBuffer(
      bf16Type, ArrayRef<char>(reinterpret_cast<const char *>(bits.data()),
                               bits.size() * 2));
  auto w = read(bf16, WeightLayout::kn);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->at(0, 1), -2.0f);
  EXPECT_EQ(w->at(1, 1), 3.25f);
  w->at(0, 0) = 0.0f;
  auto back = read(w->toAttr(bf16Type), WeightLayout::kn);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at(0, 0), 0.0f);
  EXPECT_EQ(back->at(1, 1), 3.25f);

  auto splat = read(DenseElementsAttr::get(
                        RankedTensorType::get({3, 4}, b.getF32Type()), 7.0f),
                    WeightLayout::nk);
  ASSERT_TRUE(splat);
  EXPECT_EQ(splat->rows(), 4);
  EXPECT_EQ(splat->at(3, 2), 7.0f);

  // Not a float weight of rank 2.
  auto ints = DenseElementsAttr::get(
      RankedTensorType::get({2, 2}, b.getI8Type()), b.getI8IntegerAttr(1));
  EXPECT_FALSE(read(ints, WeightLayout::kn));
}

TEST(ConstantBytes, BlobsAreReadSharedAndReleased) {
  MLIRContext ctx;
  ctx.getOrLoadDialect<BuiltinDialect>();
  Builder b(&ctx);
  // 2048 f32: a blob; 4 of them: a dense attribute.
  auto type = RankedTensorType::get({32, 64}, b.getF32Type());
  std::vector<float> values(32 * 64);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<float>(i) - 7.5f;
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  ElementsAttr blob = blobConstant(type, bytes);
  ASSERT_TRUE(isa<DenseResourceElementsAttr>(blob));
  // Equal bytes share one blob.
  EXPECT_EQ(blob, blobConstant(type, bytes));
  std::optional<RawElements> raw = rawElements(blob);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->floatAt(65), 57.5);
  auto w = read(blob, WeightLayout::nk);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->at(1, 2), 2 * 64 + 1 - 7.5f);

  auto small = RankedTensorType::get({4}, b.getI32Type());
  std::vector<int32_t> ints = {-3, 0, 5, 1 << 30};
  ElementsAttr dense = blobConstant(
      small, ArrayRef<char>(reinterpret_cast<const char *>(ints.data()), 16));
  ASSERT_TRUE(isa<DenseElementsAttr>(dense));
  EXPECT_EQ(rawElements(dense)->intAt(0), -3);
  EXPECT_EQ(rawElements(dense)->intAt(3), 1 << 30);

  auto entry = cast<DenseResourceElementsAttr>(blob).getRawHandle();
  releaseBlob(entry.getResource());
  EXPECT_FALSE(rawElements(blob));
  // New bytes under the same hash make a new blob.
  ElementsAttr again = blobConstant(type, bytes);
  EXPECT_NE(again, blob);
  EXPECT_EQ(rawElements(again)->floatAt(0), -7.5);
}

} // namespace
