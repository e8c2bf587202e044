//===- FuzzContext.cpp - what the fuzz targets share ----------------------===//

#include "FuzzContext.h"

#include "xf/InitXf.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

static const DialectRegistry &registry(xf_fuzz::Dialects dialects) {
  static const DialectRegistry *input = [] {
    auto *r = new DialectRegistry;
    r->insert<func::FuncDialect, arith::ArithDialect, tensor::TensorDialect>();
    xf::registerAllXfDialects(*r);
    return r;
  }();
  static const DialectRegistry *all = [] {
    auto *r = new DialectRegistry;
    xf::registerXfAndUpstreamDialects(*r);
    return r;
  }();
  return dialects == xf_fuzz::Dialects::Input ? *input : *all;
}

std::unique_ptr<MLIRContext> xf_fuzz::makeContext(Dialects dialects) {
  auto context = std::make_unique<MLIRContext>(
      registry(dialects), MLIRContext::Threading::DISABLED);
  context->getDiagEngine().registerHandler(
      [](Diagnostic &) { return success(); });
  return context;
}

OwningOpRef<ModuleOp> xf_fuzz::parseVerified(const std::string &text,
                                             MLIRContext *context) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, context, "fuzz.mlir");
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

MLIRContext *xf_fuzz::contextForInput(Dialects dialects) {
  static std::unique_ptr<MLIRContext> contexts[2];
  static int uses[2];
  int k = dialects == Dialects::Input ? 0 : 1;
  if (!contexts[k] || ++uses[k] == kInputsPerContext) {
    contexts[k] = makeContext(dialects);
    uses[k] = 0;
  }
  return contexts[k].get();
}
