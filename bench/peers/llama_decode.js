// llama.cpp (node-llama-cpp 3.21.1's prebuilt CPU build) timed on a GGUF
// written by llama_gguf.py: decode steps at several KV-cache lengths and one
// prefill. Prints JSON lines: one "env" line, then one per case with
// median_ms and p10_ms (the ceil(n/10)-th fastest), in ms of wall time
// around one llama_decode call (N-API dispatch included, ~0.1 ms).
//   node llama_decode.js MODEL.gguf [--threads 2] [--lengths 128,1024,4000]
//        [--steps 32] [--warmup 4] [--prefill 512] [--reps 5] [--kv f32|f16]
//        [--fa off|on|auto]  (default: off with an f32 KV cache, else auto)
//   node llama_decode.js MODEL.gguf --hidden N   (for llama_check.py)
// node-llama-cpp is loaded from $XF_PEERS_DIR/llama (install_peers.sh).
//
// It drives node-llama-cpp's native context (context._ctx: initBatch,
// addToBatch, decodeBatch), an internal API of the pinned version: one timed
// call is exactly one llama_decode with logits exactly where asked, and no
// sampling. Flash attention: with it, llama.cpp casts an f32 K and V to f16
// before every attention (src/llama-graph.cpp, build_attn_mha), so an f32
// cache is only computed in f32 with flash attention off. Logits: llama.cpp
// computes the last layer's attention output and FFN only for the rows that
// produce logits, so the prefill asks for logits on all tokens.
"use strict";
const os = require("os");
const path = require("path");

const opt = {threads: 2, lengths: "128,1024,4000", steps: 32, warmup: 4,
             prefill: 512, reps: 5, kv: "f32", fa: "", hidden: 0, ctx: 4096};
const argv = process.argv.slice(2);
const model = argv.shift();
while (argv.length) {
  const key = argv.shift().replace(/^--/, ""), value = argv.shift();
  if (!(key in opt) || value === undefined) throw new Error(`bad option --${key}`);
  opt[key] = typeof opt[key] === "number" ? Number(value) : value;
}
const lengths = opt.lengths.split(",").filter(Boolean).map(Number);

const sorted = xs => [...xs].sort((a, b) => a - b);
const median = xs => { const s = sorted(xs), n = s.length;
                       return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const p10 = xs => sorted(xs)[Math.max(0, Math.ceil(0.1 * xs.length) - 1)];
const round = x => Math.round(x * 1e4) / 1e4;
const print = o => process.stdout.write(JSON.stringify(o) + "\n");
let seed = 12345;  // xorshift: token ids only steer which embedding rows are read
const tokens = (n, vocab) => Uint32Array.from({length: n}, () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % vocab; });

async function main() {
  const dir = process.env.XF_PEERS_DIR || path.join(os.homedir(), ".cache", "xf-peers");
  const {getLlama, LlamaLogLevel} = await import(
      path.join(dir, "llama", "node_modules", "node-llama-cpp", "dist", "index.js"));
  const logs = [];
  const llama = await getLlama({gpu: false, build: "never", skipDownload: true,
                                progressLogs: false, maxThreads: opt.threads,
                                logLevel: LlamaLogLevel.info, logger: (_, m) => logs.push(m)});
  const m = await llama.loadModel({modelPath: model, gpuLayers: 0});
  const vocab = m.fileInfo.metadata.llama.vocab_size;
  const batch = Math.max(512, opt.prefill, opt.hidden);
  const KV = opt.kv.toUpperCase();  // "F32": twice the bytes of llama.cpp's default F16
  const fa = opt.fa || (KV === "F32" ? "off" : "auto");
  const ctx = await m.createContext({
    contextSize: opt.ctx, batchSize: batch, threads: opt.threads,
    experimentalKvCacheKeyType: KV, experimentalKvCacheValueType: KV,
    flashAttention: fa === "auto" ? "auto" : fa === "on",
    _embeddings: opt.hidden > 0});  // internal: final hidden states readable
  // Keep the sequence object alive: once garbage-collected, node-llama-cpp
  // disposes of the sequence and clears its KV cells behind our back.
  const sequence = ctx.getSequence();
  const A = ctx._ctx, seq = sequence._sequenceId;
  const none = new Uint32Array(0);

  async function decode(pos, toks, outputs) {  // one llama_decode, in ms
    A.initBatch(toks.length);
    A.addToBatch(seq, pos, toks, outputs);
    const t0 = performance.now();
    await A.decodeBatch();
    return performance.now() - t0;
  }

  await new Promise(r => setTimeout(r, 10));  // let the log lines arrive
  const last = re => (logs.map(l => re.exec(l)).filter(Boolean).pop() || [])[1] || "unknown";
  const kvType = last(/K \((\w+)\):/);
  if (opt.hidden > 0) {
    // Final hidden state (after output_norm) of the last of N prompt tokens,
    // then of one more token decoded against the KV cache.
    const toks = tokens(opt.hidden + 1, vocab);
    await decode(0, toks.subarray(0, opt.hidden), Uint32Array.of(opt.hidden - 1));
    const prefill = Array.from(A.getEmbedding(opt.hidden));
    await decode(opt.hidden, toks.subarray(opt.hidden), Uint32Array.of(0));
    print({kv_type: kvType, tokens: Array.from(toks), prefill_hidden: prefill,
           decode_hidden: Array.from(A.getEmbedding(1))});
  } else {
    print({case: "env", threads: A.getThreads(), ctx: ctx.contextSize, batch, kv_type: kvType,
           flash_attention: fa === "off" ? "disabled" : last(/Flash Attention (\w+)/),
           loadavg: os.loadavg()[0]});
    for (const L of lengths) {
      if (L + 1 > ctx.contextSize) throw new Error(`L=${L} does not fit ctx ${ctx.contextSize}`);
      A.disposeSequence(seq);  // empties the sequence's KV cells
      const fill = tokens(L, vocab);
      for (let s = 0; s < L; s += batch)
        await decode(s, fill.subarray(s, s + batch), none);
      // Every step decodes one token at position L (with its logits, as
      // generation does) and then drops its KV cell, so that each step
      // attends to exactly L earlier tokens.
      const times = [];
      for (let i = 0; i < opt.warmup + opt.steps; i++) {
        const t = await decode(L, tokens(1, vocab), Uint32Array.of(0));
        if (!A.removeTokenCellsFromSequence(seq, L, -1)) throw new Error("KV removal failed");
        if (i >= opt.warmup) times.push(t);
      }
      if (A.getSequenceKvCacheMaxPosition(seq) !== L - 1) throw new Error("KV cache not at L");
      print({case: `decode L=${L}`, median_ms: round(median(times)), p10_ms: round(p10(times)),
             n: times.length});
    }
    if (opt.prefill > 0) {
      const P = opt.prefill, toks = tokens(P, vocab);
      const all = Uint32Array.from({length: P}, (_, i) => i), times = [];
      for (let r = 0; r < 1 + opt.reps; r++) {  // one warm-up
        A.disposeSequence(seq);
        const t = await decode(0, toks, all);
        if (r > 0) times.push(t);
      }
      print({case: `prefill P=${P} logits=all`, median_ms: round(median(times)),
             p10_ms: round(p10(times)), n: times.length});
    }
  }
  await sequence.dispose();
  await ctx.dispose();
  await m.dispose();
  await llama.dispose();
}
main().catch(e => { console.error(`llama_decode: ${e.stack || e}`); process.exit(1); });
