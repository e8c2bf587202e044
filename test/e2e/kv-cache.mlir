// Attention against preallocated caches with run-time valid lengths, and
// the decode step that writes the new keys and values first, through
// every pipeline variant. Cache rows past each batch element's length hold
// whatever the caller left there; they never count.
// RUN: %check-pipelines %s -e decode_gqa | FileCheck %s
// RUN: %check-pipelines %s -e decode_mqa_window | FileCheck %s
// RUN: %check-pipelines %s -e chunk_of_three | FileCheck %s
// RUN: %check-pipelines %s -e lengths_full_and_short | FileCheck %s
// RUN: %check-pipelines %s -e write_then_attend | FileCheck %s
// The caches are updated in the caller's buffers, not copied.
// RUN: xf-run %s -e write_then_attend | FileCheck %s --check-prefix=INPLACE
// INPLACE: xf-run: result #1 is written in place into argument #3
// INPLACE: xf-run: result #2 is written in place into argument #4
// RUN: %check-pipelines %s -e block_decode_step | FileCheck %s
// CHECK: 6 variants ok

// kv_len 0: nothing to attend to, zeros.
// RUN: %check-pipelines %s -e empty_cache | FileCheck %s --check-prefix=EMPTY
// EMPTY-COUNT-6: result #0: 1x1x32xf32 sum=0.000e+00 first=[0.0000e+00,
// EMPTY: 6 variants ok

// One query per batch element (Sq = 1) against a cache of 40, GQA 4 / 2.
func.func @decode_gqa(%q: tensor<2x1x64xf32>, %kc: tensor<2x40x32xf32>, %vc: tensor<2x40x32xf32>, %len: tensor<2xi32>) -> tensor<2x1x64xf32> {
  %o = xf.attention %q, %kc, %vc kv_len %len heads 4 kv_heads 2 causal : (tensor<2x1x64xf32>, tensor<2x40x32xf32>, tensor<2x40x32xf32>, tensor<2xi32>) -> tensor<2x1x64xf32>
  return %o : tensor<2x1x64xf32>
}

// MQA with a sliding window and sinks, aligned to each valid length.
func.func @decode_mqa_window(%q: tensor<3x1x48xf32>, %kc: tensor<3x70x16xf32>, %vc: tensor<3x70x16xf32>, %len: tensor<3xi64>) -> tensor<3x1x48xf32> {
  %o = xf.attention %q, %kc, %vc kv_len %len heads 3 kv_heads 1 causal window 9 sinks 2 : (tensor<3x1x48xf32>, tensor<3x70x16xf32>, tensor<3x70x16xf32>, tensor<3xi64>) -> tensor<3x1x48xf32>
  return %o : tensor<3x1x48xf32>
}

// Three queries at once (speculative decoding, chunked prefill).
func.func @chunk_of_three(%q: tensor<2x3x32xf32>, %kc: tensor<2x33x32xf32>, %vc: tensor<2x33x32xf32>, %len: tensor<2xi32>) -> tensor<2x3x32xf32> {
  %o = xf.attention %q, %kc, %vc kv_len %len heads 2 causal : (tensor<2x3x32xf32>, tensor<2x33x32xf32>, tensor<2x33x32xf32>, tensor<2xi32>) -> tensor<2x3x32xf32>
  return %o : tensor<2x3x32xf32>
}

// L = C for one batch element and L = 1 for the other.
func.func @lengths_full_and_short(%q: tensor<2x1x32xf32>, %kc: tensor<2x24x16xf32>, %vc: tensor<2x24x16xf32>) -> tensor<2x1x32xf32> {
  %len = arith.constant dense<[24, 1]> : tensor<2xi32>
  %o = xf.attention %q, %kc, %vc kv_len %len heads 2 kv_heads 1 causal : (tensor<2x1x32xf32>, tensor<2x24x16xf32>, tensor<2x24x16xf32>, tensor<2xi32>) -> tensor<2x1x32xf32>
  return %o : tensor<2x1x32xf32>
}

func.func @empty_cache(%q: tensor<1x1x32xf32>, %kc: tensor<1x8x32xf32>, %vc: tensor<1x8x32xf32>) -> tensor<1x1x32xf32> {
  %len = arith.constant dense<0> : tensor<1xi32>
  %o = xf.attention %q, %kc, %vc kv_len %len heads 2 causal : (tensor<1x1x32xf32>, tensor<1x8x32xf32>, tensor<1x8x32xf32>, tensor<1xi32>) -> tensor<1x1x32xf32>
  return %o : tensor<1x1x32xf32>
}

// A decode step in primitives: the step's key and value go into the caches
// at rows len - 1, then attention reads the first len rows; the updated
// caches are results too.
func.func @write_then_attend(%q: tensor<2x1x64xf32>, %k: tensor<2x1x32xf32>, %v: tensor<2x1x32xf32>,
                             %kc: tensor<2x30x32xf32>, %vc: tensor<2x30x32xf32>, %len: tensor<2xi32>)
    -> (tensor<2x1x64xf32>, tensor<2x30x32xf32>, tensor<2x30x32xf32>) {
  %kc2 = xf.cache_write %k into %kc kv_len %len : (tensor<2x1x32xf32>, tensor<2x30x32xf32>, tensor<2xi32>) -> tensor<2x30x32xf32>
  %vc2 = xf.cache_write %v into %vc kv_len %len : (tensor<2x1x32xf32>, tensor<2x30x32xf32>, tensor<2xi32>) -> tensor<2x30x32xf32>
  %o = xf.attention %q, %kc2, %vc2 kv_len %len heads 4 kv_heads 2 causal : (tensor<2x1x64xf32>, tensor<2x30x32xf32>, tensor<2x30x32xf32>, tensor<2xi32>) -> tensor<2x1x64xf32>
  return %o, %kc2, %vc2 : tensor<2x1x64xf32>, tensor<2x30x32xf32>, tensor<2x30x32xf32>
}

// A whole LLaMA-style block decoding one token per batch element.
func.func @block_decode_step(%x: tensor<2x1x32xf32>, %g1: tensor<32xf32>, %wq: tensor<32x32xf32>, %wk: tensor<16x32xf32>,
                             %wv: tensor<16x32xf32>, %wo: tensor<32x32xf32>, %g2: tensor<32xf32>, %wu: tensor<48x32xf32>,
                             %wg: tensor<48x32xf32>, %wd: tensor<32x48xf32>, %pos: tensor<2x1xi32>,
                             %kc: tensor<2x20x16xf32>, %vc: tensor<2x20x16xf32>, %len: tensor<2xi32>)
    -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>) {
  %y:3 = xf.block %x heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04 layout nk
      norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2) mlp(up %wu gate %wg down %wd)
      positions %pos kv_cache(%kc, %vc) kv_len %len
      : (tensor<2x1x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<48x32xf32>, tensor<48x32xf32>, tensor<32x48xf32>, tensor<2x1xi32>,
         tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2xi32>)
      -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>)
  return %y#0, %y#1, %y#2 : tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>
}
