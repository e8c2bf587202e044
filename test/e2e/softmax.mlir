// RUN: %check-pipelines %s -e last_axis | FileCheck %s
// RUN: %check-pipelines %s -e first_axis | FileCheck %s
// RUN: %check-pipelines %s -e middle_axis_negative | FileCheck %s
// RUN: %check-pipelines %s -e single_element | FileCheck %s
// CHECK: 6 variants ok

// A row of -inf gives zeros, not NaN; the other rows are normal.
// RUN: %check-pipelines %s -e masked_row | FileCheck %s --check-prefix=MASKED
// MASKED-COUNT-6: result #0: 2x3xf32 sum=1.000e+00 first=[0.0000e+00, 0.0000e+00, 0.0000e+00,
// MASKED: 6 variants ok

func.func @last_axis(%x: tensor<3x5x11xf32>) -> tensor<3x5x11xf32> {
  %y = xf.softmax %x : tensor<3x5x11xf32> -> tensor<3x5x11xf32>
  return %y : tensor<3x5x11xf32>
}

func.func @first_axis(%x: tensor<7x3xf32>) -> tensor<7x3xf32> {
  %y = xf.softmax %x axis 0 : tensor<7x3xf32> -> tensor<7x3xf32>
  return %y : tensor<7x3xf32>
}

func.func @middle_axis_negative(%x: tensor<2x9x4xf32>) -> tensor<2x9x4xf32> {
  %y = xf.softmax %x axis -2 : tensor<2x9x4xf32> -> tensor<2x9x4xf32>
  return %y : tensor<2x9x4xf32>
}

func.func @single_element(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %y = xf.softmax %x : tensor<1x1xf32> -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

func.func @masked_row(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = arith.constant dense<[[0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<2x3xf32>
  %s = xf.add %x, %m : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = xf.softmax %s : tensor<2x3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
