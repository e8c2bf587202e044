/*===- downstream-run.c - call a compiled xf block from C ----------------===*\
|*                                                                            *|
|* Compiles `y = gelu(x W + b)` with xf's program API (xf-c/Program.h),      *|
|* calls it on buffers this program owns, and compares the result with the   *|
|* same formula computed here in double precision. Exits non-zero when the   *|
|* relative error exceeds 1e-4 or a call fails.                               *|
\*===----------------------------------------------------------------------===*/

#include "xf-c/Program.h"

#include <math.h>
#include <stdio.h>

enum { S = 3, K = 37, N = 19 };

static const char *module =
    "func.func @ffn(%x: tensor<3x37xf32>, %w: tensor<37x19xf32>,\n"
    "               %b: tensor<19xf32>) -> tensor<3x19xf32> {\n"
    "  %y = xf.linear %x, %w bias %b act gelu\n"
    "      : (tensor<3x37xf32>, tensor<37x19xf32>, tensor<19xf32>)\n"
    "      -> tensor<3x19xf32>\n"
    "  return %y : tensor<3x19xf32>\n"
    "}\n";

static int fail(const char *what, char *error) {
  fprintf(stderr, "downstream-run: %s: %s\n", what, error);
  xfFreeString(error);
  return 1;
}

int main(void) {
  static float x[S * K], w[K * N], b[N], y[S * N];
  for (int i = 0; i < S * K; ++i)
    x[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
  for (int i = 0; i < K * N; ++i)
    w[i] = (float)((i * 5) % 13) / 13.0f - 0.5f;
  for (int i = 0; i < N; ++i)
    b[i] = 0.1f * (float)(i % 3);

  char *error = NULL;
  XfProgram *program = xfProgramCompile(module, "ffn", NULL, &error);
  if (!program)
    return fail("compile", error);
  int64_t xShape[] = {S, K}, wShape[] = {K, N}, bShape[] = {N},
          yShape[] = {S, N};
  XfBuffer inputs[] = {
      {x, 2, xShape, XF_F32}, {w, 2, wShape, XF_F32}, {b, 1, bShape, XF_F32}};
  XfBuffer results[] = {{y, 2, yShape, XF_F32}};
  if (xfProgramCall(program, inputs, 3, results, 1, &error))
    return fail("call", error);

  double worst = 0;
  for (int s = 0; s < S; ++s)
    for (int n = 0; n < N; ++n) {
      double acc = b[n];
      for (int k = 0; k < K; ++k)
        acc += (double)x[s * K + k] * w[k * N + n];
      double want = 0.5 * acc * (1 + erf(acc / sqrt(2.0)));
      double err = fabs(y[s * N + n] - want) / (fabs(want) + 1e-3);
      worst = err > worst ? err : worst;
    }
  printf("y[0][0] = %.6f, max relative error %.2e\n", y[0], worst);

  // A buffer of the wrong shape is refused with the argument named.
  int64_t wrong[] = {S, K + 1};
  inputs[0].shape = wrong;
  if (!xfProgramCall(program, inputs, 3, results, 1, &error))
    return 1;
  printf("refused: %s\n", error);
  xfFreeString(error);
  xfProgramDestroy(program);
  return worst <= 1e-4 ? 0 : 1;
}
