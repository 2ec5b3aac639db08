// Request context binding (format 3): a proof made with `zkpolicy prove --context` verifies
// only with the same context, given as bytes or hex, through verify() and a loaded key;
// another context, none, or a context for an unbound proof is WRONG_CONTEXT; editing the
// context digest in the proof does not help; bad context arguments throw a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { verify, loadVerifierKey, inspectProof } from '@zkpolicy/verifier';
import {
  MODELS, vkOf, proofOf, jsonProofOf, boundProofOf, boundJsonProofOf, CONTEXT, CONTEXT_HEX, flip,
  CONTEXT_FLAG_OFFSET, contextDigestBytes, withContextDigest, nativeVerify,
} from './helpers.mjs';

const cjs = createRequire(import.meta.url)('@zkpolicy/verifier');
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** The forms of the fixtures' context the API accepts: all must give the same result. */
const CONTEXT_FORMS = [
  ['Uint8Array', CONTEXT],
  ['Buffer', Buffer.from(CONTEXT)],
  ['Uint8Array view with an offset', (() => {
    const big = new Uint8Array(CONTEXT.length + 9);
    big.set(CONTEXT, 5);
    return big.subarray(5, 5 + CONTEXT.length);
  })()],
  ['hex', CONTEXT_HEX],
  ['0x hex', `0x${CONTEXT_HEX}`],
  ['upper-case hex', CONTEXT_HEX.toUpperCase()],
];

/** Contexts other than the fixtures' one: each must be WRONG_CONTEXT for a bound proof. */
const OTHER_CONTEXTS = [
  ['one bit flipped', flip(CONTEXT, 0)],
  ['the last byte flipped, as hex', Buffer.from(flip(CONTEXT, CONTEXT.length - 1, 0xff)).toString('hex')],
  ['a prefix', CONTEXT.subarray(0, CONTEXT.length - 1)],
  ['one byte more', new Uint8Array([...CONTEXT, 0])],
  ['the empty context', new Uint8Array()],
  ['the hex text as bytes', new TextEncoder().encode(CONTEXT_HEX)],
  ['00', '00'],
];

/** Ways of giving no context: the options argument omitted, null, or without a context. */
const NO_CONTEXT = [
  ['no options', []],
  ['options undefined', [undefined]],
  ['options null', [null]],
  ['{}', [{}]],
  ['context undefined', [{ context: undefined }]],
  ['context null', [{ context: null }]],
];

function assertWrongContext(r, what) {
  assert.equal(r.valid, false, `${what}: accepted`);
  assert.equal(r.code, 'WRONG_CONTEXT', `${what}: ${r.code} (${r.reason})`);
  assert.match(r.reason, /context/, `${what}: the reason names the context`);
  assert.equal(r.decision, null);
  assert.deepEqual(r.outputs, []);
  assert.deepEqual(r.public_inputs, []);
  assert.equal(r.context_digest, null, `${what}: no context digest on an invalid result`);
  assert.match(r.vk_digest, HEX_DIGEST, `${what}: the key decoded`);
}

/** A TypeError with the given Node-style code, naming the argument. */
function assertThrowsCode(fn, code, what) {
  assert.throws(fn, (e) => e instanceof TypeError && e.code === code && /context|options/.test(e.message), what);
}

