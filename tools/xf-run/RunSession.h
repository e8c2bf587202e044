//===- RunSession.h - what one xf-run invocation does -----------*- C++ -*-===//

#ifndef XF_TOOLS_XF_RUN_RUNSESSION_H
#define XF_TOOLS_XF_RUN_RUNSESSION_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::xf::tools {

struct RunConfig {
  std::string file;
  std::string entry;
  uint64_t seed = 0;
  std::vector<std::string> inputs;
  bool check = false;
  /// The largest max_rel_err --check accepts; unset: what the compiled
  /// precision implies on the given inputs (defaultTolerance and
  /// toleranceOnInputs in RunSession.cpp).
  std::optional<double> tolerance;
  unsigned benchRuns = 0;
  std::string dumpOutputDir;
  std::string dumpInputDir;
  std::string pipelineOptions;
  bool constantWeights = false;
  /// Compile the function with the shapes it is written with (dynamic
  /// sizes stay dynamic) instead of specializing it to the inputs.
  bool dynamic = false;
};

/// Exit codes of xf-run.
enum ExitCode { Success = 0, CheckFailed = 1, BadInput = 2 };

/// Loads, compiles, runs, checks and times as `config` says; returns the
/// process exit code.
int runSession(const RunConfig &config);

} // namespace mlir::xf::tools

#endif // XF_TOOLS_XF_RUN_RUNSESSION_H
