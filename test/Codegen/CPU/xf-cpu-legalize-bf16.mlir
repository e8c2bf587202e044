// RUN: xf-opt %s --split-input-file --xf-cpu-legalize-bf16 --verify-diagnostics | FileCheck %s --implicit-check-not=llvm.fptrunc --implicit-check-not="llvm.fpext %{{.*}} : {{.*}}bf16"

// A load, a phi and a store of bf16 become i16; the constant keeps its
// bits (1.0 is 0x3F80).
// CHECK-LABEL: llvm.func @copy
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(16256 : i16) : i16
// CHECK: %[[V:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i16
// CHECK: llvm.br ^bb2(%[[V]] : i16)
// CHECK: ^bb2(%[[PHI:.*]]: i16):
// CHECK: %[[AT:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i16
// CHECK: llvm.store %[[PHI]], %[[AT]] : i16, !llvm.ptr
llvm.func @copy(%p: !llvm.ptr, %q: !llvm.ptr, %i: i64, %c: i1) {
  %one = llvm.mlir.constant(1.0 : bf16) : bf16
  llvm.cond_br %c, ^bb1, ^bb2(%one : bf16)
^bb1:
  %v = llvm.load %p : !llvm.ptr -> bf16
  llvm.br ^bb2(%v : bf16)
^bb2(%x: bf16):
  %at = llvm.getelementptr %q[%i] : (!llvm.ptr, i64) -> !llvm.ptr, bf16
  llvm.store %x, %at : bf16, !llvm.ptr
  llvm.return
}

// -----

// f32 to bf16: round to nearest even on the bits (add 0x7fff and the
// lowest kept bit, keep the high half); a NaN keeps its sign and high
// payload, made quiet (| 0x40). bf16 to f32: the bits shifted into the
// high half.
// CHECK-LABEL: llvm.func @convert
// CHECK-SAME: (%[[X:.*]]: vector<8xf32>, %[[P:.*]]: !llvm.ptr)
// CHECK: %[[BITS:.*]] = llvm.bitcast %[[X]] : vector<8xf32> to vector<8xi32>
// CHECK: %[[SIXTEEN:.*]] = llvm.mlir.constant(dense<16> : vector<8xi32>)
// CHECK: %[[HIGH:.*]] = llvm.lshr %[[BITS]], %[[SIXTEEN]]
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(dense<1> : vector<8xi32>)
// CHECK: %[[ODD:.*]] = llvm.and %[[HIGH]], %[[ONE]]
// CHECK: %[[HALF:.*]] = llvm.mlir.constant(dense<32767> : vector<8xi32>)
// CHECK: %[[UP:.*]] = llvm.add %[[ODD]], %[[HALF]]
// CHECK: %[[SUM:.*]] = llvm.add %[[BITS]], %[[UP]]
// CHECK: %[[NEAREST:.*]] = llvm.lshr %[[SUM]], %[[SIXTEEN]]
// CHECK: %[[QUIET_BIT:.*]] = llvm.mlir.constant(dense<64> : vector<8xi32>)
// CHECK: %[[QUIET:.*]] = llvm.or %[[HIGH]], %[[QUIET_BIT]]
// CHECK: %[[NAN:.*]] = llvm.fcmp "uno" %[[X]], %[[X]]
// CHECK: %[[PICK:.*]] = llvm.select %[[NAN]], %[[QUIET]], %[[NEAREST]]
// CHECK: %[[R:.*]] = llvm.trunc %[[PICK]] : vector<8xi32> to vector<8xi16>
// CHECK: llvm.store %[[R]], %[[P]] : vector<8xi16>, !llvm.ptr
// CHECK: %[[W:.*]] = llvm.load %[[P]] : !llvm.ptr -> vector<8xi16>
// CHECK: %[[Z:.*]] = llvm.zext %[[W]] : vector<8xi16> to vector<8xi32>
// CHECK: %[[S:.*]] = llvm.shl %[[Z]]
// CHECK: %[[F:.*]] = llvm.bitcast %[[S]] : vector<8xi32> to vector<8xf32>
// CHECK: llvm.return %[[F]]
llvm.func @convert(%x: vector<8xf32>, %p: !llvm.ptr) -> vector<8xf32> {
  %h = llvm.fptrunc %x : vector<8xf32> to vector<8xbf16>
  llvm.store %h, %p : vector<8xbf16>, !llvm.ptr
  %w = llvm.load %p : !llvm.ptr -> vector<8xbf16>
  %f = llvm.fpext %w : vector<8xbf16> to vector<8xf32>
  llvm.return %f : vector<8xf32>
}

