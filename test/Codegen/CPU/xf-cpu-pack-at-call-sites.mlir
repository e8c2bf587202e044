// RUN: xf-opt %s --split-input-file --xf-cpu-pack-at-call-sites | FileCheck %s

// A private layer packs its argument weight on every call; the packing
// moves to each call site, and the layer takes the panels instead of the
// raw weight. The activation stays an argument.
// CHECK-LABEL: func.func private @layer(
// CHECK-SAME: %[[X:.*]]: tensor<4x64xf32>, %[[P:.*]]: tensor<2x64x32xf32>) -> tensor<4x64xf32>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: xf_cpu.gemm %[[X]], %[[P]]
// CHECK-LABEL: func.func @model(
// CHECK-SAME: %[[X0:.*]]: tensor<4x64xf32>, %[[W0:.*]]: tensor<64x64xf32>, %[[W1:.*]]: tensor<64x64xf32>)
// CHECK: %[[P0:.*]] = xf_cpu.pack_weights %[[W0]]
// CHECK: %[[H:.*]] = call @layer(%[[X0]], %[[P0]])
// CHECK: %[[P1:.*]] = xf_cpu.pack_weights %[[W1]]
// CHECK: call @layer(%[[H]], %[[P1]])
func.func private @layer(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<4x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}
func.func @model(%x: tensor<4x64xf32>, %w0: tensor<64x64xf32>, %w1: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %h = call @layer(%x, %w0) : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %y = call @layer(%h, %w1) : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Packing climbs through nested private functions to the public caller,
// whose constant weight the canonicalizer can then pack at compile time.
// CHECK-LABEL: func.func private @inner(
// CHECK-SAME: tensor<4x64xf32>, %{{.*}}: tensor<2x64x32xf32>)
// CHECK-LABEL: func.func private @outer(
// CHECK-SAME: tensor<4x64xf32>, %{{.*}}: tensor<2x64x32xf32>)
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: call @inner(
// CHECK-LABEL: func.func @nested(
// CHECK: %[[W:.*]] = arith.constant
// CHECK: %[[P:.*]] = xf_cpu.pack_weights %[[W]]
// CHECK: call @outer(%{{.*}}, %[[P]])
func.func private @inner(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<4x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}
func.func private @outer(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %y = call @inner(%x, %w) : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @nested(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %w = arith.constant dense<1.0> : tensor<64x64xf32>
  %y = call @outer(%x, %w) : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A weight the layer also reads as an activation is not only a weight: it
// stays an argument and is packed inside. Public functions are left to
// xf-cpu-outline-weight-packing.
// CHECK-LABEL: func.func private @also_activation(
// CHECK-SAME: %{{.*}}: tensor<64x64xf32>, %[[W:.*]]: tensor<64x64xf32>)
// CHECK: xf_cpu.pack_weights %[[W]]
// CHECK-LABEL: func.func @public_layer(
// CHECK-SAME: %{{.*}}: tensor<4x64xf32>, %[[PW:.*]]: tensor<64x64xf32>)
// CHECK: xf_cpu.pack_weights %[[PW]]
// CHECK-LABEL: func.func @calls_both(
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: return
func.func private @also_activation(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<64x64xf32>
  %3 = xf_cpu.gemm %w, %1 outs(%2 : tensor<64x64xf32>) : tensor<64x64xf32>, tensor<2x64x32xf32> -> tensor<64x64xf32>
  return %3 : tensor<64x64xf32>
}
func.func @public_layer(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<4x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}
func.func @calls_both(%x: tensor<4x64xf32>, %a: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<4x64xf32>) {
  %y = call @also_activation(%a, %w) : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %z = call @public_layer(%x, %w) : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %y, %z : tensor<64x64xf32>, tensor<4x64xf32>
}
