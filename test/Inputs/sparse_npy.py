"""Writes a float32 .npy matrix with a chosen zero structure, for the
sparse-weight tests (plain Python: no numpy needed).

  sparse_npy.py OUT.npy SHAPE PATTERN [SEED]

SHAPE is ROWSxCOLS, or N for a vector (stored as one row). PATTERN, on
the ROWS x COLS matrix as stored:
  dense                  every element nonzero
  blocks:R:C:KEEP        blocks of R x C, each kept with probability KEEP
  unstructured:KEEP[:gaps]  each element kept with probability KEEP; gaps:
                         every 5th column empty, every 3rd without rows
                         128..255
  2:4[:thin][:rows]      2 of every 4 consecutive elements of a column kept;
                         thin: 0, 1 or 2 of them; rows: along each row
  zero-rows:EVERY        every EVERY-th row kept, the others zero
  zero                   all zero
  grid:Q                 multiples of 1/Q in [-1, 1] (zeros too): products
                         and short sums are exact, and equal values common
Kept values are uniform in [-1, 1], never exactly zero.
"""
import random
import struct
import sys


def main():
    out, shape, pattern = sys.argv[1], sys.argv[2].split("x"), sys.argv[3]
    rows, cols = (1, int(shape[0])) if len(shape) == 1 else map(int, shape)
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    kind, *args = pattern.split(":")
    value = lambda: rng.choice([-1, 1]) * rng.uniform(0.05, 1.0)  # noqa: E731
    m = [[value() for _ in range(cols)] for _ in range(rows)]
    if kind == "blocks":
        br, bc, keep = int(args[0]), int(args[1]), float(args[2])
        for r0 in range(0, rows, br):
            for c0 in range(0, cols, bc):
                if rng.random() >= keep:
                    for r in range(r0, min(rows, r0 + br)):
                        for c in range(c0, min(cols, c0 + bc)):
                            m[r][c] = 0.0
    elif kind == "unstructured":
        keep = float(args[0])
        m = [[v if rng.random() < keep else 0.0 for v in row] for row in m]
        if "gaps" in args[1:]:
            # Every 5th column empty, every 3rd without rows 128..255.
            for r, row in enumerate(m):
                for c in range(cols):
                    if c % 5 == 0 or (c % 3 == 0 and 128 <= r < 256):
                        row[c] = 0.0
    elif kind == "2":  # 2:4
        along_rows = "rows" in args[1:]
        if along_rows:
            m = [list(col) for col in zip(*m)]
        for c in range(len(m[0])):
            for r0 in range(0, len(m), 4):
                group = list(range(r0, min(len(m), r0 + 4)))
                kept = rng.randint(0, 2) if "thin" in args[1:] else 2
                for r in rng.sample(group, max(0, len(group) - kept)):
                    m[r][c] = 0.0
        if along_rows:
            m = [list(row) for row in zip(*m)]
    elif kind == "zero-rows":
        every = int(args[0])
        m = [row if r % every == 0 else [0.0] * cols for r, row in enumerate(m)]
    elif kind == "zero":
        m = [[0.0] * cols for _ in range(rows)]
    elif kind == "grid":
        q = int(args[0])
        m = [[rng.randint(-q, q) / q for _ in range(cols)] for _ in range(rows)]
    elif kind != "dense":
        sys.exit(f"sparse_npy: unknown pattern {pattern}")
    dims = "(%d,)" % cols if len(shape) == 1 else "(%d, %d)" % (rows, cols)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % dims
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(out, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack(f"<{rows * cols}f", *(v for row in m for v in row)))


if __name__ == "__main__":
    main()
