//===- Passes.td - xf CPU code generation passes -----------*- tablegen -*-===//

#ifndef XF_CODEGEN_PASSES_TD
#define XF_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def XfCpuFormKernels : Pass<"xf-cpu-form-kernels", "::mlir::func::FuncOp"> {
  let summary = "Map xf ops onto the xf_cpu kernels";
  let description = [{
    On tensors, before bufferization, selects the CPU kernel of each xf op
    that has one; the graph-level passes before it are target-neutral and
    produce xf ops only.

    * Every f32 `xf.linear` with a static weight becomes
      `xf_cpu.pack_weights` (folded at compile time when the weight is a
      constant) and `xf_cpu.gemm` with the linear's bias, activation and
      residual as its epilogue; batch dimensions are collapsed into rows.
    * With `attention`, every f32 `xf.attention` with static head sizes
      becomes `xf_cpu.flash_attention`, the FlashAttention-2 form: KV tiles
      streamed with a running max and sum, no `Sq x Skv` scores in memory.
    * With `norms`, f32 `xf.layer_norm` and `xf.rms_norm` become
      `xf_cpu.norm`, which normalizes row by row: the statistics and the
      scaling of a row run while it sits in L1, so memory sees the input
      read once instead of the three passes of the plain lowering.

    Other ops are left to `xf-to-linalg`.

    ```mlir
    %y = xf.linear %x, %w bias %b act gelu
        : (tensor<64x768xf32>, tensor<768x3072xf32>, tensor<3072xf32>) -> tensor<64x3072xf32>
    // becomes
    %p = xf_cpu.pack_weights %w layout kn outs(%e0 : tensor<96x768x32xf32>) ...
    %y = xf_cpu.gemm %x, %p bias %b act gelu outs(%e1 : tensor<64x3072xf32>) ...
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "16",
           "f32 lanes per vector register: 16 for AVX-512, 8 for AVX2">,
    Option<"panelWidth", "panel-width", "int64_t", "0",
           "Columns of a packed weight panel (NR): a multiple of the vector "
           "width; 0 = two vectors">,
    Option<"attention", "attention", "bool", "true",
           "Map xf.attention onto xf_cpu.flash_attention">,
    Option<"norms", "norms", "bool", "true",
           "Map xf.layer_norm and xf.rms_norm onto xf_cpu.norm">,
    Option<"bf16Panels", "bf16-panels", "bool", "false",
           "Pack bf16 and f16 weights as bf16 pairs (AVX-512 BF16 dot "
           "products; activations rounded to bf16); else widen them to f32">,
    Option<"int8Panels", "int8-panels", "bool", "false",
           "Pack int8 weights (xf.dequantize) as i8 quads for AVX-512 VNNI "
           "dot products (activations quantized to int8 per row); else "
           "dequantize them to f32">
  ];
  let dependentDialects = [
    "::mlir::xf::cpu::XfCpuDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def XfCpuPackAtCallSites : Pass<"xf-cpu-pack-at-call-sites",
                                 "::mlir::ModuleOp"> {
  let summary = "Pack a private function's argument weights at its call sites";
  let description = [{
    On tensors, after `xf-cpu-form-kernels`: a private function whose
    weights are arguments (a layer outlined by `xf-outline-layers`) would
    pack them into GEMM panels on every call. For each private function
    that only `func.call` uses, the packing that depends on its arguments
    alone (`xf_cpu.pack_weights` and the slices and concatenations of
    merged projections) moves to every call site, and the function takes
    the panels instead of the raw weights it no longer reads:

    ```mlir
    func.func private @layer(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> ... {
      %p = xf_cpu.pack_weights %w layout kn outs(...)
      %y = xf_cpu.gemm %x, %p outs(...)
    ...
    %y = call @layer(%x, %w0)
    // becomes
    func.func private @layer(%x: tensor<4x64xf32>, %p: tensor<2x64x32xf32>) -> ...
    ...
    %p0 = xf_cpu.pack_weights %w0 layout kn outs(...)
    %y = call @layer(%x, %p0)
    ```

    A caller's constant weights are then packed at compile time by
    `xf-cpu-fold-constant-weights`, and its argument weights once per load by
    `xf-cpu-outline-weight-packing`, as if the layer had not been
    outlined. Callees are handled before their callers, so packing climbs
    through nested private functions.
  }];
}

def XfCpuFoldConstantWeights : Pass<"xf-cpu-fold-constant-weights",
                                     "::mlir::ModuleOp"> {
  let summary = "Pack constant weights at compile time, releasing the raw ones";
  let description = [{
    On tensors, after `xf-cpu-pack-at-call-sites`: folds each
    `xf_cpu.pack_weights` of a constant weight into a constant of panels
    and each chain of constant `tensor.insert_slice`s (a merged
    projection's panels) into one constant, erasing the constants nothing
    uses any more, so that the code packs no constant at run time. Packed
    constants of 4 KiB and more are resource blobs named by a hash of their
    bytes (`blobConstant` in `include/xf/Dialect/ConstantBytes.h`).

    With `release-weights`, the module owns the resource blobs (`dense_resource`)
    its constants refer to, as a caller that compiles a module it built
    for the purpose does: a blob's bytes are freed as soon as no op of the
    module refers to it any more, which is when the packing of the last
    weight that read it folds. Weights then pass through the compiler with
    the raw ones freed while the packed ones are made, instead of both held
    to the end. Blobs that anything outside the module refers to must not
    be released: the option is off by default.

    ```mlir
    %w = arith.constant dense_resource<w0> : tensor<64x64xf32>
    %p = xf_cpu.pack_weights %w layout kn outs(%e : tensor<2x64x32xf32>)
    // becomes, blob w0 released
    %p = arith.constant dense_resource<xf_...> : tensor<2x64x32xf32>
    ```
  }];
  let options = [
    Option<"releaseWeights", "release-weights", "bool", "false",
           "Free each resource blob once no op of the module refers to it">,
  ];
}

def XfCpuOutlineWeightPacking : Pass<"xf-cpu-outline-weight-packing",
                                      "::mlir::ModuleOp"> {
  let summary = "Pack argument weights once, in a function of their own";
  let description = [{
    On tensors, after `xf-cpu-form-kernels`: weights that arrive as
    arguments (from a checkpoint, not compile-time constants) would be
    packed into GEMM panels on every call. For each public function `@f`,
    the packing of every `xf_cpu.gemm` weight and `xf_cpu.gather_mlp`
    weight rows that depend only on arguments (`xf_cpu.pack_weights`, and
    the slices of merged projections)
    moves into a new function `@f_pack_weights`, which takes those
    arguments and returns the panels. `@f` then takes the panels as
    trailing arguments instead of the raw weights, and records the
    convention in attributes (`xf.pack_entry`, `xf.pack_inputs`,
    `xf.step_inputs`, `xf.packed_types`), which reach `llvm.func` for
    callers: run `@f_pack_weights` once at load time, then `@f` per step.

    ```mlir
    func.func @f(%x: tensor<4x64xf32>, %w: tensor<64x64xf32>) -> tensor<4x64xf32> {
      %p = xf_cpu.pack_weights %w layout kn outs(...)
      %y = xf_cpu.gemm %x, %p outs(...)
      ...
    // becomes
    func.func @f(%x: tensor<4x64xf32>, %p: tensor<2x64x32xf32>) -> tensor<4x64xf32>
        attributes {xf.pack_entry = @f_pack_weights, xf.pack_inputs = array<i64: 1>,
                    xf.step_inputs = array<i64: 0>, ...}
    func.func @f_pack_weights(%w: tensor<64x64xf32>) -> tensor<2x64x32xf32>
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def XfCpuLowerKernels : Pass<"xf-cpu-lower-kernels", "::mlir::func::FuncOp"> {
  let summary = "Expand xf_cpu kernels on memrefs into vector loops";
  let description = [{
    After bufferization, each kernel becomes loops over register tiles in
    the vector dialect, with an `scf.parallel` over independent work items
    for threads:

    * `xf_cpu.gemm`: per weight panel of NR columns (and row chunk when
      there are few panels), tiles of `gemm-tile-rows` x NR accumulators
      held in registers over the whole K loop: per k, NR / vector-width
      loads of the panel, one broadcast per row, and one FMA per
      accumulator. The epilogue (bias, activation, residual, masked stores
      at the ragged edge) runs on the registers.
    * `xf_cpu.pack_weights`: the panel copy, parallel over panels.
    * `xf_cpu.flash_attention`: K is packed per KV head into transposed
      `Dh x block-kv` tiles; then per (batch, head, block of
      `attention-block-q` queries): S = scale Q K^T by register tiles,
      masks, an online softmax with a vectorized exp, and O = alpha O + P V
      by register tiles, skipping KV tiles that causal or sliding-window
      masks hide completely.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "16",
           "f32 lanes per vector register: 16 for AVX-512, 8 for AVX2">,
    Option<"gemmTileRows", "gemm-tile-rows", "int64_t", "0",
           "Rows of a GEMM register tile; 0 fits the register file (8 rows "
           "of 2 vectors with AVX-512, 6 with AVX2)">,
    Option<"threads", "threads", "int64_t", "0",
           "Threads to split work for; 0 uses the cores of the compiling "
           "machine, 1 emits no parallel loops">,
    Option<"attentionBlockQ", "attention-block-q", "int64_t", "64",
           "Queries per attention work item (a multiple of 2 x vector-width, "
           "up to 1024)">,
    Option<"attentionBlockKv", "attention-block-kv", "int64_t", "128",
           "Keys per attention tile (a multiple of 8 with AVX-512, 4 with "
           "AVX2, up to 1024)">,
    Option<"amx", "amx", "bool", "false",
           "Multiply bf16 panels, and int8 panels with scales per channel, "
           "with AMX tiles (tdpbf16ps, tdpbsud) in blocks of 32 rows; the "
           "rows left over, fewer than 32, as without it (needs "
           "vector-width 16)">
  ];
  let dependentDialects = [
    "::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect", "::mlir::x86vector::X86VectorDialect",
    "::mlir::amx::AMXDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def XfCpuTileForThreads : Pass<"xf-cpu-tile-for-threads",
                                 "::mlir::func::FuncOp"> {
  let summary = "Split linalg ops into one tile per thread";
  let description = [{
    Tiles the first leading parallel loop with at least `threads`
    iterations of every linalg op on tensors (the pointwise ops and norms
    that are not kernels; a unit batch dimension is passed over) into
    `threads` chunks with `scf.forall`, through the upstream
    TilingInterface. Each thread then runs a contiguous block whose inner
    loops LLVM vectorizes; the `scf.forall` becomes an OpenMP loop after
    bufferization.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", "0",
           "Chunks to split into; 0 uses the cores of the compiling machine">
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect"
  ];
}

def XfCpuPrepareBufferization : Pass<"xf-cpu-prepare-bufferization",
                                      "::mlir::func::FuncOp"> {
  let summary = "Ready functions on tensors for buffers and out-parameters";
  let description = [{
    Runs right before bufferization, after the last CSE:

    * refuses tensors with a zero-size dimension with one error at the op
      that has one (the kernels, their tiling and the out-parameter
      conversion assume non-empty buffers);
    * gives each function result its own tensor: a value returned more than
      once (written so, or made so by CSE) is copied with
      `bufferization.alloc_tensor`, so that every result becomes its own
      out-parameter buffer.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def XfCpuGlobalsAsBytes : Pass<"xf-cpu-globals-as-bytes",
                                "::mlir::ModuleOp"> {
  let summary = "Give large constant globals a flat byte type";
  let description = [{
    On the LLVM dialect, last. The translation to LLVM IR builds one
    constant per innermost row of a global's nested array type, and the
    code generator emits them element by element: packed weights of shape
    `[24, 768, 32]` become 18,432 constants and 589,824 emitted floats,
    which took most of the compile time of models with constant weights.
    Each `llvm.mlir.global` whose value is a non-splat dense constant or a
    resource (packed weights are, see `blobConstant` in
    `include/xf/Dialect/ConstantBytes.h`) of at least `min-bytes` bytes
    (default 4096) gets the type `!llvm.array<N x i8>` and its bytes as they
    are in memory (the same resource, or one that refers to the dense
    constant's own buffer: no copy), which translates to one constant and
    is emitted as one block of bytes. Its users see an opaque pointer either
    way.

    ```mlir
    llvm.mlir.global private constant @__constant_w(dense<...> : tensor<2x4x8xf32>)
        {alignment = 64 : i64} : !llvm.array<2 x array<4 x array<8 x f32>>>
    // becomes
    llvm.mlir.global private constant @__constant_w(dense_resource<...> : tensor<256xi8>)
        {alignment = 64 : i64} : !llvm.array<256 x i8>
    ```
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", "::mlir::xf::kLargeConstantBytes",
           "Flatten globals whose value holds at least this many bytes">,
  ];
}

def XfCpuDropTiedResults : Pass<"xf-cpu-drop-tied-results", "::mlir::ModuleOp"> {
  let summary = "Drop results that were written in place into arguments";
  let description = [{
    Runs right after one-shot bufferization. A result that bufferized into
    an argument's buffer (a KV cache that `xf.cache_write` updated in place)
    is returned as that argument. Such results are dropped from the
    signature, so the caller's buffer is updated and never copied into an
    out-parameter; `xf.tied_results` on the function records, per original
    result, the argument that holds it after a call (or -1), and is kept
    through the lowering to `llvm.func` for callers (xf-run, AOT users).
    Calls in the module are rewritten to read the dropped results from
    their operands. (Upstream's `drop-equivalent-buffer-results` does the
    same for private functions only.)

    ```mlir
    func.func @step(%x: memref<1x1x64xf32>, %cache: memref<1x32x64xf32>)
        -> (memref<1x1x64xf32>, memref<1x32x64xf32>) {
      ...
      return %y, %cache : memref<1x1x64xf32>, memref<1x32x64xf32>
    }
    // becomes
    func.func @step(%x: memref<1x1x64xf32>, %cache: memref<1x32x64xf32>)
        -> memref<1x1x64xf32> attributes {xf.tied_results = array<i64: -1, 1>}
    ```
  }];
}

def XfCpuExpandCopies : Pass<"xf-cpu-expand-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn copies between strided buffers into loops";
  let description = [{
    `memref.copy` between buffers that are not both contiguous lowers to a
    call into MLIR's C runner library (`memrefCopy`). This pass rewrites
    them to `linalg.copy`, which becomes plain loops, so that compiled code
    (JIT or ahead of time) needs no runtime library. Contiguous copies stay
    `memref.copy` (an `llvm.memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def XfCpuLowerDynamicExpands : Pass<"xf-cpu-lower-dynamic-expands"> {
  let summary = "Dynamic memref.expand_shape as memref.reinterpret_cast";
  let description = [{
    A `memref.expand_shape` that splits one dimension into several dynamic
    ones (rows of a `?x?xD` input computed as `?xD`) becomes a
    `memref.reinterpret_cast` of its source's base buffer, with the strides
    computed from the source's. MLIR 22's `expand-strided-metadata`, which
    the pipeline runs next, crashes on such expands.
  }];
  let dependentDialects = [
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect"
  ];
}

def XfCpuApproximateMath : Pass<"xf-cpu-approximate-math"> {
  let summary = "Polynomial approximations of f32 exp, tanh, erf, sin and cos";
  let description = [{
    Rewrites f32 `math.exp`, `math.tanh`, `math.erf`, `math.sin` and
    `math.cos` (scalar or vector) into
    arith polynomials, so that they vectorize instead of becoming one libm
    call per element. Accurate to a few ulp.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::vector::VectorDialect"
  ];
}

def XfCpuLegalizeBf16 : Pass<"xf-cpu-legalize-bf16", "::mlir::ModuleOp"> {
  let summary = "bf16 as its i16 bits in LLVM dialect code for CPUs "
                "without AVX-512 BF16";
  let description = [{
    On a CPU without AVX-512 BF16, LLVM's x86 backend keeps bf16 values in
    f32 registers and rounds each back, when it is stored or carried by a
    phi, with a call of `__truncsfbf2`, a function that neither the JIT's
    process nor an object's usual link (GCC 12's libgcc) provides. This
    pass leaves LLVM no bf16 value: every bf16 type in the module's LLVM
    dialect code (values, block arguments, constants, element types of
    addresses) becomes i16, bitcasts between them disappear, an
    `llvm.fpext` from bf16 becomes a shift of the bits into an f32 and an
    `llvm.fptrunc` of f32 to bf16 the rounding to nearest even on the
    bits (a NaN stays a quiet NaN). Only the ops that move bits may carry
    bf16: loads, stores, masked loads and stores, selects, bitcasts, vector
    element and shuffle ops, calls and branches; anything else (bf16
    arithmetic) is an error naming the op. `xf-cpu-pipeline` runs it last
    unless the code is for AVX-512 with bf16 panels, whose dot products
    need AVX-512 BF16 anyway.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // XF_CODEGEN_PASSES_TD
