// RUN: xf-opt %s --split-input-file --xf-cpu-fold-constant-weights | FileCheck %s
// RUN: xf-opt %s --split-input-file --xf-cpu-fold-constant-weights=release-weights=true | FileCheck %s --check-prefixes=CHECK,RELEASE

// Packing a constant weight folds at compile time. kn: panel p, row k holds
// W[k][p * NR .. p * NR + NR), zero past N.
// CHECK-LABEL: func.func @pack_constant_kn
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [4.000000e+00, 5.000000e+00]], {{\[\[}}3.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: return %[[P]]
func.func @pack_constant_kn() -> tensor<2x2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x2x2xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<2x2x2xf32>) : tensor<2x3xf32> -> tensor<2x2x2xf32>
  return %p : tensor<2x2x2xf32>
}

// -----

// nk: the weight's rows are the columns.
// CHECK-LABEL: func.func @pack_constant_nk
// CHECK: arith.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]]> : tensor<1x2x3xf32>
func.func @pack_constant_nk() -> tensor<1x2x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x2x3xf32>
  %p = xf_cpu.pack_weights %w layout nk outs(%e : tensor<1x2x3xf32>) : tensor<3x2xf32> -> tensor<1x2x3xf32>
  return %p : tensor<1x2x3xf32>
}

// -----

// A weight that is an argument is packed at run time.
// CHECK-LABEL: func.func @pack_argument
// CHECK: xf_cpu.pack_weights
func.func @pack_argument(%w: tensor<2x3xf32>) -> tensor<2x2x2xf32> {
  %e = tensor.empty() : tensor<2x2x2xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<2x2x2xf32>) : tensor<2x3xf32> -> tensor<2x2x2xf32>
  return %p : tensor<2x2x2xf32>
}

// -----

