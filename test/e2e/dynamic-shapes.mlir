// A function with dynamic batch and sequence sizes runs on the shapes of its
// --input files (here dumped by a static run of the same computation), and
// gives the same numbers.
// RUN: rm -rf %t && mkdir -p %t
// RUN: xf-run %s -e static_block --dump-inputs %t/in --dump-output %t/static | FileCheck %s --check-prefix=STATIC
// RUN: xf-run %s -e dynamic_block --check --dump-output %t/dynamic --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=DYNAMIC
// RUN: cmp %t/static/output0.npy %t/dynamic/output0.npy
// RUN: %check-pipelines %s -e dynamic_block --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=ALL
// ALL: 6 variants ok
// STATIC: result #0: 2x5x16xf32 sum=[[SUM:.*]] first
// DYNAMIC: result #0: 2x5x16xf32 sum=[[SUM:.*]] first
// DYNAMIC: max_rel_err={{.*}} ok

func.func @static_block(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>, %w: tensor<16x16xf32>, %w2: tensor<16x32xf32>) -> tensor<2x5x16xf32> {
  %n = xf.rms_norm %x, %g : (tensor<2x5x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %q = xf.linear %n, %w : (tensor<2x5x16xf32>, tensor<16x16xf32>) -> tensor<2x5x16xf32>
  %a = xf.attention %q, %n, %n heads 2 causal : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  %h = xf.linear %a, %w2 act silu : (tensor<2x5x16xf32>, tensor<16x32xf32>) -> tensor<2x5x32xf32>
  %y = xf.linear %h, %w2 layout nk residual %x : (tensor<2x5x32xf32>, tensor<16x32xf32>, tensor<2x5x16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

func.func @dynamic_block(%x: tensor<?x?x16xf32>, %g: tensor<16xf32>, %w: tensor<16x16xf32>, %w2: tensor<16x32xf32>) -> tensor<?x?x16xf32> {
  %n = xf.rms_norm %x, %g : (tensor<?x?x16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  %q = xf.linear %n, %w : (tensor<?x?x16xf32>, tensor<16x16xf32>) -> tensor<?x?x16xf32>
  %a = xf.attention %q, %n, %n heads 2 causal : (tensor<?x?x16xf32>, tensor<?x?x16xf32>, tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  %h = xf.linear %a, %w2 act silu : (tensor<?x?x16xf32>, tensor<16x32xf32>) -> tensor<?x?x32xf32>
  %y = xf.linear %h, %w2 layout nk residual %x : (tensor<?x?x32xf32>, tensor<16x32xf32>, tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
  return %y : tensor<?x?x16xf32>
}
