//===- XfCpuOps.cpp - the xf_cpu kernel dialect ---------------------------===//

#include "xf/Dialect/XfCpuOps.h"

#include "../ShapeChecks.h"

#include "xf/Dialect/WeightMatrix.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstring>

using namespace mlir;
using namespace mlir::xf;
using namespace mlir::xf::cpu;

#include "xf/Dialect/XfCpuDialect.cpp.inc"

void XfCpuDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "xf/Dialect/XfCpuOps.cpp.inc"
      >();
}

Operation *XfCpuDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}

//===----------------------------------------------------------------------===//
// Shared verification and side effects of the destination-style kernels
//===----------------------------------------------------------------------===//

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Tensor operands give one result of the init's type; memref operands give
/// none. The float operands (all of them unless `floats` lists them) share
/// one element type.
static LogicalResult verifyDestinationStyle(Operation *op, Value init,
                                            ValueRange floats = {}) {
  bool tensors = isa<RankedTensorType>(init.getType());
  for (Value v : op->getOperands())
    if (isa<RankedTensorType>(v.getType()) != tensors)
      return op->emitOpError("expects all tensor or all memref operands");
  if (tensors && (op->getNumResults() != 1 ||
                  op->getResult(0).getType() != init.getType()))
    return op->emitOpError("expects one result of the init's type ")
           << init.getType();
  if (!tensors && op->getNumResults() != 0)
    return op->emitOpError("expects no results on memrefs");
  Type elt = cast<ShapedType>(init.getType()).getElementType();
  for (Value v : floats.empty() ? ValueRange(op->getOperands()) : floats)
    if (v && cast<ShapedType>(v.getType()).getElementType() != elt)
      return op->emitOpError("expects one element type, got ")
             << elt << " and "
             << cast<ShapedType>(v.getType()).getElementType();
  return success();
}

