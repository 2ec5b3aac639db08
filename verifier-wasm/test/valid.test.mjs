// Valid proofs made by the CLI verify, through every entry point of the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as esm from '@zkpolicy/verifier';
import init, { verify, inspectProof, inspectVerifierKey } from '@zkpolicy/verifier';
import {
  MODELS, REQUESTS, vkOf, proofOf, jsonProofOf, visibilityOf, requestInputOf, openingsOf, headerVersion,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const cjs = require('@zkpolicy/verifier');
const wasmBytes = readFileSync(require.resolve('@zkpolicy/verifier/zkpolicy_verifier_bg.wasm'));

function assertValid(r, model, request) {
  assert.equal(r.valid, true, `${model}/${request}: ${r.reason}`);
  assert.equal(r.decision, request);
  assert.equal(r.reason, undefined);
  assert.equal(r.code, undefined);
  assert.equal(r.class_index, null);
  assert.equal(r.format_version, headerVersion(vkOf(model)));
  assert.equal(r.format_version, headerVersion(proofOf(model, request)));
  assert.match(r.vk_digest, /^[0-9a-f]{64}$/);
  assert.equal(r.context_digest, null, 'the fixture proofs are bound to no request context');
  assert.equal(r.model.name, model);
  assert.equal(r.public_inputs.length, r.model.input_len);
  assert.equal(r.outputs.length, r.model.output_len);
  assert.equal(r.logits.length, r.model.logits_len);
  assert.deepEqual(r.model.decision, { kind: 'threshold', index: 0, threshold: 0.5 });
  // Threshold decision on the real output, as documented.
  assert.equal(r.outputs[0] >= 0.5, request === 'approve');
  assertInputs(r, model, request);
}

/**
 * The key's visibility is reported per input; a public input shows the request's value
 * (quantized to the model's scale, within its domain), a private one shows null.
 */
function assertInputs(r, model, request) {
  assert.deepEqual(r.input_visibility, visibilityOf(model), `${model}: visibility as zkpolicy setup reported it`);
  const step = 2 ** -r.model.scale_bits;
  // Committed inputs show the commitment the prover's openings file names; others null.
  const issued = new Map(openingsOf(model, request).committed.map((o) => [o.input, o.commitment]));
  assert.equal(r.input_commitments.length, r.model.input_len);
  requestInputOf(model, request).forEach((x, i) => {
    const shown = r.public_inputs[i];
    assert.equal(r.input_commitments[i], issued.get(i) ?? null, `${model}/${request}: commitment of input ${i}`);
    if (r.input_visibility[i] !== 'public') {
      assert.equal(shown, null, `${model}/${request}: ${r.input_visibility[i]} input ${i} is hidden`);
    } else {
      const expected = Math.max(-r.model.input_bound, Math.min(r.model.input_bound, x));
      assert.ok(Math.abs(shown - expected) <= step / 2 + 1e-12, `${model}/${request}: public input ${i} is ${shown}, request has ${x}`);
    }
  });
}

test('ESM and require entries expose the same API', () => {
  for (const name of ['verify', 'loadVerifierKey', 'VerifierKeyHandle', 'inspectVerifierKey', 'inspectProof', 'initSync', 'default']) {
    assert.equal(typeof esm[name], 'function', `esm.${name}`);
    assert.equal(typeof cjs[name], 'function', `cjs.${name}`);
  }
});

test('the fixtures cover every visibility: mixed with a committed input, all private (the default), all public', () => {
  const kinds = MODELS.map((m) => [...new Set(visibilityOf(m))].sort().join('+'));
  assert.deepEqual(kinds.sort(), ['committed+private+public', 'private', 'public']);
});

test('a key whose inputs are all private: every input is null and "private" (whitelist, default setup)', () => {
  const model = MODELS.find((m) => visibilityOf(m).every((v) => v === 'private'));
  for (const request of REQUESTS) {
    const r = verify(proofOf(model, request), vkOf(model));
    assert.equal(r.valid, true, r.reason);
    assert.ok(r.public_inputs.length > 0);
    assert.ok(r.public_inputs.every((x) => x === null), 'no value of a private input is reported');
    assert.ok(r.input_visibility.every((v) => v === 'private'));
    assert.deepEqual(inspectProof(proofOf(model, request)).quantized_input, [], 'the proof carries no input value');
    // The JSON transport carries nothing more.
    assert.deepEqual(verify(jsonProofOf(model, request), vkOf(model)), r);
  }
});

test('an invalid proof still reports the key\'s visibility, and no input values', () => {
  for (const model of MODELS) {
    const proof = proofOf(model, 'approve').slice();
    proof[proof.length - 40] ^= 1;
    const r = verify(proof, vkOf(model));
    assert.equal(r.valid, false);
    assert.deepEqual(r.public_inputs, []);
    assert.deepEqual(r.input_visibility, visibilityOf(model));
  }
  assert.deepEqual(verify(proofOf('whitelist', 'approve'), new Uint8Array()).input_visibility, []);
});

test('init() resolves in Node (isomorphic code path)', async () => {
  await init();
  await cjs.default();
});

for (const model of MODELS) {
  for (const request of REQUESTS) {
    test(`${model}/${request}: binary, JSON string and JSON bytes verify (ESM)`, () => {
      const vk = vkOf(model);
      const json = jsonProofOf(model, request);
      const results = [verify(proofOf(model, request), vk), verify(json, vk), verify(new TextEncoder().encode(json), vk)];
      for (const r of results) assertValid(r, model, request);
      assert.deepEqual(results[1], results[0]);
      assert.deepEqual(results[2], results[0]);
    });

    test(`${model}/${request}: verifies through require()`, () => {
      const r = cjs.verify(proofOf(model, request), vkOf(model));
      assertValid(r, model, request);
      assert.deepEqual(r, verify(proofOf(model, request), vkOf(model)));
    });

    test(`${model}/${request}: inspect agrees with verify`, () => {
      const vk = vkOf(model);
      const r = verify(proofOf(model, request), vk);
      const k = inspectVerifierKey(vk);
      assert.equal(k.valid, true);
      assert.equal(k.vk_digest, r.vk_digest);
      assert.deepEqual(k.model, r.model);
      assert.deepEqual(k.input_visibility, r.input_visibility);
      assert.ok(k.num_constraints > 0 && k.num_witness > 0);
      for (const [p, encoding] of [[proofOf(model, request), 'binary'], [jsonProofOf(model, request), 'json']]) {
        const i = inspectProof(p);
        assert.equal(i.valid, true);
        assert.equal(i.encoding, encoding);
        assert.equal(i.vk_digest, r.vk_digest);
        assert.equal(i.context_digest, null);
        assert.equal(i.size_bytes, proofOf(model, request).length);
        const scale = 2 ** r.model.scale_bits;
        // The proof carries the public inputs only, in input order.
        assert.deepEqual(i.quantized_input.map((x) => x / scale), r.public_inputs.filter((x) => x !== null));
        assert.deepEqual(i.quantized_logits.map((x) => x / scale), r.logits);
      }
    });
  }
}

// The browser build, as a separate module instance (a file URL with a query string),
// initialised the two ways a page can: from bytes and from a compiled module.
async function freshWebGlue(tag) {
  return import(`${pathToFileURL(require.resolve('@zkpolicy/verifier/web')).href}?${tag}`);
}

test('browser build: await init({ module_or_path: bytes }) then verify', async () => {
  const glue = await freshWebGlue('init-bytes');
  await glue.default({ module_or_path: wasmBytes });
  assertValid(glue.verify(proofOf('whitelist', 'approve'), vkOf('whitelist')), 'whitelist', 'approve');
});

test('browser build: initSync({ module: WebAssembly.Module }) then verify', async () => {
  const glue = await freshWebGlue('init-module');
  glue.initSync({ module: await WebAssembly.compile(wasmBytes) });
  assertValid(glue.verify(proofOf('simple_velocity', 'deny'), vkOf('simple_velocity')), 'simple_velocity', 'deny');
});

test('Buffer and Uint8Array views with an offset are accepted', () => {
  const proof = proofOf('simple_velocity', 'approve');
  const vk = vkOf('simple_velocity');
  const big = new Uint8Array(proof.length + 16);
  big.set(proof, 7);
  assertValid(verify(big.subarray(7, 7 + proof.length), Buffer.from(vk)), 'simple_velocity', 'approve');
});
