// What the C peer drivers share: 64-byte aligned buffers, raw float32
// inputs, wall-clock timing and the median of repeated calls.
#ifndef XF_BENCH_PEER_UTIL_H
#define XF_BENCH_PEER_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void *alignedAlloc(size_t bytes) {
  return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

// `count` floats from the raw file `path`; exits naming `tool` otherwise.
static float *readFloats(const char *tool, const char *path, size_t count) {
  FILE *f = fopen(path, "rb");
  float *data = alignedAlloc(count * sizeof(float));
  if (!f || fread(data, sizeof(float), count, f) != count) {
    fprintf(stderr, "%s: cannot read %zu floats from %s\n", tool, count, path);
    exit(2);
  }
  fclose(f);
  return data;
}

static double nowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int compareDoubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

// Sorts `times` and prints their median as bench/common.py reads it.
static void printMedian(double *times, int reps) {
  qsort(times, reps, sizeof(double), compareDoubles);
  printf("median %.4f ms\n", times[reps / 2]);
}

#endif // XF_BENCH_PEER_UTIL_H
