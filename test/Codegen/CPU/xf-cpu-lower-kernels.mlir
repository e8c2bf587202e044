// RUN: xf-opt %s --split-input-file "--xf-cpu-lower-kernels=threads=2 gemm-tile-rows=4" | FileCheck %s --implicit-check-not="memref<?x1x?x16xf32>" --implicit-check-not=amx.
// RUN: xf-opt %s --split-input-file "--xf-cpu-lower-kernels=threads=1 vector-width=8" | FileCheck %s --check-prefix=AVX2
// Sizes the kernels cannot use are refused with one line, as in the
// pipeline's options.
// RUN: xf-opt %s --split-input-file "--xf-cpu-lower-kernels=threads=1 amx=true" | FileCheck %s --check-prefix=AMX
// RUN: xf-opt %s --split-input-file "--xf-cpu-lower-kernels=threads=2 amx=true" | FileCheck %s --check-prefix=AMX2
// RUN: not xf-opt %s --split-input-file "--xf-cpu-lower-kernels=amx=true vector-width=8" 2>&1 | FileCheck %s --check-prefix=BADAMX
// BADAMX: error: xf-cpu-lower-kernels: amx needs vector-width 16 (AVX-512), got 8
// RUN: not xf-opt %s --split-input-file "--xf-cpu-lower-kernels=gemm-tile-rows=-2" 2>&1 | FileCheck %s --check-prefix=BADROWS
// BADROWS: error: xf-cpu-lower-kernels: gemm-tile-rows must be between 0 (as many as the registers hold) and 32, got -2
// RUN: not xf-opt %s --split-input-file "--xf-cpu-lower-kernels=attention-block-kv=12" 2>&1 | FileCheck %s --check-prefix=BADKV
// BADKV: error: xf-cpu-lower-kernels: attention-block-kv must be a multiple of 8 up to 1024, got 12

// GEMM: panels (and row chunks) are the parallel work items; a 4 x 32 tile
// keeps 4 x 2 accumulator vectors over the K loop: per k, 2 loads of the
// panel, one broadcast per row and 8 FMAs. N = 40 is not a multiple of the
// panel width, so the epilogue stores are masked.
// CHECK-LABEL: func.func @gemm
// CHECK: scf.parallel
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-COUNT-2: vector.load %{{.*}} : memref<2x64x32xf32>, vector<16xf32>
// CHECK: memref.load %{{.*}} : memref<10x64xf32>
// CHECK: vector.broadcast
// CHECK-COUNT-2: vector.fma
// CHECK: scf.yield
// CHECK: vector.create_mask
// CHECK: vector.maskedload %{{.*}} : memref<40xf32>
// CHECK: math.tanh
// CHECK: vector.maskedstore %{{.*}} : memref<10x40xf32>
// The remaining rows, one at a time.
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// AVX2-LABEL: func.func @gemm
// AVX2-NOT: scf.parallel
// With 16 ymm registers and 4 vectors per panel row, the tile has 2 rows.
// AVX2: scf.for {{.*}} step %c2
// AVX2: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
func.func @gemm(%x: memref<10x64xf32>, %p: memref<2x64x32xf32>, %b: memref<40xf32>, %y: memref<10x40xf32>) {
  xf_cpu.gemm %x, %p bias %b act gelu_tanh outs(%y : memref<10x40xf32>) : memref<10x64xf32>, memref<2x64x32xf32>, memref<40xf32>
  return
}

// -----

// Packing copies one panel per work item, zero past N (masked loads).
// CHECK-LABEL: func.func @pack_kn
// CHECK: scf.parallel
// CHECK: vector.maskedload %{{.*}} : memref<64x40xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.store %{{.*}} : memref<2x64x32xf32>, vector<16xf32>
func.func @pack_kn(%w: memref<64x40xf32>, %p: memref<2x64x32xf32>) {
  xf_cpu.pack_weights %w layout kn outs(%p : memref<2x64x32xf32>) : memref<64x40xf32>
  return
}

// -----

// A bf16 weight is widened to f32 as it is packed.
// CHECK-LABEL: func.func @pack_bf16
// CHECK: vector.maskedload %{{.*}} : memref<64x40xbf16>, vector<16xi1>, vector<16xbf16> into vector<16xbf16>
// CHECK: arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK: vector.store %{{.*}} : memref<2x64x32xf32>, vector<16xf32>
func.func @pack_bf16(%w: memref<64x40xbf16>, %p: memref<2x64x32xf32>) {
  xf_cpu.pack_weights %w layout kn outs(%p : memref<2x64x32xf32>) : memref<64x40xbf16>
  return
}

// -----

// Into bf16 pairs: element (k, j) of a panel goes to [k / 2][2 j + k % 2],
// zero past K and N, f16 rounded through f32.
// CHECK-LABEL: func.func @pack_pairs
// CHECK: scf.parallel
// CHECK:   scf.if
// CHECK:     memref.load %{{.*}} : memref<7x40xf16>
// CHECK:     arith.extf
// CHECK:     arith.truncf %{{.*}} : f32 to bf16
// CHECK:   memref.store %{{.*}} : memref<1x20x64xbf16>
func.func @pack_pairs(%w: memref<7x40xf16>, %p: memref<1x20x64xbf16>) {
  xf_cpu.pack_weights %w layout nk outs(%p : memref<1x20x64xbf16>) : memref<7x40xf16>
  return
}

