//===- XfCompositeOps.td - composite ops of the xf dialect -*- tablegen -*-===//
//
// Composite ops describe a whole MLP or transformer block in one op.
// `xf-expand-blocks` rewrites them into the primitives of XfOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef XF_COMPOSITE_OPS_TD
#define XF_COMPOSITE_OPS_TD

include "xf/XfOpBase.td"

def Xf_MlpOp : Xf_Op<"mlp", [AttrSizedOperandSegments]> {
  let summary = "feed-forward network, dense or gated";
  let description = [{
    Dense: `y = act(x W_up + b_up) W_down + b_down`.
    Gated (when `gate` is given): `y = (act(x W_gate + b_gate) * (x W_up +
    b_up)) W_down + b_down`, which is SwiGLU with `act silu` and GeGLU with
    `act gelu`. Biases are optional. All weights use `layout` (see
    `WeightLayout`): with `kn`, `W_up` and `W_gate` are `[D, F]` and `W_down`
    is `[F, D]`.

    Top-k (activation sparsity, as in Spark Transformer and Deja Vu): with
    `top_k k`, each row keeps only `k` of the `F` hidden neurons, those with
    the largest predictor scores (chosen as `xf.top_k` defines, ties to the
    lower index), and the others contribute nothing (see `xf.gather_mlp`).
    The scores are either `predictor_features r`, the product of the first
    `r` input features with the first `r` rows of `W_gate` (`W_up` when not
    gated) and no bias, `x[..., :r] W[:r, :]`; or `predictor(%a, %b)`, a
    low-rank predictor `(x A) B` with `A : [D, R]` and `B : [R, F]` in
    `layout`.

    ```mlir
    %y = xf.mlp %x up %w1 down %w2 up_bias %b1 down_bias %b2 act gelu
        : (tensor<8x768xf32>, tensor<768x3072xf32>, tensor<3072x768xf32>,
           tensor<3072xf32>, tensor<768xf32>) -> tensor<8x768xf32>
    %z = xf.mlp %x up %wu gate %wg down %wd act silu
        : (tensor<8x512xf32>, tensor<512x1376xf32>, tensor<512x1376xf32>,
           tensor<1376x512xf32>) -> tensor<8x512xf32>
    %t = xf.mlp %x up %wu gate %wg down %wd act silu top_k 137
        predictor_features 128
        : (tensor<1x512xf32>, tensor<512x1376xf32>, tensor<512x1376xf32>,
           tensor<1376x512xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, Xf_FloatTensor:$up_weight,
                   Optional<Xf_FloatTensor>:$gate_weight,
                   Xf_FloatTensor:$down_weight,
                   Optional<Xf_FloatTensor>:$up_bias,
                   Optional<Xf_FloatTensor>:$gate_bias,
                   Optional<Xf_FloatTensor>:$down_bias,
                   Optional<Xf_FloatTensor>:$predictor_in,
                   Optional<Xf_FloatTensor>:$predictor_out,
                   Xf_ActivationAttr:$activation,
                   DefaultValuedAttr<Xf_WeightLayoutAttr,
                                     "WeightLayout::kn">:$weight_layout,
                   OptionalAttr<I64Attr>:$top_k,
                   OptionalAttr<I64Attr>:$predictor_features);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `up` $up_weight (`gate` $gate_weight^)? `down` $down_weight
    (`up_bias` $up_bias^)? (`gate_bias` $gate_bias^)?
    (`down_bias` $down_bias^)? `act` $activation
    (`layout` $weight_layout^)? (`top_k` $top_k^)?
    (`predictor_features` $predictor_features^)?
    (`predictor` `(` $predictor_in^ `,` $predictor_out `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Xf_BlockOp : Xf_Op<"block", [AttrSizedOperandSegments]> {
  let summary = "transformer block: attention and MLP with residuals";
  let description = [{
    One transformer layer on `x : [..., S, D]`, expanded by `xf-expand-blocks`
    into primitives. With `norm ... pre` (GPT-2, LLaMA):

    ```
    h = x + attn(norm1(x));  y = h + mlp(norm2(h))
    ```

    with `norm ... post` (BERT, ViT-style post-norm, the original Transformer):

    ```
    h = norm1(x + attn(x));  y = norm2(h + mlp(h))
    ```

    `attn(t) = attention(rope(t Wq + bq), rope(t Wk + bk), t Wv + bv) Wo + bo`
    where `rope` only applies when `rope_theta` is set, and the attention has
    the given `heads`, `kv_heads`, `scale`, layout and optional
    additive `mask` operand (see `xf.attention`). `mlp` is `xf.mlp` with
    `act`, gated when `gate` is given. `norm` is `layer_norm` (bias optional)
    or `rms_norm` (no bias) with epsilon `eps`. All biases are optional and
    independent (for example Qwen has q/k/v biases but no output bias).
    `top_k`, `predictor_features` and `predictor(...)` inside `mlp(...)`
    make the MLP a top-k MLP, as on `xf.mlp`.
    Weights use `layout` (see `WeightLayout`); with `kn`, `Wq` is
    `[D, H * Dh]`, `Wk`/`Wv` are `[D, Hkv * Dh]` and `Wo` is `[H * Dh, D]`.

    Decoding and packed batches:

    * `positions %p` gives RoPE's positions (`[S]` or `[..., S]`, see
      `xf.rope`); without it they are `0 .. S-1`.
    * `kv_cache(%kc, %vc) kv_len %L` attends over preallocated caches
      `[..., C, Hkv * Dh]` and `[..., C, Hkv * Dv]`: the step's keys and
      values are written into rows `L[b] - S .. L[b] - 1` (`xf.cache_write`)
      and the attention sees the first `L[b]` rows (`kv_len`). The block
      then has three results: `y` and the two updated caches, written in
      place.
    * `seq_offsets %cu` runs the block on packed tokens `[T, D]` of
      sequences of different lengths (see `xf.attention`); RoPE positions
      count from each sequence's start.

    ```mlir
    %y = xf.block %x heads 32 kv_heads 8 causal norm rms_norm pre eps 1.0e-05
        act silu rope_theta 5.0e+05
        norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2)
        mlp(up %wu gate %wg down %wd)
        : (...) -> tensor<1x64x4096xf32>
    %z, %kc2, %vc2 = xf.block %t heads 32 kv_heads 8 causal norm rms_norm pre
        act silu rope_theta 5.0e+05
        norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2)
        mlp(up %wu gate %wg down %wd) positions %pos
        kv_cache(%kc, %vc) kv_len %len
        : (...) -> (tensor<1x1x4096xf32>, tensor<1x2048x1024xf32>,
                    tensor<1x2048x1024xf32>)
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input,
      Xf_FloatTensor:$norm1_weight, Optional<Xf_FloatTensor>:$norm1_bias,
      Xf_FloatTensor:$q_weight, Xf_FloatTensor:$k_weight,
      Xf_FloatTensor:$v_weight, Xf_FloatTensor:$o_weight,
      Optional<Xf_FloatTensor>:$q_bias, Optional<Xf_FloatTensor>:$k_bias,
      Optional<Xf_FloatTensor>:$v_bias, Optional<Xf_FloatTensor>:$o_bias,
      Xf_FloatTensor:$norm2_weight, Optional<Xf_FloatTensor>:$norm2_bias,
      Xf_FloatTensor:$up_weight, Optional<Xf_FloatTensor>:$gate_weight,
      Xf_FloatTensor:$down_weight, Optional<Xf_FloatTensor>:$up_bias,
      Optional<Xf_FloatTensor>:$gate_bias,
      Optional<Xf_FloatTensor>:$down_bias, Optional<Xf_FloatTensor>:$mask,
      Optional<Xf_IndexTensor>:$positions,
      Optional<Xf_FloatTensor>:$key_cache,
      Optional<Xf_FloatTensor>:$value_cache, Optional<Xf_IndexTensor>:$kv_len,
      Optional<Xf_IndexTensor>:$seq_offsets,
      Optional<Xf_FloatTensor>:$predictor_in,
      Optional<Xf_FloatTensor>:$predictor_out,
      I64Attr:$num_heads, OptionalAttr<I64Attr>:$num_kv_heads,
      OptionalAttr<F64Attr>:$scale,
      OptionalAttr<Xf_AttentionLayoutAttr>:$layout, Xf_NormKindAttr:$norm_kind,
      Xf_NormPlacementAttr:$norm_placement,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon,
      Xf_ActivationAttr:$activation, OptionalAttr<F64Attr>:$rope_theta,
      OptionalAttr<I64Attr>:$rotary_dim,
      DefaultValuedAttr<Xf_RopeStyleAttr, "RopeStyle::half">:$rope_style,
      DefaultValuedAttr<Xf_WeightLayoutAttr,
                        "WeightLayout::kn">:$weight_layout,
      OptionalAttr<I64Attr>:$top_k,
      OptionalAttr<I64Attr>:$predictor_features);
  let results = (outs Variadic<Xf_FloatTensor>:$results);
  let assemblyFormat = [{
    $input `heads` $num_heads (`kv_heads` $num_kv_heads^)?
    (`scale` $scale^)? custom<Layout>($layout)
    `norm` $norm_kind $norm_placement (`eps` $epsilon^)? `act` $activation
    (`rope_theta` $rope_theta^)? (`rotary_dim` $rotary_dim^)?
    (`rope_style` $rope_style^)? (`layout` $weight_layout^)?
    `norm1` `(` $norm1_weight (`,` $norm1_bias^)? `)`
    `attn` `(` $q_weight `,` $k_weight `,` $v_weight `,` $o_weight `)`
    (`q_bias` $q_bias^)? (`k_bias` $k_bias^)? (`v_bias` $v_bias^)?
    (`o_bias` $o_bias^)?
    `norm2` `(` $norm2_weight (`,` $norm2_bias^)? `)`
    `mlp` `(` `up` $up_weight (`gate` $gate_weight^)? `down` $down_weight
    (`up_bias` $up_bias^)? (`gate_bias` $gate_bias^)?
    (`down_bias` $down_bias^)? (`top_k` $top_k^)?
    (`predictor_features` $predictor_features^)?
    (`predictor` `(` $predictor_in^ `,` $predictor_out `)`)? `)`
    (`mask` $mask^)?
    (`positions` $positions^)?
    (`kv_cache` `(` $key_cache^ `,` $value_cache `)` `kv_len` $kv_len)?
    (`seq_offsets` $seq_offsets^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The block's output (the updated caches follow it with kv_cache).
    ::mlir::TypedValue<::mlir::RankedTensorType> getOutput() {
      return ::llvm::cast<::mlir::TypedValue<::mlir::RankedTensorType>>(
          getResults().front());
    }
  }];
}

#endif // XF_COMPOSITE_OPS_TD
