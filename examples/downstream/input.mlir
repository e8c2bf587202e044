// downstream-opt input: an MLP block, compiled by xf-cpu-pipeline.
func.func @mlp(%x: tensor<4x16xf32>, %wu: tensor<16x32xf32>,
               %wd: tensor<32x16xf32>) -> tensor<4x16xf32> {
  %y = xf.mlp %x up %wu down %wd act gelu
      : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<32x16xf32>)
      -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
