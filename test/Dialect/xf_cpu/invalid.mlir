// RUN: xf-opt %s --split-input-file --verify-diagnostics

func.func @mixed(%w: tensor<64x40xf32>, %p: memref<2x64x32xf32>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects all tensor or all memref operands}}
  xf_cpu.pack_weights %w layout kn outs(%p : memref<2x64x32xf32>) : tensor<64x40xf32>
  return
}

// -----

func.func @panels(%w: tensor<64x40xf32>, %p: tensor<3x64x32xf32>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects ceil(N / NR) panels of K x NR for the weight [64, 40], got [3, 64, 32]}}
  %0 = xf_cpu.pack_weights %w layout kn outs(%p : tensor<3x64x32xf32>) : tensor<64x40xf32> -> tensor<3x64x32xf32>
  return
}

// -----

func.func @gemm_k(%x: memref<10x63xf32>, %p: memref<2x64x32xf32>, %y: memref<10x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [10, 63], packed weight [2, 64, 32] and init [10, 40] to agree on M and K}}
  xf_cpu.gemm %x, %p outs(%y : memref<10x40xf32>) : memref<10x63xf32>, memref<2x64x32xf32>
  return
}

// -----

func.func @gemm_panels(%x: memref<10x64xf32>, %p: memref<2x64x32xf32>, %y: memref<10x80xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects ceil(N / NR) weight panels for N = 80}}
  xf_cpu.gemm %x, %p outs(%y : memref<10x80xf32>) : memref<10x64xf32>, memref<2x64x32xf32>
  return
}

// -----

func.func @gemm_result(%x: tensor<10x64xf32>, %p: tensor<2x64x32xf32>, %y: tensor<10x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects one result of the init's type 'tensor<10x40xf32>'}}
  %0 = "xf_cpu.gemm"(%x, %p, %y) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0, 0, 0, 1>}> : (tensor<10x64xf32>, tensor<2x64x32xf32>, tensor<10x40xf32>) -> tensor<10x41xf32>
  return
}

// -----

func.func @gemm_bias(%x: memref<10x64xf32>, %p: memref<2x64x32xf32>, %b: memref<32xf32>, %y: memref<10x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects a bias of shape [N]}}
  xf_cpu.gemm %x, %p bias %b outs(%y : memref<10x40xf32>) : memref<10x64xf32>, memref<2x64x32xf32>, memref<32xf32>
  return
}

// -----

func.func @attention_init(%q: memref<8x32xf32>, %o: memref<8x16xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects an init of shape [8, 32]}}
  xf_cpu.flash_attention %q, %q, %q heads 4 kv_heads 4 scale 0.25 outs(%o : memref<8x16xf32>) : memref<8x32xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @attention_heads(%q: memref<8x32xf32>, %o: memref<8x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects heads (4) to be a multiple of kv_heads (3)}}
  xf_cpu.flash_attention %q, %q, %q heads 4 kv_heads 3 scale 0.25 outs(%o : memref<8x32xf32>) : memref<8x32xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @norm_bias(%x: memref<8x16xf32>, %g: memref<16xf32>) {
  // expected-error@+1 {{'xf_cpu.norm' op has a bias, but rms_norm takes none}}
  xf_cpu.norm %x, %g, %g kind rms_norm eps 1.0e-5 outs(%x : memref<8x16xf32>) : memref<8x16xf32>, memref<16xf32>, memref<16xf32>
  return
}

// -----

func.func @norm_weight(%x: memref<8x16xf32>, %g: memref<15xf32>) {
  // expected-error@+1 {{'xf_cpu.norm' op expects weight of shape [16], got [15]}}
  xf_cpu.norm %x, %g kind layer_norm eps 1.0e-5 outs(%x : memref<8x16xf32>) : memref<8x16xf32>, memref<15xf32>
  return
}

// -----

