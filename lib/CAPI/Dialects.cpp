//===- Dialects.cpp - the xf dialects and passes for the C API ------------===//

#include "xf-c/Dialects.h"

#include "xf/Dialect/XfCpuOps.h"
#include "xf/Dialect/XfDialect.h"
#include "xf/InitXf.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Xf, xf, mlir::xf::XfDialect)
MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(XfCpu, xf_cpu,
                                      mlir::xf::cpu::XfCpuDialect)

void xfRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::DialectRegistry &r = *unwrap(registry);
  mlir::registerAllDialects(r);
  mlir::registerAllExtensions(r);
  mlir::registerAllToLLVMIRTranslations(r);
  mlir::xf::registerAllXfDialects(r);
}

void xfRegisterAllPasses(void) {
  mlir::registerAllPasses();
  mlir::xf::registerAllXfPasses();
}