for (const model of MODELS) {
  test(`${model}: a bound proof verifies with its context as bytes or hex, through verify() and a loaded key`, () => {
    const vk = vkOf(model);
    const key = loadVerifierKey(vk);
    const unbound = verify(proofOf(model, 'approve'), vk);
    assert.equal(unbound.valid, true, unbound.reason);
    const expected = verify(boundProofOf(model), vk, { context: CONTEXT });
    assert.equal(expected.valid, true, expected.reason);
    assert.equal(expected.decision, 'approve');
    assert.match(expected.context_digest, HEX_DIGEST);
    // The same request and openings: everything but the context digest is as for the unbound proof.
    assert.deepEqual({ ...expected, context_digest: null }, unbound);
    for (const [form, context] of CONTEXT_FORMS) {
      for (const [entry, r] of [
        ['verify, binary', verify(boundProofOf(model), vk, { context })],
        ['verify, JSON', verify(boundJsonProofOf(model), vk, { context })],
        ['loaded key, binary', key.verify(boundProofOf(model), { context })],
        ['loaded key, JSON', key.verify(boundJsonProofOf(model), { context })],
        ['require(), binary', cjs.verify(boundProofOf(model), vk, { context })],
      ]) {
        assert.deepEqual(r, expected, `${form} (${entry})`);
      }
    }
    key.free();
  });

  test(`${model}: context_digest agrees with inspectProof and with zkpolicy verify --context`, () => {
    const r = verify(boundProofOf(model), vkOf(model), { context: CONTEXT_HEX });
    for (const p of [boundProofOf(model), boundJsonProofOf(model)]) {
      assert.equal(inspectProof(p).context_digest, r.context_digest);
    }
    assert.equal(Buffer.from(contextDigestBytes(boundProofOf(model))).toString('hex'), r.context_digest, 'the digest in the header');
    const native = nativeVerify(boundProofOf(model), vkOf(model), CONTEXT_HEX);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(native.report.context_digest, r.context_digest);
    // An unbound proof: no digest anywhere.
    assert.equal(verify(proofOf(model, 'approve'), vkOf(model)).context_digest, null);
    assert.equal(inspectProof(proofOf(model, 'approve')).context_digest, null);
    assert.equal(inspectProof(jsonProofOf(model, 'approve')).context_digest, null);
    assert.equal(nativeVerify(proofOf(model, 'approve'), vkOf(model)).report.context_digest, null);
  });

  test(`${model}: WRONG_CONTEXT for another context, for none, and for a context given to an unbound proof`, () => {
    const vk = vkOf(model);
    const key = loadVerifierKey(vk);
    const cases = [
      ...OTHER_CONTEXTS.map(([what, context]) => [`bound, ${what}`, boundProofOf(model), [{ context }]]),
      ...OTHER_CONTEXTS.map(([what, context]) => [`bound JSON, ${what}`, boundJsonProofOf(model), [{ context }]]),
      ...NO_CONTEXT.map(([what, args]) => [`bound, ${what}`, boundProofOf(model), args]),
      ...NO_CONTEXT.map(([what, args]) => [`bound JSON, ${what}`, boundJsonProofOf(model), args]),
      ...CONTEXT_FORMS.map(([what, context]) => [`unbound, ${what}`, proofOf(model, 'approve'), [{ context }]]),
      ['unbound JSON, hex', jsonProofOf(model, 'approve'), [{ context: CONTEXT_HEX }]],
      ['unbound deny, the empty context', proofOf(model, 'deny'), [{ context: new Uint8Array() }]],
    ];
    for (const [what, proof, args] of cases) {
      const r = verify(proof, vk, ...args);
      assertWrongContext(r, what);
      assert.deepEqual(key.verify(proof, ...args), r, `${what}: the loaded key agrees`);
    }
    // The reason says which side is bound.
    assert.match(verify(boundProofOf(model), vk).reason, /bound to a context .* but none was given/);
    assert.match(verify(proofOf(model, 'approve'), vk, { context: CONTEXT }).reason, /bound to no context/);
    const other = verify(boundProofOf(model), vk, { context: '00' });
    assert.ok(other.reason.includes(inspectProof(boundProofOf(model)).context_digest), 'the proof\'s digest is named');
    key.free();
  });

  test(`${model}: editing the context digest in the proof does not help`, () => {
    const vk = vkOf(model);
    const bound = boundProofOf(model);
    const unbound = proofOf(model, 'approve');
    const digest = contextDigestBytes(bound);
    // Each byte of the digest changed: the digest no longer matches the given context.
    for (let i = CONTEXT_FLAG_OFFSET + 1; i < CONTEXT_FLAG_OFFSET + 33; i++) {
      assertWrongContext(verify(flip(bound, i), vk, { context: CONTEXT }), `digest byte ${i}`);
    }
    // The digest removed, checked without a context: the transcript still holds the context.
    const stripped = withContextDigest(bound, null);
    assert.equal(inspectProof(stripped).valid, true, 'the stripped proof decodes');
    assert.equal(inspectProof(stripped).context_digest, null);
    assert.equal(verify(stripped, vk).code, 'REJECTED');
    // The bound digest put on the unbound proof, checked with the context: REJECTED too.
    const transplanted = withContextDigest(unbound, digest);
    assert.equal(inspectProof(transplanted).context_digest, inspectProof(bound).context_digest);
    assert.equal(verify(transplanted, vk, { context: CONTEXT }).code, 'REJECTED');
    // The re-encoding itself is faithful.
    assert.deepEqual(withContextDigest(stripped, digest), bound);
    assert.equal(verify(withContextDigest(transplanted, null), vk).valid, true);
    // A flag other than 0 or 1 does not decode.
    const badFlag = unbound.slice();
    badFlag[CONTEXT_FLAG_OFFSET] = 2;
    assert.equal(verify(badFlag, vk).code, 'MALFORMED_PROOF');
    assert.match(verify(badFlag, vk).reason, /context flag/);
  });
}

