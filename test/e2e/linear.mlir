// Every function is compiled with xf-cpu-pipeline, run on seeded random
// inputs and compared with the reference evaluator.
// RUN: %check-pipelines %s -e kn_bias_odd | FileCheck %s
// RUN: %check-pipelines %s -e nk_gelu_tanh_residual | FileCheck %s
// RUN: %check-pipelines %s -e seq1 | FileCheck %s
// RUN: %check-pipelines %s -e silu_rank1 | FileCheck %s
// RUN: %check-pipelines %s -e relu_gelu_nk --seed 7 | FileCheck %s
// CHECK: 6 variants ok

func.func @kn_bias_odd(%x: tensor<2x5x7xf32>, %w: tensor<7x3xf32>, %b: tensor<3xf32>) -> tensor<2x5x3xf32> {
  %y = xf.linear %x, %w bias %b : (tensor<2x5x7xf32>, tensor<7x3xf32>, tensor<3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

func.func @nk_gelu_tanh_residual(%x: tensor<3x16xf32>, %w: tensor<24x16xf32>, %b: tensor<24xf32>,
                                 %r: tensor<3x24xf32>) -> tensor<3x24xf32> {
  %y = xf.linear %x, %w bias %b layout nk act gelu_tanh residual %r
      : (tensor<3x16xf32>, tensor<24x16xf32>, tensor<24xf32>, tensor<3x24xf32>) -> tensor<3x24xf32>
  return %y : tensor<3x24xf32>
}

func.func @seq1(%x: tensor<1x1x64xf32>, %w: tensor<64x96xf32>) -> tensor<1x1x96xf32> {
  %y = xf.linear %x, %w : (tensor<1x1x64xf32>, tensor<64x96xf32>) -> tensor<1x1x96xf32>
  return %y : tensor<1x1x96xf32>
}

func.func @silu_rank1(%x: tensor<33xf32>, %w: tensor<33x17xf32>) -> tensor<17xf32> {
  %y = xf.linear %x, %w act silu : (tensor<33xf32>, tensor<33x17xf32>) -> tensor<17xf32>
  return %y : tensor<17xf32>
}

// Two layers in a row, with exact GELU between them.
func.func @relu_gelu_nk(%x: tensor<9x40xf32>, %w1: tensor<40x40xf32>, %w2: tensor<11x40xf32>) -> tensor<9x11xf32> {
  %h = xf.linear %x, %w1 act relu : (tensor<9x40xf32>, tensor<40x40xf32>) -> tensor<9x40xf32>
  %y = xf.linear %h, %w2 layout nk act gelu : (tensor<9x40xf32>, tensor<11x40xf32>) -> tensor<9x11xf32>
  return %y : tensor<9x11xf32>
}
