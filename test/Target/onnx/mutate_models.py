"""Structure-aware mutation of ONNX models (Debian's python3-onnx): builds
seed models with onnx.helper, then rewrites their nodes' inputs, op types
and attributes, the initializers' shapes and types, the inputs' shapes, and
drops nodes and inputs, at random with a fixed seed. Each mutant goes
through `xf-translate --import-onnx`: it must import (and then print and
parse back with xf-opt) or fail with an error, never crash. Prints
`N mutants, I imported, E refused, C crashes`; exits non-zero on a crash
and keeps the crashing model in WORK_DIR.

usage: mutate_models.py BIN_DIR WORK_DIR COUNT SEED
"""
import os
import random
import subprocess
import sys

import numpy as np
from onnx import AttributeProto, ModelProto, TensorProto, helper, numpy_helper

BIN, WORK, COUNT, SEED = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4])
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(0)
OPS = ["MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "LayerNormalization",
       "Softmax", "Relu", "Gelu", "Transpose", "Reshape", "Slice", "Split",
       "Concat", "Expand", "Unsqueeze", "Squeeze", "Shape", "Gather",
       "Where", "Equal", "Neg", "ConstantOfShape", "Erf", "Sigmoid", "Pow",
       "ReduceMean", "Sqrt", "Identity", "Constant", "CumSum"]


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def seeds():
    f32 = TensorProto.FLOAT
    x = helper.make_tensor_value_info("x", f32, [2, 4, 8])
    y = helper.make_tensor_value_info("y", f32, [2, 4, 8])
    mlp = helper.make_graph([
        helper.make_node("LayerNormalization", ["x", "g", "b"], ["n"]),
        helper.make_node("MatMul", ["n", "w1"], ["h"]),
        helper.make_node("Div", ["h", "sqrt2"], ["d"]),
        helper.make_node("Erf", ["d"], ["e"]),
        helper.make_node("Add", ["e", "one"], ["a"]),
        helper.make_node("Mul", ["h", "a"], ["m"]),
        helper.make_node("Mul", ["m", "half"], ["gelu"]),
        helper.make_node("MatMul", ["gelu", "w2"], ["o"]),
        helper.make_node("Add", ["x", "o"], ["y"]),
    ], "mlp", [x], [y], [
        const("g", np.ones(8, np.float32)), const("b", np.zeros(8, np.float32)),
        const("w1", rng.standard_normal((8, 16)).astype(np.float32)),
        const("w2", rng.standard_normal((16, 8)).astype(np.float32)),
        const("sqrt2", np.float32(np.sqrt(2))), const("one", np.float32(1)),
        const("half", np.float32(0.5))])
    heads = helper.make_graph([
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "i0"], ["b0"], axis=0),
        helper.make_node("Concat", ["shape4"], ["t"], axis=0),
        helper.make_node("Reshape", ["x", "t"], ["r"]),
        helper.make_node("Transpose", ["r"], ["q"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["r"], ["k"], perm=[0, 2, 3, 1]),
        helper.make_node("MatMul", ["q", "k"], ["sc"]),
        helper.make_node("Softmax", ["sc"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "q"], ["o"]),
        helper.make_node("Transpose", ["o"], ["ot"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ot", "shape3"], ["y"]),
    ], "heads", [x], [y], [
        const("i0", np.array([0], np.int64)),
        const("shape4", np.array([2, 4, 2, 4], np.int64)),
        const("shape3", np.array([2, 4, 8], np.int64))])
    for graph in (mlp, heads):
        yield helper.make_model(graph, opset_imports=[
            helper.make_opsetid("", 17)])


def mutate(model, r):
    g = model.graph
    for _ in range(r.randint(1, 4)):
        k = r.randrange(8)
        names = [o for n in g.node for o in n.output] + \
            [t.name for t in g.initializer] + ["", "undefined"]
        if k == 0 and g.node:
            n = r.choice(g.node)
            if n.input:
                n.input[r.randrange(len(n.input))] = r.choice(names)
        elif k == 1 and g.node:
            r.choice(g.node).op_type = r.choice(OPS)
        elif k == 2 and g.node:
            for a in r.choice(g.node).attribute:
                if a.ints:
                    a.ints[r.randrange(len(a.ints))] = r.randint(-5, 5)
                if a.type == AttributeProto.INT:
                    a.i = r.randint(-5, 5)
        elif k == 3 and g.initializer:
            t = r.choice(g.initializer)
            if t.dims:
                t.dims[r.randrange(len(t.dims))] = r.choice([0, 1, 3, -1, 1 << 40])
        elif k == 4 and g.input:
            dims = g.input[0].type.tensor_type.shape.dim
            dims[r.randrange(len(dims))].dim_value = r.choice([0, 1, 3, 5])
        elif k == 5 and g.node:
            del g.node[r.randrange(len(g.node))]
        elif k == 6 and g.node:
            n = r.choice(g.node)
            if n.input:
                del n.input[r.randrange(len(n.input))]
        elif k == 7 and g.initializer:
            r.choice(g.initializer).data_type = r.choice([1, 6, 7, 10, 11])


def main():
    r = random.Random(SEED)
    base = list(seeds())
    imported = refused = crashes = 0
    for i in range(COUNT):
        model = ModelProto()
        model.CopyFrom(r.choice(base))
        mutate(model, r)
        path = os.path.join(WORK, "mutant.onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        run = subprocess.run([os.path.join(BIN, "xf-translate"),
                              "--import-onnx", path, "-o",
                              os.path.join(WORK, "mutant.mlir")],
                             capture_output=True)
        ok = run.returncode in (0, 1) and b"PLEASE submit" not in run.stderr
        if ok and run.returncode == 0:
            ok = subprocess.run([os.path.join(BIN, "xf-opt"),
                                 os.path.join(WORK, "mutant.mlir"), "-o",
                                 os.devnull]).returncode == 0
            imported += 1
        elif ok:
            refused += 1
        if not ok:
            crashes += 1
            os.replace(path, os.path.join(WORK, f"crash{i}.onnx"))
    print(f"{COUNT} mutants, {imported} imported, {refused} refused, "
          f"{crashes} crashes")
    sys.exit(1 if crashes else 0)


main()
