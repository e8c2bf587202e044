//===- RunSession.cpp - what one xf-run invocation does -------------------===//

#include "RunSession.h"

#include "xf/Dialect/ConstantBytes.h"
#include "xf/Dialect/XfOps.h"
#include "xf/InitXf.h"
#include "xf/Reference/Evaluator.h"
#include "xf/Runtime/FunctionInputs.h"
#include "xf/Runtime/JitFunction.h"
#include "xf/Runtime/Npy.h"
#include "xf/Target/OnnxImport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::xf::runtime;
using namespace mlir::xf::tools;
using llvm::errs;
using llvm::outs;

namespace {

/// Reports "xf-run: error: ..." and yields an exit code.
int fail(int code, const llvm::Twine &msg) {
  errs() << "xf-run: error: " << msg << "\n";
  return code;
}

bool givenOnCommandLine(llvm::StringRef flag) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find(flag);
  return it != options.end() && it->second->getNumOccurrences() > 0;
}

/// Fails on a buffer that could not be allocated.
LogicalResult checkAllocated(const HostTensor &t, const llvm::Twine &what) {
  if (t.isAllocated())
    return success();
  if (t.numBytes() == SIZE_MAX)
    fail(BadInput, "cannot allocate " + what + ": " + t.describe() +
                       " needs more than 2^64 bytes");
  else
    fail(BadInput,
         "cannot allocate " + llvm::Twine(t.numBytes()) + " bytes for " + what);
  return failure();
}

/// The function to run: `name`, or the module's only function, or its only
/// public one.
FailureOr<func::FuncOp> findFunction(ModuleOp module, StringRef name,
                                     StringRef file) {
  SmallVector<func::FuncOp> funcs;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal())
      funcs.push_back(f);
  std::string names;
  for (func::FuncOp f : funcs)
    names += (names.empty() ? "@" : ", @") + f.getSymName().str();
  if (!name.empty()) {
    for (func::FuncOp f : funcs)
      if (f.getSymName() == name)
        return f;
    fail(BadInput, "no function @" + name + " in " + file +
                       (names.empty() ? "" : " (it has " + names + ")"));
    return failure();
  }
  if (funcs.size() == 1)
    return funcs.front();
  // Private functions (outlined layers, imported ONNX functions) are
  // called, not entry points.
  SmallVector<func::FuncOp> entries;
  for (func::FuncOp f : funcs)
    if (f.isPublic())
      entries.push_back(f);
  if (entries.size() == 1)
    return entries.front();
  fail(BadInput, file + " has " + llvm::Twine(funcs.size()) +
                     " functions; pick one with -e" +
                     (names.empty() ? "" : " (" + names + ")"));
  return failure();
}

/// Checks that every argument and result is a tensor xf-run can exchange.
LogicalResult checkSignature(func::FuncOp func) {
  auto supported = [](Type t) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    return tensor && dtypeOf(tensor.getElementType());
  };
  for (auto [i, t] : llvm::enumerate(func.getArgumentTypes()))
    if (!supported(t))
      return func.emitError("argument #")
             << i << " has type " << t
             << "; xf-run passes ranked tensors of f32, f64, bf16, f16, i8, "
                "i32 or i64";
  for (auto [i, t] : llvm::enumerate(func.getResultTypes()))
    if (!supported(t))
      return func.emitError("result #")
             << i << " has type " << t
             << "; xf-run returns ranked tensors of f32, f64, bf16, f16, i8, "
                "i32 or i64";
  return success();
}

