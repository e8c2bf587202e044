// RUN: xf-opt %s --split-input-file "--xf-prune=sparsity=0.5" | FileCheck %s
// RUN: xf-opt %s --split-input-file "--xf-prune=pattern=2:4" | FileCheck %s --check-prefix=TWO
// RUN: xf-opt %s --split-input-file "--xf-prune=pattern=blocks sparsity=0.5 block-rows=2 block-cols=2" | FileCheck %s --check-prefix=BLOCKS
// RUN: not xf-opt %s "--xf-prune=pattern=3:4" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not xf-opt %s "--xf-prune=sparsity=1.5" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: xf-prune: sparsity must be in [0, 1], pattern unstructured, 2:4 or blocks, block sizes positive

// Unstructured: the half of the elements of smallest magnitude go.
// CHECK-LABEL: func.func @unstructured
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, -5.000000e+00, 0.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x4xf32>
// CHECK: xf.linear %{{.*}}, %[[W]]
// Ties go by position in the [K, N] view: the first half.
// CHECK-LABEL: func.func @ties
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00], [1.000000e+00, 1.000000e+00]]> : tensor<4x2xf32>
// Weights that are arguments stay as they are.
// CHECK-LABEL: func.func @argument
// CHECK-NOT: arith.constant
// CHECK: return
func.func @unstructured(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %w = arith.constant dense<[[1.0, -5.0, 2.0, 0.5], [3.0, -0.1, 4.0, 6.0]]> : tensor<2x4xf32>
  %y = xf.linear %x, %w : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}
func.func @ties(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %y = xf.linear %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
func.func @argument(%x: tensor<3x4xf32>, %w: tensor<4x2xf32>) -> tensor<3x2xf32> {
  %y = xf.linear %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// 2:4 along K, here the columns of a [K, N] weight of K = 6: per group of
// 4 rows the 2 largest stay; the short last group (2 rows) keeps both.
// TWO-LABEL: func.func @two_of_four
// TWO: arith.constant dense<{{\[\[}}0.000000e+00], [0.000000e+00], [3.000000e+00], [4.000000e+00], [5.000000e-01], [-1.000000e+00]]> : tensor<6x1xf32>
// In layout nk ([N, K]) the groups run along the rows of storage.
// TWO: arith.constant dense<{{\[\[}}0.000000e+00, -7.000000e+00, 0.000000e+00, 2.000000e+00]]> : tensor<1x4xf32>
func.func @two_of_four(%x: tensor<1x6xf32>, %x4: tensor<1x4xf32>) -> (tensor<1x1xf32>, tensor<1x1xf32>) {
  %w = arith.constant dense<[[1.0], [2.0], [3.0], [4.0], [0.5], [-1.0]]> : tensor<6x1xf32>
  %y = xf.linear %x, %w : (tensor<1x6xf32>, tensor<6x1xf32>) -> tensor<1x1xf32>
  %v = arith.constant dense<[[1.0, -7.0, 0.5, 2.0]]> : tensor<1x4xf32>
  %z = xf.linear %x4, %v layout nk : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x1xf32>
  return %y, %z : tensor<1x1xf32>, tensor<1x1xf32>
}

// -----

// Blocks of 2 x 2: the two of smallest sum |w| go.
// BLOCKS-LABEL: func.func @blocks
// BLOCKS: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 5.000000e+00, 5.000000e+00], [0.000000e+00, 0.000000e+00, 5.000000e+00, 5.000000e+00], [3.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00], [3.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<4x4xf32>
// The weights of composite ops are pruned too, the optional gate included.
// BLOCKS-LABEL: func.func @mlp
// BLOCKS-COUNT-3: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 5.000000e+00, 5.000000e+00]
// BLOCKS: xf.mlp
func.func @blocks(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 5.0, 5.0], [1.0, 1.0, 5.0, 5.0], [3.0, 3.0, 2.0, 2.0], [3.0, 3.0, 2.0, 2.0]]> : tensor<4x4xf32>
  %y = xf.linear %x, %w : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
func.func @mlp(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 5.0, 5.0], [1.0, 1.0, 5.0, 5.0], [3.0, 3.0, 2.0, 2.0], [3.0, 3.0, 2.0, 2.0]]> : tensor<4x4xf32>
  %y = xf.mlp %x up %w gate %w down %w act silu : (tensor<1x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// Blocks cut by the edges (3 x 3 in blocks of 2 x 2: sizes 2x2, 2x1, 1x2,
// 1x1) rank by their sums like whole ones: the 2x2 block of sum 4 and the
// corner of 0.5 go.
// BLOCKS-LABEL: func.func @edge_blocks
// BLOCKS: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 9.000000e+00], [0.000000e+00, 0.000000e+00, 9.000000e+00], [4.000000e+00, 4.000000e+00, 0.000000e+00]]> : tensor<3x3xf32>
// Unstructured, the 5 smallest of the 9 elements go (0.5 x 9 rounded).
// CHECK-LABEL: func.func @edge_blocks
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 9.000000e+00], [0.000000e+00, 0.000000e+00, 9.000000e+00], [4.000000e+00, 4.000000e+00, 0.000000e+00]]> : tensor<3x3xf32>
func.func @edge_blocks(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 9.0], [1.0, 1.0, 9.0], [4.0, 4.0, 0.5]]> : tensor<3x3xf32>
  %y = xf.linear %x, %w : (tensor<1x3xf32>, tensor<3x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// A bf16 weight is pruned in its own type.
// CHECK-LABEL: func.func @bf16
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00, -5.000000e+00, 0.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x4xbf16>
// BLOCKS-LABEL: func.func @bf16
// BLOCKS: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 2.000000e+00, 5.000000e-01], [0.000000e+00, 0.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x4xbf16>
func.func @bf16(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %w = arith.constant dense<[[1.0, -5.0, 2.0, 0.5], [3.0, -0.125, 4.0, 6.0]]> : tensor<2x4xbf16>
  %y = xf.linear %x, %w : (tensor<3x2xf32>, tensor<2x4xbf16>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// The six weights of an xf.block are pruned, its norm weights are not.
// BLOCKS-LABEL: func.func @block
// BLOCKS-COUNT-6: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 5.000000e+00, 5.000000e+00]
// BLOCKS-NOT: arith.constant dense<{{\[\[}}1.0
// BLOCKS: xf.block
func.func @block(%x: tensor<1x4x4xf32>, %g: tensor<4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 5.0, 5.0], [1.0, 1.0, 5.0, 5.0], [3.0, 3.0, 2.0, 2.0], [3.0, 3.0, 2.0, 2.0]]> : tensor<4x4xf32>
  %y = xf.block %x heads 2 causal norm rms_norm pre act gelu norm1(%g) attn(%w, %w, %w, %w) norm2(%g)
      mlp(up %w down %w)
      : (tensor<1x4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>,
         tensor<4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  return %y : tensor<1x4x4xf32>
}
