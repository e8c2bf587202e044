/* The C program of test/Target/aot-low-precision.mlir: calls GEMMs with
   bf16, f16 and int8 weights through the generated header and checks them
   against plain loops on the weights' exact values, to the relative
   tolerance given as its argument (the rounding of the activations that
   bf16 and int8 panels imply). */
#include "lowp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M = 5, K = 37, N = 40 };

static float value(int i) { return (float)((i * 37) % 23 - 11) / 11.0f; }

static float bf16Value(uint16_t bits) {
  uint32_t word = (uint32_t)bits << 16;
  float f;
  memcpy(&f, &word, sizeof f);
  return f;
}

/* The bf16 bits of f, truncated: the value the loops then use exactly. */
static uint16_t bf16Bits(float f) {
  uint32_t word;
  memcpy(&word, &f, sizeof word);
  return (uint16_t)(word >> 16);
}

/* IEEE half bits of the normal numbers and zero that value() gives. */
static uint16_t f16Bits(float f) {
  if (f == 0)
    return 0;
  int exponent;
  float mantissa = frexpf(fabsf(f), &exponent); /* in [0.5, 1) */
  uint16_t bits = (uint16_t)((exponent + 14) << 10) |
                  (uint16_t)lrintf((mantissa * 2 - 1) * 1024);
  return f < 0 ? (uint16_t)(bits | 0x8000) : bits;
}

static float f16Value(uint16_t bits) {
  if ((bits & 0x7fff) == 0)
    return 0;
  float f =
      ldexpf(1.0f + (float)(bits & 0x3ff) / 1024, ((bits >> 10) & 31) - 15);
  return bits & 0x8000 ? -f : f;
}

static int report(const char *name, const float *y, const double *ref,
                  double tolerance) {
  double err = 0, top = 0;
  for (int i = 0; i < M * N; ++i) {
    err = fmax(err, fabs(y[i] - ref[i]));
    top = fmax(top, fabs(ref[i]));
  }
  err /= top;
  int ok = err <= tolerance;
  printf("%s max_rel_err %.2e %s\n", name, err, ok ? "ok" : "FAILED");
  return !ok;
}

int main(int argc, char **argv) {
  double tolerance = argc > 1 ? atof(argv[1]) : 1e-4;
  static float x[M * K], b[N], s[N], y[M * N];
  static uint16_t wb[K * N], wh[N * K];
  static int8_t q[N * K];
  static double ref[M * N];
  for (int i = 0; i < M * K; ++i)
    x[i] = value(i);
  for (int i = 0; i < K * N; ++i)
    wb[i] = bf16Bits(value(i + 3) / 4);
  for (int i = 0; i < N * K; ++i) {
    wh[i] = f16Bits(value(i + 5) / 4);
    q[i] = (int8_t)((i * 53) % 255 - 127); /* -127 to 127 */
  }
  for (int i = 0; i < N; ++i) {
    b[i] = value(i + 7);
    s[i] = (float)(i + 1) / 1024;
  }

  lowp_bf16(x, wb, b, y);
  for (int r = 0; r < M; ++r)
    for (int c = 0; c < N; ++c) {
      double sum = b[c];
      for (int k = 0; k < K; ++k)
        sum += (double)x[r * K + k] * bf16Value(wb[k * N + c]);
      ref[r * N + c] = sum;
    }
  int failed = report("lowp_bf16", y, ref, tolerance);

  lowp_f16(x, wh, y);
  for (int r = 0; r < M; ++r)
    for (int c = 0; c < N; ++c) {
      double sum = 0;
      for (int k = 0; k < K; ++k)
        sum += (double)x[r * K + k] * f16Value(wh[c * K + k]);
      ref[r * N + c] = sum;
    }
  failed |= report("lowp_f16", y, ref, tolerance);

  lowp_int8(x, q, s, y);
  for (int r = 0; r < M; ++r)
    for (int c = 0; c < N; ++c) {
      double sum = 0;
      for (int k = 0; k < K; ++k)
        sum += (double)x[r * K + k] * q[c * K + k] * s[c];
      ref[r * N + c] = sum;
    }
  return report("lowp_int8", y, ref, tolerance) | failed;
}
