// Constant weights with zero blocks, rows or everything, through every
// pipeline variant against the reference: xf-sparsify-weights finds the
// blocks worth skipping and the GEMM visits only the stored ones (the
// remarks say which weights went block-sparse).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/sparse_npy.py %t/x7.npy 7x40 dense 1
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_blocks.npy 40x70 blocks:16:32:0.3 2
// RUN: %python %S/../Inputs/sparse_npy.py %t/b70.npy 70 dense 3
// RUN: %python %S/../Inputs/sparse_npy.py %t/r7.npy 7x70 dense 4
// RUN: %check-pipelines %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_blocks.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// RUN: xf-run %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_blocks.npy --input %t/b70.npy --input %t/r7.npy 2>&1 | FileCheck %s --check-prefix=BLOCKS
// BLOCKS: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}: block-sparse
//
// RUN: %python %S/../Inputs/sparse_npy.py %t/x3.npy 3x24 dense 5
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_zero.npy 24x40 zero
// RUN: %python %S/../Inputs/sparse_npy.py %t/b40.npy 40 dense 6
// RUN: %check-pipelines %s -e zero_weight --constant-weights --input %t/x3.npy --input %t/w_zero.npy --input %t/b40.npy | FileCheck %s
//
// RUN: %python %S/../Inputs/sparse_npy.py %t/x5.npy 5x64 dense 7
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_rows.npy 64x48 zero-rows:8 8
// RUN: %check-pipelines %s -e zero_rows --constant-weights --input %t/x5.npy --input %t/w_rows.npy | FileCheck %s
// RUN: xf-run %s -e zero_rows --constant-weights --input %t/x5.npy --input %t/w_rows.npy 2>&1 | FileCheck %s --check-prefix=ROWS
// ROWS: remark: xf-sparsify-weights: weight [64 x 48], 87.5% zeros{{.*}}blocks [1, 32]: 12.5% nonzero{{.*}}: block-sparse
//
// An input larger than the block-sparse GEMM's chunk of rows (1.5 MiB):
// 150 rows of K = 3000 go in chunks, each over both panels.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x150k.npy 150x3000 dense 22
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_tall.npy 3000x40 blocks:16:32:0.2 23
// RUN: %python %S/../Inputs/sparse_npy.py %t/b40t.npy 40 dense 24
// RUN: %check-pipelines %s -e blocks_row_chunks --constant-weights --input %t/x150k.npy --input %t/w_tall.npy --input %t/b40t.npy | FileCheck %s
//
// A decode step (one row) on a [N, K] weight whose [K, N] blocks of 16 x 32
// are 20% nonzero.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x1.npy 1x96 dense 9
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_nk.npy 128x96 blocks:32:16:0.2 10
// RUN: %check-pipelines %s -e decode_nk --constant-weights --input %t/x1.npy --input %t/w_nk.npy | FileCheck %s
//
// Zeros without blocks to skip (unstructured, 2:4): dense, and correct.
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_un.npy 40x70 unstructured:0.5 11
// RUN: %check-pipelines %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_un.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// RUN: xf-run %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_un.npy --input %t/b70.npy --input %t/r7.npy 2>&1 | FileCheck %s --check-prefix=DENSE
// DENSE: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}: stays dense
//
// Unstructured 90% zeros: the kernel on the transposed input, with the
// epilogue; M = 7 and 70 columns leave ragged tiles everywhere; and a
// decode step of one row.
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_un90.npy 40x70 unstructured:0.1 12
// RUN: %check-pipelines %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_un90.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// RUN: xf-run %s -e blocks_epilogue --constant-weights --input %t/x7.npy --input %t/w_un90.npy --input %t/b70.npy --input %t/r7.npy 2>&1 | FileCheck %s --check-prefix=UNSTRUCTURED
// UNSTRUCTURED: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}blocks [1, 1]{{.*}}: unstructured sparse
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_nk_un.npy 128x96 unstructured:0.05 13
// RUN: %check-pipelines %s -e decode_nk --constant-weights --input %t/x1.npy --input %t/w_nk_un.npy | FileCheck %s
// Unstructured over several blocks of K (128 rows each) and row tiles:
// K = 300 (blocks of 128, 128, 44), M = 150 (tiles of 128 and 22), 140
// columns (items of 64, 64, 12), empty columns and columns without
// nonzeros in the second block.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x150.npy 150x300 dense 19
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_gaps.npy 300x140 unstructured:0.1:gaps 20
// RUN: %python %S/../Inputs/sparse_npy.py %t/b140.npy 140 dense 21
// RUN: %check-pipelines %s -e unstructured_k_blocks --constant-weights --input %t/x150.npy --input %t/w_gaps.npy --input %t/b140.npy | FileCheck %s
// RUN: xf-run %s -e unstructured_k_blocks --constant-weights --input %t/x150.npy --input %t/w_gaps.npy --input %t/b140.npy 2>&1 | FileCheck %s --check-prefix=UNSTRUCTURED-K
// UNSTRUCTURED-K: remark: xf-sparsify-weights: weight [300 x 140]{{.*}}: unstructured sparse
// An unstructured hint on an all-zero weight: one explicit zero is stored.
// RUN: %check-pipelines %s -e zero_unstructured --constant-weights --input %t/x3.npy --input %t/w_zero.npy --input %t/b40.npy | FileCheck %s
//
// 2:4 weights. Prefill with the hint written (xf-sparsify-weights keeps 2:4
// for decode at the default threshold): K = 42 ends in a short group; 70
// columns leave a ragged panel; with the epilogue.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x7k42.npy 7x42 dense 14
// RUN: %python %S/../Inputs/sparse_npy.py %t/w24.npy 42x70 2:4 15
// RUN: %check-pipelines %s -e two_of_four --constant-weights --input %t/x7k42.npy --input %t/w24.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// Groups keeping 0, 1 or 2 values (empty columns among them).
// RUN: %python %S/../Inputs/sparse_npy.py %t/w24thin.npy 42x70 2:4:thin 16
// RUN: %check-pipelines %s -e two_of_four --constant-weights --input %t/x7k42.npy --input %t/w24thin.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// A decode step chooses 2:4 itself, on an [N, K] weight.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x1k42.npy 1x42 dense 17
// RUN: %python %S/../Inputs/sparse_npy.py %t/w24nk.npy 70x42 2:4:rows 18
// RUN: %check-pipelines %s -e decode_two_of_four --constant-weights --input %t/x1k42.npy --input %t/w24nk.npy | FileCheck %s
// RUN: xf-run %s -e decode_two_of_four --constant-weights --input %t/x1k42.npy --input %t/w24nk.npy 2>&1 | FileCheck %s --check-prefix=TWOFOUR
// TWOFOUR: remark: xf-sparsify-weights: weight [42 x 70], {{.*}} 2:4 yes; {{.*}}; 2:4, cost 0.500 of dense <= 0.80: 2:4 sparse
// A 2:4 hint on a weight that breaks it: dense, exact, and a warning.
// RUN: %python %S/../Inputs/sparse_npy.py %t/w_un42.npy 42x70 unstructured:0.8 19
// RUN: %check-pipelines %s -e two_of_four --constant-weights --input %t/x7k42.npy --input %t/w_un42.npy --input %t/b70.npy --input %t/r7.npy | FileCheck %s
// RUN: xf-run %s -e two_of_four --constant-weights --check --input %t/x7k42.npy --input %t/w_un42.npy --input %t/b70.npy --input %t/r7.npy 2>&1 | FileCheck %s --check-prefix=BROKEN
// BROKEN: warning: the weight has groups of 4 rows of K with more than 2 nonzeros
// BROKEN: max_rel_err={{.*}} ok
// Decode steps (one row) with bias, GELU and residual in each format:
// blocks, unstructured and 2:4 (which decode chooses itself).
// RUN: %python %S/../Inputs/sparse_npy.py %t/x1k40.npy 1x40 dense 25
// RUN: %python %S/../Inputs/sparse_npy.py %t/r1.npy 1x70 dense 26
// RUN: %python %S/../Inputs/sparse_npy.py %t/w24k40.npy 40x70 2:4 27
// RUN: %check-pipelines %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w_blocks.npy --input %t/b70.npy --input %t/r1.npy | FileCheck %s
// RUN: %check-pipelines %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w_un90.npy --input %t/b70.npy --input %t/r1.npy | FileCheck %s
// RUN: %check-pipelines %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w24k40.npy --input %t/b70.npy --input %t/r1.npy | FileCheck %s
// RUN: xf-run %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w_blocks.npy --input %t/b70.npy --input %t/r1.npy 2>&1 | FileCheck %s --check-prefix=DECODE-BLOCKS
// RUN: xf-run %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w_un90.npy --input %t/b70.npy --input %t/r1.npy 2>&1 | FileCheck %s --check-prefix=DECODE-UNSTRUCTURED
// RUN: xf-run %s -e decode_epilogue --constant-weights --input %t/x1k40.npy --input %t/w24k40.npy --input %t/b70.npy --input %t/r1.npy 2>&1 | FileCheck %s --check-prefix=DECODE-TWOFOUR
// DECODE-BLOCKS: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}: block-sparse
// DECODE-UNSTRUCTURED: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}: unstructured sparse
// DECODE-TWOFOUR: remark: xf-sparsify-weights: weight [40 x 70]{{.*}}: 2:4 sparse
// CHECK: 6 variants ok

