// One decode step of a LLaMA-style block (d=768, 12 heads, 4 KV heads of
// size 64, SwiGLU FFN 2048, RMSNorm, RoPE) for a batch of 2 sequences,
// against preallocated KV caches of 4096 tokens per sequence. %len holds
// each sequence's valid cache length, %pos the new token's position; the
// step writes the new keys and values into the caches in place (results
// #1 and #2 are the caches themselves) and attends over len + 1 tokens.
//
//   xf-run examples/llama_decode_step.mlir --check --bench 20
func.func @decode_step(
    %x: tensor<2x1x768xf32>,
    %attn_norm: tensor<768xf32>,
    %wq: tensor<768x768xf32>, %wk: tensor<256x768xf32>,
    %wv: tensor<256x768xf32>, %wo: tensor<768x768xf32>,
    %ffn_norm: tensor<768xf32>,
    %w_up: tensor<2048x768xf32>, %w_gate: tensor<2048x768xf32>,
    %w_down: tensor<768x2048xf32>,
    %pos: tensor<2x1xi32>, %kc: tensor<2x4096x256xf32>,
    %vc: tensor<2x4096x256xf32>, %len: tensor<2xi32>)
    -> (tensor<2x1x768xf32>, tensor<2x4096x256xf32>, tensor<2x4096x256xf32>) {
  %y:3 = xf.block %x heads 12 kv_heads 4 causal norm rms_norm pre eps 1.0e-05
      act silu rope_theta 1.0e+04 layout nk
      norm1(%attn_norm) attn(%wq, %wk, %wv, %wo)
      norm2(%ffn_norm) mlp(up %w_up gate %w_gate down %w_down)
      positions %pos kv_cache(%kc, %vc) kv_len %len
      : (tensor<2x1x768xf32>, tensor<768xf32>,
         tensor<768x768xf32>, tensor<256x768xf32>, tensor<256x768xf32>, tensor<768x768xf32>,
         tensor<768xf32>, tensor<2048x768xf32>, tensor<2048x768xf32>, tensor<768x2048xf32>,
         tensor<2x1xi32>, tensor<2x4096x256xf32>, tensor<2x4096x256xf32>, tensor<2xi32>)
        -> (tensor<2x1x768xf32>, tensor<2x4096x256xf32>, tensor<2x4096x256xf32>)
  return %y#0, %y#1, %y#2 : tensor<2x1x768xf32>, tensor<2x4096x256xf32>, tensor<2x4096x256xf32>
}