// -----

// A GEMM on bf16 pairs: the input rounded to bf16 once (the padding column
// zero), then per pair of K rows one vdpbf16ps per accumulator with the
// row's two inputs broadcast as one 32-bit word.
// CHECK-LABEL: func.func @gemm_pairs
// CHECK: %[[A:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?xbf16>
// CHECK: scf.parallel
// CHECK:   arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK:   vector.maskedstore %[[A]]
// CHECK: scf.parallel
// CHECK:   vector.load %{{.*}} : memref<2x4x64xbf16>, vector<32xbf16>
// CHECK:   vector.load %[[A]]{{.*}} : memref<?x?xbf16>, vector<2xbf16>
// CHECK:   vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK:   vector.bitcast %{{.*}} : vector<16xi32> to vector<32xbf16>
// CHECK:   x86vector.avx512.dot %{{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK: memref.dealloc %[[A]]
// Without AVX-512 BF16: the pairs widened and split into their two rows.
// AVX2-LABEL: func.func @gemm_pairs
// AVX2: arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// AVX2: vector.shuffle %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14]
// AVX2: vector.shuffle %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15]
// AVX2: vector.fma
// AVX2-NOT: x86vector
// AVX2: return
func.func @gemm_pairs(%a: memref<5x7xf32>, %p: memref<2x4x64xbf16>, %c: memref<5x40xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x4x64xbf16>
  return
}

// -----

// With AMX tiles: work items of up to 4 blocks of 32 rows times a panel,
// each worker's share in one loop that rounds a chunk's rows into its
// scratch (up to 128 rows; here all 70) when it comes to a new chunk (the
// chunk done last carried);
// per step of 16 pairs of K two 16-row tiles of those rows times the
// panel's two 16-column tiles into four 16 x 16 accumulator tiles carried
// by the K loop, stored to the item's sums (a block's 32 rows of 128);
// they get the 4 pairs of K beyond the last whole step by vector dot
// products, row by row, then the epilogue. The last 6 rows, fewer than 32,
// go through the vector path alone.
// AMX-LABEL: func.func @gemm_amx
// AMX: %[[ROWS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<70x40xbf16>
// AMX: %[[OUT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<128x32xf32>
// AMX: scf.for %{{.*}} iter_args(%[[DONE:.*]] = %c-1) -> (index)
// AMX:   %[[CHUNK:.*]] = arith.divui
// AMX:   %[[FRESH:.*]] = arith.cmpi ne, %[[CHUNK]], %[[DONE]]
// AMX:   scf.if %[[FRESH]]
// AMX:       arith.truncf %{{.*}} : vector<16xf32> to vector<16xbf16>
// AMX:       vector.maskedstore %[[ROWS]]
// AMX: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c32
// AMX-COUNT-4: amx.tile_zero : !amx.tile<16x16xf32>
// AMX:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16{{.*}} iter_args({{.*}}) -> (!amx.tile<16x16xf32>, !amx.tile<16x16xf32>, !amx.tile<16x16xf32>, !amx.tile<16x16xf32>)
// AMX-COUNT-2: amx.tile_load %[[ROWS]]{{.*}} : memref<70x40xbf16> into !amx.tile<16x32xbf16>
// AMX-COUNT-2: amx.tile_load %{{.*}} : memref<2x20x64xbf16> into !amx.tile<16x32xbf16>
// AMX-COUNT-4: amx.tile_mulf
// AMX:   scf.yield
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX-NOT: {{amx\.[a-z_]+ }}
// AMX:   scf.for
// AMX:     vector.load %[[OUT]]
// AMX:     scf.for %{{.*}} = %c16{{.*}} to %c20
// AMX:       x86vector.avx512.dot
// AMX: scf.for
// AMX:   x86vector.avx512.dot
// AMX: scf.yield %[[CHUNK]] : index
// AMX: return
// With two threads, one loop per worker (the scratch its own) over the
// items [items x w / 2, items x (w + 1) / 2).
// AMX2-LABEL: func.func @gemm_amx
// AMX2: %[[CHUNKS:.*]] = arith.ceildivui
// AMX2: %[[ITEMS:.*]] = arith.muli %{{.*}}, %[[CHUNKS]] : index
// AMX2: scf.parallel (%[[W:.*]]) = (%{{.*}}) to (%[[TWO:.*]]) step
// AMX2:   memref.alloca() {alignment = 64 : i64} : memref<70x40xbf16>
// AMX2:   %[[A:.*]] = arith.muli %[[ITEMS]], %[[W]]
// AMX2:   %[[FIRST:.*]] = arith.divui %[[A]], %[[TWO]]
// AMX2:   %[[NEXT:.*]] = arith.addi %[[W]], %{{.*}}
// AMX2:   %[[B:.*]] = arith.muli %[[ITEMS]], %[[NEXT]]
// AMX2:   %[[LAST:.*]] = arith.divui %[[B]], %[[TWO]]
// AMX2:   scf.for %{{.*}} = %[[FIRST]] to %[[LAST]] step %{{.*}} iter_args(%{{.*}} = %c-1)
func.func @gemm_amx(%a: memref<70x40xf32>, %p: memref<2x20x64xbf16>, %c: memref<70x40xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<70x40xf32>) : memref<70x40xf32>, memref<2x20x64xbf16>
  return
}

// -----

