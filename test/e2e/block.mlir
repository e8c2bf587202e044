// Small blocks in every configuration the op has; the three full-size
// blocks are in examples/ (see examples.test).
// RUN: %check-pipelines %s -e pre_layer_norm_biases | FileCheck %s
// RUN: %check-pipelines %s -e post_rms_rope_gqa | FileCheck %s
// RUN: %check-pipelines %s -e window_mask_partial_rope | FileCheck %s
// RUN: %check-pipelines %s -e seq1_qkv_bias_only | FileCheck %s
// CHECK: 6 variants ok

func.func @pre_layer_norm_biases(%x: tensor<2x7x32xf32>, %g1: tensor<32xf32>, %b1: tensor<32xf32>,
    %w: tensor<32x32xf32>, %b: tensor<32xf32>, %g2: tensor<32xf32>, %b2: tensor<32xf32>,
    %w1: tensor<32x48xf32>, %w2: tensor<48x32xf32>, %bu: tensor<48xf32>) -> tensor<2x7x32xf32> {
  %y = xf.block %x heads 4 causal norm layer_norm pre act gelu
      norm1(%g1, %b1) attn(%w, %w, %w, %w) q_bias %b k_bias %b v_bias %b o_bias %b
      norm2(%g2, %b2) mlp(up %w1 down %w2 up_bias %bu down_bias %b)
      : (tensor<2x7x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>,
         tensor<32xf32>, tensor<32xf32>, tensor<32x48xf32>, tensor<48x32xf32>, tensor<48xf32>, tensor<32xf32>)
        -> tensor<2x7x32xf32>
  return %y : tensor<2x7x32xf32>
}

func.func @post_rms_rope_gqa(%x: tensor<1x9x64xf32>, %g: tensor<64xf32>, %wq: tensor<64x64xf32>,
    %wkv: tensor<16x64xf32>, %wu: tensor<96x64xf32>, %wd: tensor<64x96xf32>) -> tensor<1x9x64xf32> {
  %y = xf.block %x heads 8 kv_heads 2 causal norm rms_norm post eps 1.0e-6 act silu
      rope_theta 10000.0 layout nk
      norm1(%g) attn(%wq, %wkv, %wkv, %wq) norm2(%g) mlp(up %wu gate %wu down %wd)
      : (tensor<1x9x64xf32>, tensor<64xf32>, tensor<64x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>,
         tensor<64x64xf32>, tensor<64xf32>, tensor<96x64xf32>, tensor<96x64xf32>, tensor<64x96xf32>)
        -> tensor<1x9x64xf32>
  return %y : tensor<1x9x64xf32>
}

func.func @window_mask_partial_rope(%x: tensor<6x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>,
    %m: tensor<6x6xf32>, %wu: tensor<32x64xf32>, %wd: tensor<64x32xf32>) -> tensor<6x32xf32> {
  %y = xf.block %x heads 2 scale 0.2 causal window 3 norm layer_norm pre act gelu_tanh
      rope_theta 500.0 rotary_dim 8 rope_style interleaved
      norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %wu gate %wu down %wd) mask %m
      : (tensor<6x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x32xf32>,
         tensor<6x6xf32>) -> tensor<6x32xf32>
  return %y : tensor<6x32xf32>
}

// Qwen-style biases on q, k and v only; a single token.
func.func @seq1_qkv_bias_only(%x: tensor<1x1x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>,
    %b: tensor<32xf32>, %wu: tensor<32x40xf32>, %wd: tensor<40x32xf32>) -> tensor<1x1x32xf32> {
  %y = xf.block %x heads 4 causal norm rms_norm pre act silu rope_theta 1000000.0
      norm1(%g) attn(%w, %w, %w, %w) q_bias %b k_bias %b v_bias %b
      norm2(%g) mlp(up %wu gate %wu down %wd)
      : (tensor<1x1x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>,
         tensor<32x40xf32>, tensor<32x40xf32>, tensor<40x32xf32>) -> tensor<1x1x32xf32>
  return %y : tensor<1x1x32xf32>
}
