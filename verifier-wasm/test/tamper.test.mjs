// Every tampering of the soundness list is rejected with a reason and a code;
// malformed input never throws (except wrong argument types) and never traps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { verify, inspectProof, inspectVerifierKey } from '@zkpolicy/verifier';
import {
  MODELS, vkOf, proofOf, jsonProofOf, fixture, flip, prng, parseProof, encodeProof, headerVersion, CONTEXT_FLAG_OFFSET,
} from './helpers.mjs';

const PROOF_CODES = [
  'NOT_ZKPOLICY', 'WRONG_FILE_KIND', 'UNSUPPORTED_VERSION', 'MALFORMED_PROOF', 'WRONG_KEY', 'WRONG_CONTEXT', 'PUBLIC_VALUES', 'REJECTED',
];
const KEY_CODES = ['NOT_ZKPOLICY', 'WRONG_FILE_KIND', 'UNSUPPORTED_VERSION', 'MALFORMED_KEY'];

function assertRejected(r, codes, what) {
  assert.equal(r.valid, false, `${what}: accepted`);
  assert.ok(codes.includes(r.code), `${what}: code ${r.code} (${r.reason})`);
  assert.equal(typeof r.reason, 'string');
  assert.ok(r.reason.length > 0);
  assert.equal(r.decision, null);
  assert.deepEqual(r.outputs, []);
  assert.deepEqual(r.public_inputs, []);
  assert.equal(r.logits, undefined);
}

const smallest = MODELS.map((m) => [m, proofOf(m, 'approve').length]).sort((a, b) => a[1] - b[1])[0][0];

test(`every single-byte flip of the ${smallest} proof is rejected (full sweep, two masks)`, () => {
  const vk = vkOf(smallest);
  const proof = proofOf(smallest, 'approve');
  for (let i = 0; i < proof.length; i++) {
    for (const mask of [0x01, 0x80]) {
      assertRejected(verify(flip(proof, i, mask), vk), PROOF_CODES, `byte ${i} ^ ${mask}`);
    }
  }
});

for (const model of MODELS.filter((m) => m !== smallest)) {
  test(`${model}: flips of the header and public values, and 400 sampled positions elsewhere, are rejected`, () => {
    const vk = vkOf(model);
    const proof = proofOf(model, 'approve');
    const { publicEnd } = parseProof(proof);
    for (let i = 0; i < publicEnd; i++) {
      assertRejected(verify(flip(proof, i), vk), PROOF_CODES, `byte ${i}`);
    }
    const rng = prng(0x5eed + model.length);
    for (let n = 0; n < 400; n++) {
      const i = publicEnd + (rng.next() % (proof.length - publicEnd));
      const mask = (rng.next() % 255) + 1;
      assertRejected(verify(flip(proof, i, mask), vk), PROOF_CODES, `byte ${i} ^ ${mask}`);
    }
  });
}