// K in blocks of 8 steps (128 packed rows) across the item's row blocks:
// 288 whole packed rows of K are a first block from zero sums, a loop of
// the middle blocks and a last block of 2 steps, the later ones from the
// sums the earlier stored.
// AMX-LABEL: func.func @gemm_amx_k_blocks
// AMX: %[[OUT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<128x32xf32>
// AMX: scf.for
// AMX-COUNT-4: amx.tile_zero
// AMX: scf.for %{{.*}} = %c0{{.*}} to %{{.*}} step %c16
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX-NOT: amx.tile_zero
// AMX: scf.for %[[K0:.*]] = %c128{{.*}} to %c256{{.*}} step %c128
// AMX:   scf.for
// AMX-COUNT-4: amx.tile_load %[[OUT]]
// AMX:     scf.for %{{.*}} = %[[K0]] to %{{.*}} step %c16
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX: scf.for
// AMX-COUNT-4: amx.tile_load %[[OUT]]
// AMX:   scf.for %{{.*}} = %c256{{.*}} to %{{.*}} step %c16
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX-NOT: {{amx\.[a-z_]+ }}
// AMX: scf.for %{{.*}} = %c288{{.*}} to %c300
// AMX: return
func.func @gemm_amx_k_blocks(%a: memref<40x600xf32>, %p: memref<1x300x64xbf16>, %c: memref<40x32xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<40x32xf32>) : memref<40x600xf32>, memref<1x300x64xbf16>
  return
}

// -----

// Whole steps of K, whole panels and no epilogue: after the last K block
// the accumulator tiles go to the result, not through the item's sums.
// AMX-LABEL: func.func @gemm_amx_to_result
// AMX: %[[OUT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<128x32xf32>
// AMX: amx.tile_zero
// AMX-COUNT-4: amx.tile_store %arg2[
// AMX-NOT: amx.tile_store
// AMX-NOT: vector.load %[[OUT]]
// AMX: x86vector.avx512.dot
// AMX: return
func.func @gemm_amx_to_result(%a: memref<40x64xf32>, %p: memref<2x32x64xbf16>, %c: memref<40x64xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<40x64xf32>) : memref<40x64xf32>, memref<2x32x64xbf16>
  return
}

// -----

// Several K blocks and no epilogue: the first and middle blocks store to
// the item's sums, the last goes from the tiles to the result.
// AMX-LABEL: func.func @gemm_amx_k_blocks_to_result
// AMX: %[[OUT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<128x32xf32>
// AMX-COUNT-4: amx.tile_zero
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX: scf.for %{{.*}} = %c128{{.*}} to %c256{{.*}} step %c128
// AMX-COUNT-4: amx.tile_load %[[OUT]]
// AMX-COUNT-4: amx.tile_store %[[OUT]]
// AMX-COUNT-4: amx.tile_load %[[OUT]]
// AMX: scf.for %{{.*}} = %c256{{.*}} to %{{.*}} step %c16
// AMX-COUNT-4: amx.tile_store %arg2[
// AMX-NOT: vector.load %[[OUT]]
// AMX: return
func.func @gemm_amx_k_blocks_to_result(%a: memref<40x576xf32>, %p: memref<1x288x64xbf16>, %c: memref<40x32xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<40x32xf32>) : memref<40x576xf32>, memref<1x288x64xbf16>
  return
}

// -----

// Fewer than 16 packed rows of K: not one AMX step, the vector path alone.
// AMX-LABEL: func.func @gemm_amx_short_k
// AMX-NOT: amx.
// AMX: x86vector.avx512.dot
// AMX: return
func.func @gemm_amx_short_k(%a: memref<40x16xf32>, %p: memref<2x8x64xbf16>, %c: memref<40x64xf32>) {
  xf_cpu.gemm %a, %p outs(%c : memref<40x64xf32>) : memref<40x16xf32>, memref<2x8x64xbf16>
  return
}

// -----

// int8 quads on AMX tiles, signed inputs times the panels' unsigned w + 128
// (tdpbsud) into i32 accumulator tiles; the 2 quads beyond the last whole
// step by VNNI, row by row, then the per-row dequantization. With scales
// per group of K the quads keep the VNNI path.
// The chunk's rows are quantized into the worker's scratch: quads, scales
// and sums of quads.
// AMX-LABEL: func.func @gemm_amx_quads
// AMX: %[[QUADS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<40x72xi8>
// AMX: memref.alloca() {alignment = 64 : i64} : memref<40xf32>
// AMX: memref.alloca() {alignment = 64 : i64} : memref<40x1xi32>
// AMX: memref.alloca() {alignment = 64 : i64} : memref<128x32xi32>
// AMX: scf.if
// AMX:   math.roundeven
// AMX:   vector.maskedstore %[[QUADS]]
// AMX: amx.tile_zero : !amx.tile<16x16xi32>
// AMX: amx.tile_load %[[QUADS]]{{.*}} : memref<40x72xi8> into !amx.tile<16x64xi8>
// AMX: amx.tile_load %{{.*}} : memref<2x18x128xi8> into !amx.tile<16x64xi8>
// AMX: amx.tile_muli %{{.*}}, %{{.*}} zext, %{{.*}} : !amx.tile<16x64xi8>, !amx.tile<16x64xi8>, !amx.tile<16x16xi32>
// AMX: amx.tile_store
// AMX: scf.for %{{.*}} = %c16{{.*}} to %c18
// AMX:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// AMX: arith.sitofp
// AMX: return
// AMX-LABEL: func.func @gemm_amx_quad_groups
// AMX-NOT: amx.
// AMX: return
func.func @gemm_amx_quads(%a: memref<40x72xf32>, %p: memref<2x18x128xi8>, %s: memref<40xf32>, %c: memref<40x40xf32>) {
  xf_cpu.gemm %a, %p scales %s : memref<40xf32> outs(%c : memref<40x40xf32>) : memref<40x72xf32>, memref<2x18x128xi8>
  return
}
func.func @gemm_amx_quad_groups(%a: memref<40x64xf32>, %p: memref<2x16x128xi8>, %s: memref<40x4xf32>, %c: memref<40x40xf32>) {
  xf_cpu.gemm %a, %p scales %s : memref<40x4xf32> group 16 outs(%c : memref<40x40xf32>) : memref<40x64xf32>, memref<2x16x128xi8>
  return
}

