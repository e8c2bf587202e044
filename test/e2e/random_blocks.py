"""Differential test: random xf.block configurations through every pipeline.

Draws COUNT random block configurations (batch dims, sequence lengths down
to 1, head counts and sizes that are not multiples of the vector width, GQA,
LayerNorm or RMSNorm before or after, every activation, dense or gated MLPs,
every attention layout component (causal, windows, dilation, strides, sinks,
global positions, block maps) and additive masks, rotary embeddings, any
subset of biases, both weight layouts, f32, bf16, f16 or int8 weights (scales per channel or per group
of K rows), constant f32 weights with zero blocks, scattered zeros or 2:4
groups for xf-sparsify-weights to find), as a
prefill, as a decode step against KV caches with random valid lengths, or on
packed sequences of random lengths; writes each as an .mlir file and
compares every pipeline variant with the reference evaluator
(check-pipelines.py). Reproducible from the seed.

A configuration that fails is shrunk: simpler values (no batch, shorter
sequences, one head, fewer layout components, no biases, f32 weights, ...)
are tried one at a time and kept while the failure stays, and the smallest
failing block is written next to the original as `blockN.reduced.mlir`.

usage: random_blocks.py SEED COUNT XF_RUN WORK_DIR [--variants a,b]
                        [--keep-going] [--jobs N]
"""
import argparse
import concurrent.futures
import os
import random
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "..", "Inputs", "check-pipelines.py")


