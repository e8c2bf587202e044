//===- Passes.td - xf graph-level passes (xf -> xf) --------*- tablegen -*-===//

#ifndef XF_TRANSFORMS_PASSES_TD
#define XF_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def XfExpandBlocks : Pass<"xf-expand-blocks"> {
  let summary = "Expand xf.block and xf.mlp into xf primitives";
  let description = [{
    Rewrites the composite ops into the primitives they are defined by, so
    that the fusion passes and the lowering see ordinary linear layers,
    norms, attention and residual adds. A pre-norm block becomes

    ```mlir
    %n1 = xf.layer_norm %x, %g1, %b1 ...
    %q  = xf.linear %n1, %wq bias %bq ...       // likewise %k, %v
    %a  = xf.attention %q, %k, %v heads 12 causal ...
    %o  = xf.linear %a, %wo bias %bo ...
    %h  = xf.add %x, %o ...
    %n2 = xf.layer_norm %h, %g2, %b2 ...
    %u  = xf.linear %n2, %w1 bias %b1 ...
    %g  = xf.gelu %u ...
    %d  = xf.linear %g, %w2 bias %b2 ...
    %y  = xf.add %h, %d ...
    ```

    with `xf.rope` on q and k when the block has `rope_theta`, and
    `xf.swiglu` / `xf.geglu` for gated MLPs. A top-k `xf.mlp` becomes its
    predictor (linears on the leading features and weight rows, a new
    constant when the weight is one), `xf.top_k` and `xf.gather_mlp`.
  }];
  let dependentDialects = ["::mlir::xf::XfDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def XfOutlineLayers : Pass<"xf-outline-layers", "::mlir::ModuleOp"> {
  let summary = "Compile identical transformer layers once and call them";
  let description = [{
    A model is a chain of layers that differ only in their weights; compiled
    as written, each `xf.block` is expanded, fused and code-generated again,
    so compile time and code size grow with depth. This pass groups the
    `xf.block` ops of a function that are identical up to their operands
    (same attributes, operand and result types), and turns each group of at
    least `min-repeats` into one private function, `@<function>_layer<N>`,
    taking every operand (the weights included) as an argument, a weight
    given through `xf.dequantize` as its int8 values and scales with the
    dequantize inside (so that the layer's GEMMs read int8); each block
    becomes a `func.call`:

    ```mlir
    %h0 = xf.block %x heads 12 ... norm1(%g0, %b0) attn(%wq0, ...) ...
    %h1 = xf.block %h0 heads 12 ... norm1(%g1, %b1) attn(%wq1, ...) ...
    // becomes
    %h0 = call @model_layer0(%x, %g0, %b0, %wq0, ...)
    %h1 = call @model_layer0(%h0, %g1, %b1, %wq1, ...)
    func.func private @model_layer0(%x: ..., %g: ..., ...) {
      %y = xf.block %x heads 12 ... norm1(%g, %b) attn(%wq, ...) ...
      return %y
    }
    ```

    A function without blocks (a model imported from ONNX is primitives) is
    searched for the run of ops that repeats back to back at least
    `min-repeats` times and covers at least half the function (its layers):
    ops equal up to their operands and constants' values, each repeat
    reading its own ops at the same positions and what it reads from outside
    (the previous layer's output, arguments) in the same pattern. The run
    becomes `@<function>_layer0`, called per repeat with what it reads from
    outside and the constants that differ between repeats (the weights);
    the constants all repeats share stay inside.

    Work that depends on the weights alone (packing them into GEMM panels,
    and the slices and concatenations of merged projections) returns to the
    call sites later (`xf-cpu-pack-at-call-sites`), where constant weights
    are still packed at compile time and argument weights once per load.
    With `keep-sparse-constants`, a block with a constant weight that holds
    zeros stays in place, so that `xf-sparsify-weights` can still see its
    values.
  }];
  let options = [
    Option<"minRepeats", "min-repeats", "int64_t", "2",
           "Outline a kind of block only when it occurs this many times">,
    Option<"keepSparseConstants", "keep-sparse-constants", "bool", "true",
           "Leave blocks with a constant weight holding zeros in place">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def XfFuseEpilogue : Pass<"xf-fuse-epilogue"> {
  let summary = "Fold bias, activation and residual adds into xf.linear";
  let description = [{
    Rewrites the pointwise ops that follow a linear layer into the linear's
    epilogue, `act(x W + bias) + residual`, which the GEMM kernel applies to
    its output tile in registers, so the product is written once instead of
    being written and read back by each pointwise op:

    ```mlir
    %h = xf.linear %x, %w : ...
    %b = xf.add %h, %bias : (tensor<8x3072xf32>, tensor<3072xf32>) -> ...
    %g = xf.gelu %b : tensor<8x3072xf32>
    // becomes
    %g = xf.linear %x, %w bias %bias act gelu : ...
    ```

    and `%y = xf.add %r, %z` with `%z` a linear's only use becomes the
    linear's residual. A `xf.matmul` whose right operand is a 2-D matrix is
    a linear layer (layout `nk` when the operand is transposed) and gets its
    epilogue the same way. Each fold needs the intermediate value to have no
    other use and respects the order of the epilogue (bias, then
    activation, then residual).
  }];
  let dependentDialects = ["::mlir::xf::XfDialect"];
}

def XfMergeProjections : Pass<"xf-merge-projections"> {
  let summary = "Merge linear layers that share their input into one GEMM";
  let description = [{
    Linear layers that read the same input with the same weight layout and
    no epilogue beyond a bias (the Q, K and V projections; the gate and up
    projections of a gated MLP) become one linear whose weight (and bias)
    is the concatenation of theirs; each original result is a slice of the
    merged one. Constant weights are concatenated at compile time.

    ```mlir
    %q = xf.linear %x, %wq : (tensor<64x512xf32>, tensor<512x512xf32>) -> ...
    %k = xf.linear %x, %wk : (tensor<64x512xf32>, tensor<512x128xf32>) -> ...
    // becomes
    %w = ... concatenation of %wq and %wk : tensor<512x640xf32>
    %qk = xf.linear %x, %w : (tensor<64x512xf32>, tensor<512x640xf32>) -> ...
    %q = tensor.extract_slice %qk[0, 0] [64, 512] [1, 1] : ...
    %k = tensor.extract_slice %qk[0, 512] [64, 128] [1, 1] : ...
    ```
  }];
  let dependentDialects = [
    "::mlir::xf::XfDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def XfFuseAttention : Pass<"xf-fuse-attention"> {
  let summary = "Form xf.attention from unfused products";
  let description = [{
    Finds attention written out op by op, as imported graphs have it,

    ```mlir
    %s = xf.matmul %q, %k transpose_rhs : ...      // [..., Sq, Skv]
    %t = xf.mul %s, %scale : ...                   // optional, constant
    %u = xf.add %t, %mask : ...                    // optional
    %p = xf.softmax %u : ...                       // over the keys
    %o = xf.matmul %p, %v : ...
    ```

    and replaces it with one `xf.attention` (`heads 1`: the heads are
    batch dimensions there). Which operand of the add is the mask follows
    from the dataflow: the scores are the operand that descends from the
    product `q k^T`, whatever ops computed the mask. A constant mask that is
    exactly the causal pattern (0 on and below the diagonal, -inf or less
    than -1e30 above) becomes `causal`. Every intermediate must have no
    other use. Each target maps `xf.attention` onto its own kernel (on the
    CPU: `xf-cpu-form-kernels`).
  }];
  let dependentDialects = [
    "::mlir::xf::XfDialect", "::mlir::tensor::TensorDialect"
  ];
}

def XfPackAttentionHeads : Pass<"xf-pack-attention-heads"> {
  let summary = "Give attention with heads as a batch dimension packed heads";
  let description = [{
    Imported graphs split heads into a batch dimension before attention,
    `[..., S, H * D] -> [..., S, H, D] -> [..., H, S, D]` (a reshape and a
    transpose, a copy), attend with `heads 1`, and merge them back after it.
    This pass rewrites an `xf.attention` with `heads 1` and operands of rank
    4 or more into one with the heads packed in the last dimension, as
    projections produce them: `[..., H, S, D]` is read as `heads H` of
    `[..., S, H * D]` (a transpose and a reshape, which the canonicalizer
    composes with the ones around the op, so the copies go away).

    Key and value heads that repeat the heads of a smaller tensor, each `g`
    times (`repeat_interleave`, or Hugging Face's `expand` + `reshape`:
    broadcasts, slices and concatenations along the heads), become
    `kv_heads H / g` on that tensor: grouped-query attention reads each
    key/value head once instead of copying it `g` times.

    A rotary embedding applied after the heads split (positions along the
    sequence dimension) is moved before it, where it reads the packed heads
    with the same `head_dim`, so that the split and the transpose that packs
    the heads again meet and cancel.

    Only attention without a mask or run-time operands is rewritten.
  }];
  let dependentDialects = [
    "::mlir::xf::XfDialect", "::mlir::tensor::TensorDialect",
    "::mlir::linalg::LinalgDialect"
  ];
}

def XfSparsifyWeights : Pass<"xf-sparsify-weights"> {
  let summary = "Mark linears whose constant weights are worth a sparse kernel";
  let description = [{
    Inspects every constant weight of an `xf.linear` (f32, bf16 or f16, in
    its `[K, N]` view) and measures its zero structure: the fraction of
    zeros, whether every group of 4 along K has at most 2 nonzeros (2:4),
    and the fraction of nonzero blocks for the usual block shapes (1x16,
    4x1, 16x16) and for the shapes a block-sparse kernel takes, `Bk x
    block-cols` with `Bk` in 1, 2, 4, 8, 16, 32. A block-sparse product
    costs, relative to the dense one, the fraction of nonzero blocks times
    `(Bk + 2) / Bk` (the per-block index and loop overhead, about two rows'
    worth); an unstructured one (`blocks [1, 1]`: the kernel that runs on
    the transposed input, one nonzero at a time) the fraction of nonzeros
    times 3.3 (measured: it pays from about 75% zeros); a 2:4 one (each
    group of 4 along K with at most 2 nonzeros; f32 weights with K >= 4, as
    its kernel stores f32 values) 0.85 in prefill and 0.5 in a decode step
    (a linear whose static rows are all 1), as measured. Every sparse
    kernel multiplies f32 values: against a bf16 or f16 weight that the
    target multiplies dense `half-dense-speedup` times faster than f32
    (the CPU's bf16 panels: 2 with AVX-512 BF16, 6 with AMX tiles, as
    `xf-cpu-pipeline` sets it) each cost counts that many times (`of dense
    bf16` in the remark). The cheapest is chosen, and where its cost is at most `threshold` the linear
    gets `sparsity <blocks [Bk, Bn]>` or `sparsity <2:4>`. A weight with fewer zeros than 1 in 17 stays dense unexamined (no format could pay: see `mayBecomeSparse`); every other gets a remark that
    says what was measured and what was chosen, and why:

    ```
    remark: xf-sparsify-weights: weight [768 x 3072], 90.0% zeros, 2:4 no;
      nonzero blocks: 1x16 81.5%, 4x1 65.6%, 16x16 10.0%; blocks [16, 32]:
      10.0% nonzero, cost 0.113 of dense <= 0.80: block-sparse
    ```
  }];
  let options = [
    Option<"threshold", "threshold", "double", "0.8",
           "Largest estimated cost, relative to the dense product, at which "
           "a weight goes sparse (0 to 1)">,
    Option<"blockCols", "block-cols", "int64_t", "32",
           "Columns of a block: the target's panel width (the CPU's is 2 x "
           "its vector width)">,
    Option<"halfDenseSpeedup", "half-dense-speedup", "double", "1.0",
           "How many times faster than f32 the target multiplies a dense "
           "bf16 or f16 weight (positive)">
  ];
  let dependentDialects = ["::mlir::xf::XfDialect"];
}

def XfPrune : Pass<"xf-prune"> {
  let summary = "Magnitude pruning of constant weights";
  let description = [{
    Opt-in, for users who bring a dense model: sets to zero the fraction
    `sparsity` of each constant weight of `xf.linear`, `xf.mlp` and
    `xf.block` (f32, bf16 or f16) with the smallest magnitudes, in a
    pattern, on the weight's `[K, N]` view:

    * `unstructured`: the elements of smallest |w| (ties by position);
    * `2:4`: in each group of 4 consecutive elements along K, the 2 of
      smallest |w| (the sparsity is then 50%, the option is ignored);
    * `blocks`: the `block-rows x block-cols` blocks of smallest sum of |w|.

    Pruning changes what the model computes: the reference is then the
    pruned model. `xf-sparsify-weights` afterwards finds the structure.
  }];
  let options = [
    Option<"sparsity", "sparsity", "double", "0.9",
           "Fraction of each weight set to zero (0 to 1)">,
    Option<"pattern", "pattern", "std::string", "\"unstructured\"",
           "unstructured, 2:4 or blocks">,
    Option<"blockRows", "block-rows", "int64_t", "16",
           "Rows (along K) of a pruned block">,
    Option<"blockCols", "block-cols", "int64_t", "32",
           "Columns (along N) of a pruned block">
  ];
  let dependentDialects = [
    "::mlir::xf::XfDialect", "::mlir::arith::ArithDialect"
  ];
}

#endif // XF_TRANSFORMS_PASSES_TD
