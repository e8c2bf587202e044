/* The C program of test/Target/aot.mlir: calls two objects compiled ahead
   of time through their generated headers, and checks them against plain
   loops. */
#include "linear.h"
#include "mlp.h"

#include <math.h>
#include <stdio.h>

static float value(int i) { return (float)((i * 37) % 17 - 8) / 8.0f; }

static int report(const char *name, double err) {
  printf("%s max_abs_err %.2e %s\n", name, err, err < 1e-4 ? "ok" : "FAILED");
  return err < 1e-4 ? 0 : 1;
}

int main(void) {
  static float x[4 * 16], w[16 * 8], b[8], y[4 * 8];
  for (int i = 0; i < 4 * 16; ++i)
    x[i] = value(i);
  for (int i = 0; i < 16 * 8; ++i)
    w[i] = value(i + 5) / 4;
  for (int i = 0; i < 8; ++i)
    b[i] = value(i + 9);
  linear_relu(x, w, b, y);
  double err = 0;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 8; ++c) {
      double s = b[c];
      for (int k = 0; k < 16; ++k)
        s += (double)x[r * 16 + k] * w[k * 8 + c];
      err = fmax(err, fabs((s > 0 ? s : 0) - y[r * 8 + c]));
    }
  int failed = report("linear_relu", err);

  static float xm[3 * 16], wu[16 * 32], wd[32 * 16], ym[3 * 16];
  static float packed0[mlp_packed0_elements], packed1[mlp_packed1_elements];
  for (int i = 0; i < 3 * 16; ++i)
    xm[i] = value(i + 1);
  for (int i = 0; i < 16 * 32; ++i) {
    wu[i] = value(i + 2) / 4;
    wd[i] = value(i + 3) / 4;
  }
  mlp_pack_weights(wu, wd, packed0, packed1);
  mlp(xm, packed0, packed1, ym);
  err = 0;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 16; ++c) {
      double s = 0;
      for (int j = 0; j < 32; ++j) {
        double h = 0;
        for (int k = 0; k < 16; ++k)
          h += (double)xm[r * 16 + k] * wu[k * 32 + j];
        s += (h > 0 ? h : 0) * wd[j * 16 + c];
      }
      err = fmax(err, fabs(s - ym[r * 16 + c]));
    }
  return report("mlp", err) | failed;
}
