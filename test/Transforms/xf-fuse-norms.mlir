// RUN: xf-opt %s --split-input-file --xf-fuse-norms | FileCheck %s

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x16xf32>, %[[G:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK:      %[[R:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x5x16xf32> into tensor<10x16xf32>
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<10x16xf32>
// CHECK:      %[[N:.*]] = xf_cpu.norm %[[R]], %[[G]], %[[B]] kind layer_norm eps 1.000000e-05 outs(%[[E]] : tensor<10x16xf32>)
// CHECK:      tensor.expand_shape %[[N]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 16]
func.func @layer_norm(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

// -----

// Dynamic rows, RMSNorm; a rank-1 input becomes one row.
// CHECK-LABEL: func.func @rms_norm
// CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps {{.*}} outs(%{{.*}} : tensor<?x16xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 7] : tensor<7xf32> into tensor<1x7xf32>
// CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps {{.*}} outs(%{{.*}} : tensor<1x7xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x7xf32> into tensor<7xf32>
func.func @rms_norm(%x: tensor<?x16xf32>, %g: tensor<16xf32>, %v: tensor<7xf32>, %h: tensor<7xf32>) -> (tensor<?x16xf32>, tensor<7xf32>) {
  %y = xf.rms_norm %x, %g : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %z = xf.rms_norm %v, %h : (tensor<7xf32>, tensor<7xf32>) -> tensor<7xf32>
  return %y, %z : tensor<?x16xf32>, tensor<7xf32>
}

// -----

// The kernel is f32; other element types keep the plain lowering.
// CHECK-LABEL: func.func @f16
// CHECK: xf.layer_norm
func.func @f16(%x: tensor<4x8xf16>, %g: tensor<8xf16>) -> tensor<4x8xf16> {
  %y = xf.layer_norm %x, %g : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}
