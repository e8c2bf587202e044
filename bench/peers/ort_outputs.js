// Runs a model in ONNX Runtime 1.30 (CPU, onnxruntime-node from
// $XF_PEERS_DIR/ort, see install_peers.sh) on the inputs a test script saved
// for xf-run, and compares every output with the one xf-run dumped:
//   node ort_outputs.js PREFIX NAME,NAME,...
// reads PREFIX.onnx, PREFIX_in<i>.npy as the graph input NAME i, and
// PREFIX_out/output<i>.npy (xf-run --dump-output); prints per output
//   OUTPUT max_rel_err E
// with E = max|ort - xf| / max|xf| (test/Target/onnx/contrib_models.py
// writes such files).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const peers = process.env.XF_PEERS_DIR || path.join(os.homedir(), ".cache", "xf-peers");
const ort = require(path.join(peers, "ort", "node_modules", "onnxruntime-node"));

function readNpy(file) {  // little-endian, C order: f4, i4, i8, b1
  const buf = fs.readFileSync(file);
  const headerLen = buf.readUInt16LE(8), header = buf.toString("latin1", 10, 10 + headerLen);
  const descr = /'descr': '([^']+)'/.exec(header)[1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)[1].split(",").filter(x => x.trim()).map(Number);
  const kinds = {"<f4": [Float32Array, "float32"], "<i4": [Int32Array, "int32"],
                 "<i8": [BigInt64Array, "int64"], "|b1": [Uint8Array, "bool"]};
  if (!kinds[descr]) throw new Error(`${file}: dtype ${descr}`);
  const data = buf.subarray(10 + headerLen);
  const [Type, type] = kinds[descr];
  return {type, shape, data: new Type(data.buffer.slice(data.byteOffset, data.byteOffset + data.length))};
}

async function main() {
  const [prefix, names] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(prefix + ".onnx");
  const feeds = {};
  names.split(",").forEach((name, i) => {
    const a = readNpy(`${prefix}_in${i}.npy`);
    feeds[name] = new ort.Tensor(a.type, a.data, a.shape);
  });
  const out = await session.run(feeds);
  session.outputNames.forEach((name, i) => {
    const want = readNpy(`${prefix}_out/output${i}.npy`).data, got = out[name].data;
    if (got.length !== want.length) throw new Error(`${name}: ${got.length} values, xf ${want.length}`);
    let diff = 0, scale = 0;
    for (let k = 0; k < want.length; k++) {
      diff = Math.max(diff, Math.abs(got[k] - want[k]));
      scale = Math.max(scale, Math.abs(want[k]));
    }
    console.log(`${name} max_rel_err ${(diff / scale).toExponential(2)}`);
  });
}

main().catch(e => { console.error(e.message); process.exit(1); });
