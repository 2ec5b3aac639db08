// loadVerifierKey: a key decoded once verifies like verify(proof, vk) does, for valid,
// tampered and foreign proofs and for malformed keys; verifyWithPhases too, naming the
// phases in order; free() releases it for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { verify, loadVerifierKey, VerifierKeyHandle, inspectVerifierKey } from '@zkpolicy/verifier';
import {
  MODELS, REQUESTS, vkOf, proofOf, jsonProofOf, boundProofOf, fixture, flip, prng, parseProof, encodeProof, CONTEXT,
} from './helpers.mjs';

const cjs = createRequire(import.meta.url)('@zkpolicy/verifier');

/** Proofs a handle for `model` must treat exactly as verify(proof, vk) does: valid and not. */
function proofsFor(model) {
  const proof = proofOf(model, 'approve');
  const parsed = parseProof(proof);
  const logits = parsed.logits.slice();
  logits[0] += 1n;
  const other = MODELS.find((m) => m !== model);
  const rng = prng(99 + model.length);
  const cases = [
    ...REQUESTS.flatMap((r) => [[`${r} binary`, proofOf(model, r)], [`${r} JSON`, jsonProofOf(model, r)]]),
    ['digest byte', flip(proof, 10)],
    ['public value byte', flip(proof, parsed.publicEnd - 1)],
    ['changed logit', encodeProof({ ...parsed, logits })],
    ['truncated', proof.subarray(0, proof.length - 7)],
    ['another model', proofOf(other, 'deny')],
    ['another model (JSON)', jsonProofOf(other, 'approve')],
    ['bound to a request context, checked without one', boundProofOf(model)],
    ['the key as proof', vkOf(model)],
    ['not JSON', '{'],
    ['empty', new Uint8Array()],
    ['random bytes', rng.bytes(300)],
  ];
  for (let n = 0; n < 8; n++) {
    const i = parsed.publicEnd + (rng.next() % (proof.length - parsed.publicEnd));
    cases.push([`SNARK byte ${i}`, flip(proof, i, (rng.next() % 255) + 1)]);
  }
  return cases;
}

for (const model of MODELS) {
  test(`${model}: a loaded key gives the results of verify(proof, vk), valid and tampered`, () => {
    const vk = vkOf(model);
    const key = loadVerifierKey(vk);
    assert.ok(key instanceof VerifierKeyHandle);
    assert.deepEqual(key.inspect(), inspectVerifierKey(vk));
    let valid = 0;
    for (const [what, proof] of proofsFor(model)) {
      const r = key.verify(proof);
      assert.deepEqual(r, verify(proof, vk), what);
      valid += r.valid;
    }
    assert.equal(valid, 2 * REQUESTS.length, 'only the untouched proofs verify');
    key.free();
  });
}

/** The phases verifyWithPhases names, in order (index.d.ts lists them). */
const PHASES = [
  'decode proof', 'public values', 'statement (steps 0-1)', 'sumchecks (steps 2-4)', 'sparse matrices (step 5)',
  'row combination MSM (step 6)', 'evaluation proof transcript (step 6)', 'evaluation proof MSM (step 6)',
  'link proofs (step 7)', 'head and decision',
];

for (const model of MODELS) {
  test(`${model}: verifyWithPhases gives verify's results and names the phases in order`, () => {
    const key = loadVerifierKey(vkOf(model));
    for (const [what, proof] of proofsFor(model)) {
      const phases = [];
      const r = key.verifyWithPhases(proof, (phase) => phases.push(phase));
      assert.deepEqual(r, key.verify(proof), what);
      // All of them for a valid proof; for a rejected one, those before the failed check.
      assert.deepEqual(phases, PHASES.slice(0, r.valid ? PHASES.length : phases.length), what);
      assert.ok(r.valid || phases.length < PHASES.length, what);
    }
    const phases = [];
    const bound = key.verifyWithPhases(boundProofOf(model), (phase) => phases.push(phase), { context: CONTEXT });
    assert.deepEqual([bound.valid, phases], [true, PHASES]);
    key.free();
  });
}

