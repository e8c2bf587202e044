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
  in[0].data = (char *)x + 2;
  if (xfProgramCall(program, in, 3, out, 1, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  in[0].data = x;
  in[1].data = NULL;
  if (xfProgramCall(program, in, 3, out, 1, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  // A rank far past the shape array's length: the error must not read it.
  in[1].data = wu;
  in[1].rank = 1 << 20;
  if (xfProgramCall(program, in, 3, out, 1, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  in[1].rank = 2;
  xfProgramDestroy(program);

  // Values the code must not get: a cache length past the capacity, token
  // ids outside the table, offsets that decrease.
  const char *step =
      "func.func @step(%q: tensor<1x1x8xf32>, %k: tensor<1x4x8xf32>, "
      "%v: tensor<1x4x8xf32>, %len: tensor<1xi32>, %ids: tensor<3xi64>, "
      "%t: tensor<50x8xf32>, %off: tensor<3xi32>, %p: tensor<5x8xf32>) "
      "-> (tensor<1x1x8xf32>, tensor<3x8xf32>, tensor<5x8xf32>) {\n"
      "  %o = xf.attention %q, %k, %v kv_len %len heads 1 causal : "
      "(tensor<1x1x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, "
      "tensor<1xi32>) -> tensor<1x1x8xf32>\n"
      "  %e = xf.embedding %t, %ids : (tensor<50x8xf32>, tensor<3xi64>) -> "
      "tensor<3x8xf32>\n"
      "  %s = xf.attention %p, %p, %p seq_offsets %off heads 1 : "
      "(tensor<5x8xf32>, tensor<5x8xf32>, tensor<5x8xf32>, tensor<3xi32>) "
      "-> tensor<5x8xf32>\n"
      "  return %o, %e, %s : tensor<1x1x8xf32>, tensor<3x8xf32>, "
      "tensor<5x8xf32>\n}\n";
  program = xfProgramCompile(step, "step", "threads=1", &error);
  if (!program) {
    printf("%s\n", error);
    return 1;
  }
  static float q[8], kc[32], vc[32], o[8], table[400], e[24], p[40], s[40];
  int32_t len[] = {4}, off[] = {0, 3, 5};
  int64_t ids[] = {0, 7, 49};
  int64_t qs[] = {1, 1, 8}, cs[] = {1, 4, 8}, one[] = {1}, three[] = {3},
          ts[] = {50, 8}, es[] = {3, 8}, ps[] = {5, 8};
  XfBuffer stepIn[] = {{q, 3, qs, XF_F32},      {kc, 3, cs, XF_F32},
                       {vc, 3, cs, XF_F32},     {len, 1, one, XF_I32},
                       {ids, 1, three, XF_I64}, {table, 2, ts, XF_F32},
                       {off, 1, three, XF_I32}, {p, 2, ps, XF_F32}};
  XfBuffer stepOut[] = {
      {o, 3, qs, XF_F32}, {e, 2, es, XF_F32}, {s, 2, ps, XF_F32}};
  printf("valid values: %s\n",
         xfProgramCall(program, stepIn, 8, stepOut, 3, &error) ? error : "ran");
  len[0] = 5;
  if (xfProgramCall(program, stepIn, 8, stepOut, 3, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  len[0] = 4;
  ids[2] = 50;
  if (xfProgramCall(program, stepIn, 8, stepOut, 3, &error)) {
    printf("%s\n", error);
    xfFreeString(error);
  }
  ids[2] = 49;
  off[1] = 6;
  if (xfProgramCall(program, stepIn, 8, stepOut, 3, &error)) {
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
