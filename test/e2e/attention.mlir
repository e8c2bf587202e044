// RUN: %check-pipelines %s -e mha_odd | FileCheck %s
// RUN: %check-pipelines %s -e causal | FileCheck %s
// RUN: %check-pipelines %s -e sliding_window | FileCheck %s
// RUN: %check-pipelines %s -e gqa_causal | FileCheck %s
// RUN: %check-pipelines %s -e gqa_heads_outermost | FileCheck %s
// RUN: %check-pipelines %s -e mqa_window | FileCheck %s
// RUN: %check-pipelines %s -e value_head_size_differs | FileCheck %s
// RUN: %check-pipelines %s -e decode_step | FileCheck %s
// RUN: %check-pipelines %s -e mask_broadcast | FileCheck %s
// RUN: %check-pipelines %s -e two_batch_dims_scale | FileCheck %s
// RUN: %check-pipelines %s -e seq1 | FileCheck %s
// RUN: %check-pipelines %s -e longer_causal | FileCheck %s
// CHECK: 6 variants ok

// With more queries than keys, causal masking aligned to the bottom right
// leaves the first two queries without keys: their rows are zeros.
// RUN: %check-pipelines %s -e more_queries_than_keys | FileCheck %s --check-prefix=EMPTY
// EMPTY-COUNT-6: result #0: 1x5x16xf32 sum={{.*}} first=[0.0000e+00, 0.0000e+00, 0.0000e+00, 0.0000e+00,
// EMPTY: 6 variants ok

// A query whose keys are all masked by an additive -inf gives zeros too.
// RUN: %check-pipelines %s -e fully_masked_row | FileCheck %s --check-prefix=EMPTY2
// EMPTY2-COUNT-6: result #0: 3x8xf32 sum={{.*}} first=[0.0000e+00, 0.0000e+00, 0.0000e+00, 0.0000e+00,
// EMPTY2: 6 variants ok

func.func @mha_odd(%q: tensor<2x7x24xf32>, %k: tensor<2x7x24xf32>, %v: tensor<2x7x24xf32>) -> tensor<2x7x24xf32> {
  %o = xf.attention %q, %k, %v heads 3 : (tensor<2x7x24xf32>, tensor<2x7x24xf32>, tensor<2x7x24xf32>) -> tensor<2x7x24xf32>
  return %o : tensor<2x7x24xf32>
}

func.func @causal(%q: tensor<1x9x32xf32>, %k: tensor<1x9x32xf32>, %v: tensor<1x9x32xf32>) -> tensor<1x9x32xf32> {
  %o = xf.attention %q, %k, %v heads 4 causal : (tensor<1x9x32xf32>, tensor<1x9x32xf32>, tensor<1x9x32xf32>) -> tensor<1x9x32xf32>
  return %o : tensor<1x9x32xf32>
}

func.func @sliding_window(%q: tensor<10x16xf32>, %k: tensor<10x16xf32>, %v: tensor<10x16xf32>) -> tensor<10x16xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal window 3 : (tensor<10x16xf32>, tensor<10x16xf32>, tensor<10x16xf32>) -> tensor<10x16xf32>
  return %o : tensor<10x16xf32>
}

// Without batch dimensions the heads are the outermost loop of the plain
// lowering, and two threads cannot split 6 heads 3 / 3 without cutting a
// group of 2.
func.func @gqa_heads_outermost(%q: tensor<17x120xf32>, %k: tensor<17x60xf32>, %v: tensor<17x60xf32>) -> tensor<17x120xf32> {
  %o = xf.attention %q, %k, %v heads 6 kv_heads 3 : (tensor<17x120xf32>, tensor<17x60xf32>, tensor<17x60xf32>) -> tensor<17x120xf32>
  return %o : tensor<17x120xf32>
}

func.func @gqa_causal(%q: tensor<1x6x48xf32>, %k: tensor<1x6x16xf32>, %v: tensor<1x6x16xf32>) -> tensor<1x6x48xf32> {
  %o = xf.attention %q, %k, %v heads 6 kv_heads 2 causal : (tensor<1x6x48xf32>, tensor<1x6x16xf32>, tensor<1x6x16xf32>) -> tensor<1x6x48xf32>
  return %o : tensor<1x6x48xf32>
}