// -----

// A GEMM on int8 quads: the input quantized per row (scale max |x| / 127,
// the maximum taken on the magnitudes' bits, a NaN row's scale NaN; rounded
// to even, its sums kept to take back the weights' +128), then per
// quad of K rows one vpdpbusd per accumulator with the row's four bytes
// broadcast as one 32-bit word, and the i32 sums dequantized by the row's
// and the channel's scales.
// CHECK-LABEL: func.func @gemm_quads
// CHECK: %[[A:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?xi8>
// CHECK: %[[AS:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf32>
// CHECK: %[[SUMS:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?xi32>
// CHECK: scf.parallel
// CHECK:   arith.andi %{{.*}} : vector<16xi32>
// CHECK:   arith.maxui %{{.*}} : vector<16xi32>
// CHECK:   %[[TOP:.*]] = vector.reduction <maxui>, %{{.*}} : vector<16xi32> into i32
// CHECK:   %[[TOPF:.*]] = arith.bitcast %[[TOP]] : i32 to f32
// CHECK:   arith.cmpf ole, %[[TOPF]]
// CHECK:   math.roundeven %{{.*}} : vector<16xf32>
// CHECK:   arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// CHECK:   vector.reduction <add>
// CHECK: scf.parallel
// CHECK:   vector.load %{{.*}} : memref<2x2x128xi8>, vector<64xi8>
// CHECK:   vector.load %[[A]]{{.*}} : memref<?x?xi8>, vector<4xi8>
// CHECK:   vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK:   llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK:   memref.load %[[AS]]
// CHECK:   memref.load %[[SUMS]]
// CHECK:   arith.muli %{{.*}}, %c128_i32
// CHECK:   arith.subi %{{.*}} : vector<16xi32>
// CHECK:   arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK: memref.dealloc %[[A]]
// Without AVX-512 VNNI: the bytes widened to i32 and split into their rows.
// AVX2-LABEL: func.func @gemm_quads
// AVX2: arith.extsi %{{.*}} : vector<4xi8> to vector<4xi32>
// AVX2: arith.extui %{{.*}} : vector<32xi8> to vector<32xi32>
// AVX2: vector.shuffle %{{.*}} [0, 4, 8, 12, 16, 20, 24, 28]
// AVX2: arith.muli %{{.*}} : vector<8xi32>
// AVX2-NOT: vpdpbusd
// AVX2: return
func.func @gemm_quads(%a: memref<5x7xf32>, %p: memref<2x2x128xi8>, %s: memref<40xf32>, %c: memref<5x40xf32>) {
  xf_cpu.gemm %a, %p scales %s : memref<40xf32> outs(%c : memref<5x40xf32>) : memref<5x7xf32>, memref<2x2x128xi8>
  return
}

// -----

// Scales per group of 4 quads (16 rows of K): the i32 sums of each group
// dequantized into f32 accumulators, the group's column of scales gathered.
// CHECK-LABEL: func.func @gemm_quad_groups
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>
// CHECK:   scf.for {{.*}} -> (vector<16xi32>
// CHECK:     llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK:   vector.gather %{{.*}}[%{{.*}}, %[[G]]] [%{{.*}}]{{.*}} : memref<40x2xf32>
// CHECK:   arith.addf %{{.*}} : vector<16xf32>
func.func @gemm_quad_groups(%a: memref<5x24xf32>, %p: memref<2x6x128xi8>, %s: memref<40x2xf32>, %c: memref<5x40xf32>) {
  xf_cpu.gemm %a, %p scales %s : memref<40x2xf32> group 16 outs(%c : memref<5x40xf32>) : memref<5x24xf32>, memref<2x6x128xi8>
  return
}

// -----

