// RUN: xf-opt %s --split-input-file | xf-opt --split-input-file | FileCheck %s
// RUN: xf-opt %s --split-input-file --mlir-print-op-generic | xf-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x16xf32>, %[[W:.*]]: tensor<16x32xf32>, %[[WT:.*]]: tensor<32x16xf32>, %[[B:.*]]: tensor<32xf32>, %[[R:.*]]: tensor<2x8x32xf32>)
func.func @linear(%x: tensor<2x8x16xf32>, %w: tensor<16x32xf32>, %wt: tensor<32x16xf32>,
                  %b: tensor<32xf32>, %r: tensor<2x8x32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x32xf32>, tensor<?x32xf32>) {
  // CHECK: xf.linear %[[X]], %[[W]] : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  %0 = xf.linear %x, %w : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  // CHECK: xf.linear %[[X]], %[[WT]] bias %[[B]] layout nk act gelu_tanh residual %[[R]]
  %1 = xf.linear %x, %wt bias %b layout nk act gelu_tanh residual %r
      : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x8x16xf32> into tensor<16x16xf32>
  %d = tensor.cast %c : tensor<16x16xf32> to tensor<?x16xf32>
  // CHECK: xf.linear %{{.*}}, %[[W]] act relu : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  %2 = xf.linear %d, %w act relu : (tensor<?x16xf32>, tensor<16x32xf32>) -> tensor<?x32xf32>
  return %0, %1, %2 : tensor<2x8x32xf32>, tensor<2x8x32xf32>, tensor<?x32xf32>
}

