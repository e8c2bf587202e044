// RUN: %check-pipelines %s -e same_shape | FileCheck %s
// RUN: %check-pipelines %s -e row_and_column | FileCheck %s
// RUN: %check-pipelines %s -e scalar_tensor | FileCheck %s
// RUN: %check-pipelines %s -e lower_rank_lhs | FileCheck %s
// CHECK: 6 variants ok

func.func @same_shape(%a: tensor<3x5xf32>, %b: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %s = xf.add %a, %b : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  %p = xf.mul %a, %b : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %s, %p : tensor<3x5xf32>, tensor<3x5xf32>
}

func.func @row_and_column(%a: tensor<4x1xf32>, %b: tensor<6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>) {
  %s = xf.add %a, %b : (tensor<4x1xf32>, tensor<6xf32>) -> tensor<4x6xf32>
  %p = xf.mul %b, %a : (tensor<6xf32>, tensor<4x1xf32>) -> tensor<4x6xf32>
  return %s, %p : tensor<4x6xf32>, tensor<4x6xf32>
}

func.func @scalar_tensor(%a: tensor<2x3x4xf32>, %s: tensor<f32>) -> tensor<2x3x4xf32> {
  %p = xf.mul %a, %s : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  return %p : tensor<2x3x4xf32>
}

func.func @lower_rank_lhs(%a: tensor<3x1xf32>, %b: tensor<2x1x5xf32>) -> tensor<2x3x5xf32> {
  %s = xf.add %a, %b : (tensor<3x1xf32>, tensor<2x1x5xf32>) -> tensor<2x3x5xf32>
  return %s : tensor<2x3x5xf32>
}
