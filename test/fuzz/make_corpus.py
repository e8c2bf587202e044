"""Writes the seed corpora of the fuzz targets (tools/fuzzers) into
test/fuzz/corpus/: the inputs of the lit tests split at `// -----` without
their RUN and CHECK lines (parser; and, behind each of four option bytes,
pipeline), the ONNX models of test/Target/onnx's scripts under 64 KiB
(onnx), .npy files of every element type xf reads (npy), and call
descriptions for the program fuzzer (program). The corpora are kept in the
repository; run this again when the tests change.

usage: /usr/bin/python3 make_corpus.py BIN_DIR   (BIN_DIR: build/bin)
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
BIN = sys.argv[1]
MAX_BYTES = 64 * 1024


def save(target, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def chunks():
    """The test inputs, one per split, without lit's lines."""
    files = sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"),
                             recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "examples", "*.mlir")))
    for path in files:
        # Bytes kept as they are (test/fuzz/upstream holds invalid UTF-8).
        text = open(path, "rb").read().decode("utf-8", "surrogateescape")
        for part in re.split(r"^// -----\s*$", text, flags=re.M):
            lines = [l for l in part.splitlines()
                     if not re.match(r"\s*//\s*(RUN|CHECK|[A-Z0-9-]+:)", l)]
            body = "\n".join(lines).strip() + "\n"
            if 16 < len(body) <= MAX_BYTES:
                yield path, body.encode("utf-8", "surrogateescape")


shutil.rmtree(CORPUS, ignore_errors=True)
for path, body in chunks():
    save("parser", body)
    # The pipeline needs IR that compiles: the end-to-end tests' inputs.
    if "/e2e/" in path or "/examples/" in path:
        for options in (0, 1, 0x4C, 0xB2):  # fast, plain, AVX2 + packing, ...
            save("pipeline", bytes([options]) + body)

with tempfile.TemporaryDirectory() as work:
    onnx_dir = os.path.join(ROOT, "test", "Target", "onnx")
    for script in ("contrib_models.py", "malformed_models.py"):
        args = [sys.executable, os.path.join(onnx_dir, script)]
        args += [BIN, work] if script == "contrib_models.py" else [work]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    for model in sorted(glob.glob(os.path.join(work, "*.onnx"))):
        data = open(model, "rb").read()
        if len(data) <= MAX_BYTES:
            save("onnx", data)
    for dtype in ("<f4", "<f8", "<f2", "<i4", "<i8", "|i1", "<u2", "|b1"):
        for shape in ((), (3,), (2, 3)):
            path = os.path.join(work, "a.npy")
            values = np.arange(int(np.prod(shape)))
            if dtype == "|b1":
                values = values % 2
            np.save(path, values.astype(dtype).reshape(shape))
            save("npy", open(path, "rb").read())

# Program calls (see ProgramFuzzer.cpp): the right counts and signatures
# with zeros, with small integers (valid and invalid ids and lengths), with
# other shapes, with null data.
for how in (0, 2, 6, 1, 8):
    save("program", bytes([0]) + bytes([how]) * 64)
