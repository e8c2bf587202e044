// RUN: xf-opt %s --split-input-file --xf-cpu-form-kernels | FileCheck %s
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=panel-width=16" | FileCheck %s --check-prefix=NR16
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=attention=false norms=false" | FileCheck %s --check-prefix=OFF
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=bf16-panels=true" | FileCheck %s --check-prefix=BF16
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=int8-panels=true" | FileCheck %s --check-prefix=INT8
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=panel-width=16" | FileCheck %s --check-prefix=SPARSE
// RUN: xf-opt %s --split-input-file "--xf-cpu-form-kernels=panel-width=16" 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN

// A linear with its whole epilogue: rows collapsed, weight packed into
// ceil(48 / 32) = 2 panels, the GEMM, rows expanded back.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x16xf32>, %[[W:.*]]: tensor<48x16xf32>, %[[B:.*]]: tensor<48xf32>, %[[R:.*]]: tensor<2x5x48xf32>)
// CHECK:      %[[PE:.*]] = tensor.empty() : tensor<2x16x32xf32>
// CHECK:      %[[P:.*]] = xf_cpu.pack_weights %[[W]] layout nk outs(%[[PE]] : tensor<2x16x32xf32>) : tensor<48x16xf32> -> tensor<2x16x32xf32>
// CHECK:      %[[XR:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x5x16xf32> into tensor<10x16xf32>
// CHECK:      %[[RR:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1], [2]] : tensor<2x5x48xf32> into tensor<10x48xf32>
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<10x48xf32>
// CHECK:      %[[Y:.*]] = xf_cpu.gemm %[[XR]], %[[P]] bias %[[B]] act silu residual %[[RR]] : tensor<10x48xf32> outs(%[[E]] : tensor<10x48xf32>)
// CHECK:      tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 48]
// NR16-LABEL: func.func @linear
// NR16: xf_cpu.pack_weights %{{.*}} layout nk outs(%{{.*}} : tensor<3x16x16xf32>)
func.func @linear(%x: tensor<2x5x16xf32>, %w: tensor<48x16xf32>, %b: tensor<48xf32>, %r: tensor<2x5x48xf32>) -> tensor<2x5x48xf32> {
  %y = xf.linear %x, %w bias %b layout nk act silu residual %r
      : (tensor<2x5x16xf32>, tensor<48x16xf32>, tensor<48xf32>, tensor<2x5x48xf32>) -> tensor<2x5x48xf32>
  return %y : tensor<2x5x48xf32>
}

// -----

// Dynamic rows stay dynamic; other element types keep the plain lowering.
// CHECK-LABEL: func.func @dynamic_rows
// CHECK: %[[D:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<?x8xf32>
// CHECK: tensor.empty(%[[D]]) : tensor<?x8xf32>
// CHECK: xf_cpu.gemm
// CHECK: xf.linear {{.*}} tensor<4x8xf16>
func.func @dynamic_rows(%x: tensor<?x8xf32>, %w: tensor<8x8xf32>, %h: tensor<4x8xf16>, %wh: tensor<8x8xf16>) -> (tensor<?x8xf32>, tensor<4x8xf16>) {
  %y = xf.linear %x, %w : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<?x8xf32>
  %z = xf.linear %h, %wh : (tensor<4x8xf16>, tensor<8x8xf16>) -> tensor<4x8xf16>
  return %y, %z : tensor<?x8xf32>, tensor<4x8xf16>
}

// -----

