// Calls one compiled decode step, whose cache capacity is dynamic, for two
// capacities and valid lengths: memref descriptors carry the sizes (the
// fields of each memref argument: allocated and aligned pointers, offset,
// sizes, strides). Compares with attention computed here.
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define D 16

void attend(float *qa, float *q, int64_t qo, int64_t q0, int64_t q1,
            int64_t q2, int64_t qs0, int64_t qs1, int64_t qs2, //
            float *ka, float *k, int64_t ko, int64_t k0, int64_t k1,
            int64_t k2, int64_t ks0, int64_t ks1, int64_t ks2, //
            float *va, float *v, int64_t vo, int64_t v0, int64_t v1,
            int64_t v2, int64_t vs0, int64_t vs1, int64_t vs2, //
            int32_t *la, int32_t *l, int64_t lo, int64_t l0, int64_t ls0,
            float *oa, float *o, int64_t oo, int64_t o0, int64_t o1,
            int64_t o2, int64_t os0, int64_t os1, int64_t os2);

static float cache_k[64 * D], cache_v[64 * D];

static int step(int64_t capacity, int32_t len) {
  float q[D], out[D], ref[D] = {0};
  for (int d = 0; d < D; ++d)
    q[d] = sinf(0.3f * d + capacity);
  for (int64_t j = 0; j < capacity * D; ++j) {
    cache_k[j] = cosf(0.01f * j);
    cache_v[j] = sinf(0.02f * j);
  }
  attend(q, q, 0, 1, 1, D, D, D, 1, cache_k, cache_k, 0, 1, capacity, D,
         capacity * D, D, 1, cache_v, cache_v, 0, 1, capacity, D,
         capacity * D, D, 1, &len, &len, 0, 1, 1, out, out, 0, 1, 1, D, D, D,
         1);
  // softmax(q k^T / 4) v over the first len keys.
  double s[64], max = -1e30, sum = 0;
  for (int j = 0; j < len; ++j) {
    s[j] = 0;
    for (int d = 0; d < D; ++d)
      s[j] += q[d] * cache_k[j * D + d] / 4.0;
    max = s[j] > max ? s[j] : max;
  }
  for (int j = 0; j < len; ++j)
    sum += s[j] = exp(s[j] - max);
  double err = 0;
  for (int d = 0; d < D; ++d) {
    for (int j = 0; j < len; ++j)
      ref[d] += s[j] / sum * cache_v[j * D + d];
    err = fmax(err, fabs(ref[d] - out[d]));
  }
  printf("capacity %ld len %d max_abs_err %s\n", (long)capacity, len,
         err < 1e-5 ? "ok" : "FAILED");
  return err < 1e-5;
}

int main(void) { return step(8, 3) && step(64, 50) ? 0 : 1; }