for (const model of MODELS) {
  test(`${model}: truncations and extensions are malformed`, () => {
    const vk = vkOf(model);
    const proof = proofOf(model, 'deny');
    const step = Math.max(1, Math.floor(proof.length / 500));
    for (let len = 0; len < proof.length; len += len < 64 ? 1 : step) {
      assertRejected(verify(proof.subarray(0, len), vk), ['NOT_ZKPOLICY', 'MALFORMED_PROOF'], `prefix ${len}`);
    }
    assertRejected(verify(proof.subarray(0, proof.length - 1), vk), ['MALFORMED_PROOF'], 'minus one byte');
    for (const tail of [[0], [0xff], new Array(32).fill(7)]) {
      const longer = new Uint8Array([...proof, ...tail]);
      const r = verify(longer, vk);
      assertRejected(r, ['MALFORMED_PROOF'], `plus ${tail.length} bytes`);
      assert.match(r.reason, /trailing bytes/);
    }
  });

  test(`${model}: changed public input and logits are rejected by the SNARK`, () => {
    const vk = vkOf(model);
    const parsed = parseProof(proofOf(model, 'approve'));
    const cases = [];
    // A key with every input private has no public input to change.
    for (const field of parsed.input.length ? ['input', 'logits'] : ['logits']) {
      for (const delta of [1n, -1n, 4096n]) {
        const values = parsed[field].slice();
        values[0] += delta;
        cases.push([`${field}[0] + ${delta}`, encodeProof({ ...parsed, [field]: values })]);
      }
      const last = parsed[field].length - 1;
      const values = parsed[field].slice();
      values[last] = -values[last] - 1n;
      cases.push([`${field}[last] negated`, encodeProof({ ...parsed, [field]: values })]);
    }
    const deny = parseProof(proofOf(model, 'deny'));
    cases.push(['deny public values on the approve SNARK', encodeProof({ ...parsed, input: deny.input, logits: deny.logits })]);
    cases.push(['approve public values on the deny SNARK', encodeProof({ ...deny, input: parsed.input, logits: parsed.logits })]);
    if (parsed.input.length) cases.push(['one input too few', encodeProof({ ...parsed, input: parsed.input.slice(1) })]);
    // For a key with private inputs: a value claimed for a hidden input.
    cases.push(['one input too many', encodeProof({ ...parsed, input: [...parsed.input, 0n] })]);
    cases.push(['one logit too many', encodeProof({ ...parsed, logits: [...parsed.logits, 0n] })]);
    assert.ok(verify(encodeProof(parsed), vk).valid, 're-encoding an untouched proof must keep it valid');
    for (const [what, bytes] of cases) {
      assertRejected(verify(bytes, vk), ['REJECTED', 'PUBLIC_VALUES'], what);
    }
    // Within range and of the right length: only the SNARK check can catch it.
    const values = parsed.logits.slice();
    values[0] += 1n;
    assert.equal(verify(encodeProof({ ...parsed, logits: values }), vk).code, 'REJECTED');
  });
}

test('a proof for another model is rejected as WRONG_KEY, both forms', () => {
  for (const a of MODELS) {
    for (const b of MODELS) {
      if (a === b) continue;
      const what = `${a} proof with ${b} key`;
      assertRejected(verify(proofOf(a, 'approve'), vkOf(b)), ['WRONG_KEY'], what);
      const r = verify(jsonProofOf(a, 'deny'), vkOf(b));
      assertRejected(r, ['WRONG_KEY'], `${what} (JSON)`);
      assert.equal(r.vk_digest, inspectVerifierKey(vkOf(b)).vk_digest);
      assert.equal(r.model.name, b);
    }
  }
});

test('the same model set up with another input visibility is another key: WRONG_KEY', () => {
  const other = fixture('simple_velocity', 'all-private/simple_velocity.vk');
  assert.notDeepEqual(inspectVerifierKey(other).input_visibility, inspectVerifierKey(vkOf('simple_velocity')).input_visibility);
  for (const request of ['approve', 'deny']) {
    assertRejected(verify(proofOf('simple_velocity', request), other), ['WRONG_KEY'], `${request} proof, all-private key`);
  }
});

test('a changed key digest inside the proof is WRONG_KEY', () => {
  const proof = proofOf('whitelist', 'approve');
  for (const i of [6, 20, CONTEXT_FLAG_OFFSET - 1]) {
    assertRejected(verify(flip(proof, i), vkOf('whitelist')), ['WRONG_KEY'], `digest byte ${i}`);
  }
});

test('format envelope: magic and version', () => {
  const vk = vkOf('whitelist');
  const proof = proofOf('whitelist', 'approve');
  const version = headerVersion(proof);
  for (const other of [version - 1, version + 1]) {
    const p = proof.slice();
    p[4] = other;
    assertRejected(verify(p, vk), ['UNSUPPORTED_VERSION'], `proof version ${other}`);
  }
  const vk2 = vk.slice();
  vk2[4] = version + 7;
  assertRejected(verify(proof, vk2), ['UNSUPPORTED_VERSION'], `key version ${version + 7}`);
  const magic = proof.slice();
  magic[0] = 0x41;
  assertRejected(verify(magic, vk), ['NOT_ZKPOLICY'], 'bad magic');
});