// Merged projections: each part of the concatenated weight is packed into
// its own panels of one packed tensor, so the concatenation is never copied.
// The last part may end in a partial panel; the first two fill whole ones.
// CHECK-LABEL: func.func @concatenated_weight
// CHECK-SAME: (%{{.*}}: tensor<5x16xf32>, %[[WQ:.*]]: tensor<16x64xf32>, %[[WK:.*]]: tensor<16x32xf32>, %[[WV:.*]]: tensor<16x20xf32>)
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<4x16x32xf32>
// CHECK:      %[[S0:.*]] = tensor.extract_slice %[[E]][0, 0, 0] [2, 16, 32] [1, 1, 1]
// CHECK:      %[[P0:.*]] = xf_cpu.pack_weights %[[WQ]] layout kn outs(%[[S0]] : tensor<2x16x32xf32>)
// CHECK:      %[[I0:.*]] = tensor.insert_slice %[[P0]] into %[[E]][0, 0, 0] [2, 16, 32] [1, 1, 1]
// CHECK:      %[[S1:.*]] = tensor.extract_slice %[[I0]][2, 0, 0] [1, 16, 32] [1, 1, 1]
// CHECK:      %[[P1:.*]] = xf_cpu.pack_weights %[[WK]] layout kn outs(%[[S1]] : tensor<1x16x32xf32>)
// CHECK:      %[[I1:.*]] = tensor.insert_slice %[[P1]] into %[[I0]][2, 0, 0] [1, 16, 32] [1, 1, 1]
// CHECK:      %[[S2:.*]] = tensor.extract_slice %[[I1]][3, 0, 0] [1, 16, 32] [1, 1, 1]
// CHECK:      %[[P2:.*]] = xf_cpu.pack_weights %[[WV]] layout kn outs(%[[S2]] : tensor<1x16x32xf32>)
// CHECK:      %[[I2:.*]] = tensor.insert_slice %[[P2]] into %[[I1]][3, 0, 0] [1, 16, 32] [1, 1, 1]
// CHECK:      xf_cpu.gemm %{{.*}}, %[[I2]]
func.func @concatenated_weight(%x: tensor<5x16xf32>, %wq: tensor<16x64xf32>, %wk: tensor<16x32xf32>, %wv: tensor<16x20xf32>) -> tensor<5x116xf32> {
  %w = tensor.concat dim(1) %wq, %wk, %wv : (tensor<16x64xf32>, tensor<16x32xf32>, tensor<16x20xf32>) -> tensor<16x116xf32>
  %y = xf.linear %x, %w : (tensor<5x16xf32>, tensor<16x116xf32>) -> tensor<5x116xf32>
  return %y : tensor<5x116xf32>
}

// -----

// A part that ends in a partial panel before the last one: the
// concatenation is packed as a whole.
// CHECK-LABEL: func.func @concatenated_ragged
// CHECK:      %[[W:.*]] = tensor.concat
// CHECK:      xf_cpu.pack_weights %[[W]] layout kn
// CHECK-NOT:  xf_cpu.pack_weights
func.func @concatenated_ragged(%x: tensor<5x16xf32>, %wq: tensor<16x20xf32>, %wk: tensor<16x32xf32>) -> tensor<5x52xf32> {
  %w = tensor.concat dim(1) %wq, %wk : (tensor<16x20xf32>, tensor<16x32xf32>) -> tensor<16x52xf32>
  %y = xf.linear %x, %w : (tensor<5x16xf32>, tensor<16x52xf32>) -> tensor<5x52xf32>
  return %y : tensor<5x52xf32>
}

// -----

