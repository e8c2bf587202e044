//===- xf-run.cpp - compile, run, check and time an xf function -----------===//
//
//   xf-run FILE.mlir [-e FUNC] [--seed N] [--input a.npy ...] [--check]
//          [--tolerance T] [--bench N] [--dump-output DIR]
//
// Compiles FILE with xf-cpu-pipeline, JIT-runs FUNC on seeded random inputs
// (or .npy files), and optionally compares every result with the reference
// evaluator and times it. Exit codes: 0 success, 1 a check or the compilation
// failed, 2 bad input (file, IR, function, arguments).
//
//===----------------------------------------------------------------------===//

#include "RunSession.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

using namespace llvm;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<file.mlir>"),
                                      cl::Required);
static cl::opt<std::string>
    entry("e", cl::desc("Function to run (default: the module's only one)"),
          cl::value_desc("name"));
static cl::opt<uint64_t> seed("seed",
                              cl::desc("Seed of the random inputs (default 0)"),
                              cl::init(0));
static cl::list<std::string>
    inputs("input",
           cl::desc("An argument's value as .npy, in order; give "
                    "one per argument or none"),
           cl::value_desc("file.npy"));
static cl::opt<bool> check("check", cl::desc("Compare every result with the "
                                             "reference evaluator"));
static cl::opt<double>
    tolerance("tolerance",
              cl::desc("Largest max_rel_err --check accepts (default 1e-4)"),
              cl::init(1e-4));
static cl::opt<unsigned> bench("bench",
                               cl::desc("Time N runs and print the median"),
                               cl::init(0), cl::value_desc("N"));
static cl::opt<std::string>
    dumpOutput("dump-output",
               cl::desc("Write the results to DIR/output<i>.npy"),
               cl::value_desc("DIR"));
static cl::opt<std::string>
    dumpInputs("dump-inputs",
               cl::desc("Write the arguments to DIR/input<i>.npy"),
               cl::value_desc("DIR"));
static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of xf-cpu-pipeline, e.g. \"bare-ptr-calling-convention"
             "=true\""),
    cl::init(""));

static cl::opt<bool> constantWeights(
    "constant-weights",
    cl::desc("Compile the weights, biases and norm weights (as the ops use "
             "the arguments) into the function as constants, as an "
             "inference deployment would: weights are then packed at "
             "compile time"));

static cl::opt<bool> dynamicShapes(
    "dynamic",
    cl::desc("Compile the function as written, dynamic sizes included, and "
             "pass the inputs' sizes at run time (memref descriptors) "
             "instead of specializing the function to the inputs"));

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  mlir::registerPassManagerCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerAsmPrinterCLOptions();
  // Bad flags are bad input: exit code 2, like every other input error.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "xf-run: compile an xf function for the CPU, run it, check it "
          "against the reference evaluator and time it\n",
          &errs()))
    return 2;
  if (!(tolerance >= 0.0)) {
    errs() << "xf-run: error: --tolerance must be a number >= 0, got "
           << tolerance << "\n";
    return 2;
  }

  mlir::xf::tools::RunConfig config;
  config.file = inputFile;
  config.entry = entry;
  config.seed = seed;
  config.inputs.assign(inputs.begin(), inputs.end());
  config.check = check;
  if (tolerance.getNumOccurrences())
    config.tolerance = tolerance;
  config.benchRuns = bench;
  config.dumpOutputDir = dumpOutput;
  config.dumpInputDir = dumpInputs;
  config.pipelineOptions = pipelineOptions;
  config.constantWeights = constantWeights;
  config.dynamic = dynamicShapes;
  return mlir::xf::tools::runSession(config);
}
