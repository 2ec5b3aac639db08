// Forged proofs from a malicious prover (issue 12): the committed-input swap of format 2,
// one deviation per protocol step, wrong contexts, public values and keys, made by the
// real Spartan prover driven through the adversary hooks (core/src/policy/adversary_fixtures.rs,
// written by scripts/test-wasm.sh into ZKP_ADVERSARIAL_DIR with a manifest.json). The wasm
// verifier must reject each one with the code the manifest expects and the reason string
// the native `policy::verify` gave, through verify(proof, vk, { context }) and a key handle.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify, loadVerifierKey } from '@zkpolicy/verifier';

const DIR = process.env.ZKP_ADVERSARIAL_DIR;
if (!DIR) throw new Error('ZKP_ADVERSARIAL_DIR is not set; run the tests through scripts/test-wasm.sh');

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
const bytes = (file) => new Uint8Array(readFileSync(join(DIR, file)));
const hexBytes = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));

const handles = new Map();
/** One key handle per vk file, shared by the fixtures checked against it. */
function handleFor(file) {
  if (!handles.has(file)) handles.set(file, loadVerifierKey(bytes(file)));
  return handles.get(file);
}
after(() => handles.forEach((h) => h.free()));

test('the manifest covers the swap, every protocol step and every rejection code', () => {
  assert.equal(manifest.format, 'zkpolicy-adversarial-fixtures');
  assert.equal(manifest.version, 1);
  const names = manifest.fixtures.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, 'fixture names are unique');
  for (const name of ['swap-format2-merged', 'swap-format2', 'swap-shifted', 'unsatisfied-denied-as-approved', 'context-relabelled-to-b']) {
    assert.ok(names.includes(name), name);
  }
  for (let step = 0; step <= 7; step++) {
    assert.ok(names.some((n) => n.startsWith(`step${step}-`)), `a deviation at step ${step}`);
  }
  const codes = new Set(manifest.fixtures.filter((f) => !f.valid).map((f) => f.code));
  assert.deepEqual([...codes].sort(), ['MALFORMED_PROOF', 'PUBLIC_VALUES', 'REJECTED', 'WRONG_CONTEXT', 'WRONG_KEY']);
  assert.ok(manifest.fixtures.filter((f) => f.valid).length >= 1, 'controls that verify');
});

for (const f of manifest.fixtures) {
  test(`${f.name}: ${f.valid ? 'verifies' : `${f.code}`} (${f.description})`, () => {
    const proof = bytes(f.proof);
    const vk = bytes(f.vk);
    // The context as hex and as bytes; no options at all for none.
    const forms = f.context === null
      ? [verify(proof, vk), verify(proof, vk, {}), verify(proof, vk, { context: null })]
      : [verify(proof, vk, { context: f.context }), verify(proof, vk, { context: hexBytes(f.context) })];
    const key = handleFor(f.vk);
    forms.push(key.verify(proof, f.context === null ? undefined : { context: f.context }));
    const [r] = forms;
    forms.forEach((other, i) => assert.deepEqual(other, r, `form ${i} agrees`));
    if (f.valid) {
      assert.equal(r.valid, true, r.reason);
      assert.equal(r.decision, f.decision);
      return;
    }
    assert.equal(r.valid, false, `${f.name} was accepted`);
    assert.equal(r.code, f.code, r.reason);
    assert.equal(r.reason, f.reason, 'the native reason');
    assert.equal(r.decision, null);
    assert.deepEqual(r.outputs, []);
    assert.deepEqual(r.public_inputs, []);
    assert.deepEqual(r.input_commitments, []);
    assert.equal(r.logits, undefined);
  });
}