/// Loads the --input files and checks them against the signature.
FailureOr<std::vector<HostTensor>> loadInputs(func::FuncOp func,
                                              ArrayRef<std::string> files) {
  std::vector<HostTensor> result;
  if (files.size() != func.getNumArguments()) {
    fail(BadInput, "@" + func.getSymName() + " takes " +
                       llvm::Twine(func.getNumArguments()) + " arguments but " +
                       llvm::Twine(files.size()) + " --input files were given");
    return failure();
  }
  for (auto [i, file] : llvm::enumerate(files)) {
    llvm::Expected<HostTensor> t = readNpy(file);
    if (!t) {
      fail(BadInput, llvm::toString(t.takeError()));
      return failure();
    }
    auto type = cast<RankedTensorType>(func.getArgumentTypes()[i]);
    DType want = *dtypeOf(type.getElementType());
    std::string where = llvm::formatv("{0}: argument #{1} of @{2} is {3}", file,
                                      i, func.getSymName(), type);
    if (t->dtype() == DType::F32 &&
        (want == DType::BF16 || want == DType::F16)) {
      // Weights kept in f32 are rounded to the argument's type.
      HostTensor narrow(
          want, std::vector<int64_t>(t->shape().begin(), t->shape().end()));
      if (!narrow.isAllocated()) {
        fail(BadInput, where + ": cannot allocate " + narrow.describe());
        return failure();
      }
      for (int64_t k = 0, n = t->numElements(); k < n; ++k)
        narrow.setDouble(k, t->getDouble(k));
      *t = std::move(narrow);
    }
    if (t->dtype() != want) {
      fail(BadInput, where + ", but the file holds " + dtypeName(t->dtype()));
      return failure();
    }
    if (failed(verifyCompatibleShape(type.getShape(), t->shape()))) {
      fail(BadInput, where + ", but the file has shape " + t->describe());
      return failure();
    }
    result.push_back(std::move(*t));
  }
  return result;
}

/// Values the compiled code would clamp silently (token ids outside their
/// table, valid lengths past the cache, offsets that leave the tokens) are
/// refused.
LogicalResult checkInputValues(func::FuncOp func, ArrayRef<HostTensor> inputs,
                               ArrayRef<std::string> files) {
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    std::string error = checkInput(classifyArgument(arg), inputs[i]);
    if (!error.empty()) {
      fail(BadInput, llvm::formatv("{0}: argument #{1} of @{2}: {3}", files[i],
                                   i, func.getSymName(), error));
      return failure();
    }
  }
  return success();
}

FailureOr<std::vector<HostTensor>> randomInputs(func::FuncOp func,
                                                uint64_t seed) {
  std::vector<HostTensor> result;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (!type.hasStaticShape()) {
      fail(BadInput,
           llvm::formatv("argument #{0} of @{1} has the dynamic type {2}; "
                         "give its value with --input",
                         i, func.getSymName(), type)
               .str());
      return failure();
    }
    result.push_back(randomInput(type, classifyArgument(arg), seed, i));
    if (failed(checkAllocated(result.back(), "argument #" + llvm::Twine(i))))
      return failure();
  }
  return result;
}

LogicalResult writeAll(StringRef dir, StringRef stem,
                       ArrayRef<HostTensor> tensors) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    fail(BadInput, "cannot create " + dir + ": " + ec.message());
    return failure();
  }
  for (auto [i, t] : llvm::enumerate(tensors)) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, stem + llvm::Twine(i) + ".npy");
    if (llvm::Error e = writeNpy(path, t)) {
      fail(BadInput, llvm::toString(std::move(e)));
      return failure();
    }
  }
  return success();
}

/// max |out - ref| / max |ref|; infinite when the output has a NaN or inf
/// that the reference does not.
double maxRelativeError(const HostTensor &out, const xf::ref::Tensor &ref) {
  double maxErr = 0, maxRef = 0;
  for (int64_t k = 0; k < out.numElements(); ++k) {
    double o = out.getDouble(k), r = ref.data[k];
    if (std::isnan(o) != std::isnan(r))
      return INFINITY;
    if (std::isnan(o))
      continue;
    maxErr = std::max(maxErr, std::fabs(o - r));
    maxRef = std::max(maxRef, std::fabs(r));
  }
  if (std::isnan(maxErr))
    return INFINITY;
  return maxRef > 0 ? maxErr / maxRef : maxErr;
}