// A block-sparse GEMM: per panel, the range of its stored blocks, and per
// block its row of K; K = 40 is not a multiple of the 16 rows of a block,
// so the rows a block covers are cut at K.
// CHECK-LABEL: func.func @gemm_blocks
// CHECK: scf.parallel
// CHECK:   %[[FIRST:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:   %[[LAST:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:   scf.for %[[B:.*]] = %[[FIRST]] to %[[LAST]] step %{{.*}} iter_args
// CHECK:     memref.load %{{.*}}[%[[B]]] : memref<3xi32>
// The input rows of the next block are prefetched, one per tile row.
// CHECK-COUNT-4: memref.prefetch %{{.*}}, read, locality<3>, data : memref<5x40xf32>
// CHECK:     %[[COUNT:.*]] = arith.minsi
// CHECK:     scf.for %[[R:.*]] = %{{.*}} to %[[COUNT]] step %{{.*}} iter_args
// CHECK:       vector.load %{{.*}}[%[[B]], %[[R]], %{{.*}}] : memref<3x16x32xf32>, vector<16xf32>
// CHECK-COUNT-8: vector.fma
// CHECK:   arith.maximumf
// AVX2-LABEL: func.func @gemm_blocks
// AVX2: vector.load %{{.*}} : memref<3x16x32xf32>, vector<8xf32>
func.func @gemm_blocks(%a: memref<5x40xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %r: memref<3xi32>, %c: memref<5x40xf32>) {
  xf_cpu.gemm %a, %v blocks(%o, %r : memref<3xi32>, memref<3xi32>) act relu outs(%c : memref<5x40xf32>) : memref<5x40xf32>, memref<3x16x32xf32>
  return
}

// -----

// A 2:4 GEMM (K = 42: ten whole groups of 4 rows and a short one): per
// group the panel's first and second kept values and their rows (bytes,
// the second's two bits up), then per input row its 4 inputs in every
// 128-bit lane, permuted into each column's kept rows, two FMAs per vector;
// the last group reads its inputs masked.
// CHECK-LABEL: func.func @gemm_two_of_four
// CHECK: scf.for %[[G:[a-z0-9_]+]] = %{{.*}} to %[[WHOLE:[a-z0-9_]+]] step %{{.*}} iter_args
// CHECK:   vector.load %{{.*}}[%{{.*}}, %[[G]], %{{.*}}] : memref<3x11x32xf32>, vector<16xf32>
// CHECK:   vector.load %{{.*}}[%{{.*}}, %[[G]], %{{.*}}] : memref<3x11x32xf32>, vector<16xf32>
// CHECK:   %[[SEL:.*]] = vector.load %{{.*}}[%{{.*}}, %[[G]], %{{.*}}] : memref<3x11x16xi8>, vector<16xi8>
// CHECK:   %[[FIRST:.*]] = arith.extui %[[SEL]] : vector<16xi8> to vector<16xi32>
// CHECK:   arith.shrui %[[FIRST]]
// CHECK:   %[[X:.*]] = vector.load %{{.*}} : memref<5x42xf32>, vector<4xf32>
// CHECK:   %[[XS:.*]] = vector.shuffle %[[X]], %[[X]] [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]
// CHECK:   llvm.call_intrinsic "llvm.x86.avx512.vpermilvar.ps.512"(%[[XS]], %[[FIRST]])
// CHECK:   vector.fma
// CHECK: scf.for %{{.*}} = %[[WHOLE]] to
// CHECK:   vector.maskedload %{{.*}} : memref<5x42xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
// AVX2-LABEL: func.func @gemm_two_of_four
// AVX2: llvm.call_intrinsic "llvm.x86.avx.vpermilvar.ps.256"
func.func @gemm_two_of_four(%a: memref<5x42xf32>, %v: memref<3x11x32xf32>, %s: memref<3x11x16xi8>, %c: memref<5x40xf32>) {
  xf_cpu.gemm %a, %v two_of_four(%s : memref<3x11x16xi8>) outs(%c : memref<5x40xf32>) : memref<5x42xf32>, memref<3x11x32xf32>
  return
}

// -----

// An unstructured sparse GEMM runs on the transposed input: X^T in
// row tiles ([tiles, K, 16] for M = 5), 16 x 16 blocks transposed in
// registers; then per (row tile, 64 columns) K in blocks of 128 rows, and
// per column the run of its nonzeros in the block from the column's cursor
// (a while loop on their rows), each times a vector of X^T's rows, its sums
// in Y^T between blocks; Y^T is gathered back, column vector by column
// vector, through the epilogue.
// CHECK-LABEL: func.func @sparse_gemm
// CHECK: %[[XT:.*]] = memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x?x16xf32>
// CHECK: %[[YT:.*]] = memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x?x16xf32>
// CHECK: scf.parallel
// CHECK-COUNT-16: vector.insert %{{.*}} : vector<16xf32> into vector<16x16xf32>
// CHECK: vector.transpose %{{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK-COUNT-16: vector.maskedstore %[[XT]]
// CHECK-NOT: vector.scatter
// CHECK: scf.parallel
// CHECK:   %[[CURSORS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<64xindex>
// CHECK:   scf.for
// CHECK:     vector.store %{{.*}}, %[[YT]]
// CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128
// CHECK:     scf.for
// CHECK:       memref.load %[[CURSORS]]
// CHECK:       scf.if
// CHECK:         vector.load %[[YT]]
// CHECK:         scf.while
// CHECK:           scf.condition
// CHECK:           vector.load %[[XT]]
// CHECK:           vector.fma
// CHECK:         memref.store %{{.*}}, %[[CURSORS]]
// CHECK:         vector.store %{{.*}}, %[[YT]]
// CHECK: scf.parallel
// CHECK:   vector.gather %[[YT]]
// CHECK:   arith.maximumf
// CHECK: memref.dealloc %[[XT]]
// CHECK: memref.dealloc %[[YT]]
// AVX2-LABEL: func.func @sparse_gemm
// AVX2: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x?x8xf32>
func.func @sparse_gemm(%a: memref<5x40xf32>, %v: memref<9xf32>, %o: memref<71xi32>, %r: memref<9xi32>, %b: memref<70xf32>, %c: memref<5x70xf32>) {
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<71xi32>, memref<9xi32>) bias %b : memref<70xf32> act relu outs(%c : memref<5x70xf32>) : memref<5x40xf32>, memref<9xf32>
  return
}