// -----

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<2x12x8x64xf32>, %b: tensor<2x12x8x64xf32>, %c: tensor<64x32xf32>)
    -> (tensor<2x12x8x8xf32>, tensor<2x12x64x64xf32>, tensor<2x12x8x32xf32>) {
  // CHECK: xf.matmul %{{.*}}, %{{.*}} transpose_rhs : (tensor<2x12x8x64xf32>, tensor<2x12x8x64xf32>) -> tensor<2x12x8x8xf32>
  %0 = xf.matmul %a, %b transpose_rhs : (tensor<2x12x8x64xf32>, tensor<2x12x8x64xf32>) -> tensor<2x12x8x8xf32>
  // CHECK: xf.matmul %{{.*}}, %{{.*}} transpose_lhs :
  %1 = xf.matmul %a, %b transpose_lhs : (tensor<2x12x8x64xf32>, tensor<2x12x8x64xf32>) -> tensor<2x12x64x64xf32>
  // Batch dimensions broadcast.
  // CHECK: xf.matmul %{{.*}}, %{{.*}} : (tensor<2x12x8x64xf32>, tensor<64x32xf32>) -> tensor<2x12x8x32xf32>
  %2 = xf.matmul %a, %c : (tensor<2x12x8x64xf32>, tensor<64x32xf32>) -> tensor<2x12x8x32xf32>
  return %0, %1, %2 : tensor<2x12x8x8xf32>, tensor<2x12x64x64xf32>, tensor<2x12x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<4x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: xf.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %0 = xf.layer_norm %x, %g, %b : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: xf.layer_norm %{{.*}}, %{{.*}} eps {{[0-9.eE+-]+}} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %1 = xf.layer_norm %x, %g eps 1.0e-6 : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: xf.rms_norm %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = xf.rms_norm %x, %g : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: xf.rms_norm %{{.*}}, %{{.*}} eps 1.000000e-05
  %3 = xf.rms_norm %x, %g eps 1.0e-5 : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0, %1, %2, %3 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x4x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  // CHECK: xf.softmax %{{.*}} : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  %0 = xf.softmax %x : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  // CHECK: xf.softmax %{{.*}} axis 1 : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  %1 = xf.softmax %x axis 1 : tensor<2x4x16xf32> -> tensor<2x4x16xf32>
  return %0, %1 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @pointwise
func.func @pointwise(%x: tensor<4x16xf32>, %y: tensor<4x16xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: xf.gelu %{{.*}} : tensor<4x16xf32>
  %0 = xf.gelu %x : tensor<4x16xf32>
  // CHECK: xf.gelu %{{.*}} approximate tanh : tensor<4x16xf32>
  %1 = xf.gelu %x approximate tanh : tensor<4x16xf32>
  // CHECK: xf.silu %{{.*}} : tensor<4x16xf32>
  %2 = xf.silu %x : tensor<4x16xf32>
  // CHECK: xf.relu %{{.*}} : tensor<4x16xf32>
  %3 = xf.relu %x : tensor<4x16xf32>
  // CHECK: xf.swiglu %{{.*}}, %{{.*}} : tensor<4x16xf32>
  %4 = xf.swiglu %x, %y : tensor<4x16xf32>
  // CHECK: xf.geglu %{{.*}}, %{{.*}} : tensor<4x16xf32>
  %5 = xf.geglu %x, %y : tensor<4x16xf32>
  // CHECK: xf.geglu %{{.*}}, %{{.*}} approximate tanh : tensor<4x16xf32>
  %6 = xf.geglu %x, %y approximate tanh : tensor<4x16xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @rope
func.func @rope(%x: tensor<1x8x64xf32>, %pos: tensor<8xi64>) -> (tensor<1x8x64xf32>, tensor<1x8x64xf32>) {
  // CHECK: xf.rope %{{.*}} head_dim 16 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %0 = xf.rope %x head_dim 16 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  // CHECK: xf.rope %{{.*}} positions %{{.*}} head_dim 16 rotary_dim 8 theta 5.000000e+05 style interleaved : (tensor<1x8x64xf32>, tensor<8xi64>) -> tensor<1x8x64xf32>
  %1 = xf.rope %x positions %pos head_dim 16 rotary_dim 8 theta 500000.0 style interleaved
      : (tensor<1x8x64xf32>, tensor<8xi64>) -> tensor<1x8x64xf32>
  return %0, %1 : tensor<1x8x64xf32>, tensor<1x8x64xf32>
}

// -----

// CHECK-LABEL: func.func @embedding
func.func @embedding(%t: tensor<100x16xf32>, %ids: tensor<2x5xi64>, %ids32: tensor<7xi32>) -> (tensor<2x5x16xf32>, tensor<7x16xf32>) {
  // CHECK: xf.embedding %{{.*}}, %{{.*}} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %0 = xf.embedding %t, %ids : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %1 = xf.embedding %t, %ids32 : (tensor<100x16xf32>, tensor<7xi32>) -> tensor<7x16xf32>
  return %0, %1 : tensor<2x5x16xf32>, tensor<7x16xf32>
}

// -----

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<4x16xf32>, %b: tensor<16xf32>, %s: tensor<f32>, %c: tensor<4x1xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: xf.add %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %0 = xf.add %x, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: xf.mul %{{.*}}, %{{.*}} : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %1 = xf.mul %x, %s : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  // CHECK: xf.mul %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = xf.mul %c, %b : (tensor<4x1xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<2x8x64xf32>, %k: tensor<2x10x16xf32>, %v: tensor<2x10x32xf32>,
                     %m: tensor<8x10xf32>) -> (tensor<2x8x128xf32>, tensor<2x8x128xf32>, tensor<2x8x128xf32>, tensor<2x8x64xf32>) {
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 4 kv_heads 1 causal : (tensor<2x8x64xf32>, tensor<2x10x16xf32>, tensor<2x10x32xf32>) -> tensor<2x8x128xf32>
  %0 = xf.attention %q, %k, %v heads 4 kv_heads 1 causal
      : (tensor<2x8x64xf32>, tensor<2x10x16xf32>, tensor<2x10x32xf32>) -> tensor<2x8x128xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 4 kv_heads 1 scale 5.000000e-01 causal window 3 :
  %1 = xf.attention %q, %k, %v heads 4 kv_heads 1 scale 0.5 causal window 3
      : (tensor<2x8x64xf32>, tensor<2x10x16xf32>, tensor<2x10x32xf32>) -> tensor<2x8x128xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} heads 4 kv_heads 1 :
  %2 = xf.attention %q, %k, %v mask %m heads 4 kv_heads 1
      : (tensor<2x8x64xf32>, tensor<2x10x16xf32>, tensor<2x10x32xf32>, tensor<8x10xf32>) -> tensor<2x8x128xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 4 : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
  %3 = xf.attention %q, %q, %q heads 4 : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
  return %0, %1, %2, %3 : tensor<2x8x128xf32>, tensor<2x8x128xf32>, tensor<2x8x128xf32>, tensor<2x8x64xf32>
}

// -----

