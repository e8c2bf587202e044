// RUN: xf-opt %s --split-input-file --xf-cpu-lower-dynamic-expands | FileCheck %s
// The result goes through the rest of the lowering without a crash.
// RUN: xf-opt %s --split-input-file --xf-cpu-lower-dynamic-expands --expand-strided-metadata | FileCheck %s --check-prefix=LOWERED

// Rows computed as ?x16 and split back into [batch, sequence]: a cast of
// the base buffer, the outer stride the inner one times the sequence.
// CHECK-LABEL: func.func @split_rows
// CHECK-SAME: (%[[SRC:.*]]: memref<?x16xf32>, %[[B:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[BASE:.*]], %{{.*}}, %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %[[SRC]]
// CHECK: %[[OUTER:.*]] = arith.muli %[[STRIDES]]#0, %[[S]] : index
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [0], sizes: [%[[B]], %[[S]], 16], strides: [%[[OUTER]], 16, 1] : memref<f32> to memref<?x?x16xf32>
// CHECK-NOT: memref.expand_shape
// LOWERED-LABEL: func.func @split_rows
// LOWERED-NOT: memref.expand_shape
func.func @split_rows(%src: memref<?x16xf32>, %b: index, %s: index) -> f32 {
  %c0 = arith.constant 0 : index
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, %s, 16] : memref<?x16xf32> into memref<?x?x16xf32>
  %x = memref.load %e[%c0, %c0, %c0] : memref<?x?x16xf32>
  return %x : f32
}

// -----

// A strided source keeps its offset and inner stride.
// CHECK-LABEL: func.func @strided_source
// CHECK: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata
// CHECK: %[[OUTER:.*]] = arith.muli %[[STRIDES]]#0, %{{.*}} : index
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [%[[OFF]]], sizes: [%{{.*}}, %{{.*}}, 8], strides: [%[[OUTER]], %[[STRIDES]]#0, 1]
func.func @strided_source(%src: memref<?x8xf32, strided<[?, 1], offset: ?>>, %b: index, %s: index) -> memref<?x?x8xf32, strided<[?, ?, 1], offset: ?>> {
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, %s, 8] : memref<?x8xf32, strided<[?, 1], offset: ?>> into memref<?x?x8xf32, strided<[?, ?, 1], offset: ?>>
  return %e : memref<?x?x8xf32, strided<[?, ?, 1], offset: ?>>
}

// -----

// One dynamic size per group is left to expand-strided-metadata.
// CHECK-LABEL: func.func @one_dynamic_size
// CHECK: memref.expand_shape
func.func @one_dynamic_size(%src: memref<?x16xf32>, %b: index) -> memref<?x4x16xf32> {
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, 4, 16] : memref<?x16xf32> into memref<?x4x16xf32>
  return %e : memref<?x4x16xf32>
}
