// RUN: xf-opt %s --split-input-file --xf-outline-layers | FileCheck %s
// RUN: xf-opt %s --split-input-file --xf-outline-layers="keep-sparse-constants=false" | FileCheck %s --check-prefix=ALL
// RUN: xf-opt %s --split-input-file --xf-outline-layers="min-repeats=3" | FileCheck %s --check-prefix=THREE
// RUN: not xf-opt %s --split-input-file --xf-outline-layers="min-repeats=0" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: xf-outline-layers: min-repeats must be positive

// Two identical layers: one private function taking every operand, called
// per layer with that layer's weights.
// CHECK-LABEL: func.func private @two_layers_layer0(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x8xf32>, %[[G:[^:]*]]: tensor<8xf32>, %[[Q:[^:]*]]: tensor<8x8xf32>, %[[K:[^:]*]]: tensor<8x8xf32>, %[[V:[^:]*]]: tensor<8x8xf32>, %[[O:[^:]*]]: tensor<8x8xf32>, %[[G2:[^:]*]]: tensor<8xf32>, %[[WU:[^:]*]]: tensor<16x8xf32>, %[[WD:[^:]*]]: tensor<8x16xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[Y:.*]] = xf.block %[[X]] heads 2 norm rms_norm pre act silu layout nk norm1(%[[G]]) attn(%[[Q]], %[[K]], %[[V]], %[[O]]) norm2(%[[G2]]) mlp(up %[[WU]] down %[[WD]])
// CHECK-NEXT: return %[[Y]]
// CHECK-LABEL: func.func @two_layers(
// CHECK-SAME: %[[X0:[^:]*]]: tensor<2x8xf32>, %[[W:[^:]*]]: tensor<8x8xf32>, %[[G0:[^:]*]]: tensor<8xf32>, %[[U0:[^:]*]]: tensor<16x8xf32>, %[[D0:[^:]*]]: tensor<8x16xf32>, %[[G1:[^:]*]]: tensor<8xf32>, %[[U1:[^:]*]]: tensor<16x8xf32>, %[[D1:[^:]*]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[H0:.*]] = call @two_layers_layer0(%[[X0]], %[[G0]], %[[W]], %[[W]], %[[W]], %[[W]], %[[G0]], %[[U0]], %[[D0]])
// CHECK-NEXT: %[[H1:.*]] = call @two_layers_layer0(%[[H0]], %[[G1]], %[[W]], %[[W]], %[[W]], %[[W]], %[[G1]], %[[U1]], %[[D1]])
// CHECK-NEXT: return %[[H1]]
// THREE-LABEL: func.func @two_layers(
// THREE-NOT: call
// THREE: xf.block
// THREE: xf.block
// THREE-NOT: call
// THREE: return
func.func @two_layers(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %g0: tensor<8xf32>, %u0: tensor<16x8xf32>, %d0: tensor<8x16xf32>,
                      %g1: tensor<8xf32>, %u1: tensor<16x8xf32>, %d1: tensor<8x16xf32>) -> tensor<2x8xf32> {
  %h0 = xf.block %x heads 2 norm rms_norm pre act silu layout nk norm1(%g0) attn(%w, %w, %w, %w) norm2(%g0) mlp(up %u0 down %d0)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h1 = xf.block %h0 heads 2 norm rms_norm pre act silu layout nk norm1(%g1) attn(%w, %w, %w, %w) norm2(%g1) mlp(up %u1 down %d1)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  return %h1 : tensor<2x8xf32>
}

// -----

// Layers that differ in an attribute (the activation) or a type (the MLP
// width) are different functions; a kind that occurs once stays in place.
// CHECK-LABEL: func.func private @kinds_layer0(
// CHECK-SAME: tensor<16x8xf32>
// CHECK: act silu
// CHECK-LABEL: func.func private @kinds_layer1(
// CHECK-SAME: tensor<16x8xf32>
// CHECK: act gelu
// CHECK-LABEL: func.func @kinds(
// CHECK: call @kinds_layer0(
// CHECK: call @kinds_layer1(
// CHECK: call @kinds_layer0(
// CHECK: call @kinds_layer1(
// CHECK: xf.block {{.*}} tensor<32x8xf32>
// CHECK-NEXT: return
func.func @kinds(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>, %u: tensor<16x8xf32>, %d: tensor<8x16xf32>,
                 %u32: tensor<32x8xf32>, %d32: tensor<8x32xf32>) -> tensor<2x8xf32> {
  %h0 = xf.block %x heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h1 = xf.block %h0 heads 2 norm rms_norm pre act gelu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h2 = xf.block %h1 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h3 = xf.block %h2 heads 2 norm rms_norm pre act gelu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h4 = xf.block %h3 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u32 down %d32)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<8x32xf32>) -> tensor<2x8xf32>
  return %h4 : tensor<2x8xf32>
}

// -----

// A constant weight holding zeros keeps its layer in place for
// xf-sparsify-weights; dense constants become call operands.
// CHECK-LABEL: func.func private @sparse_constant_layer0(
// CHECK-LABEL: func.func @sparse_constant(
// CHECK-DAG: %[[DENSE:.*]] = arith.constant dense<1.000000e+00> : tensor<16x8xf32>
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<"0x00000000{{.*}}> : tensor<16x8xf32>
// CHECK: call @sparse_constant_layer0({{.*}}, %[[DENSE]], %{{.*}})
// CHECK: call @sparse_constant_layer0(
// CHECK: xf.block {{.*}} mlp(up %[[ZEROS]]
// ALL-LABEL: func.func @sparse_constant(
// ALL-COUNT-3: call @sparse_constant_layer0(
// ALL-NOT: xf.block
func.func @sparse_constant(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>, %d: tensor<8x16xf32>) -> tensor<2x8xf32> {
  %dense = arith.constant dense<1.0> : tensor<16x8xf32>
  %zeros = arith.constant dense<[[0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                                 [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]> : tensor<16x8xf32>
  %h0 = xf.block %x heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %dense down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h1 = xf.block %h0 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %dense down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h2 = xf.block %h1 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %zeros down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  return %h2 : tensor<2x8xf32>
}
