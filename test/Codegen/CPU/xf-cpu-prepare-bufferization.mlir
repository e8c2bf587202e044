// RUN: xf-opt %s --split-input-file --verify-diagnostics --xf-cpu-prepare-bufferization | FileCheck %s

// A value returned three times: the second and third results are copies,
// so that each result gets its own out-parameter buffer.
// CHECK-LABEL: func.func @returned_twice
// CHECK-SAME: (%[[X:.*]]: tensor<3x5xf32>)
// CHECK: %[[C1:.*]] = bufferization.alloc_tensor() copy(%[[X]]) : tensor<3x5xf32>
// CHECK: %[[C2:.*]] = bufferization.alloc_tensor() copy(%[[X]]) : tensor<3x5xf32>
// CHECK: return %[[X]], %[[C1]], %[[C2]]
func.func @returned_twice(%x: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  return %x, %x, %x : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// Distinct results stay as they are.
// CHECK-LABEL: func.func @distinct
// CHECK-NOT: bufferization.alloc_tensor
// CHECK: return %arg0, %arg1
func.func @distinct(%x: tensor<3x5xf32>, %y: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  return %x, %y : tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

func.func @empty_result(%x: tensor<4x3xf32>) -> tensor<4x0xf32> {
  // expected-error @+1 {{'tensor<4x0xf32>' has a zero-size dimension: xf does not compile empty tensors}}
  %e = tensor.empty() : tensor<4x0xf32>
  return %e : tensor<4x0xf32>
}

// -----

// expected-error @+1 {{'tensor<0x8xf32>' has a zero-size dimension: xf does not compile empty tensors}}
func.func @empty_argument(%x: tensor<0x8xf32>) -> tensor<0x8xf32> {
  return %x : tensor<0x8xf32>
}
