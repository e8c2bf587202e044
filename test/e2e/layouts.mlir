// Every attention layout through every pipeline variant, against the
// reference evaluator: shapes that do not divide the tiles (37 queries,
// head size 12), queries that see no key, block rows that are all absent,
// more queries than keys, a few queries against many keys.
// RUN: %check-pipelines %s -e sinks_window | FileCheck %s
// RUN: %check-pipelines %s -e local_global | FileCheck %s
// RUN: %check-pipelines %s -e dilated | FileCheck %s
// RUN: %check-pipelines %s -e strided | FileCheck %s
// RUN: %check-pipelines %s -e band | FileCheck %s
// RUN: %check-pipelines %s -e block_sparse | FileCheck %s
// RUN: %check-pipelines %s -e long_sparse | FileCheck %s
// RUN: %check-pipelines %s -e more_queries_than_keys | FileCheck %s
// RUN: %check-pipelines %s -e few_queries_many_keys | FileCheck %s
// CHECK: 6 variants ok

// A block row of the map is all false: its queries see nothing and give
// zeros in every variant.
// RUN: %check-pipelines %s -e empty_block_row | FileCheck %s --check-prefix=EMPTY
// EMPTY-COUNT-6: result #0: 16x24xf32 sum={{.*}} first=[0.0000e+00, 0.0000e+00, 0.0000e+00, 0.0000e+00,
// EMPTY: 6 variants ok

// StreamingLLM: the first keys and a causal window.
func.func @sinks_window(%q: tensor<1x37x48xf32>, %k: tensor<1x37x24xf32>, %v: tensor<1x37x24xf32>) -> tensor<1x37x48xf32> {
  %o = xf.attention %q, %k, %v heads 4 kv_heads 2 causal window 5 sinks 3 : (tensor<1x37x48xf32>, tensor<1x37x24xf32>, tensor<1x37x24xf32>) -> tensor<1x37x48xf32>
  return %o : tensor<1x37x48xf32>
}

// Longformer: a band on both sides and global positions.
func.func @local_global(%q: tensor<2x40x24xf32>, %k: tensor<2x40x24xf32>, %v: tensor<2x40x24xf32>) -> tensor<2x40x24xf32> {
  %o = xf.attention %q, %k, %v heads 2 window 3 global [0, 11, 39] : (tensor<2x40x24xf32>, tensor<2x40x24xf32>, tensor<2x40x24xf32>) -> tensor<2x40x24xf32>
  return %o : tensor<2x40x24xf32>
}

// A dilated causal window: 4 keys, every third.
func.func @dilated(%q: tensor<33x32xf32>, %k: tensor<33x32xf32>, %v: tensor<33x32xf32>) -> tensor<33x32xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal window 4 dilation 3 : (tensor<33x32xf32>, tensor<33x32xf32>, tensor<33x32xf32>) -> tensor<33x32xf32>
  return %o : tensor<33x32xf32>
}

// Sparse Transformer's strided pattern: a local window and every 7th key.
func.func @strided(%q: tensor<1x45x16xf32>, %k: tensor<1x45x16xf32>, %v: tensor<1x45x16xf32>) -> tensor<1x45x16xf32> {
  %o = xf.attention %q, %k, %v heads 1 causal window 5 stride 7 : (tensor<1x45x16xf32>, tensor<1x45x16xf32>, tensor<1x45x16xf32>) -> tensor<1x45x16xf32>
  return %o : tensor<1x45x16xf32>
}

// A bidirectional band.
func.func @band(%q: tensor<29x24xf32>, %k: tensor<29x24xf32>, %v: tensor<29x24xf32>) -> tensor<29x24xf32> {
  %o = xf.attention %q, %k, %v heads 2 window 4 : (tensor<29x24xf32>, tensor<29x24xf32>, tensor<29x24xf32>) -> tensor<29x24xf32>
  return %o : tensor<29x24xf32>
}

// A block-sparse map of 8 x 8 blocks over 30 positions, with causal.
func.func @block_sparse(%q: tensor<1x30x32xf32>, %k: tensor<1x30x32xf32>, %v: tensor<1x30x32xf32>) -> tensor<1x30x32xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal
      blocks [8, 8] dense<[[true, false, false, false], [true, true, false, false], [false, true, true, false], [true, false, true, true]]> : tensor<4x4xi1>
      : (tensor<1x30x32xf32>, tensor<1x30x32xf32>, tensor<1x30x32xf32>) -> tensor<1x30x32xf32>
  return %o : tensor<1x30x32xf32>
}

// Blocks smaller than the kernel's tiles and several key tiles (300 keys).
func.func @long_sparse(%q: tensor<300x16xf32>, %k: tensor<300x16xf32>, %v: tensor<300x16xf32>) -> tensor<300x16xf32> {
  %o = xf.attention %q, %k, %v heads 1 window 7 sinks 2
      blocks [100, 50] dense<[[true, false, false, false, false, true], [false, false, true, false, false, false], [false, false, false, false, false, true]]> : tensor<3x6xi1>
      : (tensor<300x16xf32>, tensor<300x16xf32>, tensor<300x16xf32>) -> tensor<300x16xf32>
  return %o : tensor<300x16xf32>
}

func.func @empty_block_row(%q: tensor<16x24xf32>, %k: tensor<16x24xf32>, %v: tensor<16x24xf32>) -> tensor<16x24xf32> {
  %o = xf.attention %q, %k, %v heads 2 blocks [8, 8] dense<[[false, false], [true, true]]> : tensor<2x2xi1>
      : (tensor<16x24xf32>, tensor<16x24xf32>, tensor<16x24xf32>) -> tensor<16x24xf32>
  return %o : tensor<16x24xf32>
}

// 20 queries against 12 keys: the first 8 queries sit before every key.
func.func @more_queries_than_keys(%q: tensor<20x32xf32>, %k: tensor<12x32xf32>, %v: tensor<12x32xf32>) -> tensor<20x32xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal window 3 sinks 2 : (tensor<20x32xf32>, tensor<12x32xf32>, tensor<12x32xf32>) -> tensor<20x32xf32>
  return %o : tensor<20x32xf32>
}

// 3 queries (speculative decoding) against 200 keys.
func.func @few_queries_many_keys(%q: tensor<2x3x64xf32>, %k: tensor<2x200x16xf32>, %v: tensor<2x200x16xf32>) -> tensor<2x3x64xf32> {
  %o = xf.attention %q, %k, %v heads 4 kv_heads 1 causal window 50 sinks 4 : (tensor<2x3x64xf32>, tensor<2x200x16xf32>, tensor<2x200x16xf32>) -> tensor<2x3x64xf32>
  return %o : tensor<2x3x64xf32>
}
