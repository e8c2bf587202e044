// RUN: xf-opt %s --split-input-file --xf-merge-projections | FileCheck %s

// Q, K and V read the same input: one GEMM on the concatenated weights,
// the results are slices of it (K and V are narrower, as with GQA).
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x32xf32>, %[[WQ:.*]]: tensor<32x32xf32>, %[[WK:.*]]: tensor<32x16xf32>, %[[WV:.*]]: tensor<32x16xf32>, %[[BQ:.*]]: tensor<32xf32>)
// CHECK:      arith.constant dense<0.000000e+00> : tensor<16xf32>
// CHECK:      %[[W:.*]] = tensor.concat dim(1) %[[WQ]], %[[WK]], %[[WV]] : (tensor<32x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>) -> tensor<32x64xf32>
// CHECK:      %[[B:.*]] = tensor.concat dim(0) %[[BQ]], %{{.*}}, %{{.*}} : (tensor<32xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<64xf32>
// CHECK:      %[[Y:.*]] = xf.linear %[[X]], %[[W]] bias %[[B]] : (tensor<2x5x32xf32>, tensor<32x64xf32>, tensor<64xf32>) -> tensor<2x5x64xf32>
// CHECK-DAG:  %[[Q:.*]] = tensor.extract_slice %[[Y]][0, 0, 0] [2, 5, 32] [1, 1, 1]
// CHECK-DAG:  %[[K:.*]] = tensor.extract_slice %[[Y]][0, 0, 32] [2, 5, 16] [1, 1, 1]
// CHECK-DAG:  %[[V:.*]] = tensor.extract_slice %[[Y]][0, 0, 48] [2, 5, 16] [1, 1, 1]
// CHECK:      xf.attention %[[Q]], %[[K]], %[[V]] heads 4 kv_heads 2
// CHECK-NOT:  xf.linear
func.func @qkv(%x: tensor<2x5x32xf32>, %wq: tensor<32x32xf32>, %wk: tensor<32x16xf32>, %wv: tensor<32x16xf32>,
               %bq: tensor<32xf32>) -> tensor<2x5x32xf32> {
  %q = xf.linear %x, %wq bias %bq : (tensor<2x5x32xf32>, tensor<32x32xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %k = xf.linear %x, %wk : (tensor<2x5x32xf32>, tensor<32x16xf32>) -> tensor<2x5x16xf32>
  %v = xf.linear %x, %wv : (tensor<2x5x32xf32>, tensor<32x16xf32>) -> tensor<2x5x16xf32>
  %a = xf.attention %q, %k, %v heads 4 kv_heads 2 : (tensor<2x5x32xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>) -> tensor<2x5x32xf32>
  return %a : tensor<2x5x32xf32>
}

// -----

// Constant weights are concatenated at compile time; layout nk stacks rows.
// CHECK-LABEL: func.func @constants_nk
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: %[[Y:.*]] = xf.linear %{{.*}}, %[[W]] layout nk : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
// CHECK: tensor.extract_slice %[[Y]][0, 0] [4, 2] [1, 1]
// CHECK: tensor.extract_slice %[[Y]][0, 2] [4, 1] [1, 1]
func.func @constants_nk(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x1xf32>) {
  %wa = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %wb = arith.constant dense<[[5.0, 6.0]]> : tensor<1x2xf32>
  %a = xf.linear %x, %wa layout nk : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %b = xf.linear %x, %wb layout nk : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
  return %a, %b : tensor<4x2xf32>, tensor<4x1xf32>
}

// -----

// Constant kn weights interleave per input row.
// CHECK-LABEL: func.func @constants_kn
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 5.000000e+00], [3.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
func.func @constants_kn(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x1xf32>) {
  %wa = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %wb = arith.constant dense<[[5.0], [6.0]]> : tensor<2x1xf32>
  %a = xf.linear %x, %wa : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  %b = xf.linear %x, %wb : (tensor<4x2xf32>, tensor<2x1xf32>) -> tensor<4x1xf32>
  return %a, %b : tensor<4x2xf32>, tensor<4x1xf32>
}

// -----

// Different layouts, an activation, or a different input keep linears apart.
// CHECK-LABEL: func.func @not_mergeable
// CHECK-COUNT-4: xf.linear
// CHECK-NOT: tensor.extract_slice
func.func @not_mergeable(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %w: tensor<8x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.linear %x, %w layout nk : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %2 = xf.linear %x, %w act relu : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %3 = xf.linear %y, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A weight computed after the first linear cannot feed the merged GEMM there.
// CHECK-LABEL: func.func @late_weight
// CHECK-COUNT-2: xf.linear
// CHECK-NOT: tensor.extract_slice
func.func @late_weight(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %w2 = xf.relu %w : tensor<8x8xf32>
  %1 = xf.linear %x, %w2 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Linears in different blocks are not merged, even with the same input: a
// merged GEMM inside the scf.if would not dominate the linear after it. The
// two inside the region merge with each other.
// CHECK-LABEL: func.func @regions
// CHECK:       scf.if
// CHECK:         %[[M:.*]] = xf.linear %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-COUNT-2: tensor.extract_slice %[[M]]
// CHECK:       } else {
// CHECK:       xf.linear %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:  return
func.func @regions(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %c: i1) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = scf.if %c -> tensor<4x8xf32> {
    %a = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %b = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %s = xf.add %a, %b : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    scf.yield %s : tensor<4x8xf32>
  } else {
    scf.yield %x : tensor<4x8xf32>
  }
  %1 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Weights of different element types are merged each with its own kind:
// the two bf16 ones into one product, the f16 one alone.
// CHECK-LABEL: func.func @element_types
// CHECK: %[[W:.*]] = tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<8x4xbf16>, tensor<8x6xbf16>) -> tensor<8x10xbf16>
// CHECK: xf.linear %{{.*}}, %[[W]] : (tensor<3x8xf32>, tensor<8x10xbf16>) -> tensor<3x10xf32>
// CHECK: xf.linear %{{.*}}, %{{.*}} : (tensor<3x8xf32>, tensor<8x5xf16>) -> tensor<3x5xf32>
// CHECK-NOT: xf.linear
// CHECK: return
func.func @element_types(%x: tensor<3x8xf32>, %a: tensor<8x4xbf16>, %h: tensor<8x5xf16>, %b: tensor<8x6xbf16>)
    -> (tensor<3x4xf32>, tensor<3x5xf32>, tensor<3x6xf32>) {
  %ya = xf.linear %x, %a : (tensor<3x8xf32>, tensor<8x4xbf16>) -> tensor<3x4xf32>
  %yh = xf.linear %x, %h : (tensor<3x8xf32>, tensor<8x5xf16>) -> tensor<3x5xf32>
  %yb = xf.linear %x, %b : (tensor<3x8xf32>, tensor<8x6xbf16>) -> tensor<3x6xf32>
  return %ya, %yh, %yb : tensor<3x4xf32>, tensor<3x5xf32>, tensor<3x6xf32>
}
