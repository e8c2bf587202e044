//===- OnnxUses.h - def-use structure of an ONNX graph ----------*- C++ -*-===//

#ifndef XF_LIB_TARGET_ONNX_ONNXUSES_H
#define XF_LIB_TARGET_ONNX_ONNXUSES_H

#include "OnnxImporter.h"

namespace mlir::xf::onnx_import {

/// The graph's def-use structure by value name.
struct Uses {
  explicit Uses(const onnx::GraphProto &graph) : graph(graph) {
    for (auto [i, node] : llvm::enumerate(graph.node())) {
      for (const std::string &out : node.output())
        producer[out] = i;
      for (const std::string &in : node.input())
        users[in].push_back(i);
    }
    for (const onnx::ValueInfoProto &out : graph.output())
      users[out.name()].push_back(SIZE_MAX); // read by the caller
  }

  /// The node that reads `value` and nothing else does.
  const onnx::NodeProto *onlyUser(StringRef value, size_t &index) const {
    auto it = users.find(value);
    if (it == users.end() || it->second.size() != 1 ||
        it->second[0] == SIZE_MAX)
      return nullptr;
    index = it->second[0];
    return &graph.node(index);
  }
  const onnx::NodeProto *definer(StringRef value, size_t &index) const {
    auto it = producer.find(value);
    if (it == producer.end())
      return nullptr;
    index = it->second;
    return &graph.node(index);
  }

  const onnx::GraphProto &graph;
  llvm::StringMap<size_t> producer;
  llvm::StringMap<SmallVector<size_t>> users;
};

} // namespace mlir::xf::onnx_import

#endif // XF_LIB_TARGET_ONNX_ONNXUSES_H
