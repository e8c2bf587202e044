//===- InitXf.cpp - register everything xf provides -----------------------===//

#include "xf/InitXf.h"

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/Conversion/Passes.h"
#include "xf/Dialect/XfCpuOps.h"
#include "xf/Dialect/XfOps.h"
#include "xf/Transforms/Passes.h"
#include "xf/Transforms/Pipeline.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

void xf::registerAllXfDialects(DialectRegistry &registry) {
  registry.insert<XfDialect, cpu::XfCpuDialect>();
  cpu::registerBufferizableOpInterfaceExternalModels(registry);
}

void xf::registerXfAndUpstreamDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registerAllXfDialects(registry);
}

void xf::registerAllXfPasses() {
  registerXfTransformsPasses();
  registerXfConversionPasses();
  registerXfCpuPasses();
  registerGraphPipeline();
  registerCpuPipeline();
}
