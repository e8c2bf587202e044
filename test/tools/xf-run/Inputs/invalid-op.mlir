func.func @f(%x: tensor<2x3xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
  %y = xf.linear %x, %w : (tensor<2x3xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
