"""xf from Python: compile a function of an MLIR module for this CPU and call
it on NumPy arrays, through the C API's shared library (include/xf-c/Program.h)
with ctypes. Debian ships no MLIR Python bindings; this needs only NumPy.

    import numpy as np, xf
    program = xf.Program(open("examples/gpt2_block.mlir").read(), "gpt2_block")
    (y,) = program(x, *weights)

The library is the path in XF_C_LIBRARY, else build/lib/libxf_c.so of this
file's checkout, else lib/libxf_c.so of the prefix xf is installed in
(share/xf/python/xf.py). Errors (a malformed module, an unknown function, arrays of
the wrong shape or type) raise xf.Error with the compiler's message.
Element types: float32, float64, int32, int64, int8, float16, bool, and
bf16 as uint16 arrays of its bits (bf16_bits, bf16_values).
"""
import ctypes
import os

import numpy as np

__all__ = ["Error", "Program", "bf16_bits", "bf16_values"]


class Error(RuntimeError):
    """A compilation or call failure, with xf's message."""


# bf16 has no NumPy dtype: its arrays are uint16 arrays of the bits
# (bf16_bits, bf16_values), as xf-run's .npy files are.
_DTYPES = {0: np.dtype(np.float32), 1: np.dtype(np.float64),
           2: np.dtype(np.int32), 3: np.dtype(np.int64), 4: np.dtype(np.int8),
           5: np.dtype(np.uint16), 6: np.dtype(np.float16),
           7: np.dtype(np.bool_)}


def bf16_bits(array):
    """The bf16 bits (uint16) of a float array, rounded to nearest even."""
    values = np.ascontiguousarray(array, dtype=np.float32)
    bits = values.view(np.uint32)
    nan = np.isnan(values)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    # A NaN keeps its sign and high payload, made quiet.
    return np.where(nan, (bits >> 16) | 0x40, rounded).astype(np.uint16)


def bf16_values(bits):
    """The float32 values of bf16 bits (uint16)."""
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(
        np.float32)


class _Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dtype", ctypes.c_int)]


class _Info(ctypes.Structure):
    _fields_ = [("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dtype", ctypes.c_int)]


def _library_path():
    if os.environ.get("XF_C_LIBRARY"):
        return os.environ["XF_C_LIBRARY"]
    here = os.path.dirname(os.path.abspath(__file__))
    checkout = os.path.join(here, "..", "build", "lib", "libxf_c.so")
    installed = os.path.join(here, "..", "..", "..", "lib", "libxf_c.so")
    return checkout if os.path.exists(checkout) else installed


def _library():
    path = _library_path()
    lib = ctypes.CDLL(path)
    lib.xfProgramCompile.restype = ctypes.c_void_p
    lib.xfProgramCompile.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                     ctypes.c_char_p,
                                     ctypes.POINTER(ctypes.c_void_p)]
    lib.xfProgramDestroy.argtypes = [ctypes.c_void_p]
    for name in ("xfProgramNumInputs", "xfProgramNumResults"):
        getattr(lib, name).restype = ctypes.c_int64
        getattr(lib, name).argtypes = [ctypes.c_void_p]
    for name in ("xfProgramInput", "xfProgramResult"):
        getattr(lib, name).restype = _Info
        getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_int64]
    lib.xfProgramCall.restype = ctypes.c_int
    lib.xfProgramCall.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Buffer),
                                  ctypes.c_int64, ctypes.POINTER(_Buffer),
                                  ctypes.c_int64,
                                  ctypes.POINTER(ctypes.c_void_p)]
    lib.xfProgramRepack.argtypes = [ctypes.c_void_p]
    lib.xfFreeString.argtypes = [ctypes.c_void_p]
    return lib


_lib = None


def _take_error(lib, error):
    text = ctypes.string_at(error.value).decode() if error.value else "unknown"
    lib.xfFreeString(error)
    return Error(text)


def _buffer(array, shapes):
    shape = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
    shapes.append(shape)  # kept alive until the call returns
    dtype = next((k for k, v in _DTYPES.items() if v == array.dtype), -1)
    return _Buffer(array.ctypes.data, array.ndim, shape, dtype)


class Program:
    """One function of an MLIR module, compiled by xf-cpu-pipeline for this
    CPU (`options` in the pipeline's syntax, e.g. "threads=1")."""

    def __init__(self, mlir_text, entry, options=""):
        global _lib
        if _lib is None:
            _lib = _library()
        self._lib = _lib
        error = ctypes.c_void_p()
        self._handle = _lib.xfProgramCompile(
            mlir_text.encode(), entry.encode(), options.encode(),
            ctypes.byref(error))
        if not self._handle:
            raise _take_error(_lib, error)
        self.inputs = [self._info(_lib.xfProgramInput, i)
                       for i in range(_lib.xfProgramNumInputs(self._handle))]
        self.results = [self._info(_lib.xfProgramResult, i)
                        for i in range(_lib.xfProgramNumResults(self._handle))]

    def _info(self, get, i):
        info = get(self._handle, i)
        shape = tuple(info.shape[d] for d in range(info.rank))
        if info.dtype not in _DTYPES:
            raise Error("unknown element type code %d" % info.dtype)
        return shape, _DTYPES[info.dtype]

    def __call__(self, *arrays):
        """Runs the function; returns its results as new arrays. Arrays are
        passed as they are (C-contiguous ones without a copy); their shapes
        and types are checked against the function's."""
        arrays = [np.ascontiguousarray(a) for a in arrays]
        outputs = [np.empty(shape, dtype) for shape, dtype in self.results]
        shapes = []
        ins = (_Buffer * max(len(arrays), 1))(
            *[_buffer(a, shapes) for a in arrays])
        outs = (_Buffer * max(len(outputs), 1))(
            *[_buffer(o, shapes) for o in outputs])
        error = ctypes.c_void_p()
        if self._lib.xfProgramCall(self._handle, ins, len(arrays), outs,
                                   len(outputs), ctypes.byref(error)):
            raise _take_error(self._lib, error)
        return tuple(outputs)

    def repack(self):
        """The weights changed: pack them again at the next call."""
        self._lib.xfProgramRepack(self._handle)

    def __del__(self):
        if getattr(self, "_handle", None):
            self._lib.xfProgramDestroy(self._handle)
            self._handle = None
