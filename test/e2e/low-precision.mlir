// Weights in bf16, f16 and int8 (xf.dequantize, per channel and per group)
// through every pipeline variant, against the reference evaluator, which
// dequantizes exactly as the ops define.
// RUN: %check-pipelines %s -e bf16_kn_bias_odd | FileCheck %s
// RUN: %check-pipelines %s -e f16_nk_epilogue | FileCheck %s
// RUN: %check-pipelines %s -e int8_per_channel | FileCheck %s
// RUN: %check-pipelines %s -e int8_groups_ragged | FileCheck %s
// RUN: %check-pipelines %s -e bf16_mlp | FileCheck %s
// RUN: %check-pipelines %s -e int8_block_decode | FileCheck %s
// RUN: %check-pipelines %s -e bf16_block --constant-weights | FileCheck %s
// RUN: %check-pipelines %s -e int8_extremes | FileCheck %s
// RUN: %check-pipelines %s -e mixed_f16_bf16_mlp | FileCheck %s
// RUN: %check-pipelines %s -e int8_cancelling_projection --seed 20261307 | FileCheck %s
// RUN: %check-pipelines %s -e bf16_decode | FileCheck %s
// RUN: %check-pipelines %s -e bf16_activations | FileCheck %s
// CHECK: 6 variants ok
// bf16 panels (activations rounded to bf16, the tolerance that implies)
// on any x86-64 host: widened to f32 at vector width 8; and bf16 weights
// widened to exact f32 panels.
// RUN: xf-run %s -e bf16_mlp --check --pipeline-options "vector-width=8 bf16-panels=true" | FileCheck %s --check-prefix=PAIRS
// RUN: xf-run %s -e f16_nk_epilogue --check --pipeline-options "vector-width=8 bf16-panels=true" | FileCheck %s --check-prefix=PAIRS
// PAIRS: tolerance={{.*}} (1.6e-02 + 2 x {{.*}} modelled rounding) ok
// RUN: xf-run %s -e bf16_mlp --check --pipeline-options "bf16-panels=false" | FileCheck %s --check-prefix=EXACT
// RUN: xf-run %s -e int8_per_channel --check --pipeline-options "int8-panels=false" | FileCheck %s --check-prefix=EXACT
// Groups of 6 rows of K split quads: such weights keep exact f32 panels
// even with int8 panels asked for.
// RUN: %check-pipelines %s -e int8_groups_of_six | FileCheck %s
// RUN: xf-run %s -e int8_groups_of_six --check --pipeline-options "int8-panels=true" | FileCheck %s --check-prefix=EXACT
// EXACT: tolerance=1.0e-04 ok
// int8 panels (activations quantized per row, the tolerance that implies),
// also on AVX2 hosts at vector width 8 (bytes widened to i32 products).
// RUN: xf-run %s -e int8_groups_ragged --check --pipeline-options "vector-width=8 int8-panels=true" | FileCheck %s --check-prefix=QUADS
// RUN: xf-run %s -e int8_block_decode --check --pipeline-options "vector-width=8 int8-panels=true threads=1" | FileCheck %s --check-prefix=QUADS
// QUADS: tolerance={{.*}} (3.1e-02 + 2 x {{.*}} modelled rounding) ok

