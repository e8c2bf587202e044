// RUN: xf-run %s -e same_shape --check | FileCheck %s
// RUN: xf-run %s -e row_and_column --check | FileCheck %s
// RUN: xf-run %s -e scalar_tensor --check | FileCheck %s
// RUN: xf-run %s -e lower_rank_lhs --check | FileCheck %s
// CHECK: max_rel_err={{.*}} ok
// CHECK-NOT: FAILED

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
