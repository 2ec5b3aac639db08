// Keys whose circuits would be huge are refused before the circuit is built: a
// ~30 KB key of ReLU layers (millions of constraints) and a ~2 MB key with 2^20
// private inputs and 1,023 ReLU layers (which used to make the verifier allocate
// gigabytes and trap) give MALFORMED_KEY naming the size, quickly, and barely
// grow the wasm memory. Node runs each test file in its own process, so the
// memory measured here is this file's alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadVerifierKey, verify, initSync } from '@zkpolicy/verifier';
import { vkOf, proofOf, headerVersion } from './helpers.mjs';

const MiB = 1024 * 1024;

/** Growable byte buffer with the key format's integer encodings. */
class Bytes {
  constructor(capacity) {
    this.buf = new Uint8Array(capacity);
    this.len = 0;
  }
  push(b) {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.len++] = b;
  }
  uvar(v) {
    let x = BigInt(v);
    while (x >= 0x80n) {
      this.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.push(Number(x));
  }
  svar(v) {
    const x = BigInt(v);
    this.uvar(x >= 0n ? x << 1n : ((-x) << 1n) - 1n);
  }
  fill(b, n) {
    for (let i = 0; i < n; i++) this.push(b);
  }
  bytes() {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * A verifier key (see core/src/policy/files.rs and core/src/frontend/model/codec.rs):
 * "ZKPV" ‖ u16 version ‖ u32 model length ‖ model ‖ visibility ‖ input names ‖ profile ‖
 * policy name (profile 0: small). `layers` are `{ relu: true }` or `{ dense: [in, out] }` with every weight 1 and
 * every bias 0; input i is called `x` followed by i in base 36, without a unit; with
 * `flags`, one domain run declares every input an integer 0..=1.
 */
function keyBytes({ version, inputLen, layers, visibility, flags = false }) {
  const m = new Bytes(1 << 16);
  m.push(12); // scale bits
  m.uvar(inputLen);
  m.uvar(1 << 20); // input bound
  if (flags) {
    // One domain run: every input is an integer 0..=1.
    m.uvar(1);
    m.uvar(0);
    m.uvar(inputLen - 1);
    m.push(1);
    m.svar(0);
    m.svar(1);
  } else {
    m.uvar(0); // no declared input domains
  }
  m.uvar(layers.length);
  for (const layer of layers) {
    if (layer.relu) {
      m.push(1);
    } else {
      const [i, o] = layer.dense;
      m.push(0);
      m.uvar(i);
      m.uvar(o);
      m.fill(2, i * o); // svar(1)
      m.fill(0, o); // svar(0)
    }
  }
  m.push(0); // threshold decision on output 0, threshold 0
  m.uvar(0);
  m.svar(0);
  const model = m.bytes();
  const k = new Bytes(model.length + 8 * inputLen + 32);
  for (const c of 'ZKPV') k.push(c.charCodeAt(0));
  k.push(version & 0xff);
  k.push(version >> 8);
  for (let s = 0; s < 32; s += 8) k.push((model.length >>> s) & 0xff);
  for (const b of model) k.push(b);
  k.uvar(inputLen);
  k.fill(visibility, inputLen);
  k.uvar(inputLen);
  for (let i = 0; i < inputLen; i++) {
    const name = `x${i.toString(36)}`;
    k.uvar(name.length);
    for (const c of name) k.push(c.charCodeAt(0));
    k.uvar(0); // no unit
  }
  k.push(0); // profile: small
  k.uvar(7);
  for (const c of 'hostile') k.push(c.charCodeAt(0));
  return k.bytes().slice();
}

const PUBLIC = 0;
const PRIVATE = 1;

test('keys with huge circuits are refused fast, without growing the wasm memory', () => {
  const wasm = initSync();
  const version = headerVersion(vkOf('whitelist'));
  const relus = (n) => Array.from({ length: n }, () => ({ relu: true }));
  const cases = [
    {
      name: '30 KB: Dense 1→10000, 1000 ReLU layers, Dense 10000→1',
      key: { inputLen: 1, layers: [{ dense: [1, 10000] }, ...relus(1000), { dense: [10000, 1] }], visibility: PUBLIC },
    },
    {
      name: '9 MB (7 of them input names): 2^20 private inputs, 1023 ReLU layers, Dense 2^20→1',
      key: { inputLen: 1 << 20, layers: [...relus(1023), { dense: [1 << 20, 1] }], visibility: PRIVATE },
    },
    {
      // Five bytes of key declare 2^20 domains: held as one run, never one per input.
      name: '9 MB: the same with every input a flag (one domain run)',
      key: { inputLen: 1 << 20, layers: [...relus(1023), { dense: [1 << 20, 1] }], visibility: PRIVATE, flags: true },
    },
  ];
  // A valid key and proof first, so that the baseline includes the verifier's working set.
  assert.equal(verify(proofOf('whitelist', 'approve'), vkOf('whitelist')).valid, true);
  for (const { name, key } of cases) {
    const vk = keyBytes({ version, ...key });
    const before = wasm.memory.buffer.byteLength;
    const start = performance.now();
    const handle = loadVerifierKey(vk);
    const ms = performance.now() - start;
    const r = handle.verify(proofOf('whitelist', 'approve'));
    handle.free();
    const grown = wasm.memory.buffer.byteLength - before;
    console.log(`${name}: ${vk.length} bytes, refused in ${ms.toFixed(1)} ms, wasm memory +${(grown / MiB).toFixed(1)} MiB: ${r.reason}`);
    assert.equal(r.valid, false);
    assert.equal(r.code, 'MALFORMED_KEY');
    assert.match(r.reason, /circuit is too large: \d+ constraints, above the limit of 1048573/);
    assert.ok(ms < 2000, `${name}: refusal took ${ms} ms`);
    // The decoded model (8 bytes per weight) and the input names (a string, an optional
    // unit and a uniqueness-check entry each) at most, never the circuit.
    assert.ok(grown <= 10 * vk.length + 16 * MiB, `${name}: wasm memory grew by ${grown} bytes`);
  }
});
