// The native `zkpolicy verify --json` and the wasm verifier agree on valid
// proofs and on every class of rejection: verdict, values, digest and reason text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '@zkpolicy/verifier';
import {
  MODELS, REQUESTS, vkOf, proofOf, jsonProofOf, flip, prng, parseProof, encodeProof, nativeVerify,
} from './helpers.mjs';

function assertAgree(proof, vk, what) {
  const wasm = verify(proof, vk);
  const { status, report } = nativeVerify(proof, vk);
  assert.ok(report, `${what}: the CLI printed no JSON report (exit ${status})`);
  assert.equal(status, wasm.valid ? 0 : 1, `${what}: CLI exit status`);
  assert.equal(report.valid, wasm.valid, `${what}: valid`);
  assert.equal(report.reason, wasm.reason, `${what}: reason`);
  assert.equal(report.decision ?? null, wasm.decision, `${what}: decision`);
  assert.deepEqual(report.outputs, wasm.outputs, `${what}: outputs`);
  assert.deepEqual(report.public_inputs, wasm.publicInputs, `${what}: public inputs`);
  assert.equal(report.vk_digest, wasm.vkDigest, `${what}: vk digest`);
  assert.equal(report.format_version, wasm.formatVersion, `${what}: format version`);
  assert.equal(report.model, wasm.model.name, `${what}: model`);
  return wasm;
}

for (const model of MODELS) {
  test(`${model}: native and wasm agree on the valid proofs`, () => {
    for (const request of REQUESTS) {
      const vk = vkOf(model);
      assert.equal(assertAgree(proofOf(model, request), vk, `${request} binary`).decision, request);
      assert.equal(assertAgree(new TextEncoder().encode(jsonProofOf(model, request)), vk, `${request} JSON`).decision, request);
    }
  });

  test(`${model}: native and wasm agree on tampered proofs`, () => {
    const vk = vkOf(model);
    const proof = proofOf(model, 'approve');
    const parsed = parseProof(proof);
    const logits = parsed.logits.slice();
    logits[0] += 1n;
    const other = MODELS.find((m) => m !== model);
    const doc = JSON.parse(jsonProofOf(model, 'approve'));
    const cases = [
      ['digest byte', flip(proof, 10)],
      ['public value byte', flip(proof, parsed.publicEnd - 1)],
      ['changed logit', encodeProof({ ...parsed, logits })],
      ['version', flip(proof, 4, 0x03)],
      ['magic', flip(proof, 0, 0x20)],
      ['trailing byte', new Uint8Array([...proof, 0])],
      ['truncated', proof.subarray(0, proof.length - 7)],
      ['another model', proofOf(other, 'deny')],
      ['the key as proof', vk],
      ['empty', new Uint8Array()],
      ['JSON digest mismatch', new TextEncoder().encode(JSON.stringify({ ...doc, key_digest: '00'.repeat(32) }))],
      ['JSON version', new TextEncoder().encode(JSON.stringify({ ...doc, version: 7 }))],
    ];
    const rng = prng(7 + model.length);
    for (let n = 0; n < 12; n++) {
      const i = parsed.publicEnd + (rng.next() % (proof.length - parsed.publicEnd));
      cases.push([`SNARK byte ${i}`, flip(proof, i, (rng.next() % 255) + 1)]);
    }
    cases.push(['random bytes', rng.bytes(500)]);
    for (const [what, bytes] of cases) {
      assert.equal(assertAgree(bytes, vk, what).valid, false, what);
    }
  });
}

test('a malformed key: the CLI fails with the reason wasm reports', () => {
  const proof = proofOf('whitelist', 'approve');
  const vk = vkOf('whitelist');
  for (const [what, key] of [['empty key', new Uint8Array()], ['truncated key', vk.subarray(0, vk.length - 3)], ['proof as key', proof]]) {
    const wasm = verify(proof, key);
    const { status, stderr } = nativeVerify(proof, key);
    assert.equal(wasm.valid, false);
    assert.equal(status, 2, `${what}: CLI exit status`);
    assert.ok(stderr.includes(wasm.reason), `${what}: CLI said ${JSON.stringify(stderr)}, wasm said ${JSON.stringify(wasm.reason)}`);
  }
});
