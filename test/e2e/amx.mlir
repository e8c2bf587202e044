// bf16 weights multiplied with AMX tiles (the `amx` pipeline option, on by
// default where the host has AMX-BF16) against the reference evaluator:
// blocks of 32 rows and the rows left over, K with and without pairs
// beyond the last whole tile step, ragged panels, row chunks of a single
// panel split between threads, and the fused epilogues.
// REQUIRES: amx
// RUN: %check-pipelines %s -e ragged_everything | FileCheck %s
// RUN: %check-pipelines %s -e one_panel_chunks | FileCheck %s
// RUN: %check-pipelines %s -e batched_nk_gated_mlp | FileCheck %s
// RUN: %check-pipelines %s -e bf16_block_prefill --constant-weights | FileCheck %s
// CHECK: 6 variants ok
// With AMX asked for explicitly, on one thread and on two.
// RUN: xf-run %s -e ragged_everything --check --pipeline-options "amx=true threads=1" | FileCheck %s --check-prefix=EXPLICIT
// RUN: xf-run %s -e one_panel_chunks --check --pipeline-options "amx=true threads=2" | FileCheck %s --check-prefix=EXPLICIT
// EXPLICIT: max_rel_err={{.*}} ok

// 70 rows (two blocks of 32, 6 left), K = 100 (3 steps of 16 pairs, 2
// pairs after), N = 40 (the second panel ragged), bias, GELU and residual.
func.func @ragged_everything(%x: tensor<70x100xf32>, %w: tensor<100x40xbf16>, %b: tensor<40xf32>,
                             %r: tensor<70x40xf32>) -> tensor<70x40xf32> {
  %y = xf.linear %x, %w bias %b act gelu_tanh residual %r
      : (tensor<70x100xf32>, tensor<100x40xbf16>, tensor<40xf32>, tensor<70x40xf32>) -> tensor<70x40xf32>
  return %y : tensor<70x40xf32>
}

// One panel: with threads its rows are split into chunks of whole blocks.
func.func @one_panel_chunks(%x: tensor<100x64xf32>, %w: tensor<64x32xbf16>) -> tensor<100x32xf32> {
  %y = xf.linear %x, %w : (tensor<100x64xf32>, tensor<64x32xbf16>) -> tensor<100x32xf32>
  return %y : tensor<100x32xf32>
}

// [N, K] f16 and bf16 weights of a gated MLP over a batch of 2 x 40 tokens.
func.func @batched_nk_gated_mlp(%x: tensor<2x40x48xf32>, %wu: tensor<96x48xf16>, %wg: tensor<96x48xbf16>,
                                %wd: tensor<48x96xbf16>) -> tensor<2x40x48xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu layout nk
      : (tensor<2x40x48xf32>, tensor<96x48xf16>, tensor<96x48xbf16>, tensor<48x96xbf16>) -> tensor<2x40x48xf32>
  return %y : tensor<2x40x48xf32>
}

// A causal prefill of 48 tokens with bf16 projections, compiled in as
// constants (packed at compile time).
func.func @bf16_block_prefill(%x: tensor<48x64xf32>, %g1: tensor<64xf32>, %wq: tensor<64x64xbf16>,
                              %wk: tensor<64x64xbf16>, %wv: tensor<64x64xbf16>, %wo: tensor<64x64xbf16>,
                              %g2: tensor<64xf32>, %wu: tensor<64x160xbf16>, %wd: tensor<160x64xbf16>) -> tensor<48x64xf32> {
  %y = xf.block %x heads 4 causal norm rms_norm pre act gelu norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2) mlp(up %wu down %wd)
      : (tensor<48x64xf32>, tensor<64xf32>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>,
         tensor<64xf32>, tensor<64x160xbf16>, tensor<160x64xbf16>) -> tensor<48x64xf32>
  return %y : tensor<48x64xf32>
}
