// Calls a function compiled ahead of time with pack-weights-once: the
// weights are packed once by the generated packing function, then every
// step takes the remaining inputs and the packed weights.
#include <stdio.h>

void linear_relu_pack_weights(float *w, float *packed);
void linear_relu(float *x, float *b, float *packed, float *y);

int main(void) {
  float w[6] = {1, 2, 3, 4, 5, 6}; // [2, 3], layout kn
  // One panel of 2 x 32 columns (the shape xf.packed_types records).
  static float packed[1 * 2 * 32];
  linear_relu_pack_weights(w, packed);
  float b[3] = {-10, 0, 10};
  for (int step = 0; step < 2; ++step) {
    float x[2] = {1.0f + step, 2};
    float y[3] = {-1, -1, -1};
    linear_relu(x, b, packed, y);
    printf("%g %g %g\n", y[0], y[1], y[2]);
  }
  return 0;
}
