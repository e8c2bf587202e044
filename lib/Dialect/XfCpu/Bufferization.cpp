//===- Bufferization.cpp - one-shot bufferization of xf_cpu kernels -------===//
//
// The kernels are destination-style: on tensors, each bufferizes into the
// buffer of its `outs` operand (in place when the analysis allows) and
// becomes the same op on memrefs.
//
//===----------------------------------------------------------------------===//

#include "xf/Dialect/XfCpuOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::xf::cpu;

namespace {

template <typename OpTy>
struct KernelBufferization
    : DstBufferizableOpInterfaceExternalModel<KernelBufferization<OpTy>, OpTy> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    if (dps.hasPureBufferSemantics())
      return success();
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    SmallVector<Value> operands;
    for (Value v : op->getOperands()) {
      FailureOr<Value> buffer = getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
    }
    Value init = operands[dps.getDpsInitOperand(0)->getOperandNumber()];
    mlir::clone(rewriter, op, /*newResultTypes=*/TypeRange{}, operands);
    replaceOpWithBufferizedValues(rewriter, op, init);
    return success();
  }
};

} // namespace

void mlir::xf::cpu::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, XfCpuDialect *) {
    PackWeightsOp::attachInterface<KernelBufferization<PackWeightsOp>>(*ctx);
    GemmOp::attachInterface<KernelBufferization<GemmOp>>(*ctx);
    SparseGemmOp::attachInterface<KernelBufferization<SparseGemmOp>>(*ctx);
    FlashAttentionOp::attachInterface<KernelBufferization<FlashAttentionOp>>(
        *ctx);
    NormOp::attachInterface<KernelBufferization<NormOp>>(*ctx);
    TopKOp::attachInterface<KernelBufferization<TopKOp>>(*ctx);
    GatherMlpOp::attachInterface<KernelBufferization<GatherMlpOp>>(*ctx);
  });
}
