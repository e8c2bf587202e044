// RUN: %check-pipelines %s -e half | FileCheck %s
// RUN: %check-pipelines %s -e interleaved | FileCheck %s
// RUN: %check-pipelines %s -e partial_rotary | FileCheck %s
// RUN: %check-pipelines %s -e positions | FileCheck %s
// RUN: %check-pipelines %s -e seq1_positions_i32 | FileCheck %s
// RUN: %check-pipelines %s -e long_sequence | FileCheck %s
// CHECK: 6 variants ok

func.func @half(%x: tensor<2x6x32xf32>) -> tensor<2x6x32xf32> {
  %y = xf.rope %x head_dim 8 : (tensor<2x6x32xf32>) -> tensor<2x6x32xf32>
  return %y : tensor<2x6x32xf32>
}

func.func @interleaved(%x: tensor<5x24xf32>) -> tensor<5x24xf32> {
  %y = xf.rope %x head_dim 12 theta 500.0 style interleaved : (tensor<5x24xf32>) -> tensor<5x24xf32>
  return %y : tensor<5x24xf32>
}

func.func @partial_rotary(%x: tensor<1x7x40xf32>) -> (tensor<1x7x40xf32>, tensor<1x7x40xf32>) {
  %a = xf.rope %x head_dim 20 rotary_dim 6 : (tensor<1x7x40xf32>) -> tensor<1x7x40xf32>
  %b = xf.rope %x head_dim 20 rotary_dim 6 style interleaved : (tensor<1x7x40xf32>) -> tensor<1x7x40xf32>
  return %a, %b : tensor<1x7x40xf32>, tensor<1x7x40xf32>
}

// Positions from an operand (random start between 0 and 1000).
func.func @positions(%x: tensor<4x64xf32>, %p: tensor<4xi64>) -> tensor<4x64xf32> {
  %y = xf.rope %x positions %p head_dim 64 : (tensor<4x64xf32>, tensor<4xi64>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

func.func @seq1_positions_i32(%x: tensor<1x1x16xf32>, %p: tensor<1xi32>) -> tensor<1x1x16xf32> {
  %y = xf.rope %x positions %p head_dim 4 style interleaved : (tensor<1x1x16xf32>, tensor<1xi32>) -> tensor<1x1x16xf32>
  return %y : tensor<1x1x16xf32>
}

// Positions up to 4095: the angles stay accurate in f32 output.
func.func @long_sequence(%x: tensor<4096x8xf32>) -> tensor<4096x8xf32> {
  %y = xf.rope %x head_dim 8 : (tensor<4096x8xf32>) -> tensor<4096x8xf32>
  return %y : tensor<4096x8xf32>
}
