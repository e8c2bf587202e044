// The table's row count is known only from its --input file.
func.func @embed(%t: tensor<?x?xf32>, %ids: tensor<?xi32>) -> tensor<?x?xf32> {
  %0 = xf.embedding %t, %ids : (tensor<?x?xf32>, tensor<?xi32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