void printSummary(unsigned index, const HostTensor &t) {
  double sum = 0;
  for (int64_t k = 0; k < t.numElements(); ++k)
    sum += t.getDouble(k);
  outs() << llvm::formatv("result #{0}: {1} sum={2:e3} first=[", index,
                          t.describe(), sum);
  for (int64_t k = 0; k < std::min<int64_t>(4, t.numElements()); ++k)
    outs() << (k ? ", " : "") << llvm::formatv("{0:e4}", t.getDouble(k));
  outs() << (t.numElements() > 4 ? ", ...]\n" : "]\n");
}

/// Replaces the weight-like arguments of `func` by constants holding their
/// values, and drops them from the signature and from `inputs`.
void freezeWeights(func::FuncOp func, std::vector<HostTensor> &inputs) {
  OpBuilder b(func.getBody());
  llvm::BitVector frozen(func.getNumArguments());
  for (BlockArgument arg : func.getArguments()) {
    if (!isParameter(classifyArgument(arg).role))
      continue;
    // Each weight's bytes move into a blob (freed as they are packed):
    // never two copies of the model.
    HostTensor &t = inputs[arg.getArgNumber()];
    auto type = cast<RankedTensorType>(arg.getType());
    ElementsAttr value = xf::blobConstant(
        type,
        ArrayRef<char>(static_cast<const char *>(t.data()), t.numBytes()));
    t = HostTensor();
    arg.replaceAllUsesWith(
        arith::ConstantOp::create(b, arg.getLoc(), cast<TypedAttr>(value)));
    frozen.set(arg.getArgNumber());
  }
  (void)func.eraseArguments(frozen);
  std::vector<HostTensor> kept;
  for (auto [i, t] : llvm::enumerate(inputs))
    if (!frozen.test(i))
      kept.push_back(std::move(t));
  inputs = std::move(kept);
}

/// The input rounding of the compiled products that take `weight` as their
/// weight, as the kernel options decide it (xf-run's model of them).
xf::ref::InputRounding compiledRounding(Value weight,
                                        const xf::cpu::KernelOptions &kernels) {
  using xf::ref::InputRounding;
  if (auto d = weight.getDefiningOp<xf::DequantizeOp>();
      d && kernels.usesInt8Panels(d.getGroupSize()))
    return {InputRounding::Int8Rows, static_cast<int64_t>(d.getAxis())};
  if (kernels.usesBf16Panels(getElementTypeOrSelf(weight.getType())))
    return {InputRounding::Bf16, 0};
  return {};
}

/// The coarsest input rounding of the products in `func`; an xf op with a
/// 16-bit float result (bf16 or f16 activations) rounds like bf16 inputs
/// at least.
xf::ref::InputRounding::Kind
coarsestRounding(func::FuncOp func, const xf::cpu::KernelOptions &kernels) {
  auto coarsest = xf::ref::InputRounding::None;
  func.walk([&](Operation *op) {
    if (isa<xf::LinearOp, xf::MlpOp, xf::BlockOp>(op))
      for (Value v : op->getOperands())
        coarsest = std::max(coarsest, compiledRounding(v, kernels).kind);
    if (isa<xf::XfDialect>(op->getDialect()) &&
        llvm::any_of(op->getResultTypes(), [](Type t) {
          auto f = dyn_cast<FloatType>(getElementTypeOrSelf(t));
          return f && f.getWidth() == 16;
        }))
      coarsest = std::max(coarsest, xf::ref::InputRounding::Bf16);
  });
  return coarsest;
}

