// Attention as imported graphs spell it (matmul, scale, mask, softmax,
// matmul), which xf-fuse-attention turns into xf.attention: every pipeline
// variant against the reference, which evaluates the chain op by op.
// RUN: %check-pipelines %s -e heads_as_batch | FileCheck %s
// RUN: %check-pipelines %s -e causal_neg_inf | FileCheck %s
// RUN: %check-pipelines %s -e causal_float_min | FileCheck %s
// RUN: %check-pipelines %s -e finite_mask_query_without_keys | FileCheck %s
// RUN: %check-pipelines %s -e padding_float_min | FileCheck %s
// RUN: %check-pipelines %s -e scale_after_mask | FileCheck %s
// CHECK: 6 variants ok

// [batch, heads, S, D] with a constant scale and a mask argument.
func.func @heads_as_batch(%q: tensor<2x3x5x8xf32>, %k: tensor<2x3x7x8xf32>, %v: tensor<2x3x7x12xf32>,
                          %m: tensor<2x1x5x7xf32>) -> tensor<2x3x5x12xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x3x5x8xf32>, tensor<2x3x7x8xf32>) -> tensor<2x3x5x7xf32>
  %c = arith.constant dense<0.35> : tensor<f32>
  %t = xf.mul %s, %c : (tensor<2x3x5x7xf32>, tensor<f32>) -> tensor<2x3x5x7xf32>
  %u = xf.add %t, %m : (tensor<2x3x5x7xf32>, tensor<2x1x5x7xf32>) -> tensor<2x3x5x7xf32>
  %p = xf.softmax %u : tensor<2x3x5x7xf32> -> tensor<2x3x5x7xf32>
  %o = xf.matmul %p, %v : (tensor<2x3x5x7xf32>, tensor<2x3x7x12xf32>) -> tensor<2x3x5x12xf32>
  return %o : tensor<2x3x5x12xf32>
}

// A constant causal mask of -inf, with more queries than keys: the first
// query sees no key and gets zeros.
func.func @causal_neg_inf(%q: tensor<4x16xf32>, %k: tensor<3x16xf32>, %v: tensor<3x16xf32>) -> tensor<4x16xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<4x16xf32>, tensor<3x16xf32>) -> tensor<4x3xf32>
  %m = arith.constant dense<[[0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<4x3xf32>
  %u = xf.add %s, %m : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %p = xf.softmax %u : tensor<4x3xf32> -> tensor<4x3xf32>
  %o = xf.matmul %p, %v : (tensor<4x3xf32>, tensor<3x16xf32>) -> tensor<4x16xf32>
  return %o : tensor<4x16xf32>
}

// The causal mask as Hugging Face builds it, with the lowest float.
func.func @causal_float_min(%q: tensor<3x16xf32>, %k: tensor<4x16xf32>, %v: tensor<4x16xf32>) -> tensor<3x16xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<3x16xf32>, tensor<4x16xf32>) -> tensor<3x4xf32>
  %m = arith.constant dense<[[0.0, 0.0, 0xFF7FFFFF, 0xFF7FFFFF], [0.0, 0.0, 0.0, 0xFF7FFFFF],
                             [0.0, 0.0, 0.0, 0.0]]> : tensor<3x4xf32>
  %u = xf.add %s, %m : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %p = xf.softmax %u : tensor<3x4xf32> -> tensor<3x4xf32>
  %o = xf.matmul %p, %v : (tensor<3x4xf32>, tensor<4x16xf32>) -> tensor<3x16xf32>
  return %o : tensor<3x16xf32>
}

// The same shape of mask with a finite value where the first query sees no
// key: softmax spreads it evenly over the keys, it is not `causal`.
func.func @finite_mask_query_without_keys(%q: tensor<3x16xf32>, %k: tensor<2x16xf32>, %v: tensor<2x16xf32>) -> tensor<3x16xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<3x16xf32>, tensor<2x16xf32>) -> tensor<3x2xf32>
  %m = arith.constant dense<[[-3.0e38, -3.0e38], [0.0, -3.0e38], [0.0, 0.0]]> : tensor<3x2xf32>
  %u = xf.add %s, %m : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %p = xf.softmax %u : tensor<3x2xf32> -> tensor<3x2xf32>
  %o = xf.matmul %p, %v : (tensor<3x2xf32>, tensor<2x16xf32>) -> tensor<3x16xf32>
  return %o : tensor<3x16xf32>
}

// A padding mask of the lowest float that hides every key of one query.
func.func @padding_float_min(%q: tensor<2x16xf32>, %k: tensor<3x16xf32>, %v: tensor<3x16xf32>) -> tensor<2x16xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x16xf32>, tensor<3x16xf32>) -> tensor<2x3xf32>
  %m = arith.constant dense<[[0xFF7FFFFF, 0xFF7FFFFF, 0xFF7FFFFF], [0.0, 0.0, 0xFF7FFFFF]]> : tensor<2x3xf32>
  %u = xf.add %s, %m : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %p = xf.softmax %u : tensor<2x3xf32> -> tensor<2x3xf32>
  %o = xf.matmul %p, %v : (tensor<2x3xf32>, tensor<3x16xf32>) -> tensor<2x16xf32>
  return %o : tensor<2x16xf32>
}

// A scale applied after the mask is not the attention pattern: the chain
// is computed as written.
func.func @scale_after_mask(%q: tensor<5x8xf32>, %k: tensor<5x8xf32>, %v: tensor<5x8xf32>, %m: tensor<5x5xf32>) -> tensor<5x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<5x8xf32>, tensor<5x8xf32>) -> tensor<5x5xf32>
  %u = xf.add %s, %m : (tensor<5x5xf32>, tensor<5x5xf32>) -> tensor<5x5xf32>
  %c = arith.constant dense<0.25> : tensor<f32>
  %t = xf.mul %u, %c : (tensor<5x5xf32>, tensor<f32>) -> tensor<5x5xf32>
  %p = xf.softmax %t : tensor<5x5xf32> -> tensor<5x5xf32>
  %o = xf.matmul %p, %v : (tensor<5x5xf32>, tensor<5x8xf32>) -> tensor<5x8xf32>
  return %o : tensor<5x8xf32>
}