func.func @element_types(%x: memref<8x16xf32>, %g: memref<16xf16>) {
  // expected-error@+1 {{'xf_cpu.norm' op expects one element type, got 'f32' and 'f16'}}
  xf_cpu.norm %x, %g kind layer_norm eps 1.0e-5 outs(%x : memref<8x16xf32>) : memref<8x16xf32>, memref<16xf16>
  return
}

// -----

func.func @flash_missing_block_table(%q: memref<8x32xf32>, %o: memref<8x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects a block_table for the layout's block map}}
  xf_cpu.flash_attention %q, %q, %q heads 4 kv_heads 4 scale 0.25 blocks [4, 4] dense<true> : tensor<2x2xi1> outs(%o : memref<8x32xf32>) : memref<8x32xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @flash_block_table_shape(%q: memref<8x32xf32>, %t: memref<2x2xi32>, %o: memref<8x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects the layout's block table as i32 [3, 3], got 'memref<2x2xi32>'}}
  xf_cpu.flash_attention %q, %q, %q block_table %t : memref<2x2xi32> heads 4 kv_heads 4 scale 0.25 blocks [4, 4] dense<true> : tensor<2x2xi1> outs(%o : memref<8x32xf32>) : memref<8x32xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @flash_dynamic_heads(%q: memref<8x?xf32>, %k: memref<8x32xf32>, %o: memref<8x?xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects a static feature size of the query}}
  xf_cpu.flash_attention %q, %k, %k heads 4 kv_heads 4 scale 0.25 outs(%o : memref<8x?xf32>) : memref<8x?xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @flash_float_kv_len(%q: memref<2x1x32xf32>, %k: memref<2x8x32xf32>, %l: memref<2xf32>, %o: memref<2x1x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op expects integer kv_len, got 'memref<2xf32>'}}
  xf_cpu.flash_attention %q, %k, %k kv_len %l : memref<2xf32> heads 4 kv_heads 4 scale 0.25 outs(%o : memref<2x1x32xf32>) : memref<2x1x32xf32>, memref<2x8x32xf32>, memref<2x8x32xf32>
  return
}

// -----

func.func @flash_decode_packed(%x: memref<8x32xf32>, %cu: memref<3xi32>, %o: memref<8x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op decode needs a static query length of at most 16, at most 64 rows of group heads x queries and no seq_offsets}}
  xf_cpu.flash_attention %x, %x, %x seq_offsets %cu : memref<3xi32> heads 4 kv_heads 4 scale 0.25 decode outs(%o : memref<8x32xf32>) : memref<8x32xf32>, memref<8x32xf32>, memref<8x32xf32>
  return
}

// -----

func.func @flash_decode_long(%q: memref<1x32x32xf32>, %k: memref<1x64x32xf32>, %o: memref<1x32x32xf32>) {
  // expected-error@+1 {{'xf_cpu.flash_attention' op decode needs a static query length of at most 16, at most 64 rows of group heads x queries and no seq_offsets}}
  xf_cpu.flash_attention %q, %k, %k heads 4 kv_heads 4 scale 0.25 decode outs(%o : memref<1x32x32xf32>) : memref<1x32x32xf32>, memref<1x64x32xf32>, memref<1x64x32xf32>
  return
}

// -----

func.func @pack_weights_types(%w: memref<64x40xf64>, %p: memref<2x64x32xf32>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op packs f32, bf16 or f16 weights into f32 or bf16 panels, or i8 into i8 panels, got 'f64' into 'f32'}}
  xf_cpu.pack_weights %w layout kn outs(%p : memref<2x64x32xf32>) : memref<64x40xf64>
  return
}

// -----

func.func @pack_pairs_shape(%w: memref<7x40xbf16>, %p: memref<1x40x32xbf16>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects ceil(N / NR) panels of ceil(K / 2) x 2 NR for the weight [7, 40], got [1, 40, 32]}}
  xf_cpu.pack_weights %w layout nk outs(%p : memref<1x40x32xbf16>) : memref<7x40xbf16>
  return
}

// -----

