// Models of several identical layers, which xf-outline-layers compiles once
// and calls per layer, through every pipeline variant; with constant
// weights (packed at compile time in the caller); and as written.
// RUN: %check-pipelines %s -e gpt_three_layers | FileCheck %s
// RUN: %check-pipelines %s -e two_kinds | FileCheck %s
// RUN: %check-pipelines %s -e llama_decode_two_layers | FileCheck %s
// RUN: %check-pipelines %s -e one_weight_twice | FileCheck %s
// RUN: %check-pipelines %s -e int8_two_layers | FileCheck %s
// CHECK: 6 variants ok
// RUN: xf-run %s -e gpt_three_layers --check --constant-weights | FileCheck %s --check-prefix=CONST
// RUN: xf-run %s -e two_kinds --check --constant-weights | FileCheck %s --check-prefix=CONST
// RUN: xf-run %s -e llama_decode_two_layers --check --constant-weights | FileCheck %s --check-prefix=CONST
// CONST: max_rel_err
// The packed constant weights (a merged Q/K/V, the output and the two MLP
// projections per layer) are bound to the code at load time, not compiled
// into it.
// RUN: xf-run %s -e gpt_three_layers --constant-weights | FileCheck %s --check-prefix=BOUND
// BOUND: xf-run: 12 constant(s), 98304 bytes, bound outside the code
// Each layer's caches are its own and updated in place through the calls.
// RUN: xf-run %s -e llama_decode_two_layers | FileCheck %s --check-prefix=INPLACE
// INPLACE: xf-run: result #1 is written in place into argument #12
// INPLACE-NEXT: xf-run: result #2 is written in place into argument #13
// INPLACE-NEXT: xf-run: result #3 is written in place into argument #23
// INPLACE-NEXT: xf-run: result #4 is written in place into argument #24
// The layers are compiled once: one private function per kind of layer.
// RUN: xf-opt %s --xf-outline-layers | FileCheck %s --check-prefix=OUTLINE
// OUTLINE-LABEL: func.func private @gpt_three_layers_layer0(
// OUTLINE-LABEL: func.func @gpt_three_layers(
// OUTLINE-COUNT-3: call @gpt_three_layers_layer0(
// OUTLINE-NOT: xf.block
// OUTLINE-LABEL: func.func private @two_kinds_layer0(
// OUTLINE-LABEL: func.func private @two_kinds_layer1(
// OUTLINE-LABEL: func.func @two_kinds(
// int8 weights go into the layer as int8 and scales, and its GEMMs read
// int8 panels (packed from the arguments at the call sites).
// RUN: xf-opt %s --xf-outline-layers --xf-expand-blocks "--xf-cpu-form-kernels=int8-panels=true" | FileCheck %s --check-prefix=INT8
// INT8-LABEL: func.func private @int8_two_layers_layer0(
// INT8-SAME: tensor<48x32xi8>
// INT8: xf_cpu.pack_weights {{.*}} -> tensor<{{.*}}xi8>
// INT8: xf_cpu.gemm
// INT8-LABEL: func.func @int8_two_layers(
// INT8-NOT: xf.dequantize
// INT8: return

