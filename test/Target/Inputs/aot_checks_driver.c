// Runs step_check_inputs (test/Target/aot-input-checks.mlir's header) on
// valid values, calls the entry, then shows each kind of bad value refused.
#include "step.h"

static void report(int code, const char *error) {
  printf("%d %s\n", code, code ? error : "");
}

int main(void) {
  static float q[8], k[32], v[32], table[400], p[40], o[8], e[24], s[40];
  int32_t len[] = {4}, off[] = {0, 3, 5};
  int64_t ids[] = {0, 7, 49};
  for (int i = 0; i < 32; ++i)
    k[i] = v[i] = 0.1f * (float)(i % 5);
  q[0] = 1;
  char error[256];
  int code = step_check_inputs(len, ids, off, error, sizeof error);
  printf("valid: %d\n", code);
  step(q, k, v, len, ids, table, off, p, o, e, s);
  printf("ran: out0[0] = %g\n", o[0]);
  len[0] = 5;
  report(step_check_inputs(len, ids, off, error, sizeof error), error);
  len[0] = 4;
  ids[1] = -1;
  report(step_check_inputs(len, ids, off, error, sizeof error), error);
  ids[1] = 7;
  off[2] = 2;
  report(step_check_inputs(len, ids, off, error, sizeof error), error);
  off[2] = 5;
  off[1] = 6;
  report(step_check_inputs(len, ids, off, error, sizeof error), error);
  off[1] = 3;
  report(step_check_inputs(0, ids, off, error, sizeof error), error);
  return 0;
}