/// On memrefs a kernel reads its inputs and writes its init.
static void kernelEffects(
    DestinationStyleOpInterface op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (op.hasPureTensorSemantics())
    return;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    effects.emplace_back(MemoryEffects::Read::get(), &operand,
                         SideEffects::DefaultResource::get());
    if (op.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

#define XF_CPU_KERNEL_EFFECTS(OP)                                              \
  void OP::getEffects(                                                         \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>      \
          &effects) {                                                          \
    kernelEffects(*this, effects);                                             \
  }
XF_CPU_KERNEL_EFFECTS(PackWeightsOp)
XF_CPU_KERNEL_EFFECTS(GemmOp)
XF_CPU_KERNEL_EFFECTS(SparseGemmOp)
XF_CPU_KERNEL_EFFECTS(FlashAttentionOp)
XF_CPU_KERNEL_EFFECTS(NormOp)
XF_CPU_KERNEL_EFFECTS(cpu::TopKOp)
XF_CPU_KERNEL_EFFECTS(cpu::GatherMlpOp)
#undef XF_CPU_KERNEL_EFFECTS

//===----------------------------------------------------------------------===//
// pack_weights
//===----------------------------------------------------------------------===//

/// The (K, N) of a weight in `layout`.
static std::pair<int64_t, int64_t> weightSizes(ArrayRef<int64_t> w,
                                               WeightLayout layout) {
  return {w[weightInputDim(layout)], w[weightOutputDim(layout)]};
}

SmallVector<int64_t> PackWeightsOp::panelShape(int64_t panels, int64_t k,
                                               int64_t nr, Type elementType) {
  int64_t rows = rowsPerPackedRow(elementType);
  return {panels, ShapedType::isDynamic(k) ? k : (k + rows - 1) / rows,
          nr * rows};
}

int64_t PackWeightsOp::rowsPerPackedRow(Type elementType) {
  if (elementType.isSignlessInteger(8))
    return 4;
  return elementType.isBF16() ? 2 : 1;
}

LogicalResult PackWeightsOp::verify() {
  // The element types: checked below (the packing may widen them).
  if (failed(verifyDestinationStyle(*this, getInit(), {getInit()})))
    return failure();
  ArrayRef<int64_t> w = shapeOf(getWeight()), p = shapeOf(getInit());
  if (w.size() != 2 || p.size() != 3)
    return emitOpError("expects a weight of rank 2 and panels of rank 3");
  Type from = getElementTypeOrSelf(getWeight().getType());
  Type to = getElementTypeOrSelf(getInit().getType());
  bool floats = (to.isF32() || to.isBF16()) &&
                (from.isF32() || from.isBF16() || from.isF16());
  bool ints = to.isSignlessInteger(8) && from.isSignlessInteger(8);
  if (!floats && !ints)
    return emitOpError("packs f32, bf16 or f16 weights into f32 or bf16 "
                       "panels, or i8 into i8 panels, got ")
           << from << " into " << to;
  auto [k, n] = weightSizes(w, getWeightLayout());
  int64_t rows = rowsPerPackedRow(to);
  int64_t nr = ShapedType::isDynamic(p[2]) ? p[2] : p[2] / rows;
  SmallVector<int64_t> expected =
      panelShape(ShapedType::isDynamic(n) || ShapedType::isDynamic(nr)
                     ? ShapedType::kDynamic
                     : (n + nr - 1) / nr,
                 k, nr, to);
  if ((!ShapedType::isDynamic(p[2]) && p[2] % rows != 0) ||
      failed(verifyCompatibleShape(expected, p)))
    return emitOpError("expects ceil(N / NR) panels of ")
           << (rows == 1 ? "K x NR"
                         : llvm::formatv("ceil(K / {0}) x {0} NR", rows).str())
           << " for the weight " << checks::formatShape(w) << ", got "
           << checks::formatShape(p);
  return success();
}

ElementsAttr PackWeightsOp::packConstant(const RawElements &weight) {
  auto type = dyn_cast<RankedTensorType>(getInit().getType());
  if (!type || !type.hasStaticShape())
    return {};
  auto [k, n] = weightSizes(weight.type.getShape(), getWeightLayout());
  Type to = type.getElementType();
  int64_t rows = rowsPerPackedRow(to);
  int64_t panels = type.getDimSize(0), packedRows = type.getDimSize(1),
          nr = type.getDimSize(2) / rows;
  bool kn = getWeightLayout() == WeightLayout::kn;
  // Constant weights are packed once, at compile time, from and into
  // raw buffers: no per-element attribute, so that large models pass
  // through in bounded memory.
  auto at = [&](int64_t p, int64_t r, int64_t j) {
    return (p * packedRows + r / rows) * nr * rows + j * rows + r % rows;
  };
  if (to.isSignlessInteger(8)) {
    // Bytes shifted by 128 (q xor 0x80), padding as q = 0.
    std::vector<uint8_t> bytes(type.getNumElements(), 0x80);
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t r = 0; r < k; ++r)
        for (int64_t j = 0; j < nr && p * nr + j < n; ++j) {
          int64_t col = p * nr + j, i = kn ? r * n + col : col * k + r;
          bytes[at(p, r, j)] = uint8_t(*weight.at(i)) ^ 0x80;
        }
    return blobConstant(
        type, ArrayRef<char>(reinterpret_cast<const char *>(bytes.data()),
                             bytes.size()));
  }
  std::optional<WeightMatrix> w = WeightMatrix::read(weight, getWeightLayout());
  if (!w)
    return {};
  std::vector<float> values(type.getNumElements(), 0.0f);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t r = 0; r < k; ++r)
      for (int64_t j = 0; j < nr && p * nr + j < n; ++j)
        values[at(p, r, j)] = w->at(r, p * nr + j);
  // f32 panels are the values' own bytes; bf16 ones are rounded first.
  return floatConstant(type, values);
}

//===----------------------------------------------------------------------===//
// gemm
//===----------------------------------------------------------------------===//

/// The epilogue operands of a GEMM: bias [N], residual of the init's shape.
static LogicalResult verifyEpilogue(Operation *op, Value bias, Value residual,
                                    Value init) {
  ArrayRef<int64_t> c = shapeOf(init);
  if (bias && (shapeOf(bias).size() != 1 ||
               checks::dimsConflict(shapeOf(bias)[0], c[1])))
    return op->emitOpError("expects a bias of shape [N]");
  if (residual && failed(verifyCompatibleShape(shapeOf(residual), c)))
    return op->emitOpError("expects a residual of the init's shape");
  return success();
}

