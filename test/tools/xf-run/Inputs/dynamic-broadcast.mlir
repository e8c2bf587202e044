// Functions compiled as written (xf-run --dynamic) whose `?` dimensions
// must agree at run time.
func.func @add(%a: tensor<?x8xf32>, %b: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = xf.add %a, %b : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

func.func @glu(%g: tensor<?x8xf32>, %u: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = xf.swiglu %g, %u : tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

func.func @bmm(%a: tensor<?x4x8xf32>, %b: tensor<?x8x4xf32>) -> tensor<?x4x4xf32> {
  %y = xf.matmul %a, %b : (tensor<?x4x8xf32>, tensor<?x8x4xf32>) -> tensor<?x4x4xf32>
  return %y : tensor<?x4x4xf32>
}

func.func @masked(%q: tensor<2x4x8xf32>, %m: tensor<2x1x?x4xf32>) -> tensor<2x4x8xf32> {
  %o = xf.attention %q, %q, %q mask %m heads 1 : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x1x?x4xf32>) -> tensor<2x4x8xf32>
  return %o : tensor<2x4x8xf32>
}
