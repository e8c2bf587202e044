// RUN: xf-opt %s --split-input-file | xf-opt --split-input-file | FileCheck %s
// RUN: xf-opt %s --split-input-file --mlir-print-op-generic | xf-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tensors
func.func @tensors(%w: tensor<64x40xf32>, %x: tensor<10x64xf32>, %b: tensor<40xf32>, %r: tensor<10x40xf32>,
                   %g: tensor<40xf32>) -> (tensor<10x40xf32>, tensor<10x40xf32>) {
  %pe = tensor.empty() : tensor<2x64x32xf32>
  // CHECK: xf_cpu.pack_weights %{{.*}} layout kn outs(%{{.*}} : tensor<2x64x32xf32>) : tensor<64x40xf32> -> tensor<2x64x32xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%pe : tensor<2x64x32xf32>) : tensor<64x40xf32> -> tensor<2x64x32xf32>
  %e = tensor.empty() : tensor<10x40xf32>
  // CHECK: xf_cpu.gemm %{{.*}}, %{{.*}} bias %{{.*}} act gelu residual %{{.*}} outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x64xf32>, tensor<2x64x32xf32>, tensor<40xf32>, tensor<10x40xf32> -> tensor<10x40xf32>
  %y = xf_cpu.gemm %x, %p bias %b act gelu residual %r outs(%e : tensor<10x40xf32>)
      : tensor<10x64xf32>, tensor<2x64x32xf32>, tensor<40xf32>, tensor<10x40xf32> -> tensor<10x40xf32>
  // CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps 1.000000e-05 outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x40xf32>, tensor<40xf32> -> tensor<10x40xf32>
  %n = xf_cpu.norm %y, %g kind rms_norm eps 1.0e-5 outs(%e : tensor<10x40xf32>) : tensor<10x40xf32>, tensor<40xf32> -> tensor<10x40xf32>
  return %y, %n : tensor<10x40xf32>, tensor<10x40xf32>
}

// -----

// CHECK-LABEL: func.func @memrefs
func.func @memrefs(%q: memref<1x8x32xf32>, %k: memref<1x8x16xf32>, %m: memref<8x8xf32>, %o: memref<1x8x32xf32>) {
  // CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} heads 4 kv_heads 2 scale 2.500000e-01 window 3 outs(%{{.*}} : memref<1x8x32xf32>) : memref<1x8x32xf32>, memref<1x8x16xf32>, memref<1x8x16xf32>, memref<8x8xf32>
  xf_cpu.flash_attention %q, %k, %k mask %m heads 4 kv_heads 2 scale 0.25 window 3 outs(%o : memref<1x8x32xf32>)
      : memref<1x8x32xf32>, memref<1x8x16xf32>, memref<1x8x16xf32>, memref<8x8xf32>
  return
}