func.func @gemm_pairs_k(%a: memref<5x9xf32>, %p: memref<2x4x64xbf16>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [5, 9], packed weight [2, 4, 64] and init [5, 40] to agree on M and K}}
  xf_cpu.gemm %a, %p outs(%c : memref<5x40xf32>) : memref<5x9xf32>, memref<2x4x64xbf16>
  return
}

// -----

func.func @pack_quads_shape(%w: memref<40x6xi8>, %p: memref<1x20x128xi8>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects ceil(N / NR) panels of ceil(K / 4) x 4 NR for the weight [40, 6], got [1, 20, 128]}}
  xf_cpu.pack_weights %w layout kn outs(%p : memref<1x20x128xi8>) : memref<40x6xi8>
  return
}

// -----

func.func @pack_quads_from_f32(%w: memref<40x6xf32>, %p: memref<1x10x128xi8>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op packs f32, bf16 or f16 weights into f32 or bf16 panels, or i8 into i8 panels, got 'f32' into 'i8'}}
  xf_cpu.pack_weights %w layout kn outs(%p : memref<1x10x128xi8>) : memref<40x6xf32>
  return
}

// -----

func.func @gemm_quads_without_scales(%a: memref<5x7xf32>, %p: memref<2x2x128xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects the scales of its i8 panels}}
  xf_cpu.gemm %a, %p outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x2x128xi8>
  return
}

// -----

func.func @gemm_scales_on_f32(%a: memref<5x7xf32>, %p: memref<2x7x32xf32>, %s: memref<40xf32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op takes scales only with i8 panels}}
  xf_cpu.gemm %a, %p scales %s : memref<40xf32> outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x7x32xf32>
  return
}

// -----

func.func @gemm_scales_shape(%a: memref<5x7xf32>, %p: memref<2x2x128xi8>, %s: memref<40x1xf32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects scales of shape [40], got [40, 1]}}
  xf_cpu.gemm %a, %p scales %s : memref<40x1xf32> outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x2x128xi8>
  return
}

// -----

func.func @gemm_scales_groups(%a: memref<5x24xf32>, %p: memref<2x6x128xi8>, %s: memref<40x3xf32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects scales of shape [40, 2], got [40, 3]}}
  xf_cpu.gemm %a, %p scales %s : memref<40x3xf32> group 16 outs(%c : memref<5x40xf32>) : memref<5x24xf32>, memref<2x6x128xi8>
  return
}

// -----

func.func @gemm_group_size(%a: memref<5x24xf32>, %p: memref<2x6x128xi8>, %s: memref<40x4xf32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects a group size that is a multiple of 4, got 6}}
  xf_cpu.gemm %a, %p scales %s : memref<40x4xf32> group 6 outs(%c : memref<5x40xf32>) : memref<5x24xf32>, memref<2x6x128xi8>
  return
}

// -----

func.func @gemm_scales_type(%a: memref<5x7xf32>, %p: memref<2x2x128xi8>, %s: memref<40xf16>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects one element type, got 'f32' and 'f16'}}
  xf_cpu.gemm %a, %p scales %s : memref<40xf16> outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x2x128xi8>
  return
}

// -----

func.func @blocks_offsets(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<4xi32>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects ceil(N / NR) + 1 block offsets for N = 40 and NR = 32, got 4}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<4xi32>, memref<3xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<3x16x32xf32>
  return
}

// -----

func.func @blocks_rows(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %r: memref<2xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects one block row per stored block, got 2 for 3 blocks}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi32>, memref<2xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<3x16x32xf32>
  return
}

// -----

func.func @blocks_index_type(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi64>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects block offsets and rows as 1-D i32}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi64>, memref<3xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<3x16x32xf32>
  return
}

// -----

func.func @blocks_of_pairs(%a: memref<5x64xf32>, %v: memref<3x8x64xbf16>, %o: memref<3xi32>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op takes blocks only of f32 panels}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi32>, memref<3xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<3x8x64xbf16>
  return
}

// -----