/// The --check tolerance the compiled precision implies, relative to the
/// result's largest magnitude: 1e-4 for f32 products; where the
/// activations are rounded to bf16 (8 significant bits, a relative error up
/// to 2^-9 each), 2^-6 allows for four such units; where they are
/// quantized per row to 127 steps of their largest magnitude (an error up
/// to 2^-8 of it each), 2^-5 allows for the sum over K of such errors.
/// toleranceOnInputs adds what cancellation costs on the given data.
double defaultTolerance(xf::ref::InputRounding::Kind rounding) {
  switch (rounding) {
  case xf::ref::InputRounding::Int8Rows:
    return 1.0 / 32;
  case xf::ref::InputRounding::Bf16:
    return 1.0 / 64;
  case xf::ref::InputRounding::None:
    break;
  }
  return 1e-4;
}

/// The largest change that rounding the products' inputs as the kernels do
/// makes to the reference (`modelled` against `exact`), relative to its
/// magnitude. A product whose result nearly cancels can lose more than the
/// default tolerance to that rounding: the error the format implies on
/// these data. --check allows twice this change on top of the default, for
/// inputs that the kernel and the model round to neighbouring steps.
double roundingChange(const xf::ref::Tensor &exact,
                      const xf::ref::Tensor &modelled) {
  double change = 0, magnitude = 0;
  for (size_t k = 0; k < exact.data.size(); ++k) {
    double d = std::fabs(modelled.data[k] - exact.data[k]);
    if (!std::isnan(d))
      change = std::max(change, d);
    if (!std::isnan(exact.data[k]))
      magnitude = std::max(magnitude, std::fabs(exact.data[k]));
  }
  return magnitude > 0 ? change / magnitude : change;
}

/// Drops the functions that `entry` does not call, so that another
/// function's shapes or ops never stop the entry from compiling.
void keepOnlyEntry(ModuleOp module, StringRef entry) {
  for (auto f : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (f.getSymName() != entry && SymbolTable::symbolKnownUseEmpty(f, module))
      f.erase();
}

} // namespace

