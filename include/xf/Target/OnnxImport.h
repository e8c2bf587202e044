//===- OnnxImport.h - ONNX models into the xf dialect -----------*- C++ -*-===//
//
// Reads an ONNX model (a serialized onnx.ModelProto, parsed by the ONNX
// library's protobuf classes) into a module with one function of xf ops.
// Failures are reported as one error naming the file, and for a node its
// name, op type and the reason; they never abort. Every argument carries
// its ONNX name in an `onnx.name` attribute.
//
//===----------------------------------------------------------------------===//

#ifndef XF_TARGET_ONNXIMPORT_H
#define XF_TARGET_ONNXIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::xf {

struct OnnxImportOptions {
  /// The name of the function the graph becomes.
  std::string functionName = "main";
  /// Weights (float initializers of rank 2 or more) as arguments after the
  /// graph's inputs, in the model's order, instead of constants.
  bool weightsAsArguments = false;
};

/// The module of the ONNX model `bytes`, read from `fileName`; null after
/// an error emitted on `context`.
OwningOpRef<ModuleOp> importOnnx(llvm::StringRef bytes,
                                 llvm::StringRef fileName, MLIRContext *context,
                                 const OnnxImportOptions &options = {});
/// The same from the file at `path`, parsed as it is read: a large model's
/// bytes are then held once, in the parsed model, and move into the
/// module's resource blobs as its weights are read.
OwningOpRef<ModuleOp> importOnnxFile(llvm::StringRef path, MLIRContext *context,
                                     const OnnxImportOptions &options = {});

} // namespace mlir::xf

#endif // XF_TARGET_ONNXIMPORT_H
