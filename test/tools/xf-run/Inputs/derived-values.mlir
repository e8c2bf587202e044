// Integer inputs that reach the op with a role through other ops: a
// reshape, and the ONNX importer's kv_len = max(seqlens_k + 1, S).
func.func @seqlens(%q: tensor<2x1x8xf32>, %kc: tensor<2x6x8xf32>,
                   %sl: tensor<2xi32>) -> tensor<2x1x8xf32> {
  %one = arith.constant dense<1> : tensor<2xi32>
  %e = tensor.empty() : tensor<2xi32>
  %p = linalg.add ins(%sl, %one : tensor<2xi32>, tensor<2xi32>)
      outs(%e : tensor<2xi32>) -> tensor<2xi32>
  %len = linalg.max ins(%p, %one : tensor<2xi32>, tensor<2xi32>)
      outs(%e : tensor<2xi32>) -> tensor<2xi32>
  %o = xf.attention %q, %kc, %kc kv_len %len heads 1 causal
      : (tensor<2x1x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>,
         tensor<2xi32>) -> tensor<2x1x8xf32>
  return %o : tensor<2x1x8xf32>
}

func.func @ids(%t: tensor<10x4xf32>, %ids: tensor<3xi64>)
    -> tensor<1x3x4xf32> {
  %r = tensor.expand_shape %ids [[0, 1]] output_shape [1, 3]
      : tensor<3xi64> into tensor<1x3xi64>
  %y = xf.embedding %t, %r
      : (tensor<10x4xf32>, tensor<1x3xi64>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}
