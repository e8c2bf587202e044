// Times one case folder of ort_attention.py in ONNX Runtime 1.30 (CPU,
// onnxruntime-node from $XF_PEERS_DIR/ort, see install_peers.sh) and checks
// its output against the folder's float64 reference.
//   node ort_run.js CASE_DIR [reps=20] [--warmup 3] [--threads 2]
// Feeds every CASE_DIR/*.npy but ref.npy as the input of its name. Prints
//   median X ms p10 Y ms max_rel_err E CASE
// with max_rel_err = max|out - ref| / max|ref|; above 1e-3 it says so on
// stderr and exits 1 (a wrong peer is often a fast one).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const args = process.argv.slice(2);
const flag = (name, value) => {
  const i = args.indexOf(name);
  return i < 0 ? value : Number(args.splice(i, 2)[1]);
};
const warmup = flag("--warmup", 3), threads = flag("--threads", 2);
const [dir, reps = "20"] = args;
const peers = process.env.XF_PEERS_DIR || path.join(os.homedir(), ".cache", "xf-peers");
const ort = require(path.join(peers, "ort", "node_modules", "onnxruntime-node"));

function readNpy(file) {  // little-endian, C order: f4, f8, i4
  const buf = fs.readFileSync(file);
  const headerLen = buf.readUInt16LE(8), header = buf.toString("latin1", 10, 10 + headerLen);
  if (/'fortran_order': True/.test(header)) throw new Error(`${file}: Fortran order`);
  const descr = /'descr': '([^']+)'/.exec(header)[1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)[1].split(",").filter(x => x.trim()).map(Number);
  const Type = {"<f4": Float32Array, "<f8": Float64Array, "<i4": Int32Array}[descr];
  if (!Type) throw new Error(`${file}: dtype ${descr}`);
  const data = buf.subarray(10 + headerLen);
  // Copy into a fresh, aligned buffer.
  return {type: {"<f4": "float32", "<f8": "float64", "<i4": "int32"}[descr], shape,
          data: new Type(data.buffer.slice(data.byteOffset, data.byteOffset + data.length))};
}

async function main() {
  const session = await ort.InferenceSession.create(path.join(dir, "model.onnx"), {
    intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all",
    executionMode: "sequential"});
  const feeds = {};
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith(".npy") && f !== "ref.npy")) {
    const a = readNpy(path.join(dir, f));
    feeds[f.slice(0, -4)] = new ort.Tensor(a.type, a.data, a.shape);
  }
  const times = [];
  let out;
  for (let i = 0; i < warmup + Number(reps); i++) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    const ms = Number(process.hrtime.bigint() - t0) * 1e-6;
    if (i >= warmup) times.push(ms);
  }
  const ref = readNpy(path.join(dir, "ref.npy")).data;
  const got = out[session.outputNames[0]].data;
  if (got.length !== ref.length) throw new Error(`output has ${got.length} values, ref ${ref.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));  // NaN fails the test below
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  const err = diff / scale;
  times.sort((a, b) => a - b);
  const n = times.length;
  const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  const p10 = times[Math.max(0, Math.ceil(0.1 * n) - 1)];
  console.log(`median ${median.toFixed(4)} ms p10 ${p10.toFixed(4)} ms ` +
              `max_rel_err ${err.toExponential(2)} ${path.basename(path.resolve(dir))}`);
  if (!(err <= 1e-3)) {
    console.error(`ort_run: NUMERICS FAIL: max_rel_err ${err} > 1e-3 in ${dir}`);
    process.exit(1);
  }
}
main().catch(e => { console.error(`ort_run: ${e.stack || e}`); process.exit(1); });