// Three GPT-style layers (pre-norm, biases, causal), batch 2.
func.func @gpt_three_layers(%x: tensor<2x5x32xf32>,
    %g10: tensor<32xf32>,
    %b10: tensor<32xf32>,
    %wq0: tensor<32x32xf32>,
    %wk0: tensor<32x32xf32>,
    %wv0: tensor<32x32xf32>,
    %wo0: tensor<32x32xf32>,
    %bq0: tensor<32xf32>,
    %bk0: tensor<32xf32>,
    %bv0: tensor<32xf32>,
    %bo0: tensor<32xf32>,
    %g20: tensor<32xf32>,
    %b20: tensor<32xf32>,
    %wu0: tensor<32x64xf32>,
    %wd0: tensor<64x32xf32>,
    %bu0: tensor<64xf32>,
    %bd0: tensor<32xf32>,
    %g11: tensor<32xf32>,
    %b11: tensor<32xf32>,
    %wq1: tensor<32x32xf32>,
    %wk1: tensor<32x32xf32>,
    %wv1: tensor<32x32xf32>,
    %wo1: tensor<32x32xf32>,
    %bq1: tensor<32xf32>,
    %bk1: tensor<32xf32>,
    %bv1: tensor<32xf32>,
    %bo1: tensor<32xf32>,
    %g21: tensor<32xf32>,
    %b21: tensor<32xf32>,
    %wu1: tensor<32x64xf32>,
    %wd1: tensor<64x32xf32>,
    %bu1: tensor<64xf32>,
    %bd1: tensor<32xf32>,
    %g12: tensor<32xf32>,
    %b12: tensor<32xf32>,
    %wq2: tensor<32x32xf32>,
    %wk2: tensor<32x32xf32>,
    %wv2: tensor<32x32xf32>,
    %wo2: tensor<32x32xf32>,
    %bq2: tensor<32xf32>,
    %bk2: tensor<32xf32>,
    %bv2: tensor<32xf32>,
    %bo2: tensor<32xf32>,
    %g22: tensor<32xf32>,
    %b22: tensor<32xf32>,
    %wu2: tensor<32x64xf32>,
    %wd2: tensor<64x32xf32>,
    %bu2: tensor<64xf32>,
    %bd2: tensor<32xf32>) -> tensor<2x5x32xf32> {
  %h0 = xf.block %x heads 4 causal norm layer_norm pre eps 1.0e-05 act gelu_tanh
      norm1(%g10, %b10) attn(%wq0, %wk0, %wv0, %wo0)
      q_bias %bq0 k_bias %bk0 v_bias %bv0 o_bias %bo0
      norm2(%g20, %b20) mlp(up %wu0 down %wd0 up_bias %bu0 down_bias %bd0)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %h1 = xf.block %h0 heads 4 causal norm layer_norm pre eps 1.0e-05 act gelu_tanh
      norm1(%g11, %b11) attn(%wq1, %wk1, %wv1, %wo1)
      q_bias %bq1 k_bias %bk1 v_bias %bv1 o_bias %bo1
      norm2(%g21, %b21) mlp(up %wu1 down %wd1 up_bias %bu1 down_bias %bd1)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %h2 = xf.block %h1 heads 4 causal norm layer_norm pre eps 1.0e-05 act gelu_tanh
      norm1(%g12, %b12) attn(%wq2, %wk2, %wv2, %wo2)
      q_bias %bq2 k_bias %bk2 v_bias %bv2 o_bias %bo2
      norm2(%g22, %b22) mlp(up %wu2 down %wd2 up_bias %bu2 down_bias %bd2)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  return %h2 : tensor<2x5x32xf32>
}

