// RUN: xf-translate --xf-to-llvmir %s | FileCheck %s
// CHECK-LABEL: define void @linear_relu(ptr %0, ptr %1, ptr %2, ptr %3)
// CHECK-NOT: xf.

// Ahead of time: LLVM IR -> object -> linked with a C caller (and the
// OpenMP runtime, which the threaded kernels call).
// RUN: xf-translate --xf-to-llvmir %s -o %t.ll
// RUN: clang-22 -O2 -c %t.ll -o %t.o
// RUN: clang-22 %S/Inputs/aot_driver.c %t.o -lm %openmp_runtime -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=AOT
// The same for an AVX2 target without threads.
// RUN: xf-translate --xf-to-llvmir "--xf-cpu-pipeline-options=vector-width=8 threads=1" %s -o %t.avx2.ll
// RUN: clang-22 -O2 -mavx2 -mfma -c %t.avx2.ll -o %t.avx2.o
// RUN: clang-22 %S/Inputs/aot_driver.c %t.avx2.o -lm -o %t.avx2.exe
// RUN: %t.avx2.exe | FileCheck %s --check-prefix=AOT
// With the weights packed once by a generated function, at load time.
// RUN: xf-translate --xf-to-llvmir "--xf-cpu-pipeline-options=pack-weights-once=true threads=1" %s -o %t.packed.ll
// RUN: clang-22 -O2 -c %t.packed.ll -o %t.packed.o
// RUN: clang-22 %S/Inputs/aot_packed_driver.c %t.packed.o -lm -o %t.packed.exe
// RUN: %t.packed.exe | FileCheck %s --check-prefix=PACKED
// PACKED: 0 12 25
// PACKED-NEXT: 0 14 28
// Compiled once for any cache capacity (memref descriptors), called for
// two capacities and valid lengths.
// RUN: xf-translate --xf-to-llvmir "--xf-cpu-pipeline-options=bare-ptr-calling-convention=false threads=1" %S/Inputs/dynamic_decode.mlir -o %t.dynamic.ll
// RUN: clang-22 -O2 -c %t.dynamic.ll -o %t.dynamic.o
// RUN: clang-22 %S/Inputs/aot_dynamic_driver.c %t.dynamic.o -lm -o %t.dynamic.exe
// RUN: %t.dynamic.exe | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: capacity 8 len 3 max_abs_err ok
// DYNAMIC-NEXT: capacity 64 len 50 max_abs_err ok
// Options are checked before compiling.
// RUN: not xf-translate --xf-to-llvmir "--xf-cpu-pipeline-options=vector-width=5" %s 2>&1 | FileCheck %s --check-prefix=BADOPTION
// BADOPTION: xf-to-llvmir.mlir:0:0: error: --xf-cpu-pipeline-options: vector-width must be 8 (AVX2) or 16 (AVX-512), got 5
// BADOPTION-NOT: note
// relu([1, 2] [[1, 2, 3], [4, 5, 6]] + [-10, 0, 10]) = relu([-1, 12, 25])
// AOT: 0 12 25

func.func @linear_relu(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  %y = xf.linear %x, %w bias %b act relu : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
