// A block mask computed at run time (BiFormer-style routing), through every
// pipeline variant: random 0/1 blocks per batch element and head, blocks
// that do not divide the sequences, broadcast batch and head dimensions,
// and together with a layout and an additive mask.
// RUN: %check-pipelines %s -e per_head | FileCheck %s
// RUN: %check-pipelines %s -e broadcast_heads_with_layout | FileCheck %s
// RUN: %check-pipelines %s -e with_additive_mask | FileCheck %s
// CHECK: 6 variants ok

func.func @per_head(%q: tensor<2x45x48xf32>, %k: tensor<2x45x48xf32>, %v: tensor<2x45x48xf32>, %m: tensor<2x3x6x3xi8>) -> tensor<2x45x48xf32> {
  %o = xf.attention %q, %k, %v block_mask %m [8, 16] heads 3 : (tensor<2x45x48xf32>, tensor<2x45x48xf32>, tensor<2x45x48xf32>, tensor<2x3x6x3xi8>) -> tensor<2x45x48xf32>
  return %o : tensor<2x45x48xf32>
}

func.func @broadcast_heads_with_layout(%q: tensor<140x32xf32>, %m: tensor<1x5x3xi32>) -> tensor<140x32xf32> {
  %o = xf.attention %q, %q, %q block_mask %m [32, 64] heads 2 causal sinks 3 : (tensor<140x32xf32>, tensor<140x32xf32>, tensor<140x32xf32>, tensor<1x5x3xi32>) -> tensor<140x32xf32>
  return %o : tensor<140x32xf32>
}

func.func @with_additive_mask(%q: tensor<20x16xf32>, %a: tensor<20x20xf32>, %m: tensor<1x3x3xi8>) -> tensor<20x16xf32> {
  %o = xf.attention %q, %q, %q mask %a block_mask %m [7, 7] heads 1 : (tensor<20x16xf32>, tensor<20x16xf32>, tensor<20x16xf32>, tensor<20x20xf32>, tensor<1x3x3xi8>) -> tensor<20x16xf32>
  return %o : tensor<20x16xf32>
}
