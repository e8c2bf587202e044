// bf16 and int8 weights multiplied with AMX tiles (the `amx` pipeline
// option, on by default where the host has AMX) against the reference
// evaluator:
// blocks of 32 rows and the rows left over, groups of blocks per work
// item, K in blocks of tile steps, K with and without pairs beyond the last
// whole tile step, ragged panels, row chunks of a single
// panel split between threads, the fused epilogues, and sums stored from
// the tiles to the result where there is no epilogue.
// REQUIRES: amx
// RUN: %check-pipelines %s -e ragged_everything | FileCheck %s
// RUN: %check-pipelines %s -e one_panel_chunks | FileCheck %s
// RUN: %check-pipelines %s -e batched_nk_gated_mlp | FileCheck %s
// RUN: %check-pipelines %s -e bf16_block_prefill --constant-weights | FileCheck %s
// RUN: %check-pipelines %s -e int8_ragged_saturating | FileCheck %s
// RUN: %check-pipelines %s -e int8_nk_groups_and_channels | FileCheck %s
// RUN: %check-pipelines %s -e k_blocks_and_row_groups | FileCheck %s
// RUN: %check-pipelines %s -e k_blocks_to_result | FileCheck %s
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

// int8 per channel: 70 rows, K = 100 (25 quads: one step of 16, 9 after),
// N = 40, with weights at both ends of the int8 range.
func.func @int8_ragged_saturating(%x: tensor<70x100xf32>, %q: tensor<100x40xi8>, %s: tensor<40xf32>,
                                  %b: tensor<40xf32>) -> tensor<70x40xf32> {
  %lo = arith.constant dense<-128> : tensor<100x40xi8>
  %hi = arith.constant dense<127> : tensor<100x40xi8>
  %w0 = xf.dequantize %q scales %s axis 1 : (tensor<100x40xi8>, tensor<40xf32>) -> tensor<100x40xf32>
  %w1 = xf.dequantize %lo scales %s axis 1 : (tensor<100x40xi8>, tensor<40xf32>) -> tensor<100x40xf32>
  %w2 = xf.dequantize %hi scales %s axis 1 : (tensor<100x40xi8>, tensor<40xf32>) -> tensor<100x40xf32>
  %y0 = xf.linear %x, %w0 bias %b act relu : (tensor<70x100xf32>, tensor<100x40xf32>, tensor<40xf32>) -> tensor<70x40xf32>
  %y1 = xf.linear %x, %w1 residual %y0 : (tensor<70x100xf32>, tensor<100x40xf32>, tensor<70x40xf32>) -> tensor<70x40xf32>
  %y2 = xf.linear %x, %w2 residual %y1 : (tensor<70x100xf32>, tensor<100x40xf32>, tensor<70x40xf32>) -> tensor<70x40xf32>
  return %y2 : tensor<70x40xf32>
}

// [N, K] int8 weights: one with scales per group of 32 (the VNNI path), one
// per channel (AMX), over 2 x 24 tokens.
func.func @int8_nk_groups_and_channels(%x: tensor<2x24x64xf32>, %qg: tensor<48x64xi8>, %sg: tensor<48x2xf32>,
                                       %qc: tensor<48x64xi8>, %sc: tensor<48xf32>) -> (tensor<2x24x48xf32>, tensor<2x24x48xf32>) {
  %wg = xf.dequantize %qg scales %sg axis 0 group 32 : (tensor<48x64xi8>, tensor<48x2xf32>) -> tensor<48x64xf32>
  %wc = xf.dequantize %qc scales %sc axis 0 : (tensor<48x64xi8>, tensor<48xf32>) -> tensor<48x64xf32>
  %yg = xf.linear %x, %wg layout nk : (tensor<2x24x64xf32>, tensor<48x64xf32>) -> tensor<2x24x48xf32>
  %yc = xf.linear %x, %wc layout nk : (tensor<2x24x64xf32>, tensor<48x64xf32>) -> tensor<2x24x48xf32>
  return %yg, %yc : tensor<2x24x48xf32>, tensor<2x24x48xf32>
}

// Work items of up to 4 blocks of 32 rows: 300 rows are items of 128, 128
// and 44 (one block, 12 rows by the vector path). K in blocks of 8 steps of
// 16: bf16 K = 700 (350 pairs: blocks of 8, 8 and 5 steps, 14 pairs after)
// and int8 K = 1400 (350 quads likewise), with bias and residual.
func.func @k_blocks_and_row_groups(%x: tensor<300x700xf32>, %w: tensor<700x40xbf16>, %b: tensor<40xf32>,
                                   %x8: tensor<300x1400xf32>, %q: tensor<1400x40xi8>, %s: tensor<40xf32>,
                                   %r: tensor<300x40xf32>) -> (tensor<300x40xf32>, tensor<300x40xf32>) {
  %y = xf.linear %x, %w bias %b residual %r
      : (tensor<300x700xf32>, tensor<700x40xbf16>, tensor<40xf32>, tensor<300x40xf32>) -> tensor<300x40xf32>
  %wq = xf.dequantize %q scales %s axis 1 : (tensor<1400x40xi8>, tensor<40xf32>) -> tensor<1400x40xf32>
  %y8 = xf.linear %x8, %wq bias %b : (tensor<300x1400xf32>, tensor<1400x40xf32>, tensor<40xf32>) -> tensor<300x40xf32>
  return %y, %y8 : tensor<300x40xf32>, tensor<300x40xf32>
}

// Nothing after the products and whole steps of K: the tiles go to the
// result after the last K block. K = 512 (256 pairs: two blocks of 8
// steps) and K = 768 (three), 200 rows (on one thread a chunk of 128 and
// one of 64 + 8), N = 64 (two panels).
func.func @k_blocks_to_result(%x: tensor<200x512xf32>, %w: tensor<512x64xbf16>,
                              %x3: tensor<200x768xf32>, %w3: tensor<768x64xbf16>)
    -> (tensor<200x64xf32>, tensor<200x64xf32>) {
  %y = xf.linear %x, %w : (tensor<200x512xf32>, tensor<512x64xbf16>) -> tensor<200x64xf32>
  %y3 = xf.linear %x3, %w3 : (tensor<200x768xf32>, tensor<768x64xbf16>) -> tensor<200x64xf32>
  return %y, %y3 : tensor<200x64xf32>, tensor<200x64xf32>
}
