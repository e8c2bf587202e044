//===- Aot.cpp - xf modules to objects and C headers ----------------------===//

#include "xf/Target/Aot.h"

#include "xf/Codegen/CPU/Passes.h"
#include "xf/Runtime/JitFunction.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::xf;

FailureOr<SmallVector<EntrySignature>>
xf::readEntrySignatures(ModuleOp module) {
  SmallVector<EntrySignature> entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    EntrySignature entry{func.getSymName().str(), {}, {}, {}};
    auto collect = [&](TypeRange types, SmallVector<RankedTensorType> &out,
                       StringRef what) -> LogicalResult {
      for (auto [i, t] : llvm::enumerate(types)) {
        auto type = dyn_cast<RankedTensorType>(t);
        if (!type || !type.hasStaticShape() ||
            !runtime::dtypeOf(type.getElementType()))
          return func.emitError() << "ahead-of-time output needs tensors of "
                                     "static shape and a C element type; "
                                  << what << " #" << i << " is " << t;
        out.push_back(type);
      }
      return success();
    };
    if (failed(collect(func.getArgumentTypes(), entry.inputs, "input")) ||
        failed(collect(func.getResultTypes(), entry.results, "result")))
      return failure();
    for (BlockArgument arg : func.getArguments())
      entry.roles.push_back(runtime::classifyArgument(arg));
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::unique_ptr<llvm::Module>
xf::compileToLLVM(ModuleOp module, const CpuPipelineOptions &options,
                  llvm::LLVMContext &context) {
  if (failed(options.kernelOptions().verify([&](const Twine &msg) {
        return emitError(module.getLoc(), "--xf-cpu-pipeline-options: " + msg);
      })))
    return nullptr;
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  module.getContext()->appendDialectRegistry(registry);
  PassManager pm(module.getContext());
  buildCpuPipeline(pm, options);
  if (failed(pm.run(module)))
    return nullptr;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    emitError(module.getLoc(), "translation to LLVM IR failed");
  return llvmModule;
}

LogicalResult xf::emitObject(llvm::Module &module, const ObjectTarget &target,
                             llvm::raw_pwrite_stream &os, std::string &error) {
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  llvm::Triple triple(target.triple.empty() ? llvm::sys::getProcessTriple()
                                            : target.triple);
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return failure();
  std::string cpu =
      target.cpu.empty() ? llvm::sys::getHostCPUName().str() : target.cpu;
  std::string features = target.features;
  if (features.empty() && target.cpu.empty() && target.triple.empty()) {
    llvm::SubtargetFeatures host;
    for (const auto &[name, on] : llvm::sys::getHostCPUFeatures())
      host.AddFeature(name, on);
    features = host.getString();
  }
  std::unique_ptr<llvm::TargetMachine> machine(
      t->createTargetMachine(triple, cpu, features, llvm::TargetOptions(),
                             llvm::Reloc::PIC_, std::nullopt, target.optLevel));
  if (!machine) {
    error = "cannot create a target machine for " + triple.str();
    return failure();
  }
  module.setDataLayout(machine->createDataLayout());
  module.setTargetTriple(triple);
  // The same LLVM optimization the JIT runs, then code generation.
  if (llvm::Error e = makeOptimizingTransformer(
          static_cast<unsigned>(target.optLevel), 0, machine.get())(&module)) {
    error = llvm::toString(std::move(e));
    return failure();
  }
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  passes.run(module);
  return success();
}

/// The C type of a buffer's elements.
static StringRef cType(Type elementType) {
  switch (*runtime::dtypeOf(elementType)) {
  case runtime::DType::F32:
    return "float";
  case runtime::DType::F64:
    return "double";
  case runtime::DType::I32:
    return "int32_t";
  case runtime::DType::I64:
    return "int64_t";
  case runtime::DType::I8:
    return "int8_t";
  case runtime::DType::Bool:
    return "uint8_t";
  case runtime::DType::BF16:
  case runtime::DType::F16:
    return "uint16_t";
  }
  return "void";
}

static std::string describe(RankedTensorType type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(type.getShape(), os);
  os << "] " << type.getElementType();
  return text;
}

/// Declares `<entry>_check_inputs`, which applies the value rules of the
/// entry's integer inputs (runtime::valueRule) in C: the entry takes bare
/// pointers and cannot refuse a token id outside its table or a cache length
/// past the capacity, which it would read out of bounds with.
static void emitInputChecks(const EntrySignature &entry,
                            llvm::raw_ostream &os) {
  SmallVector<std::pair<int64_t, runtime::ValueRule>> checked;
  for (auto [i, type] : llvm::enumerate(entry.inputs))
    if (type.getElementType().isIntOrIndex())
      if (std::optional<runtime::ValueRule> rule =
              runtime::valueRule(entry.roles[i]))
        checked.push_back({static_cast<int64_t>(i), *rule});
  if (checked.empty())
    return;
  os << "/* Checks the values of @" << entry.name
     << "'s integer inputs before a call (the entry does not): 0 when they\n"
        "   are valid, else the number of the first bad input plus one, with "
        "a\n   message in error (error_size bytes). */\n"
     << "static inline int " << entry.name << "_check_inputs(";
  for (auto [i, rule] : checked)
    os << "const " << cType(entry.inputs[i].getElementType()) << " *in" << i
       << ", ";
  os << "char *error, size_t error_size) {\n";
  for (auto [i, rule] : checked) {
    // The message, the return of the input's number and the closing brace,
    // at `indent`.
    auto fail = [&, i = i](StringRef indent, StringRef format, StringRef args) {
      os << indent << "  snprintf(error, error_size, \"input #" << i << ": "
         << format << "\"" << args << ");\n"
         << indent << "  return " << i + 1 << ";\n"
         << indent << "}\n";
    };
    os << "  if (!in" << i << ") {\n";
    fail("  ", "null data", "");
    os << "  for (long long k = 0; k < " << entry.inputs[i].getNumElements()
       << "; ++k) {\n    long long v = in" << i << "[k];\n"
       << "    if (v < " << rule.low << "LL || v > " << rule.high << "LL) {\n";
    fail("    ", rule.message,
         (", v, k, " + llvm::Twine(rule.shownLimit) + "LL").str());
    if (rule.ordered) {
      os << "    if (k && v < in" << i << "[k - 1]) {\n";
      fail("    ", runtime::kOrderMessage,
           (", k, v, (long long)in" + llvm::Twine(i) + "[k - 1]").str());
    }
    os << "  }\n";
  }
  os << "  return 0;\n}\n";
}

void xf::emitHeader(ArrayRef<EntrySignature> entries, ModuleOp lowered,
                    llvm::raw_ostream &os) {
  // A guard of the entries' names: headers of different objects can be
  // included together.
  std::string guard = "XF_GENERATED";
  for (const EntrySignature &entry : entries)
    for (char c : "_" + entry.name)
      guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  guard += "_H";
  os << "/* Generated by xf-translate --xf-emit-header: the entry points of "
        "the\n   object from --xf-to-object. Buffers are dense and "
        "row-major; the\n   caller owns them. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
  PackingAttrNames names = getPackingAttrNames();
  for (const EntrySignature &entry : entries) {
    auto step = lowered.lookupSymbol<LLVM::LLVMFuncOp>(entry.name);
    if (!step)
      continue;
    auto ints = [&](StringRef attr) {
      SmallVector<int64_t> v;
      if (auto a = step->getAttrOfType<DenseI64ArrayAttr>(attr))
        v.assign(a.asArrayRef().begin(), a.asArrayRef().end());
      return v;
    };
    SmallVector<int64_t> stepInputs, packInputs = ints(names.inputs);
    SmallVector<RankedTensorType> packed;
    auto pack = step->getAttrOfType<FlatSymbolRefAttr>(names.entry);
    if (pack) {
      stepInputs = ints(names.stepInputs);
      if (auto types = step->getAttrOfType<ArrayAttr>(names.packedTypes))
        for (Attribute t : types)
          packed.push_back(
              cast<RankedTensorType>(cast<TypeAttr>(t).getValue()));
    } else {
      for (int64_t i = 0, e = entry.inputs.size(); i < e; ++i)
        stepInputs.push_back(i);
    }
    SmallVector<int64_t> tied = ints(getTiedResultsAttrName());
    // The step's tied results name its own arguments.
    for (int64_t &a : tied)
      if (a >= 0)
        a = a < static_cast<int64_t>(stepInputs.size()) ? stepInputs[a] : -1;

    os << "\n/* @" << entry.name << "\n";
    for (auto [i, t] : llvm::enumerate(entry.inputs))
      os << " *   input #" << i << ": " << describe(t) << "\n";
    for (auto [i, t] : llvm::enumerate(entry.results)) {
      os << " *   result #" << i << ": " << describe(t);
      if (i < tied.size() && tied[i] >= 0)
        os << ", written in place into input #" << tied[i];
      os << "\n";
    }
    os << " */\n";
    if (pack) {
      os << "/* Packs the weights of @" << entry.name
         << " once, before the calls: its inputs";
      for (int64_t i : packInputs)
        os << " #" << i;
      os << ", then the packed buffers:";
      for (RankedTensorType t : packed)
        os << " " << describe(t) << ";";
      os << " */\n";
      for (auto [i, t] : llvm::enumerate(packed))
        os << "enum { " << entry.name << "_packed" << i
           << "_elements = " << t.getNumElements() << " };\n";
      os << "void " << pack.getValue() << "(";
      llvm::ListSeparator sep;
      for (int64_t i : packInputs)
        os << sep << "const " << cType(entry.inputs[i].getElementType())
           << " *in" << i;
      for (auto [i, t] : llvm::enumerate(packed))
        os << sep << cType(t.getElementType()) << " *packed" << i;
      os << ");\n";
    }
    os << "void " << entry.name << "(";
    llvm::ListSeparator sep;
    for (int64_t i : stepInputs)
      os << sep << (llvm::is_contained(tied, i) ? "" : "const ")
         << cType(entry.inputs[i].getElementType()) << " *in" << i;
    for (auto [i, t] : llvm::enumerate(packed))
      os << sep << "const " << cType(t.getElementType()) << " *packed" << i;
    for (auto [i, t] : llvm::enumerate(entry.results))
      if (i >= tied.size() || tied[i] < 0)
        os << sep << cType(t.getElementType()) << " *out" << i;
    os << ");\n";
    emitInputChecks(entry, os);
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
