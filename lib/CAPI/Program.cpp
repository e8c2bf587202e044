//===- Program.cpp - compile a function and call it, for the C API --------===//

#include "xf-c/Program.h"

#include "xf/InitXf.h"
#include "xf/Runtime/FunctionInputs.h"
#include "xf/Runtime/HostTensor.h"
#include "xf/Runtime/JitFunction.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::xf::runtime;

// XfDType's values are DType's: buffers convert by a cast.
static_assert(static_cast<int>(DType::F16) == XF_F16 &&
                  static_cast<int>(DType::Bool) == XF_BOOL,
              "XfDType and DType disagree");

namespace {
struct Signature {
  std::vector<int64_t> shape;
  DType dtype;
};
} // namespace

struct XfProgram {
  MLIRContext context;
  std::unique_ptr<JitFunction> jit;
  std::vector<Signature> inputs, results;
  /// What each input is for (token ids, cache lengths, offsets...): the
  /// values a call must not pass are checked against it.
  std::vector<ArgInfo> roles;
  /// The packed weights, once packed (see JitFunction::Packing).
  std::vector<HostTensor> packed;
  bool packedValid = false;
  /// The weight buffers they were packed from: other buffers repack.
  std::vector<const void *> packedFrom;
};

static char *copyString(const std::string &text) {
  char *out = static_cast<char *>(std::malloc(text.size() + 1));
  if (out)
    std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

static void setError(char **error, const std::string &text) {
  if (error)
    *error = copyString(text);
}

static std::string describe(ArrayRef<int64_t> shape, DType dtype) {
  std::string text = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(d);
  return text + "] " + dtypeName(dtype).str();
}

static void describeSignature(std::vector<Signature> &out, TypeRange types,
                              std::string &problem, StringRef what) {
  for (auto [i, t] : llvm::enumerate(types)) {
    auto type = dyn_cast<RankedTensorType>(t);
    std::optional<DType> dtype =
        type ? dtypeOf(type.getElementType()) : std::nullopt;
    if (!type || !type.hasStaticShape() || !dtype) {
      problem = llvm::formatv("{0} #{1} is not a tensor of static shape and a "
                              "supported element type",
                              what, i);
      return;
    }
    out.push_back(
        {std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
         *dtype});
  }
}

XfProgram *xfProgramCompile(const char *mlirText, const char *entry,
                            const char *options, char **error) {
  if (!mlirText || !entry) {
    setError(error, "xfProgramCompile: null module text or entry name");
    return nullptr;
  }
  auto program = std::make_unique<XfProgram>();
  DialectRegistry registry;
  xf::registerXfAndUpstreamDialects(registry);
  program->context.appendDialectRegistry(registry);
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&program->context, [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      diagnostics += (diagnostics.empty() ? "" : "\n") +
                     llvm::formatv("{0}: {1}", d.getLocation(), d.str()).str();
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(mlirText, &program->context);
  if (!module) {
    setError(error, diagnostics);
    return nullptr;
  }
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal()) {
    setError(error, llvm::formatv("xfProgramCompile: no function @{0} with a "
                                  "body in the module",
                                  entry));
    return nullptr;
  }
  std::string problem;
  describeSignature(program->inputs, func.getArgumentTypes(), problem, "input");
  if (problem.empty())
    describeSignature(program->results, func.getResultTypes(), problem,
                      "result");
  if (!problem.empty()) {
    setError(error,
             "xfProgramCompile: @" + std::string(entry) + ": " + problem);
    return nullptr;
  }
  for (BlockArgument arg : func.getArguments())
    program->roles.push_back(classifyArgument(arg));
  xf::CpuPipelineOptions pipeline;
  if (options && *options && failed(pipeline.parseFromString(options))) {
    setError(error, "xfProgramCompile: invalid pipeline options '" +
                        std::string(options) + "'");
    return nullptr;
  }
  applyHostDefaults(pipeline);
  if (!pipeline.packWeightsOnce.hasValue())
    pipeline.packWeightsOnce = true;
  pipeline.barePtrCallConv = true;
  // The module is the program's own: its weights' blobs can go once packed.
  pipeline.releaseWeights = true;
  if (failed(pipeline.kernelOptions().verify([&](const llvm::Twine &msg) {
        setError(error, "xfProgramCompile: " + msg.str());
        return failure();
      })))
    return nullptr;
  auto jit = JitFunction::compile(*module, entry, pipeline);
  if (!jit) {
    std::string reason = llvm::toString(jit.takeError());
    setError(error, diagnostics.empty() ? reason : diagnostics);
    return nullptr;
  }
  program->jit = std::move(*jit);
  return program.release();
}

void xfProgramDestroy(XfProgram *program) { delete program; }

int64_t xfProgramNumInputs(const XfProgram *program) {
  return program ? static_cast<int64_t>(program->inputs.size()) : 0;
}
int64_t xfProgramNumResults(const XfProgram *program) {
  return program ? static_cast<int64_t>(program->results.size()) : 0;
}

static XfTensorInfo info(const std::vector<Signature> &list, int64_t i) {
  if (i < 0 || i >= static_cast<int64_t>(list.size()))
    return {-1, nullptr, XF_F32};
  const Signature &s = list[i];
  return {static_cast<int64_t>(s.shape.size()), s.shape.data(),
          static_cast<XfDType>(s.dtype)};
}
XfTensorInfo xfProgramInput(const XfProgram *program, int64_t i) {
  return program ? info(program->inputs, i) : XfTensorInfo{-1, nullptr, XF_F32};
}
XfTensorInfo xfProgramResult(const XfProgram *program, int64_t i) {
  return program ? info(program->results, i)
                 : XfTensorInfo{-1, nullptr, XF_F32};
}

/// Checks `buffers` against `expected`; the first mismatch, named.
static std::string check(const XfBuffer *buffers, int64_t count,
                         const std::vector<Signature> &expected,
                         StringRef what) {
  if (count != static_cast<int64_t>(expected.size()))
    return llvm::formatv("expected {0} {1}s, got {2}", expected.size(), what,
                         count);
  if (count && !buffers)
    return llvm::formatv("null array of {0}s", what);
  for (int64_t i = 0; i < count; ++i) {
    const XfBuffer &b = buffers[i];
    const Signature &s = expected[i];
    bool sameShape = b.rank == static_cast<int64_t>(s.shape.size()) &&
                     (b.rank == 0 || b.shape) &&
                     std::equal(s.shape.begin(), s.shape.end(),
                                b.shape ? b.shape : s.shape.data());
    if (!sameShape || static_cast<int>(b.dtype) != static_cast<int>(s.dtype)) {
      // The caller's sizes are read only where its rank is the expected
      // one: a wrong rank may not be the length of its shape array.
      std::string got = "rank " + std::to_string(b.rank);
      if (b.rank == static_cast<int64_t>(s.shape.size()) &&
          (b.rank == 0 || b.shape) && b.dtype >= XF_F32 && b.dtype <= XF_BOOL)
        got = describe(ArrayRef<int64_t>(b.shape, b.rank),
                       static_cast<DType>(b.dtype));
      return llvm::formatv("{0} #{1}: expected {2}, got {3}", what, i,
                           describe(s.shape, s.dtype), got);
    }
    if (!b.data)
      return llvm::formatv("{0} #{1}: null data", what, i);
    // Compiled code reads whole elements: a pointer between two is not a
    // buffer of this type.
    size_t size = dtypeSize(static_cast<DType>(b.dtype));
    if (reinterpret_cast<uintptr_t>(b.data) % size)
      return llvm::formatv("{0} #{1}: data at {2} is not aligned to its {3}-"
                           "byte elements",
                           what, i, b.data, size);
  }
  return "";
}

int xfProgramCall(XfProgram *program, const XfBuffer *inputs, int64_t numInputs,
                  const XfBuffer *results, int64_t numResults, char **error) {
  if (!program) {
    setError(error, "xfProgramCall: null program");
    return 1;
  }
  std::string problem = check(inputs, numInputs, program->inputs, "input");
  if (problem.empty())
    problem = check(results, numResults, program->results, "result");
  // Values the compiled code would clamp or read past a buffer with.
  for (int64_t i = 0; problem.empty() && i < numInputs; ++i) {
    const XfBuffer &b = inputs[i];
    std::string bad = checkInput(
        program->roles[i], static_cast<DType>(b.dtype), b.data,
        ShapedType::getNumElements(ArrayRef<int64_t>(b.shape, b.rank)));
    if (!bad.empty())
      problem = llvm::formatv("input #{0}: {1}", i, bad);
  }
  if (!problem.empty()) {
    setError(error, "xfProgramCall: " + problem);
    return 1;
  }
  const JitFunction &jit = *program->jit;
  auto refs = [](const XfBuffer *buffers, int64_t count) {
    SmallVector<BufferRef> out;
    for (int64_t i = 0; i < count; ++i)
      out.push_back(
          BufferRef{buffers[i].data,
                    ArrayRef<int64_t>(buffers[i].shape, buffers[i].rank)});
    return out;
  };
  SmallVector<BufferRef> in = refs(inputs, numInputs),
                         out = refs(results, numResults);
  if (jit.packing) {
    std::vector<const void *> from;
    for (int64_t i : jit.packing->inputs)
      from.push_back(inputs[i].data);
    if (!program->packedValid || from != program->packedFrom) {
      llvm::Expected<std::vector<HostTensor>> packed = jit.packWeights(in);
      if (!packed) {
        setError(error, "xfProgramCall: " + llvm::toString(packed.takeError()));
        return 1;
      }
      program->packed = std::move(*packed);
      program->packedFrom = from;
      program->packedValid = true;
    }
  }
  jit.call(jit.stepBuffers(in, program->packed, out));
  jit.copyTiedResults(in, out);
  return 0;
}

void xfProgramRepack(XfProgram *program) {
  if (program)
    program->packedValid = false;
}

void xfFreeString(char *text) { std::free(text); }
