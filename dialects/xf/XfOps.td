//===- XfOps.td - primitive ops of the xf dialect -----------*- tablegen -*-===//

#ifndef XF_OPS_TD
#define XF_OPS_TD

include "xf/XfOpBase.td"

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Xf_LinearOp : Xf_Op<"linear", [AttrSizedOperandSegments]> {
  let summary = "fully connected layer with an optional fused epilogue";
  let description = [{
    `y = act(x W + bias) + residual` over the last dimension of `x`.

    `x` is `[..., K]`. The weight is `[K, N]` with `layout kn` (the default)
    or `[N, K]` with `layout nk` (PyTorch's `nn.Linear.weight`). With f32
    activations the weight may be bf16 or f16 (its values are exact in f32;
    the product accumulates in f32), or int8 through `xf.dequantize`. The optional
    `bias` is `[N]`. The optional activation and residual form the epilogue
    that `xf-fuse-epilogue` folds into the GEMM; the residual has the result's
    shape. The result is `[..., N]`. `sparsity` (see `#xf.sparsity`) tells
    targets which blocks of a constant weight are zero.

    ```mlir
    %y = xf.linear %x, %w bias %b layout nk
        : (tensor<8x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<8x3072xf32>
    %z = xf.linear %h, %w2 act gelu residual %x
        : (tensor<8x3072xf32>, tensor<3072x768xf32>, tensor<8x768xf32>) -> tensor<8x768xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, Xf_FloatTensor:$weight,
                   Optional<Xf_FloatTensor>:$bias,
                   Optional<Xf_FloatTensor>:$residual,
                   DefaultValuedAttr<Xf_WeightLayoutAttr,
                                     "WeightLayout::kn">:$weight_layout,
                   OptionalAttr<Xf_ActivationAttr>:$activation,
                   OptionalAttr<Xf_SparsityAttr>:$sparsity);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? (`layout` $weight_layout^)?
    (`act` $activation^)? (`residual` $residual^)? (`sparsity` $sparsity^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

def Xf_DequantizeOp : Xf_Op<"dequantize"> {
  let summary = "int8 weights times their scales";
  let description = [{
    Symmetric quantization of a weight matrix: `q` holds signed 8-bit
    integers, dimension `axis` (0 or 1) of `q` indexes its channels and the
    other dimension is reduced over by the product that uses it. Per
    channel, `result[c, k] = q[c, k] * scales[c]` with `scales` `[C]`; with
    `group G`, per group of `G` consecutive elements along the reduced
    dimension, `result[c, k] = q[c, k] * scales[c, k floordiv G]` with
    `scales` `[C, ceildiv(K, G)]` (shown for `axis 0`; `axis 1` swaps the
    indices of `q` and `result`). There is no zero point. Scales known at
    compile time are an `arith.constant` operand (with `q` constant too,
    packed at compile time like any constant weight); there is no separate
    attribute form.

    The result is f32, the weight of an `xf.linear` (also inside `xf.mlp`
    and `xf.block`): with `layout nk` (`[N, K]`) the channels are `axis 0`,
    with `layout kn` (`[K, N]`) `axis 1`. Kernels that multiply int8 weights
    directly take the pair as one operand; the plain lowering computes the
    product in f32 from the dequantized values.

    ```mlir
    %w = xf.dequantize %q scales %s axis 0 group 64
        : (tensor<3072x768xi8>, tensor<3072x12xf32>) -> tensor<3072x768xf32>
    %y = xf.linear %x, %w layout nk
        : (tensor<8x768xf32>, tensor<3072x768xf32>) -> tensor<8x3072xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8]>:$input,
                   RankedTensorOf<[F32]>:$scales, I64Attr:$axis,
                   OptionalAttr<I64Attr>:$group_size);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `scales` $scales `axis` $axis (`group` $group_size^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Xf_MatmulOp : Xf_Op<"matmul"> {
  let summary = "batched matrix product with broadcast batch dimensions";
  let description = [{
    `C = op(A) op(B)` on the two innermost dimensions, where `op` transposes
    the operand when `transpose_lhs` / `transpose_rhs` is set. Leading batch
    dimensions broadcast as in NumPy (a size-1 or missing dimension repeats).

    ```mlir
    %s = xf.matmul %q, %k transpose_rhs
        : (tensor<2x12x64x64xf32>, tensor<2x12x64x64xf32>) -> tensor<2x12x64x64xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$lhs, Xf_FloatTensor:$rhs,
                   UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)?
    (`transpose_rhs` $transpose_rhs^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax
//===----------------------------------------------------------------------===//

def Xf_LayerNormOp : Xf_Op<"layer_norm"> {
  let summary = "layer normalization over the last dimension";
  let description = [{
    `y = (x - mean(x)) / sqrt(var(x) + eps) * weight + bias` over the last
    dimension `D` of `x` (biased variance, as PyTorch). `weight` and the
    optional `bias` are `[D]`.

    ```mlir
    %y = xf.layer_norm %x, %g, %b eps 1.0e-05
        : (tensor<8x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<8x768xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, Xf_FloatTensor:$weight,
                   Optional<Xf_FloatTensor>:$bias,
                   DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`eps` $epsilon^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Xf_RmsNormOp : Xf_Op<"rms_norm"> {
  let summary = "root-mean-square normalization over the last dimension";
  let description = [{
    `y = x / sqrt(mean(x^2) + eps) * weight` over the last dimension `D` of
    `x`; `weight` is `[D]`.

    ```mlir
    %y = xf.rms_norm %x, %g eps 1.0e-06
        : (tensor<8x4096xf32>, tensor<4096xf32>) -> tensor<8x4096xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, Xf_FloatTensor:$weight,
                   DefaultValuedAttr<F64Attr, "1e-6">:$epsilon);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`eps` $epsilon^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Xf_SoftmaxOp : Xf_Op<"softmax"> {
  let summary = "softmax along one axis";
  let description = [{
    `y = exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (default the
    last; negative values count from the end). A slice whose entries are all
    `-inf` gives zeros rather than NaN.

    ```mlir
    %p = xf.softmax %s : tensor<12x64x64xf32>
    %q = xf.softmax %s axis 0 : tensor<12x64x64xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`axis` $axis^)? attr-dict `:` type($input) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The axis as a non-negative dimension index.
    int64_t getNormalizedAxis() {
      // I64Attr getters return uint64_t; the axis is signed.
      int64_t axis = static_cast<int64_t>(getAxis());
      return axis < 0 ? axis + getInput().getType().getRank() : axis;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Pointwise activations and gated units
//===----------------------------------------------------------------------===//

def Xf_GeluOp : Xf_SameTypeOp<"gelu"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    Exact: `0.5 x (1 + erf(x / sqrt(2)))`. With `approximate tanh`:
    `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`.

    ```mlir
    %y = xf.gelu %x approximate tanh : tensor<8x3072xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input,
                   DefaultValuedAttr<Xf_GeluApproximationAttr,
                                     "GeluApproximation::none">:$approximate);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`approximate` $approximate^)? attr-dict `:` type($input)
  }];
}

def Xf_SiluOp : Xf_UnaryPointwiseOp<"silu"> {
  let summary = "sigmoid linear unit, x * sigmoid(x)";
  let description = [{
    ```mlir
    %y = xf.silu %x : tensor<8x11008xf32>
    ```
  }];
}

def Xf_ReluOp : Xf_UnaryPointwiseOp<"relu"> {
  let summary = "rectified linear unit, max(x, 0)";
  let description = [{
    Folds `relu(relu(x))` to `relu(x)`.

    ```mlir
    %y = xf.relu %x : tensor<8x3072xf32>
    ```
  }];
  let hasFolder = 1;
}

def Xf_SwigluOp : Xf_GluOp<"swiglu"> {
  let summary = "SwiGLU, silu(gate) * up";
  let description = [{
    ```mlir
    %h = xf.swiglu %gate, %up : tensor<8x11008xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$gate, Xf_FloatTensor:$up);
  let assemblyFormat = "$gate `,` $up attr-dict `:` type($gate)";
}

def Xf_GegluOp : Xf_GluOp<"geglu"> {
  let summary = "GeGLU, gelu(gate) * up";
  let description = [{
    ```mlir
    %h = xf.geglu %gate, %up approximate tanh : tensor<8x3072xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$gate, Xf_FloatTensor:$up,
                   DefaultValuedAttr<Xf_GeluApproximationAttr,
                                     "GeluApproximation::none">:$approximate);
  let assemblyFormat = [{
    $gate `,` $up (`approximate` $approximate^)? attr-dict `:` type($gate)
  }];
}

//===----------------------------------------------------------------------===//
// Positions and tokens
//===----------------------------------------------------------------------===//

def Xf_RopeOp : Xf_Op<"rope", [AttrSizedOperandSegments]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of features of every head by a position-dependent angle.
    `x` is `[..., S, H * head_dim]`: the second innermost dimension is the
    position and the innermost holds `H` heads of `head_dim` features. The
    first `rotary_dim` features of each head (default: all) are rotated, the
    rest pass through. Pair `p` (`0 <= p < rotary_dim / 2`) at position `t`
    turns by `t * theta^(-2p / rotary_dim)`; `style` picks which features form
    the pair (see `RopeStyle`). Positions are `0 .. S-1`, or read from the
    optional integer tensor `positions`: `[S]` for every batch element, or
    `[..., S]` with the input's batch dimensions (decoding with a KV cache,
    where each sequence is at its own position). With `seq_offsets` (`[B+1]`,
    rank-2 input of packed tokens, see `xf.attention`), a token's position
    counts from the start of its sequence; tokens outside every sequence are
    at position 0.

    ```mlir
    %qr = xf.rope %q head_dim 128 theta 5.0e+05
        : (tensor<1x16x4096xf32>) -> tensor<1x16x4096xf32>
    %kr = xf.rope %k positions %pos head_dim 64 style interleaved
        : (tensor<1x1x512xf32>, tensor<1xi64>) -> tensor<1x1x512xf32>
    %pr = xf.rope %t seq_offsets %cu head_dim 64
        : (tensor<40x768xf32>, tensor<4xi32>) -> tensor<40x768xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input,
                   Optional<Xf_IndexTensor>:$positions,
                   Optional<Xf_IndexTensor>:$seq_offsets,
                   I64Attr:$head_dim, OptionalAttr<I64Attr>:$rotary_dim,
                   DefaultValuedAttr<F64Attr, "10000.0">:$theta,
                   DefaultValuedAttr<Xf_RopeStyleAttr,
                                     "RopeStyle::half">:$style);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`positions` $positions^)? (`seq_offsets` $seq_offsets^)?
    `head_dim` $head_dim
    (`rotary_dim` $rotary_dim^)? (`theta` $theta^)? (`style` $style^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Number of rotated features per head.
    int64_t getEffectiveRotaryDim() {
      return getRotaryDim().value_or(getHeadDim());
    }
  }];
}

def Xf_EmbeddingOp : Xf_Op<"embedding"> {
  let summary = "table lookup of token embeddings";
  let description = [{
    `y[..., :] = table[ids[...], :]` for a `[V, D]` table and integer ids of
    any shape; the result is `ids.shape + [D]`. Ids outside `[0, V)` are
    clamped to the table so that a bad id can never read outside of it;
    `xf-run` rejects such ids in its inputs before running.

    ```mlir
    %e = xf.embedding %table, %ids
        : (tensor<50257x768xf32>, tensor<1x64xi64>) -> tensor<1x64x768xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$table, Xf_IndexTensor:$indices);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $table `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Activation sparsity
//===----------------------------------------------------------------------===//

def Xf_TopKOp : Xf_Op<"top_k"> {
  let summary = "indices of the k largest values of each row";
  let description = [{
    For `x : [..., N]`, `y : [..., k]` (i64) lists, for each row, the
    indices of its `k` largest values in increasing index order. Values are
    compared in IEEE 754 totalOrder (`-0 < +0`, NaNs at the ends by their
    sign), and ties at the k-th value go to the lower indices, so the set
    is exact: the same on every target. `1 <= k <= N`.

    ```mlir
    %i = xf.top_k %scores k 307 : (tensor<1x3072xf32>) -> tensor<1x307xi64>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, I64Attr:$k);
  let results = (outs Xf_IndexTensor:$result);
  let assemblyFormat = [{
    $input `k` $k attr-dict `:` functional-type(operands, results)
  }];
}

def Xf_GatherMlpOp : Xf_Op<"gather_mlp", [AttrSizedOperandSegments]> {
  let summary = "feed-forward network over the neurons each row selects";
  let description = [{
    `xf.mlp` restricted, for each row of `x : [..., D]`, to the hidden
    neurons that `neurons : [..., k]` lists:

    ```
    y[r] = sum_j h_r(n_rj) W_down[n_rj, :] + b_down,   n_rj = neurons[r, j]
    h_r(f) = act(x[r] W_gate[:, f] + b_gate[f]) * (x[r] W_up[:, f] + b_up[f])
    ```

    or `act(x[r] W_up[:, f] + b_up[f])` without `gate` (weights as in
    `xf.mlp`, with `layout`). A neuron listed twice counts twice. Indices
    outside `[0, F)` are clamped into it, so that no index can read outside
    the weights. Only the listed neurons' weights are read: the op that
    `xf-expand-blocks` makes of a top-k `xf.mlp`.

    ```mlir
    %y = xf.gather_mlp %x neurons %i up %wu gate %wg down %wd act silu
        : (tensor<1x512xf32>, tensor<1x137xi64>, tensor<512x1376xf32>,
           tensor<512x1376xf32>, tensor<1376x512xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$input, Xf_IndexTensor:$neurons,
                   Xf_FloatTensor:$up_weight,
                   Optional<Xf_FloatTensor>:$gate_weight,
                   Xf_FloatTensor:$down_weight,
                   Optional<Xf_FloatTensor>:$up_bias,
                   Optional<Xf_FloatTensor>:$gate_bias,
                   Optional<Xf_FloatTensor>:$down_bias,
                   Xf_ActivationAttr:$activation,
                   DefaultValuedAttr<Xf_WeightLayoutAttr,
                                     "WeightLayout::kn">:$weight_layout);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $input `neurons` $neurons `up` $up_weight (`gate` $gate_weight^)?
    `down` $down_weight (`up_bias` $up_bias^)? (`gate_bias` $gate_bias^)?
    (`down_bias` $down_bias^)? `act` $activation
    (`layout` $weight_layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

class Xf_BroadcastBinaryOp<string mnemonic, list<Trait> traits = []>
    : Xf_Op<mnemonic, !listconcat(traits, [Commutative])> {
  let arguments = (ins Xf_FloatTensor:$lhs, Xf_FloatTensor:$rhs);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Xf_AddOp : Xf_BroadcastBinaryOp<"add"> {
  let summary = "elementwise sum with NumPy broadcasting";
  let description = [{
    Folds `x + 0` (a zero splat of the result's type) to `x`.

    ```mlir
    %h = xf.add %x, %attn
        : (tensor<8x768xf32>, tensor<8x768xf32>) -> tensor<8x768xf32>
    %y = xf.add %x, %bias : (tensor<8x768xf32>, tensor<768xf32>) -> tensor<8x768xf32>
    ```
  }];
}

def Xf_MulOp : Xf_BroadcastBinaryOp<"mul"> {
  let summary = "elementwise product with NumPy broadcasting";
  let description = [{
    Folds `x * 1` (a splat of ones of the result's type) to `x`.

    ```mlir
    %y = xf.mul %s, %scale : (tensor<12x64x64xf32>, tensor<f32>) -> tensor<12x64x64xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

def Xf_CacheWriteOp : Xf_Op<"cache_write"> {
  let summary = "write new keys or values into a preallocated cache";
  let description = [{
    `cache` is `[..., C, F]`, a cache of capacity `C`; `update` is
    `[..., S, F]` with the same batch dimensions; `kv_len` (integer, the batch
    shape) is each batch element's valid length after the write. The result
    is `cache` with rows `kv_len[b] - S .. kv_len[b] - 1` of batch element
    `b` replaced by `update[b]`; rows outside `0 .. C-1` are not written.
    Compiled code writes the rows into the cache's buffer in place: when the
    cache is a function argument and the result is returned, the caller's
    buffer is updated and not copied (xf-run reports such results as written
    in place).

    ```mlir
    %kc2 = xf.cache_write %k into %kc kv_len %len
        : (tensor<2x1x256xf32>, tensor<2x4096x256xf32>, tensor<2xi32>)
          -> tensor<2x4096x256xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$update, Xf_FloatTensor:$cache,
                   Xf_IndexTensor:$kv_len);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $update `into` $cache `kv_len` $kv_len attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Xf_AttentionOp : Xf_Op<"attention", [AttrSizedOperandSegments]> {
  let summary = "multi-head scaled dot-product attention (MHA, GQA, MQA)";
  let description = [{
    `q` is `[..., Sq, H * Dh]`, `k` is `[..., Skv, Hkv * Dh]` and `v` is
    `[..., Skv, Hkv * Dv]`, with the same leading batch dimensions and the
    heads packed in the last dimension as a projection produces them. `H` is
    `heads`, `Hkv` is `kv_heads` (default `H`); `H` must be a multiple of
    `Hkv`, and query head `h` reads key/value head `h / (H / Hkv)` (grouped-
    query attention; `Hkv = 1` is multi-query attention). Per head:

    `out = softmax(scale * q k^T + mask) v`

    `scale` defaults to `1 / sqrt(Dh)`. `mask` is an optional additive tensor
    that broadcasts to `[..., H, Sq, Skv]`. The optional layout (`causal`,
    `window N`, `sinks K`, ..., see `AttentionLayoutAttr`) says which keys
    each query sees, aligned to the bottom right. A query row whose keys are
    all masked gives zeros. The result is `[..., Sq, H * Dv]`.

    Run-time operands:

    * `kv_len`: the valid keys of each batch element (an integer tensor of
      the batch shape): keys `j >= kv_len[b]` are hidden, and the layout
      aligns to the valid length (query `i` sits at position
      `i + kv_len[b] - Sq`). A preallocated cache of capacity `Skv` then
      holds `kv_len[b] <= Skv` valid entries (see `xf.cache_write`). A
      length outside `0 .. Skv` (computed in the function: an argument is
      checked where it is passed) counts as the nearest of the two.
    * `seq_offsets`: variable-length sequences packed without padding
      (FlashAttention's `cu_seqlens`). `q`, `k` and `v` are `[T, F]` packed
      tokens and `seq_offsets` is `[B+1]` non-decreasing offsets: sequence
      `s` holds the tokens `seq_offsets[s] .. seq_offsets[s+1]-1`, attends
      only within itself, and the layout applies per sequence. Tokens
      outside every sequence give zeros.
    * `block_mask %m [Bq, Bk]`: a mask of blocks computed at run time
      (BiFormer's routing, any model-made block pattern), an integer tensor
      `[..., H or 1, ceil(Sq / Bq), ceil(Skv / Bk)]`: query `i` sees key `j`
      only where block `(i / Bq, j / Bk)` is non-zero. Fused kernels skip
      the absent blocks.

    The additive mask and the block mask index the op's query and key rows;
    the layout indexes positions.

    ```mlir
    %o = xf.attention %q, %k, %v heads 32 kv_heads 8 causal
        : (tensor<1x64x4096xf32>, tensor<1x64x1024xf32>, tensor<1x64x1024xf32>)
          -> tensor<1x64x4096xf32>
    %s = xf.attention %q, %k, %v heads 32 kv_heads 8 causal window 1024 sinks 4
        : (tensor<1x64x4096xf32>, tensor<1x64x1024xf32>, tensor<1x64x1024xf32>)
          -> tensor<1x64x4096xf32>
    %o2 = xf.attention %q, %k, %v mask %m heads 12
        : (tensor<64x768xf32>, tensor<64x768xf32>, tensor<64x768xf32>,
           tensor<64x64xf32>) -> tensor<64x768xf32>
    // One decode step against a cache of 4096 entries, kv_len[b] valid.
    %o3 = xf.attention %q, %kc, %vc kv_len %len heads 12 kv_heads 4 causal
        : (tensor<2x1x768xf32>, tensor<2x4096x256xf32>,
           tensor<2x4096x256xf32>, tensor<2xi32>) -> tensor<2x1x768xf32>
    ```
  }];
  let arguments = (ins Xf_FloatTensor:$query, Xf_FloatTensor:$key,
                   Xf_FloatTensor:$value, Optional<Xf_FloatTensor>:$mask,
                   Optional<Xf_IndexTensor>:$kv_len,
                   Optional<Xf_IndexTensor>:$block_mask,
                   Optional<Xf_IndexTensor>:$seq_offsets,
                   I64Attr:$num_heads, OptionalAttr<I64Attr>:$num_kv_heads,
                   OptionalAttr<F64Attr>:$scale,
                   OptionalAttr<Xf_AttentionLayoutAttr>:$layout,
                   OptionalAttr<DenseI64ArrayAttr>:$block_mask_sizes);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? (`kv_len` $kv_len^)?
    (`block_mask` $block_mask^ $block_mask_sizes)?
    (`seq_offsets` $seq_offsets^)? `heads` $num_heads
    (`kv_heads` $num_kv_heads^)? (`scale` $scale^)?
    custom<Layout>($layout) attr-dict `:`
    functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    int64_t getEffectiveNumKvHeads() {
      return getNumKvHeads().value_or(getNumHeads());
    }
    /// Per-head feature size of queries and keys (dynamic if unknown).
    int64_t getHeadDim();
    /// The scale applied to q k^T, if known statically.
    std::optional<double> getEffectiveScale();
    /// Which keys each query sees (dense without a layout).
    AttentionLayout getEffectiveLayout() { return layoutOf(getLayoutAttr()); }
  }];
}

#endif // XF_OPS_TD