LogicalResult GemmOp::verify() {
  Value packed = getPackedWeight();
  Type panelType = getElementTypeOrSelf(packed.getType());
  // Everything but bf16 and i8 panels shares the init's type.
  SmallVector<Value> floats = {getInput(), getWeightScales(), getBias(),
                               getResidual(), getInit()};
  if (!panelType.isBF16() && !panelType.isSignlessInteger(8))
    floats.push_back(packed);
  if (failed(verifyDestinationStyle(*this, getInit(), floats)))
    return failure();
  ArrayRef<int64_t> a = shapeOf(getInput()), p = shapeOf(packed),
                    c = shapeOf(getInit());
  if (a.size() != 2 || p.size() != 3 || c.size() != 2)
    return emitOpError("expects input [M, K], packed weight [NB, K, NR] and "
                       "init [M, N]");
  if (isBlockSparse())
    return getSelectors()
               ? emitOpError("takes blocks or 2:4 selectors, not both")
               : verifyBlocks(c[1]);
  if (getSelectors())
    return verifyTwoOfFour();
  int64_t rows = PackWeightsOp::rowsPerPackedRow(panelType);
  if (!ShapedType::isDynamic(p[2]) && p[2] % rows != 0)
    return emitOpError("expects panels of ")
           << rows << " x NR elements per packed row, got " << p[2];
  int64_t nr = ShapedType::isDynamic(p[2]) ? p[2] : p[2] / rows;
  SmallVector<int64_t> expected =
      PackWeightsOp::panelShape(p[0], a[1], nr, panelType);
  if (checks::dimsConflict(expected[1], p[1]) ||
      checks::dimsConflict(a[0], c[0]))
    return emitOpError("expects input ")
           << checks::formatShape(a) << ", packed weight "
           << checks::formatShape(p) << " and init " << checks::formatShape(c)
           << " to agree on M and K";
  if (!ShapedType::isDynamic(c[1]) && !ShapedType::isDynamic(nr) &&
      !ShapedType::isDynamic(p[0]) && p[0] != (c[1] + nr - 1) / nr)
    return emitOpError("expects ceil(N / NR) weight panels for N = ") << c[1];
  if (failed(verifyEpilogue(*this, getBias(), getResidual(), getInit())))
    return failure();
  return verifyScales(a[1], c[1], panelType.isSignlessInteger(8));
}

LogicalResult GemmOp::verifyBlocks(int64_t n) {
  Value offsets = getBlockOffsets(), rows = getBlockRows();
  ArrayRef<int64_t> p = shapeOf(getPackedWeight());
  if (!offsets || !rows)
    return emitOpError("expects block offsets and block rows together");
  if (!getElementTypeOrSelf(getPackedWeight().getType()).isF32() ||
      getWeightScales() || getGroupSize())
    return emitOpError("takes blocks only of f32 panels");
  for (Value v : {offsets, rows})
    if (shapeOf(v).size() != 1 ||
        !getElementTypeOrSelf(v.getType()).isSignlessInteger(32))
      return emitOpError("expects block offsets and rows as 1-D i32");
  int64_t nr = p[2], panels = shapeOf(offsets)[0];
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(nr) &&
      !ShapedType::isDynamic(panels) && panels != (n + nr - 1) / nr + 1)
    return emitOpError("expects ceil(N / NR) + 1 block offsets for N = ")
           << n << " and NR = " << nr << ", got " << panels;
  if (checks::dimsConflict(shapeOf(rows)[0], p[0]))
    return emitOpError("expects one block row per stored block, got ")
           << shapeOf(rows)[0] << " for " << p[0] << " blocks";
  if (checks::dimsConflict(shapeOf(getInput())[0], shapeOf(getInit())[0]))
    return emitOpError("expects input and init to agree on M");
  return verifyEpilogue(*this, getBias(), getResidual(), getInit());
}