test('JSON transport: mismatched digest, version, format, base64, fields', () => {
  const model = 'business_hours';
  const vk = vkOf(model);
  const doc = JSON.parse(jsonProofOf(model, 'approve'));
  const other = JSON.parse(jsonProofOf('whitelist', 'approve'));
  const tamperedBinary = flip(proofOf(model, 'approve'), proofOf(model, 'approve').length - 40);
  const cases = [
    ['key_digest of another model', { ...doc, key_digest: other.key_digest }, ['MALFORMED_PROOF']],
    ['key_digest one nibble off', { ...doc, key_digest: (doc.key_digest[0] === '0' ? '1' : '0') + doc.key_digest.slice(1) }, ['MALFORMED_PROOF']],
    ['another version', { ...doc, version: doc.version + 1 }, ['UNSUPPORTED_VERSION']],
    ['format field', { ...doc, format: 'something-else' }, ['MALFORMED_PROOF']],
    ['invalid base64', { ...doc, proof: `${doc.proof.slice(0, -4)}!!!!` }, ['MALFORMED_PROOF']],
    ['truncated base64', { ...doc, proof: doc.proof.slice(0, 100) }, ['MALFORMED_PROOF']],
    ['unknown field', { ...doc, extra: 1 }, ['MALFORMED_PROOF']],
    ['missing field', { format: doc.format, version: doc.version, proof: doc.proof }, ['MALFORMED_PROOF']],
    ['tampered proof bytes', { ...doc, proof: Buffer.from(tamperedBinary).toString('base64') }, ['REJECTED', 'MALFORMED_PROOF']],
    ['another model, consistent digest', other, ['WRONG_KEY']],
  ];
  for (const [what, d, codes] of cases) {
    const text = JSON.stringify(d);
    assertRejected(verify(text, vk), codes, what);
    assertRejected(verify(new TextEncoder().encode(text), vk), codes, `${what} (bytes)`);
  }
  for (const text of ['{', '{}', '{"format": "zkpolicy-proof"', '  {"a": [1, 2', '{"version": 1e999}', 'null', '[]', '"zkpolicy"', 'ZKPP']) {
    assertRejected(verify(text, vk), PROOF_CODES, `text ${text}`);
  }
  assertRejected(verify(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), vk), ['MALFORMED_PROOF'], 'non-UTF-8 JSON bytes');
});

test('garbage, magic-prefixed garbage and empty input', () => {
  const vk = vkOf('simple_velocity');
  const proof = proofOf('simple_velocity', 'approve');
  const rng = prng(42);
  for (let n = 0; n < 300; n++) {
    const len = rng.next() % 3000;
    assertRejected(verify(rng.bytes(len), vk), PROOF_CODES, `random ${len} bytes`);
    const prefixed = rng.bytes(len + 6);
    prefixed.set([0x5a, 0x4b, 0x50, 0x50, 1, 0]); // "ZKPP" v1
    assertRejected(verify(prefixed, vk), PROOF_CODES, `ZKPP + random ${len} bytes`);
    const key = rng.bytes(len + 10);
    key.set([0x5a, 0x4b, 0x50, 0x56, 1, 0]); // "ZKPV" v1
    if (n % 2 === 0) key.set([len & 0xff, len >> 8, 0, 0], 6); // a length that fits
    assertRejected(verify(proof, key), KEY_CODES, `ZKPV + random ${len} bytes`);
    assert.equal(inspectVerifierKey(key).valid, false);
    assert.equal(inspectProof(prefixed).valid, false);
  }
  assertRejected(verify(new Uint8Array(), vk), ['NOT_ZKPOLICY'], 'empty proof');
  assertRejected(verify('', vk), ['NOT_ZKPOLICY'], 'empty string');
  const r = verify(proof, new Uint8Array());
  assertRejected(r, ['NOT_ZKPOLICY'], 'empty key');
  assert.equal(r.vk_digest, null);
  assert.equal(r.model, undefined);
  assertRejected(verify(new Uint8Array(), new Uint8Array()), ['NOT_ZKPOLICY'], 'both empty');
  assert.equal(inspectVerifierKey(new Uint8Array()).code, 'NOT_ZKPOLICY');
  assert.equal(inspectProof(new Uint8Array()).code, 'NOT_ZKPOLICY');
});

