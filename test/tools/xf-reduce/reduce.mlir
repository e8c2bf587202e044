// xf-reduce shrinks an input to what still shows a failure: here the one
// kernel that reaches xf-cpu-lower-kernels before bufferization, out of a
// module whose other functions lower fine (docs/Tools.md walks through it).
// RUN: xf-reduce %s -reduction-tree='traversal-mode=0 test=%S/../../Inputs/fails-unbufferized.sh test-arg=%xf_obj/bin/xf-opt' | FileCheck %s
// The input itself shows the failure.
// RUN: not xf-opt %s --xf-cpu-lower-kernels 2>&1 | FileCheck %s --check-prefix=FAILS
// FAILS: error: 'xf_cpu.norm' op must be bufferized before xf-cpu-lower-kernels

// CHECK-NOT:  func.func @buffers
// CHECK-NOT:  func.func @linear
// CHECK:      func.func @tensors
// CHECK:        xf_cpu.norm {{.*}} : tensor<8x20xf32>, tensor<20xf32> -> tensor<8x20xf32>
// CHECK-NOT:  func.func

func.func @buffers(%x: memref<8x20xf32>, %g: memref<20xf32>, %y: memref<8x20xf32>) {
  xf_cpu.norm %x, %g kind rms_norm eps 1.000000e-05 outs(%y : memref<8x20xf32>) : memref<8x20xf32>, memref<20xf32>
  return
}

func.func @linear(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %y = xf.linear %x, %w : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

func.func @tensors(%x: tensor<8x20xf32>, %g: tensor<20xf32>) -> tensor<8x20xf32> {
  %e = tensor.empty() : tensor<8x20xf32>
  %y = xf_cpu.norm %x, %g kind rms_norm eps 1.000000e-05 outs(%e : tensor<8x20xf32>) : tensor<8x20xf32>, tensor<20xf32> -> tensor<8x20xf32>
  %z = arith.addf %y, %x : tensor<8x20xf32>
  return %z : tensor<8x20xf32>
}
