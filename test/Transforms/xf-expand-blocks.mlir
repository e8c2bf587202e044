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
