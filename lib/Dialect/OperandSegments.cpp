//===- OperandSegments.cpp - one value per single operand -----------------===//

#include "xf/Dialect/OperandSegments.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

LogicalResult mlir::xf::verifySingleOperandSegments(Operation *op,
                                                    ArrayRef<int> kinds) {
  auto sizes = dyn_cast_or_null<DenseI32ArrayAttr>(
      op->getInherentAttr("operandSegmentSizes").value_or(Attribute()));
  if (!sizes || sizes.size() != static_cast<int64_t>(kinds.size()))
    return success();
  for (auto [i, kind] : llvm::enumerate(kinds))
    if (kind == 1 && sizes[i] != 1)
      return op->emitOpError("operand segment #")
             << i << " is a single operand but holds " << sizes[i] << " values";
  return success();
}
