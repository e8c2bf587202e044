// Token ids of type index: their header checks them as int64_t values.
func.func @embed(%t: tensor<10x4xf32>, %ids: tensor<3xindex>)
    -> tensor<3x4xf32> {
  %e = xf.embedding %t, %ids
      : (tensor<10x4xf32>, tensor<3xindex>) -> tensor<3x4xf32>
  return %e : tensor<3x4xf32>
}