LogicalResult GemmOp::verifyTwoOfFour() {
  Value selectors = getSelectors();
  ArrayRef<int64_t> a = shapeOf(getInput()), p = shapeOf(getPackedWeight()),
                    s = shapeOf(selectors), c = shapeOf(getInit());
  if (!getElementTypeOrSelf(getPackedWeight().getType()).isF32() ||
      getWeightScales() || getGroupSize())
    return emitOpError("takes 2:4 selectors only with f32 panels");
  if (s.size() != 3 ||
      !getElementTypeOrSelf(selectors.getType()).isSignlessInteger(8))
    return emitOpError("expects 2:4 selectors [NB, ceildiv(K, 4), NR] of i8");
  int64_t groups =
      ShapedType::isDynamic(a[1]) ? ShapedType::kDynamic : (a[1] + 3) / 4;
  int64_t doubled = ShapedType::isDynamic(s[2]) ? s[2] : 2 * s[2];
  if (checks::dimsConflict(p[0], s[0]) || checks::dimsConflict(p[1], s[1]) ||
      checks::dimsConflict(p[2], doubled) ||
      checks::dimsConflict(groups, p[1]) ||
      checks::dimsConflict(groups, s[1]) || checks::dimsConflict(a[0], c[0]))
    return emitOpError("expects input [M, K], 2:4 panels [NB, ceildiv(K, 4), "
                       "2 NR], selectors [NB, ceildiv(K, 4), NR] and init "
                       "[M, N], got ")
           << checks::formatShape(a) << ", " << checks::formatShape(p) << ", "
           << checks::formatShape(s) << " and " << checks::formatShape(c);
  // Panels and their width from whichever operand states them.
  int64_t panels = ShapedType::isDynamic(p[0]) ? s[0] : p[0];
  int64_t nr = ShapedType::isDynamic(s[2]) || s[2] == 0
                   ? (ShapedType::isDynamic(p[2]) ? p[2] : p[2] / 2)
                   : s[2];
  if (!ShapedType::isDynamic(c[1]) && !ShapedType::isDynamic(nr) && nr > 0 &&
      !ShapedType::isDynamic(panels) && panels != (c[1] + nr - 1) / nr)
    return emitOpError("expects ceil(N / NR) weight panels for N = ") << c[1];
  return verifyEpilogue(*this, getBias(), getResidual(), getInit());
}

LogicalResult GemmOp::verifyScales(int64_t k, int64_t n, bool int8) {
  Value scales = getWeightScales();
  std::optional<uint64_t> group = getGroupSize();
  if (!int8)
    return scales || group ? emitOpError("takes scales only with i8 panels")
                           : success();
  if (!scales)
    return emitOpError("expects the scales of its i8 panels");
  SmallVector<int64_t> expected = {n};
  if (group) {
    if (*group == 0 || *group % 4 != 0 || *group > uint64_t(INT32_MAX))
      return emitOpError("expects a group size that is a multiple of 4, got ")
             << *group;
    int64_t g = static_cast<int64_t>(*group);
    expected.push_back(ShapedType::isDynamic(k) ? k : (k + g - 1) / g);
  }
  if (failed(verifyCompatibleShape(expected, shapeOf(scales))))
    return emitOpError("expects scales of shape ")
           << checks::formatShape(expected) << ", got "
           << checks::formatShape(shapeOf(scales));
  return success();
}

//===----------------------------------------------------------------------===//
// sparse_gemm
//===----------------------------------------------------------------------===//

