// RUN: xf-opt %s --split-input-file --xf-fuse-epilogue | FileCheck %s

// Bias, then activation, then residual all land in the linear.
// CHECK-LABEL: func.func @bias_act_residual
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<16xf32>, %[[R:.*]]: tensor<4x16xf32>)
// CHECK-NEXT: %[[Y:.*]] = xf.linear %[[X]], %[[W]] bias %[[B]] act gelu residual %[[R]] :
// CHECK-NEXT: return %[[Y]]
func.func @bias_act_residual(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %r: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = xf.add %0, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = xf.gelu %1 : tensor<4x16xf32>
  %3 = xf.add %r, %2 : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %3 : tensor<4x16xf32>
}

// -----

// Each activation kind.
// CHECK-LABEL: func.func @activations
// CHECK: xf.linear {{.*}} act gelu_tanh :
// CHECK: xf.linear {{.*}} act silu :
// CHECK: xf.linear {{.*}} act relu :
// CHECK-NOT: xf.gelu
// CHECK-NOT: xf.silu
// CHECK-NOT: xf.relu
func.func @activations(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.gelu %0 approximate tanh : tensor<4x8xf32>
  %2 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %3 = xf.silu %2 : tensor<4x8xf32>
  %4 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %5 = xf.relu %4 : tensor<4x8xf32>
  return %1, %3, %5 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// An activation applied after the residual is not an epilogue of this form:
// the residual folds, the activation stays outside.
// CHECK-LABEL: func.func @residual_then_activation
// CHECK: %[[Y:.*]] = xf.linear %{{.*}}, %{{.*}} residual %{{.*}} :
// CHECK: xf.relu %[[Y]]
func.func @residual_then_activation(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.add %0, %r : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = xf.relu %1 : tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// A bias added after the activation is not the linear's bias.
// CHECK-LABEL: func.func @bias_after_activation
// CHECK: %[[Y:.*]] = xf.linear %{{.*}}, %{{.*}} act silu :
// CHECK: xf.add %[[Y]], %{{.*}} : (tensor<4x8xf32>, tensor<8xf32>)
func.func @bias_after_activation(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.silu %0 : tensor<4x8xf32>
  %2 = xf.add %1, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}

// -----

// The product has another use: folding would change what that use sees.
// CHECK-LABEL: func.func @shared_product
// CHECK: %[[Y:.*]] = xf.linear %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK: xf.gelu %[[Y]]
// CHECK: return
func.func @shared_product(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.gelu %0 : tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A residual that broadcasts is not a residual epilogue.
// CHECK-LABEL: func.func @broadcast_add
// CHECK: xf.linear %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK: xf.add
func.func @broadcast_add(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %r: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %0 = xf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %1 = xf.add %0, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// A product with a 2-D right operand is a linear layer and gets epilogues.
// CHECK-LABEL: func.func @matmul_as_linear
// CHECK-SAME: (%[[A:.*]]: tensor<2x4x8xf32>, %[[B:.*]]: tensor<16x8xf32>, %[[C:.*]]: tensor<8x16xf32>)
// CHECK-NEXT: %[[T:.*]] = xf.linear %[[A]], %[[B]] layout nk act relu :
// CHECK-NEXT: %[[N:.*]] = xf.linear %[[A]], %[[C]] :
// CHECK-NEXT: return %[[T]], %[[N]]
func.func @matmul_as_linear(%a: tensor<2x4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<8x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %0 = xf.matmul %a, %b transpose_rhs : (tensor<2x4x8xf32>, tensor<16x8xf32>) -> tensor<2x4x16xf32>
  %1 = xf.relu %0 : tensor<2x4x16xf32>
  %2 = xf.matmul %a, %c : (tensor<2x4x8xf32>, tensor<8x16xf32>) -> tensor<2x4x16xf32>
  return %1, %2 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

// -----

// Batched products stay products.
// CHECK-LABEL: func.func @batched_matmul
// CHECK: xf.matmul
func.func @batched_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>) -> tensor<2x4x16xf32> {
  %0 = xf.matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}
