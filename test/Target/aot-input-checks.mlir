// The header of an ahead-of-time object declares, next to an entry with
// integer inputs, `<entry>_check_inputs`: the value checks xf-run and the
// program API make (token ids in their table, kv_len within the cache,
// seq_offsets non-decreasing within the tokens), in C, for the caller to run
// before a call that would otherwise read out of bounds.
// RUN: rm -rf %t && mkdir -p %t
// RUN: xf-translate --xf-to-object %s --xf-cpu-pipeline-options=threads=1 -o %t/step.o
// RUN: xf-translate --xf-emit-header %s --xf-cpu-pipeline-options=threads=1 -o %t/step.h
// RUN: FileCheck %s --check-prefix=HEADER < %t/step.h
// RUN: %cc -O1 -Wall -Werror -I%t %S/Inputs/aot_checks_driver.c %t/step.o %openmp_runtime -lm -o %t/main
// RUN: %t/main | FileCheck %s
// Inputs of type index get the same checks, as int64_t.
// RUN: xf-translate --xf-emit-header %S/Inputs/index-ids.mlir | FileCheck %s --check-prefix=INDEX
// INDEX: void embed(const float *in0, const int64_t *in1, float *out0);
// INDEX: static inline int embed_check_inputs(const int64_t *in1, char *error, size_t error_size) {
// INDEX: if (v < 0LL || v > 9LL) {

// HEADER: #include <stdio.h>
// HEADER: void step(const float *in0, const float *in1, const float *in2, const int32_t *in3, const int64_t *in4, const float *in5, const int32_t *in6, const float *in7, float *out0, float *out1, float *out2);
// HEADER: static inline int step_check_inputs(const int32_t *in3, const int64_t *in4, const int32_t *in6, char *error, size_t error_size) {
// HEADER: if (v < 0LL || v > 4LL) {
// HEADER: "input #3: kv_len %lld at flat index %lld is outside [0, %lld] (the cache capacity)", v, k, 4LL);
// HEADER: return 4;
// HEADER: if (v < 0LL || v > 49LL) {
// HEADER: if (k && v < in6[k - 1]) {

// CHECK: valid: 0
// CHECK-NEXT: ran: out0[0] = {{.*}}
// CHECK-NEXT: 4 input #3: kv_len 5 at flat index 0 is outside [0, 4] (the cache capacity)
// CHECK-NEXT: 5 input #4: token id -1 at flat index 1 is outside the table [0, 50)
// CHECK-NEXT: 7 input #6: seq_offsets decrease at flat index 2 (2 after 3)
// CHECK-NEXT: 7 input #6: seq_offsets 6 at flat index 1 is outside [0, 5] (the packed tokens)
// CHECK-NEXT: 4 input #3: null data

func.func @step(%q: tensor<1x1x8xf32>, %k: tensor<1x4x8xf32>,
                %v: tensor<1x4x8xf32>, %len: tensor<1xi32>,
                %ids: tensor<3xi64>, %t: tensor<50x8xf32>,
                %off: tensor<3xi32>, %p: tensor<5x8xf32>)
    -> (tensor<1x1x8xf32>, tensor<3x8xf32>, tensor<5x8xf32>) {
  %o = xf.attention %q, %k, %v kv_len %len heads 1 causal
      : (tensor<1x1x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>,
         tensor<1xi32>) -> tensor<1x1x8xf32>
  %e = xf.embedding %t, %ids
      : (tensor<50x8xf32>, tensor<3xi64>) -> tensor<3x8xf32>
  %s = xf.attention %p, %p, %p seq_offsets %off heads 1
      : (tensor<5x8xf32>, tensor<5x8xf32>, tensor<5x8xf32>, tensor<3xi32>)
      -> tensor<5x8xf32>
  return %o, %e, %s : tensor<1x1x8xf32>, tensor<3x8xf32>, tensor<5x8xf32>
}
