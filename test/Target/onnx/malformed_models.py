"""Writes small malformed ONNX models, one per kind of crash that mutating
models found in the importer (missing inputs, an unnamed node, shapes that
cannot be, operands that do not fit), for malformed.test.

usage: malformed_models.py WORK_DIR
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

WORK = sys.argv[1]
os.makedirs(WORK, exist_ok=True)
F32 = TensorProto.FLOAT


def save(name, nodes, initializers=(), x_shape=(2, 3), inputs=(),
         y_shape=None):
    x = helper.make_tensor_value_info("x", F32, list(x_shape))
    y = helper.make_tensor_value_info("y", F32, list(y_shape or x_shape))
    graph = helper.make_graph(nodes, name, [x, *inputs], [y], [
        numpy_helper.from_array(np.asarray(a), n) for n, a in initializers])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    with open(os.path.join(WORK, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


# Nodes that lack inputs the op needs.
save("no_inputs", [helper.make_node("ConstantOfShape", [], ["y"], name="cos")])
save("div_one_input", [helper.make_node("Div", ["x"], ["y"], name="div")])
save("expand_one_input", [helper.make_node("Expand", ["x"], ["y"])])
save("where_two_inputs", [
    helper.make_node("Equal", ["s", "s"], ["c"]),
    helper.make_node("Where", ["c", "s"], ["y"])],
    [("s", np.array([1, 2], np.int64))])
# Shapes that no tensor has.
save("negative_shape", [helper.make_node(
    "ConstantOfShape", ["shape"], ["y"], name="neg")],
    [("shape", np.array([2, -3], np.int64))])
# Operands that do not fit: a concatenation of ranks 2 and 3, a LayerNorm
# bias of integers.
save("concat_ranks", [
    helper.make_node("Unsqueeze", ["x", "axes"], ["u"]),
    helper.make_node("Concat", ["x", "u"], ["y"], name="cat", axis=0)],
    [("axes", np.array([0], np.int64))])
save("norm_int_bias", [helper.make_node(
    "LayerNormalization", ["x", "g", "b"], ["y"], name="ln")],
    [("g", np.ones(3, np.float32)), ("b", np.zeros(3, np.int64))])
# Gathers: an index outside the data, run-time indices into a value that is
# not a 2-D table.
save("gather_index", [helper.make_node(
    "Gather", ["x", "i"], ["y"], name="pick", axis=1)],
    [("i", np.array([0, 3], np.int64))])
save("gather_runtime", [helper.make_node(
    "Gather", ["x", "ids"], ["y"], name="rows", axis=1)],
    inputs=[helper.make_tensor_value_info("ids", TensorProto.INT64, [2])])
# Not malformed: a value squeezed to a scalar and unsqueezed again (the
# reshapes through rank 0 crashed the importer, found by xf-onnx-fuzzer).
save("through_scalar", [
    helper.make_node("Squeeze", ["x"], ["s"]),
    helper.make_node("Unsqueeze", ["s", "axes"], ["y"])],
    [("axes", np.array([0, 1], np.int64))], x_shape=(1,), y_shape=(1, 1))
# Through a scalar again, with a repeated Unsqueeze axis (counted twice in
# the rank) and a Transpose whose perm names an axis a scalar lacks.
save("unsqueeze_repeated", [
    helper.make_node("Squeeze", ["x"], ["s"]),
    helper.make_node("Unsqueeze", ["s", "axes"], ["y"], name="unsq")],
    [("axes", np.array([0, 0], np.int64))], x_shape=(1,), y_shape=(1, 1))
save("transpose_scalar", [
    helper.make_node("Squeeze", ["x"], ["s"]),
    helper.make_node("Transpose", ["s"], ["y"], name="tr", perm=[5])],
    [], x_shape=(1,), y_shape=())
# Shape arithmetic that overflows 64 bits.
save("integer_overflow", [
    helper.make_node("Mul", ["big", "big"], ["prod"], name="mul"),
    helper.make_node("Identity", ["x"], ["y"])],
    [("big", np.array([1 << 40], np.int64))])
# A Split with no outputs (its equal parts divided by zero).
save("split_no_outputs", [
    helper.make_node("Split", ["x"], [], name="cut0", axis=1),
    helper.make_node("Identity", ["x"], ["y"])])
# A slice with fewer axes than starts (read past the axes before the check),
# and an axis outside the input's rank: the axis check shared by every op.
save("slice_axes", [helper.make_node(
    "Slice", ["x", "starts", "ends", "axes"], ["y"], name="cut")],
    [("starts", np.array([0, 0], np.int64)),
     ("ends", np.array([1, 2], np.int64)),
     ("axes", np.array([1], np.int64))])
save("softmax_axis", [helper.make_node(
    "Softmax", ["x"], ["y"], name="sm", axis=-3)])
# MultiHeadAttention with neither key nor value: the query must pack all
# three.
save("mha_unpacked", [helper.make_node(
    "MultiHeadAttention", ["x"], ["y"], name="mha", domain="com.microsoft",
    num_heads=1)])
# BiasGelu with an integer bias (found by xf-onnx-fuzzer: the add of the
# bias was not verified).
save("bias_gelu_int_bias", [helper.make_node(
    "BiasGelu", ["x", "b"], ["y"], name="bg", domain="com.microsoft")],
    [("b", np.zeros(3, np.int32))])
