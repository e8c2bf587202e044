"""What every benchmark case shares: running commands, timing xf and its
peers in alternating rounds, and recording results (bench.py is the entry
point; see its docstring).
"""
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD, OUT = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv
DATA = os.path.join(OUT, "data")
XF_RUN = os.path.join(BUILD, "bin", "xf-run")
PEERS = os.path.join(HERE, "peers", "python_peers.py")
THREADS = {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"}
# glibc malloc keeping freed memory: PyTorch's faster configuration, and
# what the xf runtime sets for itself (lib/Runtime/JitFunction.cpp).
TUNED = {"MALLOC_MMAP_THRESHOLD_": "4294967296",
         "MALLOC_TRIM_THRESHOLD_": "68719476736",
         "MALLOC_TOP_PAD_": "1073741824"}
# This VM shares its cores: a neighbour can halve the speed for seconds. Every
# measurement is repeated in ROUNDS rounds, xf and peers alternating, and the
# best round's median is kept, the same treatment for xf and for the peers.
ROUNDS = 2 if QUICK else 3
records = []
rng = np.random.default_rng(2026)


def run(cmd, env=None, timeout=1800, may_fail=False):
    """The output of cmd; a failure ends the benchmark unless may_fail, when
    it gives None."""
    full_env = dict(os.environ, **THREADS, **(env or {}))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env=full_env, timeout=timeout)
    if proc.returncode != 0:
        message = f"bench: {' '.join(cmd)} failed (exit {proc.returncode})"
        if may_fail:
            print(message, flush=True)
            return None
        sys.exit(f"{message}:\n{proc.stdout}")
    return proc.stdout


def median_ms(output):
    return float(re.search(r"median ([0-9.]+) ms", output).group(1))


def rounds(*measures):
    """Runs each measure (a function returning ms) ROUNDS times, alternating
    between them, and returns the best time of each."""
    best = [float("inf")] * len(measures)
    for _ in range(ROUNDS):
        for i, measure in enumerate(measures):
            best[i] = min(best[i], measure())
    return best


def xf(mlir, inputs, reps, extra=()):
    """A measure: median ms of xf-run on .npy inputs."""
    def measure():
        out = run([XF_RUN, mlir, "--bench", str(reps)] + list(extra) +
                  [a for p in inputs for a in ("--input", p)])
        return median_ms(out)
    return measure


def peer(cmd, env=None):
    """A measure: the median ms a peer command prints."""
    return lambda: median_ms(run(cmd, env=env))


def gflops(flop, ms):
    return round(flop / ms * 1e-6, 2)


def save(name, array):
    path = os.path.join(OUT, "data", name)
    np.save(path, array.astype(np.float32))
    return path


def record(case, xf_ms, peer, peer_ms, **extra):
    r = {"case": case, "xf_ms": round(xf_ms, 4), "peer": peer,
         "peer_ms": None if peer_ms is None else round(peer_ms, 4),
         "speedup": None if not peer_ms else round(peer_ms / xf_ms, 3)}
    r.update(extra)
    records.append(r)
    speed = f"{r['speedup']:6.2f}x" if r["speedup"] else "      "
    peer_text = f"{peer_ms:10.3f}" if peer_ms else " " * 10
    note = "  " + ", ".join(f"{k}={v}" for k, v in extra.items()) if extra else ""
    print(f"{case:34s} xf {xf_ms:10.3f} ms | {peer:38s} {peer_text} ms "
          f"{speed}{note}", flush=True)


def write_mlir(name, text):
    path = os.path.join(OUT, "data", name)
    with open(path, "w") as f:
        f.write(text)
    return path
