// A BERT-base encoder layer: d = 768, 12 heads, exact GELU MLP of 3072,
// bidirectional (non-causal) attention with an additive padding mask per
// sequence, and LayerNorm after each residual add (post-norm), on a batch
// of 2 sequences of 32 tokens. Weights are [out, in] (layout nk), as
// PyTorch's nn.Linear stores them.
//
//   xf-run examples/encoder_block.mlir --check --bench 10
func.func @encoder_block(
    %x: tensor<2x32x768xf32>, %mask: tensor<2x1x1x32xf32>,
    %wq: tensor<768x768xf32>, %wk: tensor<768x768xf32>,
    %wv: tensor<768x768xf32>, %wo: tensor<768x768xf32>,
    %bq: tensor<768xf32>, %bk: tensor<768xf32>, %bv: tensor<768xf32>,
    %bo: tensor<768xf32>,
    %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
    %w1: tensor<3072x768xf32>, %w2: tensor<768x3072xf32>,
    %b1: tensor<3072xf32>, %b2: tensor<768xf32>,
    %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>) -> tensor<2x32x768xf32> {
  %y = xf.block %x heads 12 norm layer_norm post eps 1.0e-12 act gelu layout nk
      norm1(%ln1_g, %ln1_b) attn(%wq, %wk, %wv, %wo)
      q_bias %bq k_bias %bk v_bias %bv o_bias %bo
      norm2(%ln2_g, %ln2_b) mlp(up %w1 down %w2 up_bias %b1 down_bias %b2)
      mask %mask
      : (tensor<2x32x768xf32>, tensor<768xf32>, tensor<768xf32>,
         tensor<768x768xf32>, tensor<768x768xf32>, tensor<768x768xf32>, tensor<768x768xf32>,
         tensor<768xf32>, tensor<768xf32>, tensor<768xf32>, tensor<768xf32>,
         tensor<768xf32>, tensor<768xf32>,
         tensor<3072x768xf32>, tensor<768x3072xf32>, tensor<3072xf32>, tensor<768xf32>,
         tensor<2x1x1x32xf32>)
        -> tensor<2x32x768xf32>
  return %y : tensor<2x32x768xf32>
}
