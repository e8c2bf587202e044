//===- XfCpu.td - CPU kernel ops of xf ---------------------*- tablegen -*-===//
//
// The xf_cpu dialect holds the kernels the CPU pipeline lowers xf's hot ops
// to: a GEMM on packed weights with a fused epilogue, the packing itself, and
// FlashAttention-style attention. They are destination-style ops on tensors
// or memrefs (like linalg): on tensors they bufferize in place into their
// `outs` operand; on memrefs, xf-cpu-lower-kernels expands them into
// register-tiled vector loops with threads.
//
//===----------------------------------------------------------------------===//

#ifndef XF_CPU_TD
#define XF_CPU_TD

include "xf/XfBase.td"
include "xf/XfAttrs.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def XfCpu_Dialect : Dialect {
  let name = "xf_cpu";
  let cppNamespace = "::mlir::xf::cpu";
  let summary = "CPU kernels of the xf compiler";
  let description = [{
    Destination-style kernel ops that `xf-cpu-form-kernels` creates from xf
    ops and `xf-cpu-lower-kernels` expands into vector code after
    bufferization. Each op owns its schedule: cache and register tiling,
    vector width and thread decomposition are options of the lowering.
  }];
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::xf::XfDialect"];
}

class XfCpu_KernelOp<string mnemonic, list<Trait> props = []>
    : Op<XfCpu_Dialect, mnemonic,
         !listconcat(props, [DestinationStyleOpInterface,
                             DeclareOpInterfaceMethods<MemoryEffectsOpInterface>])> {
  let traits = Xf_CheckSegments<
      !listconcat(props, [DestinationStyleOpInterface,
                          DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]),
      arguments>.traits;
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

def XfCpu_PackWeightsOp : XfCpu_KernelOp<"pack_weights"> {
  let summary = "pack a linear weight into column panels";
  let description = [{
    Rearranges a linear weight (`[K, N]` with layout `kn`, `[N, K]` with
    `nk`) into `NB = ceil(N / NR)` panels of `NR` columns, each contiguous
    over `K`: `init[p][k][j] = W(k, p * NR + j)`, zero for columns past `N`.
    This is the layout the GEMM micro-kernel streams. f32, bf16 and f16
    weights pack into f32 panels (widened exactly). Into bf16 panels, the
    layout of AVX-512 BF16 dot products, rows go in pairs:
    `init[p][k floordiv 2][2 j + k mod 2] = W(k, p * NR + j)`, `[NB,
    ceildiv(K, 2), 2 NR]`, zero past `K` and `N` (f16 and f32 weights are
    rounded to bf16). int8 weights (`xf.dequantize`'s input) pack into i8
    panels for AVX-512 VNNI dot products: rows go in fours, `init[p][k
    floordiv 4][4 j + k mod 4] = W(k, p * NR + j) + 128` as an unsigned
    byte, `[NB, ceildiv(K, 4), 4 NR]`. `xf-cpu-fold-constant-weights`
    packs a constant weight at compile time.

    ```mlir
    %p = xf_cpu.pack_weights %w layout nk outs(%e : tensor<24x768x32xf32>)
        : tensor<768x768xf32> -> tensor<24x768x32xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$weight, AnyShaped:$init,
                   DefaultValuedAttr<Xf_WeightLayoutAttr,
                                     "::mlir::xf::WeightLayout::kn">:$weight_layout);
  let assemblyFormat = [{
    $weight `layout` $weight_layout `outs` `(` $init `:` type($init) `)`
    attr-dict `:` type($weight) (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// The panels of the constant weight `weight`, packed as this op packs
    /// its weight into its init's (static) type; null where the init's type
    /// is not static.
    ::mlir::ElementsAttr packConstant(const ::mlir::xf::RawElements &weight);
    /// The shape of `panels` panels of `nr` columns of a weight with `k`
    /// rows, in `elementType` (f32, or bf16 pairs): the one definition of
    /// the packed layout.
    static ::llvm::SmallVector<int64_t> panelShape(int64_t panels, int64_t k,
                                                   int64_t nr,
                                                   ::mlir::Type elementType);
    /// Rows of K per packed row: 4 for i8, 2 for bf16 pairs, else 1.
    static int64_t rowsPerPackedRow(::mlir::Type elementType);
  }];
}

def XfCpu_GemmOp : XfCpu_KernelOp<"gemm", [AttrSizedOperandSegments]> {
  let summary = "GEMM on packed weights with a fused epilogue";
  let description = [{
    `init = act(input * W + bias) + residual` for `input : [M, K]`, `W`
    packed by `xf_cpu.pack_weights` into `[NB, K, NR]` f32 panels or
    `[NB, ceildiv(K, 2), 2 NR]` bf16 pairs (the input is then rounded to
    bf16 and the products use AVX-512 BF16 dot products) or `[NB,
    ceildiv(K, 4), 4 NR]` int8 quads with their `scales` (`[N]`, or `[N,
    ceildiv(K, G)]` with `group G`, G a multiple of 4: W = q * scale as
    `xf.dequantize` defines; the input is then quantized per row to int8,
    `x = sx * xq` with `sx = max |x| / 127`, and the products use AVX-512
    VNNI dot products on i32 accumulators), `bias : [N]`,
    `residual, init : [M, N]`. The epilogue runs on the accumulator
    registers of each output tile, so the GEMM output is written once.

    With `blocks(offsets, rows)` the weight is block-sparse: only its
    nonzero blocks of `Bk` rows of K and one panel's `NR` columns are
    stored, f32, as `[nnzb, Bk, NR]`; the blocks of panel `p` are
    `offsets[p] .. offsets[p + 1]` (`offsets : [NB + 1]`, i32, ascending,
    from 0 to nnzb) and block `b` holds rows `rows[b] * Bk ..` of K
    (`rows : [nnzb]`, i32, below ceildiv(K, Bk)), zero past K and N. The
    product visits only those blocks.

    With `two_of_four(selectors)` the weight is 2:4 sparse (at most 2
    nonzeros in each group of 4 rows of K, `#xf.sparsity<2:4>`): the panels
    are `[NB, ceildiv(K, 4), 2 NR]` f32, per group the first kept value of
    each of the panel's columns then the second, and `selectors : [NB,
    ceildiv(K, 4), NR]` i8 give their rows in the group: bits 0-1 the
    first's, bits 2-3 the second's (a zero value where a group keeps fewer;
    zero past K and N). The product permutes each input row's group of 4
    into the columns' order, two multiply-adds per group instead of four.

    ```mlir
    %y = xf_cpu.gemm %x, %p bias %b act gelu outs(%e : tensor<512x3072xf32>)
        : tensor<512x768xf32>, tensor<96x768x32xf32>, tensor<3072xf32>
        -> tensor<512x3072xf32>
    %z = xf_cpu.gemm %x, %v blocks(%offsets, %rows : tensor<97xi32>, tensor<461xi32>)
        outs(%e : tensor<512x3072xf32>) : tensor<512x768xf32>, tensor<461x16x32xf32>
        -> tensor<512x3072xf32>
    %s = xf_cpu.gemm %x, %v two_of_four(%sel : tensor<96x192x32xi8>)
        outs(%e : tensor<512x3072xf32>) : tensor<512x768xf32>, tensor<96x192x64xf32>
        -> tensor<512x3072xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$packed_weight,
                   Optional<AnyShaped>:$weight_scales,
                   Optional<AnyShaped>:$block_offsets,
                   Optional<AnyShaped>:$block_rows,
                   Optional<AnyShaped>:$selectors,
                   Optional<AnyShaped>:$bias, Optional<AnyShaped>:$residual,
                   AnyShaped:$init,
                   OptionalAttr<Xf_ActivationAttr>:$activation,
                   OptionalAttr<I64Attr>:$group_size);
  let assemblyFormat = [{
    $input `,` $packed_weight
    (`scales` $weight_scales^ `:` type($weight_scales))?
    (`group` $group_size^)?
    (`blocks` `(` $block_offsets^ `,` $block_rows `:` type($block_offsets) `,`
      type($block_rows) `)`)?
    (`two_of_four` `(` $selectors^ `:` type($selectors) `)`)?
    (`bias` $bias^)? (`act` $activation^)?
    (`residual` $residual^ `:` type($residual))?
    `outs` `(` $init `:` type($init) `)` attr-dict
    `:` type($input) `,` type($packed_weight) (`,` type($bias)^)?
    (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// Checks the scales (and group size) that i8 panels need and other
    /// panels do not take.
    ::llvm::LogicalResult verifyScales(int64_t k, int64_t n, bool int8);
    /// Checks the block list of a block-sparse weight.
    ::llvm::LogicalResult verifyBlocks(int64_t n);
    bool isBlockSparse() { return getBlockOffsets() || getBlockRows(); }
    /// Checks the panels and selectors of a 2:4 weight.
    ::llvm::LogicalResult verifyTwoOfFour();
  }];
}

def XfCpu_SparseGemmOp
    : XfCpu_KernelOp<"sparse_gemm", [AttrSizedOperandSegments]> {
  let summary = "GEMM on an unstructured sparse weight with a fused epilogue";
  let description = [{
    `init = act(input * W + bias) + residual` as `xf_cpu.gemm`, with `W`
    `[K, N]` stored by output column, only its nonzeros (CSR of `W^T`):
    column `n` holds `col_offsets[n] .. col_offsets[n + 1]` of `values`
    (f32, `[nnz]`), each at row `row_indices[i]` of K (`[nnz]`, i32);
    `col_offsets` is `[N + 1]`, i32, ascending from 0 to nnz. The product
    runs on the transposed input, so each nonzero multiplies a vector of
    rows: the kernel for weights too sparse for blocks to pay.

    ```mlir
    %y = xf_cpu.sparse_gemm %x, %v columns(%offsets, %rows : tensor<3073xi32>,
        tensor<235930xi32>) bias %b : tensor<3072xf32>
        outs(%e : tensor<512x3072xf32>) : tensor<512x768xf32>,
        tensor<235930xf32> -> tensor<512x3072xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$values,
                   AnyShaped:$col_offsets, AnyShaped:$row_indices,
                   Optional<AnyShaped>:$bias, Optional<AnyShaped>:$residual,
                   AnyShaped:$init,
                   OptionalAttr<Xf_ActivationAttr>:$activation);
  let assemblyFormat = [{
    $input `,` $values `columns` `(` $col_offsets `,` $row_indices `:`
    type($col_offsets) `,` type($row_indices) `)`
    (`bias` $bias^ `:` type($bias))? (`act` $activation^)?
    (`residual` $residual^ `:` type($residual))?
    `outs` `(` $init `:` type($init) `)` attr-dict
    `:` type($input) `,` type($values) (`->` type($result)^)?
  }];
}

def XfCpu_FlashAttentionOp
    : XfCpu_KernelOp<"flash_attention", [AttrSizedOperandSegments]> {
  let summary = "attention by KV tiles with an online softmax";
  let description = [{
    Computes `xf.attention` (same operands, layouts and masks) the way
    FlashAttention-2 does: every block of queries streams the keys and
    values in tiles, keeping a running row maximum `m`, a running sum `l`
    and an unnormalized output `O`; per tile, `m' = max(m, rowmax(S))`,
    `P = exp(S - m')`, `l = exp(m - m') l + rowsum(P)`,
    `O = exp(m - m') O + P V`, and finally `O / l` (zero where `l = 0`,
    that is where every key of a row is masked). The `Sq x Skv` scores are
    never materialized: only one `block_q x block_kv` tile per thread. Key
    tiles that the layout or the block mask hide from a block of queries are
    skipped, and only tiles that they cut are masked element by element.
    `block_table` is the layout's block map as a summed-area table
    (`(R + 1) x (C + 1)` i32, given when the layout has a block map), so
    that any tile's count of present blocks is four loads.

    With `decode`, the kernel is scheduled for short query sequences: the
    query heads of a GQA group and their queries form the rows of one tile
    against their shared KV head, K and V are read in place, and the keys
    are split across threads (split-KV) with a log-sum-exp merge. It needs
    a static query length of at most 16, at most 64 rows of group heads
    times queries, and no `seq_offsets`.

    The head sizes (the feature sizes of query, key and value) are static;
    `kv_len`, `block_mask` and `seq_offsets` are integer tensors.

    ```mlir
    %o = xf_cpu.flash_attention %q, %k, %v heads 12 kv_heads 12
        scale 1.250000e-01 causal outs(%e : tensor<1x2048x768xf32>)
        : tensor<1x2048x768xf32>, tensor<1x2048x768xf32>,
          tensor<1x2048x768xf32> -> tensor<1x2048x768xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$query, AnyShaped:$key, AnyShaped:$value,
                   Optional<AnyShaped>:$mask, Optional<AnyShaped>:$kv_len,
                   Optional<AnyShaped>:$block_mask,
                   Optional<AnyShaped>:$seq_offsets,
                   Optional<AnyShaped>:$block_table, AnyShaped:$init,
                   I64Attr:$num_heads, I64Attr:$num_kv_heads, F64Attr:$scale,
                   OptionalAttr<Xf_AttentionLayoutAttr>:$layout,
                   OptionalAttr<DenseI64ArrayAttr>:$block_mask_sizes,
                   UnitAttr:$decode);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^ `:` type($mask))?
    (`kv_len` $kv_len^ `:` type($kv_len))?
    (`block_mask` $block_mask^ $block_mask_sizes `:` type($block_mask))?
    (`seq_offsets` $seq_offsets^ `:` type($seq_offsets))?
    (`block_table` $block_table^ `:` type($block_table))?
    `heads` $num_heads `kv_heads` $num_kv_heads `scale` $scale
    custom<Layout>($layout) (`decode` $decode^)?
    `outs` `(` $init `:` type($init) `)`
    attr-dict `:` type($query) `,` type($key) `,` type($value)
    (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// Whether the decode schedule can run this attention: a static query
    /// length of at most 16, at most 64 rows of group heads x queries, no
    /// packed sequences. The one rule for forming and verifying `decode`.
    static bool fitsDecode(::mlir::ShapedType query, int64_t numHeads,
                           int64_t numKvHeads, bool packedSequences);
  }];
}

def XfCpu_NormOp : XfCpu_KernelOp<"norm"> {
  let summary = "LayerNorm or RMSNorm of rows, one pass over memory";
  let description = [{
    `init = norm(input) * weight + bias` per row of `input : [M, D]`, with
    `norm` the LayerNorm (mean and biased variance) or the RMSNorm of
    `kind`. Each row is read from memory once: its statistics and its
    scaling run while it sits in L1, a vector at a time, and rows are split
    across threads.

    ```mlir
    %y = xf_cpu.norm %x, %g, %b kind layer_norm eps 1.000000e-05
        outs(%e : tensor<512x768xf32>)
        : tensor<512x768xf32>, tensor<768xf32>, tensor<768xf32>
        -> tensor<512x768xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$weight,
                   Optional<AnyShaped>:$bias, AnyShaped:$init,
                   Xf_NormKindAttr:$kind, F64Attr:$epsilon);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `kind` $kind `eps` $epsilon
    `outs` `(` $init `:` type($init) `)` attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? (`->` type($result)^)?
  }];
}

def XfCpu_TopKOp : XfCpu_KernelOp<"top_k"> {
  let summary = "the k largest values of each row, as xf.top_k selects";
  let description = [{
    `init : [M, k]` (i64) receives, for each row of `input : [M, N]` (f32),
    the indices `xf.top_k` defines: the k largest in f32 totalOrder, ties
    to the lower index, in increasing order. The kernel builds the k-th
    largest key a bit at a time with vector counts over the row, stopping
    early once exactly k keys reach the threshold; the indices are then
    stored one set lane of a vector compare at a time, or, where equal keys
    straddle the k-th place, by an ordered scan. Rows are split across
    threads.

    ```mlir
    %i = xf_cpu.top_k %s k 307 outs(%e : tensor<128x307xi64>)
        : tensor<128x3072xf32> -> tensor<128x307xi64>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$init, I64Attr:$k);
  let assemblyFormat = [{
    $input `k` $k `outs` `(` $init `:` type($init) `)` attr-dict `:`
    type($input) (`->` type($result)^)?
  }];
}

def XfCpu_GatherMlpOp
    : XfCpu_KernelOp<"gather_mlp", [AttrSizedOperandSegments]> {
  let summary = "the MLP over the neurons each row selects, neuron-major";
  let description = [{
    `xf.gather_mlp` on `input : [M, D]` and `neurons : [M, k]` (integers),
    with the weights as rows, one per hidden neuron: `up_rows` and
    `gate_rows` are `[F, D]` (`W_up` and `W_gate` transposed),
    `down_rows` is `[F, E]` (`W_down`), f32, bf16 or f16 (widened as they
    are loaded); biases `[F]` and `[E]`; `init : [M, E]`. The kernel sorts
    the (row, neuron) pairs by neuron, then walks the neurons that some row
    selected: each neuron's three weight rows are read once, however many
    rows chose it, and multiply every one of those rows. Neurons are split
    across threads, each accumulating into its own copy of the output.

    ```mlir
    %y = xf_cpu.gather_mlp %x, %n up %u gate %g : tensor<3072x768xf32>
        down %d act silu outs(%e : tensor<1x768xf32>) : tensor<1x768xf32>,
        tensor<1x307xi64>, tensor<3072x768xf32>, tensor<3072x768xf32>
        -> tensor<1x768xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$neurons,
                   AnyShaped:$up_rows, Optional<AnyShaped>:$gate_rows,
                   AnyShaped:$down_rows, Optional<AnyShaped>:$up_bias,
                   Optional<AnyShaped>:$gate_bias,
                   Optional<AnyShaped>:$down_bias, AnyShaped:$init,
                   Xf_ActivationAttr:$activation);
  let assemblyFormat = [{
    $input `,` $neurons `up` $up_rows
    (`gate` $gate_rows^ `:` type($gate_rows))? `down` $down_rows
    (`up_bias` $up_bias^ `:` type($up_bias))?
    (`gate_bias` $gate_bias^ `:` type($gate_bias))?
    (`down_bias` $down_bias^ `:` type($down_bias))? `act` $activation
    `outs` `(` $init `:` type($init) `)` attr-dict `:` type($input) `,`
    type($neurons) `,` type($up_rows) `,` type($down_rows)
    (`->` type($result)^)?
  }];
}

#endif // XF_CPU_TD