// Norms become row kernels on the rows of their input.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x16xf32>, %[[G:.*]]: tensor<16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK:      %[[R:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x5x16xf32> into tensor<10x16xf32>
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<10x16xf32>
// CHECK:      %[[N:.*]] = xf_cpu.norm %[[R]], %[[G]], %[[B]] kind layer_norm eps 1.000000e-05 outs(%[[E]] : tensor<10x16xf32>)
// CHECK:      tensor.expand_shape %[[N]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 16]
// OFF-LABEL: func.func @layer_norm
// OFF-NOT:   xf_cpu.norm
// OFF:       xf.layer_norm
func.func @layer_norm(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %y = xf.layer_norm %x, %g, %b : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

// -----

// Dynamic rows, RMSNorm; a rank-1 input becomes one row.
// CHECK-LABEL: func.func @rms_norm
// CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps {{.*}} outs(%{{.*}} : tensor<?x16xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 7] : tensor<7xf32> into tensor<1x7xf32>
// CHECK: xf_cpu.norm %{{.*}}, %{{.*}} kind rms_norm eps {{.*}} outs(%{{.*}} : tensor<1x7xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x7xf32> into tensor<7xf32>
func.func @rms_norm(%x: tensor<?x16xf32>, %g: tensor<16xf32>, %v: tensor<7xf32>, %h: tensor<7xf32>) -> (tensor<?x16xf32>, tensor<7xf32>) {
  %y = xf.rms_norm %x, %g : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %z = xf.rms_norm %v, %h : (tensor<7xf32>, tensor<7xf32>) -> tensor<7xf32>
  return %y, %z : tensor<?x16xf32>, tensor<7xf32>
}

// -----

// The kernels are f32; other element types keep the plain lowering.
// CHECK-LABEL: func.func @f16_norm
// CHECK-NOT: xf_cpu.norm
// CHECK:     xf.layer_norm
func.func @f16_norm(%x: tensor<4x8xf16>, %g: tensor<8xf16>) -> tensor<4x8xf16> {
  %y = xf.layer_norm %x, %g : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// -----

// Attention becomes the online-softmax kernel, keeping its heads and KV
// heads and resolving the default scale 1 / sqrt(8).
// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: tensor<1x40x32xf32>, %[[K:.*]]: tensor<1x40x16xf32>)
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<1x40x32xf32>
// CHECK-NEXT: %[[O:.*]] = xf_cpu.flash_attention %[[Q]], %[[K]], %[[K]] heads 4 kv_heads 2 scale 0.35355339059327373 causal outs(%[[E]] : tensor<1x40x32xf32>)
// CHECK-NEXT: return %[[O]]
// OFF-LABEL: func.func @attention
// OFF-NOT:   xf_cpu.flash_attention
// OFF:       xf.attention
func.func @attention(%q: tensor<1x40x32xf32>, %k: tensor<1x40x16xf32>) -> tensor<1x40x32xf32> {
  %o = xf.attention %q, %k, %k heads 4 kv_heads 2 causal : (tensor<1x40x32xf32>, tensor<1x40x16xf32>, tensor<1x40x16xf32>) -> tensor<1x40x32xf32>
  return %o : tensor<1x40x32xf32>
}

// -----

// A few queries against a cache get the decode schedule (split keys, the
// heads of a GQA group as rows), with the run-time operands passed on.
// CHECK-LABEL: func.func @decode
// CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} kv_len %{{.*}} : tensor<2xi32> heads 8 kv_heads 2 scale {{.*}} causal window 64 decode outs
func.func @decode(%q: tensor<2x1x64xf32>, %kc: tensor<2x512x16xf32>, %len: tensor<2xi32>) -> tensor<2x1x64xf32> {
  %o = xf.attention %q, %kc, %kc kv_len %len heads 8 kv_heads 2 causal window 64 : (tensor<2x1x64xf32>, tensor<2x512x16xf32>, tensor<2x512x16xf32>, tensor<2xi32>) -> tensor<2x1x64xf32>
  return %o : tensor<2x1x64xf32>
}

// -----

// A block map reaches the kernel as its summed-area table.
// CHECK-LABEL: func.func @block_map
// CHECK: %[[T:.*]] = arith.constant dense<{{\[\[}}0, 0, 0], [0, 1, 1], [0, 1, 2]]> : tensor<3x3xi32>
// CHECK: xf_cpu.flash_attention %{{.*}}, %{{.*}}, %{{.*}} block_table %[[T]] : tensor<3x3xi32> heads 2
func.func @block_map(%q: tensor<32x32xf32>) -> tensor<32x32xf32> {
  %o = xf.attention %q, %q, %q heads 2 blocks [16, 16] dense<[[true, false], [false, true]]> : tensor<2x2xi1> : (tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x32xf32>
  return %o : tensor<32x32xf32>
}

// -----

// Head sizes that are only known at run time keep the plain lowering.
// CHECK-LABEL: func.func @dynamic_heads
// CHECK-NOT: xf_cpu.flash_attention
// CHECK:     xf.attention
func.func @dynamic_heads(%q: tensor<4x?xf32>, %k: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %o = xf.attention %q, %k, %k heads 2 scale 0.5 : (tensor<4x?xf32>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  return %o : tensor<4x?xf32>
}

// -----

// A bf16 weight: packed from bf16 into f32 panels, or with bf16-panels into
// bf16 pairs, [NB, ceil(K / 2), 2 NR].
// BF16-LABEL: func.func @bf16_weight
// BF16: %[[P:.*]] = xf_cpu.pack_weights %{{.*}} layout nk outs(%{{.*}} : tensor<1x8x64xbf16>) : tensor<8x16xbf16> -> tensor<1x8x64xbf16>
// BF16: xf_cpu.gemm %{{.*}}, %[[P]]
// CHECK-LABEL: func.func @bf16_weight
// CHECK: %[[P:.*]] = xf_cpu.pack_weights %{{.*}} layout nk outs(%{{.*}} : tensor<1x16x32xf32>) : tensor<8x16xbf16> -> tensor<1x16x32xf32>
// CHECK: xf_cpu.gemm %{{.*}}, %[[P]]
func.func @bf16_weight(%x: tensor<4x16xf32>, %w: tensor<8x16xbf16>) -> tensor<4x8xf32> {
  %y = xf.linear %x, %w layout nk : (tensor<4x16xf32>, tensor<8x16xbf16>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// An int8 weight with scales per channel (along N) and group of K: packed
// from int8 into i8 quads, [NB, ceil(K / 4), 4 NR], its scales handed to
// the GEMM; without int8-panels, dequantized and packed as f32.
// INT8-LABEL: func.func @int8_weight
// INT8-SAME: (%{{.*}}: tensor<4x40xf32>, %[[Q:.*]]: tensor<40x24xi8>, %[[S:.*]]: tensor<24x3xf32>)
// INT8-NOT: xf.dequantize
// INT8: %[[P:.*]] = xf_cpu.pack_weights %[[Q]] layout kn outs(%{{.*}} : tensor<1x10x128xi8>) : tensor<40x24xi8> -> tensor<1x10x128xi8>
// INT8: xf_cpu.gemm %{{.*}}, %[[P]] scales %[[S]] : tensor<24x3xf32> group 16 act gelu
// CHECK-LABEL: func.func @int8_weight
// CHECK: %[[W:.*]] = xf.dequantize
// CHECK: xf_cpu.pack_weights %[[W]] layout kn outs(%{{.*}} : tensor<1x40x32xf32>)
func.func @int8_weight(%x: tensor<4x40xf32>, %q: tensor<40x24xi8>, %s: tensor<24x3xf32>) -> tensor<4x24xf32> {
  %w = xf.dequantize %q scales %s axis 1 group 16 : (tensor<40x24xi8>, tensor<24x3xf32>) -> tensor<40x24xf32>
  %y = xf.linear %x, %w act gelu : (tensor<4x40xf32>, tensor<40x24xf32>) -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// -----

// Scales along K (one per input feature) cannot be applied after the
// integer products: the weight is dequantized and packed as f32.
// INT8-LABEL: func.func @int8_scales_along_k
// INT8: %[[W:.*]] = xf.dequantize
// INT8: xf_cpu.pack_weights %[[W]] layout kn outs(%{{.*}} : tensor<1x40x32xf32>)
func.func @int8_scales_along_k(%x: tensor<4x40xf32>, %q: tensor<40x24xi8>, %s: tensor<40xf32>) -> tensor<4x24xf32> {
  %w = xf.dequantize %q scales %s axis 0 : (tensor<40x24xi8>, tensor<40xf32>) -> tensor<40x24xf32>
  %y = xf.linear %x, %w : (tensor<4x40xf32>, tensor<40x24xf32>) -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// -----

// Projections merged along N (xf-merge-projections' concat) keep their
// quads when every part is quantized alike: one panel set, the scales
// concatenated.
// INT8-LABEL: func.func @int8_merged
// INT8: %[[Q:.*]] = tensor.concat dim(0) %{{.*}}, %{{.*}} : (tensor<16x32xi8>, tensor<8x32xi8>) -> tensor<24x32xi8>
// INT8: %[[S:.*]] = tensor.concat dim(0) %{{.*}}, %{{.*}} : (tensor<16x2xf32>, tensor<8x2xf32>) -> tensor<24x2xf32>
// INT8: %[[P:.*]] = xf_cpu.pack_weights %[[Q]] layout nk
// INT8: xf_cpu.gemm %{{.*}}, %[[P]] scales %[[S]] : tensor<24x2xf32> group 16
func.func @int8_merged(%x: tensor<4x32xf32>, %qa: tensor<16x32xi8>, %sa: tensor<16x2xf32>,
                       %qb: tensor<8x32xi8>, %sb: tensor<8x2xf32>) -> tensor<4x24xf32> {
  %wa = xf.dequantize %qa scales %sa axis 0 group 16 : (tensor<16x32xi8>, tensor<16x2xf32>) -> tensor<16x32xf32>
  %wb = xf.dequantize %qb scales %sb axis 0 group 16 : (tensor<8x32xi8>, tensor<8x2xf32>) -> tensor<8x32xf32>
  %w = tensor.concat dim(0) %wa, %wb : (tensor<16x32xf32>, tensor<8x32xf32>) -> tensor<24x32xf32>
  %y = xf.linear %x, %w layout nk : (tensor<4x32xf32>, tensor<24x32xf32>) -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// -----

// A constant weight with a sparsity hint: only its nonzero blocks of 2 rows
// of K per panel of 16 columns are stored (rows 2-3, block 1, in both
// panels), with the panels' block ranges and the blocks' rows; the second
// panel's block is padded with zeros past N.
// SPARSE-LABEL: func.func @block_sparse
// SPARSE-NOT: xf_cpu.pack_weights
// SPARSE: %[[V:.*]] = arith.constant dense<{{.*}}> : tensor<2x2x16xf32>
// SPARSE: %[[O:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xi32>
// SPARSE: %[[R:.*]] = arith.constant dense<1> : tensor<2xi32>
// SPARSE: xf_cpu.gemm %{{.*}}, %[[V]] blocks(%[[O]], %[[R]] : tensor<3xi32>, tensor<2xi32>) bias %{{.*}} act relu
// SPARSE: return
func.func @block_sparse(%x: tensor<3x6xf32>, %b: tensor<20xf32>) -> tensor<3x20xf32> {
  %w = arith.constant dense<[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0], [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<6x20xf32>
  %y = xf.linear %x, %w bias %b act relu sparsity <blocks [2, 16]> : (tensor<3x6xf32>, tensor<6x20xf32>, tensor<20xf32>) -> tensor<3x20xf32>
  return %y : tensor<3x20xf32>
}

// -----

// An unstructured hint (blocks [1, 1]): the weight's nonzeros column by
// column, for xf_cpu.sparse_gemm. Column 0 has its nonzero at row 0,
// column 1 at row 4, column 2 at row 3.
// SPARSE-LABEL: func.func @unstructured
// SPARSE: %[[V:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// SPARSE: %[[O:.*]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
// SPARSE: %[[R:.*]] = arith.constant dense<[0, 4, 3]> : tensor<3xi32>
// SPARSE: xf_cpu.sparse_gemm %{{.*}}, %[[V]] columns(%[[O]], %[[R]] : tensor<4xi32>, tensor<3xi32>) act silu
func.func @unstructured(%x: tensor<2x5xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 3.0], [0.0, 2.0, 0.0]]> : tensor<5x3xf32>
  %y = xf.linear %x, %w act silu sparsity <blocks [1, 1]> : (tensor<2x5xf32>, tensor<5x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// top_k on rows: collapsed, selected by the kernel, expanded.
// CHECK-LABEL: func.func @top_k
// CHECK:      %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x3x64xf32> into tensor<6x64xf32>
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<6x5xi64>
// CHECK:      %[[I:.*]] = xf_cpu.top_k %[[R]] k 5 outs(%[[E]] : tensor<6x5xi64>) : tensor<6x64xf32> -> tensor<6x5xi64>
// CHECK:      tensor.expand_shape %[[I]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 5]
func.func @top_k(%s: tensor<2x3x64xf32>) -> tensor<2x3x5xi64> {
  %i = xf.top_k %s k 5 : (tensor<2x3x64xf32>) -> tensor<2x3x5xi64>
  return %i : tensor<2x3x5xi64>
}

// -----

// gather_mlp, layout kn: W_up and W_gate [D, F] packed into one-column
// panels, their rows per neuron; W_down [F, E] is already one row per
// neuron and is read as it is.
// CHECK-LABEL: func.func @gather_mlp_kn
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x16xf32>, %[[N:[^:]*]]: tensor<4x3xi64>, %[[WU:[^:]*]]: tensor<16x40xf32>, %[[WG:[^:]*]]: tensor<16x40xf32>, %[[WD:[^:]*]]: tensor<40x24xf32>)
// CHECK:      %[[PU:.*]] = xf_cpu.pack_weights %[[WU]] layout kn outs(%{{.*}} : tensor<40x16x1xf32>)
// CHECK:      %[[U:.*]] = tensor.collapse_shape %[[PU]] {{\[\[}}0], [1, 2]] : tensor<40x16x1xf32> into tensor<40x16xf32>
// CHECK:      %[[PG:.*]] = xf_cpu.pack_weights %[[WG]] layout kn
// CHECK:      %[[G:.*]] = tensor.collapse_shape %[[PG]]
// CHECK:      %[[E:.*]] = tensor.empty() : tensor<4x24xf32>
// CHECK:      xf_cpu.gather_mlp %[[X]], %[[N]] up %[[U]] gate %[[G]] : tensor<40x16xf32> down %[[WD]] act silu outs(%[[E]] : tensor<4x24xf32>)
func.func @gather_mlp_kn(%x: tensor<4x16xf32>, %n: tensor<4x3xi64>, %wu: tensor<16x40xf32>, %wg: tensor<16x40xf32>,
                         %wd: tensor<40x24xf32>) -> tensor<4x24xf32> {
  %y = xf.gather_mlp %x neurons %n up %wu gate %wg down %wd act silu
      : (tensor<4x16xf32>, tensor<4x3xi64>, tensor<16x40xf32>, tensor<16x40xf32>, tensor<40x24xf32>) -> tensor<4x24xf32>
  return %y : tensor<4x24xf32>
}

// -----

// Layout nk: W_up [F, D] (bf16, widened as loaded) is read as it is; W_down
// [E, F] packs into one panel of E columns, [1, F, E], its rows per neuron.
// CHECK-LABEL: func.func @gather_mlp_nk
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x16xf32>, %[[N:[^:]*]]: tensor<1x3xi32>, %[[WU:[^:]*]]: tensor<40x16xbf16>, %[[WD:[^:]*]]: tensor<24x40xf32>, %[[B:[^:]*]]: tensor<24xf32>)
// CHECK:      %[[PD:.*]] = xf_cpu.pack_weights %[[WD]] layout nk outs(%{{.*}} : tensor<1x40x24xf32>)
// CHECK:      %[[D:.*]] = tensor.collapse_shape %[[PD]] {{\[\[}}0, 1], [2]] : tensor<1x40x24xf32> into tensor<40x24xf32>
// CHECK:      xf_cpu.gather_mlp %[[X]], %[[N]] up %[[WU]] down %[[D]] down_bias %[[B]] : tensor<24xf32> act relu
func.func @gather_mlp_nk(%x: tensor<1x16xf32>, %n: tensor<1x3xi32>, %wu: tensor<40x16xbf16>, %wd: tensor<24x40xf32>,
                         %b: tensor<24xf32>) -> tensor<1x24xf32> {
  %y = xf.gather_mlp %x neurons %n up %wu down %wd down_bias %b act relu layout nk
      : (tensor<1x16xf32>, tensor<1x3xi32>, tensor<40x16xbf16>, tensor<24x40xf32>, tensor<24xf32>) -> tensor<1x24xf32>
  return %y : tensor<1x24xf32>
}

// -----

// Scores that select are products of exact f32 activations: the predictor
// of bf16 weights packs f32 panels even where bf16 panels are on, while a
// linear whose result does not select keeps them.
// BF16-LABEL: func.func @exact_scores
// BF16:       xf_cpu.pack_weights %{{.*}} layout kn outs(%{{.*}} : tensor<1x16x32xf32>)
// BF16:       xf_cpu.top_k
// BF16:       xf_cpu.pack_weights %{{.*}} layout kn outs(%{{.*}} : tensor<1x8x64xbf16>)
func.func @exact_scores(%x: tensor<4x16xf32>, %w: tensor<16x32xbf16>) -> (tensor<4x3xi64>, tensor<4x32xf32>) {
  %s = xf.linear %x, %w : (tensor<4x16xf32>, tensor<16x32xbf16>) -> tensor<4x32xf32>
  %i = xf.top_k %s k 3 : (tensor<4x32xf32>) -> tensor<4x3xi64>
  %t = xf.linear %x, %w : (tensor<4x16xf32>, tensor<16x32xbf16>) -> tensor<4x32xf32>
  return %i, %t : tensor<4x3xi64>, tensor<4x32xf32>
}

// -----

// A 2:4 hint: per panel of 16 columns and group of 4 rows of K, the first
// then the second kept value of each column, and their rows in the group
// (first | second << 2): column 0 keeps rows 0 and 2 (8), column 1 rows 1
// and 3 (13); in the short last group (rows 4-5) one value each, at row 5
// (1) and row 4 (0). Columns past N are zero.
// SPARSE-LABEL: func.func @two_of_four
// SPARSE-NOT: xf_cpu.pack_weights
// SPARSE: %[[V:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 0.000000e+00{{.*}}3.000000e+00, 4.000000e+00, 0.000000e+00{{.*}}], [6.000000e+00, 5.000000e+00, 0.000000e+00{{.*}}> : tensor<1x2x32xf32>
// SPARSE: %[[S:.*]] = arith.constant dense<{{\[\[\[}}8, 13, 0{{.*}}], [1, 0, 0{{.*}}> : tensor<1x2x16xi8>
// SPARSE: xf_cpu.gemm %{{.*}}, %[[V]] two_of_four(%[[S]] : tensor<1x2x16xi8>) outs
// SPARSE: return
func.func @two_of_four(%x: tensor<3x6xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 2.0], [3.0, 0.0], [0.0, 4.0], [0.0, 5.0], [6.0, 0.0]]> : tensor<6x2xf32>
  %y = xf.linear %x, %w sparsity <2:4> : (tensor<3x6xf32>, tensor<6x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A 2:4 hint on a weight with 3 nonzeros in a group: dense panels (packed
// at compile time by xf-cpu-fold-constant-weights), with a warning, so that
// the product stays exact.
// WARN: warning: the weight has groups of 4 rows of K with more than 2 nonzeros: stored dense despite its 2:4 hint
// SPARSE-LABEL: func.func @not_two_of_four
// SPARSE: %[[P:.*]] = xf_cpu.pack_weights %{{.*}} layout kn outs(%{{.*}} : tensor<1x4x16xf32>)
// SPARSE: xf_cpu.gemm %{{.*}}, %[[P]] outs
func.func @not_two_of_four(%x: tensor<3x4xf32>) -> tensor<3x1xf32> {
  %w = arith.constant dense<[[1.0], [2.0], [3.0], [0.0]]> : tensor<4x1xf32>
  %y = xf.linear %x, %w sparsity <2:4> : (tensor<3x4xf32>, tensor<4x1xf32>) -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}
