// Functions whose results share values: each result is its own
// out-parameter buffer, filled with the right numbers.
// RUN: %check-pipelines %s -e returned_twice | FileCheck %s
// RUN: %check-pipelines %s -e merged_by_cse | FileCheck %s
// RUN: %check-pipelines %s -e argument_and_view | FileCheck %s
// CHECK: 6 variants ok

func.func @returned_twice(%x: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = xf.relu %x : tensor<3x5xf32>
  return %0, %0 : tensor<3x5xf32>, tensor<3x5xf32>
}

// Softmax over axis 1 and over axis -2 are the same op once CSE has run.
func.func @merged_by_cse(%x: tensor<2x6x4xf32>) -> (tensor<2x6x4xf32>, tensor<2x6x4xf32>) {
  %a = xf.softmax %x axis 1 : tensor<2x6x4xf32> -> tensor<2x6x4xf32>
  %b = xf.softmax %x axis -2 : tensor<2x6x4xf32> -> tensor<2x6x4xf32>
  return %a, %b : tensor<2x6x4xf32>, tensor<2x6x4xf32>
}

// An argument returned as it is, next to a computed result.
func.func @argument_and_view(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %n = xf.rms_norm %x, %g : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %x, %n, %x : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