// Two kinds of layer, interleaved: one function each.
func.func @two_kinds(%x: tensor<2x5x32xf32>,
    %g10: tensor<32xf32>,
    %b10: tensor<32xf32>,
    %wq0: tensor<32x32xf32>,
    %wk0: tensor<32x32xf32>,
    %wv0: tensor<32x32xf32>,
    %wo0: tensor<32x32xf32>,
    %bq0: tensor<32xf32>,
    %bk0: tensor<32xf32>,
    %bv0: tensor<32xf32>,
    %bo0: tensor<32xf32>,
    %g20: tensor<32xf32>,
    %b20: tensor<32xf32>,
    %wu0: tensor<32x64xf32>,
    %wd0: tensor<64x32xf32>,
    %bu0: tensor<64xf32>,
    %bd0: tensor<32xf32>,
    %g11: tensor<32xf32>,
    %b11: tensor<32xf32>,
    %wq1: tensor<32x32xf32>,
    %wk1: tensor<32x32xf32>,
    %wv1: tensor<32x32xf32>,
    %wo1: tensor<32x32xf32>,
    %bq1: tensor<32xf32>,
    %bk1: tensor<32xf32>,
    %bv1: tensor<32xf32>,
    %bo1: tensor<32xf32>,
    %g21: tensor<32xf32>,
    %b21: tensor<32xf32>,
    %wu1: tensor<32x64xf32>,
    %wd1: tensor<64x32xf32>,
    %bu1: tensor<64xf32>,
    %bd1: tensor<32xf32>,
    %g12: tensor<32xf32>,
    %b12: tensor<32xf32>,
    %wq2: tensor<32x32xf32>,
    %wk2: tensor<32x32xf32>,
    %wv2: tensor<32x32xf32>,
    %wo2: tensor<32x32xf32>,
    %bq2: tensor<32xf32>,
    %bk2: tensor<32xf32>,
    %bv2: tensor<32xf32>,
    %bo2: tensor<32xf32>,
    %g22: tensor<32xf32>,
    %b22: tensor<32xf32>,
    %wu2: tensor<32x64xf32>,
    %wd2: tensor<64x32xf32>,
    %bu2: tensor<64xf32>,
    %bd2: tensor<32xf32>,
    %g13: tensor<32xf32>,
    %b13: tensor<32xf32>,
    %wq3: tensor<32x32xf32>,
    %wk3: tensor<32x32xf32>,
    %wv3: tensor<32x32xf32>,
    %wo3: tensor<32x32xf32>,
    %bq3: tensor<32xf32>,
    %bk3: tensor<32xf32>,
    %bv3: tensor<32xf32>,
    %bo3: tensor<32xf32>,
    %g23: tensor<32xf32>,
    %b23: tensor<32xf32>,
    %wu3: tensor<32x64xf32>,
    %wd3: tensor<64x32xf32>,
    %bu3: tensor<64xf32>,
    %bd3: tensor<32xf32>) -> tensor<2x5x32xf32> {
  %h0 = xf.block %x heads 4 causal norm layer_norm pre eps 1.0e-05 act gelu_tanh
      norm1(%g10, %b10) attn(%wq0, %wk0, %wv0, %wo0)
      q_bias %bq0 k_bias %bk0 v_bias %bv0 o_bias %bo0
      norm2(%g20, %b20) mlp(up %wu0 down %wd0 up_bias %bu0 down_bias %bd0)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %h1 = xf.block %h0 heads 2 causal norm layer_norm pre eps 1.0e-05 act gelu
      norm1(%g11, %b11) attn(%wq1, %wk1, %wv1, %wo1)
      q_bias %bq1 k_bias %bk1 v_bias %bv1 o_bias %bo1
      norm2(%g21, %b21) mlp(up %wu1 down %wd1 up_bias %bu1 down_bias %bd1)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %h2 = xf.block %h1 heads 4 causal norm layer_norm pre eps 1.0e-05 act gelu_tanh
      norm1(%g12, %b12) attn(%wq2, %wk2, %wv2, %wo2)
      q_bias %bq2 k_bias %bk2 v_bias %bv2 o_bias %bo2
      norm2(%g22, %b22) mlp(up %wu2 down %wd2 up_bias %bu2 down_bias %bd2)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  %h3 = xf.block %h2 heads 2 causal norm layer_norm pre eps 1.0e-05 act gelu
      norm1(%g13, %b13) attn(%wq3, %wk3, %wv3, %wo3)
      q_bias %bq3 k_bias %bk3 v_bias %bv3 o_bias %bo3
      norm2(%g23, %b23) mlp(up %wu3 down %wd3 up_bias %bu3 down_bias %bd3)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x5x32xf32>
  return %h3 : tensor<2x5x32xf32>
}

