// RUN: %check-pipelines %s -e gelu | FileCheck %s
// RUN: %check-pipelines %s -e gelu_tanh | FileCheck %s
// RUN: %check-pipelines %s -e silu | FileCheck %s
// RUN: %check-pipelines %s -e relu_twice | FileCheck %s
// RUN: %check-pipelines %s -e swiglu | FileCheck %s
// RUN: %check-pipelines %s -e geglu | FileCheck %s
// RUN: %check-pipelines %s -e geglu_tanh | FileCheck %s
// RUN: %check-pipelines %s -e large_inputs | FileCheck %s
// CHECK: 6 variants ok

func.func @gelu(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %y = xf.gelu %x : tensor<3x17xf32>
  return %y : tensor<3x17xf32>
}

func.func @gelu_tanh(%x: tensor<1x1x5xf32>) -> tensor<1x1x5xf32> {
  %y = xf.gelu %x approximate tanh : tensor<1x1x5xf32>
  return %y : tensor<1x1x5xf32>
}

func.func @silu(%x: tensor<129xf32>) -> tensor<129xf32> {
  %y = xf.silu %x : tensor<129xf32>
  return %y : tensor<129xf32>
}

func.func @relu_twice(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %r = xf.relu %x : tensor<4x4xf32>
  %y = xf.relu %r : tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

func.func @swiglu(%g: tensor<2x3x7xf32>, %u: tensor<2x3x7xf32>) -> tensor<2x3x7xf32> {
  %y = xf.swiglu %g, %u : tensor<2x3x7xf32>
  return %y : tensor<2x3x7xf32>
}

func.func @geglu(%g: tensor<5x9xf32>, %u: tensor<5x9xf32>) -> tensor<5x9xf32> {
  %y = xf.geglu %g, %u : tensor<5x9xf32>
  return %y : tensor<5x9xf32>
}

func.func @geglu_tanh(%g: tensor<1x9xf32>, %u: tensor<1x9xf32>) -> tensor<1x9xf32> {
  %y = xf.geglu %g, %u approximate tanh : tensor<1x9xf32>
  return %y : tensor<1x9xf32>
}

// The tails: silu and gelu far from 0, where exp overflows.
func.func @large_inputs(%x: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) {
  %c = arith.constant dense<120.0> : tensor<f32>
  %big = xf.mul %x, %c : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %s = xf.silu %big : tensor<64xf32>
  %g = xf.gelu %big : tensor<64xf32>
  %t = xf.gelu %big approximate tanh : tensor<64xf32>
  return %s, %g, %t : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
}
