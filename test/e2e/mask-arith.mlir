// Masks computed from run-time inputs, as imported graphs compute them:
// conversions, comparisons and selects on tensors (arith on tensors, which
// the pipelines lower as linalg), into an attention's additive mask and a
// length. Every pipeline variant agrees with the reference on random
// inputs: integers 0..99, bools 0 or 1.
// RUN: %check-pipelines %s -e padding_mask | FileCheck %s
// RUN: %check-pipelines %s -e integer_conversions | FileCheck %s
// CHECK: 6 variants ok

// A [B, L] integer mask (nonzero: a key to keep) as -10000 where zero, and
// a bool mask selecting -inf; both added to the attention.
func.func @padding_mask(%q: tensor<2x5x16xf32>, %k: tensor<2x7x16xf32>,
                        %v: tensor<2x7x16xf32>, %keep: tensor<2x1x1x7xi32>,
                        %pad: tensor<2x1x1x7xi1>) -> tensor<2x5x16xf32> {
  %zero = arith.constant dense<0> : tensor<2x1x1x7xi32>
  %kept = arith.cmpi ne, %keep, %zero : tensor<2x1x1x7xi32>
  %kf = arith.uitofp %kept : tensor<2x1x1x7xi1> to tensor<2x1x1x7xf32>
  %one = arith.constant dense<-1.0> : tensor<2x1x1x7xf32>
  %neg = arith.constant dense<-10000.0> : tensor<2x1x1x7xf32>
  %minus = xf.add %kf, %one : (tensor<2x1x1x7xf32>, tensor<2x1x1x7xf32>) -> tensor<2x1x1x7xf32>
  %soft = xf.mul %minus, %neg : (tensor<2x1x1x7xf32>, tensor<2x1x1x7xf32>) -> tensor<2x1x1x7xf32>
  %ninf = arith.constant dense<0xFF800000> : tensor<2x1x1x7xf32>
  %zf = arith.constant dense<0.0> : tensor<2x1x1x7xf32>
  %hard = arith.select %pad, %ninf, %zf : tensor<2x1x1x7xi1>, tensor<2x1x1x7xf32>
  %m = xf.add %soft, %hard : (tensor<2x1x1x7xf32>, tensor<2x1x1x7xf32>) -> tensor<2x1x1x7xf32>
  %o = xf.attention %q, %k, %v mask %m heads 2
      : (tensor<2x5x16xf32>, tensor<2x7x16xf32>, tensor<2x7x16xf32>,
         tensor<2x1x1x7xf32>) -> tensor<2x5x16xf32>
  return %o : tensor<2x5x16xf32>
}

// Widths and signs: i64 lengths truncated to i32, bools extended signed
// (-1) and unsigned (1), floats truncated toward zero, and the results as
// floats scaling an activation.
func.func @integer_conversions(%len: tensor<4xi64>, %x: tensor<4xf32>,
                               %flag: tensor<4xi1>) -> tensor<4xf32> {
  %l32 = arith.trunci %len : tensor<4xi64> to tensor<4xi32>
  %s = arith.extsi %flag : tensor<4xi1> to tensor<4xi32>
  %u = arith.extui %flag : tensor<4xi1> to tensor<4xi32>
  %ten = arith.constant dense<10.0> : tensor<4xf32>
  %xs = xf.mul %x, %ten : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %xi = arith.fptosi %xs : tensor<4xf32> to tensor<4xi32>
  %e = tensor.empty() : tensor<4xi32>
  %a = linalg.add ins(%l32, %s : tensor<4xi32>, tensor<4xi32>) outs(%e : tensor<4xi32>) -> tensor<4xi32>
  %b = linalg.add ins(%a, %u : tensor<4xi32>, tensor<4xi32>) outs(%e : tensor<4xi32>) -> tensor<4xi32>
  %c = linalg.sub ins(%b, %xi : tensor<4xi32>, tensor<4xi32>) outs(%e : tensor<4xi32>) -> tensor<4xi32>
  %cf = arith.sitofp %c : tensor<4xi32> to tensor<4xf32>
  %r = xf.mul %cf, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
