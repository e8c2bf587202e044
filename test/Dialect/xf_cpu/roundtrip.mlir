// RUN: xf-opt %s --split-input-file | xf-opt --split-input-file | FileCheck %s
// RUN: xf-opt %s --split-input-file --mlir-print-op-generic | xf-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tensors
func.func @tensors(%w: tensor<64x40xf32>, %x: tensor<10x64xf32>, %b: tensor<40xf32>, %r: tensor<10x40xf32>,
                   %g: tensor<40xf32>) -> (tensor<10x40xf32>, tensor<10x40xf32>) {
  %pe = tensor.empty() : tensor<2x64x32xf32>
  // CHECK: xf_cpu.pack_weights %{{.*}} layout kn outs(%{{.*}} : tensor<2x64x32xf32>) : tensor<64x40xf32> -> tensor<2x64x32xf32>
  %p = xf_cpu.pack_weights %w layout kn outs(%pe : tensor<2x64x32xf32>) : tensor<64x40xf32> -> tensor<2x64x32xf32>
  %e = tensor.empty() : tensor<10x40xf32>
  // CHECK: xf_cpu.gemm %{{.*}}, %{{.*}} bias %{{.*}} act gelu residual %{{.*}} : tensor<10x40xf32> outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x64xf32>, tensor<2x64x32xf32>, tensor<40xf32> -> tensor<10x40xf32>
  %y = xf_cpu.gemm %x, %p bias %b act gelu residual %r : tensor<10x40xf32> outs(%e : tensor<10x40xf32>)
      : tensor<10x64xf32>, tensor<2x64x32xf32>, tensor<40xf32> -> tensor<10x40xf32>
  // A residual without a bias.
  // CHECK: xf_cpu.gemm %{{.*}}, %{{.*}} residual %{{.*}} : tensor<10x40xf32> outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x64xf32>, tensor<2x64x32xf32> -> tensor<10x40xf32>
  %y2 = xf_cpu.gemm %x, %p residual %r : tensor<10x40xf32> outs(%e : tensor<10x40xf32>)
      : tensor<10x64xf32>, tensor<2x64x32xf32> -> tensor<10x40xf32>
  // CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps 1.000000e-05 outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x40xf32>, tensor<40xf32> -> tensor<10x40xf32>
  %n = xf_cpu.norm %y, %g kind rms_norm eps 1.0e-5 outs(%e : tensor<10x40xf32>) : tensor<10x40xf32>, tensor<40xf32> -> tensor<10x40xf32>
  return %y, %n : tensor<10x40xf32>, tensor<10x40xf32>
}

// -----

// CHECK-LABEL: func.func @memrefs
func.func @memrefs(%q: memref<1x8x32xf32>, %k: memref<1x8x16xf32>, %m: memref<8x8xf32>, %o: memref<1x8x32xf32>) {
  // CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : memref<8x8xf32> heads 4 kv_heads 2 scale 2.500000e-01 causal window 3 outs(%{{.*}} : memref<1x8x32xf32>) : memref<1x8x32xf32>, memref<1x8x16xf32>, memref<1x8x16xf32>
  xf_cpu.flash_attention %q, %k, %k mask %m : memref<8x8xf32> heads 4 kv_heads 2 scale 0.25 causal window 3 outs(%o : memref<1x8x32xf32>)
      : memref<1x8x32xf32>, memref<1x8x16xf32>, memref<1x8x16xf32>
  return
}

// -----

// Every run-time operand: the valid keys, a block mask, the layout's block
// table; the decode schedule.
// CHECK-LABEL: func.func @runtime_operands
func.func @runtime_operands(%q: tensor<2x1x32xf32>, %k: tensor<2x16x16xf32>, %len: tensor<2xi32>,
                            %bm: tensor<2x4x1x2xi8>, %t: tensor<3x3xi32>) -> tensor<2x1x32xf32> {
  %e = tensor.empty() : tensor<2x1x32xf32>
  // CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} kv_len %{{.*}} : tensor<2xi32> block_mask %{{.*}} [4, 8] : tensor<2x4x1x2xi8> block_table %{{.*}} : tensor<3x3xi32> heads 4 kv_heads 2 scale 1.250000e-01 causal blocks [8, 8] dense<true> : tensor<2x2xi1> decode outs(%{{.*}} : tensor<2x1x32xf32>)
  %o = xf_cpu.flash_attention %q, %k, %k kv_len %len : tensor<2xi32> block_mask %bm [4, 8] : tensor<2x4x1x2xi8>
      block_table %t : tensor<3x3xi32> heads 4 kv_heads 2 scale 0.125 causal blocks [8, 8] dense<true> : tensor<2x2xi1> decode
      outs(%e : tensor<2x1x32xf32>) : tensor<2x1x32xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32> -> tensor<2x1x32xf32>
  return %o : tensor<2x1x32xf32>
}

// -----

// Packed sequences.
// CHECK-LABEL: func.func @packed
func.func @packed(%x: tensor<10x32xf32>, %cu: tensor<3xi32>) -> tensor<10x32xf32> {
  %e = tensor.empty() : tensor<10x32xf32>
  // CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} seq_offsets %{{.*}} : tensor<3xi32> heads 4 kv_heads 4 scale 1.250000e-01 causal sinks 2 outs
  %o = xf_cpu.flash_attention %x, %x, %x seq_offsets %cu : tensor<3xi32> heads 4 kv_heads 4 scale 0.125 causal sinks 2
      outs(%e : tensor<10x32xf32>) : tensor<10x32xf32>, tensor<10x32xf32>, tensor<10x32xf32> -> tensor<10x32xf32>
  return %o : tensor<10x32xf32>
}

