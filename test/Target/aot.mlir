// Ahead-of-time output: two modules compiled to two objects (one with its
// weights packed once, by a packing function of its own) and their C
// headers, linked into one C program with the system compiler, which
// checks the results against its own loops. The second object is compiled
// with LLVM's -O1 (llvm-opt-level), which must not change its results.
// RUN: rm -rf %t && mkdir -p %t
// RUN: xf-translate --xf-to-object %s -o %t/linear.o
// RUN: xf-translate --xf-emit-header %s -o %t/linear.h
// RUN: FileCheck %s --check-prefix=LINEAR < %t/linear.h
// RUN: xf-translate --xf-to-object %S/Inputs/mlp.mlir --xf-cpu-pipeline-options="pack-weights-once=true llvm-opt-level=1" -o %t/mlp.o
// RUN: xf-translate --xf-emit-header %S/Inputs/mlp.mlir --xf-cpu-pipeline-options=pack-weights-once=true -o %t/mlp.h
// RUN: FileCheck %s --check-prefix=MLP < %t/mlp.h
// RUN: %cc -O1 -I%t %S/Inputs/aot_main.c %t/linear.o %t/mlp.o %openmp_runtime -lm -o %t/main
// RUN: %t/main | FileCheck %s
// An object for another CPU (AVX2 only): built, not run.
// RUN: xf-translate --xf-to-object %s --xf-target-cpu=haswell --xf-cpu-pipeline-options=vector-width=8 -o %t/haswell.o
// RUN: test -s %t/haswell.o
//
// LINEAR:      #ifndef XF_GENERATED_LINEAR_RELU_H
// LINEAR:      /* @linear_relu
// LINEAR-NEXT:  *   input #0: [4, 16] f32
// LINEAR-NEXT:  *   input #1: [16, 8] f32
// LINEAR-NEXT:  *   input #2: [8] f32
// LINEAR-NEXT:  *   result #0: [4, 8] f32
// LINEAR-NEXT:  */
// LINEAR-NEXT: void linear_relu(const float *in0, const float *in1, const float *in2, float *out0);
// MLP:         /* Packs the weights of @mlp once, before the calls: its inputs #1 #2, then the packed buffers:
// MLP:         void mlp_pack_weights(const float *in1, const float *in2, float *packed0, float *packed1);
// MLP-NEXT:    void mlp(const float *in0, const float *packed0, const float *packed1, float *out0);
// CHECK: linear_relu max_abs_err {{[0-9.e+-]+}} ok
// CHECK: mlp max_abs_err {{[0-9.e+-]+}} ok

func.func @linear_relu(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = xf.linear %x, %w bias %b act relu : (tensor<4x16xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
