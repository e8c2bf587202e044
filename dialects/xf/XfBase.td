//===- XfBase.td - xf dialect, enums and attributes --------*- tablegen -*-===//
//
// The xf dialect describes transformer blocks on ranked tensors. This file
// holds the dialect definition and the enum attributes that its ops share.
// The enums are integer-backed attributes so that op formats print them as
// bare keywords (`act gelu`, `layout nk`), as arith prints its predicates.
//
//===----------------------------------------------------------------------===//

#ifndef XF_BASE_TD
#define XF_BASE_TD

include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

// The operand segments of an `ins` dag, as C++ template arguments: 1 for an
// operand that is one value, 0 for an optional or variadic one.
class Xf_SegmentKinds<dag args> {
  string kinds = !interleave(
      !filter(k, !foreach(i, !range(!size(args)),
          !cond(!isa<Attr>(!getdagarg<Constraint>(args, i)) : -1,
                !isa<Optional>(!getdagarg<Constraint>(args, i)) : 0,
                !isa<Variadic>(!getdagarg<Constraint>(args, i)) : 0,
                true : 1)), !ge(k, 0)), ", ");
}

// Upstream's verifier checks that optional segments hold at most one value
// but not that a single operand's segment holds one, and the accessors
// assume it: generic IR with operandSegmentSizes [.., 0, ..] would crash
// every reader (include/xf/Dialect/OperandSegments.h).
class Xf_SingleOperandSegments<dag args>
    : ParamNativeOpTrait<"SingleOperandSegments",
                         Xf_SegmentKinds<args>.kinds> {
  let cppNamespace = "::mlir::xf";
}

// `props` with Xf_SingleOperandSegments on `args` after
// AttrSizedOperandSegments, where it is.
class Xf_CheckSegments<list<Trait> props, dag args> {
  list<Trait> traits = !foldl([]<Trait>, props, acc, t,
      !listconcat(acc, [t], !if(!eq(t, AttrSizedOperandSegments),
                                [Xf_SingleOperandSegments<args>], [])));
}

def Xf_Dialect : Dialect {
  let name = "xf";
  let cppNamespace = "::mlir::xf";
  let summary = "Transformer blocks on ranked tensors";
  let description = [{
    The `xf` dialect describes transformer blocks at the level a model author
    thinks about them: linear layers, normalizations, activations, rotary
    embeddings, multi-head attention with its masking and head-sharing
    variants, MLPs, and whole blocks. Ops have value semantics on ranked
    tensors, infer their result types, and verify every malformed use.

    Activations are laid out with features last: a tensor `[..., S, D]` holds
    `S` positions of `D` features, with any number of leading batch
    dimensions. Attention keeps the heads packed in the feature dimension
    (`D = heads * head_dim`), exactly as a linear projection produces them, so
    no reshape or transpose ops are needed between a projection and the
    attention that consumes it.

    Composite ops (`xf.block`, `xf.mlp`) expand into primitives with
    `xf-expand-blocks`; `xf-to-linalg` lowers every op to linalg, tensor,
    arith and math on tensors.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Xf_WeightLayoutAttr : I32EnumAttr<"WeightLayout", "layout of a linear weight", [
    I32EnumAttrCase<"kn", 0>, I32EnumAttrCase<"nk", 1>]> {
  let cppNamespace = "::mlir::xf";
  let description = [{
    `kn`: the weight is `[in_features, out_features]`, so `y = x W`.
    `nk`: the weight is `[out_features, in_features]` (PyTorch's
    `nn.Linear.weight`), so `y = x W^T`.
  }];
}

def Xf_GeluApproximationAttr : I32EnumAttr<"GeluApproximation",
    "how gelu is computed", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::mlir::xf";
}

def Xf_ActivationAttr : I32EnumAttr<"Activation", "pointwise activation", [
    I32EnumAttrCase<"gelu", 0>, I32EnumAttrCase<"gelu_tanh", 1>,
    I32EnumAttrCase<"relu", 2>, I32EnumAttrCase<"silu", 3>]> {
  let cppNamespace = "::mlir::xf";
  let description = [{
    `gelu` is the exact erf form, `gelu_tanh` the tanh approximation (GPT-2's
    "gelu_new"), `silu` is `x * sigmoid(x)` (also called swish).
  }];
}

def Xf_NormKindAttr : I32EnumAttr<"NormKind", "normalization of a block", [
    I32EnumAttrCase<"layer_norm", 0>, I32EnumAttrCase<"rms_norm", 1>]> {
  let cppNamespace = "::mlir::xf";
}

def Xf_NormPlacementAttr : I32EnumAttr<"NormPlacement",
    "where a block normalizes", [
    I32EnumAttrCase<"pre", 0>, I32EnumAttrCase<"post", 1>]> {
  let cppNamespace = "::mlir::xf";
  let description = [{
    `pre`: `h = x + attn(norm1(x)); y = h + mlp(norm2(h))` (GPT-2, LLaMA).
    `post`: `h = norm1(x + attn(x)); y = norm2(h + mlp(h))` (BERT, the
    original Transformer).
  }];
}

def Xf_RopeStyleAttr : I32EnumAttr<"RopeStyle", "pairing of rotary dimensions", [
    I32EnumAttrCase<"half", 0>, I32EnumAttrCase<"interleaved", 1>]> {
  let cppNamespace = "::mlir::xf";
  let description = [{
    `half` rotates dimension `i` with `i + rotary_dim / 2` (GPT-NeoX and the
    Hugging Face LLaMA code); `interleaved` rotates `2i` with `2i + 1` (the
    original RoFormer, GPT-J and Meta's LLaMA code).
  }];
}

#endif // XF_BASE_TD
