// A zero-size result from non-empty arguments.
func.func @empty(%x: tensor<4x3xf32>, %w: tensor<3x0xf32>) -> tensor<4x0xf32> {
  %y = xf.linear %x, %w : (tensor<4x3xf32>, tensor<3x0xf32>) -> tensor<4x0xf32>
  return %y : tensor<4x0xf32>
}
