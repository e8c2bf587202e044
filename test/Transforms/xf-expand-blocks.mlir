// RUN: xf-opt %s --split-input-file --xf-expand-blocks | FileCheck %s

// Pre-norm: h = x + attn(norm1(x)); y = h + mlp(norm2(h)).
// CHECK-LABEL: func.func @pre_norm_block
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8x32xf32>, %[[G1:[^:]*]]: tensor<32xf32>, %[[B1:[^:]*]]: tensor<32xf32>, %[[WQ:[^:]*]]: tensor<32x32xf32>, %[[WK:[^:]*]]: tensor<32x16xf32>, %[[WV:[^:]*]]: tensor<32x16xf32>, %[[WO:[^:]*]]: tensor<32x32xf32>, %[[BQ:[^:]*]]: tensor<32xf32>, %[[G2:[^:]*]]: tensor<32xf32>, %[[B2:[^:]*]]: tensor<32xf32>, %[[W1:[^:]*]]: tensor<32x64xf32>, %[[W2:[^:]*]]: tensor<64x32xf32>, %[[BU:[^:]*]]: tensor<64xf32>, %[[BD:[^:]*]]: tensor<32xf32>)
// CHECK:      %[[N1:.*]] = xf.layer_norm %[[X]], %[[G1]], %[[B1]] :
// CHECK-NEXT: %[[Q:.*]] = xf.linear %[[N1]], %[[WQ]] bias %[[BQ]] :
// CHECK-NEXT: %[[K:.*]] = xf.linear %[[N1]], %[[WK]] :
// CHECK-NEXT: %[[V:.*]] = xf.linear %[[N1]], %[[WV]] :
// CHECK-NEXT: %[[A:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] heads 4 kv_heads 2 causal :
// CHECK-NEXT: %[[O:.*]] = xf.linear %[[A]], %[[WO]] :
// CHECK-NEXT: %[[H:.*]] = xf.add %[[X]], %[[O]] :
// CHECK-NEXT: %[[N2:.*]] = xf.layer_norm %[[H]], %[[G2]], %[[B2]] :
// CHECK-NEXT: %[[U:.*]] = xf.linear %[[N2]], %[[W1]] bias %[[BU]] :
// CHECK-NEXT: %[[ACT:.*]] = xf.gelu %[[U]] approximate tanh :
// CHECK-NEXT: %[[D:.*]] = xf.linear %[[ACT]], %[[W2]] bias %[[BD]] :
// CHECK-NEXT: %[[Y:.*]] = xf.add %[[H]], %[[D]] :
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: xf.block
func.func @pre_norm_block(%x: tensor<1x8x32xf32>, %g1: tensor<32xf32>, %b1: tensor<32xf32>,
    %wq: tensor<32x32xf32>, %wk: tensor<32x16xf32>, %wv: tensor<32x16xf32>, %wo: tensor<32x32xf32>,
    %bq: tensor<32xf32>, %g2: tensor<32xf32>, %b2: tensor<32xf32>, %w1: tensor<32x64xf32>,
    %w2: tensor<64x32xf32>, %bu: tensor<64xf32>, %bd: tensor<32xf32>) -> tensor<1x8x32xf32> {
  %y = xf.block %x heads 4 kv_heads 2 causal norm layer_norm pre act gelu_tanh
      norm1(%g1, %b1) attn(%wq, %wk, %wv, %wo) q_bias %bq norm2(%g2, %b2)
      mlp(up %w1 down %w2 up_bias %bu down_bias %bd)
      : (tensor<1x8x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x16xf32>,
         tensor<32x16xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>,
         tensor<32x64xf32>, tensor<64x32xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
  return %y : tensor<1x8x32xf32>
}

// -----

// Post-norm: h = norm1(x + attn(x)); y = norm2(h + mlp(h)), here with RMSNorm,
// rope on q and k, a sliding window, an additive mask and a SwiGLU MLP.
// CHECK-LABEL: func.func @post_norm_block
// CHECK-SAME: (%[[X:[^:]*]]: tensor<8x32xf32>, %[[G:[^:]*]]: tensor<32xf32>, %[[W:[^:]*]]: tensor<32x32xf32>, %[[WU:[^:]*]]: tensor<64x32xf32>, %[[WD:[^:]*]]: tensor<32x64xf32>, %[[M:[^:]*]]: tensor<8x8xf32>)
// CHECK:      %[[Q:.*]] = xf.linear %[[X]], %[[W]] layout nk :
// CHECK-NEXT: %[[K:.*]] = xf.linear %[[X]], %[[W]] layout nk :
// CHECK-NEXT: %[[V:.*]] = xf.linear %[[X]], %[[W]] layout nk :
// CHECK-NEXT: %[[QR:.*]] = xf.rope %[[Q]] head_dim 8 rotary_dim 4 theta 5.000000e+05 style interleaved :
// CHECK-NEXT: %[[KR:.*]] = xf.rope %[[K]] head_dim 8 rotary_dim 4 theta 5.000000e+05 style interleaved :
// CHECK-NEXT: %[[A:.*]] = xf.attention %[[QR]], %[[KR]], %[[V]] mask %[[M]] heads 4 scale 2.500000e-01 window 3 :
// CHECK-NEXT: %[[O:.*]] = xf.linear %[[A]], %[[W]] layout nk :
// CHECK-NEXT: %[[S1:.*]] = xf.add %[[X]], %[[O]] :
// CHECK-NEXT: %[[H:.*]] = xf.rms_norm %[[S1]], %[[G]] :
// CHECK-NEXT: %[[GT:.*]] = xf.linear %[[H]], %[[WU]] layout nk :
// CHECK-NEXT: %[[UP:.*]] = xf.linear %[[H]], %[[WU]] layout nk :
// CHECK-NEXT: %[[SW:.*]] = xf.swiglu %[[GT]], %[[UP]] :
// CHECK-NEXT: %[[D:.*]] = xf.linear %[[SW]], %[[WD]] layout nk :
// CHECK-NEXT: %[[S2:.*]] = xf.add %[[H]], %[[D]] :
// CHECK-NEXT: %[[Y:.*]] = xf.rms_norm %[[S2]], %[[G]] :
// CHECK-NEXT: return %[[Y]]
func.func @post_norm_block(%x: tensor<8x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>,
    %wu: tensor<64x32xf32>, %wd: tensor<32x64xf32>, %m: tensor<8x8xf32>) -> tensor<8x32xf32> {
  %y = xf.block %x heads 4 scale 0.25 window 3 norm rms_norm post eps 1.0e-6 act silu
      rope_theta 500000.0 rotary_dim 4 rope_style interleaved layout nk
      norm1(%g) attn(%w, %w, %w, %w) norm2(%g) mlp(up %wu gate %wu down %wd) mask %m
      : (tensor<8x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<32x64xf32>,
         tensor<8x8xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// CHECK-LABEL: func.func @dense_mlp
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[W1:[^:]*]]: tensor<16x64xf32>, %[[W2:[^:]*]]: tensor<64x16xf32>)
// CHECK:      %[[U:.*]] = xf.linear %[[X]], %[[W1]] :
// CHECK-NEXT: %[[R:.*]] = xf.relu %[[U]] :
// CHECK-NEXT: %[[D:.*]] = xf.linear %[[R]], %[[W2]] :
// CHECK-NEXT: return %[[D]]
func.func @dense_mlp(%x: tensor<4x16xf32>, %w1: tensor<16x64xf32>, %w2: tensor<64x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %w1 down %w2 act relu
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A gated MLP with relu has no dedicated GLU op: relu(gate) * up.
// CHECK-LABEL: func.func @gated_relu_mlp
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[WU:[^:]*]]: tensor<16x64xf32>, %[[WG:[^:]*]]: tensor<16x64xf32>, %[[WD:[^:]*]]: tensor<64x16xf32>, %[[BG:[^:]*]]: tensor<64xf32>)
// CHECK:      %[[G:.*]] = xf.linear %[[X]], %[[WG]] bias %[[BG]] :
// CHECK-NEXT: %[[U:.*]] = xf.linear %[[X]], %[[WU]] :
// CHECK-NEXT: %[[R:.*]] = xf.relu %[[G]] :
// CHECK-NEXT: %[[M:.*]] = xf.mul %[[R]], %[[U]] :
// CHECK-NEXT: xf.linear %[[M]], %[[WD]] :
func.func @gated_relu_mlp(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wg: tensor<16x64xf32>,
                          %wd: tensor<64x16xf32>, %bg: tensor<64xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %wu gate %wg down %wd gate_bias %bg act relu
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<64xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @geglu_mlp
// CHECK: xf.geglu %{{.*}}, %{{.*}} :
// CHECK-LABEL: func.func @geglu_tanh_mlp
// CHECK: xf.geglu %{{.*}}, %{{.*}} approximate tanh :
func.func @geglu_mlp(%x: tensor<4x16xf32>, %w: tensor<16x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %w gate %w down %w act gelu
      : (tensor<4x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}
func.func @geglu_tanh_mlp(%x: tensor<4x16xf32>, %w: tensor<16x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %w gate %w down %w act gelu_tanh
      : (tensor<4x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Top-k with the gate's leading features as the predictor: the input and
// the weight sliced, the selection, the MLP over the selected neurons.
// CHECK-LABEL: func.func @top_k_features
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[WU:[^:]*]]: tensor<16x64xf32>, %[[WG:[^:]*]]: tensor<16x64xf32>, %[[WD:[^:]*]]: tensor<64x16xf32>)
// CHECK:      %[[XS:.*]] = tensor.extract_slice %[[X]][0, 0] [4, 4] [1, 1]
// CHECK-NEXT: %[[WS:.*]] = tensor.extract_slice %[[WG]][0, 0] [4, 64] [1, 1]
// CHECK-NEXT: %[[S:.*]] = xf.linear %[[XS]], %[[WS]] : (tensor<4x4xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
// CHECK-NEXT: %[[N:.*]] = xf.top_k %[[S]] k 8 : (tensor<4x64xf32>) -> tensor<4x8xi64>
// CHECK-NEXT: xf.gather_mlp %[[X]] neurons %[[N]] up %[[WU]] gate %[[WG]] down %[[WD]] act silu :
// CHECK-NOT:  xf.mlp
func.func @top_k_features(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wg: tensor<16x64xf32>,
                          %wd: tensor<64x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %wu gate %wg down %wd act silu top_k 8 predictor_features 4
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A constant weight gives a constant predictor (its leading columns with
// layout nk), so that targets pack it at compile time.
// CHECK-LABEL: func.func @top_k_constant_nk
// CHECK:      %[[P:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [9.000000e+00, 1.000000e+01]]> : tensor<3x2xf32>
// CHECK:      %[[XS:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<1x2x4xf32> to tensor<1x2x2xf32>
// CHECK:      %[[S:.*]] = xf.linear %[[XS]], %[[P]] layout nk : (tensor<1x2x2xf32>, tensor<3x2xf32>) -> tensor<1x2x3xf32>
// CHECK-NEXT: xf.top_k %[[S]] k 2 : (tensor<1x2x3xf32>) -> tensor<1x2x2xi64>
func.func @top_k_constant_nk(%x: tensor<1x2x4xf32>, %wd: tensor<4x3xf32>) -> tensor<1x2x4xf32> {
  %wu = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %0 = xf.mlp %x up %wu down %wd act relu layout nk top_k 2 predictor_features 2
      : (tensor<1x2x4xf32>, tensor<3x4xf32>, tensor<4x3xf32>) -> tensor<1x2x4xf32>
  return %0 : tensor<1x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @top_k_low_rank
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[WU:[^:]*]]: tensor<16x64xf32>, %[[WD:[^:]*]]: tensor<64x16xf32>, %[[B:[^:]*]]: tensor<64xf32>, %[[A:[^:]*]]: tensor<16x4xf32>, %[[P:[^:]*]]: tensor<4x64xf32>)
// CHECK:      %[[L:.*]] = xf.linear %[[X]], %[[A]] :
// CHECK-NEXT: %[[S:.*]] = xf.linear %[[L]], %[[P]] :
// CHECK-NEXT: %[[N:.*]] = xf.top_k %[[S]] k 5 :
// CHECK-NEXT: xf.gather_mlp %[[X]] neurons %[[N]] up %[[WU]] down %[[WD]] up_bias %[[B]] act gelu :
func.func @top_k_low_rank(%x: tensor<4x16xf32>, %wu: tensor<16x64xf32>, %wd: tensor<64x16xf32>,
                          %b: tensor<64xf32>, %a: tensor<16x4xf32>, %p: tensor<4x64xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %wu down %wd up_bias %b act gelu top_k 5 predictor(%a, %p)
      : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<16x4xf32>, tensor<4x64xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A block's top-k MLP expands as xf.mlp's does, on the normalized input.
// CHECK-LABEL: func.func @block_top_k
// CHECK:      %[[H:.*]] = xf.add
// CHECK-NEXT: %[[N2:.*]] = xf.rms_norm %[[H]], %{{.*}} eps
// CHECK-NEXT: %[[XS:.*]] = tensor.extract_slice %[[N2]][0, 0, 0] [1, 4, 8] [1, 1, 1]
// CHECK:      %[[S:.*]] = xf.linear %[[XS]], %{{.*}} : (tensor<1x4x8xf32>, tensor<8x64xf32>) -> tensor<1x4x64xf32>
// CHECK-NEXT: %[[I:.*]] = xf.top_k %[[S]] k 8 :
// CHECK-NEXT: %[[M:.*]] = xf.gather_mlp %[[N2]] neurons %[[I]] up
// CHECK-NEXT: xf.add %[[H]], %[[M]]
func.func @block_top_k(%x: tensor<1x4x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>, %wu: tensor<32x64xf32>,
                       %wd: tensor<64x32xf32>) -> tensor<1x4x32xf32> {
  %y = xf.block %x heads 4 causal norm rms_norm pre act silu norm1(%g) attn(%w, %w, %w, %w) norm2(%g)
      mlp(up %wu gate %wu down %wd top_k 8 predictor_features 8)
      : (tensor<1x4x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x32xf32>) -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}
