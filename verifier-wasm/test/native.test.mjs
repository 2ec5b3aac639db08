// The native `zkpolicy verify --json` and the wasm verify() give the same report
// (docs/REPORTS.md), deep-equal as JSON: for valid proofs, for bound proofs with and
// without their context, for every class of rejection and for keys that do not decode;
// the tree-ensemble and rule-graph policies (POLICIES) on their valid proofs, and those of
// TAMPERED_POLICIES on their tampered proofs.
// The CLI's exit status follows the report: 0 valid, 1 invalid proof, 2 key refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from '@zkpolicy/verifier';
import {
  MODELS, POLICIES, TAMPERED_POLICIES, REQUESTS, vkOf, proofOf, jsonProofOf, boundProofOf, CONTEXT_HEX, fixture, flip, prng, parseProof,
  encodeProof, nativeVerify,
} from './helpers.mjs';

/** Verifies natively and in wasm (with the context as hex, if given); returns the common report. */
function assertAgree(proof, vk, what, contextHex) {
  const wasm = verify(proof, vk, { context: contextHex });
  const { status, report, stderr } = nativeVerify(proof, vk, contextHex);
  assert.ok(report, `${what}: the CLI printed no JSON report (exit ${status}: ${stderr})`);
  assert.deepEqual(report, wasm, `${what}: the CLI's report and the npm result`);
  const keyRefused = wasm.vk_digest === null;
  assert.equal(status, wasm.valid ? 0 : keyRefused ? 2 : 1, `${what}: CLI exit status (${stderr})`);
  if (keyRefused) assert.ok(stderr.includes(wasm.reason), `${what}: the CLI's error names the reason: ${stderr}`);
  return wasm;
}

/** The decision a fixture request gets: its name, or the class label of a tree policy. */
const decisionOf = (model, request) => POLICIES[model]?.[request] ?? request;
const EVERY_MODEL = [...MODELS, ...Object.keys(POLICIES)];

for (const model of EVERY_MODEL) {
  test(`${model}: native and wasm agree on the valid proofs, binary and JSON`, () => {
    const vk = vkOf(model);
    for (const request of REQUESTS) {
      const decision = decisionOf(model, request);
      assert.equal(assertAgree(proofOf(model, request), vk, `${request} binary`).decision, decision);
      assert.equal(assertAgree(new TextEncoder().encode(jsonProofOf(model, request)), vk, `${request} JSON`).decision, decision);
    }
  });
}

for (const model of MODELS) {
  test(`${model}: native and wasm agree on a bound proof, with its context and without`, () => {
    const vk = vkOf(model);
    const bound = assertAgree(boundProofOf(model), vk, 'bound, its context', CONTEXT_HEX);
    assert.equal(bound.valid, true, bound.reason);
    assert.match(bound.context_digest, /^[0-9a-f]{64}$/);
    for (const [what, proof, hex] of [
      ['bound, another context', boundProofOf(model), '00'],
      ['bound, none', boundProofOf(model), undefined],
      ['unbound, a context', proofOf(model, 'approve'), CONTEXT_HEX],
    ]) {
      assert.equal(assertAgree(proof, vk, what, hex).code, 'WRONG_CONTEXT', what);
    }
  });
}

for (const model of [...MODELS, ...TAMPERED_POLICIES]) {
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
      ['one logit too many', encodeProof({ ...parsed, logits: [...parsed.logits, 0n] })],
      ['version', flip(proof, 4, 0x03)],
      ['magic', flip(proof, 0, 0x20)],
      ['trailing byte', new Uint8Array([...proof, 0])],
      ['truncated', proof.subarray(0, proof.length - 7)],
      ['another model', proofOf(other, 'deny')],
      ['the key as proof', vk],
      ['empty', new Uint8Array()],
      ['JSON digest mismatch', new TextEncoder().encode(JSON.stringify({ ...doc, key_digest: '00'.repeat(32) }))],
      ['JSON version', new TextEncoder().encode(JSON.stringify({ ...doc, version: doc.version + 1 }))],
    ];
    const rng = prng(7 + model.length);
    for (let n = 0; n < 12; n++) {
      const i = parsed.publicEnd + (rng.next() % (proof.length - parsed.publicEnd));
      cases.push([`SNARK byte ${i}`, flip(proof, i, (rng.next() % 255) + 1)]);
    }
    cases.push(['random bytes', rng.bytes(500)]);
    const codes = new Set();
    for (const [what, bytes] of cases) {
      const r = assertAgree(bytes, vk, what);
      assert.equal(r.valid, false, what);
      codes.add(r.code);
    }
    assert.deepEqual([...codes].sort(),
      ['MALFORMED_PROOF', 'NOT_ZKPOLICY', 'PUBLIC_VALUES', 'REJECTED', 'UNSUPPORTED_VERSION', 'WRONG_FILE_KIND', 'WRONG_KEY']);
  });
}

test('keys that do not decode: the CLI reports them as wasm does, and exits 2', () => {
  const proof = proofOf('whitelist', 'approve');
  const vk = vkOf('whitelist');
  const cases = [
    ['empty key', new Uint8Array(), 'NOT_ZKPOLICY'],
    ['truncated key', vk.subarray(0, vk.length - 3), 'MALFORMED_KEY'],
    ['proof as key', proof, 'WRONG_FILE_KIND'],
    ['proving key as key', fixture('whitelist', 'whitelist.pk'), 'WRONG_FILE_KIND'],
    ['another version', flip(vk, 4, 0x04), 'UNSUPPORTED_VERSION'],
  ];
  for (const [what, key, code] of cases) {
    const r = assertAgree(proof, key, what);
    assert.equal(r.code, code, `${what}: ${r.reason}`);
  }
});
