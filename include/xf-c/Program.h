/*===- xf-c/Program.h - compile a function and call it, from C ----*- C -*-===*\
|*                                                                            *|
|* A small stable API for hosts that do not use MLIR: compile one function   *|
|* of an MLIR text for this CPU, then call it on caller-owned dense          *|
|* row-major buffers. Every call checks each buffer against the function's   *|
|* signature (count, rank, sizes, element type, null or misaligned data) and *|
|* the values of integer inputs (token ids within their table, cache lengths *|
|* within the capacity, sequence offsets non-decreasing within the tokens),  *|
|* and returns an error naming the argument instead of reading or writing    *|
|* out of bounds.                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef XF_C_PROGRAM_H
#define XF_C_PROGRAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Element types (the values of `XfTensorInfo::dtype` and `XfBuffer::dtype`).
typedef enum {
  XF_F32 = 0,
  XF_F64 = 1,
  XF_I32 = 2,
  XF_I64 = 3,
  XF_I8 = 4,
  XF_BF16 = 5,
  XF_F16 = 6,
  XF_BOOL = 7, /* one byte per element, 0 or 1 */
} XfDType;

/// A dense row-major buffer and what it holds.
typedef struct {
  void *data;
  int64_t rank;
  const int64_t *shape;
  XfDType dtype;
} XfBuffer;

/// The shape and element type of an input or a result.
typedef struct {
  int64_t rank;
  const int64_t *shape;
  XfDType dtype;
} XfTensorInfo;

typedef struct XfProgram XfProgram;

/// Compiles function `entry` of the MLIR module `mlirText` with
/// xf-cpu-pipeline (`options` in its syntax, e.g. "threads=1"; NULL or ""
/// for the defaults, with the host's vector width and dot products) for
/// this CPU. The function must have static shapes. Returns NULL on failure
/// and, when `error` is not NULL, a message to free with xfFreeString.
XfProgram *xfProgramCompile(const char *mlirText, const char *entry,
                            const char *options, char **error);
void xfProgramDestroy(XfProgram *program);

int64_t xfProgramNumInputs(const XfProgram *program);
int64_t xfProgramNumResults(const XfProgram *program);
/// Input or result `i` (the returned shape lives as long as the program).
XfTensorInfo xfProgramInput(const XfProgram *program, int64_t i);
XfTensorInfo xfProgramResult(const XfProgram *program, int64_t i);

/// Runs the function on `inputs` (numInputs of them, in order), writing
/// `results` (numResults caller-owned buffers of the result shapes).
/// Weights that the pipeline packs once are packed on the first call and
/// kept while the same weight buffers come back; other buffers are packed
/// again. Call xfProgramRepack after changing a weight buffer's contents in
/// place. Returns 0, or non-zero with a message in `*error` (free with
/// xfFreeString).
int xfProgramCall(XfProgram *program, const XfBuffer *inputs, int64_t numInputs,
                  const XfBuffer *results, int64_t numResults, char **error);

/// Makes the next call pack the weights again.
void xfProgramRepack(XfProgram *program);

void xfFreeString(char *text);

#ifdef __cplusplus
}
#endif

#endif // XF_C_PROGRAM_H