func.func @blocks_rows_missing(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects block offsets and block rows together}}
  "xf_cpu.gemm"(%a, %v, %o, %c) <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 0, 0, 0, 0, 1>}> : (memref<5x64xf32>, memref<3x16x32xf32>, memref<3xi32>, memref<5x40xf32>) -> ()
  return
}

// -----

func.func @sparse_gemm_offsets(%a: memref<5x64xf32>, %v: memref<9xf32>, %o: memref<40xi32>, %r: memref<9xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.sparse_gemm' op expects N + 1 column offsets for N = 40, got 40}}
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<40xi32>, memref<9xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<9xf32>
  return
}

// -----

func.func @sparse_gemm_indices(%a: memref<5x64xf32>, %v: memref<9xf32>, %o: memref<41xi32>, %r: memref<8xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.sparse_gemm' op expects one row index per value}}
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<41xi32>, memref<8xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<9xf32>
  return
}

// -----

func.func @sparse_gemm_index_type(%a: memref<5x64xf32>, %v: memref<9xf32>, %o: memref<41xindex>, %r: memref<9xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.sparse_gemm' op expects column offsets and row indices as 1-D i32}}
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<41xindex>, memref<9xi32>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<9xf32>
  return
}

// -----

func.func @sparse_gemm_rows(%a: memref<5x64xf32>, %v: memref<9xf32>, %o: memref<41xi32>, %r: memref<9xi32>, %c: memref<6x40xf32>) {
  // expected-error@+1 {{'xf_cpu.sparse_gemm' op expects input [M, K] and init [M, N]}}
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<41xi32>, memref<9xi32>) outs(%c : memref<6x40xf32>) : memref<5x64xf32>, memref<9xf32>
  return
}

// -----

func.func @sparse_gemm_bias(%a: memref<5x64xf32>, %v: memref<9xf32>, %o: memref<41xi32>, %r: memref<9xi32>, %b: memref<41xf32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.sparse_gemm' op expects a bias of shape [N]}}
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<41xi32>, memref<9xi32>) bias %b : memref<41xf32> outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<9xf32>
  return
}

// -----

func.func @blocks_offsets_missing(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects block offsets and block rows together}}
  "xf_cpu.gemm"(%a, %v, %r, %c) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 1, 0, 0, 0, 1>}> : (memref<5x64xf32>, memref<3x16x32xf32>, memref<3xi32>, memref<5x40xf32>) -> ()
  return
}

// -----

func.func @gemm_quads_width(%a: memref<4x8xf32>, %p: memref<1x2x66xi8>, %s: memref<16xf32>, %c: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects panels of 4 x NR elements per packed row, got 66}}
  xf_cpu.gemm %a, %p scales %s : memref<16xf32> outs(%c : memref<4x16xf32>) : memref<4x8xf32>, memref<1x2x66xi8>
  return
}

// -----

func.func @top_k_types(%s: memref<4x16xf32>, %i: memref<4x3xi32>) {
  // expected-error@+1 {{'xf_cpu.top_k' op expects f32 values and i64 indices}}
  xf_cpu.top_k %s k 3 outs(%i : memref<4x3xi32>) : memref<4x16xf32>
  return
}

// -----

func.func @top_k_shape(%s: memref<4x16xf32>, %i: memref<4x2xi64>) {
  // expected-error@+1 {{'xf_cpu.top_k' op expects input [M, N] and init [M, k] with k = 3}}
  xf_cpu.top_k %s k 3 outs(%i : memref<4x2xi64>) : memref<4x16xf32>
  return
}

// -----

func.func @top_k_k(%s: memref<4x2xf32>, %i: memref<4x3xi64>) {
  // expected-error@+1 {{'xf_cpu.top_k' op expects k in [1, N], got 3}}
  xf_cpu.top_k %s k 3 outs(%i : memref<4x3xi64>) : memref<4x2xf32>
  return
}

// -----