// Panels packed part by part from constant weights (a merged projection,
// as xf-cpu-form-kernels writes it) fold into one constant.
// CHECK-LABEL: func.func @assemble_constant_parts
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]], {{\[\[}}5.000000e+00, 5.000000e+00], [5.000000e+00, 5.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-NOT: tensor.insert_slice
// CHECK: return %[[C]]
func.func @assemble_constant_parts() -> tensor<2x2x2xf32> {
  %wq = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %wk = arith.constant dense<5.0> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2x2xf32>
  %s0 = tensor.extract_slice %e[0, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<2x2x2xf32> to tensor<1x2x2xf32>
  %p0 = xf_cpu.pack_weights %wq layout kn outs(%s0 : tensor<1x2x2xf32>) : tensor<2x2xf32> -> tensor<1x2x2xf32>
  %i0 = tensor.insert_slice %p0 into %e[0, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<1x2x2xf32> into tensor<2x2x2xf32>
  %s1 = tensor.extract_slice %i0[1, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<2x2x2xf32> to tensor<1x2x2xf32>
  %p1 = xf_cpu.pack_weights %wk layout kn outs(%s1 : tensor<1x2x2xf32>) : tensor<2x2xf32> -> tensor<1x2x2xf32>
  %i1 = tensor.insert_slice %p1 into %i0[1, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<1x2x2xf32> into tensor<2x2x2xf32>
  return %i1 : tensor<2x2x2xf32>
}

// -----

// Into a constant base, a part at an offset in the middle; the elements it
// does not cover keep the base's values.
// CHECK-LABEL: func.func @into_constant
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[}}7.000000e+00, 7.000000e+00, 7.000000e+00], [7.000000e+00, 1.000000e+00, 2.000000e+00]]> : tensor<2x3xf32>
// CHECK: return %[[C]]
func.func @into_constant(%x: tensor<1x2xf32>) -> (tensor<2x3xf32>, tensor<1x1x2xf32>) {
  %base = arith.constant dense<7.0> : tensor<2x3xf32>
  %a = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %0 = tensor.insert_slice %a into %base[1, 1] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<2x3xf32>
  %e = tensor.empty() : tensor<1x1x2xf32>
  %p = xf_cpu.pack_weights %x layout kn outs(%e : tensor<1x1x2xf32>) : tensor<1x2xf32> -> tensor<1x1x2xf32>
  return %0, %p : tensor<2x3xf32>, tensor<1x1x2xf32>
}

// -----

// A part computed at run time, or a strided insertion, keeps the chain.
// CHECK-LABEL: func.func @run_time_part
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
// CHECK: xf_cpu.pack_weights
// CHECK-LABEL: func.func @strided
// CHECK: tensor.insert_slice
func.func @run_time_part(%x: tensor<1x2xf32>) -> (tensor<2x2xf32>, tensor<1x1x2xf32>) {
  %a = arith.constant dense<1.0> : tensor<1x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %0 = tensor.insert_slice %a into %e[0, 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<2x2xf32>
  %1 = tensor.insert_slice %x into %0[1, 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<2x2xf32>
  %e2 = tensor.empty() : tensor<1x1x2xf32>
  %p = xf_cpu.pack_weights %x layout kn outs(%e2 : tensor<1x1x2xf32>) : tensor<1x2xf32> -> tensor<1x1x2xf32>
  return %1, %p : tensor<2x2xf32>, tensor<1x1x2xf32>
}
func.func @strided() -> tensor<4xf32> {
  %a = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4xf32>
  %0 = tensor.insert_slice %a into %e[0] [2] [2] : tensor<2xf32> into tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Packed constants of 4 KiB and more are resource blobs: aligned to 64
// bytes (the 0x40 before the first element, 2.0), not uniqued, and bound
// to JIT code without a copy. Smaller ones stay dense.
// CHECK-LABEL: func.func @pack_large_constant
// CHECK: %[[P:.*]] = arith.constant dense_resource<xf_{{.*}}> : tensor<1x32x32xf32>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: return %[[P]]
// CHECK: xf_{{.*}}: "0x4000000000000040
func.func @pack_large_constant() -> tensor<1x32x32xf32> {
  %w = arith.constant dense<2.0> : tensor<32x32xf32>
  %e = tensor.empty() : tensor<1x32x32xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<1x32x32xf32>) : tensor<32x32xf32> -> tensor<1x32x32xf32>
  return %p : tensor<1x32x32xf32>
}

// -----

// One weight packed in two places (layers that share it) gives one blob,
// named by a hash of its bytes, and so one constant.
// CHECK-LABEL: func.func @pack_shared_constant
// CHECK: %[[P:.*]] = arith.constant dense_resource<xf_{{[0-9A-F]+}}> : tensor<1x32x32xf32>
// CHECK-NOT: arith.constant
// CHECK: return %[[P]], %[[P]]
func.func @pack_shared_constant() -> (tensor<1x32x32xf32>, tensor<1x32x32xf32>) {
  %w = arith.constant dense<3.0> : tensor<32x32xf32>
  %e0 = tensor.empty() : tensor<1x32x32xf32>
  %p0 = xf_cpu.pack_weights %w layout kn outs(%e0 : tensor<1x32x32xf32>) : tensor<32x32xf32> -> tensor<1x32x32xf32>
  %e1 = tensor.empty() : tensor<1x32x32xf32>
  %p1 = xf_cpu.pack_weights %w layout kn outs(%e1 : tensor<1x32x32xf32>) : tensor<32x32xf32> -> tensor<1x32x32xf32>
  return %p0, %p1 : tensor<1x32x32xf32>, tensor<1x32x32xf32>
}

// -----

// A weight the packing consumes is packed from its blob; one that is also
// used elsewhere keeps its blob, released or not (only blobs nothing refers
// to are freed: see unittests/FoldConstantWeightsTest.cpp).
// CHECK-LABEL: func.func @pack_resource
// CHECK-DAG: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<1x2x16xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<kept> : tensor<2x2xf32>
// CHECK-NOT: xf_cpu.pack_weights
// CHECK: return %[[P]], %[[P]], %[[W]]
// CHECK: kept: "0x04000000000080BF0000004000000000000040C0"
// RELEASE-NOT: consumed:
func.func @pack_resource() -> (tensor<1x2x16xf32>, tensor<1x2x16xf32>, tensor<2x2xf32>) {
  %a = arith.constant dense_resource<consumed> : tensor<2x2xf32>
  %b = arith.constant dense_resource<kept> : tensor<2x2xf32>
  %e0 = tensor.empty() : tensor<1x2x16xf32>
  %p0 = xf_cpu.pack_weights %a layout kn outs(%e0 : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  %e1 = tensor.empty() : tensor<1x2x16xf32>
  %p1 = xf_cpu.pack_weights %b layout kn outs(%e1 : tensor<1x2x16xf32>) : tensor<2x2xf32> -> tensor<1x2x16xf32>
  return %p0, %p1, %b : tensor<1x2x16xf32>, tensor<1x2x16xf32>, tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      consumed: "0x04000000000080BF0000004000000000000040C0",
      kept: "0x04000000000080BF0000004000000000000040C0"
    }
  }
#-}
