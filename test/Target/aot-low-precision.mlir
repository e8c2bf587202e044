// Ahead-of-time objects of GEMMs with bf16, f16 and int8 weights, called
// from C through the generated header (bf16 and f16 as uint16_t bits, int8
// with its scales) and checked against the C program's loops: one object
// with exact f32 panels for this host and one for an AVX2-only
// CPU with bf16 and int8 panels, whose fallbacks (widened pairs, i32
// products of quads) must use no AVX-512 instruction.
// RUN: rm -rf %t && mkdir -p %t
// RUN: xf-translate --xf-emit-header %s -o %t/lowp.h
// RUN: FileCheck %s --check-prefix=HEADER < %t/lowp.h
// RUN: xf-translate --xf-to-object %s --xf-cpu-pipeline-options="bf16-panels=false int8-panels=false" -o %t/native.o
// RUN: %cc -O1 -I%t %S/Inputs/aot_low_precision_main.c %t/native.o %openmp_runtime -lm -o %t/native
// RUN: %t/native 1e-4 | FileCheck %s
// RUN: xf-translate --xf-to-object %s --xf-target-cpu=haswell --xf-cpu-pipeline-options="vector-width=8 bf16-panels=true int8-panels=true" -o %t/haswell.o
// RUN: llvm-objdump -d %t/haswell.o | FileCheck %s --check-prefix=AVX2 --implicit-check-not=zmm --implicit-check-not=vdpbf16ps --implicit-check-not=vpdpbusd
// RUN: %cc -O1 -I%t %S/Inputs/aot_low_precision_main.c %t/haswell.o %openmp_runtime -lm -o %t/haswell
// RUN: %t/haswell 2e-2 | FileCheck %s
//
// HEADER: void lowp_bf16(const float *in0, const uint16_t *in1, const float *in2, float *out0);
// HEADER: void lowp_f16(const float *in0, const uint16_t *in1, float *out0);
// HEADER: void lowp_int8(const float *in0, const int8_t *in1, const float *in2, float *out0);
// AVX2: <lowp_bf16>:
// AVX2: vfmadd
// CHECK: lowp_bf16 max_rel_err {{[0-9.e+-]+}} ok
// CHECK: lowp_f16 max_rel_err {{[0-9.e+-]+}} ok
// CHECK: lowp_int8 max_rel_err {{[0-9.e+-]+}} ok

// K = 37: an odd number of rows of K (a padded pair, a padded quad); N =
// 40: a ragged last panel.
func.func @lowp_bf16(%x: tensor<5x37xf32>, %w: tensor<37x40xbf16>, %b: tensor<40xf32>) -> tensor<5x40xf32> {
  %y = xf.linear %x, %w bias %b : (tensor<5x37xf32>, tensor<37x40xbf16>, tensor<40xf32>) -> tensor<5x40xf32>
  return %y : tensor<5x40xf32>
}
func.func @lowp_f16(%x: tensor<5x37xf32>, %w: tensor<40x37xf16>) -> tensor<5x40xf32> {
  %y = xf.linear %x, %w layout nk : (tensor<5x37xf32>, tensor<40x37xf16>) -> tensor<5x40xf32>
  return %y : tensor<5x40xf32>
}
func.func @lowp_int8(%x: tensor<5x37xf32>, %q: tensor<40x37xi8>, %s: tensor<40xf32>) -> tensor<5x40xf32> {
  %w = xf.dequantize %q scales %s axis 0 : (tensor<40x37xi8>, tensor<40xf32>) -> tensor<40x37xf32>
  %y = xf.linear %x, %w layout nk : (tensor<5x37xf32>, tensor<40x37xf32>) -> tensor<5x40xf32>
  return %y : tensor<5x40xf32>
}
