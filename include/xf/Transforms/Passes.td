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

#endif // XF_TRANSFORMS_PASSES_TD
