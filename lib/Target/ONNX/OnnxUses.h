//===- OnnxUses.h - def-use structure of an ONNX graph ----------*- C++ -*-===//

#ifndef XF_LIB_TARGET_ONNX_ONNXUSES_H
#define XF_LIB_TARGET_ONNX_ONNXUSES_H

#include "OnnxImporter.h"

namespace mlir::xf::onnx_import {

/// The def-use structure, by value name, of a graph's or a function's
/// nodes.
struct Uses {
  Uses(const Nodes &nodes, ArrayRef<std::string> outputs) : nodes(nodes) {
    for (auto [i, node] : llvm::enumerate(nodes)) {
      for (const std::string &out : node.output())
        producer[out] = i;
      for (const std::string &in : node.input())
        users[in].push_back(i);
    }
    for (const std::string &out : outputs)
      users[out].push_back(SIZE_MAX); // read by the caller
  }

  const onnx::NodeProto &node(size_t index) const { return nodes[index]; }

  /// The node that reads `value` and nothing else does.
  const onnx::NodeProto *onlyUser(StringRef value, size_t &index) const {
    auto it = users.find(value);
    if (it == users.end() || it->second.size() != 1 ||
        it->second[0] == SIZE_MAX)
      return nullptr;
    index = it->second[0];
    return &nodes[index];
  }
  const onnx::NodeProto *definer(StringRef value, size_t &index) const {
    auto it = producer.find(value);
    if (it == producer.end())
      return nullptr;
    index = it->second;
    return &nodes[index];
  }

  const Nodes &nodes;
  llvm::StringMap<size_t> producer;
  llvm::StringMap<SmallVector<size_t>> users;
};

} // namespace mlir::xf::onnx_import

#endif // XF_LIB_TARGET_ONNX_ONNXUSES_H
