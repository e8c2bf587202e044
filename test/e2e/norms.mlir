// RUN: %check-pipelines %s -e layer_norm | FileCheck %s
// RUN: %check-pipelines %s -e layer_norm_no_bias_rank1 | FileCheck %s
// RUN: %check-pipelines %s -e layer_norm_seq1 | FileCheck %s
// RUN: %check-pipelines %s -e rms_norm_odd | FileCheck %s
// RUN: %check-pipelines %s -e layer_norm_offset | FileCheck %s
// CHECK: 6 variants ok

// Rows of GPT-2 width near 10^4 with a spread of ~0.6, as f32 input: the
// mean must be computed from the row's values shifted by its first one, or
// a running f32 sum loses 1e-3 of the result.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(7); np.save('%t/x.npy', (1e4 + r.uniform(-1, 1, (4, 768))).astype(np.float32)); np.save('%t/g.npy', r.standard_normal(768).astype(np.float32)); np.save('%t/b.npy', r.standard_normal(768).astype(np.float32))"
// RUN: %check-pipelines %s -e layer_norm_large_mean --input %t/x.npy --input %t/g.npy --input %t/b.npy | FileCheck %s

func.func @layer_norm(%x: tensor<2x5x13xf32>, %g: tensor<13xf32>, %b: tensor<13xf32>) -> tensor<2x5x13xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<2x5x13xf32>, tensor<13xf32>, tensor<13xf32>) -> tensor<2x5x13xf32>
  return %y : tensor<2x5x13xf32>
}

func.func @layer_norm_no_bias_rank1(%x: tensor<31xf32>, %g: tensor<31xf32>) -> tensor<31xf32> {
  %y = xf.layer_norm %x, %g eps 1.0e-3 : (tensor<31xf32>, tensor<31xf32>) -> tensor<31xf32>
  return %y : tensor<31xf32>
}

func.func @layer_norm_seq1(%x: tensor<1x1x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<1x1x768xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<1x1x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x1x768xf32>
  return %y : tensor<1x1x768xf32>
}

func.func @rms_norm_odd(%x: tensor<3x7x9xf32>, %g: tensor<9xf32>) -> tensor<3x7x9xf32> {
  %y = xf.rms_norm %x, %g eps 1.0e-5 : (tensor<3x7x9xf32>, tensor<9xf32>) -> tensor<3x7x9xf32>
  return %y : tensor<3x7x9xf32>
}

// Rows with a large mean: the two-pass variance must not cancel.
func.func @layer_norm_offset(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %c = arith.constant dense<100.0> : tensor<f32>
  %s = xf.add %x, %c : (tensor<4x64xf32>, tensor<f32>) -> tensor<4x64xf32>
  %y = xf.layer_norm %s, %g : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

func.func @layer_norm_large_mean(%x: tensor<4x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<4x768xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<4x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return %y : tensor<4x768xf32>
}
