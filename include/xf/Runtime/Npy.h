//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes the NumPy .npy format (versions 1-3, little-endian,
// C order) for float32/float64/int32/int64 arrays. Every malformed file is
// reported as an error that names the file and the problem.
//
//===----------------------------------------------------------------------===//

#ifndef XF_RUNTIME_NPY_H
#define XF_RUNTIME_NPY_H

#include "xf/Runtime/HostTensor.h"

#include "llvm/Support/Error.h"

namespace mlir::xf::runtime {

llvm::Expected<HostTensor> readNpy(llvm::StringRef path);
/// The array in the bytes of a .npy file; errors name `path`.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef bytes,
                                    llvm::StringRef path);
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

} // namespace mlir::xf::runtime

#endif // XF_RUNTIME_NPY_H
