// RUN: xf-opt %s --split-input-file --xf-cpu-globals-as-bytes="min-bytes=16" | FileCheck %s
// RUN: xf-opt %s --split-input-file --xf-cpu-globals-as-bytes="min-bytes=16" | xf-translate --split-input-file --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// A nested array of floats becomes its bytes as they are in memory
// (little-endian 1.0 = 0x3F800000), one flat i8 array with the same
// alignment; the address users keep working on the opaque pointer.
// A splat stays as it is (a zero initializer).
// CHECK-LABEL: llvm.mlir.global private constant @w(dense_resource<w> : tensor<16xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<16 x i8>
// CHECK-NEXT: llvm.mlir.global private constant @pad(dense<0.000000e+00> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
// CHECK-LABEL: llvm.func @read
// CHECK: llvm.mlir.addressof @w : !llvm.ptr
// CHECK: w: "0x{{[0-9A-F]+}}0000803F000000400000404000008040"
// LLVM: @w = private constant [16 x i8] c"\00\00\80?\00\00\00@\00\00@@\00\00\80@", align 64
// LLVM-LABEL: define float @read(
// LLVM: load float, ptr getelementptr inbounds nuw (i8, ptr @w, i64 12)
llvm.mlir.global private constant @w(dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<2 x array<2 x f32>>
llvm.mlir.global private constant @pad(dense<[0.0, 0.0, 0.0, 0.0]> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
llvm.func @read(%i: i64) -> f32 {
  %p = llvm.mlir.addressof @w : !llvm.ptr
  %q = llvm.getelementptr %p[0, 1, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<2 x array<2 x f32>>
  %v = llvm.load %q : !llvm.ptr -> f32
  llvm.return %v : f32
}

// -----

// Constants under min-bytes keep their type.
// CHECK-LABEL: llvm.mlir.global private constant @small(dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
llvm.mlir.global private constant @small(dense<[1.0, 2.0]> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
