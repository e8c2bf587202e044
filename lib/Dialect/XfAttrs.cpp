//===- XfAttrs.cpp - attributes of the xf dialect -------------------------===//

#include "xf/Dialect/XfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::xf;

#define GET_ATTRDEF_CLASSES
#include "xf/Dialect/XfAttrs.cpp.inc"

void XfDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "xf/Dialect/XfAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// AttentionLayoutAttr
//===----------------------------------------------------------------------===//

static AttentionLayout toLayout(bool causal, int64_t window, int64_t dilation,
                                int64_t stride, int64_t sinks,
                                ArrayRef<int64_t> globals,
                                ArrayRef<int64_t> blockSizes,
                                DenseIntElementsAttr blockMap) {
  AttentionLayout l;
  l.causal = causal;
  l.window = window;
  l.dilation = dilation;
  l.stride = stride;
  l.sinks = sinks;
  l.globals.assign(globals.begin(), globals.end());
  if (blockMap && blockSizes.size() == 2 && blockMap.getType().getRank() == 2) {
    std::vector<uint8_t> present;
    present.reserve(blockMap.getNumElements());
    for (bool b : blockMap.getValues<bool>())
      present.push_back(b);
    l.blocks =
        BlockMap(blockSizes[0], blockSizes[1], blockMap.getType().getDimSize(0),
                 blockMap.getType().getDimSize(1), std::move(present));
  }
  return l;
}

AttentionLayout AttentionLayoutAttr::getLayout() const {
  return toLayout(getCausal(), getWindow(), getDilation(), getStride(),
                  getSinks(), getGlobals(), getBlockSizes(), getBlockMap());
}

AttentionLayoutAttr AttentionLayoutAttr::get(MLIRContext *ctx,
                                             const AttentionLayout &layout) {
  if (layout.isDense())
    return {};
  SmallVector<int64_t> sizes;
  DenseIntElementsAttr map;
  const BlockMap &blocks = layout.blocks;
  if (!blocks.empty()) {
    sizes = {blocks.getBlockRows(), blocks.getBlockCols()};
    SmallVector<bool> present(blocks.getPresent().begin(),
                              blocks.getPresent().end());
    map = DenseIntElementsAttr::get(
        RankedTensorType::get({blocks.getRows(), blocks.getCols()},
                              IntegerType::get(ctx, 1)),
        present);
  }
  return get(ctx, layout.causal, layout.window, layout.dilation, layout.stride,
             layout.sinks, layout.globals, sizes, map);
}

LogicalResult AttentionLayoutAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, bool causal, int64_t window,
    int64_t dilation, int64_t stride, int64_t sinks, ArrayRef<int64_t> globals,
    ArrayRef<int64_t> blockSizes, DenseIntElementsAttr blockMap) {
  if ((blockMap != nullptr) != (blockSizes.size() == 2) ||
      blockSizes.size() > 2)
    return emitError() << "expects a block map with two block sizes";
  if (blockMap && (blockMap.getType().getRank() != 2 ||
                   !blockMap.getElementType().isInteger(1)))
    return emitError() << "expects a block map of rank 2 with i1 elements, got "
                       << blockMap.getType();
  std::string error = toLayout(causal, window, dilation, stride, sinks, globals,
                               blockSizes, blockMap)
                          .check();
  if (!error.empty())
    return emitError() << "layout " << error;
  return success();
}

