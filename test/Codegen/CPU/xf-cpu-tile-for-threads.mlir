// RUN: xf-opt %s --split-input-file "--xf-cpu-tile-for-threads=threads=2" | FileCheck %s
// RUN: xf-opt %s --split-input-file "--xf-cpu-tile-for-threads=threads=1" | FileCheck %s --check-prefix=ONE

// The outer dimension splits into one chunk per thread; each chunk is the
// same generic on a slice.
// CHECK-LABEL: func.func @pointwise
// CHECK: scf.forall (%[[T:.*]]) in (2) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<64x32xf32>)
// CHECK:   tensor.extract_slice %{{.*}}[%{{.*}}, 0] [32, 32] [1, 1] : tensor<64x32xf32> to tensor<32x32xf32>
// CHECK:   linalg.generic
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice
// ONE-LABEL: func.func @pointwise
// ONE-NOT: scf.forall
func.func @pointwise(%x: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %e = tensor.empty() : tensor<64x32xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<64x32xf32>
  return %y : tensor<64x32xf32>
}

// -----

// A reduction over the inner dimension: the rows are split, each thread
// reduces whole rows.
// CHECK-LABEL: func.func @row_sums
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
func.func @row_sums(%x: tensor<64x32xf32>, %init: tensor<64xf32>) -> tensor<64xf32> {
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x32xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}

// -----

// Reductions over the outer dimension are left whole.
// CHECK-LABEL: func.func @column_sums
// CHECK-NOT: scf.forall
func.func @column_sums(%x: tensor<64x32xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>],
                       iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<64x32xf32>) outs(%init : tensor<32xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %y : tensor<32xf32>
}

// -----

// Grouped-query heads: d0 floordiv 2 indexes the same slice only from even
// offsets, so 6 heads split into tiles of 4 and 2, not 3 and 3.
// CHECK-LABEL: func.func @grouped_heads
// CHECK: scf.forall (%{{.*}}) = (0) to (6) step (4)
// CHECK: linalg.generic
func.func @grouped_heads(%x: tensor<6x8xf32>, %kv: tensor<3x8xf32>) -> tensor<6x8xf32> {
  %e = tensor.empty() : tensor<6x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(h, j) -> (h, j)>, affine_map<(h, j) -> (h floordiv 2, j)>, affine_map<(h, j) -> (h, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %kv : tensor<6x8xf32>, tensor<3x8xf32>) outs(%e : tensor<6x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<6x8xf32>
  return %y : tensor<6x8xf32>
}

// -----

// A quotient of more than the outer dimension has no safe tile offsets: the
// op is left whole.
// CHECK-LABEL: func.func @quotient_of_sum
// CHECK-NOT: scf.forall
func.func @quotient_of_sum(%x: tensor<6x8xf32>, %kv: tensor<7x8xf32>) -> tensor<6x8xf32> {
  %e = tensor.empty() : tensor<6x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(h, j) -> (h, j)>, affine_map<(h, j) -> ((h + j) floordiv 2, j)>, affine_map<(h, j) -> (h, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %kv : tensor<6x8xf32>, tensor<7x8xf32>) outs(%e : tensor<6x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<6x8xf32>
  return %y : tensor<6x8xf32>
}
