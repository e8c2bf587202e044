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
    `xf.swiglu` / `xf.geglu` for gated MLPs.
  }];
  let dependentDialects = ["::mlir::xf::XfDialect"];
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

#endif // XF_TRANSFORMS_PASSES_TD
