/*===- xf-capi-test.c - a C host of the xf C API --------------------------===*\
|*                                                                            *|
|* Registers xf, parses a module, compiles it with xf-cpu-pipeline, prints    *|
|* the LLVM IR; then shows that bad input comes back as diagnostics and      *|
|* failures (capi.test checks the output).                                    *|
\*===----------------------------------------------------------------------===*/

#include "xf-c/Compiler.h"
#include "xf-c/Dialects.h"
#include "xf-c/Program.h"

#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"

#include <stdio.h>
#include <string.h>

static void print(MlirStringRef text, void *out) {
  fwrite(text.data, 1, text.length, (FILE *)out);
}

static MlirLogicalResult onDiagnostic(MlirDiagnostic diagnostic, void *unused) {
  (void)unused;
  printf("diagnostic: ");
  mlirDiagnosticPrint(diagnostic, print, stdout);
  printf("\n");
  return mlirLogicalResultSuccess();
}

static const char *block =
    "func.func @mlp(%x: tensor<4x16xf32>, %wu: tensor<16x32xf32>,\n"
    "               %wd: tensor<32x16xf32>) -> tensor<4x16xf32> {\n"
    "  %y = xf.mlp %x up %wu down %wd act gelu\n"
    "      : (tensor<4x16xf32>, tensor<16x32xf32>, tensor<32x16xf32>)\n"
    "      -> tensor<4x16xf32>\n"
    "  return %y : tensor<4x16xf32>\n"
    "}\n";

static MlirModule parse(MlirContext context, const char *text) {
  return mlirModuleCreateParse(context, mlirStringRefCreateFromCString(text));
}

static MlirLogicalResult run(MlirModule module, const char *pipeline) {
  return xfRunPassPipeline(module, mlirStringRefCreateFromCString(pipeline));
}

int main(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  xfRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  xfRegisterAllPasses();
  mlirContextAttachDiagnosticHandler(context, onDiagnostic, NULL, NULL);
  MlirStringRef ns =
      mlirDialectHandleGetNamespace(mlirGetDialectHandle__xf__());
  printf("dialect: %.*s\n", (int)ns.length, ns.data);

  // Compile: xf -> LLVM dialect -> LLVM IR.
  MlirModule module = parse(context, block);
  if (mlirModuleIsNull(module))
    return 1;
  if (mlirLogicalResultIsFailure(
          run(module, "builtin.module(xf-cpu-pipeline{threads=1})")) ||
      mlirLogicalResultIsFailure(xfTranslateToLLVMIR(module, print, stdout)))
    return 1;
  mlirModuleDestroy(module);

  // Bad input: diagnostics and failures, never an abort.
  MlirModule bad = parse(context, "func.func @f(%x: tensor<4xf32>) {\n"
                                  "  %y = xf.top_k %x k 9 : (tensor<4xf32>) "
                                  "-> tensor<9xi64>\n  return\n}\n");
  printf("malformed op: %s\n",
         mlirModuleIsNull(bad) ? "null module" : "parsed");
  module = parse(context, block);
  printf("unknown pipeline: %s\n",
         mlirLogicalResultIsFailure(run(module, "builtin.module(xf-nope)"))
             ? "failure"
             : "success");
  printf("translate before lowering: %s\n",
         mlirLogicalResultIsFailure(xfTranslateToLLVMIR(module, print, stdout))
             ? "failure"
             : "success");
  mlirModuleDestroy(module);
  mlirContextDestroy(context);

  // The stable API: compile, call on caller-owned buffers, checked.
  char *error = NULL;
  XfProgram *program = xfProgramCompile(block, "mlp", "threads=1", &error);
  if (!program)
    return 1;
  static float x[4 * 16], wu[16 * 32], wd[32 * 16], y[4 * 16];
  for (int i = 0; i < 16 * 32; ++i)
    wu[i] = wd[i] = 0.01f * (float)(i % 7);
  for (int i = 0; i < 4 * 16; ++i)
    x[i] = 1.0f;
  int64_t xs[] = {4, 16}, us[] = {16, 32}, ds[] = {32, 16}, cut[] = {4, 15};
  XfBuffer in[] = {
      {x, 2, xs, XF_F32}, {wu, 2, us, XF_F32}, {wd, 2, ds, XF_F32}};
  XfBuffer out[] = {{y, 2, xs, XF_F32}};
  printf("program: %lld inputs, %lld result\n",
         (long long)xfProgramNumInputs(program),
         (long long)xfProgramNumResults(program));
  if (xfProgramCall(program, in, 3, out, 1, &error))
    return 1;
  printf("y[0] = %.4f\n", y[0]);
  in[0].shape = cut;
  if (xfProgramCall(program, in, 3, out, 1, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  in[0].shape = xs;
  in[1].data = NULL;
  if (xfProgramCall(program, in, 3, out, 1, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  xfProgramDestroy(program);
  if (!xfProgramCompile(block, "missing", NULL, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  return 0;
}