LogicalResult SparseGemmOp::verify() {
  if (failed(verifyDestinationStyle(
          *this, getInit(),
          {getInput(), getValues(), getBias(), getResidual(), getInit()})))
    return failure();
  ArrayRef<int64_t> a = shapeOf(getInput()), c = shapeOf(getInit());
  if (a.size() != 2 || c.size() != 2 || checks::dimsConflict(a[0], c[0]))
    return emitOpError("expects input [M, K] and init [M, N]");
  for (Value v : {getColOffsets(), getRowIndices()})
    if (shapeOf(v).size() != 1 ||
        !getElementTypeOrSelf(v.getType()).isSignlessInteger(32))
      return emitOpError("expects column offsets and row indices as 1-D i32");
  if (shapeOf(getValues()).size() != 1 ||
      checks::dimsConflict(shapeOf(getValues())[0],
                           shapeOf(getRowIndices())[0]))
    return emitOpError("expects one row index per value");
  int64_t offsets = shapeOf(getColOffsets())[0];
  if (!ShapedType::isDynamic(offsets) && !ShapedType::isDynamic(c[1]) &&
      offsets != c[1] + 1)
    return emitOpError("expects N + 1 column offsets for N = ")
           << c[1] << ", got " << offsets;
  return verifyEpilogue(*this, getBias(), getResidual(), getInit());
}

//===----------------------------------------------------------------------===//
// flash_attention
//===----------------------------------------------------------------------===//

bool FlashAttentionOp::fitsDecode(ShapedType query, int64_t numHeads,
                                  int64_t numKvHeads, bool packedSequences) {
  if (query.getRank() < 2 || numKvHeads <= 0)
    return false;
  int64_t sq = query.getShape().end()[-2];
  return !packedSequences && !ShapedType::isDynamic(sq) && sq <= 16 &&
         sq * (numHeads / numKvHeads) <= 64;
}

LogicalResult FlashAttentionOp::verify() {
  if (failed(verifyDestinationStyle(
          *this, getInit(),
          {getQuery(), getKey(), getValue(), getMask(), getInit()})))
    return failure();
  checks::OpChecker c(getLoc(), getOperationName());
  AttentionLayout layout = layoutOf(getLayoutAttr());
  if (Value table = getBlockTable()) {
    auto type = cast<ShapedType>(table.getType());
    const BlockMap &map = layout.blocks;
    if (map.empty() || !type.getElementType().isInteger(32) ||
        type.getShape() !=
            ArrayRef<int64_t>{map.getRows() + 1, map.getCols() + 1})
      return emitOpError("expects the layout's block table as i32 [")
             << map.getRows() + 1 << ", " << map.getCols() + 1 << "], got "
             << type;
  } else if (!layout.blocks.empty()) {
    return emitOpError("expects a block_table for the layout's block map");
  }
  checks::AttentionConfig cfg = checks::AttentionConfig::get(
      getNumHeads(), getNumKvHeads(), getScale(), getLayoutAttr());
  auto opt = [](Value v) -> std::optional<ArrayRef<int64_t>> {
    if (!v)
      return std::nullopt;
    return shapeOf(v);
  };
  std::optional<ArrayRef<int64_t>> sizes;
  if (auto s = getBlockMaskSizesAttr())
    sizes = s.asArrayRef();
  FailureOr<SmallVector<int64_t>> shape = checks::checkAttention(
      c, cfg,
      checks::AttentionShapes{shapeOf(getQuery()), shapeOf(getKey()),
                              shapeOf(getValue()), opt(getMask()),
                              opt(getKvLen()), opt(getBlockMask()),
                              opt(getSeqOffsets()), sizes});
  if (failed(shape))
    return failure();
  if (failed(verifyCompatibleShape(*shape, shapeOf(getInit()))))
    return emitOpError("expects an init of shape ")
           << checks::formatShape(*shape);
  for (auto [name, v] : {std::pair<StringRef, Value>{"query", getQuery()},
                         {"key", getKey()},
                         {"value", getValue()}})
    if (ShapedType::isDynamic(shapeOf(v).back()))
      return emitOpError("expects a static feature size of the ") << name;
  for (auto [name, v] : {std::pair<StringRef, Value>{"kv_len", getKvLen()},
                         {"block_mask", getBlockMask()},
                         {"seq_offsets", getSeqOffsets()}})
    if (v && !isa<IntegerType>(getElementTypeOrSelf(v.getType())))
      return emitOpError("expects integer ") << name << ", got " << v.getType();
  if (getDecode() &&
      !fitsDecode(cast<ShapedType>(getQuery().getType()), getNumHeads(),
                  getNumKvHeads(), getSeqOffsets() != nullptr))
    return emitOpError("decode needs a static query length of at most 16, "
                       "at most 64 rows of group heads x queries and no "
                       "seq_offsets");
  return success();
}

