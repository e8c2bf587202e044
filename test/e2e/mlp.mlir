// RUN: %check-pipelines %s -e dense_gelu_biases | FileCheck %s
// RUN: %check-pipelines %s -e swiglu_nk | FileCheck %s
// RUN: %check-pipelines %s -e geglu_tanh_biases | FileCheck %s
// RUN: %check-pipelines %s -e gated_relu_seq1 | FileCheck %s
// CHECK: 6 variants ok

func.func @dense_gelu_biases(%x: tensor<2x5x24xf32>, %w1: tensor<24x40xf32>, %w2: tensor<40x24xf32>,
                             %b1: tensor<40xf32>, %b2: tensor<24xf32>) -> tensor<2x5x24xf32> {
  %y = xf.mlp %x up %w1 down %w2 up_bias %b1 down_bias %b2 act gelu
      : (tensor<2x5x24xf32>, tensor<24x40xf32>, tensor<40x24xf32>, tensor<40xf32>, tensor<24xf32>) -> tensor<2x5x24xf32>
  return %y : tensor<2x5x24xf32>
}

func.func @swiglu_nk(%x: tensor<7x32xf32>, %wu: tensor<88x32xf32>, %wg: tensor<88x32xf32>, %wd: tensor<32x88xf32>) -> tensor<7x32xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu layout nk
      : (tensor<7x32xf32>, tensor<88x32xf32>, tensor<88x32xf32>, tensor<32x88xf32>) -> tensor<7x32xf32>
  return %y : tensor<7x32xf32>
}

func.func @geglu_tanh_biases(%x: tensor<3x16xf32>, %wu: tensor<16x20xf32>, %wg: tensor<16x20xf32>, %wd: tensor<20x8xf32>,
                             %bu: tensor<20xf32>, %bg: tensor<20xf32>, %bd: tensor<8xf32>) -> tensor<3x8xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd up_bias %bu gate_bias %bg down_bias %bd act gelu_tanh
      : (tensor<3x16xf32>, tensor<16x20xf32>, tensor<16x20xf32>, tensor<20x8xf32>, tensor<20xf32>, tensor<20xf32>, tensor<8xf32>) -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}

func.func @gated_relu_seq1(%x: tensor<1x1x16xf32>, %w: tensor<16x16xf32>) -> tensor<1x1x16xf32> {
  %y = xf.mlp %x up %w gate %w down %w act relu
      : (tensor<1x1x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<1x1x16xf32>
  return %y : tensor<1x1x16xf32>
}