// -----

// One row (a decode step): no transposes; per column a vector of nonzeros
// at a time, the input gathered at their rows, reduced into the column's
// lane of a vector of columns that goes through the epilogue.
// CHECK-LABEL: func.func @sparse_gemv
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel
// CHECK:   scf.for {{.*}} -> (vector<16xf32>)
// CHECK:     vector.maskedload %{{.*}} : memref<9xi32>, vector<16xi1>, vector<16xi32>
// CHECK:     vector.gather %{{.*}}[%{{.*}}, %{{.*}}] [%{{.*}}], %{{.*}}, %{{.*}} : memref<1x40xf32>, vector<16xi32>
// CHECK:     vector.fma
// CHECK:   vector.reduction <add>
// CHECK:   vector.insert %{{.*}}, %{{.*}} [0] : f32 into vector<16xf32>
// CHECK-COUNT-15: vector.insert
// CHECK:   vector.maskedstore %{{.*}} : memref<1x70xf32>
func.func @sparse_gemv(%a: memref<1x40xf32>, %v: memref<9xf32>, %o: memref<71xi32>, %r: memref<9xi32>, %c: memref<1x70xf32>) {
  xf_cpu.sparse_gemm %a, %v columns(%o, %r : memref<71xi32>, memref<9xi32>) outs(%c : memref<1x70xf32>) : memref<1x40xf32>, memref<9xf32>
  return
}

// -----

// Attention: K and V packed per KV head (rows outside the valid keys
// zero), then per (batch, head, query block): the transposed scaled
// queries, and per KV tile (up to the causal bound) the layout's verdict:
// the tile is skipped unless some pair is visible, and masked only unless
// every pair is. Then the scores by 8 x 2-vector tiles, the online softmax
// (running max, exp, running sum) and P V by 4 x 4-vector tiles.
// CHECK-LABEL: func.func @attention
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x2x?x64xf32>
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x2x?x64xf32>
// CHECK: scf.parallel
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<64x64xf32>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<128x64xf32>
// CHECK: arith.constant dense<-3.40282347E+38> : vector<16xf32>
// CHECK: scf.for
// CHECK:   %[[VISIT:.*]] = arith.cmpi sle, %{{.*}}, %{{.*}} : index
// CHECK:   %[[FULL:.*]] = arith.cmpi sle, %{{.*}}, %{{.*}} : index
// CHECK:   scf.if %[[VISIT]] {
// CHECK:     scf.for {{.*}} -> ({{(vector<16xf32>, )+}}vector<16xf32>) {
// CHECK:     %[[CUT:.*]] = arith.xori %{{.*}}, %true
// CHECK:     %[[NEED:.*]] = arith.ori %[[CUT]], %{{.*}} : i1
// CHECK:     scf.if %[[NEED]] {
// CHECK:       arith.cmpi sle, %{{.*}} : vector<16xi64>
// CHECK:       arith.maximumf %{{.*}} fastmath<reassoc,nnan,nsz,contract> : vector<16xf32>
// CHECK:     arith.shli
// CHECK:     scf.for {{.*}} -> ({{(vector<16xf32>, )+}}vector<16xf32>) {
// CHECK: arith.cmpf oeq
// CHECK: memref.dealloc
// CHECK: memref.dealloc
func.func @attention(%q: memref<1x100x256xf32>, %k: memref<1x100x128xf32>, %v: memref<1x100x128xf32>, %o: memref<1x100x256xf32>) {
  xf_cpu.flash_attention %q, %k, %v heads 4 kv_heads 2 scale 1.250000e-01 causal outs(%o : memref<1x100x256xf32>)
      : memref<1x100x256xf32>, memref<1x100x128xf32>, memref<1x100x128xf32>
  return
}

// -----

// A band narrower than four key tiles gets key tiles of a quarter of it
// (window 64: 16 keys per tile, so the scores tile is 16 x 64).
// CHECK-LABEL: func.func @attention_window
// CHECK: scf.parallel
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<64x64xf32>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<16x64xf32>
// CHECK: arith.cmpi slt, %{{.*}} : vector<16xi64>
func.func @attention_window(%q: memref<1x300x64xf32>, %o: memref<1x300x64xf32>) {
  xf_cpu.flash_attention %q, %q, %q heads 1 kv_heads 1 scale 1.250000e-01 causal window 64 outs(%o : memref<1x300x64xf32>)
      : memref<1x300x64xf32>, memref<1x300x64xf32>, memref<1x300x64xf32>
  return
}

// -----

