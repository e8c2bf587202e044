// RUN: %check-pipelines %s -e plain | FileCheck %s
// RUN: %check-pipelines %s -e transposed | FileCheck %s
// RUN: %check-pipelines %s -e broadcast_batch | FileCheck %s
// RUN: %check-pipelines %s -e size_one_batch | FileCheck %s
// CHECK: 6 variants ok

func.func @plain(%a: tensor<5x7xf32>, %b: tensor<7x3xf32>) -> tensor<5x3xf32> {
  %y = xf.matmul %a, %b : (tensor<5x7xf32>, tensor<7x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

func.func @transposed(%a: tensor<2x7x5xf32>, %b: tensor<2x3x7xf32>) -> tensor<2x5x3xf32> {
  %y = xf.matmul %a, %b transpose_lhs transpose_rhs : (tensor<2x7x5xf32>, tensor<2x3x7xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// Scores of 3 heads against shared keys: the rhs has no batch dimension.
func.func @broadcast_batch(%q: tensor<2x3x4x8xf32>, %k: tensor<6x8xf32>) -> tensor<2x3x4x6xf32> {
  %y = xf.matmul %q, %k transpose_rhs : (tensor<2x3x4x8xf32>, tensor<6x8xf32>) -> tensor<2x3x4x6xf32>
  return %y : tensor<2x3x4x6xf32>
}

func.func @size_one_batch(%a: tensor<1x3x1x5xf32>, %b: tensor<2x1x5x4xf32>) -> tensor<2x3x1x4xf32> {
  %y = xf.matmul %a, %b : (tensor<1x3x1x5xf32>, tensor<2x1x5x4xf32>) -> tensor<2x3x1x4xf32>
  return %y : tensor<2x3x1x4xf32>
}
