//===- JitFunction.cpp - compile and call one function in-process ---------===//

#include "xf/Runtime/JitFunction.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/TypeUtilities.h"

#include <cstring>

#include "xf/Codegen/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <climits>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace mlir::xf::runtime;

static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

void mlir::xf::runtime::keepFreedMemoryMapped() {
#ifdef __GLIBC__
  // Serve large blocks from the heap and never give it back, so that the
  // buffers a compiled function allocates per call reuse pages already
  // mapped instead of faulting fresh ones in (a page fault costs about
  // 2 ms per MB in the 2-core VMs xf is developed on).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

int64_t mlir::xf::runtime::hostVectorWidth() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512f") ? 16 : 8;
}

bool mlir::xf::runtime::hostHasInt8Dot() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512f") && features.lookup("avx512vnni");
}

bool mlir::xf::runtime::hostHasBf16Dot() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx512f") && features.lookup("avx512bf16");
}

bool mlir::xf::runtime::hostHasAmx() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("amx-tile") && features.lookup("amx-bf16") &&
         features.lookup("amx-int8");
}

llvm::Error mlir::xf::runtime::requestAmx() {
#ifdef __linux__
  // The request is granted to the whole process; errno 0 once it is.
  static const int refusal = [] {
    constexpr long archReqXcompPerm = 0x1023, xfeatureXtiledata = 18;
    return syscall(SYS_arch_prctl, archReqXcompPerm, xfeatureXtiledata) == 0
               ? 0
               : errno;
  }();
  if (refusal == 0)
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::Twine("Linux refused the AMX tile state (arch_prctl "
                  "ARCH_REQ_XCOMP_PERM): ") +
          std::strerror(refusal));
#else
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "AMX tiles need Linux's arch_prctl");
#endif
}

