// RUN: xf-opt %s --split-input-file --xf-cpu-expand-copies | FileCheck %s

// A copy into a strided slice would need the runtime's memrefCopy: it
// becomes linalg.copy (then loops).
// CHECK-LABEL: func.func @strided
// CHECK: %[[S:.*]] = memref.subview
// CHECK: linalg.copy ins(%{{.*}} : memref<4x8xf32>) outs(%[[S]] : memref<4x8xf32, strided<[16, 1], offset: 8>>)
// CHECK-NOT: memref.copy
func.func @strided(%a: memref<4x8xf32>, %b: memref<4x16xf32>) {
  %s = memref.subview %b[0, 8] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %a, %s : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  return
}

// -----

// Contiguous copies stay memref.copy (a memcpy).
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
func.func @contiguous(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  return
}