test('files of the wrong kind: swapped arguments, proving key as verifier key', () => {
  const model = 'whitelist';
  const vk = vkOf(model);
  const proof = proofOf(model, 'approve');
  const pk = fixture(model, `${model}.pk`);
  assertRejected(verify(vk, proof), ['WRONG_FILE_KIND'], 'swapped');
  assertRejected(verify(vk, vk), ['WRONG_FILE_KIND'], 'key as proof');
  assertRejected(verify(proof, pk), ['WRONG_FILE_KIND'], 'pk as vk');
  assertRejected(verify(pk, vk), ['WRONG_FILE_KIND'], 'pk as proof');
  assert.equal(inspectVerifierKey(proof).code, 'WRONG_FILE_KIND');
  assert.equal(inspectProof(vk).code, 'WRONG_FILE_KIND');
});

test(`every single-byte flip of the ${smallest} verifier key is rejected, but for the policy's name`, () => {
  const vk = vkOf(smallest);
  const proof = proofOf(smallest, 'approve');
  const key = inspectVerifierKey(vk);
  // The key ends with the policy's name, a label outside the digest (format 4): a flip
  // there gives the same key under another name, or invalid UTF-8.
  const label = vk.length - new TextEncoder().encode(key.model.name).length;
  assert.ok(label > 0 && label < vk.length, 'the key carries its policy name');
  for (let i = 0; i < vk.length; i++) {
    const r = verify(proof, flip(vk, i));
    if (i >= label && r.valid) {
      assert.equal(r.vk_digest, key.vk_digest, `key byte ${i} (label): the same digest`);
      assert.notEqual(r.model.name, key.model.name, `key byte ${i} (label): another name`);
    } else {
      assertRejected(r, [...KEY_CODES, 'WRONG_KEY'], `key byte ${i}`);
    }
  }
});

test('wrong argument types throw a TypeError with code ERR_INVALID_ARG_TYPE', () => {
  const vk = vkOf('simple_velocity');
  const proof = proofOf('simple_velocity', 'approve');
  const bad = [undefined, null, 0, 1.5, true, {}, [], [1, 2, 3], new ArrayBuffer(8), new DataView(new ArrayBuffer(8)),
    new Int8Array(8), new Uint8ClampedArray(8), new Uint16Array(4), Symbol('x'), 10n, () => {}, new Map(), new Blob([proof])];
  const expectTypeError = (fn, what) => {
    assert.throws(fn, (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE' && e.message.length > 0, what);
  };
  for (const b of bad) {
    const what = Object.prototype.toString.call(b);
    expectTypeError(() => verify(b, vk), `proof ${what}`);
    expectTypeError(() => verify(proof, b), `vk ${what}`);
    expectTypeError(() => inspectProof(b), `inspectProof ${what}`);
    expectTypeError(() => inspectVerifierKey(b), `inspectVerifierKey ${what}`);
  }
  expectTypeError(() => verify(proof, jsonProofOf('simple_velocity', 'approve')), 'vk as a string');
  expectTypeError(() => verify(proof), 'missing vk');
  expectTypeError(() => verify(), 'no arguments');
  expectTypeError(() => inspectVerifierKey('ZKPV'), 'key as a string');
});

test('a Uint8Array from another realm is accepted', () => {
  const foreign = vm.runInNewContext('(p, k) => [new Uint8Array(p), new Uint8Array(k)]')(
    Array.from(proofOf('simple_velocity', 'approve')), Array.from(vkOf('simple_velocity')));
  assert.ok(!(foreign[0] instanceof Uint8Array));
  assert.equal(verify(foreign[0], foreign[1]).valid, true);
});

test('the module still works after all the malformed input (no trap)', () => {
  for (const model of MODELS) {
    assert.equal(verify(proofOf(model, 'approve'), vkOf(model)).decision, 'approve');
  }
});
