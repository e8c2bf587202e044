//===- JitFunction.h - compile and call one function in-process -*- C++ -*-===//

#ifndef XF_RUNTIME_JITFUNCTION_H
#define XF_RUNTIME_JITFUNCTION_H

#include "xf/Codegen/CPU/Pipelines.h"
#include "xf/Runtime/HostTensor.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/Error.h"

namespace mlir::xf::runtime {

/// Configures glibc's malloc to keep freed memory mapped, so that the
/// buffers compiled functions allocate on every call do not page-fault every
/// time. JitFunction::compile calls it; programs calling ahead-of-time
/// compiled functions can call it once or set MALLOC_MMAP_THRESHOLD_ and
/// MALLOC_TRIM_THRESHOLD_.
void keepFreedMemoryMapped();

/// f32 lanes of the host's widest vectors the kernels should use: 16 with
/// AVX-512, else 8 (AVX2).
int64_t hostVectorWidth();
/// Whether the host has AVX-512 BF16 dot products (vdpbf16ps).
bool hostHasBf16Dot();
/// Whether the host has AMX tiles with bf16 and int8 products (amx-tile,
/// amx-bf16, amx-int8).
bool hostHasAmx();
/// Asks Linux, once per process, for the AMX tile state that code compiled
/// with the `amx` pipeline option needs before its first tile instruction
/// (arch_prctl ARCH_REQ_XCOMP_PERM); an error where it is refused.
llvm::Error requestAmx();
/// Whether the host has AVX-512 VNNI dot products (vpdpbusd).
bool hostHasInt8Dot();

/// Fills the options a caller left unset for code that runs on this
/// machine: its vector width, and bf16 and int8 panels where it has the dot
/// products (AVX-512 code only). The one rule for xf-run, the C API and
/// xf-translate's host objects.
void applyHostDefaults(mlir::xf::CpuPipelineOptions &options);

/// A dense row-major buffer handed to a compiled function.
struct BufferRef {
  void *data;
  llvm::ArrayRef<int64_t> shape;
};

/// A function compiled by xf-cpu-pipeline and JIT-linked for the host CPU.
/// It takes the inputs in order, then one caller-owned output buffer per
/// result that is not written in place into an input's buffer (see
/// tiedResults): as bare pointers, or, with bare-ptr-calling-convention
/// off (functions compiled for any shape), as memref descriptors whose
/// sizes are the buffers' shapes.
class JitFunction {
public:
  /// Runs the CPU pipeline on `module` (which it rewrites) and JIT-compiles
  /// function `name` for the host. Diagnostics go to the module's context.
  /// `configure` may adjust the pass manager (for example to apply the
  /// --mlir-print-ir-* command-line options).
  static llvm::Expected<std::unique_ptr<JitFunction>>
  compile(mlir::ModuleOp module, llvm::StringRef name,
          const mlir::xf::CpuPipelineOptions &options,
          llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)>
              configure = {});

  /// Calls the function with the inputs, then the outputs.
  void call(llvm::ArrayRef<BufferRef> buffers) const;

  /// Per result of the source function: the source argument whose buffer
  /// holds it after a call (a KV cache updated in place), or -1 for a
  /// result with its own output buffer.
  llvm::SmallVector<int64_t> tiedResults;

  /// With pack-weights-once: the function that packs the weights, to run
  /// once before the calls, and the step function's convention.
  struct Packing {
    /// The source arguments the packing function takes, in order; it
    /// writes one buffer per packed weight after them.
    llvm::SmallVector<int64_t> inputs;
    /// The source arguments the step function takes, in order, before the
    /// packed weights.
    llvm::SmallVector<int64_t> stepInputs;
    /// The shapes and element types (f32, or bf16 pairs) of the packed
    /// weights.
    llvm::SmallVector<llvm::SmallVector<int64_t>> shapes;
    llvm::SmallVector<DType> dtypes;
  };
  std::optional<Packing> packing;

  /// Runs the packing function: its inputs, then the packed weights.
  void pack(llvm::ArrayRef<BufferRef> buffers) const;

  /// The convention in one place, for every caller (xf-run, the C API):
  /// with packing, the panels packed from `inputs` (the source function's
  /// inputs, in order), else none; fails when a panel cannot be allocated.
  llvm::Expected<std::vector<HostTensor>>
  packWeights(llvm::ArrayRef<BufferRef> inputs) const;
  /// The buffers of a call: the step's inputs, the packed panels, then one
  /// per result (`results`, one per source result) not written in place.
  llvm::SmallVector<BufferRef>
  stepBuffers(llvm::ArrayRef<BufferRef> inputs,
              llvm::ArrayRef<HostTensor> packed,
              llvm::ArrayRef<BufferRef> results) const;
  /// After a call: the results written in place into an input copied out
  /// of it into `results`.
  void copyTiedResults(llvm::ArrayRef<BufferRef> inputs,
                       llvm::ArrayRef<BufferRef> results) const;

  /// The constants (packed weights) bound outside the code, and their bytes.
  size_t numConstants() const { return constants.size(); }
  size_t constantBytes() const;

  /// Seconds spent in the pass pipeline and in LLVM.
  double pipelineSeconds = 0, llvmSeconds = 0;

private:
  /// Reads the step function's attributes: packing, tied results.
  llvm::Error readConvention(mlir::Operation *step, std::string &packName);
  /// Takes the large constants (packed weights) out of `module` into
  /// `constants`, leaving external declarations that the engine binds to
  /// them; fails when a copy cannot be allocated.
  llvm::Error takeConstants(mlir::ModuleOp module);

  /// A large constant bound to the code: its bytes where the compiler
  /// keeps them (a resource blob of the module's context, which outlives
  /// this function), or a copy of them where their address does not have
  /// the alignment the code assumes.
  struct BoundConstant {
    std::string symbol;
    const void *address = nullptr;
    size_t bytes = 0;
    HostTensor copy;
  };
  std::vector<BoundConstant> constants;

  /// Bytes per element of each source result (for copyTiedResults).
  llvm::SmallVector<size_t> resultElementBytes;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void (*entry)(void **) = nullptr;
  void (*packEntry)(void **) = nullptr;
  /// Whether memrefs are passed as descriptors rather than bare pointers.
  bool descriptors = false;
};

} // namespace mlir::xf::runtime

#endif // XF_RUNTIME_JITFUNCTION_H
