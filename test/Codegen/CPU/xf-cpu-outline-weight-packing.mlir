// RUN: xf-opt %s --split-input-file --xf-cpu-outline-weight-packing | FileCheck %s

// The packing of argument weights, including the per-part packing of a
// merged projection, moves into @f_pack_weights; @f takes the panels after
// its remaining arguments and records the convention.
// CHECK-LABEL: func.func @f_pack_weights
// CHECK-SAME: (%[[W:.*]]: tensor<64x64xf32>, %[[WQ:.*]]: tensor<64x32xf32>, %[[WK:.*]]: tensor<64x32xf32>) -> (tensor<2x64x32xf32>, tensor<2x64x32xf32>)
// CHECK:   %[[P:.*]] = xf_cpu.pack_weights %[[W]]
// CHECK:   xf_cpu.pack_weights %[[WQ]]
// CHECK:   %[[PQK:.*]] = tensor.insert_slice
// CHECK:   return %[[P]], %[[PQK]]
// CHECK-LABEL: func.func @f
// CHECK-SAME: (%[[X:.*]]: tensor<4x64xf32>, %[[P1:.*]]: tensor<2x64x32xf32>, %[[P2:.*]]: tensor<2x64x32xf32>)
// CHECK-SAME: xf.pack_entry = @f_pack_weights, xf.pack_inputs = array<i64: 1, 2, 3>, xf.packed_types = [tensor<2x64x32xf32>, tensor<2x64x32xf32>], xf.step_inputs = array<i64: 0>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK:   %[[Y:.*]] = xf_cpu.gemm %[[X]], %[[P1]]
// CHECK:   xf_cpu.gemm %[[Y]], %[[P2]]
func.func @f(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>, %wq: tensor<64x32xf32>, %wk: tensor<64x32xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>) {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<4x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  %4 = tensor.empty() : tensor<2x64x32xf32>
  %s0 = tensor.extract_slice %4[0, 0, 0] [1, 64, 32] [1, 1, 1] : tensor<2x64x32xf32> to tensor<1x64x32xf32>
  %5 = xf_cpu.pack_weights %wq layout kn outs(%s0 : tensor<1x64x32xf32>) : tensor<64x32xf32> -> tensor<1x64x32xf32>
  %i0 = tensor.insert_slice %5 into %4[0, 0, 0] [1, 64, 32] [1, 1, 1] : tensor<1x64x32xf32> into tensor<2x64x32xf32>
  %s1 = tensor.extract_slice %i0[1, 0, 0] [1, 64, 32] [1, 1, 1] : tensor<2x64x32xf32> to tensor<1x64x32xf32>
  %6 = xf_cpu.pack_weights %wk layout kn outs(%s1 : tensor<1x64x32xf32>) : tensor<64x32xf32> -> tensor<1x64x32xf32>
  %i1 = tensor.insert_slice %6 into %i0[1, 0, 0] [1, 64, 32] [1, 1, 1] : tensor<1x64x32xf32> into tensor<2x64x32xf32>
  %7 = tensor.empty() : tensor<4x64xf32>
  %8 = xf_cpu.gemm %3, %i1 outs(%7 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  return %3, %8 : tensor<4x64xf32>, tensor<4x64xf32>
}

// -----

// A weight computed from an activation cannot be packed ahead of the call,
// and a private function is nobody's entry point: both stay.
// CHECK-NOT: func.func @activation_weight_pack_weights
// CHECK-LABEL: func.func @activation_weight(
// CHECK-NOT: xf.pack_entry
// CHECK: xf_cpu.pack_weights
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: xf.pack_entry
// CHECK: xf_cpu.pack_weights
func.func @activation_weight(%x: tensor<4x64xf32>) -> tensor<4x4xf32> {
  %w = tensor.collapse_shape %x [[0, 1]] : tensor<4x64xf32> into tensor<256xf32>
  %w2 = tensor.expand_shape %w [[0, 1]] output_shape [64, 4] : tensor<256xf32> into tensor<64x4xf32>
  %0 = tensor.empty() : tensor<1x64x32xf32>
  %1 = xf_cpu.pack_weights %w2 layout kn outs(%0 : tensor<1x64x32xf32>) : tensor<64x4xf32> -> tensor<1x64x32xf32>
  %2 = tensor.empty() : tensor<4x4xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x4xf32>) : tensor<4x64xf32>, tensor<1x64x32xf32> -> tensor<4x4xf32>
  return %3 : tensor<4x4xf32>
}
func.func private @helper(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %w layout kn outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<4x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<4x64xf32>) : tensor<4x64xf32>, tensor<2x64x32xf32> -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}

// -----

// An argument that feeds a packed panel and something else is an
// activation (here the product x x^T): its packing stays in the step.
// CHECK-NOT: func.func @self_product_pack_weights
// CHECK-LABEL: func.func @self_product(
// CHECK-NOT: xf.pack_entry
// CHECK: xf_cpu.pack_weights
// CHECK: xf_cpu.gemm
func.func @self_product(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = tensor.empty() : tensor<2x64x32xf32>
  %1 = xf_cpu.pack_weights %x layout nk outs(%0 : tensor<2x64x32xf32>) : tensor<64x64xf32> -> tensor<2x64x32xf32>
  %2 = tensor.empty() : tensor<64x64xf32>
  %3 = xf_cpu.gemm %x, %1 outs(%2 : tensor<64x64xf32>) : tensor<64x64xf32>, tensor<2x64x32xf32> -> tensor<64x64xf32>
  return %3 : tensor<64x64xf32>
}

// -----

// gather_mlp's packed rows move to the packing function; the rows it reads
// as they are (W_down, layout kn) stay arguments of the step.
// CHECK-LABEL: func.func @gather_pack_weights
// CHECK-SAME: (%{{.*}}: tensor<16x40xf32>) -> tensor<40x16xf32>
// CHECK:      xf_cpu.pack_weights
// CHECK:      tensor.collapse_shape
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[N:[^:]*]]: tensor<4x3xi64>, %[[WD:[^:]*]]: tensor<40x24xf32>, %[[U:[^:]*]]: tensor<40x16xf32>)
// CHECK-SAME: xf.pack_entry = @gather_pack_weights, xf.pack_inputs = array<i64: 2>
// CHECK-SAME: xf.step_inputs = array<i64: 0, 1, 3>
// CHECK-NOT:  xf_cpu.pack_weights
// CHECK:      xf_cpu.gather_mlp %[[X]], %[[N]] up %[[U]] down %[[WD]]
func.func @gather(%x: tensor<4x16xf32>, %n: tensor<4x3xi64>, %wu: tensor<16x40xf32>, %wd: tensor<40x24xf32>) -> tensor<4x24xf32> {
  %0 = tensor.empty() : tensor<40x16x1xf32>
  %1 = xf_cpu.pack_weights %wu layout kn outs(%0 : tensor<40x16x1xf32>) : tensor<16x40xf32> -> tensor<40x16x1xf32>
  %2 = tensor.collapse_shape %1 [[0], [1, 2]] : tensor<40x16x1xf32> into tensor<40x16xf32>
  %3 = tensor.empty() : tensor<4x24xf32>
  %4 = xf_cpu.gather_mlp %x, %n up %2 down %wd act relu outs(%3 : tensor<4x24xf32>) : tensor<4x16xf32>, tensor<4x3xi64>, tensor<40x16xf32>, tensor<40x24xf32> -> tensor<4x24xf32>
  return %4 : tensor<4x24xf32>
}