// CHECK-LABEL: func.func @mlp
func.func @mlp(%x: tensor<4x16xf32>, %w1: tensor<16x64xf32>, %w2: tensor<64x16xf32>, %b1: tensor<64xf32>,
               %b2: tensor<16xf32>, %wg: tensor<16x64xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: xf.mlp %{{.*}} up %{{.*}} down %{{.*}} up_bias %{{.*}} down_bias %{{.*}} act gelu :
  %0 = xf.mlp %x up %w1 down %w2 up_bias %b1 down_bias %b2 act gelu
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: xf.mlp %{{.*}} up %{{.*}} gate %{{.*}} down %{{.*}} act silu :
  %1 = xf.mlp %x up %w1 gate %wg down %w2 act silu
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @gpt2_style_block
func.func @gpt2_style_block(%x: tensor<1x8x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>,
    %wqkv: tensor<32x32xf32>, %bqkv: tensor<32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<128xf32>,
    %w2: tensor<128x32xf32>) -> tensor<1x8x32xf32> {
  // CHECK: xf.block %{{.*}} heads 4 causal norm layer_norm pre act gelu_tanh norm1(%{{.*}}, %{{.*}}) attn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) q_bias %{{.*}} k_bias %{{.*}} v_bias %{{.*}} o_bias %{{.*}} norm2(%{{.*}}, %{{.*}}) mlp(up %{{.*}} down %{{.*}} up_bias %{{.*}} down_bias %{{.*}}) :
  %y = xf.block %x heads 4 causal norm layer_norm pre act gelu_tanh
      norm1(%g, %b) attn(%wqkv, %wqkv, %wqkv, %wqkv) q_bias %bqkv k_bias %bqkv v_bias %bqkv o_bias %bqkv
      norm2(%g, %b) mlp(up %w1 down %w2 up_bias %b1 down_bias %g)
      : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>,
         tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128x32xf32>, tensor<128xf32>, tensor<32xf32>)
        -> tensor<1x8x32xf32>
  return %y : tensor<1x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @llama_style_block
func.func @llama_style_block(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %wq: tensor<32x32xf32>,
    %wkv: tensor<16x32xf32>, %wu: tensor<32x64xf32>, %wd: tensor<64x32xf32>, %m: tensor<8x8xf32>) -> tensor<8x32xf32> {
  // CHECK: xf.block %{{.*}} heads 4 kv_heads 2 window 4 norm rms_norm post eps {{[0-9.eE+-]+}} act silu rope_theta 5.000000e+05 rotary_dim 4 rope_style interleaved layout nk norm1(%{{.*}}) attn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) norm2(%{{.*}}) mlp(up %{{.*}} gate %{{.*}} down %{{.*}}) mask %{{.*}} :
  %y = xf.block %x heads 4 kv_heads 2 window 4 norm rms_norm post eps 1.0e-6 act silu
      rope_theta 500000.0 rotary_dim 4 rope_style interleaved layout nk
      norm1(%g) attn(%wq, %wkv, %wkv, %wq) norm2(%g) mlp(up %wd gate %wd down %wu) mask %m
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>,
         tensor<32x32xf32>, tensor<32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<32x64xf32>, tensor<8x8xf32>)
        -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// Every layout component, printed in one canonical order whatever order
// it was written in.
// CHECK-LABEL: func.func @layouts
func.func @layouts(%q: tensor<16x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) {
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal window 4 dilation 2 stride 5 sinks 3 global [0, 9] :
  %0 = xf.attention %q, %q, %q heads 2 global [0, 9] sinks 3 stride 5 dilation 2 window 4 causal
      : (tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 blocks [8, 4] dense<{{\[\[}}true, false, false, true], [false, true, true, false]]> : tensor<2x4xi1> :
  %1 = xf.attention %q, %q, %q heads 2 blocks [8, 4] dense<[[true, false, false, true], [false, true, true, false]]> : tensor<2x4xi1>
      : (tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  // The standalone form of the attribute.
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} heads 2 causal sinks 1 :
  %2 = "xf.attention"(%q, %q, %q) <{num_heads = 2 : i64, layout = #xf.layout<causal sinks 1>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>}>
      : (tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  return %0, %1, %2 : tensor<16x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>
}

// -----

// The run-time operands of attention, the cache write and per-sequence RoPE.
// CHECK-LABEL: func.func @runtime_operands
func.func @runtime_operands(%q: tensor<2x1x32xf32>, %kc: tensor<2x64x16xf32>, %u: tensor<2x1x16xf32>, %len: tensor<2xi32>,
                            %bm: tensor<2x1x1x8xi8>, %t: tensor<10x32xf32>, %cu: tensor<3xi64>)
    -> (tensor<2x1x32xf32>, tensor<10x32xf32>, tensor<10x32xf32>) {
  // CHECK: %[[KC:.*]] = xf.cache_write %{{.*}} into %{{.*}} kv_len %{{.*}} : (tensor<2x1x16xf32>, tensor<2x64x16xf32>, tensor<2xi32>) -> tensor<2x64x16xf32>
  %kc2 = xf.cache_write %u into %kc kv_len %len : (tensor<2x1x16xf32>, tensor<2x64x16xf32>, tensor<2xi32>) -> tensor<2x64x16xf32>
  // CHECK: xf.attention %{{.*}}, %[[KC]], %[[KC]] kv_len %{{.*}} block_mask %{{.*}} [1, 8] heads 2 kv_heads 1 causal :
  %0 = xf.attention %q, %kc2, %kc2 kv_len %len block_mask %bm [1, 8] heads 2 kv_heads 1 causal
      : (tensor<2x1x32xf32>, tensor<2x64x16xf32>, tensor<2x64x16xf32>, tensor<2xi32>, tensor<2x1x1x8xi8>) -> tensor<2x1x32xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} seq_offsets %{{.*}} heads 2 causal :
  %1 = xf.attention %t, %t, %t seq_offsets %cu heads 2 causal
      : (tensor<10x32xf32>, tensor<10x32xf32>, tensor<10x32xf32>, tensor<3xi64>) -> tensor<10x32xf32>
  // CHECK: xf.rope %{{.*}} seq_offsets %{{.*}} head_dim 16 :
  %2 = xf.rope %t seq_offsets %cu head_dim 16 : (tensor<10x32xf32>, tensor<3xi64>) -> tensor<10x32xf32>
  return %0, %1, %2 : tensor<2x1x32xf32>, tensor<10x32xf32>, tensor<10x32xf32>
}

// -----

// A decode step of a whole block: positions, caches and their lengths; three
// results.
// CHECK-LABEL: func.func @block_decode
// CHECK: %{{.*}}:3 = xf.block %{{.*}} heads 2 causal norm rms_norm pre act silu rope_theta 1.000000e+04 norm1(%{{.*}}) attn(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) norm2(%{{.*}}) mlp(up %{{.*}} down %{{.*}}) positions %{{.*}} kv_cache(%{{.*}}, %{{.*}}) kv_len %{{.*}} :
func.func @block_decode(%x: tensor<1x1x16xf32>, %g: tensor<16xf32>, %w: tensor<16x16xf32>, %pos: tensor<1x1xi32>,
                        %kc: tensor<1x32x16xf32>, %len: tensor<1xi32>) -> tensor<1x1x16xf32> {
  %y:3 = xf.block %x heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04
      norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %w down %w) positions %pos kv_cache(%kc, %kc) kv_len %len
      : (tensor<1x1x16xf32>, tensor<16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>,
         tensor<16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<1x1xi32>, tensor<1x32x16xf32>, tensor<1x32x16xf32>, tensor<1xi32>)
      -> (tensor<1x1x16xf32>, tensor<1x32x16xf32>, tensor<1x32x16xf32>)
  return %y#0 : tensor<1x1x16xf32>
}

// -----

// Weights in bf16, f16 and int8 (dequantized per channel or per group).
// CHECK-LABEL: func.func @low_precision_weights
// CHECK: xf.linear %{{.*}}, %{{.*}} : (tensor<2x16xf32>, tensor<16x8xbf16>) -> tensor<2x8xf32>
// CHECK: xf.linear %{{.*}}, %{{.*}} layout nk : (tensor<2x16xf32>, tensor<8x16xf16>) -> tensor<2x8xf32>
// CHECK: %[[W:.*]] = xf.dequantize %{{.*}} scales %{{.*}} axis 0 group 8 : (tensor<8x16xi8>, tensor<8x2xf32>) -> tensor<8x16xf32>
// CHECK: xf.linear %{{.*}}, %[[W]] layout nk
// CHECK: xf.dequantize %{{.*}} scales %{{.*}} axis 1 : (tensor<16x8xi8>, tensor<8xf32>) -> tensor<16x8xf32>
func.func @low_precision_weights(%x: tensor<2x16xf32>, %wb: tensor<16x8xbf16>, %wh: tensor<8x16xf16>,
                                 %q: tensor<8x16xi8>, %s: tensor<8x2xf32>, %q2: tensor<16x8xi8>, %s2: tensor<8xf32>)
    -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<16x8xf32>) {
  %0 = xf.linear %x, %wb : (tensor<2x16xf32>, tensor<16x8xbf16>) -> tensor<2x8xf32>
  %1 = xf.linear %x, %wh layout nk : (tensor<2x16xf32>, tensor<8x16xf16>) -> tensor<2x8xf32>
  %w = xf.dequantize %q scales %s axis 0 group 8 : (tensor<8x16xi8>, tensor<8x2xf32>) -> tensor<8x16xf32>
  %2 = xf.linear %x, %w layout nk : (tensor<2x16xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  %3 = xf.dequantize %q2 scales %s2 axis 1 : (tensor<16x8xi8>, tensor<8xf32>) -> tensor<16x8xf32>
  return %0, %1, %2, %3 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @linear_sparsity
func.func @linear_sparsity(%x: tensor<4x64xf32>, %w: tensor<64x32xf32>) -> tensor<4x32xf32> {
  // CHECK: xf.linear %{{.*}}, %{{.*}} act gelu sparsity <blocks [16, 32]> : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  %y = xf.linear %x, %w act gelu sparsity <blocks [16, 32]> : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
  // CHECK: xf.linear %{{.*}}, %{{.*}} layout nk sparsity <2:4> : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %wt = tensor.empty() : tensor<32x64xf32>
  %z = xf.linear %x, %wt layout nk sparsity <2:4> : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// CHECK-LABEL: func.func @activation_sparsity
func.func @activation_sparsity(%x: tensor<2x16xf32>, %wu: tensor<16x64xf32>, %wg: tensor<16x64xf32>, %wd: tensor<64x16xf32>,
                               %a: tensor<4x16xf32>, %b: tensor<64x4xf32>, %s: tensor<2x64xf32>, %n: tensor<2x8xi32>,
                               %unk: tensor<64x16xf32>, %dnk: tensor<16x64xf32>)
    -> (tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x8xi64>, tensor<2x16xf32>) {
  // CHECK: xf.mlp %{{.*}} up %{{.*}} gate %{{.*}} down %{{.*}} act silu top_k 8 predictor_features 4 :
  %0 = xf.mlp %x up %wu gate %wg down %wd act silu top_k 8 predictor_features 4
      : (tensor<2x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<2x16xf32>
  // CHECK: xf.mlp %{{.*}} up %{{.*}} down %{{.*}} act gelu layout nk top_k 8 predictor(%{{.*}}, %{{.*}}) :
  %1 = xf.mlp %x up %unk down %dnk act gelu layout nk top_k 8 predictor(%a, %b)
      : (tensor<2x16xf32>, tensor<64x16xf32>, tensor<16x64xf32>, tensor<4x16xf32>, tensor<64x4xf32>) -> tensor<2x16xf32>
  // CHECK: xf.top_k %{{.*}} k 8 : (tensor<2x64xf32>) -> tensor<2x8xi64>
  %2 = xf.top_k %s k 8 : (tensor<2x64xf32>) -> tensor<2x8xi64>
  // CHECK: xf.gather_mlp %{{.*}} neurons %{{.*}} up %{{.*}} gate %{{.*}} down %{{.*}} act silu : (tensor<2x16xf32>, tensor<2x8xi32>,
  %3 = xf.gather_mlp %x neurons %n up %wu gate %wg down %wd act silu
      : (tensor<2x16xf32>, tensor<2x8xi32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<2x16xf32>
  return %0, %1, %2, %3 : tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x8xi64>, tensor<2x16xf32>
}

// -----

// CHECK-LABEL: func.func @block_top_k
func.func @block_top_k(%x: tensor<1x4x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wu: tensor<32x64xf32>,
                       %wd: tensor<64x32xf32>, %a: tensor<32x4xf32>, %b: tensor<4x64xf32>) -> tensor<1x4x32xf32> {
  // CHECK: mlp(up %{{.*}} gate %{{.*}} down %{{.*}} top_k 8 predictor(%{{.*}}, %{{.*}}))
  %y = xf.block %x heads 4 causal norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g)
      mlp(up %wu gate %wu down %wd top_k 8 predictor(%a, %b))
      : (tensor<1x4x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x32xf32>, tensor<32x4xf32>, tensor<4x64xf32>) -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}
