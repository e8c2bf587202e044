// oneDNN's sgemm on the same inputs as xf: C = A B with A [M, K] and B
// [K, N] read from raw float32 files. Prints the median of `reps` calls.
//   gemm_onednn M K N A.bin B.bin reps
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static float *readFloats(const char *path, size_t count) {
  FILE *f = fopen(path, "rb");
  float *data = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
  if (!f || fread(data, sizeof(float), count, f) != count) {
    fprintf(stderr, "gemm_onednn: cannot read %zu floats from %s\n", count,
            path);
    exit(2);
  }
  fclose(f);
  return data;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: gemm_onednn M K N A.bin B.bin reps\n");
    return 2;
  }
  long m = atol(argv[1]), k = atol(argv[2]), n = atol(argv[3]);
  int reps = atoi(argv[6]);
  float *a = readFloats(argv[4], m * k), *b = readFloats(argv[5], k * n);
  float *c = aligned_alloc(64, (m * n * sizeof(float) + 63) / 64 * 64);
  double *times = malloc(sizeof(double) * reps);
  for (int r = -3; r < reps; ++r) {
    memset(c, 0x7f, m * n * sizeof(float));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n) !=
        dnnl_success)
      return 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r >= 0)
      times[r] =
          (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6;
  }
  qsort(times, reps, sizeof(double), cmp);
  printf("median %.4f ms\n", times[reps / 2]);
  return 0;
}