func.func @bf16_kn_bias_odd(%x: tensor<2x5x7xf32>, %w: tensor<7x3xbf16>, %b: tensor<3xf32>) -> tensor<2x5x3xf32> {
  %y = xf.linear %x, %w bias %b : (tensor<2x5x7xf32>, tensor<7x3xbf16>, tensor<3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

func.func @f16_nk_epilogue(%x: tensor<3x16xf32>, %w: tensor<40x16xf16>, %b: tensor<40xf32>,
                           %r: tensor<3x40xf32>) -> tensor<3x40xf32> {
  %y = xf.linear %x, %w bias %b layout nk act gelu_tanh residual %r
      : (tensor<3x16xf32>, tensor<40x16xf16>, tensor<40xf32>, tensor<3x40xf32>) -> tensor<3x40xf32>
  return %y : tensor<3x40xf32>
}

// [N, K] weights, one scale per output channel.
func.func @int8_per_channel(%x: tensor<1x9x33xf32>, %q: tensor<20x33xi8>, %s: tensor<20xf32>) -> tensor<1x9x20xf32> {
  %w = xf.dequantize %q scales %s axis 0 : (tensor<20x33xi8>, tensor<20xf32>) -> tensor<20x33xf32>
  %y = xf.linear %x, %w layout nk act silu : (tensor<1x9x33xf32>, tensor<20x33xf32>) -> tensor<1x9x20xf32>
  return %y : tensor<1x9x20xf32>
}

// A decode step (one row) on bf16 panels, with the epilogue.
func.func @bf16_decode(%x: tensor<1x40xf32>, %w: tensor<40x37xbf16>, %b: tensor<37xf32>) -> tensor<1x37xf32> {
  %y = xf.linear %x, %w bias %b act silu : (tensor<1x40xf32>, tensor<40x37xbf16>, tensor<37xf32>) -> tensor<1x37xf32>
  return %y : tensor<1x37xf32>
}

// bf16 activations, bias and result: computed in f32 and rounded to bf16
// after each op (on CPUs without AVX-512 BF16 by integer ops on the bits:
// xf-cpu-legalize-bf16), checked to the tolerance of bf16 results.
func.func @bf16_activations(%x: tensor<4x16xbf16>, %w: tensor<16x8xbf16>, %b: tensor<8xbf16>) -> tensor<4x8xbf16> {
  %y = xf.linear %x, %w bias %b act gelu : (tensor<4x16xbf16>, tensor<16x8xbf16>, tensor<8xbf16>) -> tensor<4x8xbf16>
  return %y : tensor<4x8xbf16>
}

// Groups of 6 along K: they split quads (exact f32 panels).
func.func @int8_groups_of_six(%x: tensor<3x20xf32>, %q: tensor<20x9xi8>, %s: tensor<9x4xf32>) -> tensor<3x9xf32> {
  %w = xf.dequantize %q scales %s axis 1 group 6 : (tensor<20x9xi8>, tensor<9x4xf32>) -> tensor<20x9xf32>
  %y = xf.linear %x, %w : (tensor<3x20xf32>, tensor<20x9xf32>) -> tensor<3x9xf32>
  return %y : tensor<3x9xf32>
}

// [K, N] weights in groups of 16 along K = 40 (the last group is short).
func.func @int8_groups_ragged(%x: tensor<5x40xf32>, %q: tensor<40x37xi8>, %s: tensor<37x3xf32>) -> tensor<5x37xf32> {
  %w = xf.dequantize %q scales %s axis 1 group 16 : (tensor<40x37xi8>, tensor<37x3xf32>) -> tensor<40x37xf32>
  %y = xf.linear %x, %w : (tensor<5x40xf32>, tensor<40x37xf32>) -> tensor<5x37xf32>
  return %y : tensor<5x37xf32>
}

func.func @bf16_mlp(%x: tensor<2x7x24xf32>, %wu: tensor<40x24xbf16>, %wg: tensor<40x24xbf16>,
                    %wd: tensor<24x40xbf16>) -> tensor<2x7x24xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu layout nk
      : (tensor<2x7x24xf32>, tensor<40x24xbf16>, tensor<40x24xbf16>, tensor<24x40xbf16>) -> tensor<2x7x24xf32>
  return %y : tensor<2x7x24xf32>
}

// A LLaMA-style decode step whose projections are int8 with per-group
// scales (group 16 along K = 32 and 48).
func.func @int8_block_decode(%x: tensor<2x1x32xf32>, %g1: tensor<32xf32>,
                             %qq: tensor<32x32xi8>, %sq: tensor<32x2xf32>, %qk: tensor<16x32xi8>, %sk: tensor<16x2xf32>,
                             %qv: tensor<16x32xi8>, %sv: tensor<16x2xf32>, %qo: tensor<32x32xi8>, %so: tensor<32x2xf32>,
                             %g2: tensor<32xf32>, %qu: tensor<48x32xi8>, %su: tensor<48x2xf32>,
                             %qg: tensor<48x32xi8>, %sg: tensor<48x2xf32>, %qd: tensor<32x48xi8>, %sd: tensor<32x3xf32>,
                             %pos: tensor<2x1xi32>, %kc: tensor<2x20x16xf32>, %vc: tensor<2x20x16xf32>, %len: tensor<2xi32>)
    -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>) {
  %wq = xf.dequantize %qq scales %sq axis 0 group 16 : (tensor<32x32xi8>, tensor<32x2xf32>) -> tensor<32x32xf32>
  %wk = xf.dequantize %qk scales %sk axis 0 group 16 : (tensor<16x32xi8>, tensor<16x2xf32>) -> tensor<16x32xf32>
  %wv = xf.dequantize %qv scales %sv axis 0 group 16 : (tensor<16x32xi8>, tensor<16x2xf32>) -> tensor<16x32xf32>
  %wo = xf.dequantize %qo scales %so axis 0 group 16 : (tensor<32x32xi8>, tensor<32x2xf32>) -> tensor<32x32xf32>
  %wu = xf.dequantize %qu scales %su axis 0 group 16 : (tensor<48x32xi8>, tensor<48x2xf32>) -> tensor<48x32xf32>
  %wg = xf.dequantize %qg scales %sg axis 0 group 16 : (tensor<48x32xi8>, tensor<48x2xf32>) -> tensor<48x32xf32>
  %wd = xf.dequantize %qd scales %sd axis 0 group 16 : (tensor<32x48xi8>, tensor<32x3xf32>) -> tensor<32x48xf32>
  %y:3 = xf.block %x heads 4 kv_heads 2 causal norm rms_norm pre act silu rope_theta 1.0e+04 layout nk
      norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2) mlp(up %wu gate %wg down %wd)
      positions %pos kv_cache(%kc, %vc) kv_len %len
      : (tensor<2x1x32xf32>, tensor<32xf32>, tensor<32x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>, tensor<32x32xf32>,
         tensor<32xf32>, tensor<48x32xf32>, tensor<48x32xf32>, tensor<32x48xf32>, tensor<2x1xi32>,
         tensor<2x20x16xf32>, tensor<2x20x16xf32>, tensor<2xi32>)
      -> (tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>)
  return %y#0, %y#1, %y#2 : tensor<2x1x32xf32>, tensor<2x20x16xf32>, tensor<2x20x16xf32>
}

