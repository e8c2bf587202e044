// RUN: xf-opt %s --split-input-file --xf-cpu-approximate-math | FileCheck %s

// f32 exp, tanh and erf become polynomials of arith ops, scalar or vector;
// f64 (the rotary angles) keeps math ops, which become libm calls.
// CHECK-LABEL: func.func @f32_functions
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: return
func.func @f32_functions(%x: f32, %v: vector<16xf32>) -> (f32, vector<16xf32>, vector<16xf32>) {
  %0 = math.exp %x : f32
  %1 = math.tanh %v : vector<16xf32>
  %2 = math.erf %v : vector<16xf32>
  return %0, %1, %2 : f32, vector<16xf32>, vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @f64_stays
// CHECK: math.cos %{{.*}} : f64
// CHECK: math.exp %{{.*}} : f64
func.func @f64_stays(%x: f64) -> (f64, f64) {
  %0 = math.cos %x : f64
  %1 = math.exp %x : f64
  return %0, %1 : f64, f64
}
