// RUN: xf-opt %s --split-input-file "--xf-cpu-pipeline=threads=2" | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: xf-opt %s --split-input-file "--xf-cpu-pipeline=fast=false" | FileCheck %s --check-prefixes=CHECK,PLAIN
// RUN: xf-opt %s --split-input-file "--xf-cpu-pipeline=threads=1" | FileCheck %s --check-prefix=SERIAL
// RUN: xf-opt %s --split-input-file "--xf-cpu-pipeline=bare-ptr-calling-convention=false" | FileCheck %s --check-prefix=DESC
// Functions with dynamic batch and sequence sizes compile too (rows of
// ?x?xD are split back with reinterpret casts, xf-cpu-lower-dynamic-expands).
// RUN: xf-opt %S/../../e2e/dynamic-shapes.mlir "--xf-cpu-pipeline" | FileCheck %s --check-prefix=DYNAMIC
// A function with dynamic sizes keeps memref descriptors (allocated and
// aligned pointers, offset, sizes, strides) under the default bare-pointer
// convention: x [?, ?, 16] is two pointers and seven integers.
// DYNAMIC-LABEL: llvm.func @dynamic_block(
// DYNAMIC-SAME: %arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: i64, %arg3: i64, %arg4: i64, %arg5: i64, %arg6: i64, %arg7: i64, %arg8: i64, %arg9: !llvm.ptr,
// DYNAMIC-NOT: memref.
// DYNAMIC: llvm.return
// Values that parse but that the kernels cannot use are refused before
// anything runs.
// RUN: not xf-opt %s "--xf-cpu-pipeline=attention-block-q=7" 2>&1 | FileCheck %s --check-prefix=BADQ
// BADQ: error: xf-cpu-pipeline: attention-block-q must be a multiple of 32 up to 1024, got 7
// RUN: not xf-opt %s "--xf-cpu-pipeline=vector-width=8 attention-block-kv=0" 2>&1 | FileCheck %s --check-prefix=BADKV
// BADKV: error: xf-cpu-pipeline: attention-block-kv must be a multiple of 4 up to 1024, got 0
// RUN: not xf-opt %s "--xf-cpu-pipeline=vector-width=4" 2>&1 | FileCheck %s --check-prefix=BADVW
// BADVW: error: xf-cpu-pipeline: vector-width must be 8 (AVX2) or 16 (AVX-512), got 4
// RUN: not xf-opt %s "--xf-cpu-pipeline=panel-width=20" 2>&1 | FileCheck %s --check-prefix=BADPANEL
// BADPANEL: error: xf-cpu-pipeline: panel-width must be 0 or a multiple of vector-width 16 up to 128, got 20
// RUN: not xf-opt %s "--xf-cpu-pipeline=threads=-3" 2>&1 | FileCheck %s --check-prefix=BADTHREADS
// BADTHREADS: error: xf-cpu-pipeline: threads must be >= 0 (0 = the cores of the compiling machine), got -3

// The pipeline ends in the LLVM dialect; the result becomes a trailing
// out-parameter, and with the default bare-pointer convention every memref
// is one pointer.
// CHECK-LABEL: llvm.func @block(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: xf.
// CHECK-NOT: linalg.
// The fast pipeline runs its kernels on threads (OpenMP parallel loops,
// which LLVM IR translation turns into runtime calls) with AVX-512 vectors
// and polynomial math; the plain one is scalar loops calling libm.
// FAST: omp.parallel
// FAST: omp.wsloop
// FAST: vector<16xf32>
// FAST-NOT: llvm.call @erff
// PLAIN-NOT: omp.parallel
// PLAIN-NOT: vector<16xf32>
// PLAIN: llvm.call @erff
// CHECK: llvm.return
// SERIAL-LABEL: llvm.func @block(
// SERIAL-NOT: omp.parallel
// SERIAL: llvm.return
// With memref descriptors instead, each memref expands to its fields.
// DESC-LABEL: llvm.func @block(
// DESC-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64,
func.func @block(%x: tensor<4x16xf32>, %g: tensor<16xf32>, %w1: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<4x16xf32> {
  %n = xf.rms_norm %x, %g : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %a = xf.attention %n, %n, %n heads 2 causal : (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = xf.mlp %a up %w1 down %w2 act gelu : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
