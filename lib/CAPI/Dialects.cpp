//===- Dialects.cpp - the xf dialects and passes for the C API ------------===//

#include "xf-c/Dialects.h"

#include "xf/Dialect/XfCpuOps.h"
#include "xf/Dialect/XfDialect.h"
#include "xf/InitXf.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/InitAllPasses.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Xf, xf, mlir::xf::XfDialect)
MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(XfCpu, xf_cpu,
                                      mlir::xf::cpu::XfCpuDialect)

void xfRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::xf::registerXfAndUpstreamDialects(*unwrap(registry));
}

void xfRegisterAllPasses(void) {
  mlir::registerAllPasses();
  mlir::xf::registerAllXfPasses();
}
