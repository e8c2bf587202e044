// The second module of test/Target/aot.mlir.
func.func @mlp(%x: tensor<3x16xf32>, %wu: tensor<16x32xf32>, %wd: tensor<32x16xf32>) -> tensor<3x16xf32> {
  %y = xf.mlp %x up %wu down %wd act relu : (tensor<3x16xf32>, tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}
