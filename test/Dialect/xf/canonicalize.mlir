// RUN: xf-opt %s --split-input-file --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @add_zero(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %y = xf.add %z, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Adding a zero that broadcasts the operand to a larger shape is not a no-op.
// CHECK-LABEL: func.func @add_zero_broadcasting
// CHECK: xf.add
func.func @add_zero_broadcasting(%x: tensor<8xf32>) -> tensor<4x8xf32> {
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %y = xf.add %x, %z : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @mul_one(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %one = arith.constant dense<1.0> : tensor<4x8xf32>
  %y = xf.mul %x, %one : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @mul_two
// CHECK: xf.mul
func.func @mul_two(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %two = arith.constant dense<2.0> : tensor<4x8xf32>
  %y = xf.mul %x, %two : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @relu_idempotent
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[R:.*]] = xf.relu %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @relu_idempotent(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = xf.relu %x : tensor<8xf32>
  %b = xf.relu %a : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @linear_zero_bias_and_residual
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<4x3xf32>)
// CHECK-NEXT: %[[Y:.*]] = xf.linear %[[X]], %[[W]] act gelu : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[Y]]
func.func @linear_zero_bias_and_residual(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense<0.0> : tensor<3xf32>
  %r = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = xf.linear %x, %w bias %b act gelu residual %r
      : (tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A causal window covering every key is causal; kv_heads equal to heads is
// implied.
// CHECK-LABEL: func.func @attention_wide_window
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal :
func.func @attention_wide_window(%q: tensor<6x16xf32>) -> tensor<6x16xf32> {
  %o = xf.attention %q, %q, %q heads 2 kv_heads 2 causal window 6 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>) -> tensor<6x16xf32>
  return %o : tensor<6x16xf32>
}

// -----

// A band on both sides covering every key, or sinks covering them, hides
// nothing.
// CHECK-LABEL: func.func @attention_band_covers_all
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 :
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal :
func.func @attention_band_covers_all(%q: tensor<6x16xf32>) -> (tensor<6x16xf32>, tensor<6x16xf32>) {
  %o = xf.attention %q, %q, %q heads 2 window 6 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>) -> tensor<6x16xf32>
  %p = xf.attention %q, %q, %q heads 2 causal window 2 sinks 6 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>) -> tensor<6x16xf32>
  return %o, %p : tensor<6x16xf32>, tensor<6x16xf32>
}

// -----

// A narrower window stays, and so do sinks that do not cover the keys.
// CHECK-LABEL: func.func @attention_narrow_window
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal window 5 :
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal window 2 sinks 1 :
func.func @attention_narrow_window(%q: tensor<6x16xf32>) -> (tensor<6x16xf32>, tensor<6x16xf32>) {
  %o = xf.attention %q, %q, %q heads 2 causal window 5 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>) -> tensor<6x16xf32>
  %p = xf.attention %q, %q, %q heads 2 causal window 2 sinks 1 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>) -> tensor<6x16xf32>
  return %o, %p : tensor<6x16xf32>, tensor<6x16xf32>
}

// -----

// With a run-time valid length the positions are unknown: the layout stays.
// CHECK-LABEL: func.func @attention_kv_len_keeps_layout
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} kv_len %{{.*}} heads 2 causal window 6 :
func.func @attention_kv_len_keeps_layout(%q: tensor<6x16xf32>, %len: tensor<i32>) -> tensor<6x16xf32> {
  %o = xf.attention %q, %q, %q kv_len %len heads 2 causal window 6 : (tensor<6x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>, tensor<i32>) -> tensor<6x16xf32>
  return %o : tensor<6x16xf32>
}

// -----

// One query against its whole prefix (a decode step): causal masks nothing.
// CHECK-LABEL: func.func @attention_decode_causal
// CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 :
func.func @attention_decode_causal(%q: tensor<1x16xf32>, %k: tensor<9x16xf32>) -> tensor<1x16xf32> {
  %o = xf.attention %q, %k, %k heads 2 causal : (tensor<1x16xf32>, tensor<9x16xf32>, tensor<9x16xf32>) -> tensor<1x16xf32>
  return %o : tensor<1x16xf32>
}
