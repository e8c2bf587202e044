// Top-k MLPs (activation sparsity) through every pipeline variant against
// the reference. Inputs on a grid of multiples of 1/4 make the predictor's
// scores exact in any summation order, so that the compiled selection and
// the reference's agree exactly, ties (frequent on a grid) included.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../Inputs/sparse_npy.py %t/x7.npy 7x40 grid:4 1
// RUN: %python %S/../Inputs/sparse_npy.py %t/wu.npy 40x64 grid:4 2
// RUN: %python %S/../Inputs/sparse_npy.py %t/wg.npy 40x64 grid:4 3
// RUN: %python %S/../Inputs/sparse_npy.py %t/wd.npy 64x24 dense 4
// RUN: %python %S/../Inputs/sparse_npy.py %t/bd.npy 24 dense 5
// RUN: %check-pipelines %s -e gated_features --input %t/x7.npy --input %t/wu.npy --input %t/wg.npy --input %t/wd.npy --input %t/bd.npy | FileCheck %s
// RUN: %check-pipelines %s -e gated_features --constant-weights --input %t/x7.npy --input %t/wu.npy --input %t/wg.npy --input %t/wd.npy --input %t/bd.npy | FileCheck %s
//
// Every neuron selected: the dense MLP.
// RUN: %check-pipelines %s -e all_neurons --input %t/x7.npy --input %t/wu.npy --input %t/wg.npy --input %t/wd.npy | FileCheck %s
//
// Not gated, layout nk, a low-rank predictor, a 3-D input, biases; random
// inputs (rows of distinct scores: ties have probability zero).
// RUN: %check-pipelines %s -e low_rank_nk | FileCheck %s
// RUN: %check-pipelines %s -e low_rank_nk --constant-weights | FileCheck %s
//
// A decode step: one row, 10% of 256 neurons.
// RUN: %python %S/../Inputs/sparse_npy.py %t/x1.npy 1x96 grid:4 6
// RUN: %python %S/../Inputs/sparse_npy.py %t/wu1.npy 96x256 grid:4 7
// RUN: %python %S/../Inputs/sparse_npy.py %t/wg1.npy 96x256 grid:4 8
// RUN: %python %S/../Inputs/sparse_npy.py %t/wd1.npy 256x96 dense 9
// RUN: %check-pipelines %s -e decode --input %t/x1.npy --input %t/wu1.npy --input %t/wg1.npy --input %t/wd1.npy | FileCheck %s
// RUN: %check-pipelines %s -e decode --constant-weights --input %t/x1.npy --input %t/wu1.npy --input %t/wg1.npy --input %t/wd1.npy | FileCheck %s
//
// Prefill over several blocks of 64 neurons per thread (300 neurons, 40
// per row) and output rows wider than the 128 columns held in registers
// (150: a chunk of 128 and a ragged one of 22).
// RUN: %python %S/../Inputs/sparse_npy.py %t/x9.npy 9x48 grid:4 10
// RUN: %python %S/../Inputs/sparse_npy.py %t/wu300.npy 48x300 grid:4 11
// RUN: %python %S/../Inputs/sparse_npy.py %t/wg300.npy 48x300 grid:4 12
// RUN: %python %S/../Inputs/sparse_npy.py %t/wd300.npy 300x150 dense 13
// RUN: %check-pipelines %s -e neuron_blocks --input %t/x9.npy --input %t/wu300.npy --input %t/wg300.npy --input %t/wd300.npy | FileCheck %s
//
// bf16 weights.
// RUN: %check-pipelines %s -e bf16_weights | FileCheck %s
//
// gather_mlp on given neuron ids, repeated and out of range (clamped).
// RUN: %check-pipelines %s -e given_neurons | FileCheck %s
//
// Dynamic rows and scores compiled as written (--dynamic): the kernels
// without static sizes (no key scratch) and the plain lowering.
// RUN: xf-run %s -e dynamic_rows --dynamic --check --input %t/x7.npy --input %t/wu.npy --input %t/wg.npy --input %t/wd.npy --input %t/bd.npy | FileCheck %s --check-prefix=DYN
// RUN: xf-run %s -e dynamic_rows --dynamic --check --pipeline-options=fast=false --input %t/x7.npy --input %t/wu.npy --input %t/wg.npy --input %t/wd.npy --input %t/bd.npy | FileCheck %s --check-prefix=DYN
// DYN: max_rel_err={{.*}} ok
//
// A LLaMA-style block whose MLP is top-k, prefill and with a low-rank
// predictor (random inputs: distinct scores).
// RUN: %check-pipelines %s -e block_top_k | FileCheck %s
// RUN: %check-pipelines %s -e block_low_rank --constant-weights | FileCheck %s
//
// CHECK-NOT: FAILED
// CHECK: 6 variants ok

func.func @gated_features(%x: tensor<7x40xf32>, %wu: tensor<40x64xf32>, %wg: tensor<40x64xf32>,
                          %wd: tensor<64x24xf32>, %bd: tensor<24xf32>) -> tensor<7x24xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd down_bias %bd act silu top_k 7 predictor_features 16
      : (tensor<7x40xf32>, tensor<40x64xf32>, tensor<40x64xf32>, tensor<64x24xf32>, tensor<24xf32>) -> tensor<7x24xf32>
  return %y : tensor<7x24xf32>
}

