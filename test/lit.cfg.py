# -*- Python -*-
# lit configuration of the xf test suite.

import os
import subprocess
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "XF"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.xf_obj_root, "test")
config.excludes = ["Inputs", "Unit", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Captured SSA names must not leak from one CHECK-LABEL section to the next.
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"

config.substitutions.append(("%xf_src", config.xf_src_root))
config.substitutions.append(("%xf_obj", config.xf_obj_root))
config.substitutions.append(("%openmp_runtime", config.openmp_runtime))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%examples", os.path.join(config.xf_src_root, "examples")))

# Python loading libxf_c.so. In a sanitized build (scripts/asan-build.sh)
# the library leaves the ASan runtime to its host, so Python gets the shared
# runtime preloaded; CPython's own allocations at exit are not xf's leaks.
python_capi = '"%s"' % sys.executable
if config.xf_sanitizer:
    runtime_dir = subprocess.check_output(
        [config.c_compiler, "-print-runtime-dir"], text=True).strip()
    python_capi = ("env LD_PRELOAD=%s/libclang_rt.asan-x86_64.so "
                   "ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0 %s"
                   % (runtime_dir, python_capi))
# Before %python, which is a prefix of it.
config.substitutions.insert(0, ("%python-capi", python_capi))

# Random blocks the differential test draws (e2e/random-blocks.test): a few
# hundred, fewer in the sanitized build (about 3x slower); `lit --param
# random_configs=N` for another count.
config.substitutions.append(
    ("%random-configs",
     lit_config.params.get("random_configs",
                           "24" if config.xf_sanitizer else "200")))

# Every pipeline variant of xf-run --check (see Inputs/check-pipelines.py).
config.substitutions.append(
    ("%check-pipelines",
     sys.executable + " " + os.path.join(config.xf_src_root, "test", "Inputs",
                                         "check-pipelines.py") + " xf-run"))

tool_dirs = [os.path.join(config.xf_obj_root, "bin"), config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["xf-opt", "xf-translate", "xf-run", "xf-lsp-server", "xf-reduce",
     "xf-capi-test", "xf-parser-fuzzer", "xf-pipeline-fuzzer",
     "xf-onnx-fuzzer", "xf-npy-fuzzer", "xf-program-fuzzer"], tool_dirs)

# Hosts with AMX tiles (amx_tile, amx_bf16, amx_int8) run the AMX kernels'
# tests (e2e/amx.mlir); elsewhere their code would stop at its first tile
# instruction.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read().split()
    if all(f in flags for f in ("amx_tile", "amx_bf16", "amx_int8")):
        config.available_features.add("amx")
except OSError:
    pass
