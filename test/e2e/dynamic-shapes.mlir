// A function with dynamic batch and sequence sizes runs on the shapes of its
// --input files (here dumped by a static run of the same computation), and
// gives the same numbers.
// RUN: rm -rf %t && mkdir -p %t
// RUN: xf-run %s -e static_block --dump-inputs %t/in --dump-output %t/static | FileCheck %s --check-prefix=STATIC
// RUN: xf-run %s -e dynamic_block --check --dump-output %t/dynamic --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=DYNAMIC
// RUN: cmp %t/static/output0.npy %t/dynamic/output0.npy
// RUN: %check-pipelines %s -e dynamic_block --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=ALL
// ALL: 6 variants ok
// Compiled as written (dynamic sizes stay dynamic, the inputs' sizes are
// passed at run time) rather than specialized to the inputs.
// RUN: xf-run %s -e dynamic_block --dynamic --check --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=DYNAMIC
// RUN: xf-run %s -e dynamic_block --dynamic --check --pipeline-options=fast=false --input %t/in/input0.npy --input %t/in/input1.npy --input %t/in/input2.npy --input %t/in/input3.npy | FileCheck %s --check-prefix=DYNAMIC
// A decode step against a cache whose capacity is dynamic, for two
// capacities.
// RUN: %python -c "import numpy as np; r = np.random.default_rng(1); [np.save('%t/' + n + '.npy', a) for n, a in dict(q=r.standard_normal((2, 1, 64), np.float32), k8=r.standard_normal((2, 8, 32), np.float32), k40=r.standard_normal((2, 40, 32), np.float32), l8=np.array([8, 2], np.int32), l40=np.array([17, 40], np.int32)).items()]"
// RUN: xf-run %s -e dynamic_capacity --dynamic --check --input %t/q.npy --input %t/k8.npy --input %t/k8.npy --input %t/l8.npy | FileCheck %s --check-prefix=CAPACITY
// RUN: xf-run %s -e dynamic_capacity --dynamic --check --input %t/q.npy --input %t/k40.npy --input %t/k40.npy --input %t/l40.npy | FileCheck %s --check-prefix=CAPACITY
// CAPACITY: max_rel_err={{.*}} ok
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

func.func @dynamic_capacity(%q: tensor<2x1x64xf32>, %k: tensor<2x?x32xf32>, %v: tensor<2x?x32xf32>, %len: tensor<2xi32>) -> tensor<2x1x64xf32> {
  %o = xf.attention %q, %k, %v kv_len %len heads 4 kv_heads 2 causal : (tensor<2x1x64xf32>, tensor<2x?x32xf32>, tensor<2x?x32xf32>, tensor<2xi32>) -> tensor<2x1x64xf32>
  return %o : tensor<2x1x64xf32>
}