test('verifyWithPhases: a throwing onPhase is called once and its exception rethrown; a non-function is a TypeError', () => {
  const key = loadVerifierKey(vkOf('whitelist'));
  const proof = proofOf('whitelist', 'approve');
  let calls = 0;
  const oops = new RangeError('oops');
  assert.throws(() => key.verifyWithPhases(proof, () => { calls++; throw oops; }), (e) => e === oops);
  assert.equal(calls, 1);
  for (const bad of [undefined, null, 1, 'f', {}]) {
    assert.throws(() => key.verifyWithPhases(proof, bad), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE');
  }
  assert.equal(key.verify(proof).valid, true, 'the key is intact');
  key.free();
});

test('a loaded key refuses proofs made for another key (WRONG_KEY), including another visibility', () => {
  const keys = Object.fromEntries(MODELS.map((m) => [m, loadVerifierKey(vkOf(m))]));
  for (const a of MODELS) {
    for (const b of MODELS) {
      if (a === b) continue;
      const r = keys[b].verify(proofOf(a, 'approve'));
      assert.equal(r.code, 'WRONG_KEY', `${a} proof, ${b} key`);
      assert.equal(r.model.name, b);
    }
  }
  const otherVisibility = loadVerifierKey(fixture('simple_velocity', 'all-private/simple_velocity.vk'));
  assert.equal(otherVisibility.verify(proofOf('simple_velocity', 'approve')).code, 'WRONG_KEY');
  for (const key of [...Object.values(keys), otherVisibility]) key.free();
});

test('one key, many proofs: rejections leave the loaded key intact', () => {
  const model = 'whitelist';
  const key = loadVerifierKey(vkOf(model));
  const tampered = flip(proofOf(model, 'approve'), proofOf(model, 'approve').length - 40);
  for (let i = 0; i < 40; i++) {
    const request = REQUESTS[i % 2];
    assert.equal(key.verify(proofOf(model, request)).decision, request);
    assert.equal(key.verify(tampered).valid, false);
    assert.throws(() => key.verify(42), TypeError);
  }
  key.free();
});

test('a malformed key loads without throwing and every verify reports why, as verify(proof, vk) does', () => {
  const proof = proofOf('whitelist', 'approve');
  const vk = vkOf('whitelist');
  const cases = [
    ['empty', new Uint8Array(), 'NOT_ZKPOLICY'],
    ['truncated', vk.subarray(0, vk.length - 3), 'MALFORMED_KEY'],
    ['a proof', proof, 'WRONG_FILE_KIND'],
    ['a proving key', fixture('whitelist', 'whitelist.pk'), 'WRONG_FILE_KIND'],
    ['another version', flip(vk, 4, 0x04), 'UNSUPPORTED_VERSION'],
  ];
  for (const [what, bytes, code] of cases) {
    const key = loadVerifierKey(bytes);
    const r = key.verify(proof);
    assert.equal(r.valid, false, what);
    assert.equal(r.code, code, `${what}: ${r.reason}`);
    assert.deepEqual(r, verify(proof, bytes), what);
    assert.deepEqual(key.verify(jsonProofOf('whitelist', 'approve')), r, `${what}: the key's fault comes first`);
    assert.deepEqual(key.inspect(), inspectVerifierKey(bytes), what);
    assert.equal(key.inspect().valid, false);
    key.free();
  }
});

test('wrong argument types throw a TypeError with code ERR_INVALID_ARG_TYPE', () => {
  const key = loadVerifierKey(vkOf('simple_velocity'));
  for (const bad of [undefined, null, 0, {}, [1, 2], new ArrayBuffer(8), new Uint16Array(4), 'ZKPV']) {
    const what = Object.prototype.toString.call(bad);
    assert.throws(() => loadVerifierKey(bad), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE', `load ${what}`);
    if (typeof bad !== 'string') {
      assert.throws(() => key.verify(bad), (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE', `verify ${what}`);
    }
  }
  assert.throws(() => key.verify(), TypeError);
  key.free();
});

test('after free() the handle throws an Error; the module and other handles keep working', () => {
  const vk = vkOf('simple_velocity');
  const proof = proofOf('simple_velocity', 'approve');
  const kept = loadVerifierKey(vk);
  const freed = loadVerifierKey(vk);
  assert.equal(freed.verify(proof).valid, true);
  freed.free();
  // wasm-bindgen's check of the freed handle: a JS Error, not a WebAssembly trap.
  for (const use of [() => freed.verify(proof), () => freed.inspect(), () => freed.free()]) {
    assert.throws(use, (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && /null pointer/.test(e.message));
  }
  assert.equal(kept.verify(proof).valid, true);
  assert.equal(verify(proof, vk).valid, true);
  const again = loadVerifierKey(vk);
  assert.equal(again.verify(proof).valid, true);
  for (const key of [kept, again]) key.free();
});

test('the require() entry exports the same handle', () => {
  const key = cjs.loadVerifierKey(vkOf('business_hours'));
  assert.ok(key instanceof cjs.VerifierKeyHandle);
  const proof = proofOf('business_hours', 'deny');
  assert.deepEqual(key.verify(proof), verify(proof, vkOf('business_hours')));
  key.free();
});
