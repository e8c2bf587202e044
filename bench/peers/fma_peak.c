// Measures the machine's fp32 FMA peak: every thread runs independent chains
// of vector FMAs that never touch memory (enough chains to cover the FMA
// latency), and the GFLOP/s of all threads together is printed.
//   fma_peak [seconds]
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __AVX512F__
typedef __m512 vec;
#define LANES 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET1(x) _mm512_set1_ps(x)
#define SUM(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET1(x) _mm256_set1_ps(x)
static float SUM(__m256 v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif
#define CHAINS 24

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1.0;
  long iters = 20000000;
  double sink = 0, elapsed = 0;
  // Calibrate the iteration count to the requested duration.
  for (int round = 0; round < 2; ++round) {
    double start = omp_get_wtime();
#pragma omp parallel reduction(+ : sink)
    {
      vec acc[CHAINS];
      vec a = SET1(0.999999f), b = SET1(1e-7f);
      for (int c = 0; c < CHAINS; ++c)
        acc[c] = SET1((float)c);
      for (long i = 0; i < iters; ++i)
      // Fully unrolled so that every chain lives in a register.
#pragma GCC unroll 24
        for (int c = 0; c < CHAINS; ++c)
          acc[c] = FMA(acc[c], a, b);
      for (int c = 0; c < CHAINS; ++c)
        sink += SUM(acc[c]);
    }
    elapsed = omp_get_wtime() - start;
    if (round == 0)
      iters = (long)(iters * seconds / elapsed);
  }
  double flops = 2.0 * LANES * CHAINS * (double)iters * omp_get_max_threads();
  printf("%.1f GFLOP/s %d threads %d lanes (checksum %g)\n",
         flops / elapsed * 1e-9, omp_get_max_threads(), LANES, sink);
  return 0;
}