test('the largest context (1 MiB) is accepted as an argument; one byte more throws ERR_INVALID_ARG_VALUE', () => {
  const vk = vkOf('whitelist');
  const proof = boundProofOf('whitelist');
  const max = new Uint8Array(1 << 20);
  assertWrongContext(verify(proof, vk, { context: max }), '1 MiB context');
  assertWrongContext(verify(proof, vk, { context: '00'.repeat(1 << 20) }), '1 MiB context as hex');
  assertThrowsCode(() => verify(proof, vk, { context: new Uint8Array((1 << 20) + 1) }), 'ERR_INVALID_ARG_VALUE', 'bytes');
  assertThrowsCode(() => verify(proof, vk, { context: '00'.repeat((1 << 20) + 1) }), 'ERR_INVALID_ARG_VALUE', 'hex');
});

test('a context that is not hex throws a TypeError with code ERR_INVALID_ARG_VALUE', () => {
  const vk = vkOf('whitelist');
  const proof = boundProofOf('whitelist');
  const key = loadVerifierKey(vk);
  const bad = ['', '0x', 'abc', '0xabc', 'zz', '0xgg', ` ${CONTEXT_HEX}`, `${CONTEXT_HEX} `, `${CONTEXT_HEX}\n`,
    CONTEXT_HEX.replace(/^../, '0 '), '00-11', '0x0x00', 'x402 sample payment #1', 'é0'];
  for (const text of bad) {
    const what = JSON.stringify(text);
    assertThrowsCode(() => verify(proof, vk, { context: text }), 'ERR_INVALID_ARG_VALUE', `verify ${what}`);
    assertThrowsCode(() => key.verify(proof, { context: text }), 'ERR_INVALID_ARG_VALUE', `key.verify ${what}`);
  }
  // Before the proof and the key are looked at: even with bytes that are no proof at all.
  assertThrowsCode(() => verify(new Uint8Array(), new Uint8Array(), { context: 'zz' }), 'ERR_INVALID_ARG_VALUE', 'garbage files');
  key.free();
});

test('a context or options of the wrong type throws a TypeError with code ERR_INVALID_ARG_TYPE', () => {
  const vk = vkOf('whitelist');
  const proof = boundProofOf('whitelist');
  const key = loadVerifierKey(vk);
  const badContexts = [0, 1.5, true, {}, [], [1, 2], new ArrayBuffer(8), new DataView(new ArrayBuffer(8)), new Int8Array(8),
    new Uint8ClampedArray(8), new Uint16Array(4), 10n, Symbol('x'), new Blob([CONTEXT]), () => {}];
  for (const context of badContexts) {
    const what = Object.prototype.toString.call(context);
    assertThrowsCode(() => verify(proof, vk, { context }), 'ERR_INVALID_ARG_TYPE', `context ${what}`);
    assertThrowsCode(() => key.verify(proof, { context }), 'ERR_INVALID_ARG_TYPE', `key.verify context ${what}`);
  }
  for (const options of [0, true, CONTEXT_HEX, 10n, Symbol('x')]) {
    const what = Object.prototype.toString.call(options);
    assertThrowsCode(() => verify(proof, vk, options), 'ERR_INVALID_ARG_TYPE', `options ${what}`);
    assertThrowsCode(() => key.verify(proof, options), 'ERR_INVALID_ARG_TYPE', `key.verify options ${what}`);
  }
  // The module keeps working.
  assert.equal(key.verify(proof, { context: CONTEXT }).valid, true);
  key.free();
});
