// RUN: %check-pipelines %s -e ids_i64 | FileCheck %s
// RUN: %check-pipelines %s -e ids_i32_rank1 | FileCheck %s
// RUN: %check-pipelines %s -e embed_then_norm | FileCheck %s
// RUN: %check-pipelines %s -e single_id | FileCheck %s
// CHECK: 6 variants ok

func.func @ids_i64(%t: tensor<50x12xf32>, %ids: tensor<2x9xi64>) -> tensor<2x9x12xf32> {
  %y = xf.embedding %t, %ids : (tensor<50x12xf32>, tensor<2x9xi64>) -> tensor<2x9x12xf32>
  return %y : tensor<2x9x12xf32>
}

func.func @ids_i32_rank1(%t: tensor<7x3xf32>, %ids: tensor<1xi32>) -> tensor<1x3xf32> {
  %y = xf.embedding %t, %ids : (tensor<7x3xf32>, tensor<1xi32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

func.func @embed_then_norm(%t: tensor<100x32xf32>, %ids: tensor<1x5xi64>, %g: tensor<32xf32>) -> tensor<1x5x32xf32> {
  %e = xf.embedding %t, %ids : (tensor<100x32xf32>, tensor<1x5xi64>) -> tensor<1x5x32xf32>
  %y = xf.rms_norm %e, %g : (tensor<1x5x32xf32>, tensor<32xf32>) -> tensor<1x5x32xf32>
  return %y : tensor<1x5x32xf32>
}

// One token id of rank 0: one row.
func.func @single_id(%t: tensor<9x5xf32>, %ids: tensor<i64>) -> tensor<5xf32> {
  %y = xf.embedding %t, %ids : (tensor<9x5xf32>, tensor<i64>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}
