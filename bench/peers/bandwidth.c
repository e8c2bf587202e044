// Measures the machine's read bandwidth from memory, STREAM-like: every
// thread sums its part of an array far larger than the last-level cache, and
// the bytes read by all threads over the elapsed time are printed (best of
// several trials, as a neighbour on the shared cores can slow any one).
// Decode is memory-bound: its floor is the bytes it reads over this number.
//   bandwidth [MiB=1024] [trials=10]
// Build: gcc -O3 -march=native -fopenmp bandwidth.c -o bandwidth
// Threads: OMP_NUM_THREADS (bench.py sets 2).
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 1024;
  int trials = argc > 2 ? atoi(argv[2]) : 10;
  long n = mib * (1L << 20) / sizeof(float); // a multiple of 64
  float *a = aligned_alloc(64, n * sizeof(float));
  if (!a || mib < 1) {
    fprintf(stderr, "bandwidth: cannot allocate %ld MiB\n", mib);
    return 1;
  }
  // First touch from the same static schedule as the reads, so that each
  // thread's pages are local to it (matters on multi-socket hosts).
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; ++i)
    a[i] = (float)(i & 1023) * 1e-3f;

  double best = 0, sink = 0;
  for (int t = 0; t < trials; ++t) {
    double start = omp_get_wtime();
    float sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
      // 64 partial sums: -O3 keeps them in four 512-bit registers, four
      // independent add chains, so the adds never limit the load rate.
      float acc[64] = {0};
      long chunks = n / 64, nt = omp_get_num_threads(),
           id = omp_get_thread_num();
      for (long c = chunks * id / nt; c < chunks * (id + 1) / nt; ++c)
        for (int j = 0; j < 64; ++j)
          acc[j] += a[c * 64 + j];
      for (int j = 0; j < 64; ++j)
        sum += acc[j];
    }
    double gbs = n * sizeof(float) / (omp_get_wtime() - start) * 1e-9;
    best = gbs > best ? gbs : best;
    sink += sum; // keeps the sums live
  }
  printf(
      "read_bandwidth %.1f GB/s %d threads %ld MiB best of %d (checksum %g)\n",
      best, omp_get_max_threads(), mib, trials, sink);
  free(a);
  return 0;
}