// Two LLaMA-style layers decoding one token per sequence, each against
// its own KV caches.
func.func @llama_decode_two_layers(%x: tensor<2x1x32xf32>,
    %pos: tensor<2x1xi32>,
    %len: tensor<2xi32>,
    %g10: tensor<32xf32>,
    %wq0: tensor<32x32xf32>,
    %wk0: tensor<16x32xf32>,
    %wv0: tensor<16x32xf32>,
    %wo0: tensor<32x32xf32>,
    %g20: tensor<32xf32>,
    %wu0: tensor<48x32xf32>,
    %wg0: tensor<48x32xf32>,
    %wd0: tensor<32x48xf32>,
    %kc0: tensor<2x20x16xf32>,
    %vc0: tensor<2x20x16xf32>,
    %g11: tensor<32xf32>,
    %wq1: tensor<32x32xf32>,
    %wk1: tensor<16x32xf32>,
    %wv1: tensor<16x32xf32>,
    %wo1: tensor<32x32xf32>,
    %g21: tensor<32xf32>,
    %wu1: tensor<48x32xf32>,
    %wg1: tensor<48x32xf32>,
    %wd1: tensor<32x48xf32>,
    %kc1: tensor<2x20x16xf32>,
    %vc1: tensor<2x20x16xf32>)
    -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>) {
  %y0:3 = xf.block %x heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04 layout nk
      norm1(%g10) attn(%wq0, %wk0, %wv0, %wo0) norm2(%g20) mlp(up %wu0 gate %wg0 down %wd0)
      positions %pos kv_cache(%kc0, %vc0) kv_len %len
      : (tensor<2x1x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<48x32xf32>, tensor<48x32xf32>, tensor<32x48xf32>, tensor<2x1xi32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2xi32>)
      -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>)
  %y1:3 = xf.block %y0#0 heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04 layout nk
      norm1(%g11) attn(%wq1, %wk1, %wv1, %wo1) norm2(%g21) mlp(up %wu1 gate %wg1 down %wd1)
      positions %pos kv_cache(%kc1, %vc1) kv_len %len
      : (tensor<2x1x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<48x32xf32>, tensor<48x32xf32>, tensor<32x48xf32>, tensor<2x1xi32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2xi32>)
      -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>)
  return %y1#0, %y0#1, %y0#2, %y1#1, %y1#2 : tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>
}

// One layer passes the same weight for Q, K and V, the next three
// different ones: the outlined function takes them operand by operand.
func.func @one_weight_twice(%x: tensor<1x4x16xf32>, %g: tensor<16xf32>, %w: tensor<16x16xf32>, %wk: tensor<16x16xf32>,
                            %wv: tensor<16x16xf32>, %wu: tensor<16x32xf32>, %wd: tensor<32x16xf32>) -> tensor<1x4x16xf32> {
  %h0 = xf.block %x heads 2 causal norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %wu down %wd)
      : (tensor<1x4x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
         tensor<16xf32>, tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<1x4x16xf32>
  %h1 = xf.block %h0 heads 2 causal norm rms_norm pre act silu norm1(%g) attn(%w, %wk, %wv, %wk) norm2(%g) mlp(up %wu down %wd)
      : (tensor<1x4x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
         tensor<16xf32>, tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<1x4x16xf32>
  return %h1 : tensor<1x4x16xf32>
}

// Two layers with int8 MLP weights (the up projection per channel, the
// down projection per group of 16 along K), given as int8 and scales.
func.func @int8_two_layers(%x: tensor<1x3x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>,
                           %qu0: tensor<48x32xi8>, %su0: tensor<48xf32>, %qd0: tensor<32x48xi8>, %sd0: tensor<32x3xf32>,
                           %qu1: tensor<48x32xi8>, %su1: tensor<48xf32>, %qd1: tensor<32x48xi8>, %sd1: tensor<32x3xf32>)
    -> tensor<1x3x32xf32> {
  %u0 = xf.dequantize %qu0 scales %su0 axis 0 : (tensor<48x32xi8>, tensor<48xf32>) -> tensor<48x32xf32>
  %d0 = xf.dequantize %qd0 scales %sd0 axis 0 group 16 : (tensor<32x48xi8>, tensor<32x3xf32>) -> tensor<32x48xf32>
  %u1 = xf.dequantize %qu1 scales %su1 axis 0 : (tensor<48x32xi8>, tensor<48xf32>) -> tensor<48x32xf32>
  %d1 = xf.dequantize %qd1 scales %sd1 axis 0 group 16 : (tensor<32x48xi8>, tensor<32x3xf32>) -> tensor<32x48xf32>
  %h0 = xf.block %x heads 4 causal norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u0 down %d0)
      : (tensor<1x3x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<48x32xf32>, tensor<32x48xf32>) -> tensor<1x3x32xf32>
  %h1 = xf.block %h0 heads 4 causal norm rms_norm pre act silu layout nk norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %u1 down %d1)
      : (tensor<1x3x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<48x32xf32>, tensor<32x48xf32>) -> tensor<1x3x32xf32>
  return %h1 : tensor<1x3x32xf32>
}
