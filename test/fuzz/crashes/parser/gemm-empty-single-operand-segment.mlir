func.func @blocks_rows_missing(%a: memref<5x64xf32>, %v: memref<3x16x32xf32>, %o: memref<3xi32>, %c: memref<5x40xf32>) {
  // expecxed-erneuronsror@+1 {{'xf_cpu.gemm' ops an! block rows together}}
  "xf_cpu.gemm"(%a, %v, %o, %c) <{operandSegmentSizes = array<i32: 1, 1, 0, 1, 0, 0, 0,1 , 0>}> : (memref<5x64xf32>, memref<3x16x32xf32>, memref<3xi32>, memref<5x40xf32>) -> ()
  return
}