func.func @gather_mlp_rows(%x: memref<4x16xf32>, %n: memref<4x3xi64>, %u: memref<40x8xf32>, %d: memref<40x16xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op expects up rows [F, D] and down rows [F, E], got [40, 8] and [40, 16]}}
  xf_cpu.gather_mlp %x, %n up %u down %d act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<4x3xi64>, memref<40x8xf32>, memref<40x16xf32>
  return
}

// -----

func.func @gather_mlp_neurons(%x: memref<4x16xf32>, %n: memref<4x3xf32>, %u: memref<40x16xf32>, %d: memref<40x16xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op expects integer neurons}}
  xf_cpu.gather_mlp %x, %n up %u down %d act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<4x3xf32>, memref<40x16xf32>, memref<40x16xf32>
  return
}

// -----

func.func @gather_mlp_gate_bias(%x: memref<4x16xf32>, %n: memref<4x3xi64>, %u: memref<40x16xf32>, %d: memref<40x16xf32>, %b: memref<40xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op has a gate bias but no gate rows}}
  xf_cpu.gather_mlp %x, %n up %u down %d gate_bias %b : memref<40xf32> act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<4x3xi64>, memref<40x16xf32>, memref<40x16xf32>
  return
}

// -----

func.func @gather_mlp_down_bias(%x: memref<4x16xf32>, %n: memref<4x3xi64>, %u: memref<40x16xf32>, %d: memref<40x16xf32>, %b: memref<40xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op expects down bias of shape [16], got [40]}}
  xf_cpu.gather_mlp %x, %n up %u down %d down_bias %b : memref<40xf32> act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<4x3xi64>, memref<40x16xf32>, memref<40x16xf32>
  return
}

// -----

func.func @two_of_four_groups(%a: memref<5x62xf32>, %v: memref<2x15x64xf32>, %s: memref<2x15x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [M, K], 2:4 panels [NB, ceildiv(K, 4), 2 NR], selectors [NB, ceildiv(K, 4), NR] and init [M, N], got [5, 62], [2, 15, 64], [2, 15, 32] and [5, 40]}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<2x15x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<2x15x64xf32>
  return
}

// -----

func.func @two_of_four_width(%a: memref<5x62xf32>, %v: memref<2x16x32xf32>, %s: memref<2x16x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [M, K], 2:4 panels [NB, ceildiv(K, 4), 2 NR]}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<2x16x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<2x16x32xf32>
  return
}

// -----

func.func @two_of_four_panels(%a: memref<5x62xf32>, %v: memref<3x16x64xf32>, %s: memref<3x16x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects ceil(N / NR) weight panels for N = 40}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<3x16x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<3x16x64xf32>
  return
}

// -----

func.func @two_of_four_selector_type(%a: memref<5x62xf32>, %v: memref<2x16x64xf32>, %s: memref<2x16x32xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects 2:4 selectors [NB, ceildiv(K, 4), NR] of i8}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<2x16x32xi32>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<2x16x64xf32>
  return
}

// -----

func.func @two_of_four_pairs(%a: memref<5x62xf32>, %v: memref<2x16x64xbf16>, %s: memref<2x16x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op takes 2:4 selectors only with f32 panels}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<2x16x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<2x16x64xbf16>
  return
}

// -----

func.func @two_of_four_and_blocks(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %r: memref<3xi32>, %s: memref<2x16x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op takes blocks or 2:4 selectors, not both}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi32>, memref<3xi32>) two_of_four(%s : memref<2x16x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x64xf32>, memref<3x16x32xf32>
  return
}

// -----

func.func @two_of_four_dynamic_panels(%a: memref<5x62xf32>, %v: memref<2x?x64xf32>, %s: memref<2x15x32xi8>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [M, K], 2:4 panels [NB, ceildiv(K, 4), 2 NR], selectors [NB, ceildiv(K, 4), NR] and init [M, N], got [5, 62], [2, ?, 64], [2, 15, 32] and [5, 40]}}
  xf_cpu.gemm %a, %v two_of_four(%s : memref<2x15x32xi8>) outs(%c : memref<5x40xf32>) : memref<5x62xf32>, memref<2x?x64xf32>
  return
}