func.func @mqa_window(%q: tensor<2x8x32xf32>, %k: tensor<2x8x8xf32>, %v: tensor<2x8x8xf32>) -> tensor<2x8x32xf32> {
  %o = xf.attention %q, %k, %v heads 4 kv_heads 1 causal window 2 : (tensor<2x8x32xf32>, tensor<2x8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x32xf32>
  return %o : tensor<2x8x32xf32>
}

func.func @value_head_size_differs(%q: tensor<1x5x16xf32>, %k: tensor<1x5x16xf32>, %v: tensor<1x5x12xf32>) -> tensor<1x5x12xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal : (tensor<1x5x16xf32>, tensor<1x5x16xf32>, tensor<1x5x12xf32>) -> tensor<1x5x12xf32>
  return %o : tensor<1x5x12xf32>
}

// One new query against a cache of 9 keys.
func.func @decode_step(%q: tensor<1x1x32xf32>, %k: tensor<1x9x16xf32>, %v: tensor<1x9x16xf32>) -> tensor<1x1x32xf32> {
  %o = xf.attention %q, %k, %v heads 4 kv_heads 2 causal : (tensor<1x1x32xf32>, tensor<1x9x16xf32>, tensor<1x9x16xf32>) -> tensor<1x1x32xf32>
  return %o : tensor<1x1x32xf32>
}

func.func @more_queries_than_keys(%q: tensor<1x5x16xf32>, %k: tensor<1x3x16xf32>, %v: tensor<1x3x16xf32>) -> tensor<1x5x16xf32> {
  %o = xf.attention %q, %k, %v heads 2 causal : (tensor<1x5x16xf32>, tensor<1x3x16xf32>, tensor<1x3x16xf32>) -> tensor<1x5x16xf32>
  return %o : tensor<1x5x16xf32>
}

// A per-sequence mask that broadcasts over heads and queries, plus a
// per-head one.
func.func @mask_broadcast(%q: tensor<2x4x16xf32>, %m: tensor<2x1x1x4xf32>, %mh: tensor<2x4x4xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %a = xf.attention %q, %q, %q mask %m heads 2 : (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x1x1x4xf32>) -> tensor<2x4x16xf32>
  %b = xf.attention %q, %q, %q mask %mh heads 2 causal : (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x4xf32>) -> tensor<2x4x16xf32>
  return %a, %b : tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

func.func @fully_masked_row(%q: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %m = arith.constant dense<[[0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0], [0.0, 0.0, -1.0]]> : tensor<3x3xf32>
  %o = xf.attention %q, %q, %q mask %m heads 2 : (tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>) -> tensor<3x8xf32>
  return %o : tensor<3x8xf32>
}

func.func @two_batch_dims_scale(%q: tensor<2x3x5x16xf32>, %k: tensor<2x3x6x16xf32>) -> tensor<2x3x5x16xf32> {
  %o = xf.attention %q, %k, %k heads 2 scale 0.5 causal : (tensor<2x3x5x16xf32>, tensor<2x3x6x16xf32>, tensor<2x3x6x16xf32>) -> tensor<2x3x5x16xf32>
  return %o : tensor<2x3x5x16xf32>
}

func.func @seq1(%q: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %o = xf.attention %q, %q, %q heads 1 causal : (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  return %o : tensor<1x8xf32>
}

func.func @longer_causal(%q: tensor<1x130x256xf32>, %k: tensor<1x130x128xf32>, %v: tensor<1x130x128xf32>) -> tensor<1x130x256xf32> {
  %o = xf.attention %q, %k, %v heads 4 kv_heads 2 causal : (tensor<1x130x256xf32>, tensor<1x130x128xf32>, tensor<1x130x128xf32>) -> tensor<1x130x256xf32>
  return %o : tensor<1x130x256xf32>
}

// Padding hidden with the lowest float (as Hugging Face does), one query
// with every key hidden: softmax spreads it evenly, it is not zeros.
// RUN: %check-pipelines %s -e padding_float_min | FileCheck %s
func.func @padding_float_min(%q: tensor<2x8xf32>, %k: tensor<3x8xf32>, %v: tensor<3x8xf32>) -> tensor<2x8xf32> {
  %m = arith.constant dense<[[0xFF7FFFFF, 0xFF7FFFFF, 0xFF7FFFFF], [0.0, 0.0, 0xFF7FFFFF]]> : tensor<2x3xf32>
  %o = xf.attention %q, %k, %v mask %m heads 1 : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>, tensor<2x3xf32>) -> tensor<2x8xf32>
  return %o : tensor<2x8xf32>
}
