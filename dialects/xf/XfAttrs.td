//===- XfAttrs.td - attributes of the xf dialect ------------*- tablegen -*-===//

#ifndef XF_ATTRS_TD
#define XF_ATTRS_TD

include "xf/XfBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Xf_AttentionLayoutAttr : AttrDef<Xf_Dialect, "AttentionLayout"> {
  let mnemonic = "layout";
  let summary = "which keys each query of attention sees";
  let description = [{
    The structural mask of attention, one attribute for every layout. Positions
    are aligned to the bottom right: with `L` valid keys and `Sq` queries,
    query `i` sits at position `p = i + L - Sq` and key `j` at position `j`,
    so the same layout describes prefill and decoding with a KV cache. The
    layout is the union of its components, intersected with `causal`:

    * `causal`: key `j` is visible only when `j <= p`; alone, it is the usual
      causal mask (a layout without components admits every key);
    * `window W` (`dilation R`): the distance `d = p - j` qualifies when `|d|`
      is a multiple of `R` (default 1) and `|d| / R < W`; with `causal` these
      are the `W` keys ending at the query's position (Mistral's sliding
      window), without it a band on both sides (Longformer's local
      attention); `R > 1` dilates it;
    * `stride S`: distances that are multiples of `S` (Sparse Transformer's
      strided pattern);
    * `sinks K`: keys `0 .. K-1` are visible to every query (StreamingLLM);
    * `global [g, ...]`: the key at a global position is visible to every
      query and the query at one sees every key (Longformer, BigBird);
    * `blocks [Br, Bc] dense<...> : tensor<RxCxi1>`: the pairs of block
      `(p / Br, j / Bc)` are visible where the map is true; blocks outside the
      map are absent (BigBird-style block-sparse layouts).

    Code generators ask it two questions, through one definition
    (`include/xf/Dialect/AttentionLayout.h`) and its IR builders: is key `j`
    visible to position `p`, and which key tiles a block of queries visits,
    so that every empty tile is skipped. Ops print it inline:

    ```mlir
    %o = xf.attention %q, %k, %v heads 12 causal window 1024 sinks 4 : ...
    ```

    and standalone as `#xf.layout<causal window 1024 sinks 4>`.
  }];
  let parameters = (ins
    DefaultValuedParameter<"bool", "false">:$causal,
    DefaultValuedParameter<"int64_t", "0">:$window,
    DefaultValuedParameter<"int64_t", "1">:$dilation,
    DefaultValuedParameter<"int64_t", "0">:$stride,
    DefaultValuedParameter<"int64_t", "0">:$sinks,
    OptionalArrayRefParameter<"int64_t">:$globals,
    OptionalArrayRefParameter<"int64_t">:$blockSizes,
    OptionalParameter<"::mlir::DenseIntElementsAttr">:$blockMap);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The layout's definition, which every consumer asks.
    ::mlir::xf::AttentionLayout getLayout() const;
    /// The attribute of a definition (null for a dense layout).
    static AttentionLayoutAttr get(::mlir::MLIRContext *ctx,
                                   const ::mlir::xf::AttentionLayout &layout);

    /// The layout's keywords as ops print them inline (`causal window 4`).
    /// Parsing yields a null attribute when no keyword follows.
    static ::mlir::ParseResult parseKeywords(::mlir::AsmParser &parser,
                                             AttentionLayoutAttr &layout);
    void printKeywords(::mlir::AsmPrinter &printer) const;
  }];
}

def Xf_SparsityAttr : AttrDef<Xf_Dialect, "Sparsity"> {
  let mnemonic = "sparsity";
  let summary = "the zero structure of a linear's constant weight";
  let description = [{
    A hint on `xf.linear`, set by `xf-sparsify-weights` after inspecting a
    constant weight: in the weight's `[K, N]` view (rows of the reduction,
    columns of the output), blocks of `Bk x Bn` elements, aligned to
    multiples of their size, are worth skipping where they are all zero. It
    does not change what the linear computes (the reference evaluator and
    the plain lowering ignore it); a target that has a block-sparse kernel
    stores only the nonzero blocks and multiplies only those. `blocks [1,
    1]` is unstructured sparsity: each nonzero on its own.

    `2:4` is the semi-structured pattern: every group of 4 consecutive
    elements along K (from row 0; the last group may be shorter) has at
    most 2 nonzeros. A target stores the 2 kept values of each group and
    their positions in it. A weight that breaks the pattern is still
    computed exactly: the target stores it dense (with a warning).

    ```mlir
    %y = xf.linear %x, %w layout nk sparsity <blocks [16, 32]> : ...
    %z = xf.linear %x, %w sparsity <2:4> : ...
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$blocks,
                        "bool":$twoOfFour);
  let builders = [
    AttrBuilder<(ins "::llvm::ArrayRef<int64_t>":$blocks), [{
      return $_get($_ctxt, blocks, false);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getBlockRows() const { return getBlocks()[0]; }
    int64_t getBlockCols() const { return getBlocks()[1]; }
    /// The 2:4 hint.
    static SparsityAttr getTwoOfFour(::mlir::MLIRContext *ctx) {
      return get(ctx, {}, true);
    }
  }];
}

#endif // XF_ATTRS_TD
