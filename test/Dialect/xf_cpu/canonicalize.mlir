// RUN: xf-opt %s --split-input-file --canonicalize | FileCheck %s

// Packing a constant weight folds at compile time. kn: panel p, row k holds
// W[k][p * NR .. p * NR + NR), zero past N.
// CHECK-LABEL: func.func @pack_constant_kn
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [4.000000e+00, 5.000000e+00]], {{\[\[}}3.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: return %[[P]]
func.func @pack_constant_kn() -> tensor<2x2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x2x2xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<2x2x2xf32>) : tensor<2x3xf32> -> tensor<2x2x2xf32>
  return %p : tensor<2x2x2xf32>
}

// -----

// nk: the weight's rows are the columns.
// CHECK-LABEL: func.func @pack_constant_nk
// CHECK: arith.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]]> : tensor<1x2x3xf32>
func.func @pack_constant_nk() -> tensor<1x2x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x2x3xf32>
  %p = xf_cpu.pack_weights %w layout nk outs(%e : tensor<1x2x3xf32>) : tensor<3x2xf32> -> tensor<1x2x3xf32>
  return %p : tensor<1x2x3xf32>
}

// -----

// A weight that is an argument is packed at run time.
// CHECK-LABEL: func.func @pack_argument
// CHECK: xf_cpu.pack_weights
func.func @pack_argument(%w: tensor<2x3xf32>) -> tensor<2x2x2xf32> {
  %e = tensor.empty() : tensor<2x2x2xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<2x2x2xf32>) : tensor<2x3xf32> -> tensor<2x2x2xf32>
  return %p : tensor<2x2x2xf32>
}