// A GPT-2-style block with bf16 weights, compiled in as constants.
func.func @bf16_block(%x: tensor<1x12x32xf32>, %g1: tensor<32xf32>, %b1: tensor<32xf32>,
                      %wq: tensor<32x32xbf16>, %wk: tensor<32x32xbf16>, %wv: tensor<32x32xbf16>, %wo: tensor<32x32xbf16>,
                      %g2: tensor<32xf32>, %b2: tensor<32xf32>, %wu: tensor<32x64xbf16>, %wd: tensor<64x32xbf16>) -> tensor<1x12x32xf32> {
  %y = xf.block %x heads 4 causal norm layer_norm pre act gelu_tanh
      norm1(%g1, %b1) attn(%wq, %wk, %wv, %wo) norm2(%g2, %b2) mlp(up %wu down %wd)
      : (tensor<1x12x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x32xbf16>, tensor<32x32xbf16>,
         tensor<32x32xbf16>, tensor<32x32xbf16>, tensor<32xf32>, tensor<32xf32>, tensor<32x64xbf16>,
         tensor<64x32xbf16>) -> tensor<1x12x32xf32>
  return %y : tensor<1x12x32xf32>
}

// int8 weights at the ends of the range (-128, 127; VNNI takes them as
// unsigned 0 and 255 after the +128) in a constant, K = 20 not a multiple
// of the group of 8, with per-group scales as an argument.
func.func @int8_extremes(%x: tensor<3x20xf32>, %s: tensor<40x3xf32>) -> tensor<3x40xf32> {
  %q = arith.constant dense<[[127, 1, 1, 127, -127, 1, 0, -1, 1, -128, 1, -128, 64, 0, -127, 1, 127, 127, -1, 0], [1, 64, 1, 0, 0, -1, 64, 127, 127, -1, 127, 64, 1, 0, -1, -128, -1, 64, -128, 127], [64, 1, -128, -127, 64, -128, 64, 64, -127, 0, 1, -1, 0, -1, 64, 0, 0, -1, 64, 1], [0, 127, -127, -128, -128, 127, 0, 127, -127, -1, 0, 64, -1, 64, -127, 0, 1, 64, 0, 1], [-127, 1, 1, 0, 1, 127, -127, -1, -128, 64, -127, 1, -1, -1, 127, -1, 64, -127, 1, 1], [1, -128, -1, -1, 127, -1, 64, 1, -127, -127, -128, -128, 0, 64, -1, 0, -128, -127, 64, -128], [0, 127, -128, -127, 0, 64, 0, 64, -128, -128, 1, 1, 64, -128, 0, -1, 1, -127, 1, -127], [1, 127, -128, -127, -128, -128, -128, 1, 1, -128, 127, 0, -127, 1, -127, 127, -1, -128, 64, -127], [-127, -127, 127, 64, 0, 0, 0, 64, 1, 0, -1, 64, 1, -1, 1, -128, 1, 64, 1, -127], [0, -1, -1, -1, 127, -127, 0, -127, 1, -127, 1, -127, -128, 64, 0, 1, -127, -128, 0, 1], [1, -1, 127, -128, -1, -1, -127, 0, -127, -1, -127, 1, -1, -127, -1, 0, -128, 1, -128, -1], [-128, -127, -127, -1, 0, -127, 1, 1, -127, 127, -127, 127, -127, 64, -127, 64, 1, -127, -127, 64], [0, -128, 64, 64, -128, 1, -1, -1, 127, -127, 1, 127, -1, 64, -127, 127, -127, 127, -1, 0], [-1, -1, -128, -128, 1, -127, -127, -1, 64, 127, 0, 64, 64, 127, -128, -127, -1, -1, 127, 1], [0, -127, 127, 64, -128, -128, 1, 127, -127, 64, 64, 64, 1, 127, 64, -127, -127, 64, 64, -1], [-128, 64, 1, -127, 1, 127, 0, -127, 1, 64, 64, -127, 0, -127, -1, 0, -127, 0, 1, 0], [-128, 0, 127, 127, -128, 0, 64, 1, 1, 0, 1, -1, 127, -128, -1, 0, 64, 64, -1, -1], [1, -127, 1, -127, 127, 64, -128, 64, 1, -127, -128, 64, 127, -128, -128, 64, -1, 1, 127, 0], [1, -128, -128, 0, -1, -128, 127, 1, -127, 127, -1, -128, 1, 1, 0, -128, 1, -128, -127, 127], [-127, 64, 1, 0, 64, 64, -128, -127, 127, 127, -128, 1, 64, -128, 127, 127, 64, -127, 64, 127], [64, -128, 0, -1, 1, 64, 0, -128, 64, -127, 127, -127, 1, 1, 1, 0, -128, 0, -127, 64], [64, -128, 64, -128, 64, 127, -128, -128, -128, -128, 0, -128, 64, -1, -128, 1, 1, 0, -127, 127], [-127, -128, -127, 0, -1, 0, 1, -127, -127, -127, 127, -127, 0, -128, 127, 1, -128, -1, -1, 0], [64, -128, 1, 127, -128, -127, 0, 1, -1, 64, 1, 0, -1, 64, -128, 1, 0, -128, -127, -1], [0, 64, -1, -127, 0, -1, 0, 0, -128, 127, 127, 1, -127, -1, 1, -128, 64, 0, 127, 0], [127, -128, -127, -127, 1, 64, 64, -127, -128, 0, -1, -128, 64, -1, -1, 64, 1, 64, 0, -1], [-128, -1, -127, 1, 1, -128, 64, 1, -1, -128, 0, 127, 127, 64, 0, -128, 1, -128, 1, -128], [-1, 0, 127, 64, -128, -127, 64, 64, -128, -128, 64, -128, -1, 0, 64, -1, -127, 1, -127, 64], [-128, -128, 64, 1, 1, 1, -1, 127, -128, 1, -1, -128, 1, -128, 1, -127, 64, 1, 127, 64], [-128, 127, 127, -1, 127, 0, 1, -1, 64, 0, -127, -127, 1, 0, -127, 1, 0, -128, 0, 1], [127, 0, 64, -1, 127, 0, -1, 1, 64, 1, -1, 1, -1, 0, 127, -1, 0, 127, 127, -128], [0, -1, 0, -1, 1, 0, 1, -1, 64, 127, 127, -127, 64, 127, 127, 1, 1, -127, 127, 64], [-1, 1, 64, -127, -1, -1, 64, 0, 1, 64, 1, 1, -127, 127, -127, -128, -127, 0, 64, 0], [127, 127, 1, -127, 127, -127, 0, 64, 64, 127, 0, -1, 0, -1, 1, 127, 0, 1, 64, 64], [-1, 1, -128, 0, -1, -128, 64, 0, 64, -1, -128, 0, 127, 127, -1, -1, 64, -1, -128, 127], [64, -127, 127, 127, 64, -127, 127, 127, 1, -1, -1, 64, -128, -127, 127, 64, -128, -127, 127, 0], [-128, -1, 64, -128, -128, -128, -127, 64, -127, -128, -127, 0, 1, -1, -1, -127, -128, -128, -127, -127], [0, 0, 0, -128, 127, -1, 1, -1, 0, 0, 127, 1, -127, -128, -127, -128, -1, 0, -128, 0], [1, -127, -128, 1, -1, -127, -1, 64, -127, 64, 0, -127, -1, -1, -1, -1, 64, 64, -127, -128], [64, -127, -1, 1, 1, 1, -128, -1, 0, 1, -127, -128, -1, -127, -1, -1, 1, -1, 127, -1]]> : tensor<40x20xi8>
  %w = xf.dequantize %q scales %s axis 0 group 8 : (tensor<40x20xi8>, tensor<40x3xf32>) -> tensor<40x20xf32>
  %y = xf.linear %x, %w layout nk : (tensor<3x20xf32>, tensor<40x20xf32>) -> tensor<3x40xf32>
  return %y : tensor<3x40xf32>
}

