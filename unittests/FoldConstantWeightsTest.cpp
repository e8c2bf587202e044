//===- FoldConstantWeightsTest.cpp - weights' blobs freed as they pack ----===//

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::xf;

namespace {

// `a` feeds one packing, `b` a packing and the result, `c` two packings.
constexpr const char *kModule = R"mlir(
func.func @f() -> (tensor<1x2x16xf32>, tensor<1x2x16xf32>, tensor<2x2xf32>,
                   tensor<1x2x16xf32>, tensor<1x2x16xf32>) {
  %a = arith.constant dense_resource<a> : tensor<2x2xf32>
  %b = arith.constant dense_resource<b> : tensor<2x2xf32>
  %c = arith.constant dense_resource<c> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x16xf32>
  %pa = xf_cpu.pack_weights %a layout kn outs(%e : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  %pb = xf_cpu.pack_weights %b layout kn outs(%e : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  %pc0 = xf_cpu.pack_weights %c layout kn outs(%e : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  %pc1 = xf_cpu.pack_weights %c layout nk outs(%e : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  return %pa, %pb, %b, %pc0, %pc1 : tensor<1x2x16xf32>, tensor<1x2x16xf32>, tensor<2x2xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>
}
{-# dialect_resources: { builtin: {
  a: "0x04000000000080BF0000004000000000000040C0",
  b: "0x04000000000080BF0000004000000000000040C0",
  c: "0x04000000000080BF0000004000000000000040C0"
} } #-}
)mlir";

/// The bytes blob `key` holds now.
size_t blobBytes(MLIRContext &ctx, StringRef key) {
  auto &manager = DenseResourceElementsHandle::getManagerInterface(&ctx);
  BlobEntry *entry = manager.getBlobManager().lookup(key);
  return entry && entry->getBlob() ? entry->getBlob()->getData().size() : 0;
}

/// Parses the module into `ctx` and runs the pass on it; whether every
/// packing folded.
bool foldsEveryPacking(MLIRContext &ctx, bool release) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(kModule, &ctx);
  if (!module)
    return false;
  PassManager pm(&ctx);
  XfCpuFoldConstantWeightsOptions options;
  options.releaseWeights = release;
  pm.addPass(createXfCpuFoldConstantWeights(options));
  if (failed(pm.run(*module)))
    return false;
  bool folded = true;
  module->walk([&](cpu::PackWeightsOp) { folded = false; });
  return folded;
}

DialectRegistry dialects() {
  DialectRegistry registry;
  registry.insert<BuiltinDialect, func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect, XfDialect, cpu::XfCpuDialect>();
  return registry;
}

TEST(FoldConstantWeights, ReleasesTheBlobsThePackingConsumed) {
  MLIRContext ctx(dialects());
  ASSERT_TRUE(foldsEveryPacking(ctx, /*release=*/true));
  EXPECT_EQ(blobBytes(ctx, "a"), 0u);  // consumed by its one packing
  EXPECT_EQ(blobBytes(ctx, "b"), 16u); // still returned
  EXPECT_EQ(blobBytes(ctx, "c"), 0u);  // consumed by its second packing
}

TEST(FoldConstantWeights, KeepsEveryBlobByDefault) {
  MLIRContext ctx(dialects());
  ASSERT_TRUE(foldsEveryPacking(ctx, /*release=*/false));
  for (StringRef key : {"a", "b", "c"})
    EXPECT_EQ(blobBytes(ctx, key), 16u) << key.str();
}

} // namespace
