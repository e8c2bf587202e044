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

// Weights through xf.dequantize go in as int8 values and scales, dequantized
// inside the layer (so that its GEMMs read int8); the caller's dequantizes
// go. A layer whose weight is f32 where the others' is dequantized is not
// the same layer.
// CHECK-LABEL: func.func private @int8_layers_layer0(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x8xf32>, %[[G:[^:]*]]: tensor<8xf32>, %[[W:[^:]*]]: tensor<8x8xf32>, %{{[^:]*}}: tensor<8x8xf32>, %{{[^:]*}}: tensor<8x8xf32>, %{{[^:]*}}: tensor<8x8xf32>, %{{[^:]*}}: tensor<8xf32>, %[[UQ:[^:]*]]: tensor<16x8xi8>, %[[US:[^:]*]]: tensor<16xf32>, %[[D:[^:]*]]: tensor<8x16xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[U:.*]] = xf.dequantize %[[UQ]] scales %[[US]] axis 0
// CHECK-NEXT: xf.block %[[X]] {{.*}} mlp(up %[[U]] down %[[D]])
// CHECK-LABEL: func.func @int8_layers(
// CHECK-SAME: %{{[^:]*}}: tensor<2x8xf32>, %{{[^:]*}}: tensor<8x8xf32>, %{{[^:]*}}: tensor<8xf32>, %[[Q0:[^:]*]]: tensor<16x8xi8>, %[[S0:[^:]*]]: tensor<16xf32>, %[[Q1:[^:]*]]: tensor<16x8xi8>, %[[S1:[^:]*]]: tensor<16xf32>
// CHECK-NOT: xf.dequantize
// CHECK: call @int8_layers_layer0({{.*}}, %[[Q0]], %[[S0]], %{{.*}})
// CHECK-NOT: xf.dequantize
// CHECK: call @int8_layers_layer0({{.*}}, %[[Q1]], %[[S1]], %{{.*}})
// CHECK-NOT: call
// CHECK: xf.block
// CHECK-NEXT: return
func.func @int8_layers(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>, %q0: tensor<16x8xi8>, %s0: tensor<16xf32>,
                       %q1: tensor<16x8xi8>, %s1: tensor<16xf32>, %u: tensor<16x8xf32>, %d: tensor<8x16xf32>) -> tensor<2x8xf32> {
  %u0 = xf.dequantize %q0 scales %s0 axis 0 : (tensor<16x8xi8>, tensor<16xf32>) -> tensor<16x8xf32>
  %u1 = xf.dequantize %q1 scales %s1 axis 0 : (tensor<16x8xi8>, tensor<16xf32>) -> tensor<16x8xf32>
  %h0 = xf.block %x heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u0 down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h1 = xf.block %h0 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u1 down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %h2 = xf.block %h1 heads 2 norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u down %d)
      : (tensor<2x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  return %h2 : tensor<2x8xf32>
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

// A constant weight holding zeros (2 rows of 16: enough for a sparse format
// to pay) keeps its layer in place for xf-sparsify-weights; dense constants
// become call operands.
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
  %zeros = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
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

// -----

// Without blocks (an imported model): the run of ops that repeats back to
// back becomes one function. What a repeat reads from outside (the layer's
// input, the argument %g) and its constants that differ between repeats
// (the weights) are call operands; a constant all repeats share (%half)
// stays inside; the prefix and suffix stay in place.
// CHECK-LABEL: func.func private @primitives_layer0(
// CHECK-SAME: %[[X:.*]]: tensor<4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[W:.*]]: tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[N:.*]] = xf.rms_norm %[[X]], %[[G]]
// CHECK: %[[L:.*]] = xf.linear %[[N]], %[[W]]
// CHECK: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<8xf32>
// CHECK: %[[M:.*]] = xf.mul %[[L]], %[[HALF]]
// CHECK: %[[R:.*]] = xf.add %[[X]], %[[M]]
// CHECK: return %[[R]]
// CHECK-LABEL: func.func @primitives(
// CHECK: %[[IN:.*]] = xf.relu %arg0
// CHECK: %[[W0:.*]] = arith.constant dense<1.000000e+00> : tensor<8x8xf32>
// CHECK: %[[C0:.*]] = call @primitives_layer0(%[[IN]], %arg1, %[[W0]])
// CHECK: %[[W1:.*]] = arith.constant dense<2.000000e+00> : tensor<8x8xf32>
// CHECK: %[[C1:.*]] = call @primitives_layer0(%[[C0]], %arg1, %[[W1]])
// CHECK: %[[W2:.*]] = arith.constant dense<3.000000e+00> : tensor<8x8xf32>
// CHECK: %[[C2:.*]] = call @primitives_layer0(%[[C1]], %arg1, %[[W2]])
// CHECK: %[[OUT:.*]] = xf.relu %[[C2]]
// CHECK: return %[[OUT]]
// THREE-LABEL: func.func @primitives(
// THREE-COUNT-3: call @primitives_layer0(
func.func @primitives(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %half = arith.constant dense<0.5> : tensor<8xf32>
  %in = xf.relu %x : tensor<4x8xf32>
  %w0 = arith.constant dense<1.0> : tensor<8x8xf32>
  %n0 = xf.rms_norm %in, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %l0 = xf.linear %n0, %w0 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %m0 = xf.mul %l0, %half : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r0 = xf.add %in, %m0 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %w1 = arith.constant dense<2.0> : tensor<8x8xf32>
  %n1 = xf.rms_norm %r0, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %l1 = xf.linear %n1, %w1 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %m1 = xf.mul %l1, %half : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r1 = xf.add %r0, %m1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %w2 = arith.constant dense<3.0> : tensor<8x8xf32>
  %n2 = xf.rms_norm %r1, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %l2 = xf.linear %n2, %w2 : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %m2 = xf.mul %l2, %half : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r2 = xf.add %r1, %m2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %out = xf.relu %r2 : tensor<4x8xf32>
  return %out : tensor<4x8xf32>
}

// -----

// Repeats that read differently stay in place: the second reads the
// function's input where the first read its own norm (a residual from the
// start, not a chain of layers).
// CHECK-LABEL: func.func @reads_differ(
// CHECK-NOT: call
// CHECK: return
func.func @reads_differ(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %n0 = xf.rms_norm %x, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %a0 = xf.add %n0, %n0 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %n1 = xf.rms_norm %a0, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %a1 = xf.add %n1, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a1 : tensor<4x8xf32>
}

// -----

// A repeat that covers less than half the function (two projections with
// their residuals in one layer) is not a stack of layers: nothing is
// outlined.
// CHECK-LABEL: func.func @few_repeats(
// CHECK-NOT: call
// CHECK: return
func.func @few_repeats(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %q = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %qr = xf.add %q, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %k = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %kr = xf.add %k, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %a = xf.mul %qr, %kr : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %n = xf.rms_norm %a, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %s = xf.softmax %n axis 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  %r = xf.relu %s : tensor<4x8xf32>
  %m = xf.mul %r, %a : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %m : tensor<4x8xf32>
}

// -----

// Repeats that end the function (no suffix), the last one returned.
// CHECK-LABEL: func.func private @at_the_end_layer0(
// CHECK-LABEL: func.func @at_the_end(
// CHECK: %[[A:.*]] = call @at_the_end_layer0(%arg0, %arg1)
// CHECK: %[[B:.*]] = call @at_the_end_layer0(%[[A]], %arg1)
// CHECK: %[[C:.*]] = call @at_the_end_layer0(%[[B]], %arg1)
// CHECK: return %[[C]]
func.func @at_the_end(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %n0 = xf.rms_norm %x, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %a0 = xf.add %n0, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %n1 = xf.rms_norm %a0, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %a1 = xf.add %n1, %a0 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %n2 = xf.rms_norm %a1, %g eps 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %a2 = xf.add %n2, %a1 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a2 : tensor<4x8xf32>
}
