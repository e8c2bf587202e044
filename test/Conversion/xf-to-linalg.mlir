// RUN: xf-opt %s --split-input-file --xf-to-linalg --canonicalize | FileCheck %s

// A linear layer: the bias is broadcast into the init tensor, the product is
// a reduction generic (weight read transposed for layout nk), and the
// activation is a parallel generic. Dynamic rows come from tensor.dim.
// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$WNK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear_nk
// CHECK-SAME: (%[[IN:.*]]: tensor<?x16xf32>, %[[W:.*]]: tensor<32x16xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK:      %[[ROWS:.*]] = tensor.dim %[[IN]], %{{.*}} : tensor<?x16xf32>
// CHECK:      %[[E:.*]] = tensor.empty(%[[ROWS]]) : tensor<?x32xf32>
// CHECK:      %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[$BIAS]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[B]] : tensor<32xf32>) outs(%[[E]] : tensor<?x32xf32>)
// CHECK:      %[[MM:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$WNK]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[IN]], %[[W]] : {{.*}}) outs(%[[INIT]] : tensor<?x32xf32>)
// CHECK:        arith.mulf
// CHECK:        arith.addf
// CHECK:      linalg.generic {{.*}} ins(%[[MM]] : tensor<?x32xf32>)
// CHECK:        arith.maximumf
func.func @linear_nk(%x: tensor<?x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>) -> tensor<?x32xf32> {
  %y = xf.linear %x, %w bias %b layout nk act relu : (tensor<?x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// Broadcasting reads size-1 dimensions at index 0.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK:   arith.addf
func.func @add_broadcast(%x: tensor<4x16xf32>, %c: tensor<4x1xf32>) -> tensor<4x16xf32> {
  %y = xf.add %x, %c : (tensor<4x16xf32>, tensor<4x1xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Batched matmul with a transposed rhs and a broadcast (missing) batch
// dimension on the lhs.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_transpose_rhs
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_transpose_rhs(%a: tensor<4x8xf32>, %b: tensor<3x5x8xf32>) -> tensor<3x4x5xf32> {
  %y = xf.matmul %a, %b transpose_rhs : (tensor<4x8xf32>, tensor<3x5x8xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

// Ids are clamped to the table before the gather.
// CHECK-LABEL: func.func @embedding
// CHECK-DAG: %[[LAST:.*]] = arith.constant 9 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: linalg.generic
// CHECK:   %[[ID:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:   %[[LO:.*]] = arith.maxsi %[[ID]], %[[ZERO]] : index
// CHECK:   %[[HI:.*]] = arith.minsi %[[LO]], %[[LAST]] : index
// CHECK:   %[[D:.*]] = linalg.index 1 : index
// CHECK:   tensor.extract %{{.*}}[%[[HI]], %[[D]]] : tensor<10x4xf32>
func.func @embedding(%t: tensor<10x4xf32>, %i: tensor<3xi32>) -> tensor<3x4xf32> {
  %y = xf.embedding %t, %i : (tensor<10x4xf32>, tensor<3xi32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// A single id of rank 0 is read by every feature of the one row.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @embedding_single_id
// CHECK: linalg.generic {indexing_maps = [#[[$SCALAR]], #{{.*}}], iterator_types = ["parallel"]} ins(%{{.*}} : tensor<i64>) outs(%{{.*}} : tensor<4xf32>)
func.func @embedding_single_id(%t: tensor<10x4xf32>, %i: tensor<i64>) -> tensor<4xf32> {
  %y = xf.embedding %t, %i : (tensor<10x4xf32>, tensor<i64>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// LayerNorm: sum, centered values, sum of squares, then the affine map.
// CHECK-LABEL: func.func @layer_norm
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:   arith.addf
// CHECK: tensor.expand_shape
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:   arith.divf
// CHECK:   arith.subf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:   arith.mulf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:   math.sqrt
func.func @layer_norm(%x: tensor<4x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Softmax guards all -inf slices: the shift becomes 0 and 0 / 0 becomes 0.
// CHECK-LABEL: func.func @softmax
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK:   arith.maximumf
// CHECK: linalg.generic
// CHECK:   %[[EMPTY:.*]] = arith.cmpf oeq, %{{.*}}, %[[NINF]] : f32
// CHECK:   %[[SHIFT:.*]] = arith.select %[[EMPTY]], %[[ZERO]], %{{.*}} : f32
// CHECK:   math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: linalg.generic
// CHECK:   arith.cmpf oeq, %{{.*}}, %[[ZERO]] : f32
// CHECK:   arith.divf
// CHECK:   arith.select
func.func @softmax(%x: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %y = xf.softmax %x axis 1 : tensor<2x5x3xf32> -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// Attention: heads split by a free reshape, key/value heads shared through
// `h floordiv (H / Hkv)`, a causal sliding window aligned to the bottom
// right (4 queries against 8 keys: query i sits at position i + 4 and sees
// keys at distance < 3 up to it), softmax over the keys and the second
// contraction; the heads are packed again.
// CHECK-DAG: #[[$Q:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1 floordiv 2, d4)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$V:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2 floordiv 2, d3)>
// CHECK-LABEL: func.func @attention_gqa_window
// CHECK-DAG: %[[OFF:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[SKV:.*]] = arith.constant 8 : index
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [2, 4, 4, 8] : tensor<2x4x32xf32> into tensor<2x4x4x8xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [2, 8, 2, 8] : tensor<2x8x16xf32> into tensor<2x8x2x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$Q]], #[[$K]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK: linalg.generic
// CHECK:   %[[ROW:.*]] = linalg.index 2 : index
// CHECK:   %[[COL:.*]] = linalg.index 3 : index
// CHECK:   %[[VALID:.*]] = arith.cmpi slt, %[[COL]], %[[SKV]] : index
// CHECK:   %[[POS:.*]] = arith.addi %[[ROW]], %[[OFF]] : index
// CHECK:   %[[CAUSAL:.*]] = arith.cmpi sle, %[[COL]], %[[POS]] : index
// CHECK:   %[[D:.*]] = arith.subi %[[POS]], %[[COL]] : index
// CHECK:   %[[ND:.*]] = arith.subi %{{.*}}, %[[D]] : index
// CHECK:   %[[DIST:.*]] = arith.maxsi %[[D]], %[[ND]] : index
// CHECK:   %[[INWIN:.*]] = arith.cmpi slt, %[[DIST]], %{{.*}} : index
// CHECK:   %[[LAYOUT:.*]] = arith.andi %[[CAUSAL]], %[[INWIN]] : i1
// CHECK:   %[[KEEP:.*]] = arith.andi %[[VALID]], %[[LAYOUT]] : i1
// CHECK:   arith.select %[[KEEP]], %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$V]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<2x4x4x8xf32> into tensor<2x4x32xf32>
func.func @attention_gqa_window(%q: tensor<2x4x32xf32>, %k: tensor<2x8x16xf32>) -> tensor<2x4x32xf32> {
  %y = xf.attention %q, %k, %k heads 4 kv_heads 2 causal window 3
      : (tensor<2x4x32xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x4x32xf32>
  return %y : tensor<2x4x32xf32>
}

// -----

// Run-time masks: each batch element's valid keys (clamped to the keys)
// align the layout, and the block mask is read at the pair's block.
// CHECK-LABEL: func.func @attention_runtime
// CHECK-SAME: (%{{.*}}: tensor<2x1x16xf32>, %{{.*}}: tensor<2x8x16xf32>, %[[LEN:.*]]: tensor<2xi32>, %[[BM:.*]]: tensor<2x1x1x2xi8>)
// One query: its block row folds to 0.
// CHECK: linalg.generic
// CHECK:   %[[B:.*]] = linalg.index 0 : index
// CHECK:   %[[COL:.*]] = linalg.index 3 : index
// CHECK:   %[[L:.*]] = tensor.extract %[[LEN]][%[[B]]] : tensor<2xi32>
// CHECK:   %[[VALID:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK:   arith.cmpi slt, %[[COL]], %[[VALID]] : index
// CHECK:   %[[C:.*]] = arith.divui %[[COL]], %{{.*}} : index
// CHECK:   tensor.extract %[[BM]][%[[B]], %{{.*}}, %{{.*}}, %[[C]]] : tensor<2x1x1x2xi8>
func.func @attention_runtime(%q: tensor<2x1x16xf32>, %k: tensor<2x8x16xf32>, %len: tensor<2xi32>, %bm: tensor<2x1x1x2xi8>) -> tensor<2x1x16xf32> {
  %y = xf.attention %q, %k, %k kv_len %len block_mask %bm [4, 4] heads 2 causal
      : (tensor<2x1x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2xi32>, tensor<2x1x1x2xi8>) -> tensor<2x1x16xf32>
  return %y : tensor<2x1x16xf32>
}

// -----

// Packed sequences: a query and a key count only within one sequence, at
// positions from its first token.
// CHECK-LABEL: func.func @attention_packed
// CHECK: linalg.generic
// CHECK:   %[[QSEQ:.*]]:2 = scf.for
// CHECK:   %[[KSEQ:.*]]:2 = scf.for
// CHECK:   arith.cmpi eq, %[[QSEQ]]#0, %[[KSEQ]]#0 : index
func.func @attention_packed(%q: tensor<10x16xf32>, %cu: tensor<3xi32>) -> tensor<10x16xf32> {
  %y = xf.attention %q, %q, %q seq_offsets %cu heads 2 causal
      : (tensor<10x16xf32>, tensor<10x16xf32>, tensor<10x16xf32>, tensor<3xi32>) -> tensor<10x16xf32>
  return %y : tensor<10x16xf32>
}

// -----

// The cache write: per batch element, the update's rows go into rows
// [len - S, len) of the loop-carried cache, clipped to its capacity.
// CHECK-LABEL: func.func @cache_write
// CHECK-SAME: (%[[U:.*]]: tensor<2x1x16xf32>, %[[C:.*]]: tensor<2x8x16xf32>, %[[LEN:.*]]: tensor<2xi32>)
// CHECK: %[[R:.*]] = scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[C]])
// CHECK:   tensor.extract %[[LEN]][%[[B]]]
// CHECK:   %[[ROWS:.*]] = tensor.extract_slice %[[U]][%[[B]], %{{.*}}, 0] [1, %{{.*}}, 16]
// CHECK:   %[[W:.*]] = tensor.insert_slice %[[ROWS]] into %[[ACC]][%[[B]], %{{.*}}, 0] [1, %{{.*}}, 16]
// CHECK:   scf.yield %[[W]]
// CHECK: return %[[R]]
func.func @cache_write(%u: tensor<2x1x16xf32>, %c: tensor<2x8x16xf32>, %len: tensor<2xi32>) -> tensor<2x8x16xf32> {
  %y = xf.cache_write %u into %c kv_len %len : (tensor<2x1x16xf32>, tensor<2x8x16xf32>, tensor<2xi32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----

// Rotary embedding: a table of cos and sin per position and pair, the
// angle reduced modulo 2 pi in f64, then the rotation of the two halves of
// every head, each an affine slice, written into the output's slices.
// CHECK-LABEL: func.func @rope
// CHECK: %[[T:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x4xf32>)
// CHECK:   math.roundeven %{{.*}} : f64
// CHECK:   math.fma %{{.*}} : f64
// CHECK:   arith.truncf %{{.*}} : f64 to f32
// CHECK:   math.cos %{{.*}} : f32
// CHECK:   math.sin %{{.*}} : f32
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 8, 4, 8]
// CHECK: %[[LO:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 8, 4, 4]
// CHECK: %[[HI:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 4] [1, 8, 4, 4]
// CHECK: linalg.generic {{.*}} ins(%[[LO]], %[[HI]], %[[T]]#0, %[[T]]#1 : {{.*}})
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
// CHECK: tensor.collapse_shape
func.func @rope(%x: tensor<1x8x32xf32>) -> tensor<1x8x32xf32> {
  %y = xf.rope %x head_dim 8 : (tensor<1x8x32xf32>) -> tensor<1x8x32xf32>
  return %y : tensor<1x8x32xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.divf
func.func @activations(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = xf.gelu %x : tensor<8xf32>
  %1 = xf.gelu %x approximate tanh : tensor<8xf32>
  %2 = xf.silu %x : tensor<8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Composite ops are expanded and lowered in the same pass.
// CHECK-LABEL: func.func @mlp
// CHECK-NOT: xf.
// CHECK: return
func.func @mlp(%x: tensor<4x16xf32>, %w1: tensor<16x64xf32>, %w2: tensor<64x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.mlp %x up %w1 down %w2 act gelu : (tensor<4x16xf32>, tensor<16x64xf32>, tensor<64x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A bf16 weight is read as it is and widened to f32 inside the product.
// CHECK-LABEL: func.func @bf16_weight
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16x8xbf16>)
// CHECK:   arith.extf %{{.*}} : bf16 to f32
// CHECK:   arith.mulf
func.func @bf16_weight(%x: tensor<4x16xf32>, %w: tensor<16x8xbf16>) -> tensor<4x8xf32> {
  %y = xf.linear %x, %w : (tensor<4x16xf32>, tensor<16x8xbf16>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Dequantization: each int8 value times its channel's scale for its group
// (k floordiv 8 along the reduced dimension).
// CHECK-DAG: #[[$GROUP:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 8)>
// CHECK-LABEL: func.func @dequantize_groups
// CHECK: linalg.generic
// CHECK-SAME: #[[$GROUP]]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<6x20xi8>, tensor<6x3xf32>)
// CHECK:   arith.sitofp %{{.*}} : i8 to f32
// CHECK:   arith.mulf
func.func @dequantize_groups(%q: tensor<6x20xi8>, %s: tensor<6x3xf32>) -> tensor<6x20xf32> {
  %w = xf.dequantize %q scales %s axis 0 group 8 : (tensor<6x20xi8>, tensor<6x3xf32>) -> tensor<6x20xf32>
  return %w : tensor<6x20xf32>
}

// -----

// top_k: keys in totalOrder, the k-th largest key built bit by bit (a
// count per row against the threshold with the bit set), the keys above
// it counted, then one ordered scan per row that takes every key above
// the k-th and the first equal ones (lower indices) while room is left.
// CHECK-LABEL: func.func @top_k
// CHECK:      %[[ROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<3x2x8xf32> into tensor<6x8xf32>
// CHECK:      linalg.generic {{.*}} ins(%[[ROWS]] : tensor<6x8xf32>)
// CHECK:        %[[BITS:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK:        %[[NEG:.*]] = arith.cmpi slt, %[[BITS]], %{{.*}} : i32
// CHECK:        arith.select %[[NEG]], %{{.*}}, %{{.*}} : i32
// CHECK:        arith.xori %[[BITS]], %{{.*}} : i32
// CHECK:      scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[T:.*]] = %{{.*}}) -> (tensor<6xi32>)
// CHECK:        linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:          arith.cmpi uge
// CHECK:        linalg.generic {{.*}} outs(%[[T]] : tensor<6xi32>)
// CHECK:          arith.cmpi sge, %{{.*}}, %{{.*}} : i32
// CHECK:      linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:        arith.cmpi ugt
// CHECK:      scf.for
// CHECK:        scf.for {{.*}} -> (index, i32, tensor<6x3xi64>)
// CHECK:          %[[ABOVE:.*]] = arith.cmpi ugt
// CHECK:          %[[EQ:.*]] = arith.cmpi eq
// CHECK:          %[[ROOM:.*]] = arith.cmpi slt
// CHECK:          %[[TIE:.*]] = arith.andi %[[EQ]], %[[ROOM]] : i1
// CHECK:          %[[TAKE:.*]] = arith.ori %[[ABOVE]], %[[TIE]] : i1
// CHECK:          scf.if %[[TAKE]]
// CHECK:            tensor.insert
// CHECK:      tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [3, 2, 3] : tensor<6x3xi64> into tensor<3x2x3xi64>
func.func @top_k(%s: tensor<3x2x8xf32>) -> tensor<3x2x3xi64> {
  %y = xf.top_k %s k 3 : (tensor<3x2x8xf32>) -> tensor<3x2x3xi64>
  return %y : tensor<3x2x3xi64>
}

// -----

// gather_mlp (layout nk, bf16 weights): both projections onto the
// selected neurons in one reduction, ids clamped to the hidden size, then
// the gated unit with the gathered biases, then the down projection
// gathering the selected columns of W_down.
// CHECK-LABEL: func.func @gather_mlp
// CHECK-DAG:  %[[LAST:.*]] = arith.constant 15 : index
// CHECK:      %{{.*}}:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x8xf32>, tensor<2x3xi32>)
// CHECK:        %[[ID:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK:        %[[LO:.*]] = arith.maxsi %[[ID]], %{{.*}} : index
// CHECK:        %[[N:.*]] = arith.minsi %[[LO]], %[[LAST]] : index
// CHECK:        %[[D:.*]] = linalg.index 2 : index
// CHECK:        %[[W:.*]] = tensor.extract %{{.*}}[%[[N]], %[[D]]] : tensor<16x8xbf16>
// CHECK:        arith.extf %[[W]] : bf16 to f32
// CHECK:      linalg.generic
// CHECK:        tensor.extract %{{.*}}[%{{.*}}] : tensor<16xf32>
// CHECK:        math.exp
// CHECK:      linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xi32>)
// CHECK:        %[[C:.*]] = linalg.index 1 : index
// CHECK:        tensor.extract %{{.*}}[%[[C]], %{{.*}}] : tensor<8x16xbf16>
func.func @gather_mlp(%x: tensor<2x8xf32>, %n: tensor<2x3xi32>, %wu: tensor<16x8xbf16>, %wg: tensor<16x8xbf16>,
                      %wd: tensor<8x16xbf16>, %bu: tensor<16xf32>) -> tensor<2x8xf32> {
  %y = xf.gather_mlp %x neurons %n up %wu gate %wg down %wd up_bias %bu act silu layout nk
      : (tensor<2x8xf32>, tensor<2x3xi32>, tensor<16x8xbf16>, tensor<16x8xbf16>, tensor<8x16xbf16>, tensor<16xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