// -----

// Other conversions are left alone.
// CHECK-LABEL: llvm.func @half
// CHECK: llvm.fpext %{{.*}} : f16 to f32
llvm.func @half(%h: f16) -> f32 {
  %f = llvm.fpext %h : f16 to f32
  llvm.return %f : f32
}

// -----

llvm.func @arithmetic(%x: bf16) -> bf16 {
  // expected-error@+1 {{xf-cpu-legalize-bf16: bf16 values in 'llvm.fadd' on a CPU without AVX-512 BF16}}
  %y = llvm.fadd %x, %x : bf16
  llvm.return %y : bf16
}

// -----

llvm.func @from_f64(%x: f64) -> bf16 {
  // expected-error@+1 {{xf-cpu-legalize-bf16: converts bf16 only from and to f32, got 'f64' to 'bf16'}}
  %y = llvm.fptrunc %x : f64 to bf16
  llvm.return %y : bf16
}

// -----

// A vector constant keeps its bits; a defined function's signature, an
// alloca's element type and values taken from arrays become i16.
// CHECK-LABEL: llvm.func @signature
// CHECK-SAME: (%{{.*}}: i16, %{{.*}}: !llvm.array<2 x vector<4xi16>>) -> vector<4xi16>
// CHECK: llvm.mlir.constant(dense<[16256, -16384, 0, 32704]> : vector<4xi16>) : vector<4xi16>
// CHECK: llvm.alloca %{{.*}} x i16
// CHECK: llvm.extractvalue %{{.*}}[1] : !llvm.array<2 x vector<4xi16>>
llvm.func @signature(%x: bf16, %a: !llvm.array<2 x vector<4xbf16>>) -> vector<4xbf16> {
  %c = llvm.mlir.constant(dense<[1.0, -2.0, 0.0, 0x7FC0]> : vector<4xbf16>) : vector<4xbf16>
  %n = llvm.mlir.constant(1 : i64) : i64
  %slot = llvm.alloca %n x bf16 : (i64) -> !llvm.ptr
  llvm.store %x, %slot : bf16, !llvm.ptr
  %v = llvm.extractvalue %a[1] : !llvm.array<2 x vector<4xbf16>>
  %s = llvm.mlir.constant(dense<true> : vector<4xi1>) : vector<4xi1>
  %r = llvm.select %s, %v, %c : vector<4xi1>, vector<4xbf16>
  llvm.return %r : vector<4xbf16>
}

// -----

// A body elsewhere takes bf16 in vector registers: its calls cannot change.
// expected-error@+1 {{xf-cpu-legalize-bf16: bf16 in the signature of the external function @ext}}
llvm.func @ext(bf16) -> f32

// -----

// expected-error@+1 {{xf-cpu-legalize-bf16: a bf16 global}}
llvm.mlir.global internal constant @table(dense<1.0> : vector<4xbf16>) : vector<4xbf16>

// -----

llvm.func @to_f64(%x: bf16) -> f64 {
  // expected-error@+1 {{xf-cpu-legalize-bf16: converts bf16 only from and to f32, got 'bf16' to 'f64'}}
  %y = llvm.fpext %x : bf16 to f64
  llvm.return %y : f64
}
