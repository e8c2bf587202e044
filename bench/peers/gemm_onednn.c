// oneDNN's sgemm on the same inputs as xf: C = A B with A [M, K] and B
// [K, N] read from raw float32 files. Prints the median of `reps` calls.
//   gemm_onednn M K N A.bin B.bin reps
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_util.h"

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: gemm_onednn M K N A.bin B.bin reps\n");
    return 2;
  }
  long m = atol(argv[1]), k = atol(argv[2]), n = atol(argv[3]);
  int reps = atoi(argv[6]);
  float *a = readFloats("gemm_onednn", argv[4], m * k),
        *b = readFloats("gemm_onednn", argv[5], k * n);
  float *c = alignedAlloc(m * n * sizeof(float));
  double *times = malloc(sizeof(double) * reps);
  for (int r = -3; r < reps; ++r) {
    memset(c, 0x7f, m * n * sizeof(float));
    double t0 = nowMs();
    if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a, k, b, n, 0.0f, c, n) !=
        dnnl_success)
      return 1;
    if (r >= 0)
      times[r] = nowMs() - t0;
  }
  printMedian(times, reps);
  return 0;
}
