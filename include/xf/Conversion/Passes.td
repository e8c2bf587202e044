//===- Passes.td - xf lowering passes ----------------------*- tablegen -*-===//

#ifndef XF_CONVERSION_PASSES_TD
#define XF_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def XfToLinalg : Pass<"xf-to-linalg"> {
  let summary = "Lower xf ops to linalg, tensor, arith and math on tensors";
  let description = [{
    The plain lowering of every xf op, composite ops included (they are
    expanded first). Contractions become `linalg.generic` reductions,
    normalizations and softmax become reduce-then-map generics, pointwise ops
    become parallel generics that broadcast their operands through their
    indexing maps, and attention becomes scores, masked softmax and a second
    contraction with the grouped-query head mapping `h -> h floordiv (H /
    Hkv)` in the key/value indexing maps. This form materializes the
    `S x S` scores; it is the reference lowering that the fused pipelines are
    compared against.

    ```mlir
    %y = xf.relu %x : tensor<4x8xf32>
    // becomes
    %e = tensor.empty() : tensor<4x8xf32>
    %y = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
      ^bb0(%a: f32, %o: f32):
        %m = arith.maximumf %a, %zero : f32
        linalg.yield %m : f32
      } -> tensor<4x8xf32>
    ```

    Batch and sequence sizes may be dynamic; feature sizes that the lowering
    splits into heads must be static.
  }];
  let dependentDialects = [
    "::mlir::xf::XfDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect", "::mlir::affine::AffineDialect"
  ];
}

#endif // XF_CONVERSION_PASSES_TD
