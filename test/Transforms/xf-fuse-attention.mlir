// RUN: xf-opt %s --split-input-file --xf-fuse-attention | FileCheck %s
// RUN: xf-opt %s --split-input-file "--xf-fuse-attention=online-softmax=false" | FileCheck %s --check-prefix=FORM

// The unfused chain of an imported graph: heads as a batch dimension, a
// constant scale and an additive mask.
// FORM-LABEL: func.func @unfused_chain
// FORM-SAME: (%[[Q:.*]]: tensor<2x4x6x8xf32>, %[[K:.*]]: tensor<2x4x7x8xf32>, %[[V:.*]]: tensor<2x4x7x16xf32>, %[[M:.*]]: tensor<2x1x6x7xf32>)
// FORM:      %[[MH:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 1, 1, 6, 7]
// FORM-NEXT: %[[O:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] mask %[[MH]] heads 1 scale 1.250000e-01 :
// FORM-NEXT: return %[[O]]
// The online-softmax form of the same.
// CHECK-LABEL: func.func @unfused_chain
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4x6x16xf32>
// CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} heads 1 kv_heads 1 scale 1.250000e-01 outs(%[[E]] : tensor<2x4x6x16xf32>)
// CHECK-NOT: xf.softmax
// CHECK-NOT: xf.matmul
func.func @unfused_chain(%q: tensor<2x4x6x8xf32>, %k: tensor<2x4x7x8xf32>, %v: tensor<2x4x7x16xf32>,
                         %m: tensor<2x1x6x7xf32>) -> tensor<2x4x6x16xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4x6x8xf32>, tensor<2x4x7x8xf32>) -> tensor<2x4x6x7xf32>
  %c = arith.constant dense<0.125> : tensor<f32>
  %t = xf.mul %s, %c : (tensor<2x4x6x7xf32>, tensor<f32>) -> tensor<2x4x6x7xf32>
  %u = xf.add %t, %m : (tensor<2x4x6x7xf32>, tensor<2x1x6x7xf32>) -> tensor<2x4x6x7xf32>
  %p = xf.softmax %u : tensor<2x4x6x7xf32> -> tensor<2x4x6x7xf32>
  %o = xf.matmul %p, %v : (tensor<2x4x6x7xf32>, tensor<2x4x7x16xf32>) -> tensor<2x4x6x16xf32>
  return %o : tensor<2x4x6x16xf32>
}

// -----

// A constant causal mask becomes the structural mask; without a scale the
// scale is 1.
// FORM-LABEL: func.func @causal_constant
// CHECK-LABEL: func.func @causal_constant
// FORM: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 1 scale 1.000000e+00 causal :
// FORM-NOT: arith.constant
func.func @causal_constant(%q: tensor<3x4xf32>, %k: tensor<3x4xf32>, %v: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x3xf32>
  %m = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, -3.0e38], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %u = xf.add %m, %s : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  %p = xf.softmax %u : tensor<3x3xf32> -> tensor<3x3xf32>
  %o = xf.matmul %p, %v : (tensor<3x3xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %o : tensor<3x4xf32>
}

// -----

// With more queries than keys the first query sees no key: under a finite
// mask it averages the values, under `causal` it would get zeros, so the
// mask stays additive. Only -inf there would be causal.
// FORM-LABEL: func.func @finite_mask_query_without_keys
// CHECK-LABEL: func.func @finite_mask_query_without_keys
// FORM: xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} heads 1
// FORM-NOT: causal
func.func @finite_mask_query_without_keys(%q: tensor<3x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
  %m = arith.constant dense<[[-3.0e38, -3.0e38], [0.0, -3.0e38], [0.0, 0.0]]> : tensor<3x2xf32>
  %u = xf.add %s, %m : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %p = xf.softmax %u : tensor<3x2xf32> -> tensor<3x2xf32>
  %o = xf.matmul %p, %v : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %o : tensor<3x4xf32>
}

// -----

// A mask that is not exactly causal stays an additive mask.
// FORM-LABEL: func.func @not_causal
// CHECK-LABEL: func.func @not_causal
// FORM: xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} heads 1
func.func @not_causal(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %m = arith.constant dense<[[0.0, 0xFF800000], [-1.0, 0.0]]> : tensor<2x2xf32>
  %u = xf.add %s, %m : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %u : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o : tensor<2x4xf32>
}

// -----

// The probabilities are used elsewhere: the scores must exist, no fusion.
// FORM-LABEL: func.func @probabilities_escape
// CHECK-LABEL: func.func @probabilities_escape
// FORM: xf.softmax
// FORM-NOT: xf.attention
func.func @probabilities_escape(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x2xf32>) {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %s : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o, %p : tensor<2x4xf32>, tensor<2x2xf32>
}

// -----

// Softmax over another axis is not attention.
// FORM-LABEL: func.func @wrong_axis
// CHECK-LABEL: func.func @wrong_axis
// FORM-NOT: xf.attention
func.func @wrong_axis(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %s axis 0 : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o : tensor<2x4xf32>
}

// -----

// Attention written as one op goes straight to the online softmax, keeping
// its heads, KV heads, default scale and sliding window.
// FORM-LABEL: func.func @written_attention
// CHECK-LABEL: func.func @written_attention
// CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} heads 4 kv_heads 2 scale 0.35355339059327373 window 3 outs(
func.func @written_attention(%q: tensor<1x9x32xf32>, %k: tensor<1x9x16xf32>) -> tensor<1x9x32xf32> {
  %o = xf.attention %q, %k, %k heads 4 kv_heads 2 window 3 : (tensor<1x9x32xf32>, tensor<1x9x16xf32>, tensor<1x9x16xf32>) -> tensor<1x9x32xf32>
  return %o : tensor<1x9x32xf32>
}
