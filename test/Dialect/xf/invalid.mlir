// RUN: xf-opt %s --split-input-file --verify-diagnostics

func.func @linear_input_rank(%x: tensor<f32>, %w: tensor<4x4xf32>) {
  // expected-error@+1 {{'xf.linear' op expects an input of rank >= 1}}
  %0 = xf.linear %x, %w : (tensor<f32>, tensor<4x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error@+1 {{'xf.linear' op expects weight of rank 2, got [4]}}
  %0 = xf.linear %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<2x8xf32>, %w: tensor<16x32xf32>) {
  // expected-error@+1 {{'xf.linear' op weight [16, 32] (layout kn, [in, out]) expects 16 input features, got 8}}
  %0 = xf.linear %x, %w : (tensor<2x8xf32>, tensor<16x32xf32>) -> tensor<2x32xf32>
  return
}

// -----

func.func @linear_features_nk(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>) {
  // expected-error@+1 {{'xf.linear' op weight [16, 32] (layout nk, [out, in]) expects 32 input features, got 16}}
  %0 = xf.linear %x, %w layout nk : (tensor<2x16xf32>, tensor<16x32xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>, %b: tensor<16xf32>) {
  // expected-error@+1 {{'xf.linear' op expects bias of shape [32], got [16]}}
  %0 = xf.linear %x, %w bias %b : (tensor<2x16xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<2x32xf32>
  return
}

// -----

func.func @linear_residual(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>, %r: tensor<2x16xf32>) {
  // expected-error@+1 {{'xf.linear' op expects a residual of the result's shape [2, 32], got [2, 16]}}
  %0 = xf.linear %x, %w residual %r : (tensor<2x16xf32>, tensor<16x32xf32>, tensor<2x16xf32>) -> tensor<2x32xf32>
  return
}

// -----

func.func @linear_element_types(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>, %b: tensor<32xf16>) {
  // expected-error@+1 {{'xf.linear' op expects one element type for all tensors, got 'f32' and 'f16'}}
  %0 = xf.linear %x, %w bias %b : (tensor<2x16xf32>, tensor<16x32xf32>, tensor<32xf16>) -> tensor<2x32xf32>
  return
}

// -----

func.func @linear_weight_type(%x: tensor<2x16xf32>, %w: tensor<16x32xf64>) {
  // expected-error@+1 {{'xf.linear' op expects weights of f32, bf16 or f16 with f32 activations, got 'f64'}}
  %0 = xf.linear %x, %w : (tensor<2x16xf32>, tensor<16x32xf64>) -> tensor<2x32xf32>
  return
}

// -----

func.func @linear_narrow_weight_f16_activations(%x: tensor<2x16xf16>, %w: tensor<16x32xbf16>) {
  // expected-error@+1 {{'xf.linear' op expects weights of the activations' element type 'f16', got 'bf16'}}
  %0 = xf.linear %x, %w : (tensor<2x16xf16>, tensor<16x32xbf16>) -> tensor<2x32xf16>
  return
}

// -----

func.func @mlp_weight_type(%x: tensor<4x16xf32>, %wu: tensor<16x32xbf16>, %wd: tensor<32x16xf64>) {
  // expected-error@+1 {{'xf.mlp' op expects weights of f32, bf16 or f16 with f32 activations, got 'f64'}}
  %0 = xf.mlp %x up %wu down %wd act gelu : (tensor<4x16xf32>, tensor<16x32xbf16>, tensor<32x16xf64>) -> tensor<4x16xf32>
  return
}

// -----

func.func @dequantize_rank(%q: tensor<4x4x4xi8>, %s: tensor<4xf32>) {
  // expected-error@+1 {{'xf.dequantize' op expects a matrix of int8 weights, got [4, 4, 4]}}
  %0 = xf.dequantize %q scales %s axis 0 : (tensor<4x4x4xi8>, tensor<4xf32>) -> tensor<4x4x4xf32>
  return
}

// -----

func.func @dequantize_axis(%q: tensor<4x8xi8>, %s: tensor<4xf32>) {
  // expected-error@+1 {{'xf.dequantize' op expects axis 0 or 1 (the channel dimension), got 2}}
  %0 = xf.dequantize %q scales %s axis 2 : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_channel_scales(%q: tensor<4x8xi8>, %s: tensor<4xf32>) {
  // expected-error@+1 {{'xf.dequantize' op expects scales of shape [8] (per channel), got [4]}}
  %0 = xf.dequantize %q scales %s axis 1 : (tensor<4x8xi8>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @dequantize_group_scales(%q: tensor<4x10xi8>, %s: tensor<4x2xf32>) {
  // expected-error@+1 {{'xf.dequantize' op expects scales of shape [4, 3] (per channel and group), got [4, 2]}}
  %0 = xf.dequantize %q scales %s axis 0 group 4 : (tensor<4x10xi8>, tensor<4x2xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @dequantize_group_zero(%q: tensor<4x10xi8>, %s: tensor<4x2xf32>) {
  // expected-error@+1 {{'xf.dequantize' op expects a group size in [1, 2^31), got 0}}
  %0 = xf.dequantize %q scales %s axis 0 group 0 : (tensor<4x10xi8>, tensor<4x2xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @dequantize_type(%q: tensor<4x8xi32>, %s: tensor<4xf32>) {
  // expected-error@+1 {{'xf.dequantize' op operand #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %0 = xf.dequantize %q scales %s axis 0 : (tensor<4x8xi32>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @linear_result_type(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>) {
  // expected-error@+1 {{'xf.linear' op result type 'tensor<2x31xf32>' does not match the inferred type 'tensor<2x32xf32>'}}
  %0 = xf.linear %x, %w : (tensor<2x16xf32>, tensor<16x32xf32>) -> tensor<2x31xf32>
  return
}

// -----

func.func @linear_integer_input(%x: tensor<2x16xi32>, %w: tensor<16x32xf32>) {
  // expected-error@+1 {{'xf.linear' op operand #0 must be ranked tensor of floating-point values}}
  %0 = "xf.linear"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0, 0>}> : (tensor<2x16xi32>, tensor<16x32xf32>) -> tensor<2x32xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error@+1 {{'xf.matmul' op expects operands of rank >= 2, got [8] and [8, 4]}}
  %0 = xf.matmul %a, %b : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3x8xf32>, %b: tensor<2x4x8xf32>) {
  // expected-error@+1 {{'xf.matmul' op contracts 8 lhs columns with 4 rhs rows (shapes [2, 3, 8] and [2, 4, 8])}}
  %0 = xf.matmul %a, %b : (tensor<2x3x8xf32>, tensor<2x4x8xf32>) -> tensor<2x3x8xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x8xf32>, %b: tensor<3x8x4xf32>) {
  // expected-error@+1 {{'xf.matmul' op cannot broadcast batch dimensions [2] and [3]}}
  %0 = xf.matmul %a, %b : (tensor<2x3x8xf32>, tensor<3x8x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @layer_norm_weight(%x: tensor<2x16xf32>, %g: tensor<8xf32>) {
  // expected-error@+1 {{'xf.layer_norm' op expects weight of shape [16], got [8]}}
  %0 = xf.layer_norm %x, %g : (tensor<2x16xf32>, tensor<8xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @layer_norm_bias(%x: tensor<2x16xf32>, %g: tensor<16xf32>, %b: tensor<2x16xf32>) {
  // expected-error@+1 {{'xf.layer_norm' op expects bias of shape [16], got [2, 16]}}
  %0 = xf.layer_norm %x, %g, %b : (tensor<2x16xf32>, tensor<16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @layer_norm_rank(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error@+1 {{'xf.layer_norm' op expects an input of rank >= 1}}
  %0 = xf.layer_norm %x, %g : (tensor<f32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @rms_norm_epsilon(%x: tensor<2x16xf32>, %g: tensor<16xf32>) {
  // expected-error@+1 {{'xf.rms_norm' op expects a non-negative finite epsilon, got -1.0}}
  %0 = xf.rms_norm %x, %g eps -1.0 : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x16xf32>) {
  // expected-error@+1 {{'xf.softmax' op expects an axis in [-2, 2), got 2}}
  %0 = xf.softmax %x axis 2 : tensor<2x16xf32> -> tensor<2x16xf32>
  return
}

// -----

func.func @softmax_rank0(%x: tensor<f32>) {
  // expected-error@+1 {{'xf.softmax' op expects an axis in [0, 0), got -1}}
  %0 = xf.softmax %x : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @swiglu_types(%g: tensor<2x16xf32>, %u: tensor<2x8xf32>) {
  // expected-error@+1 {{'xf.swiglu' op requires the same type for all operands and results}}
  %0 = "xf.swiglu"(%g, %u) : (tensor<2x16xf32>, tensor<2x8xf32>) -> tensor<2x16xf32>
  return
}

// -----

func.func @gelu_result(%x: tensor<2x16xf32>) {
  // expected-error@+1 {{'xf.gelu' op requires the same type for all operands and results}}
  %0 = "xf.gelu"(%x) : (tensor<2x16xf32>) -> tensor<2x16xf16>
  return
}

// -----

func.func @rope_rank(%x: tensor<16xf32>) {
  // expected-error@+1 {{'xf.rope' op expects an input of rank >= 2 ([..., seq, features]), got [16]}}
  %0 = xf.rope %x head_dim 8 : (tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @rope_head_dim(%x: tensor<4x20xf32>) {
  // expected-error@+1 {{'xf.rope' op expects features (20) to be a multiple of head_dim (8)}}
  %0 = xf.rope %x head_dim 8 : (tensor<4x20xf32>) -> tensor<4x20xf32>
  return
}

// -----

func.func @rope_small_head(%x: tensor<4x16xf32>) {
  // expected-error@+1 {{'xf.rope' op expects head_dim >= 2, got 1}}
  %0 = xf.rope %x head_dim 1 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @rope_rotary_dim(%x: tensor<4x16xf32>) {
  // expected-error@+1 {{'xf.rope' op expects an even rotary_dim in [2, head_dim = 8], got 5}}
  %0 = xf.rope %x head_dim 8 rotary_dim 5 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @rope_theta(%x: tensor<4x16xf32>) {
  // expected-error@+1 {{'xf.rope' op expects a positive finite theta, got 0.0}}
  %0 = xf.rope %x head_dim 8 theta 0.0 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @rope_positions(%x: tensor<4x16xf32>, %p: tensor<5xi64>) {
  // expected-error@+1 {{'xf.rope' op expects positions of shape [4], got [5]}}
  %0 = xf.rope %x positions %p head_dim 8 : (tensor<4x16xf32>, tensor<5xi64>) -> tensor<4x16xf32>
  return
}

// -----

func.func @embedding_table(%t: tensor<100xf32>, %ids: tensor<4xi64>) {
  // expected-error@+1 {{'xf.embedding' op expects a table of rank 2 ([vocab, features]), got [100]}}
  %0 = xf.embedding %t, %ids : (tensor<100xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @embedding_float_ids(%t: tensor<100x8xf32>, %ids: tensor<4xf32>) {
  // expected-error@+1 {{'xf.embedding' op operand #1 must be ranked tensor of signless integer or index values}}
  %0 = "xf.embedding"(%t, %ids) : (tensor<100x8xf32>, tensor<4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @add_broadcast(%a: tensor<4x16xf32>, %b: tensor<8xf32>) {
  // expected-error@+1 {{'xf.add' op cannot broadcast operands [4, 16] and [8]}}
  %0 = xf.add %a, %b : (tensor<4x16xf32>, tensor<8xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mul_element_types(%a: tensor<4x16xf32>, %b: tensor<16xbf16>) {
  // expected-error@+1 {{'xf.mul' op expects one element type for all tensors, got 'f32' and 'bf16'}}
  %0 = xf.mul %a, %b : (tensor<4x16xf32>, tensor<16xbf16>) -> tensor<4x16xf32>
  return
}

// -----

func.func @attention_heads(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects at least one head, got heads = 0 and kv_heads = 0}}
  %0 = xf.attention %q, %q, %q heads 0 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_kv_heads(%q: tensor<8x64xf32>, %k: tensor<8x48xf32>) {
  // expected-error@+1 {{'xf.attention' op expects heads (4) to be a multiple of kv_heads (3)}}
  %0 = xf.attention %q, %k, %k heads 4 kv_heads 3 : (tensor<8x64xf32>, tensor<8x48xf32>, tensor<8x48xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_query_heads(%q: tensor<8x30xf32>) {
  // expected-error@+1 {{'xf.attention' op query has 30 features, which is not a multiple of 4 heads}}
  %0 = xf.attention %q, %q, %q heads 4 : (tensor<8x30xf32>, tensor<8x30xf32>, tensor<8x30xf32>) -> tensor<8x30xf32>
  return
}

// -----

func.func @attention_head_sizes(%q: tensor<8x64xf32>, %k: tensor<8x32xf32>) {
  // expected-error@+1 {{'xf.attention' op expects query and key heads of equal size, got 16 and 8}}
  %0 = xf.attention %q, %k, %k heads 4 : (tensor<8x64xf32>, tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_rank(%q: tensor<64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects query of rank >= 2 ([..., seq, features]), got [64]}}
  %0 = xf.attention %q, %q, %q heads 4 : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return
}

// -----

func.func @attention_ranks(%q: tensor<1x8x64xf32>, %k: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects query, key and value of equal rank, got [1, 8, 64], [8, 64] and [8, 64]}}
  %0 = xf.attention %q, %k, %k heads 4 : (tensor<1x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

func.func @attention_batch(%q: tensor<1x8x64xf32>, %k: tensor<2x8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects equal batch dimensions, got [1, 8, 64], [2, 8, 64] and [2, 8, 64]}}
  %0 = xf.attention %q, %k, %k heads 4 : (tensor<1x8x64xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<1x8x64xf32>
  return
}

// -----

func.func @attention_kv_length(%q: tensor<8x64xf32>, %k: tensor<10x64xf32>, %v: tensor<9x64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects key and value of equal sequence length, got 10 and 9}}
  %0 = xf.attention %q, %k, %v heads 4 : (tensor<8x64xf32>, tensor<10x64xf32>, tensor<9x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_window(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{expects a window >= 1, got 0}}
  %0 = xf.attention %q, %q, %q heads 4 causal window 0 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_dilation_without_window(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{layout has a dilation but no window}}
  %0 = xf.attention %q, %q, %q heads 4 causal dilation 2 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_unsorted_globals(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{layout expects global positions that are non-negative, sorted and unique}}
  %0 = xf.attention %q, %q, %q heads 4 window 2 global [5, 1] : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_global_past_keys(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op layout has global position 8 past the 8 keys}}
  %0 = xf.attention %q, %q, %q heads 4 window 2 global [0, 8] : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_sinks_past_keys(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op layout has 9 sink keys but only 8 keys}}
  %0 = xf.attention %q, %q, %q heads 4 causal window 2 sinks 9 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_block_map_too_small(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op layout has a block map covering 4 positions x 8 keys, fewer than the 8 keys}}
  %0 = xf.attention %q, %q, %q heads 4 blocks [2, 4] dense<true> : tensor<2x2xi1> : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_block_map_type(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{expects a block map of rank 2 with i1 elements, got 'tensor<2x2xi32>'}}
  %0 = xf.attention %q, %q, %q heads 4 blocks [4, 4] dense<1> : tensor<2x2xi32> : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_block_map_sizes(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{expects a block map with two block sizes}}
  %0 = xf.attention %q, %q, %q heads 4 blocks [4] dense<true> : tensor<2x2xi1> : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_scale(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{'xf.attention' op expects a finite scale}}
  %0 = "xf.attention"(%q, %q, %q) <{num_heads = 4 : i64, scale = 0x7FF0000000000000 : f64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>}> : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_kv_len_shape(%q: tensor<2x1x64xf32>, %k: tensor<2x16x64xf32>, %len: tensor<3xi32>) {
  // expected-error@+1 {{'xf.attention' op expects kv_len of the batch shape [2], got [3]}}
  %0 = xf.attention %q, %k, %k kv_len %len heads 4 : (tensor<2x1x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32>, tensor<3xi32>) -> tensor<2x1x64xf32>
  return
}

// -----

func.func @attention_kv_len_and_offsets(%q: tensor<8x64xf32>, %len: tensor<i32>, %cu: tensor<3xi32>) {
  // expected-error@+1 {{'xf.attention' op takes kv_len or seq_offsets, not both}}
  %0 = xf.attention %q, %q, %q kv_len %len seq_offsets %cu heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<i32>, tensor<3xi32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_offsets_batch(%q: tensor<2x8x64xf32>, %cu: tensor<3xi32>) {
  // expected-error@+1 {{'xf.attention' op expects packed tokens [T, features] with seq_offsets, got [2, 8, 64]}}
  %0 = xf.attention %q, %q, %q seq_offsets %cu heads 4 : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<3xi32>) -> tensor<2x8x64xf32>
  return
}

// -----

func.func @attention_offsets_shape(%q: tensor<8x64xf32>, %cu: tensor<1xi32>) {
  // expected-error@+1 {{'xf.attention' op expects seq_offsets of shape [B + 1] with B >= 1, got [1]}}
  %0 = xf.attention %q, %q, %q seq_offsets %cu heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<1xi32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_offsets_tokens(%q: tensor<8x64xf32>, %k: tensor<9x64xf32>, %cu: tensor<3xi32>) {
  // expected-error@+1 {{'xf.attention' op expects as many key tokens as query tokens with seq_offsets, got 8 and 9}}
  %0 = xf.attention %q, %k, %k seq_offsets %cu heads 4 : (tensor<8x64xf32>, tensor<9x64xf32>, tensor<9x64xf32>, tensor<3xi32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_block_mask_shape(%q: tensor<8x64xf32>, %m: tensor<4x2x3xi8>) {
  // expected-error@+1 {{'xf.attention' op expects a block_mask of shape [4, 2, 2] (batch and head dimensions may be 1), got [4, 2, 3]}}
  %0 = xf.attention %q, %q, %q block_mask %m [4, 4] heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<4x2x3xi8>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_block_mask_sizes(%q: tensor<8x64xf32>, %m: tensor<4x2x2xi8>) {
  // expected-error@+1 {{'xf.attention' op expects block_mask block sizes [Bq, Bk] of at least 1}}
  %0 = xf.attention %q, %q, %q block_mask %m [0, 4] heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<4x2x2xi8>) -> tensor<8x64xf32>
  return
}

// -----

func.func @cache_write_features(%u: tensor<2x1x32xf32>, %c: tensor<2x16x64xf32>, %len: tensor<2xi32>) {
  // expected-error@+1 {{'xf.cache_write' op expects the update [2, 1, 32] to match the cache [2, 16, 64] in batch and feature sizes}}
  %0 = xf.cache_write %u into %c kv_len %len : (tensor<2x1x32xf32>, tensor<2x16x64xf32>, tensor<2xi32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @cache_write_kv_len(%u: tensor<2x1x64xf32>, %c: tensor<2x16x64xf32>, %len: tensor<i32>) {
  // expected-error@+1 {{'xf.cache_write' op expects kv_len of the batch shape [2], got []}}
  %0 = xf.cache_write %u into %c kv_len %len : (tensor<2x1x64xf32>, tensor<2x16x64xf32>, tensor<i32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @cache_write_rank(%u: tensor<64xf32>, %c: tensor<16x64xf32>, %len: tensor<i32>) {
  // expected-error@+1 {{'xf.cache_write' op expects a cache [..., capacity, features] and an update [..., seq, features] of the same rank, got [16, 64] and [64]}}
  %0 = xf.cache_write %u into %c kv_len %len : (tensor<64xf32>, tensor<16x64xf32>, tensor<i32>) -> tensor<16x64xf32>
  return
}

// -----

func.func @rope_positions_and_offsets(%x: tensor<4x16xf32>, %p: tensor<4xi64>, %cu: tensor<2xi32>) {
  // expected-error@+1 {{'xf.rope' op takes positions or seq_offsets, not both}}
  %0 = xf.rope %x positions %p seq_offsets %cu head_dim 8 : (tensor<4x16xf32>, tensor<4xi64>, tensor<2xi32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @rope_batch_positions(%x: tensor<2x4x16xf32>, %p: tensor<3x4xi64>) {
  // expected-error@+1 {{'xf.rope' op expects positions of shape [4] or [2, 4], got [3, 4]}}
  %0 = xf.rope %x positions %p head_dim 8 : (tensor<2x4x16xf32>, tensor<3x4xi64>) -> tensor<2x4x16xf32>
  return
}

// -----

func.func @attention_mask_rank(%q: tensor<8x64xf32>, %m: tensor<1x1x4x8x8xf32>) {
  // expected-error@+1 {{'xf.attention' op expects a mask of rank <= 3, got [1, 1, 4, 8, 8]}}
  %0 = xf.attention %q, %q, %q mask %m heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<1x1x4x8x8xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_mask_shape(%q: tensor<8x64xf32>, %m: tensor<8x7xf32>) {
  // expected-error@+1 {{'xf.attention' op cannot broadcast mask and scores [8, 7] and [4, 8, 8]}}
  %0 = xf.attention %q, %q, %q mask %m heads 4 : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x7xf32>) -> tensor<8x64xf32>
  return
}

// -----

func.func @attention_mask_grows(%q: tensor<1x64xf32>, %k: tensor<8x64xf32>, %m: tensor<8x8xf32>) {
  // expected-error@+1 {{'xf.attention' op mask [8, 8] does not broadcast to the scores [4, 1, 8]}}
  %0 = xf.attention %q, %k, %k mask %m heads 4 : (tensor<1x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x8xf32>) -> tensor<1x64xf32>
  return
}

// -----

func.func @mlp_gate(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wg: tensor<16x32xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects gate and up weights of equal hidden size, got 32 and 64}}
  %0 = xf.mlp %x up %wu gate %wg down %wd act silu : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<16x32xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_gate_bias(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %b: tensor<64xf32>) {
  // expected-error@+1 {{'xf.mlp' op has a gate bias but no gate weight}}
  %0 = xf.mlp %x up %wu down %wd gate_bias %b act gelu : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<64xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_down(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<32x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op down weight [32, 16] (layout kn, [in, out]) expects 32 input features, got 64}}
  %0 = xf.mlp %x up %wu down %wd act gelu : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<32x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_up_bias(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %b: tensor<16xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects up bias of shape [64], got [16]}}
  %0 = xf.mlp %x up %wu down %wd up_bias %b act relu : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @block_rank(%x: tensor<32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op expects an input of rank >= 2 ([..., seq, features]), got [32]}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @block_rms_bias(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op has a norm1 bias, but rms_norm takes none}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g, %g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_norm_weight(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %g2: tensor<16xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op expects norm2 weight of shape [32], got [16]}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g2) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<16xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_kv_weight(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wk: tensor<16x16xf32>) {
  // expected-error@+1 {{'xf.block' op k weight [16, 16] (layout kn, [in, out]) expects 16 input features, got 32}}
  %y = xf.block %x heads 4 kv_heads 2 norm rms_norm pre act silu norm1(%g) attn(%w, %wk, %wk, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_o_weight(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wo: tensor<32x16xf32>) {
  // expected-error@+1 {{'xf.block' op expects the o weight to project back to 32 features for the residual, got 16}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %wo) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x16xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_mlp_out(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wd: tensor<32x16xf32>) {
  // expected-error@+1 {{'xf.block' op expects the MLP to project back to 32 features for the residual, got 16}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %wd)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x16xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_rotary_without_rope(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op has a rotary_dim but no rope_theta}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu rotary_dim 4 norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_rope_dim(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op expects an even rotary_dim in [2, head_dim = 8], got 16}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu rope_theta 10000.0 rotary_dim 16 norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_epsilon(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>) {
  // expected-error@+1 {{'xf.block' op expects a non-negative finite epsilon, got -1.0}}
  %y = xf.block %x heads 4 norm rms_norm pre eps -1.0 act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_q_bias(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %b: tensor<16xf32>) {
  // expected-error@+1 {{'xf.block' op expects q bias of shape [32], got [16]}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) q_bias %b norm2(%g) mlp(up %w down %w)
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<16xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @block_mask(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %m: tensor<8x9xf32>) {
  // expected-error@+1 {{'xf.block' op cannot broadcast mask and scores [8, 9] and [4, 8, 8]}}
  %y = xf.block %x heads 4 norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w) mask %m
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<8x9xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @embedding_empty_table(%t: tensor<0x8xf32>, %ids: tensor<4xi64>) {
  // expected-error@+1 {{'xf.embedding' op expects a table with at least one row}}
  %0 = xf.embedding %t, %ids : (tensor<0x8xf32>, tensor<4xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @silu_result(%x: tensor<2x16xf32>) {
  // expected-error@+1 {{'xf.silu' op requires the same type for all operands and results}}
  %0 = "xf.silu"(%x) : (tensor<2x16xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @relu_integer(%x: tensor<2x16xi32>) {
  // expected-error@+1 {{'xf.relu' op operand #0 must be ranked tensor of floating-point values}}
  %0 = "xf.relu"(%x) : (tensor<2x16xi32>) -> tensor<2x16xi32>
  return
}

// -----

func.func @geglu_types(%g: tensor<2x16xf32>, %u: tensor<2x16xf16>) {
  // expected-error@+1 {{'xf.geglu' op requires the same type for all operands and results}}
  %0 = "xf.geglu"(%g, %u) : (tensor<2x16xf32>, tensor<2x16xf16>) -> tensor<2x16xf32>
  return
}

// -----

func.func @block_cache_features(%x: tensor<1x8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %kc: tensor<1x64x16xf32>, %len: tensor<1xi32>) {
  // expected-error@+1 {{'xf.block' op expects caches [..., capacity, features] for the keys [1, 8, 32] and values [1, 8, 32], got [1, 64, 16] and [1, 64, 16]}}
  %y:3 = xf.block %x heads 4 causal norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w)
      kv_cache(%kc, %kc) kv_len %len
      : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<1x64x16xf32>, tensor<1x64x16xf32>, tensor<1xi32>)
      -> (tensor<1x8x32xf32>, tensor<1x64x16xf32>, tensor<1x64x16xf32>)
  return
}

// -----

func.func @sparsity_blocks(%x: tensor<4x64xf32>, %w: tensor<64x32xf32>) -> tensor<4x32xf32> {
  // expected-error@+1 {{#xf.sparsity expects blocks [Bk, Bn] of positive sizes, got [16, 0]}}
  %y = xf.linear %x, %w sparsity <blocks [16, 0]> : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

func.func @sparsity_rank(%x: tensor<4x64xf32>, %w: tensor<64x32xf32>) -> tensor<4x32xf32> {
  // expected-error@+1 {{#xf.sparsity expects blocks [Bk, Bn] of positive sizes, got [16]}}
  %y = xf.linear %x, %w sparsity <blocks [16]> : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

func.func @top_k_too_large(%s: tensor<4x16xf32>) {
  // expected-error@+1 {{'xf.top_k' op expects k in [1, 16], got 17}}
  %0 = xf.top_k %s k 17 : (tensor<4x16xf32>) -> tensor<4x17xi64>
  return
}

// -----

func.func @top_k_zero(%s: tensor<16xf32>) {
  // expected-error@+1 {{'xf.top_k' op expects k in [1, 16], got 0}}
  %0 = xf.top_k %s k 0 : (tensor<16xf32>) -> tensor<0xi64>
  return
}

// -----

func.func @top_k_result(%s: tensor<4x16xf32>) {
  // expected-error@+1 {{'xf.top_k' op result type 'tensor<4x3xi32>' does not match the inferred type 'tensor<4x3xi64>'}}
  %0 = xf.top_k %s k 3 : (tensor<4x16xf32>) -> tensor<4x3xi32>
  return
}

// -----

func.func @gather_mlp_neurons(%x: tensor<4x16xf32>, %n: tensor<3x2xi64>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.gather_mlp' op expects neurons [..., k] with the input's leading shape [4], got [3, 2]}}
  %0 = xf.gather_mlp %x neurons %n up %wu down %wd act relu : (tensor<4x16xf32>, tensor<3x2xi64>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gather_mlp_down(%x: tensor<4x16xf32>, %n: tensor<4x2xi64>, %wu: tensor<16x64xf32>, %wd: tensor<32x16xf32>) {
  // expected-error@+1 {{'xf.gather_mlp' op down weight [32, 16] (layout kn, [in, out]) expects 32 input features, got 64}}
  %0 = xf.gather_mlp %x neurons %n up %wu down %wd act relu : (tensor<4x16xf32>, tensor<4x2xi64>, tensor<16x64xf32>, tensor<32x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_top_k_no_predictor(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op with top_k expects either predictor_features or predictor(in, out)}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_two_predictors(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %a: tensor<16x4xf32>, %b: tensor<4x64xf32>) {
  // expected-error@+1 {{'xf.mlp' op with top_k expects either predictor_features or predictor(in, out)}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 predictor_features 4 predictor(%a, %b) : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<16x4xf32>, tensor<4x64xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_predictor_without_top_k(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op has a predictor but no top_k}}
  %0 = xf.mlp %x up %wu down %wd act gelu predictor_features 4 : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_top_k_range(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects top_k in [1, 64] (the hidden size), got 65}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 65 predictor_features 4 : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_predictor_features(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects predictor_features in [1, 16] (the input features), got 17}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 predictor_features 17 : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_predictor_in(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %a: tensor<8x4xf32>, %b: tensor<4x64xf32>) {
  // expected-error@+1 {{'xf.mlp' op predictor in [8, 4] (layout kn, [in, out]) expects 8 input features, got 16}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 predictor(%a, %b) : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<8x4xf32>, tensor<4x64xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_predictor_scores(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %a: tensor<16x4xf32>, %b: tensor<4x32xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects the predictor to score 64 neurons, got 32}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 predictor(%a, %b) : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<16x4xf32>, tensor<4x32xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @mlp_predictor_type(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>, %a: tensor<16x4xf64>, %b: tensor<4x64xf32>) {
  // expected-error@+1 {{'xf.mlp' op expects weights of f32, bf16 or f16 with f32 activations, got 'f64'}}
  %0 = xf.mlp %x up %wu down %wd act gelu top_k 8 predictor(%a, %b) : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<16x4xf64>, tensor<4x64xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gather_mlp_no_neurons(%x: tensor<4x16xf32>, %n: tensor<4x2xi64>, %wu: tensor<16x0xf32>, %wd: tensor<0x16xf32>) {
  // expected-error@+1 {{'xf.gather_mlp' op expects at least one hidden neuron}}
  %0 = xf.gather_mlp %x neurons %n up %wu down %wd act relu : (tensor<4x16xf32>, tensor<4x2xi64>, tensor<16x0xf32>, tensor<0x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @block_top_k(%x: tensor<1x4x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wu: tensor<32x64xf32>, %wd: tensor<64x32xf32>) {
  // expected-error@+1 {{'xf.block' op expects top_k in [1, 64] (the hidden size), got 80}}
  %y = xf.block %x heads 4 causal norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g)
      mlp(up %wu gate %wu down %wd top_k 80 predictor_features 8)
      : (tensor<1x4x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x32xf32>) -> tensor<1x4x32xf32>
  return
}

// -----

func.func @sparsity_pattern(%x: tensor<4x64xf32>, %w: tensor<64x32xf32>) -> tensor<4x32xf32> {
  // expected-error@+1 {{#xf.sparsity supports the 2:4 pattern, got 1:4}}
  %y = xf.linear %x, %w sparsity <1:4> : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// Generic IR with the weight's segment (a single operand) empty and an
// optional one holding its value: refused before type inference reads it.
func.func @linear_single_operand_segment_empty(%x: tensor<2x16xf32>, %w: tensor<16x32xf32>) -> tensor<2x32xf32> {
  // expected-error@+1 {{'xf.linear' op operand segment #1 is a single operand but holds 0 values}}
  %0 = "xf.linear"(%x, %w) <{operandSegmentSizes = array<i32: 1, 0, 1, 0>}> : (tensor<2x16xf32>, tensor<16x32xf32>) -> tensor<2x32xf32>
  return %0 : tensor<2x32xf32>
}

// -----

func.func @attention_block_mask_sizes_alone(%q: tensor<8x64xf32>) {
  // expected-error@+1 {{has block_mask sizes but no block_mask}}
  %0 = "xf.attention"(%q, %q, %q) <{num_heads = 4 : i64, block_mask_sizes = array<i64: 1, 8>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>}> : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return
}