func.func @decode_epilogue(%x: tensor<1x40xf32>, %w: tensor<40x70xf32>, %b: tensor<70xf32>,
                           %r: tensor<1x70xf32>) -> tensor<1x70xf32> {
  %y = xf.linear %x, %w bias %b act gelu residual %r
      : (tensor<1x40xf32>, tensor<40x70xf32>, tensor<70xf32>, tensor<1x70xf32>) -> tensor<1x70xf32>
  return %y : tensor<1x70xf32>
}

func.func @blocks_epilogue(%x: tensor<7x40xf32>, %w: tensor<40x70xf32>, %b: tensor<70xf32>,
                           %r: tensor<7x70xf32>) -> tensor<7x70xf32> {
  %y = xf.linear %x, %w bias %b act gelu residual %r
      : (tensor<7x40xf32>, tensor<40x70xf32>, tensor<70xf32>, tensor<7x70xf32>) -> tensor<7x70xf32>
  return %y : tensor<7x70xf32>
}

func.func @zero_weight(%x: tensor<3x24xf32>, %w: tensor<24x40xf32>, %b: tensor<40xf32>) -> tensor<3x40xf32> {
  %y = xf.linear %x, %w bias %b act silu : (tensor<3x24xf32>, tensor<24x40xf32>, tensor<40xf32>) -> tensor<3x40xf32>
  return %y : tensor<3x40xf32>
}

