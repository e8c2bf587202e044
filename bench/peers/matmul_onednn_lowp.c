// oneDNN 2.x matmul primitive in low precision on the same inputs as xf:
// C = A B with A [M, K] and B [K, N] read from raw float32 files.
//   bf16: bf16 x bf16 -> f32      int8: u8 x s8 -> s32 (per-tensor scales)
// Weights use format `any` and are reordered once, outside the timing, to
// the layout the primitive prefers. The activations are converted outside
// the timing too, or, with `+reorder`, from float32 by oneDNN's reorder
// inside it (xf's GEMMs take float32 activations and convert them in the
// call). Prints the implementation, the median of `reps` executions and the
// max relative error of 16 sampled outputs.
//   matmul_onednn_lowp bf16|int8[+reorder] M K N A.bin B.bin reps
// Build:
// clang-format off
//   gcc -O2 bench/peers/matmul_onednn_lowp.c -ldnnl -o bench/out/matmul_onednn_lowp
// clang-format on
#include <dnnl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer_util.h"

#define CHECK(call)                                                            \
  do {                                                                         \
    dnnl_status_t s = (call);                                                  \
    if (s != dnnl_success) {                                                   \
      fprintf(stderr, "matmul_onednn_lowp: %s failed (%d)\n", #call, (int)s);  \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

// Round to nearest even; the inputs are finite so NaN needs no care.
static uint16_t toBf16(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return (uint16_t)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

static double fromBf16(uint16_t h) {
  uint32_t u = (uint32_t)h << 16;
  float x;
  memcpy(&x, &u, 4);
  return x;
}

// No libm: the build line links only -ldnnl.
static double absd(double x) { return x < 0 ? -x : x; }

static float absMax(const float *x, size_t count) {
  float r = 0;
  for (size_t i = 0; i < count; ++i)
    r = absd(x[i]) > r ? absd(x[i]) : r;
  return r > 0 ? r : 1;
}

// Round half away from zero, then clamp.
static long clampRound(float x, long lo, long hi) {
  long v = (long)(x < 0 ? x - 0.5f : x + 0.5f);
  return v < lo ? lo : v > hi ? hi : v;
}

static dnnl_memory_desc_t plainMd(long rows, long cols, dnnl_data_type_t dt,
                                  dnnl_format_tag_t tag) {
  dnnl_memory_desc_t md;
  dnnl_dims_t dims = {rows, cols};
  CHECK(dnnl_memory_desc_init_by_tag(&md, 2, dims, dt, tag));
  return md;
}

static dnnl_primitive_desc_t matmulPd(dnnl_engine_t eng, dnnl_data_type_t srcT,
                                      dnnl_data_type_t weiT,
                                      dnnl_data_type_t dstT, long m, long k,
                                      long n, int srcZeroPoint) {
  dnnl_memory_desc_t src = plainMd(m, k, srcT, dnnl_ab);
  dnnl_memory_desc_t wei = plainMd(k, n, weiT, dnnl_format_tag_any);
  dnnl_memory_desc_t dst = plainMd(m, n, dstT, dnnl_ab);
  dnnl_matmul_desc_t desc;
  CHECK(dnnl_matmul_desc_init(&desc, &src, &wei, NULL, &dst));
  dnnl_primitive_attr_t attr;
  CHECK(dnnl_primitive_attr_create(&attr));
  if (srcZeroPoint) {
    // Runtime value: the form oneDNN 2.x documents for int8 matmul.
    int32_t zp = DNNL_RUNTIME_S32_VAL;
    CHECK(dnnl_primitive_attr_set_zero_points(attr, DNNL_ARG_SRC, 1, 0, &zp));
  }
  dnnl_primitive_desc_t pd;
  CHECK(dnnl_primitive_desc_create(&pd, &desc, attr, eng, NULL));
  dnnl_primitive_attr_destroy(attr);
  return pd;
}

static const char *implName(dnnl_primitive_desc_t pd) {
  const char *name = NULL;
  CHECK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name));
  return name;
}

static dnnl_memory_t makeMemory(dnnl_engine_t eng, const dnnl_memory_desc_t *md,
                                void *data) {
  dnnl_memory_t mem;
  CHECK(dnnl_memory_create(&mem, md, eng, data));
  return mem;
}

int main(int argc, char **argv) {
  const char *kinds[] = {"bf16", "int8", "bf16+reorder", "int8+reorder"};
  int kind = -1;
  for (int i = 0; argc == 8 && i < 4; ++i)
    if (!strcmp(argv[1], kinds[i]))
      kind = i;
  if (kind < 0) {
    fprintf(stderr, "usage: matmul_onednn_lowp bf16|int8[+reorder] M K N "
                    "A.bin B.bin reps\n");
    return 2;
  }
  int isInt8 = kind % 2, timeReorder = kind >= 2;
  long m = atol(argv[2]), k = atol(argv[3]), n = atol(argv[4]);
  int reps = atoi(argv[7]);
  float *a = readFloats("matmul_onednn_lowp", argv[5], m * k),
        *b = readFloats("matmul_onednn_lowp", argv[6], k * n);

  // Quantize / round outside the timing. Per-tensor scales only matter for
  // dequantization, which the check below avoids by comparing integers.
  size_t elem = isInt8 ? 1 : 2;
  void *aq = alignedAlloc(m * k * elem), *bq = alignedAlloc(k * n * elem);
  float sa = 1;
  if (isInt8) {
    sa = absMax(a, m * k) / 127;
    float sb = absMax(b, k * n) / 127;
    for (long i = 0; i < m * k; ++i)
      ((uint8_t *)aq)[i] = (uint8_t)clampRound(a[i] / sa + 128, 0, 255);
    for (long i = 0; i < k * n; ++i)
      ((int8_t *)bq)[i] = (int8_t)clampRound(b[i] / sb, -127, 127);
  } else {
    for (long i = 0; i < m * k; ++i)
      ((uint16_t *)aq)[i] = toBf16(a[i]);
    for (long i = 0; i < k * n; ++i)
      ((uint16_t *)bq)[i] = toBf16(b[i]);
  }

  dnnl_engine_t eng;
  dnnl_stream_t stream;
  CHECK(dnnl_engine_create(&eng, dnnl_cpu, 0));
  CHECK(dnnl_stream_create(&stream, eng, dnnl_stream_default_flags));
  dnnl_data_type_t srcT = isInt8 ? dnnl_u8 : dnnl_bf16;
  dnnl_data_type_t weiT = isInt8 ? dnnl_s8 : dnnl_bf16;
  dnnl_data_type_t dstT = isInt8 ? dnnl_s32 : dnnl_f32;

  // int8: ask for the src zero point of 128; if that only runs on a reference
  // kernel, drop it and time u8 x s8 on the shifted activations instead
  // (the result is then off by 128 * colsum(B), which the check accounts for).
  int zeroPoint = isInt8;
  dnnl_primitive_desc_t pd =
      matmulPd(eng, srcT, weiT, dstT, m, k, n, zeroPoint);
  if (zeroPoint && !strncmp(implName(pd), "ref", 3)) {
    dnnl_primitive_desc_destroy(pd);
    zeroPoint = 0;
    pd = matmulPd(eng, srcT, weiT, dstT, m, k, n, 0);
  }
  printf("impl %s\n", implName(pd));
  if (isInt8)
    printf("src_zero_point %d\n", zeroPoint ? 128 : 0);

  // Reorder B once from plain [K, N] to the primitive's layout.
  dnnl_memory_desc_t bPlainMd = plainMd(k, n, weiT, dnnl_ab);
  const dnnl_memory_desc_t *weiMd =
      dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
  dnnl_memory_t bPlain = makeMemory(eng, &bPlainMd, bq);
  dnnl_memory_t wei = makeMemory(eng, weiMd, DNNL_MEMORY_ALLOCATE);
  dnnl_primitive_desc_t reorderPd;
  dnnl_primitive_t reorder;
  CHECK(dnnl_reorder_primitive_desc_create(&reorderPd, &bPlainMd, eng, weiMd,
                                           eng, NULL));
  CHECK(dnnl_primitive_create(&reorder, reorderPd));
  dnnl_exec_arg_t reorderArgs[] = {{DNNL_ARG_FROM, bPlain}, {DNNL_ARG_TO, wei}};
  CHECK(dnnl_primitive_execute(reorder, stream, 2, reorderArgs));
  CHECK(dnnl_stream_wait(stream));

  dnnl_memory_desc_t srcMd = plainMd(m, k, srcT, dnnl_ab);
  dnnl_memory_desc_t dstMd = plainMd(m, n, dstT, dnnl_ab);
  dnnl_memory_desc_t zpMd;
  dnnl_dims_t one = {1};
  CHECK(dnnl_memory_desc_init_by_tag(&zpMd, 1, one, dnnl_s32, dnnl_a));
  int32_t zpValue = 128;
  void *c = alignedAlloc(m * n * 4);
  dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, makeMemory(eng, &srcMd, aq)},
                            {DNNL_ARG_WEIGHTS, wei},
                            {DNNL_ARG_DST, makeMemory(eng, &dstMd, c)},
                            {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC,
                             makeMemory(eng, &zpMd, &zpValue)}};
  dnnl_primitive_t matmul;
  CHECK(dnnl_primitive_create(&matmul, pd));

  // The activations from float32 to the source's type (int8: scaled by
  // 1 / sa and shifted by 128, as above) by oneDNN's reorder.
  dnnl_memory_desc_t aF32Md = plainMd(m, k, dnnl_f32, dnnl_ab);
  dnnl_primitive_attr_t srcAttr;
  CHECK(dnnl_primitive_attr_create(&srcAttr));
  if (isInt8) {
    float inv = 1 / sa;
    CHECK(dnnl_primitive_attr_set_output_scales(srcAttr, 1, 0, &inv));
    CHECK(dnnl_primitive_attr_set_zero_points(srcAttr, DNNL_ARG_DST, 1, 0,
                                              &zpValue));
  }
  dnnl_primitive_desc_t srcReorderPd;
  CHECK(dnnl_reorder_primitive_desc_create(&srcReorderPd, &aF32Md, eng,
                                           &srcMd, eng, srcAttr));
  dnnl_primitive_t srcReorder;
  CHECK(dnnl_primitive_create(&srcReorder, srcReorderPd));
  dnnl_exec_arg_t srcReorderArgs[] = {
      {DNNL_ARG_FROM, makeMemory(eng, &aF32Md, a)},
      {DNNL_ARG_TO, args[0].memory}};

  double *times = malloc(sizeof(double) * reps);
  for (int r = -3; r < reps; ++r) {
    memset(c, 0x7f, m * n * 4);
    double t0 = nowMs();
    if (timeReorder)
      CHECK(dnnl_primitive_execute(srcReorder, stream, 2, srcReorderArgs));
    CHECK(dnnl_primitive_execute(matmul, stream, zeroPoint ? 4 : 3, args));
    CHECK(dnnl_stream_wait(stream));
    if (r >= 0)
      times[r] = nowMs() - t0;
  }

  // Check 16 pseudo-random outputs against a double reference computed from
  // the same rounded/quantized inputs (exact for int8).
  double maxErr = 0, maxRef = 0;
  uint64_t seed = 12345;
  for (int s = 0; s < 16; ++s) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    long i = (long)((seed >> 33) % m), j = (long)((seed >> 11) % n);
    double ref = 0, got;
    for (long p = 0; p < k; ++p) {
      if (isInt8)
        ref += (double)(((uint8_t *)aq)[i * k + p] - (zeroPoint ? 128 : 0)) *
               ((int8_t *)bq)[p * n + j];
      else
        ref += fromBf16(((uint16_t *)aq)[i * k + p]) *
               fromBf16(((uint16_t *)bq)[p * n + j]);
    }
    got = isInt8 ? ((int32_t *)c)[i * n + j] : ((float *)c)[i * n + j];
    maxErr = absd(got - ref) > maxErr ? absd(got - ref) : maxErr;
    maxRef = absd(ref) > maxRef ? absd(ref) : maxRef;
  }
  printf("max_rel_err %.3g\n", maxErr / (maxRef > 0 ? maxRef : 1));

  printMedian(times, reps);
  return 0;
}
