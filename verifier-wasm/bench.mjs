// Measures @zkpolicy/verifier as installed from its tarball (run by
// scripts/test-wasm.sh inside the temporary consumer project):
//   module load time (fresh Node processes, ESM import and require),
//   verify time per seed model, from the key bytes (verify(proof, vk), which decodes
//   the key each time) and with a key loaded once (loadVerifierKey(vk).verify(proof)),
//   and where the latter goes: the phases of handle.verifyWithPhases (those of
//   `zkpolicy bench`, after "decode proof", which includes copying the proof in),
//   .wasm raw and gzip size, tarball size.
// Prints medians and checks them against the targets of the package; size
// targets are hard failures, timing targets only warn (the machine is shared).
//
//   node bench.mjs [--quick] [--tarball PATH]      (needs ZKP_FIXTURES)
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { MODELS, vkOf, proofOf } from './test/helpers.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const tarball = args.includes('--tarball') ? args[args.indexOf('--tarball') + 1] : null;
const LOAD_RUNS = quick ? 7 : 31;
const VERIFY_RUNS = quick ? 15 : 201;
const KB = 1000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Module load: a fresh process per sample, timing only the import/require itself.
function loadTime(kind) {
  const code = kind === 'import'
    ? "const t=performance.now(); await import('@zkpolicy/verifier'); console.log(performance.now()-t)"
    : "const t=performance.now(); require('@zkpolicy/verifier'); console.log(performance.now()-t)";
  const flags = kind === 'import' ? ['--input-type=module', '-e', code] : ['-e', code];
  const samples = [];
  for (let i = 0; i < LOAD_RUNS; i++) samples.push(Number(execFileSync(process.execPath, flags, { encoding: 'utf8' })));
  return median(samples);
}

const rows = [];
const failures = [];
const warnings = [];
function report(name, value, unit, target) {
  const ok = target === undefined || value <= target.max;
  rows.push([name, `${value.toFixed(unit === 'ms' ? 2 : 1)} ${unit}`, target ? `≤ ${target.max} ${unit}` : '', target ? (ok ? 'ok' : 'OVER') : '']);
  if (!ok) (target.hard ? failures : warnings).push(`${name}: ${value.toFixed(2)} ${unit} > ${target.max} ${unit}`);
}

const require = createRequire(import.meta.url);
const wasmPath = require.resolve('@zkpolicy/verifier/zkpolicy_verifier_bg.wasm');
const wasm = readFileSync(wasmPath);
// Guards against accidental bloat: 471 KB raw, 209 KB gzip -9 in format 9 (636 and 264 KB before
// the wasm-release profile turned off the MIR inliner, whose copies of the field
// multiplication these limits would catch coming back; see the workspace Cargo.toml).
report('.wasm raw', wasm.length / KB, 'KB', { max: 520, hard: true });
report('.wasm gzip -9', gzipSync(wasm, { level: 9 }).length / KB, 'KB', { max: 230, hard: true });
if (tarball) report('npm tarball', statSync(tarball).size / KB, 'KB', { max: 400, hard: true });

report('module load, ESM import (fresh process)', loadTime('import'), 'ms', { max: 30 });
report('module load, require (fresh process)', loadTime('require'), 'ms', { max: 30 });

const { verify, loadVerifierKey, inspectVerifierKey } = await import('@zkpolicy/verifier');
/** Runs `fn` and returns its duration in ms; `fn` returning an invalid result is an error. */
function timed(fn, what) {
  const t = performance.now();
  const r = fn();
  const ms = performance.now() - t;
  if (r && r.valid === false) throw new Error(`${what}: ${r.reason}`);
  return ms;
}
/** One verification with the key loaded, phase by phase: [name, ms] in order. */
function phaseTimes(key, proof, what) {
  const ends = [];
  const start = performance.now();
  const r = key.verifyWithPhases(proof, (phase) => ends.push([phase, performance.now()]));
  if (!r.valid) throw new Error(`${what}: ${r.reason}`);
  return ends.map(([phase, end], i) => [phase, end - (i ? ends[i - 1][1] : start)]);
}
/** Per model, the median of each phase's samples: Map phase -> ms, in phase order. */
const phaseMedians = {};
for (const model of MODELS) {
  const vk = vkOf(model);
  const proof = proofOf(model, 'approve');
  const key = loadVerifierKey(vk);
  for (let i = 0; i < 3; i++) {
    verify(proof, vk);
    key.verify(proof);
  }
  // Interleaved, so that both ways see the same machine load.
  const samples = { bytes: [], handle: [], load: [], inspect: [] };
  const phases = new Map();
  for (let i = 0; i < VERIFY_RUNS; i++) {
    samples.bytes.push(timed(() => verify(proof, vk), model));
    samples.handle.push(timed(() => key.verify(proof), model));
    samples.load.push(timed(() => loadVerifierKey(vk).free(), model));
    samples.inspect.push(timed(() => inspectVerifierKey(vk), model));
    for (const [phase, ms] of phaseTimes(key, proof, model)) phases.set(phase, [...(phases.get(phase) ?? []), ms]);
  }
  key.free();
  phaseMedians[model] = new Map([...phases].map(([phase, ms]) => [phase, median(ms)]));
  const k = inspectVerifierKey(vk);
  report(`verify ${model} (${k.num_constraints} constraints, proof ${proof.length} B)`, median(samples.bytes), 'ms',
    model === 'whitelist' ? { max: 15 } : undefined);
  report(`  of which key decode + circuit compile`, median(samples.inspect), 'ms');
  report(`  with the key loaded once: handle.verify`, median(samples.handle), 'ms');
  report(`  loadVerifierKey + free (once per key)`, median(samples.load), 'ms');
}

console.log(`@zkpolicy/verifier on Node ${process.version}, medians (${quick ? 'quick' : 'full'}: ${LOAD_RUNS} loads, ${VERIFY_RUNS} verifications)`);
const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(`  ${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
// Where handle.verify's time goes, per phase (medians of each phase separately, so
// they need not add up to the median of the whole).
const phaseNames = [...phaseMedians[MODELS[0]].keys()];
const phaseRows = [['phase of handle.verifyWithPhases (ms)', ...MODELS], ...phaseNames.map((phase) =>
  [phase, ...MODELS.map((m) => phaseMedians[m].get(phase).toFixed(2))])];
phaseRows.push(['sum of the phase medians', ...MODELS.map((m) => [...phaseMedians[m].values()].reduce((a, b) => a + b).toFixed(2))]);
const pw = phaseRows[0].map((_, c) => Math.max(...phaseRows.map((r) => r[c].length)));
for (const r of phaseRows) console.log(`  ${r[0].padEnd(pw[0])}${r.slice(1).map((x, c) => `  ${x.padStart(pw[c + 1])}`).join('')}`);
for (const m of warnings) console.log(`WARNING (timing target missed): ${m}`);
for (const m of failures) console.log(`FAIL (size target missed): ${m}`);
process.exitCode = failures.length ? 1 : 0;
