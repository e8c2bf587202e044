//===- XfOpBase.td - base class and constraints of xf ops ---*- tablegen -*-===//

#ifndef XF_OP_BASE_TD
#define XF_OP_BASE_TD

include "xf/XfBase.td"
include "xf/XfAttrs.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Xf_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Xf_IndexTensor : RankedTensorOf<[AnySignlessInteger, Index]>;

// Every xf op is pure and infers its result types; the inference also
// validates shapes and attributes, so a malformed op is reported precisely by
// the builders and the verifier alike. verify() runs the inference and
// compares the result types before the interface's own check (which runs
// later, with the regions), so that a malformed op gets exactly one error. A
// declared result type may refine an inferred dynamic size.
class Xf_Op<string mnemonic, list<Trait> props = []>
    : Op<Xf_Dialect, mnemonic,
         !listconcat(props, [Pure, InferTypeOpAdaptorWithIsCompatible])> {
  let traits = Xf_CheckSegments<
      !listconcat(props, [Pure, InferTypeOpAdaptorWithIsCompatible]),
      arguments>.traits;
  let hasVerifier = 1;
  let extraClassDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange l,
                                            ::mlir::TypeRange r) {
      return ::mlir::xf::areCompatibleTensorTypes(l, r);
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::xf::verifyInferredTypes(*this);
    }
  }];
}

// Ops whose result has the type of their operands; ODS generates their type
// inference from SameOperandsAndResultType.
class Xf_SameTypeOp<string mnemonic, list<Trait> traits = []>
    : Op<Xf_Dialect, mnemonic,
         !listconcat(traits, [Pure, SameOperandsAndResultType,
                              InferTypeOpInterface])>;

// Pointwise ops on one tensor: `%y = xf.relu %x : tensor<4x8xf32>`.
class Xf_UnaryPointwiseOp<string mnemonic, list<Trait> traits = []>
    : Xf_SameTypeOp<mnemonic, traits> {
  let arguments = (ins Xf_FloatTensor:$input);
  let results = (outs Xf_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

// Gated linear units on two tensors of the same shape.
class Xf_GluOp<string mnemonic, list<Trait> traits = []>
    : Xf_SameTypeOp<mnemonic, traits> {
  let results = (outs Xf_FloatTensor:$result);
}

#endif // XF_OP_BASE_TD