llvm::Expected<std::unique_ptr<JitFunction>> JitFunction::compile(
    mlir::ModuleOp module, llvm::StringRef name,
    const mlir::xf::CpuPipelineOptions &options,
    llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)> configure) {
  auto fail = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  keepFreedMemoryMapped();
  // AMX code runs here: the host must have the tiles and grant their state.
  if (options.amx && options.fast) {
    if (!hostHasAmx())
      return fail("amx=true, but this host has no AMX tiles (tile, bf16, "
                  "int8)");
    if (llvm::Error e = requestAmx())
      return std::move(e);
  }
  auto result = std::make_unique<JitFunction>();
  result->descriptors = !options.barePtrCallConv;
  if (auto func = module.lookupSymbol<mlir::func::FuncOp>(name))
    for (mlir::Type t : func.getResultTypes()) {
      std::optional<DType> dtype = dtypeOf(mlir::getElementTypeOrSelf(t));
      result->resultElementBytes.push_back(dtype ? dtypeSize(*dtype) : 0);
    }
  auto start = std::chrono::steady_clock::now();
  mlir::PassManager pm(module.getContext());
  mlir::xf::buildCpuPipeline(pm, options);
  if (configure && mlir::failed(configure(pm)))
    return fail("invalid pass manager options");
  if (mlir::failed(pm.run(module)))
    return fail("compilation of @" + name + " failed");
  result->pipelineSeconds = secondsSince(start);
  // The step function's convention, as the pipeline recorded it.
  mlir::Operation *step = module.lookupSymbol(name);
  std::string packName;
  if (step)
    if (llvm::Error e = result->readConvention(step, packName))
      return std::move(e);

  start = std::chrono::steady_clock::now();
  if (llvm::Error e = result->takeConstants(module))
    return std::move(e);
  mlir::DialectRegistry registry;
  mlir::registerAllToLLVMIRTranslations(registry);
  module.getContext()->appendDialectRegistry(registry);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // The host's CPU and features, so that LLVM vectorizes for AVX-512 where
  // the machine has it.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  llvm::CodeGenOptLevel level = options.llvmOptLevel;
  machineBuilder->setCodeGenOptLevel(level);
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  // ExecutionEngineOptions holds the transformer by reference.
  auto transformer = mlir::makeOptimizingTransformer(
      static_cast<unsigned>(level), 0, machine->get());
  mlir::ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  // Threaded kernels call the OpenMP runtime.
  llvm::StringRef sharedLibs[] = {XF_OPENMP_RUNTIME};
  engineOptions.sharedLibPaths = sharedLibs;
  engineOptions.jitCodeGenOptLevel = level;
  auto engine = mlir::ExecutionEngine::create(module, engineOptions);
  if (!engine)
    return engine.takeError();
  result->engine = std::move(*engine);
  result->engine->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    for (const BoundConstant &c : result->constants)
      symbols[interner(c.symbol)] = {
          llvm::orc::ExecutorAddr::fromPtr(c.address),
          llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  auto entry = result->engine->lookupPacked(name);
  if (!entry)
    return entry.takeError();
  result->entry = *entry;
  if (!packName.empty()) {
    auto pack = result->engine->lookupPacked(packName);
    if (!pack)
      return pack.takeError();
    result->packEntry = *pack;
  }
  result->llvmSeconds = secondsSince(start);
  return result;
}

// The constants xf-cpu-globals-as-bytes flattened (packed weights: most of
// a model's bytes) would be copied by LLVM into a constant, an object file
// and its loaded section, and translated and emitted on the way. Each
// becomes an external declaration instead, bound to the bytes the compiler
// already holds (or to one copy, where they are not aligned as the code
// assumes).
llvm::Error JitFunction::takeConstants(mlir::ModuleOp module) {
  llvm::Error error = llvm::Error::success();
  module.walk([&](mlir::LLVM::GlobalOp global) {
    auto value = llvm::dyn_cast_or_null<mlir::DenseResourceElementsAttr>(
        global.getValueOrNull());
    mlir::AsmResourceBlob *blob =
        value ? value.getRawHandle().getBlob() : nullptr;
    if (!blob || !global.getConstant() || error)
      return;
    llvm::ArrayRef<char> bytes = blob->getData();
    BoundConstant bound{global.getSymName().str(), bytes.data(), bytes.size(),
                        HostTensor()};
    uint64_t alignment = global.getAlignment().value_or(1);
    if (reinterpret_cast<uintptr_t>(bytes.data()) % alignment != 0) {
      bound.copy = HostTensor(DType::I8, {static_cast<int64_t>(bytes.size())});
      if (!bound.copy.isAllocated()) {
        error = llvm::createStringError(
            "cannot allocate " + llvm::Twine(bytes.size()) +
            " bytes for constant @" + global.getSymName());
        return;
      }
      std::memcpy(bound.copy.data(), bytes.data(), bytes.size());
      bound.address = bound.copy.data();
    }
    constants.push_back(std::move(bound));
    global.removeValueAttr();
    global.setLinkage(mlir::LLVM::Linkage::External);
    global.setDsoLocal(false);
  });
  return error;
}

size_t JitFunction::constantBytes() const {
  size_t bytes = 0;
  for (const BoundConstant &c : constants)
    bytes += c.bytes;
  return bytes;
}

/// Calls a packed-interface entry, which takes a pointer to the storage of
/// each argument of the LLVM function: one pointer per buffer, or the
/// fields of each buffer's memref descriptor (allocated and aligned
/// pointers, offset, sizes, strides).
static void callEntry(void (*entry)(void **), llvm::ArrayRef<BufferRef> buffers,
                      bool descriptors) {
  llvm::SmallVector<int64_t> storage;
  for (const BufferRef &buf : buffers) {
    auto ptr = reinterpret_cast<intptr_t>(buf.data);
    storage.push_back(ptr);
    if (!descriptors)
      continue;
    storage.append({ptr, 0});
    storage.append(buf.shape.begin(), buf.shape.end());
    int64_t stride = 1;
    size_t first = storage.size();
    storage.resize(first + buf.shape.size());
    for (size_t d = buf.shape.size(); d-- > 0;) {
      storage[first + d] = stride;
      stride *= buf.shape[d];
    }
  }
  llvm::SmallVector<void *> args;
  for (int64_t &slot : storage)
    args.push_back(&slot);
  entry(args.data());
}

void JitFunction::call(llvm::ArrayRef<BufferRef> buffers) const {
  callEntry(entry, buffers, descriptors);
}

void JitFunction::pack(llvm::ArrayRef<BufferRef> buffers) const {
  callEntry(packEntry, buffers, descriptors);
}

llvm::Expected<std::vector<HostTensor>>
JitFunction::packWeights(llvm::ArrayRef<BufferRef> inputs) const {
  std::vector<HostTensor> packed;
  if (!packing)
    return packed;
  llvm::SmallVector<BufferRef> buffers;
  for (int64_t i : packing->inputs)
    buffers.push_back(inputs[i]);
  for (auto [i, shape] : llvm::enumerate(packing->shapes)) {
    packed.emplace_back(packing->dtypes[i],
                        std::vector<int64_t>(shape.begin(), shape.end()));
    if (!packed.back().isAllocated())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot allocate packed weight #" +
                                         llvm::Twine(i));
    buffers.push_back(BufferRef{packed.back().data(), packed.back().shape()});
  }
  pack(buffers);
  return packed;
}

