func.func @linear(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %y = xf.linear %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

func.func @embed(%t: tensor<10x4xf32>, %ids: tensor<3xi64>) -> tensor<3x4xf32> {
  %y = xf.embedding %t, %ids : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = xf.relu %x : tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

func.func @gelu(%x: tensor<64xf32>) -> tensor<64xf32> {
  %y = xf.gelu %x : tensor<64xf32>
  return %y : tensor<64xf32>
}

func.func @vector_arg(%x: vector<4xf32>) -> vector<4xf32> {
  return %x : vector<4xf32>
}

func.func @linalg_only(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.abs ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @too_big(%x: tensor<100000x100000x100xf32>) -> tensor<100000x100000x100xf32> {
  return %x : tensor<100000x100000x100xf32>
}

func.func @decode(%q: tensor<2x1x8xf32>, %kc: tensor<2x6x8xf32>, %len: tensor<2xi32>) -> tensor<2x1x8xf32> {
  %o = xf.attention %q, %kc, %kc kv_len %len heads 1 causal : (tensor<2x1x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2xi32>) -> tensor<2x1x8xf32>
  return %o : tensor<2x1x8xf32>
}

func.func @packed(%x: tensor<5x8xf32>, %cu: tensor<3xi32>) -> tensor<5x8xf32> {
  %o = xf.attention %x, %x, %x seq_offsets %cu heads 1 causal : (tensor<5x8xf32>, tensor<5x8xf32>, tensor<5x8xf32>, tensor<3xi32>) -> tensor<5x8xf32>
  return %o : tensor<5x8xf32>
}

func.func @select(%c: tensor<4xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %z = arith.constant dense<0.0> : tensor<4xf32>
  %y = arith.select %c, %x, %z : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}
