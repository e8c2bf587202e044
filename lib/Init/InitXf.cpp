//===- InitXf.cpp - register everything xf provides -----------------------===//

#include "xf/InitXf.h"

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/Conversion/Passes.h"
#include "xf/Dialect/XfCpuOps.h"
#include "xf/Dialect/XfOps.h"
#include "xf/Transforms/Passes.h"
#include "xf/Transforms/Pipeline.h"

using namespace mlir;

void xf::registerAllXfDialects(DialectRegistry &registry) {
  registry.insert<XfDialect, cpu::XfCpuDialect>();
  cpu::registerBufferizableOpInterfaceExternalModels(registry);
}

void xf::registerAllXfPasses() {
  registerXfTransformsPasses();
  registerXfConversionPasses();
  registerXfCpuPasses();
  registerGraphPipeline();
  registerCpuPipeline();
}