llvm::SmallVector<BufferRef>
JitFunction::stepBuffers(llvm::ArrayRef<BufferRef> inputs,
                         llvm::ArrayRef<HostTensor> packed,
                         llvm::ArrayRef<BufferRef> results) const {
  llvm::SmallVector<BufferRef> buffers;
  if (packing) {
    for (int64_t i : packing->stepInputs)
      buffers.push_back(inputs[i]);
    for (const HostTensor &t : packed)
      buffers.push_back(BufferRef{const_cast<void *>(t.data()), t.shape()});
  } else {
    buffers.append(inputs.begin(), inputs.end());
  }
  for (auto [i, r] : llvm::enumerate(results))
    if (i >= tiedResults.size() || tiedResults[i] < 0)
      buffers.push_back(r);
  return buffers;
}

void JitFunction::copyTiedResults(llvm::ArrayRef<BufferRef> inputs,
                                  llvm::ArrayRef<BufferRef> results) const {
  for (auto [i, r] : llvm::enumerate(results)) {
    int64_t arg = i < tiedResults.size() ? tiedResults[i] : -1;
    if (arg < 0 || r.data == inputs[arg].data)
      continue;
    size_t bytes = i < resultElementBytes.size() ? resultElementBytes[i] : 0;
    for (int64_t d : r.shape)
      bytes *= static_cast<size_t>(d);
    std::memcpy(r.data, inputs[arg].data, bytes);
  }
}

llvm::Error JitFunction::readConvention(mlir::Operation *step,
                                        std::string &packName) {
  auto ints = [&](llvm::StringRef attr) {
    llvm::SmallVector<int64_t> v;
    if (auto a = step->getAttrOfType<mlir::DenseI64ArrayAttr>(attr))
      v.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return v;
  };
  mlir::xf::PackingAttrNames names = mlir::xf::getPackingAttrNames();
  if (auto entry = step->getAttrOfType<mlir::FlatSymbolRefAttr>(names.entry)) {
    packName = entry.getValue().str();
    Packing p;
    p.inputs = ints(names.inputs);
    p.stepInputs = ints(names.stepInputs);
    auto types = step->getAttrOfType<mlir::ArrayAttr>(names.packedTypes);
    for (mlir::Attribute t :
         types ? types.getValue() : llvm::ArrayRef<mlir::Attribute>()) {
      auto type = llvm::dyn_cast<mlir::RankedTensorType>(
          llvm::cast<mlir::TypeAttr>(t).getValue());
      std::optional<DType> dtype =
          type ? dtypeOf(type.getElementType()) : std::nullopt;
      if (!type || !type.hasStaticShape() || !dtype)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "packed weights of unsupported type");
      p.shapes.emplace_back(type.getShape().begin(), type.getShape().end());
      p.dtypes.push_back(*dtype);
    }
    packing = std::move(p);
  }
  // Tied results name the step function's arguments; map them back to the
  // source function's.
  tiedResults = ints(mlir::xf::getTiedResultsAttrName());
  if (packing)
    for (int64_t &a : tiedResults)
      if (a >= 0)
        a = a < static_cast<int64_t>(packing->stepInputs.size())
                ? packing->stepInputs[a]
                : -1;
  return llvm::Error::success();
}

void mlir::xf::runtime::applyHostDefaults(
    mlir::xf::CpuPipelineOptions &options) {
  if (!options.vectorWidth.hasValue())
    options.vectorWidth = hostVectorWidth();
  // bf16 and int8 weights stay narrow where the host multiplies them
  // natively (and the code is for AVX-512).
  if (!options.bf16Panels.hasValue())
    options.bf16Panels = options.vectorWidth == 16 && hostHasBf16Dot();
  if (!options.int8Panels.hasValue())
    options.int8Panels = options.vectorWidth == 16 && hostHasInt8Dot();
  // AMX tiles where the host has them, for the bf16 and int8 panels of
  // AVX-512 code.
  if (!options.amx.hasValue())
    options.amx = options.vectorWidth == 16 &&
                  (options.bf16Panels || options.int8Panels) && hostHasAmx();
}