ParseResult AttentionLayoutAttr::parseKeywords(AsmParser &parser,
                                               AttentionLayoutAttr &layout) {
  bool causal = false, any = false;
  int64_t window = 0, dilation = 1, stride = 0, sinks = 0;
  SmallVector<int64_t> globals, blockSizes;
  DenseIntElementsAttr blockMap;
  SMLoc loc = parser.getCurrentLocation();
  auto positive = [&](StringRef what, int64_t &value) -> ParseResult {
    SMLoc at = parser.getCurrentLocation();
    if (parser.parseInteger(value))
      return failure();
    if (value < 1)
      return parser.emitError(at)
             << "expects " << what << " >= 1, got " << value;
    return success();
  };
  auto integerList = [&](SmallVectorImpl<int64_t> &values) {
    return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                          [&]() -> ParseResult {
                                            int64_t v;
                                            if (parser.parseInteger(v))
                                              return failure();
                                            values.push_back(v);
                                            return success();
                                          });
  };
  while (true) {
    if (succeeded(parser.parseOptionalKeyword("causal"))) {
      causal = true;
    } else if (succeeded(parser.parseOptionalKeyword("window"))) {
      if (positive("a window", window))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("dilation"))) {
      if (positive("a dilation", dilation))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("stride"))) {
      if (positive("a stride", stride))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("sinks"))) {
      if (positive("sinks", sinks))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("global"))) {
      if (integerList(globals))
        return failure();
    } else if (succeeded(parser.parseOptionalKeyword("blocks"))) {
      if (integerList(blockSizes) || parser.parseAttribute(blockMap))
        return failure();
    } else {
      break;
    }
    any = true;
  }
  if (!any) {
    layout = nullptr;
    return success();
  }
  layout = getChecked([&] { return parser.emitError(loc); },
                      parser.getContext(), causal, window, dilation, stride,
                      sinks, globals, blockSizes, blockMap);
  return success(layout != nullptr);
}

void AttentionLayoutAttr::printKeywords(AsmPrinter &printer) const {
  llvm::raw_ostream &os = printer.getStream();
  bool first = true;
  auto space = [&]() -> llvm::raw_ostream & {
    if (!first)
      os << ' ';
    first = false;
    return os;
  };
  if (getCausal())
    space() << "causal";
  if (getWindow())
    space() << "window " << getWindow();
  if (getDilation() != 1)
    space() << "dilation " << getDilation();
  if (getStride())
    space() << "stride " << getStride();
  if (getSinks())
    space() << "sinks " << getSinks();
  if (!getGlobals().empty()) {
    space() << "global [";
    llvm::interleaveComma(getGlobals(), os);
    os << "]";
  }
  if (getBlockMap()) {
    space() << "blocks [";
    llvm::interleaveComma(getBlockSizes(), os);
    os << "] ";
    printer.printAttribute(getBlockMap());
  }
}

Attribute AttentionLayoutAttr::parse(AsmParser &parser, Type) {
  AttentionLayoutAttr layout;
  if (parser.parseLess() || parseKeywords(parser, layout) ||
      parser.parseGreater())
    return {};
  return layout ? layout
                : get(parser.getContext(), false, 0, 1, 0, 0, {}, {},
                      DenseIntElementsAttr());
}

void AttentionLayoutAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printKeywords(printer);
  printer << ">";
}

LogicalResult SparsityAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ArrayRef<int64_t> blocks, bool twoOfFour) {
  if (twoOfFour)
    return blocks.empty() ? success()
                          : emitError() << "#xf.sparsity 2:4 takes no blocks";
  if (blocks.size() != 2 || blocks[0] < 1 || blocks[1] < 1)
    return emitError() << "#xf.sparsity expects blocks [Bk, Bn] of positive "
                          "sizes, got ["
                       << blocks << "]";
  return success();
}

/// `<blocks [Bk, Bn]>` or `<2:4>`.
Attribute SparsityAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  SMLoc loc = parser.getCurrentLocation();
  int64_t kept = 0, group = 0;
  OptionalParseResult pattern = parser.parseOptionalInteger(kept);
  if (pattern.has_value()) {
    if (failed(*pattern) || parser.parseColon() || parser.parseInteger(group) ||
        parser.parseGreater())
      return {};
    if (kept != 2 || group != 4) {
      parser.emitError(loc) << "#xf.sparsity supports the 2:4 pattern, got "
                            << kept << ":" << group;
      return {};
    }
    return getChecked([&] { return parser.emitError(loc); },
                      parser.getContext(), ArrayRef<int64_t>(), true);
  }
  SmallVector<int64_t> blocks;
  if (parser.parseKeyword("blocks") ||
      parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square,
          [&] { return parser.parseInteger(blocks.emplace_back()); }) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    ArrayRef<int64_t>(blocks), false);
}

void SparsityAttr::print(AsmPrinter &printer) const {
  if (getTwoOfFour()) {
    printer << "<2:4>";
    return;
  }
  printer << "<blocks [";
  llvm::interleaveComma(getBlocks(), printer);
  printer << "]>";
}