// A value projection whose four outputs nearly cancel on these inputs
// (--seed 20261307): quantizing the activations per row costs 4.4e-2 of
// their magnitude, above the default 2^-5, and --check allows it because
// the reference, rounding the inputs as the int8 panels do, changes by as
// much (a 10,000-block differential run found it; see docs/Testing.md).
// CANCEL: result=#2 tolerance={{.*}} (3.1e-02 + 2 x 4.{{[0-9]}}e-02 modelled rounding) ok
// RUN: xf-run %s -e int8_cancelling_projection --seed 20261307 --check --pipeline-options "vector-width=8 int8-panels=true" | FileCheck %s --check-prefix=CANCEL
func.func @int8_cancelling_projection(%x: tensor<1x48xf32>, %g1: tensor<48xf32>, %qwq: tensor<48x4xi8>, %swq: tensor<4xf32>, %qwk: tensor<48x4xi8>, %swk: tensor<4xf32>, %qwv: tensor<48x4xi8>, %swv: tensor<4xf32>, %qwo: tensor<4x48xi8>, %swo: tensor<48xf32>, %g2: tensor<48xf32>, %qwu: tensor<48x8xi8>, %swu: tensor<8xf32>, %qwd: tensor<8x48xi8>, %swd: tensor<48xf32>, %pos: tensor<1xi32>, %kc: tensor<1x4xf32>, %vc: tensor<1x4xf32>, %len: tensor<i32>) -> (tensor<1x48xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %wq = xf.dequantize %qwq scales %swq axis 1 : (tensor<48x4xi8>, tensor<4xf32>) -> tensor<48x4xf32>
  %wk = xf.dequantize %qwk scales %swk axis 1 : (tensor<48x4xi8>, tensor<4xf32>) -> tensor<48x4xf32>
  %wv = xf.dequantize %qwv scales %swv axis 1 : (tensor<48x4xi8>, tensor<4xf32>) -> tensor<48x4xf32>
  %wo = xf.dequantize %qwo scales %swo axis 1 : (tensor<4x48xi8>, tensor<48xf32>) -> tensor<4x48xf32>
  %wu = xf.dequantize %qwu scales %swu axis 1 : (tensor<48x8xi8>, tensor<8xf32>) -> tensor<48x8xf32>
  %wd = xf.dequantize %qwd scales %swd axis 1 : (tensor<8x48xi8>, tensor<48xf32>) -> tensor<8x48xf32>
  %y:3 = xf.block %x heads 1 norm rms_norm post act relu norm1(%g1) attn(%wq, %wk, %wv, %wo) norm2(%g2) mlp(up %wu down %wd) positions %pos kv_cache(%kc, %vc) kv_len %len
      : (tensor<1x48xf32>, tensor<48xf32>, tensor<48x4xf32>, tensor<48x4xf32>, tensor<48x4xf32>, tensor<4x48xf32>, tensor<48xf32>, tensor<48x8xf32>, tensor<8x48xf32>, tensor<1xi32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<i32>) -> (tensor<1x48xf32>, tensor<1x4xf32>, tensor<1x4xf32>)
  return %y#0, %y#1, %y#2 : tensor<1x48xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// Gate and up weights of different 16-bit types: xf-merge-projections
// keeps them apart (one concatenated weight has one element type).
func.func @mixed_f16_bf16_mlp(%x: tensor<5x24xf32>, %wu: tensor<24x40xf16>, %wg: tensor<24x40xbf16>,
                              %wd: tensor<40x24xbf16>) -> tensor<5x24xf32> {
  %y = xf.mlp %x up %wu gate %wg down %wd act silu
      : (tensor<5x24xf32>, tensor<24x40xf16>, tensor<24x40xbf16>, tensor<40x24xbf16>) -> tensor<5x24xf32>
  return %y : tensor<5x24xf32>
}