func.func @neuron_blocks(%x: tensor<9x48xf32>, %wu: tensor<48x300xf32>, %wg: tensor<48x300xf32>,
                         %wd: tensor<300x150xf32>) -> tensor<9x150xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu top_k 40 predictor_features 16
      : (tensor<9x48xf32>, tensor<48x300xf32>, tensor<48x300xf32>, tensor<300x150xf32>) -> tensor<9x150xf32>
  return %y : tensor<9x150xf32>
}

func.func @all_neurons(%x: tensor<7x40xf32>, %wu: tensor<40x64xf32>, %wg: tensor<40x64xf32>,
                       %wd: tensor<64x24xf32>) -> tensor<7x24xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act gelu top_k 64 predictor_features 40
      : (tensor<7x40xf32>, tensor<40x64xf32>, tensor<40x64xf32>, tensor<64x24xf32>) -> tensor<7x24xf32>
  return %y : tensor<7x24xf32>
}

func.func @low_rank_nk(%x: tensor<2x3x40xf32>, %wu: tensor<64x40xf32>, %wd: tensor<24x64xf32>,
                       %bu: tensor<64xf32>, %bd: tensor<24xf32>, %a: tensor<8x40xf32>,
                       %b: tensor<64x8xf32>) -> tensor<2x3x24xf32> {
  %y = xf.mlp %x up %wu down %wd up_bias %bu down_bias %bd act gelu layout nk top_k 13 predictor(%a, %b)
      : (tensor<2x3x40xf32>, tensor<64x40xf32>, tensor<24x64xf32>, tensor<64xf32>, tensor<24xf32>,
         tensor<8x40xf32>, tensor<64x8xf32>) -> tensor<2x3x24xf32>
  return %y : tensor<2x3x24xf32>
}

func.func @decode(%x: tensor<1x96xf32>, %wu: tensor<96x256xf32>, %wg: tensor<96x256xf32>,
                  %wd: tensor<256x96xf32>) -> tensor<1x96xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu top_k 26 predictor_features 32
      : (tensor<1x96xf32>, tensor<96x256xf32>, tensor<96x256xf32>, tensor<256x96xf32>) -> tensor<1x96xf32>
  return %y : tensor<1x96xf32>
}

func.func @bf16_weights(%x: tensor<5x40xf32>, %wu: tensor<40x48xbf16>, %wg: tensor<40x48xbf16>,
                        %wd: tensor<48x40xbf16>) -> tensor<5x40xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu top_k 9 predictor_features 40
      : (tensor<5x40xf32>, tensor<40x48xbf16>, tensor<40x48xbf16>, tensor<48x40xbf16>) -> tensor<5x40xf32>
  return %y : tensor<5x40xf32>
}

func.func @given_neurons(%x: tensor<2x40xf32>, %wu: tensor<40x48xf32>, %wd: tensor<48x24xf32>,
                         %bu: tensor<48xf32>) -> tensor<2x24xf32> {
  %n = arith.constant dense<[[70, -3, 5, 5], [47, 0, 12, 30]]> : tensor<2x4xi64>
  %y = xf.gather_mlp %x neurons %n up %wu down %wd up_bias %bu act relu
      : (tensor<2x40xf32>, tensor<2x4xi64>, tensor<40x48xf32>, tensor<48x24xf32>, tensor<48xf32>) -> tensor<2x24xf32>
  return %y : tensor<2x24xf32>
}

func.func @dynamic_rows(%x: tensor<?x40xf32>, %wu: tensor<40x?xf32>, %wg: tensor<40x?xf32>,
                        %wd: tensor<?x24xf32>, %bd: tensor<24xf32>) -> tensor<?x24xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd down_bias %bd act silu top_k 7 predictor_features 16
      : (tensor<?x40xf32>, tensor<40x?xf32>, tensor<40x?xf32>, tensor<?x24xf32>, tensor<24xf32>) -> tensor<?x24xf32>
  return %y : tensor<?x24xf32>
}

func.func @block_top_k(%x: tensor<2x5x32xf32>, %g: tensor<32xf32>, %w: tensor<32x32xf32>,
                       %wkv: tensor<32x16xf32>, %wu: tensor<32x64xf32>, %wd: tensor<64x32xf32>)
    -> tensor<2x5x32xf32> {
  %y = xf.block %x heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 10000.0
      norm1(%g) attn(%w, %wkv, %wkv, %w) norm2(%g)
      mlp(up %wu gate %wu down %wd top_k 9 predictor_features 8)
      : (tensor<2x5x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x16xf32>, tensor<32x16xf32>,
         tensor<32x32xf32>, tensor<32xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x32xf32>)
      -> tensor<2x5x32xf32>
  return %y : tensor<2x5x32xf32>
}

func.func @block_low_rank(%x: tensor<1x4x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>, %w: tensor<32x32xf32>,
                          %wu: tensor<64x32xf32>, %wd: tensor<32x64xf32>, %pa: tensor<6x32xf32>,
                          %pb: tensor<64x6xf32>) -> tensor<1x4x32xf32> {
  %y = xf.block %x heads 4 causal norm layer_norm pre act gelu layout nk
      norm1(%g, %b) attn(%w, %w, %w, %w) norm2(%g, %b)
      mlp(up %wu down %wd top_k 7 predictor(%pa, %pb))
      : (tensor<1x4x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<32x32xf32>,
         tensor<32x32xf32>, tensor<32x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<64x32xf32>,
         tensor<32x64xf32>, tensor<6x32xf32>, tensor<64x6xf32>) -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}
