// Replays a dump of fuzz inputs (ZKPOLICY_FUZZ_DUMP, written by the native fuzz
// tests with the native decoders' answers) through the decoders compiled for
// wasm32-unknown-unknown, the npm verifier's target: 32-bit usize, no default
// features. Reports every trap (a panic: the decoder must return an error instead)
// and every input where wasm32 and native disagree (accept/reject or the decoded
// value), which is how 64-to-32-bit truncations show up.
//
//   node run.mjs fuzz_wasm32.wasm dump.bin
//
// Exits 1 if any input traps or disagrees.
import { readFileSync } from "node:fs";

const [wasmPath, dumpPath] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(wasmPath));
const NAMES = ["model_codec", "visibility_read", "r1cs", "spartan_vk", "spartan_proof", "policy_proof",
  "policy_proof_any", "verifier_key", "scalar_from_hex", "visibility_parse"];

let inst = new WebAssembly.Instance(module, {});
const dump = readFileSync(dumpPath);
const view = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
const stats = NAMES.map(() => ({ n: 0, ok: 0, traps: 0, diffs: 0, skipped: 0 }));
const findings = [];
const hex = (b) => Buffer.from(b).toString("hex");
const started = Date.now();

for (let at = 0; at < dump.length; ) {
  const id = dump[at];
  const arg = view.getUint32(at + 1, true);
  const len = view.getUint32(at + 5, true);
  const bytes = dump.subarray(at + 9, at + 9 + len);
  const native = view.getInt32(at + 9 + len, true);
  at += 13 + len;
  const s = stats[id];
  s.n++;
  if (native === -2) {
    s.skipped++; // panics natively: the native run reports it
    continue;
  }
  let wasm;
  try {
    const ptr = inst.exports.fz_input(len);
    new Uint8Array(inst.exports.memory.buffer, ptr, len).set(bytes);
    wasm = inst.exports.fz_run(id, arg);
  } catch (e) {
    let msg = String(e);
    try {
      const n = inst.exports.fz_panic_message();
      msg = Buffer.from(new Uint8Array(inst.exports.memory.buffer, inst.exports.fz_buffer(), n)).toString();
    } catch {}
    s.traps++;
    const where = (msg.match(/panicked at ([^\n]*)/) || [, msg])[1];
    findings.push({ key: `TRAP [${NAMES[id]}] at ${where}`, text: `TRAP [${NAMES[id]}] arg ${arg}: ${msg}\n  input (${len} bytes): ${hex(bytes)}` });
    inst = new WebAssembly.Instance(module, {});
    continue;
  }
  if (wasm >= 0) s.ok++;
  if (wasm !== native) {
    s.diffs++;
    const say = (r) => (r < 0 ? "Err" : `Ok (re-encoding hash ${r.toString(16)})`);
    const kind = `native ${native < 0 ? "Err" : "Ok"}, wasm32 ${wasm < 0 ? "Err" : "Ok"}`;
    findings.push({ key: `DIFF [${NAMES[id]}] ${kind}`, text: `DIFF [${NAMES[id]}] arg ${arg}: native ${say(native)}, wasm32 ${say(wasm)}\n  input (${len} bytes): ${hex(bytes)}` });
  }
}

console.log("\n=== wasm32 replay ===");
for (const [i, s] of stats.entries()) {
  if (s.n) console.log(`${NAMES[i].padEnd(20)} ${String(s.n).padStart(8)} inputs  ok ${String(s.ok).padStart(7)}  traps ${s.traps}  differ ${s.diffs}${s.skipped ? `  (native panics skipped: ${s.skipped})` : ""}`);
}
const total = stats.reduce((a, s) => a + s.n, 0);
console.log(`total: ${total} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${findings.length} findings`);
// Grouped by kind, target and panic location: the count, then the two shortest inputs.
const groups = new Map();
for (const f of findings) groups.set(f.key, [...(groups.get(f.key) || []), f.text]);
for (const [key, texts] of groups) {
  console.log(`\n${texts.length} × ${key}`);
  for (const t of texts.sort((a, b) => a.length - b.length).slice(0, 2)) {
    console.log(t.length > 4500 ? t.slice(0, 4500) + "…" : t);
  }
}
for (const [i, s] of stats.entries()) {
  if (s.n) console.log(`WASM32-STAT ${NAMES[i]} ${s.n} ${s.ok} ${s.traps} ${s.diffs}`);
}
process.exit(findings.length ? 1 : 0);
