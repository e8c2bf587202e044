// The canonicalizer, which the graph pipeline runs next, composes the
// transposes and reshapes the pass leaves next to each other.
// RUN: xf-opt %s --split-input-file --xf-pack-attention-heads --canonicalize | FileCheck %s

// Heads split by a reshape and a transpose, attended with heads 1, merged
// back: the packed attention leaves no transpose.
// CHECK-LABEL: func.func @split_heads(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<2x6x32xf32>, %[[K:[a-z0-9]+]]: tensor<2x6x32xf32>, %[[V:[a-z0-9]+]]: tensor<2x6x32xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[A:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] heads 4 scale 0.3535533{{[0-9]*}} causal : (tensor<2x6x32xf32>, tensor<2x6x32xf32>, tensor<2x6x32xf32>) -> tensor<2x6x32xf32>
// CHECK-NEXT: return %[[A]]
func.func @split_heads(%q: tensor<2x6x32xf32>, %k: tensor<2x6x32xf32>, %v: tensor<2x6x32xf32>) -> tensor<2x6x32xf32> {
  %e = tensor.empty() : tensor<2x4x6x8xf32>
  %qe = tensor.expand_shape %q [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %qt = linalg.transpose ins(%qe : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %ke = tensor.expand_shape %k [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %kt = linalg.transpose ins(%ke : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %ve = tensor.expand_shape %v [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %vt = linalg.transpose ins(%ve : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %a = xf.attention %qt, %kt, %vt heads 1 causal : (tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>) -> tensor<2x4x6x8xf32>
  %o = tensor.empty() : tensor<2x6x4x8xf32>
  %at = linalg.transpose ins(%a : tensor<2x4x6x8xf32>) outs(%o : tensor<2x6x4x8xf32>) permutation = [0, 2, 1, 3]
  %r = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<2x6x4x8xf32> into tensor<2x6x32xf32>
  return %r : tensor<2x6x32xf32>
}

// -----

// Hugging Face's repeat_kv: each of 2 key/value heads broadcast to 2 and
// merged; the heads stay a batch axis of the callers' tensors.
// CHECK-LABEL: func.func @expand_repeat(
// CHECK-NOT: linalg.broadcast
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<1x2x5x8xf32>) outs(%{{.*}} : tensor<1x5x2x8xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[K:.*]] = tensor.collapse_shape %[[KT]] {{\[}}[0], [1], [2, 3]] : tensor<1x5x2x8xf32> into tensor<1x5x16xf32>
// CHECK: %[[A:.*]] = xf.attention %{{.*}}, %[[K]], %{{.*}} heads 4 kv_heads 2 scale 5.000000e-01
// CHECK-SAME: -> tensor<1x5x32xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[A]] {{\[}}[0], [1], [2, 3]] output_shape [1, 5, 4, 8]
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[E]] : tensor<1x5x4x8xf32>) outs(%{{.*}} : tensor<1x4x5x8xf32>) permutation = [0, 2, 1, 3]
// CHECK: return %[[R]]
func.func @expand_repeat(%q: tensor<1x4x5x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x8xf32>) -> tensor<1x4x5x8xf32> {
  %b = tensor.empty() : tensor<1x2x2x5x8xf32>
  %kb = linalg.broadcast ins(%k : tensor<1x2x5x8xf32>) outs(%b : tensor<1x2x2x5x8xf32>) dimensions = [2]
  %kr = tensor.collapse_shape %kb [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x8xf32> into tensor<1x4x5x8xf32>
  %vb = linalg.broadcast ins(%v : tensor<1x2x5x8xf32>) outs(%b : tensor<1x2x2x5x8xf32>) dimensions = [2]
  %vr = tensor.collapse_shape %vb [[0], [1, 2], [3], [4]] : tensor<1x2x2x5x8xf32> into tensor<1x4x5x8xf32>
  %a = xf.attention %q, %kr, %vr heads 1 scale 0.5 : (tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>) -> tensor<1x4x5x8xf32>
  return %a : tensor<1x4x5x8xf32>
}

// -----

// torch's repeat_interleave as exported: one slice per key/value head,
// broadcast, merged, concatenated in order.
// CHECK-LABEL: func.func @interleave_repeat(
// CHECK-NOT: tensor.concat
// CHECK: xf.attention {{.*}} heads 4 kv_heads 2 scale 0.3535533{{[0-9]*}}
// CHECK-SAME: (tensor<1x5x32xf32>, tensor<1x5x16xf32>, tensor<1x5x16xf32>) -> tensor<1x5x32xf32>
func.func @interleave_repeat(%q: tensor<1x4x5x8xf32>, %k: tensor<1x2x5x8xf32>) -> tensor<1x4x5x8xf32> {
  %k0 = tensor.extract_slice %k[0, 0, 0, 0] [1, 1, 5, 8] [1, 1, 1, 1] : tensor<1x2x5x8xf32> to tensor<1x1x5x8xf32>
  %k1 = tensor.extract_slice %k[0, 1, 0, 0] [1, 1, 5, 8] [1, 1, 1, 1] : tensor<1x2x5x8xf32> to tensor<1x1x5x8xf32>
  %b = tensor.empty() : tensor<1x1x2x5x8xf32>
  %b0 = linalg.broadcast ins(%k0 : tensor<1x1x5x8xf32>) outs(%b : tensor<1x1x2x5x8xf32>) dimensions = [2]
  %r0 = tensor.collapse_shape %b0 [[0], [1, 2], [3], [4]] : tensor<1x1x2x5x8xf32> into tensor<1x2x5x8xf32>
  %b1 = linalg.broadcast ins(%k1 : tensor<1x1x5x8xf32>) outs(%b : tensor<1x1x2x5x8xf32>) dimensions = [2]
  %r1 = tensor.collapse_shape %b1 [[0], [1, 2], [3], [4]] : tensor<1x1x2x5x8xf32> into tensor<1x2x5x8xf32>
  %kr = tensor.concat dim(1) %r0, %r1 : (tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) -> tensor<1x4x5x8xf32>
  %a = xf.attention %q, %kr, %kr heads 1 : (tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>) -> tensor<1x4x5x8xf32>
  return %a : tensor<1x4x5x8xf32>
}

// -----

// Heads tiled rather than repeated in a row (k, k): query head h would read
// key head h mod 2, which kv_heads cannot say; packed, with the copy.
// CHECK-LABEL: func.func @tiled_heads(
// CHECK: tensor.concat
// CHECK: xf.attention
// CHECK-NOT: kv_heads
// CHECK-SAME: heads 4 scale
// CHECK-SAME: (tensor<1x5x32xf32>, tensor<1x5x32xf32>, tensor<1x5x32xf32>) -> tensor<1x5x32xf32>
func.func @tiled_heads(%q: tensor<1x4x5x8xf32>, %k: tensor<1x2x5x8xf32>) -> tensor<1x4x5x8xf32> {
  %kr = tensor.concat dim(1) %k, %k : (tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) -> tensor<1x4x5x8xf32>
  %a = xf.attention %q, %kr, %kr heads 1 : (tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>) -> tensor<1x4x5x8xf32>
  return %a : tensor<1x4x5x8xf32>
}

// -----

// A rotary embedding after the heads split moves before it.
// CHECK-LABEL: func.func @rope_after_split(
// CHECK-NEXT: %[[R:.*]] = xf.rope %arg0 head_dim 8 rotary_dim 4 theta 5.000000e+05 : (tensor<2x6x32xf32>) -> tensor<2x6x32xf32>
// CHECK-NEXT: %[[E:.*]] = tensor.expand_shape %[[R]]
// CHECK: linalg.transpose ins(%[[E]] : tensor<2x6x4x8xf32>)
func.func @rope_after_split(%x: tensor<2x6x32xf32>) -> tensor<2x4x6x8xf32> {
  %e = tensor.empty() : tensor<2x4x6x8xf32>
  %xe = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %xt = linalg.transpose ins(%xe : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %r = xf.rope %xt head_dim 8 rotary_dim 4 theta 5.0e+05 : (tensor<2x4x6x8xf32>) -> tensor<2x4x6x8xf32>
  return %r : tensor<2x4x6x8xf32>
}

// -----

// Positions per sequence broadcast over the heads (rotary tables gathered by
// position ids) move along: the rope before the split reads them per
// sequence. Positions that differ by head keep the rope where it is.
// CHECK-LABEL: func.func @rope_positions(
// CHECK-NEXT: %[[R:.*]] = xf.rope %arg0 positions %arg1 head_dim 8 : (tensor<2x6x32xf32>, tensor<2x6xi64>) -> tensor<2x6x32xf32>
// CHECK-NEXT: %[[E:.*]] = tensor.expand_shape %[[R]]
// CHECK: linalg.transpose ins(%[[E]] : tensor<2x6x4x8xf32>)
// CHECK-LABEL: func.func @rope_positions_by_head(
// CHECK: linalg.transpose
// CHECK: xf.rope %{{.*}} positions %arg1 head_dim 8 : (tensor<2x4x6x8xf32>, tensor<2x4x6xi64>)
func.func @rope_positions(%x: tensor<2x6x32xf32>, %p: tensor<2x6xi64>) -> tensor<2x4x6x8xf32> {
  %e = tensor.empty() : tensor<2x4x6x8xf32>
  %xe = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %xt = linalg.transpose ins(%xe : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %pe = tensor.empty() : tensor<2x4x6xi64>
  %pb = linalg.broadcast ins(%p : tensor<2x6xi64>) outs(%pe : tensor<2x4x6xi64>) dimensions = [1]
  %r = xf.rope %xt positions %pb head_dim 8 : (tensor<2x4x6x8xf32>, tensor<2x4x6xi64>) -> tensor<2x4x6x8xf32>
  return %r : tensor<2x4x6x8xf32>
}
func.func @rope_positions_by_head(%x: tensor<2x6x32xf32>, %p: tensor<2x4x6xi64>) -> tensor<2x4x6x8xf32> {
  %e = tensor.empty() : tensor<2x4x6x8xf32>
  %xe = tensor.expand_shape %x [[0], [1], [2, 3]] output_shape [2, 6, 4, 8] : tensor<2x6x32xf32> into tensor<2x6x4x8xf32>
  %xt = linalg.transpose ins(%xe : tensor<2x6x4x8xf32>) outs(%e : tensor<2x4x6x8xf32>) permutation = [0, 2, 1, 3]
  %r = xf.rope %xt positions %p head_dim 8 : (tensor<2x4x6x8xf32>, tensor<2x4x6xi64>) -> tensor<2x4x6x8xf32>
  return %r : tensor<2x4x6x8xf32>
}

// -----

// Not rewritten: an additive mask, and heads already merged into the batch
// (rank 3).
// CHECK-LABEL: func.func @masked(
// CHECK-NEXT: xf.attention %arg0, %arg0, %arg0 mask %arg1 heads 1
// CHECK-LABEL: func.func @merged_batch(
// CHECK-NEXT: xf.attention %arg0, %arg0, %arg0 heads 1
func.func @masked(%q: tensor<1x4x5x8xf32>, %m: tensor<5x5xf32>) -> tensor<1x4x5x8xf32> {
  %a = xf.attention %q, %q, %q mask %m heads 1 : (tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>, tensor<5x5xf32>) -> tensor<1x4x5x8xf32>
  return %a : tensor<1x4x5x8xf32>
}
func.func @merged_batch(%q: tensor<8x5x8xf32>) -> tensor<8x5x8xf32> {
  %a = xf.attention %q, %q, %q heads 1 : (tensor<8x5x8xf32>, tensor<8x5x8xf32>, tensor<8x5x8xf32>) -> tensor<8x5x8xf32>
  return %a : tensor<8x5x8xf32>
}
