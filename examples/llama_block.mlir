// A LLaMA-style transformer block: RMSNorm before attention and MLP,
// rotary position embeddings on q and k, grouped-query attention with 8
// query heads sharing 2 key/value heads (head size 64), causal, a SwiGLU
// MLP of hidden size 1408, and no biases. Weights are [out, in] (layout
// nk), as Hugging Face LLaMA checkpoints store them.
//
//   xf-run examples/llama_block.mlir --check --bench 10
func.func @llama_block(
    %x: tensor<1x64x512xf32>,
    %attn_norm: tensor<512xf32>,
    %wq: tensor<512x512xf32>, %wk: tensor<128x512xf32>,
    %wv: tensor<128x512xf32>, %wo: tensor<512x512xf32>,
    %ffn_norm: tensor<512xf32>,
    %w_up: tensor<1408x512xf32>, %w_gate: tensor<1408x512xf32>,
    %w_down: tensor<512x1408xf32>) -> tensor<1x64x512xf32> {
  %y = xf.block %x heads 8 kv_heads 2 causal norm rms_norm pre eps 1.0e-05
      act silu rope_theta 1.0e+04 layout nk
      norm1(%attn_norm) attn(%wq, %wk, %wv, %wo)
      norm2(%ffn_norm) mlp(up %w_up gate %w_gate down %w_down)
      : (tensor<1x64x512xf32>, tensor<512xf32>,
         tensor<512x512xf32>, tensor<128x512xf32>, tensor<128x512xf32>, tensor<512x512xf32>,
         tensor<512xf32>, tensor<1408x512xf32>, tensor<1408x512xf32>, tensor<512x1408xf32>)
        -> tensor<1x64x512xf32>
  return %y : tensor<1x64x512xf32>
}
