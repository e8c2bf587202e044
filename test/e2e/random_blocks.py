"""Differential test: random xf.block configurations through every pipeline.

Generates COUNT random blocks (batch dims, sequence lengths down to 1, head
counts and sizes that are not multiples of the vector width, GQA, LayerNorm
or RMSNorm before or after, every activation, dense or gated MLPs, every
attention layout component (causal, windows, dilation, strides, sinks,
global positions, block maps) and additive masks, rotary embeddings, any
subset of biases, both weight layouts), as a prefill, as a decode step
against KV caches with random valid lengths, or on packed sequences of
random lengths; writes each as an .mlir file and compares every pipeline
variant with the reference evaluator (check-pipelines.py).
Reproducible from the seed; prints the failing file when one fails.

usage: random_blocks.py SEED COUNT XF_RUN WORK_DIR
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "..", "Inputs", "check-pipelines.py")


def tensor(shape, elt="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elt + ">"


def random_layout(rng, keys):
    """A random attention layout that fits `keys` keys, as keywords."""
    words = []
    if rng.random() < 0.6:
        words.append("causal")
    if rng.random() < 0.5:
        words.append(f"window {rng.randint(1, max(1, keys))}")
        if rng.random() < 0.3:
            words.append(f"dilation {rng.randint(2, 3)}")
    if rng.random() < 0.2:
        words.append(f"stride {rng.randint(2, 6)}")
    if rng.random() < 0.3:
        words.append(f"sinks {rng.randint(1, min(4, keys))}")
    if rng.random() < 0.2:
        picks = sorted(rng.sample(range(keys), min(keys, rng.randint(1, 3))))
        words.append("global [" + ", ".join(map(str, picks)) + "]")
    if rng.random() < 0.2:
        bq, bk = rng.randint(1, 8), rng.randint(1, 8)
        rows, cols = -(-keys // bq), -(-keys // bk)
        cells = [["true" if rng.random() < 0.5 else "false"
                  for _ in range(cols)] for _ in range(rows)]
        dense = "[" + ", ".join("[" + ", ".join(r) + "]" for r in cells) + "]"
        words.append(f"blocks [{bq}, {bk}] dense<{dense}> : "
                     f"tensor<{rows}x{cols}xi1>")
    return " ".join(words)


def random_block(rng, name):
    mode = rng.choice(["prefill", "prefill", "decode", "varlen"])
    batch = [rng.choice([1, 2]) for _ in range(rng.choice([0, 1, 2]))]
    s = rng.choice([1, 2, 5, 13, 20])
    if mode == "decode":
        s = rng.choice([1, 1, 2, 3])
        capacity = rng.choice([s, 7, 24, 40])
    if mode == "varlen":
        batch = []
        s = rng.choice([6, 20, 41])
    heads = rng.choice([1, 2, 3, 4])
    kv = rng.choice([h for h in range(1, heads + 1) if heads % h == 0])
    dh = rng.choice([4, 8, 12, 16, 20])
    d = rng.choice([8, 24, 33, 48])
    f = rng.choice([8, 30, 64])
    kn = rng.random() < 0.5
    norm = rng.choice(["layer_norm", "rms_norm"])
    gated = rng.random() < 0.5
    args, operands, attrs = [], {}, []

    def arg(key, shape):
        args.append((key, shape))
        operands[key] = f"%{key}"

    def weight(key, k, n):
        arg(key, [k, n] if kn else [n, k])

    arg("x", batch + [s, d])
    arg("g1", [d])
    if norm == "layer_norm" and rng.random() < 0.7:
        arg("b1", [d])
    weight("wq", d, heads * dh)
    weight("wk", d, kv * dh)
    weight("wv", d, kv * dh)
    weight("wo", heads * dh, d)
    for key, n in [("bq", heads * dh), ("bk", kv * dh), ("bv", kv * dh),
                   ("bo", d)]:
        if rng.random() < 0.4:
            arg(key, [n])
    arg("g2", [d])
    if norm == "layer_norm" and rng.random() < 0.7:
        arg("b2", [d])
    weight("wu", d, f)
    if gated:
        weight("wg", d, f)
    weight("wd", f, d)
    for key, n in [("bu", f), ("bg", f), ("bd", d)]:
        if rng.random() < 0.3 and (key != "bg" or gated):
            arg(key, [n])
    keys = capacity if mode == "decode" else s
    if rng.random() < 0.3 and mode == "prefill":
        arg("m", rng.choice([[s, s], batch + [1, 1, s]]))

    mask = random_layout(rng, keys)
    attrs = f"heads {heads}"
    if kv != heads:
        attrs += f" kv_heads {kv}"
    if rng.random() < 0.3:
        attrs += f" scale {rng.uniform(0.05, 0.5):.6e}"
    if mask:
        attrs += " " + mask
    attrs += f" norm {norm} {rng.choice(['pre', 'post'])}"
    attrs += f" act {rng.choice(['gelu', 'gelu_tanh', 'relu', 'silu'])}"
    if rng.random() < 0.5:
        rot = rng.choice([r for r in range(2, dh + 1, 2)])
        attrs += f" rope_theta {rng.choice([100.0, 10000.0]):.6e}"
        attrs += f" rotary_dim {rot} rope_style "
        attrs += rng.choice(["half", "interleaved"])
    if not kn:
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
    mlp = f"up %wu" + (" gate %wg" if gated else "") + " down %wd"
    for key, word in [("bu", "up_bias"), ("bg", "gate_bias"),
                      ("bd", "down_bias")]:
        if key in operands:
            mlp += f" {word} {operands[key]}"
    body += f" mlp({mlp})"
    if "m" in operands:
        body += " mask %m"
    ints = set()
    if mode == "decode":
        arg("pos", batch + [s])
        arg("kc", batch + [capacity, kv * dh])
        arg("vc", batch + [capacity, kv * dh])
        arg("len", batch)
        ints |= {"pos", "len"}
        body += " positions %pos kv_cache(%kc, %vc) kv_len %len"
    if mode == "varlen":
        arg("cu", [rng.randint(2, 5)])
        ints.add("cu")
        body += " seq_offsets %cu"
    # The op's operand order is the ODS order, which is the order of `args`
    # except that the additive mask comes after the weights and the MLP
    # weights are up, gate, down.
    order = ["x", "g1", "b1", "wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo",
             "g2", "b2", "wu", "wg", "wd", "bu", "bg", "bd", "m", "pos", "kc",
             "vc", "len", "cu"]
    shapes = dict(args)

    def ty(k):
        return tensor(shapes[k], "i32" if k in ints else "f32")

    types = ", ".join(ty(k) for k in order if k in shapes)
    outs = [tensor(batch + [s, d])]
    if mode == "decode":
        outs += [ty("kc"), ty("vc")]
    out = ", ".join(outs)
    sig = ", ".join(f"%{k}: {ty(k)}" for k, _ in args)
    results = ", ".join(f"%y#{i}" for i in range(len(outs)))
    return (f"func.func @{name}({sig}) -> ({out}) {{\n"
            f"  %y:{len(outs)} = {body}\n      : ({types}) -> ({out})\n"
            f"  return {results} : {out}\n}}\n")


def main():
    seed, count, xf_run, work = (int(sys.argv[1]), int(sys.argv[2]),
                                 sys.argv[3], sys.argv[4])
    rng = random.Random(seed)
    os.makedirs(work, exist_ok=True)
    for i in range(count):
        path = os.path.join(work, f"block{i}.mlir")
        with open(path, "w") as f:
            f.write(random_block(rng, f"block{i}"))
        run = subprocess.run([sys.executable, CHECK, xf_run, path,
                              "--seed", str(seed + i)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        if run.returncode != 0:
            print(run.stdout)
            sys.exit(f"random block {i} failed: {path}")
        print(f"block {i}: {run.stdout.strip().splitlines()[-1]}")
    print(f"{count} random blocks ok")


if __name__ == "__main__":
    main()