// Run-time operands: the valid keys of each batch element are read once
// per item (clamped to the keys), a block-sparse layout reads its
// summed-area table four times per tile, and the run-time block mask is
// scanned over the tile's blocks.
// CHECK-LABEL: func.func @attention_runtime
// CHECK-SAME: %[[LEN:[a-z0-9]+]]: memref<2xi32>, %[[BM:[a-z0-9]+]]: memref<2x1x2x2xi8>, %[[T:[a-z0-9]+]]: memref<3x3xi32>
// CHECK: scf.parallel
// CHECK:   memref.load %[[LEN]]
// CHECK:   scf.for
// CHECK-COUNT-4: memref.load %[[T]]
// CHECK:     scf.for
// CHECK:       scf.for
// CHECK:         memref.load %[[BM]]
// CHECK:     scf.if
func.func @attention_runtime(%q: memref<2x64x32xf32>, %k: memref<2x64x32xf32>, %len: memref<2xi32>, %bm: memref<2x1x2x2xi8>,
                             %t: memref<3x3xi32>, %o: memref<2x64x32xf32>) {
  xf_cpu.flash_attention %q, %k, %k kv_len %len : memref<2xi32> block_mask %bm [32, 32] : memref<2x1x2x2xi8>
      block_table %t : memref<3x3xi32> heads 2 kv_heads 2 scale 0.25 causal blocks [32, 32] dense<true> : tensor<2x2xi1>
      outs(%o : memref<2x64x32xf32>) : memref<2x64x32xf32>, memref<2x64x32xf32>, memref<2x64x32xf32>
  return
}

// -----

// Packed sequences: the work items are the heads times every sequence's
// query blocks, counted and then located by walks over the offsets; tokens
// outside every sequence are zeroed first.
// CHECK-LABEL: func.func @attention_packed
// CHECK-SAME: %[[CU:[a-z0-9]+]]: memref<3xi32>
// CHECK: memref.load %[[CU]]
// CHECK: vector.store
// CHECK: scf.for {{.*}} -> (index)
// CHECK: scf.parallel
// CHECK:   scf.for {{.*}} -> (index, index, index, i1)
func.func @attention_packed(%x: memref<40x32xf32>, %cu: memref<3xi32>, %o: memref<40x32xf32>) {
  xf_cpu.flash_attention %x, %x, %x seq_offsets %cu : memref<3xi32> heads 2 kv_heads 2 scale 0.25 causal
      outs(%o : memref<40x32xf32>) : memref<40x32xf32>, memref<40x32xf32>, memref<40x32xf32>
  return
}

// -----

// The decode schedule: no packed copy of K or V (they are read in place:
// no memref<?x1x?x16xf32>, checked over the whole output);
// per (batch, split) item and KV head the 4 query heads of the group are
// the rows, scores are dot products with one horizontal sum each, the
// split's next chunk is prefetched into L2 while a chunk is computed, and
// the splits' partial results are merged in a second parallel loop.
// CHECK-LABEL: func.func @decode
// CHECK-SAME: %[[KC:[a-z0-9]+]]: memref<2x512x16xf32>
// CHECK:      %[[PART:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x4x18xf32>
// CHECK:      scf.parallel
// CHECK:        memref.alloca() {alignment = 64 : i64} : memref<4x128xf32>
// CHECK:        memref.prefetch %[[KC]][{{.*}}], read, locality<2>, data
// CHECK:        vector.load %[[KC]]
// CHECK:        vector.reduction <add>
// CHECK:      scf.parallel
// CHECK:        memref.load %[[PART]]
// CHECK:      memref.dealloc %[[PART]]
func.func @decode(%q: memref<2x1x64xf32>, %kc: memref<2x512x16xf32>, %len: memref<2xi32>, %o: memref<2x1x64xf32>) {
  xf_cpu.flash_attention %q, %kc, %kc kv_len %len : memref<2xi32> heads 4 kv_heads 1 scale 0.25 causal decode outs(%o : memref<2x1x64xf32>)
      : memref<2x1x64xf32>, memref<2x512x16xf32>, memref<2x512x16xf32>
  return
}

// -----

// Decode scratch past 512 KiB per item (64 heads x 16 queries as rows) is
// made on the heap and freed per item, not on a worker's stack.
// CHECK-LABEL: func.func @wide_decode
// CHECK: scf.parallel
// CHECK:   %[[S:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1024x128xf32>
// CHECK:   memref.dealloc %[[S]]
// CHECK:   scf.reduce
func.func @wide_decode(%q: memref<1x16x1024xf32>, %k: memref<1x64x1024xf32>, %o: memref<1x16x1024xf32>) {
  xf_cpu.flash_attention %q, %k, %k heads 64 kv_heads 64 scale 0.25 decode outs(%o : memref<1x16x1024xf32>)
      : memref<1x16x1024xf32>, memref<1x64x1024xf32>, memref<1x64x1024xf32>
  return
}

// -----

// Heads too wide for the scratch of a work item to sit on a worker's stack
// (64 queries x (2048 + 128 + 2048) floats): the scratch is allocated on
// the heap per item and freed at its end.
// CHECK-LABEL: func.func @wide_head_attention
// CHECK: scf.parallel
// CHECK: %[[QT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2048x64xf32>
// CHECK-NOT: memref.alloca
// CHECK: memref.dealloc %[[QT]]
// CHECK: scf.reduce
func.func @wide_head_attention(%q: memref<70x2048xf32>, %k: memref<70x2048xf32>, %v: memref<70x2048xf32>, %o: memref<70x2048xf32>) {
  xf_cpu.flash_attention %q, %k, %v heads 1 kv_heads 1 scale 1.250000e-01 outs(%o : memref<70x2048xf32>)
      : memref<70x2048xf32>, memref<70x2048xf32>, memref<70x2048xf32>
  return
}

// -----

