// Calls a function compiled ahead of time by xf-translate --xf-to-llvmir:
// bare pointers to the inputs, then to the output buffer.
#include <stdio.h>

void linear_relu(float *x, float *w, float *b, float *y);

int main(void) {
  float x[2] = {1, 2};
  float w[6] = {1, 2, 3, 4, 5, 6}; // [2, 3], layout kn
  float b[3] = {-10, 0, 10};
  float y[3] = {-1, -1, -1};
  linear_relu(x, w, b, y);
  printf("%g %g %g\n", y[0], y[1], y[2]);
  return 0;
}
