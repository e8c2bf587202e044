//===- DummyMain.cpp - run a fuzz target on given inputs ------------------===//
//
// Outside a coverage build (scripts/fuzz.sh makes one) a fuzz target is this
// driver: it runs the target once on each file named on the command line,
// which is how test/fuzz replays the corpora and the crashes found.
//
//===----------------------------------------------------------------------===//

#include "llvm/FuzzMutate/FuzzerCLI.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);

int main(int argc, char **argv) {
  return llvm::runFuzzerOnInputs(argc, argv, LLVMFuzzerTestOneInput,
                                 LLVMFuzzerInitialize);
}