def tensor(shape, elt="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elt + ">"


# ---------------------------------------------------------------------------
# Drawing a configuration
# ---------------------------------------------------------------------------

def draw_layout(rng, keys):
    """Random attention layout components that fit `keys` keys."""
    parts = []
    if rng.random() < 0.6:
        parts.append(("causal",))
    if rng.random() < 0.5:
        parts.append(("window", rng.randint(1, max(1, keys)),
                      rng.randint(2, 3) if rng.random() < 0.3 else 1))
    if rng.random() < 0.2:
        parts.append(("stride", rng.randint(2, 6)))
    if rng.random() < 0.3:
        parts.append(("sinks", rng.randint(1, min(4, keys))))
    if rng.random() < 0.2:
        parts.append(("global", sorted(rng.sample(range(keys),
                                                  min(keys, rng.randint(1, 3))))))
    if rng.random() < 0.2:
        bq, bk = rng.randint(1, 8), rng.randint(1, 8)
        rows, cols = -(-keys // bq), -(-keys // bk)
        cells = [[rng.random() < 0.5 for _ in range(cols)] for _ in range(rows)]
        parts.append(("blocks", bq, bk, cells))
    return parts


def draw(rng):
    """A random block configuration, as a dict that render() writes."""
    c = {"mode": rng.choice(["prefill", "prefill", "decode", "varlen"])}
    c["batch"] = [rng.choice([1, 2]) for _ in range(rng.choice([0, 1, 2]))]
    # 37 rows and more take the AMX blocks of 32 rows where the host has them.
    c["s"] = rng.choice([1, 2, 5, 13, 20, 37])
    c["capacity"] = None
    if c["mode"] == "decode":
        c["s"] = rng.choice([1, 1, 2, 3])
        c["capacity"] = rng.choice([c["s"], 7, 24, 40])
    if c["mode"] == "varlen":
        c["batch"] = []
        c["s"] = rng.choice([6, 20, 41])
        c["sequences"] = rng.randint(1, 4)
    c["heads"] = rng.choice([1, 2, 3, 4])
    c["kv"] = rng.choice([h for h in range(1, c["heads"] + 1)
                          if c["heads"] % h == 0])
    c["dh"] = rng.choice([4, 8, 12, 16, 20])
    c["d"] = rng.choice([8, 24, 33, 48])
    c["f"] = rng.choice([8, 30, 64])
    c["kn"] = rng.random() < 0.5
    c["weights"] = rng.choice(["f32", "f32", "f32", "bf16", "f16", "i8"])
    # int8 weights: scales per output channel, or per group of K rows.
    c["group"] = rng.choice([None, 4, 8, 16]) if c["weights"] == "i8" else None
    c["norm"] = rng.choice(["layer_norm", "rms_norm"])
    c["gated"] = rng.random() < 0.5
    biases = set()
    if c["norm"] == "layer_norm":
        biases |= {b for b in ("b1", "b2") if rng.random() < 0.7}
    biases |= {b for b in ("bq", "bk", "bv", "bo") if rng.random() < 0.4}
    biases |= {b for b in ("bu", "bg", "bd") if rng.random() < 0.3}
    if not c["gated"]:
        biases.discard("bg")
    c["biases"] = biases
    c["mask"] = None
    if rng.random() < 0.3 and c["mode"] == "prefill":
        c["mask"] = rng.choice(["square", "broadcast"])
    c["layout"] = draw_layout(rng, keys_of(c))
    c["scale"] = rng.uniform(0.05, 0.5) if rng.random() < 0.3 else None
    c["norm_at"] = rng.choice(["pre", "post"])
    c["act"] = rng.choice(["gelu", "gelu_tanh", "relu", "silu"])
    c["rope"] = None
    if rng.random() < 0.5:
        c["rope"] = (rng.choice([100.0, 10000.0]),
                     rng.choice(range(2, c["dh"] + 1, 2)),
                     rng.choice(["half", "interleaved"]))
    # Constant f32 weights with a zero structure, and the seed of their
    # values.
    c["sparse"] = None
    if c["weights"] == "f32" and rng.random() < 0.3:
        c["sparse"] = (rng.choice(["blocks", "unstructured", "2:4"]),
                       rng.randrange(1 << 30))
    return c


def sparse_weight(c, key, k, n):
    """The values of constant weight `key` ([K, N] view, K x N) in the
    configuration's zero structure, in its storage layout, as the hex
    literal of a dense attribute."""
    pattern, seed = c["sparse"]
    rng = random.Random(f"{seed}-{key}")
    w = [[rng.uniform(-1, 1) / k ** 0.5 for _ in range(n)] for _ in range(k)]
    if pattern == "blocks":
        rows = rng.choice([1, 2, 4, 8])
        for r0 in range(0, k, rows):
            for c0 in range(0, n, 32):
                if rng.random() >= 0.25:
                    for r in range(r0, min(k, r0 + rows)):
                        w[r][c0:c0 + 32] = [0.0] * len(w[r][c0:c0 + 32])
    elif pattern == "unstructured":
        w = [[v if rng.random() < 0.1 else 0.0 for v in row] for row in w]
    else:  # 2:4 along K, groups of 0 to 2 nonzeros
        for col in range(n):
            for r0 in range(0, k, 4):
                group = list(range(r0, min(k, r0 + 4)))
                kept = rng.choice([2, 2, 1, 0])
                for r in rng.sample(group, max(0, len(group) - kept)):
                    w[r][col] = 0.0
    stored = w if c["kn"] else [list(col) for col in zip(*w)]
    flat = [v for row in stored for v in row]
    return "0x" + struct.pack(f"<{len(flat)}f", *flat).hex().upper()


def keys_of(c):
    return c["capacity"] if c["mode"] == "decode" else c["s"]


# ---------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------

def layout_words(parts):
    words = []
    for p in parts:
        if p[0] == "causal":
            words.append("causal")
        elif p[0] == "window":
            words.append(f"window {p[1]}")
            if p[2] > 1:
                words.append(f"dilation {p[2]}")
        elif p[0] in ("stride", "sinks"):
            words.append(f"{p[0]} {p[1]}")
        elif p[0] == "global":
            words.append("global [" + ", ".join(map(str, p[1])) + "]")
        elif p[0] == "blocks":
            _, bq, bk, cells = p
            dense = "[" + ", ".join(
                "[" + ", ".join("true" if x else "false" for x in row) + "]"
                for row in cells) + "]"
            words.append(f"blocks [{bq}, {bk}] dense<{dense}> : "
                         f"tensor<{len(cells)}x{len(cells[0])}xi1>")
    return " ".join(words)


def render(c, name):
    """The configuration as a function of one xf.block."""
    batch, s, d, f = c["batch"], c["s"], c["d"], c["f"]
    heads, kv, dh = c["heads"], c["kv"], c["dh"]
    args, operands = [], {}
    # int8 weights: xf.dequantize of an i8 argument and its scales, before
    # the block, which takes the f32 results.
    dequantized, lines = {}, []
    constants = {}

    def arg(key, shape):
        args.append((key, shape))
        operands[key] = f"%{key}"

    def weight(key, k, n):
        shape = [k, n] if c["kn"] else [n, k]
        if c.get("sparse"):
            constants[key] = shape
            operands[key] = f"%{key}"
            lines.append(f"  %{key} = arith.constant dense<\"" +
                         sparse_weight(c, key, k, n) + f"\"> : "
                         f"{tensor(shape)}\n")
            return
        if c["weights"] != "i8":
            arg(key, shape)
            return
        g = c["group"]
        scales = [n] if g is None else [n, -(-k // g)]
        arg("q" + key, shape)
        arg("s" + key, scales)
        operands[key] = f"%{key}"
        dequantized[key] = shape
        lines.append(
            f"  %{key} = xf.dequantize %q{key} scales %s{key} "
            f"axis {1 if c['kn'] else 0}" + (f" group {g}" if g else "") +
            f" : ({tensor(shape, 'i8')}, {tensor(scales)}) -> "
            f"{tensor(shape)}\n")

    arg("x", batch + [s, d])
    arg("g1", [d])
    if "b1" in c["biases"]:
        arg("b1", [d])
    weight("wq", d, heads * dh)
    weight("wk", d, kv * dh)
    weight("wv", d, kv * dh)
    weight("wo", heads * dh, d)
    for key, n in [("bq", heads * dh), ("bk", kv * dh), ("bv", kv * dh),
                   ("bo", d)]:
        if key in c["biases"]:
            arg(key, [n])
    arg("g2", [d])
    if "b2" in c["biases"]:
        arg("b2", [d])
    weight("wu", d, f)
    if c["gated"]:
        weight("wg", d, f)
    weight("wd", f, d)
    for key, n in [("bu", f), ("bg", f), ("bd", d)]:
        if key in c["biases"]:
            arg(key, [n])
    if c["mask"]:
        arg("m", [s, s] if c["mask"] == "square" else batch + [1, 1, s])

    attrs = f"heads {heads}"
    if kv != heads:
        attrs += f" kv_heads {kv}"
    if c["scale"] is not None:
        attrs += f" scale {c['scale']:.6e}"
    if c["layout"]:
        attrs += " " + layout_words(c["layout"])
    attrs += f" norm {c['norm']} {c['norm_at']} act {c['act']}"
    if c["rope"]:
        theta, rot, style = c["rope"]
        attrs += f" rope_theta {theta:.6e} rotary_dim {rot} rope_style {style}"
    if not c["kn"]:
        attrs += " layout nk"

    def group(keys):
        return ", ".join(operands[k] for k in keys if k in operands)

    body = f"xf.block %x {attrs}"
    body += f" norm1({group(['g1', 'b1'])})"
    body += f" attn({group(['wq', 'wk', 'wv', 'wo'])})"
    for key, word in [("bq", "q_bias"), ("bk", "k_bias"), ("bv", "v_bias"),
                      ("bo", "o_bias")]:
        if key in operands:
            body += f" {word} {operands[key]}"
    body += f" norm2({group(['g2', 'b2'])})"
    mlp = "up %wu" + (" gate %wg" if c["gated"] else "") + " down %wd"
    for key, word in [("bu", "up_bias"), ("bg", "gate_bias"),
                      ("bd", "down_bias")]:
        if key in operands:
            mlp += f" {word} {operands[key]}"
    body += f" mlp({mlp})"
    if "m" in operands:
        body += " mask %m"
    ints = set()
    if c["mode"] == "decode":
        arg("pos", batch + [s])
        arg("kc", batch + [c["capacity"], kv * dh])
        arg("vc", batch + [c["capacity"], kv * dh])
        arg("len", batch)
        ints |= {"pos", "len"}
        body += " positions %pos kv_cache(%kc, %vc) kv_len %len"
    if c["mode"] == "varlen":
        arg("cu", [c["sequences"] + 1])
        ints.add("cu")
        body += " seq_offsets %cu"
    # The op's operand order is the ODS order, which is the order of `args`
    # except that the additive mask comes after the weights and the MLP
    # weights are up, gate, down.
    order = ["x", "g1", "b1", "wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo",
             "g2", "b2", "wu", "wg", "wd", "bu", "bg", "bd", "m", "pos", "kc",
             "vc", "len", "cu"]
    shapes = dict(args)
    shapes.update(dequantized)
    shapes.update(constants)
    weights = {"wq", "wk", "wv", "wo", "wu", "wg", "wd"}

    def ty(k):
        if k in ints:
            return tensor(shapes[k], "i32")
        if k[1:] in dequantized and k[0] == "q":
            return tensor(shapes[k], "i8")
        if k in weights and k not in dequantized:
            return tensor(shapes[k], c["weights"])
        return tensor(shapes[k])

    types = ", ".join(ty(k) for k in order if k in shapes)
    outs = [tensor(batch + [s, d])]
    if c["mode"] == "decode":
        outs += [ty("kc"), ty("vc")]
    out = ", ".join(outs)
    sig = ", ".join(f"%{k}: {ty(k)}" for k, _ in args)
    results = ", ".join(f"%y#{i}" for i in range(len(outs)))
    return (f"func.func @{name}({sig}) -> ({out}) {{\n" + "".join(lines) +
            f"  %y:{len(outs)} = {body}\n      : ({types}) -> ({out})\n"
            f"  return {results} : {out}\n}}\n")


# ---------------------------------------------------------------------------
# Shrinking a failing configuration
# ---------------------------------------------------------------------------

def fit_layout(parts, keys):
    """The layout components that still fit `keys` keys."""
    kept = []
    for p in parts:
        if p[0] == "window":
            kept.append(("window", min(p[1], keys), p[2]))
        elif p[0] == "sinks":
            kept.append(("sinks", min(p[1], keys)))
        elif p[0] == "global":
            if all(g < keys for g in p[1]):
                kept.append(p)
        elif p[0] == "blocks":
            if len(p[3]) == -(-keys // p[1]) and \
                    len(p[3][0]) == -(-keys // p[2]):
                kept.append(p)
        else:
            kept.append(p)
    return kept


def simpler(c):
    """Configurations one step simpler than `c`, simplest steps first."""
    def with_(**changes):
        n = dict(c, **changes)
        n["biases"] = set(n["biases"])
        n["layout"] = fit_layout(n["layout"], keys_of(n))
        if n["rope"] and n["rope"][1] > n["dh"]:
            n["rope"] = (n["rope"][0], n["dh"] - n["dh"] % 2, n["rope"][2])
        return n

    if c["batch"]:
        yield with_(batch=c["batch"][1:])
    if c["mode"] != "prefill":
        yield with_(mode="prefill", capacity=None, s=min(c["s"], 5))
    for s in (1, 2, 5):
        if s < c["s"]:
            capacity = max(s, c["capacity"]) if c["mode"] == "decode" else None
            yield with_(s=s, capacity=capacity)
    if c["mode"] == "decode" and c["capacity"] > c["s"]:
        yield with_(capacity=c["s"])
    for i in range(len(c["layout"])):
        yield with_(layout=c["layout"][:i] + c["layout"][i + 1:])
    for b in sorted(c["biases"]):
        yield with_(biases=c["biases"] - {b})
    if c["heads"] > 1:
        yield with_(heads=1, kv=1)
    if c["kv"] != c["heads"]:
        yield with_(kv=c["heads"])
    for key, small in (("dh", 4), ("d", 8), ("f", 8)):
        if c[key] > small:
            yield with_(**{key: small})
    if c["rope"]:
        yield with_(rope=None)
    if c["mask"]:
        yield with_(mask=None)
    if c["scale"] is not None:
        yield with_(scale=None)
    if c["gated"]:
        yield with_(gated=False, biases=c["biases"] - {"bg"})
    if c["group"]:
        yield with_(group=None)
    if c.get("sparse"):
        yield with_(sparse=None)
    if c["weights"] != "f32":
        yield with_(weights="f32", group=None)
    if not c["kn"]:
        yield with_(kn=True)
    for key, plain in (("act", "relu"), ("norm_at", "pre")):
        if c[key] != plain:
            yield with_(**{key: plain})
    if c["norm"] != "rms_norm":
        yield with_(norm="rms_norm", biases=c["biases"] - {"b1", "b2"})


def pipeline_options(c):
    """Options every variant gets for `c`: 2:4 weights go sparse in prefill
    too (their measured cost there, 0.85, is above the default threshold)."""
    if c.get("sparse") and c["sparse"][0] == "2:4":
        return "sparsity-threshold=0.9"
    return ""


def check(path, xf_run, seed, variants, options=""):
    """check-pipelines.py's output and whether every variant agreed. One
    variant, drawn from `seed`, gets LLVM's -O3 and the others -O0."""
    cmd = [sys.executable, CHECK, xf_run, path, "--seed", str(seed)]
    env = dict(os.environ)
    env["XF_CHECK_OPTIMIZED"] = str(seed)
    if variants:
        env["XF_CHECK_VARIANTS"] = ",".join(variants)
    if options:
        env["XF_CHECK_OPTIONS"] = options
    run = subprocess.run(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env)
    return run.stdout, run.returncode == 0


def failing_variants(output):
    """The variants check-pipelines.py reports as failed."""
    return [line.split("]")[0][1:] for line in output.splitlines()
            if "FAILED with exit code" in line]


def shrink(c, name, path, xf_run, seed, output):
    """The simplest configuration found that still fails as `c` does: in the
    same pipeline variants, and only those."""
    variants = failing_variants(output)
    steps = 0
    progress = True
    while progress:
        progress = False
        for candidate in simpler(c):
            with open(path, "w") as f:
                f.write(render(candidate, name))
            out, _ = check(path, xf_run, seed, [],
                           pipeline_options(candidate))
            if failing_variants(out) == variants:
                c, progress, steps = candidate, True, steps + 1
                break
    with open(path, "w") as f:
        f.write(render(c, name))
    return c, steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("xf_run")
    parser.add_argument("work")
    parser.add_argument("--variants", default="",
                        help="comma-separated check-pipelines variants "
                             "(default: all)")
    parser.add_argument("--keep-going", action="store_true",
                        help="go on after a failure (and count them)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="configurations checked at once")
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)
    failures, start = [], time.time()
    # Drawn in order (the seed decides them all), checked `jobs` at a time,
    # reported in order; a failure is shrunk on its own afterwards.
    configs, paths = [], []
    for i in range(args.count):
        configs.append(draw(rng))
        paths.append(os.path.join(args.work, f"block{i}.mlir"))
        with open(paths[-1], "w") as f:
            f.write(render(configs[-1], f"block{i}"))
    pool = concurrent.futures.ThreadPoolExecutor(max(1, args.jobs))
    try:
        checks = [pool.submit(check, path, args.xf_run, args.seed + i, variants,
                              pipeline_options(config))
                  for i, (config, path) in enumerate(zip(configs, paths))]
        for i, (config, path) in enumerate(zip(configs, paths)):
            output, ok = checks[i].result()
            if ok:
                print(f"block {i}: {output.strip().splitlines()[-1]}")
                continue
            print(output)
            reduced = os.path.join(args.work, f"block{i}.reduced.mlir")
            _, steps = shrink(config, f"block{i}", reduced, args.xf_run,
                              args.seed + i, output)
            print(f"random block {i} failed: {path}; shrunk in {steps} steps "
                  f"to {reduced}")
            failures.append(path)
            if not args.keep_going:
                sys.exit(1)
    finally:
        # Queued checks are not waited for after an interrupt or an error.
        pool.shutdown(wait=False, cancel_futures=True)
    elapsed = time.time() - start
    print(f"{args.count} random blocks, {len(failures)} failed, "
          f"{elapsed:.0f} s")
    if failures:
        sys.exit(1)
    print(f"{args.count} random blocks ok")


if __name__ == "__main__":
    main()