// -----

// Generic IR whose segment sizes leave the init (a single operand) empty:
// refused before any reader takes the missing value (found by
// xf-parser-fuzzer, which crashed in GemmOp::verify).
func.func @gemm_single_operand_segment_empty(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op operand segment #8 is a single operand but holds 0 values}}
  "xf_cpu.gemm"(%a, %v, %o, %c) <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 0, 0, 0, 1, 0>}> : (memref<5x64xf32>, memref<3x16x32xf32>, memref<3xi32>, memref<5x40xf32>) -> ()
  return
}

// -----

func.func @pack_rank(%w: memref<64x40xf32>, %p: memref<64x32xf32>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects a weight of rank 2 and panels of rank 3}}
  xf_cpu.pack_weights %w layout kn outs(%p : memref<64x32xf32>) : memref<64x40xf32>
  return
}

// -----

func.func @memref_result(%w: memref<64x40xf32>, %p: memref<2x64x32xf32>) {
  // expected-error@+1 {{'xf_cpu.pack_weights' op expects no results on memrefs}}
  %0 = "xf_cpu.pack_weights"(%w, %p) <{weight_layout = 0 : i32}> : (memref<64x40xf32>, memref<2x64x32xf32>) -> tensor<2x64x32xf32>
  return
}

// -----

func.func @gemm_residual(%x: memref<10x64xf32>, %p: memref<2x64x32xf32>, %r: memref<10x41xf32>, %y: memref<10x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects a residual of the init's shape}}
  xf_cpu.gemm %x, %p residual %r : memref<10x41xf32> outs(%y : memref<10x40xf32>) : memref<10x64xf32>, memref<2x64x32xf32>
  return
}

// -----

func.func @gemm_rank(%x: memref<64xf32>, %p: memref<2x64x32xf32>, %y: memref<10x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input [M, K], packed weight [NB, K, NR] and init [M, N]}}
  xf_cpu.gemm %x, %p outs(%y : memref<10x40xf32>) : memref<64xf32>, memref<2x64x32xf32>
  return
}

// -----

func.func @gemm_blocks_rows(%a: memref<6x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  // expected-error@+1 {{'xf_cpu.gemm' op expects input and init to agree on M}}
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi32>, memref<3xi32>) outs(%c : memref<5x40xf32>) : memref<6x64xf32>, memref<3x16x32xf32>
  return
}

// -----

func.func @gather_mlp_shapes(%x: memref<4x16xf32>, %n: memref<3x3xi64>, %u: memref<40x16xf32>, %d: memref<40x16xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op expects input [M, D], neurons [M, k] and init [M, E]}}
  xf_cpu.gather_mlp %x, %n up %u down %d act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<3x3xi64>, memref<40x16xf32>, memref<40x16xf32>
  return
}

// -----

func.func @gather_mlp_gate(%x: memref<4x16xf32>, %n: memref<4x3xi64>, %u: memref<40x16xf32>, %g: memref<39x16xf32>, %d: memref<40x16xf32>, %y: memref<4x16xf32>) {
  // expected-error@+1 {{'xf_cpu.gather_mlp' op expects gate rows of the up rows' shape}}
  xf_cpu.gather_mlp %x, %n up %u gate %g : memref<39x16xf32> down %d act relu outs(%y : memref<4x16xf32>) : memref<4x16xf32>, memref<4x3xi64>, memref<40x16xf32>, memref<40x16xf32>
  return
}

// -----

func.func @norm_shape(%x: memref<8x16xf32>, %g: memref<16xf32>, %y: memref<8x15xf32>) {
  // expected-error@+1 {{'xf_cpu.norm' op expects input and init of one shape [M, D]}}
  xf_cpu.norm %x, %g kind layer_norm eps 1.0e-5 outs(%y : memref<8x15xf32>) : memref<8x16xf32>, memref<16xf32>
  return
}