int xf::tools::runSession(const RunConfig &config) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mlir::xf::registerAllXfDialects(registry);
  MLIRContext context(registry);
  // An error in a lowered function would print the whole function after
  // it; --mlir-print-op-on-diagnostic asks for that explicitly.
  if (!givenOnCommandLine("mlir-print-op-on-diagnostic"))
    context.printOpOnDiagnostic(false);

  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  // An ONNX model is imported in-process (no text of its weights on the
  // way, and its bytes held once); anything else is MLIR.
  OwningOpRef<ModuleOp> module;
  if (StringRef(config.file).ends_with(".onnx")) {
    module = importOnnxFile(config.file, &context);
  } else {
    std::string errorMessage;
    auto buffer = openInputFile(config.file, &errorMessage);
    if (!buffer)
      return fail(BadInput, errorMessage);
    sourceMgr->AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  if (!module)
    return BadInput;

  auto options =
      mlir::xf::CpuPipelineOptions::createFromString(config.pipelineOptions);
  if (!options)
    return fail(BadInput, "invalid --pipeline-options");
  // Code for this machine, unless the options say; weights given as
  // arguments packed once, as a deployment loads them.
  applyHostDefaults(*options);
  if (!options->packWeightsOnce.hasValue())
    options->packWeightsOnce = true;
  // Functions compiled for any shape take memref descriptors.
  if (config.dynamic) {
    if (config.constantWeights)
      return fail(BadInput, "--dynamic compiles the function as written; it "
                            "does not take --constant-weights");
    options->barePtrCallConv = false;
  }
  if (failed(options->kernelOptions().verify([](const llvm::Twine &msg) {
        fail(BadInput, "--pipeline-options: " + msg);
        return failure();
      })))
    return BadInput;

  FailureOr<func::FuncOp> found =
      findFunction(*module, config.entry, config.file);
  if (failed(found) || failed(checkSignature(*found)))
    return BadInput;
  func::FuncOp func = *found;
  // With --dynamic, the function is compiled as written; the specialized
  // copy below only gives the reference, the FLOPs and the result shapes.
  OwningOpRef<ModuleOp> asWritten;
  if (config.dynamic)
    asWritten = module->clone();

  FailureOr<std::vector<HostTensor>> inputs =
      config.inputs.empty() ? randomInputs(func, config.seed)
                            : loadInputs(func, config.inputs);
  // Values (token ids, positions, kv_len, seq_offsets, block masks) are
  // checked once the shapes are specialized, so that a dynamic table or
  // cache has its size.
  if (failed(inputs) || failed(specializeShapes(func, *inputs)) ||
      (!config.inputs.empty() &&
       failed(checkInputValues(func, *inputs, config.inputs))))
    return BadInput;
  if (config.dynamic &&
      failed(checkDynamicBroadcasts(
          asWritten->lookupSymbol<func::FuncOp>(func.getSymName()), func)))
    return BadInput;
  if (!config.dumpInputDir.empty() &&
      failed(writeAll(config.dumpInputDir, "input", *inputs)))
    return BadInput;
  outs() << llvm::formatv("xf-run: @{0}: {1} argument(s) ({2}), {3} "
                          "result(s)\n",
                          func.getSymName(), inputs->size(),
                          config.inputs.empty()
                              ? "random, seed " + std::to_string(config.seed)
                              : std::string("from .npy files"),
                          func.getNumResults());

  if (config.constantWeights)
    freezeWeights(func, *inputs);

  // The plain lowering multiplies every weight in f32.
  xf::cpu::KernelOptions kernels = options->kernelOptions();
  if (!options->fast)
    kernels.bf16Panels = kernels.int8Panels = false;
  xf::ref::InputRounding::Kind rounding = coarsestRounding(func, kernels);
  double tolerance = config.tolerance.value_or(defaultTolerance(rounding));
  std::vector<xf::ref::Tensor> expected;
  // Per result: the modelled rounding's change (roundingChange), if any.
  std::vector<std::optional<double>> roundingChanges;
  if (config.check) {
    FailureOr<std::vector<xf::ref::Tensor>> ref =
        xf::ref::evaluate(func, *inputs);
    if (failed(ref))
      return BadInput;
    expected = std::move(*ref);
    roundingChanges.resize(expected.size());
    // With low-precision products and no tolerance given, each result's
    // allows for what rounding their inputs does on these data.
    if (!config.tolerance && rounding != xf::ref::InputRounding::None) {
      xf::ref::EvalOptions model;
      model.roundingOf = [&](Value v) { return compiledRounding(v, kernels); };
      FailureOr<std::vector<xf::ref::Tensor>> rounded =
          xf::ref::evaluate(func, *inputs, model);
      if (failed(rounded))
        return BadInput;
      for (size_t i = 0; i < expected.size(); ++i)
        roundingChanges[i] = roundingChange(expected[i], (*rounded)[i]);
    }
  }
  double flops = countFlops(func);
  SmallVector<Type> resultTypes(func.getResultTypes());
  std::string name = func.getSymName().str();

  // The module itself is compiled (it is not needed after): it owns the
  // blobs of its constant weights, freed as they are packed.
  if (!config.dynamic)
    options->releaseWeights = true;
  OwningOpRef<ModuleOp> compiled =
      config.dynamic ? std::move(asWritten) : std::move(module);
  keepOnlyEntry(*compiled, name);
  auto jit =
      JitFunction::compile(*compiled, name, *options, [](PassManager &pm) {
        return applyPassManagerCLOptions(pm);
      });
  if (!jit)
    return fail(CheckFailed, llvm::toString(jit.takeError()));
  outs() << llvm::formatv("xf-run: compiled in {0:f3} s (passes {1:f3} s, "
                          "LLVM {2:f3} s) for {3}, LLVM -O{4}\n",
                          (*jit)->pipelineSeconds + (*jit)->llvmSeconds,
                          (*jit)->pipelineSeconds, (*jit)->llvmSeconds,
                          options->vectorWidth == 16 ? "AVX-512" : "AVX2",
                          static_cast<int>(options->llvmOptLevel.getValue()));
  if ((*jit)->numConstants())
    outs() << llvm::formatv("xf-run: {0} constant(s), {1} bytes, bound "
                            "outside the code\n",
                            (*jit)->numConstants(), (*jit)->constantBytes());

  // The weights' panels first, once, when the pipeline outlined their
  // packing; then the step function's inputs (the packed weights in place
  // of the raw ones), and an output buffer per result that the function
  // does not write in place into an input (a KV cache).
  auto ref = [](HostTensor &t) { return BufferRef{t.data(), t.shape()}; };
  SmallVector<BufferRef> inputRefs;
  for (HostTensor &t : *inputs)
    inputRefs.push_back(ref(t));
  auto packStart = std::chrono::steady_clock::now();
  llvm::Expected<std::vector<HostTensor>> packed =
      (*jit)->packWeights(inputRefs);
  if (!packed)
    return fail(BadInput, llvm::toString(packed.takeError()));
  if (!packed->empty())
    outs() << llvm::formatv(
        "xf-run: packed {0} weight(s) in {1:f3} ms, once, before the calls\n",
        packed->size(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      packStart)
                .count() *
            1e3);
  std::vector<HostTensor> outputs;
  SmallVector<BufferRef> outputRefs;
  for (auto [i, t] : llvm::enumerate(resultTypes)) {
    auto type = cast<RankedTensorType>(t);
    outputs.emplace_back(
        *dtypeOf(type.getElementType()),
        std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
    if (failed(checkAllocated(outputs.back(), "result #" + llvm::Twine(i))))
      return BadInput;
    outputRefs.push_back(ref(outputs.back()));
  }
  SmallVector<BufferRef> buffers =
      (*jit)->stepBuffers(inputRefs, *packed, outputRefs);
  (*jit)->call(buffers);
  (*jit)->copyTiedResults(inputRefs, outputRefs);
  ArrayRef<int64_t> tied = (*jit)->tiedResults;
  for (auto [i, arg] : llvm::enumerate(tied))
    if (arg >= 0)
      outs() << llvm::formatv("xf-run: result #{0} is written in place into "
                              "argument #{1}\n",
                              i, arg);

  int code = Success;
  for (auto [i, out] : llvm::enumerate(outputs)) {
    printSummary(i, out);
    if (!config.check)
      continue;
    double err = maxRelativeError(out, expected[i]);
    std::optional<double> change = roundingChanges[i];
    double allowed = tolerance + (change ? 2 * *change : 0.0);
    bool ok = err <= allowed;
    outs() << llvm::formatv("max_rel_err={0:e2} result=#{1} tolerance={2:e1} ",
                            err, i, allowed);
    if (change)
      outs() << llvm::formatv("({0:e1} + 2 x {1:e1} modelled rounding) ",
                              tolerance, *change);
    outs() << (ok ? "ok\n" : "FAILED\n");
    if (!ok)
      code = CheckFailed;
  }

  if (config.benchRuns > 0) {
    (*jit)->call(buffers); // warm-up: page in the weights and the code
    std::vector<double> times;
    for (unsigned r = 0; r < config.benchRuns; ++r) {
      auto start = std::chrono::steady_clock::now();
      (*jit)->call(buffers);
      times.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    outs() << llvm::formatv("time: median {0:f3} ms over {1} runs (min {2:f3} "
                            "ms), {3:f2} GFLOP/s\n",
                            median * 1e3, times.size(), times.front() * 1e3,
                            flops / median * 1e-9);
  }
  if (!config.dumpOutputDir.empty() &&
      failed(writeAll(config.dumpOutputDir, "output", outputs)))
    return BadInput;
  return code;
}