func.func @zero_rows(%x: tensor<5x64xf32>, %w: tensor<64x48xf32>) -> tensor<5x48xf32> {
  %y = xf.linear %x, %w : (tensor<5x64xf32>, tensor<64x48xf32>) -> tensor<5x48xf32>
  return %y : tensor<5x48xf32>
}

func.func @decode_nk(%x: tensor<1x96xf32>, %w: tensor<128x96xf32>) -> tensor<1x128xf32> {
  %y = xf.linear %x, %w layout nk : (tensor<1x96xf32>, tensor<128x96xf32>) -> tensor<1x128xf32>
  return %y : tensor<1x128xf32>
}

func.func @unstructured_k_blocks(%x: tensor<150x300xf32>, %w: tensor<300x140xf32>, %b: tensor<140xf32>) -> tensor<150x140xf32> {
  %y = xf.linear %x, %w bias %b act gelu
      : (tensor<150x300xf32>, tensor<300x140xf32>, tensor<140xf32>) -> tensor<150x140xf32>
  return %y : tensor<150x140xf32>
}

func.func @blocks_row_chunks(%x: tensor<150x3000xf32>, %w: tensor<3000x40xf32>, %b: tensor<40xf32>) -> tensor<150x40xf32> {
  %y = xf.linear %x, %w bias %b act relu
      : (tensor<150x3000xf32>, tensor<3000x40xf32>, tensor<40xf32>) -> tensor<150x40xf32>
  return %y : tensor<150x40xf32>
}

func.func @zero_unstructured(%x: tensor<3x24xf32>, %w: tensor<24x40xf32>, %b: tensor<40xf32>) -> tensor<3x40xf32> {
  %y = xf.linear %x, %w bias %b act gelu sparsity <blocks [1, 1]>
      : (tensor<3x24xf32>, tensor<24x40xf32>, tensor<40xf32>) -> tensor<3x40xf32>
  return %y : tensor<3x40xf32>
}

func.func @two_of_four(%x: tensor<7x42xf32>, %w: tensor<42x70xf32>, %b: tensor<70xf32>,
                       %r: tensor<7x70xf32>) -> tensor<7x70xf32> {
  %y = xf.linear %x, %w bias %b act gelu residual %r sparsity <2:4>
      : (tensor<7x42xf32>, tensor<42x70xf32>, tensor<70xf32>, tensor<7x70xf32>) -> tensor<7x70xf32>
  return %y : tensor<7x70xf32>
}

func.func @decode_two_of_four(%x: tensor<1x42xf32>, %w: tensor<70x42xf32>) -> tensor<1x70xf32> {
  %y = xf.linear %x, %w layout nk : (tensor<1x42xf32>, tensor<70x42xf32>) -> tensor<1x70xf32>
  return %y : tensor<1x70xf32>
}
