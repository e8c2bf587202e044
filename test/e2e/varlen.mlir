// Sequences of different lengths packed without padding (seq_offsets),
// through every pipeline variant: attention keeps them apart, RoPE counts
// positions per sequence, and a whole block runs on the packed tokens.
// Random offsets include empty sequences, sequences of length 1 and
// padding tokens after the last sequence.
// RUN: %check-pipelines %s -e attention_causal_gqa | FileCheck %s
// RUN: %check-pipelines %s -e attention_window | FileCheck %s
// RUN: %check-pipelines %s -e lengths_one_and_empty | FileCheck %s
// RUN: %check-pipelines %s -e rope_per_sequence | FileCheck %s
// RUN: %check-pipelines %s -e packed_block | FileCheck %s
// RUN: %check-pipelines %s -e packed_block --seed 7 | FileCheck %s
// CHECK: 6 variants ok

func.func @attention_causal_gqa(%q: tensor<90x64xf32>, %k: tensor<90x32xf32>, %v: tensor<90x32xf32>, %cu: tensor<5xi32>) -> tensor<90x64xf32> {
  %o = xf.attention %q, %k, %v seq_offsets %cu heads 4 kv_heads 2 causal : (tensor<90x64xf32>, tensor<90x32xf32>, tensor<90x32xf32>, tensor<5xi32>) -> tensor<90x64xf32>
  return %o : tensor<90x64xf32>
}

func.func @attention_window(%q: tensor<150x24xf32>, %cu: tensor<4xi64>) -> tensor<150x24xf32> {
  %o = xf.attention %q, %q, %q seq_offsets %cu heads 2 causal window 9 sinks 1 : (tensor<150x24xf32>, tensor<150x24xf32>, tensor<150x24xf32>, tensor<4xi64>) -> tensor<150x24xf32>
  return %o : tensor<150x24xf32>
}

// Lengths {1, 0, 5, 1}, then 2 padding tokens.
func.func @lengths_one_and_empty(%q: tensor<9x32xf32>) -> tensor<9x32xf32> {
  %cu = arith.constant dense<[0, 1, 1, 6, 7]> : tensor<5xi32>
  %o = xf.attention %q, %q, %q seq_offsets %cu heads 2 causal : (tensor<9x32xf32>, tensor<9x32xf32>, tensor<9x32xf32>, tensor<5xi32>) -> tensor<9x32xf32>
  return %o : tensor<9x32xf32>
}

func.func @rope_per_sequence(%x: tensor<40x32xf32>, %cu: tensor<4xi32>) -> tensor<40x32xf32> {
  %y = xf.rope %x seq_offsets %cu head_dim 16 : (tensor<40x32xf32>, tensor<4xi32>) -> tensor<40x32xf32>
  return %y : tensor<40x32xf32>
}

// A LLaMA-style block on packed tokens.
func.func @packed_block(%x: tensor<50x32xf32>, %g1: tensor<32xf32>, %wq: tensor<32x32xf32>, %wk: tensor<16x32xf32>,
                        %wv: tensor<16x32xf32>, %wo: tensor<32x32xf32>, %g2: tensor<32xf32>, %wu: tensor<40x32xf32>,
                        %wg: tensor<40x32xf32>, %wd: tensor<32x40xf32>, %cu: tensor<4xi32>) -> tensor<50x32xf32> {
  %y = xf.block %x heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04 layout nk
      norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2) mlp(up %wu gate %wg down %wd) seq_offsets %cu
      : (tensor<50x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<40x32xf32>, tensor<40x32xf32>, tensor<32x40xf32>, tensor<4xi32>) -> tensor<50x32xf32>
  return %y : tensor<50x32xf32>
}
