// RUN: xf-opt %s --split-input-file --xf-fuse-attention | FileCheck %s

// The unfused chain of an imported graph: heads as a batch dimension, a
// constant scale and an additive mask. Nothing of the chain is left.
// CHECK-LABEL: func.func @unfused_chain
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x6x8xf32>, %[[K:.*]]: tensor<2x4x7x8xf32>, %[[V:.*]]: tensor<2x4x7x16xf32>, %[[M:.*]]: tensor<2x1x6x7xf32>)
// CHECK-NOT: xf.matmul
// CHECK-NOT: xf.softmax
// CHECK:      %[[MH:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 1, 1, 6, 7]
// CHECK-NEXT: %[[O:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] mask %[[MH]] heads 1 scale 1.250000e-01 :
// CHECK-NEXT: return %[[O]]
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

// A mask computed with xf.mul, as BERT exports it ((1 - m) * -1e4), with the
// scale on the left of its product: the scores are the operand that descends
// from q k^T, not the one a mul happens to produce.
// CHECK-LABEL: func.func @mask_from_mul
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x5x8xf32>, %[[K:.*]]: tensor<1x2x5x8xf32>, %[[V:.*]]: tensor<1x2x5x8xf32>, %[[M:.*]]: tensor<1x1x1x5xf32>)
// CHECK:      %[[N:.*]] = xf.mul %[[M]], %{{.*}}
// CHECK-NEXT: %[[I:.*]] = xf.add %[[N]], %{{.*}}
// CHECK-NEXT: %[[B:.*]] = xf.mul %[[I]], %{{.*}}
// CHECK-NOT:  xf.softmax
// CHECK:      %[[BH:.*]] = tensor.expand_shape %[[B]]
// CHECK-NEXT: %[[O:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] mask %[[BH]] heads 1 scale 5.000000e-01 :
// CHECK-NEXT: return %[[O]]
func.func @mask_from_mul(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x8xf32>,
                         %m: tensor<1x1x1x5xf32>) -> tensor<1x2x5x8xf32> {
  %minus1 = arith.constant dense<-1.0> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %big = arith.constant dense<-1.0e4> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %n = xf.mul %m, %minus1 : (tensor<1x1x1x5xf32>, tensor<f32>) -> tensor<1x1x1x5xf32>
  %i = xf.add %n, %one : (tensor<1x1x1x5xf32>, tensor<f32>) -> tensor<1x1x1x5xf32>
  %b = xf.mul %i, %big : (tensor<1x1x1x5xf32>, tensor<f32>) -> tensor<1x1x1x5xf32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) -> tensor<1x2x5x5xf32>
  %t = xf.mul %half, %s : (tensor<f32>, tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %u = xf.add %b, %t : (tensor<1x1x1x5xf32>, tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %p = xf.softmax %u : tensor<1x2x5x5xf32> -> tensor<1x2x5x5xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x5x5xf32>, tensor<1x2x5x8xf32>) -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

// -----

// A constant causal mask becomes the structural mask and disappears; without
// a scale the scale is 1.
// CHECK-LABEL: func.func @causal_constant
// CHECK-NOT:  arith.constant
// CHECK:      %[[O:.*]] = xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 1 scale 1.000000e+00 causal :
// CHECK-NEXT: return %[[O]]
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
// CHECK-LABEL: func.func @finite_mask_query_without_keys
// CHECK:      %[[M:.*]] = arith.constant
// CHECK-NEXT: %[[O:.*]] = xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask %[[M]] heads 1 scale 1.000000e+00 :
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
// CHECK-LABEL: func.func @not_causal
// CHECK:      %[[M:.*]] = arith.constant
// CHECK-NEXT: %[[O:.*]] = xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask %[[M]] heads 1 scale 1.000000e+00 :
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
// CHECK-LABEL: func.func @probabilities_escape
// CHECK-NOT: xf.attention
// CHECK:     xf.softmax
// CHECK-NOT: xf.attention
// CHECK:     return
func.func @probabilities_escape(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x2xf32>) {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %s : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o, %p : tensor<2x4xf32>, tensor<2x2xf32>
}

// -----

// Softmax over another axis is not attention.
// CHECK-LABEL: func.func @wrong_axis
// CHECK-NOT: xf.attention
// CHECK:     xf.softmax %{{.*}} axis 0
// CHECK-NOT: xf.attention
// CHECK:     return
func.func @wrong_axis(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %s axis 0 : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o : tensor<2x4xf32>
}

// -----

// Scores transposed the other way are not q k^T.
// CHECK-LABEL: func.func @not_q_kt
// CHECK-NOT: xf.attention
// CHECK:     xf.matmul %{{.*}}, %{{.*}} transpose_lhs
// CHECK-NOT: xf.attention
// CHECK:     return
func.func @not_q_kt(%q: tensor<4x2xf32>, %k: tensor<4x2xf32>, %v: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = xf.matmul %q, %k transpose_lhs : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %p = xf.softmax %s : tensor<2x2xf32> -> tensor<2x2xf32>
  %o = xf.matmul %p, %v : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %o : tensor<2x4xf32>
}

// -----

// Attention written as one op is already formed; the pass leaves it alone
// (each target maps it onto its own kernel).
// CHECK-LABEL: func.func @written_attention
// CHECK-NEXT: %[[O:.*]] = xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 4 kv_heads 2 causal :
// CHECK-NEXT: return %[[O]]
func.func @written_attention(%q: tensor<1x9x32xf32>, %k: tensor<1x9x16xf32>) -> tensor<1x9x32xf32> {
  %o = xf.attention %q, %k, %k heads 4 kv_heads 2 causal : (tensor<1x9x32xf32>, tensor<1x9x16xf32>, tensor<1x9x16xf32>) -> tensor<1x9x32xf32>
  return %o : tensor<1x9x32xf32>
}

// -----

// Queries scaled before the product, as PyTorch exports attention: the
// scale moves onto the scores, multiplied with theirs.
// CHECK-LABEL: func.func @scaled_queries
// CHECK-SAME: (%[[Q:.*]]: tensor<8x5x8xf32>, %[[K:.*]]: tensor<8x5x8xf32>, %[[V:.*]]: tensor<8x5x8xf32>)
// CHECK-NOT: xf.mul
// CHECK: %[[O:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] heads 1 scale 2.500000e-01 :
// CHECK-NEXT: return %[[O]]
func.func @scaled_queries(%q: tensor<8x5x8xf32>, %k: tensor<8x5x8xf32>, %v: tensor<8x5x8xf32>) -> tensor<8x5x8xf32> {
  %c = arith.constant dense<0.5> : tensor<f32>
  %qs = xf.mul %q, %c : (tensor<8x5x8xf32>, tensor<f32>) -> tensor<8x5x8xf32>
  %s = xf.matmul %qs, %k transpose_rhs : (tensor<8x5x8xf32>, tensor<8x5x8xf32>) -> tensor<8x5x5xf32>
  %t = xf.mul %s, %c : (tensor<8x5x5xf32>, tensor<f32>) -> tensor<8x5x5xf32>
  %p = xf.softmax %t : tensor<8x5x5xf32> -> tensor<8x5x5xf32>
  %o = xf.matmul %p, %v : (tensor<8x5x5xf32>, tensor<8x5x8xf32>) -> tensor<8x5x8xf32>
  return %o : tensor<8x5x8xf32>
}

// -----

// Scaled queries that something else also reads stay as they are.
// CHECK-LABEL: func.func @scaled_queries_used_twice
// CHECK: %[[QS:.*]] = xf.mul
// CHECK: xf.attention %[[QS]], %{{.*}}, %{{.*}} heads 1 scale 1.000000e+00 :
func.func @scaled_queries_used_twice(%q: tensor<8x5x8xf32>, %k: tensor<8x5x8xf32>, %v: tensor<8x5x8xf32>) -> (tensor<8x5x8xf32>, tensor<8x5x8xf32>) {
  %c = arith.constant dense<0.5> : tensor<f32>
  %qs = xf.mul %q, %c : (tensor<8x5x8xf32>, tensor<f32>) -> tensor<8x5x8xf32>
  %s = xf.matmul %qs, %k transpose_rhs : (tensor<8x5x8xf32>, tensor<8x5x8xf32>) -> tensor<8x5x5xf32>
  %p = xf.softmax %s : tensor<8x5x5xf32> -> tensor<8x5x5xf32>
  %o = xf.matmul %p, %v : (tensor<8x5x5xf32>, tensor<8x5x8xf32>) -> tensor<8x5x8xf32>
  return %o, %qs : tensor<8x5x8xf32>, tensor<8x5x8xf32>
}
