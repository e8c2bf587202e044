func.func @bf16(%x: tensor<3x8xf32>, %w: tensor<8x5xbf16>) -> tensor<3x5xf32> {
  %y = xf.linear %x, %w : (tensor<3x8xf32>, tensor<8x5xbf16>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
func.func @f16(%x: tensor<3x8xf32>, %w: tensor<5x8xf16>) -> tensor<3x5xf32> {
  %y = xf.linear %x, %w layout nk : (tensor<3x8xf32>, tensor<5x8xf16>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
func.func @int8(%x: tensor<3x8xf32>, %q: tensor<5x8xi8>, %s: tensor<5xf32>) -> tensor<3x5xf32> {
  %w = xf.dequantize %q scales %s axis 0 : (tensor<5x8xi8>, tensor<5xf32>) -> tensor<5x8xf32>
  %y = xf.linear %x, %w layout nk : (tensor<3x8xf32>, tensor<5x8xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
