// A GPT-2 small transformer block: d = 768, 12 heads of 64, MLP 3072 with
// GPT-2's tanh-approximated GELU, LayerNorm before attention and MLP
// (pre-norm), causal self-attention, biases everywhere. Weights are
// [in, out] (layout kn), as GPT-2's Conv1D checkpoints store them.
//
//   xf-run examples/gpt2_block.mlir --check --bench 10
//
// The weights are arguments here so that xf-run can draw them at random or
// read a checkpoint's arrays with --input (test/e2e/torch does that).
func.func @gpt2_block(
    %x: tensor<1x64x768xf32>,
    %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
    %wq: tensor<768x768xf32>, %wk: tensor<768x768xf32>,
    %wv: tensor<768x768xf32>, %wo: tensor<768x768xf32>,
    %bq: tensor<768xf32>, %bk: tensor<768xf32>, %bv: tensor<768xf32>,
    %bo: tensor<768xf32>,
    %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>,
    %w_fc: tensor<768x3072xf32>, %w_proj: tensor<3072x768xf32>,
    %b_fc: tensor<3072xf32>, %b_proj: tensor<768xf32>) -> tensor<1x64x768xf32> {
  %y = xf.block %x heads 12 causal norm layer_norm pre eps 1.0e-05
      act gelu_tanh
      norm1(%ln1_g, %ln1_b) attn(%wq, %wk, %wv, %wo)
      q_bias %bq k_bias %bk v_bias %bv o_bias %bo
      norm2(%ln2_g, %ln2_b) mlp(up %w_fc down %w_proj up_bias %b_fc down_bias %b_proj)
      : (tensor<1x64x768xf32>, tensor<768xf32>, tensor<768xf32>,
         tensor<768x768xf32>, tensor<768x768xf32>, tensor<768x768xf32>, tensor<768x768xf32>,
         tensor<768xf32>, tensor<768xf32>, tensor<768xf32>, tensor<768xf32>,
         tensor<768xf32>, tensor<768xf32>,
         tensor<768x3072xf32>, tensor<3072x768xf32>, tensor<3072xf32>, tensor<768xf32>)
        -> tensor<1x64x768xf32>
  return %y : tensor<1x64x768xf32>
}