//===----------------------------------------------------------------------===//
// norm
//===----------------------------------------------------------------------===//

LogicalResult NormOp::verify() {
  if (failed(verifyDestinationStyle(*this, getInit())))
    return failure();
  ArrayRef<int64_t> x = shapeOf(getInput()), y = shapeOf(getInit());
  if (x.size() != 2 || failed(verifyCompatibleShape(x, y)))
    return emitOpError("expects input and init of one shape [M, D]");
  checks::OpChecker c(getLoc(), getOperationName());
  if (failed(checks::checkVector(c, "weight", shapeOf(getWeight()), x[1])) ||
      (getBias() &&
       failed(checks::checkVector(c, "bias", shapeOf(getBias()), x[1]))))
    return failure();
  if (getBias() && getKind() == NormKind::rms_norm)
    return emitOpError("has a bias, but rms_norm takes none");
  return success();
}

//===----------------------------------------------------------------------===//
// top_k and gather_mlp
//===----------------------------------------------------------------------===//

LogicalResult cpu::TopKOp::verify() {
  if (failed(verifyDestinationStyle(*this, getInit(), {getInit()})))
    return failure();
  ArrayRef<int64_t> x = shapeOf(getInput()), y = shapeOf(getInit());
  if (!getElementTypeOrSelf(getInput().getType()).isF32() ||
      !getElementTypeOrSelf(getInit().getType()).isSignlessInteger(64))
    return emitOpError("expects f32 values and i64 indices");
  int64_t k = static_cast<int64_t>(getK());
  if (x.size() != 2 || y.size() != 2 || checks::dimsConflict(x[0], y[0]) ||
      checks::dimsConflict(y[1], k))
    return emitOpError("expects input [M, N] and init [M, k] with k = ") << k;
  if (k < 1 || (!ShapedType::isDynamic(x[1]) && k > x[1]))
    return emitOpError("expects k in [1, N], got ") << k;
  return success();
}

LogicalResult cpu::GatherMlpOp::verify() {
  if (failed(verifyDestinationStyle(*this, getInit(), {getInput(), getInit()})))
    return failure();
  ArrayRef<int64_t> x = shapeOf(getInput()), n = shapeOf(getNeurons()),
                    y = shapeOf(getInit()), up = shapeOf(getUpRows()),
                    down = shapeOf(getDownRows());
  if (x.size() != 2 || n.size() != 2 || y.size() != 2 ||
      checks::dimsConflict(x[0], n[0]) || checks::dimsConflict(x[0], y[0]))
    return emitOpError("expects input [M, D], neurons [M, k] and init [M, E]");
  if (!getElementTypeOrSelf(getNeurons().getType()).isSignlessInteger())
    return emitOpError("expects integer neurons");
  if (up.size() != 2 || down.size() != 2 || checks::dimsConflict(up[1], x[1]) ||
      checks::dimsConflict(up[0], down[0]) ||
      checks::dimsConflict(down[1], y[1]))
    return emitOpError("expects up rows [F, D] and down rows [F, E], got ")
           << checks::formatShape(up) << " and " << checks::formatShape(down);
  if (Value g = getGateRows();
      g && failed(verifyCompatibleShape(shapeOf(g), up)))
    return emitOpError("expects gate rows of the up rows' shape");
  checks::OpChecker c(getLoc(), getOperationName());
  if ((getUpBias() && failed(checks::checkVector(
                          c, "up bias", shapeOf(getUpBias()), up[0]))) ||
      (getGateBias() && failed(checks::checkVector(
                            c, "gate bias", shapeOf(getGateBias()), up[0]))) ||
      (getDownBias() && failed(checks::checkVector(
                            c, "down bias", shapeOf(getDownBias()), y[1]))))
    return failure();
  if (getGateBias() && !getGateRows())
    return emitOpError("has a gate bias but no gate rows");
  return success();
}

#define GET_OP_CLASSES
#include "xf/Dialect/XfCpuOps.cpp.inc"