// -----

// CHECK-LABEL: func.func @block_sparse_gemm
func.func @block_sparse_gemm(%x: tensor<10x64xf32>, %v: tensor<3x16x32xf32>, %o: tensor<3xi32>,
                             %rows: tensor<3xi32>, %b: tensor<40xf32>) -> tensor<10x40xf32> {
  %e = tensor.empty() : tensor<10x40xf32>
  // CHECK: xf_cpu.gemm %{{.*}}, %{{.*}} blocks(%{{.*}}, %{{.*}} : tensor<3xi32>, tensor<3xi32>) bias %{{.*}} act silu outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x64xf32>, tensor<3x16x32xf32>, tensor<40xf32> -> tensor<10x40xf32>
  %y = xf_cpu.gemm %x, %v blocks(%o, %rows : tensor<3xi32>, tensor<3xi32>) bias %b act silu outs(%e : tensor<10x40xf32>)
      : tensor<10x64xf32>, tensor<3x16x32xf32>, tensor<40xf32> -> tensor<10x40xf32>
  return %y : tensor<10x40xf32>
}

// -----

// CHECK-LABEL: func.func @two_of_four_gemm
func.func @two_of_four_gemm(%x: tensor<10x62xf32>, %v: tensor<2x16x64xf32>, %s: tensor<2x16x32xi8>,
                            %b: tensor<40xf32>) -> tensor<10x40xf32> {
  %e = tensor.empty() : tensor<10x40xf32>
  // CHECK: xf_cpu.gemm %{{.*}}, %{{.*}} two_of_four(%{{.*}} : tensor<2x16x32xi8>) bias %{{.*}} outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x62xf32>, tensor<2x16x64xf32>, tensor<40xf32> -> tensor<10x40xf32>
  %y = xf_cpu.gemm %x, %v two_of_four(%s : tensor<2x16x32xi8>) bias %b outs(%e : tensor<10x40xf32>)
      : tensor<10x62xf32>, tensor<2x16x64xf32>, tensor<40xf32> -> tensor<10x40xf32>
  return %y : tensor<10x40xf32>
}

// -----

// CHECK-LABEL: func.func @sparse_gemm
func.func @sparse_gemm(%x: tensor<10x64xf32>, %v: tensor<7xf32>, %o: tensor<41xi32>,
                       %rows: tensor<7xi32>, %r: tensor<10x40xf32>) -> tensor<10x40xf32> {
  %e = tensor.empty() : tensor<10x40xf32>
  // CHECK: xf_cpu.sparse_gemm %{{.*}}, %{{.*}} columns(%{{.*}}, %{{.*}} : tensor<41xi32>, tensor<7xi32>) act gelu residual %{{.*}} : tensor<10x40xf32> outs(%{{.*}} : tensor<10x40xf32>) : tensor<10x64xf32>, tensor<7xf32> -> tensor<10x40xf32>
  %y = xf_cpu.sparse_gemm %x, %v columns(%o, %rows : tensor<41xi32>, tensor<7xi32>) act gelu residual %r : tensor<10x40xf32> outs(%e : tensor<10x40xf32>)
      : tensor<10x64xf32>, tensor<7xf32> -> tensor<10x40xf32>
  return %y : tensor<10x40xf32>
}

// -----

// CHECK-LABEL: func.func @selection
func.func @selection(%s: tensor<4x40xf32>, %x: tensor<4x16xf32>, %u: tensor<40x16xbf16>, %g: tensor<40x16xbf16>,
                     %d: tensor<40x24xf32>, %b: tensor<40xf32>) -> (tensor<4x3xi64>, tensor<4x24xf32>) {
  %e = tensor.empty() : tensor<4x3xi64>
  // CHECK: xf_cpu.top_k %{{.*}} k 3 outs(%{{.*}} : tensor<4x3xi64>) : tensor<4x40xf32> -> tensor<4x3xi64>
  %i = xf_cpu.top_k %s k 3 outs(%e : tensor<4x3xi64>) : tensor<4x40xf32> -> tensor<4x3xi64>
  %f = tensor.empty() : tensor<4x24xf32>
  // CHECK: xf_cpu.gather_mlp %{{.*}}, %{{.*}} up %{{.*}} gate %{{.*}} : tensor<40x16xbf16> down %{{.*}} up_bias %{{.*}} : tensor<40xf32> act gelu outs(%{{.*}} : tensor<4x24xf32>) : tensor<4x16xf32>, tensor<4x3xi64>, tensor<40x16xbf16>, tensor<40x24xf32> -> tensor<4x24xf32>
  %y = xf_cpu.gather_mlp %x, %i up %u gate %g : tensor<40x16xbf16> down %d up_bias %b : tensor<40xf32> act gelu outs(%f : tensor<4x24xf32>)
      : tensor<4x16xf32>, tensor<4x3xi64>, tensor<40x16xbf16>, tensor<40x24xf32> -> tensor<4x24xf32>
  return %i, %y : tensor<4x3xi64>, tensor<4x24xf32>
}