// Norm: rows in parallel; vector sums with a masked tail for D = 20.
// CHECK-LABEL: func.func @norm
// CHECK: scf.parallel
// CHECK: vector.reduction <add>
// CHECK: vector.reduction <add>
// CHECK: math.sqrt
// CHECK: vector.fma
// CHECK: vector.maskedstore
func.func @norm(%x: memref<8x20xf32>, %g: memref<20xf32>, %b: memref<20xf32>, %y: memref<8x20xf32>) {
  xf_cpu.norm %x, %g, %b kind layer_norm eps 1.000000e-05 outs(%y : memref<8x20xf32>) : memref<8x20xf32>, memref<20xf32>, memref<20xf32>
  return
}

// -----

// top_k: each row's keys once into scratch, the threshold bit by bit
// (stopping once exactly k keys reach it), then either a store per set
// lane of the keys at or above it, a vector at a time, or the ordered scan
// where equal keys straddle the k-th place.
// CHECK-LABEL: func.func @top_k
// CHECK:      scf.parallel
// CHECK:        memref.alloca() {alignment = 64 : i64} : memref<40xi32>
// CHECK:        arith.bitcast %{{.*}} : vector<16xf32> to vector<16xi32>
// CHECK:        scf.while
// CHECK:          arith.cmpi uge, %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK:          vector.reduction <add>, %{{.*}} : vector<16xi32> into i32
// CHECK:        scf.if
// CHECK:          vector.bitcast %{{.*}} : vector<16xi1> to vector<1xi16>
// CHECK:          scf.while
// CHECK:            math.cttz %{{.*}} : i64
// CHECK:            memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<3x5xi64>
// CHECK:        } else {
// CHECK:          scf.for
// CHECK:            scf.if
// CHECK:              memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<3x5xi64>
// AVX2-LABEL: func.func @top_k
// AVX2-NOT:   scf.parallel
// AVX2:       vector.bitcast %{{.*}} : vector<8xi1> to vector<1xi8>
func.func @top_k(%s: memref<3x40xf32>, %i: memref<3x5xi64>) {
  xf_cpu.top_k %s k 5 outs(%i : memref<3x5xi64>) : memref<3x40xf32>
  return
}

// -----

// gather_mlp: the pairs sorted by neuron (counts, prefix sums, placement,
// each pair's neuron kept), then per neuron, four rows at a time: the next
// neuron's rows prefetched, gate and up of the four rows as eight
// independent FMA chains, their sums side by side for one activation.
// Then per block of 64 neurons its pairs put in row order (counts per row,
// prefix sums, placement) and each row's slice of 8 vectors of the output
// held in registers across its pairs (h times the neuron's W_down row),
// whole slices without lane masks, then the ragged last one with them.
// Two threads take halves of the neurons into copies of the output,
// summed with the bias at the end.
// CHECK-LABEL: func.func @gather_mlp
// CHECK:      %[[ENDS:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:      %[[ROWS:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:      %[[NEURONS:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:      memref.store %{{.*}}, %[[NEURONS]]
// CHECK:      %[[PARTIAL:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK:      scf.parallel
// CHECK:        memref.prefetch %{{.*}}[%{{.*}}, %{{.*}}], read, locality<3>, data : memref<40x20xf32>
// CHECK-COUNT-8: vector.fma
// CHECK:        vector.from_elements %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK:        %[[COUNTS:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:        %[[ORDER:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:        scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// CHECK:          memref.store %{{.*}}, %[[ORDER]]
// CHECK:          scf.if
// CHECK:            scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128
// CHECK-COUNT-8:      vector.load %[[PARTIAL]]
// CHECK:              scf.for
// CHECK-COUNT-8:        vector.load %arg4
// CHECK-COUNT-8:      vector.store %{{.*}}, %[[PARTIAL]]
// CHECK:            scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128
// CHECK-COUNT-8:      vector.maskedload %[[PARTIAL]]
// CHECK:              scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK:                memref.load %[[ORDER]]
// CHECK:                memref.load %[[NEURONS]]
// CHECK-COUNT-8:        vector.fma
// CHECK-COUNT-8:      vector.maskedstore %[[PARTIAL]]
// CHECK:        memref.dealloc %[[COUNTS]]
// CHECK:        memref.dealloc %[[ORDER]]
// CHECK:      scf.parallel
// CHECK:        vector.load %{{.*}}[%{{.*}}] : memref<24xf32>, vector<16xf32>
// CHECK:        vector.load %[[PARTIAL]]
// CHECK:        vector.load %[[PARTIAL]]
// CHECK:      memref.dealloc %[[PARTIAL]]
// AVX2-LABEL: func.func @gather_mlp
// AVX2-NOT:   scf.parallel
// AVX2-NOT:   memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// AVX2:       vector.fma {{.*}} : vector<8xf32>
func.func @gather_mlp(%x: memref<4x20xf32>, %n: memref<4x3xi64>, %u: memref<40x20xf32>, %g: memref<40x20xf32>,
                      %d: memref<40x24xf32>, %b: memref<24xf32>, %y: memref<4x24xf32>) {
  xf_cpu.gather_mlp %x, %n up %u gate %g : memref<40x20xf32> down %d down_bias %b : memref<24xf32> act silu outs(%y : memref<4x24xf32>)
      : memref<4x20xf32>, memref<4x3xi64>, memref<40x20xf32>, memref<40x24xf32>
  return
}
