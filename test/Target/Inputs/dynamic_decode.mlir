// A decode step whose cache capacity is only known at run time.
func.func @attend(%q: tensor<1x1x16xf32>, %k: tensor<1x?x16xf32>, %v: tensor<1x?x16xf32>, %len: tensor<1xi32>) -> tensor<1x1x16xf32> {
  %o = xf.attention %q, %k, %v kv_len %len heads 1 causal : (tensor<1x1x16xf32>, tensor<1x?x16xf32>, tensor<1x?x16xf32>, tensor<1xi32>) -> tensor<1x1x16xf32>
  return %o : tensor<1x1x16xf32>
}
