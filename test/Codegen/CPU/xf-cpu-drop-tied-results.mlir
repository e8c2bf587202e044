// RUN: xf-opt %s --split-input-file --xf-cpu-drop-tied-results | FileCheck %s

// A cache updated in place is returned as its argument: the result is
// dropped and recorded; the fresh buffer stays a result.
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %[[C:.*]]: memref<8xf32>) -> memref<4xf32>
// CHECK-SAME: attributes {xf.tied_results = array<i64: -1, 1>}
// CHECK: return %{{.*}} : memref<4xf32>
func.func @step(%x: memref<4xf32>, %cache: memref<8xf32>) -> (memref<4xf32>, memref<8xf32>) {
  %y = memref.alloc() : memref<4xf32>
  return %y, %cache : memref<4xf32>, memref<8xf32>
}

// -----

// Through a cast; calls in the module read the dropped result from their
// operand, so the caller returns its argument too and drops it in turn.
// CHECK-LABEL: func.func @cast(
// CHECK-SAME: attributes {xf.tied_results = array<i64: 0>}
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[A:.*]]: memref<8xf32>) attributes {xf.tied_results = array<i64: 0>}
// CHECK: call @cast(%[[A]]) : (memref<8xf32>) -> ()
// CHECK: return{{$}}
func.func @cast(%a: memref<8xf32>) -> memref<?xf32> {
  %c = memref.cast %a : memref<8xf32> to memref<?xf32>
  return %c : memref<?xf32>
}
func.func @caller(%a: memref<8xf32>) -> memref<8xf32> {
  %r = call @cast(%a) : (memref<8xf32>) -> memref<?xf32>
  %c = memref.cast %r : memref<?xf32> to memref<8xf32>
  return %c : memref<8xf32>
}

// -----

// A caller written before its callee: callees are processed first, so the
// caller still sees its result become its argument.
// CHECK-LABEL: func.func @first_caller
// CHECK-SAME: (%[[A:.*]]: memref<8xf32>) attributes {xf.tied_results = array<i64: 0>}
// CHECK: call @later_callee(%[[A]]) : (memref<8xf32>) -> ()
// CHECK: return{{$}}
// CHECK-LABEL: func.func @later_callee(
// CHECK-SAME: attributes {xf.tied_results = array<i64: 0>}
func.func @first_caller(%a: memref<8xf32>) -> memref<8xf32> {
  %r = call @later_callee(%a) : (memref<8xf32>) -> memref<8xf32>
  return %r : memref<8xf32>
}
func.func @later_callee(%a: memref<8xf32>) -> memref<8xf32> {
  return %a : memref<8xf32>
}

// -----

// Nothing returned is an argument: nothing changes.
// CHECK-LABEL: func.func @fresh
// CHECK-NOT: xf.tied_results
// CHECK: return
func.func @fresh(%a: memref<8xf32>) -> memref<8xf32> {
  %y = memref.alloc() : memref<8xf32>
  return %y : memref<8xf32>
}
