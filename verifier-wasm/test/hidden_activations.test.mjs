// A network with tanh hidden layers (issue 15): scikit-learn's MLPClassifier exported by
// skl2onnx (models/sklearn/mlp_classifier_tanh.onnx), its hidden tanh proved as the
// Piecewise layer, verifies in wasm with the CLI's decisions; a forged approval is rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, inspectVerifierKey } from '@zkpolicy/verifier';
import { vkOf, proofOf, jsonProofOf, parseProof, encodeProof, nativeVerify } from './helpers.mjs';

const MODEL = 'mlp_classifier_tanh';

test('the key proves the tanh hidden layers as Piecewise layers', () => {
  const k = inspectVerifierKey(vkOf(MODEL));
  assert.equal(k.valid, true, k.reason);
  assert.equal(k.model.layers.filter((l) => l === 'Piecewise').length, 2, `${k.model.layers}`);
  assert.ok(k.model.layers.indexOf('Piecewise') < k.model.layers.lastIndexOf('Dense'), `${k.model.layers}`);
});

for (const [request, decision] of [['approve', '1'], ['deny', '0']]) {
  test(`${request}: binary and JSON proofs verify with decision "${decision}", as the CLI says`, () => {
    const vk = vkOf(MODEL);
    const r = verify(proofOf(MODEL, request), vk);
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.decision, decision);
    assert.deepEqual(verify(jsonProofOf(MODEL, request), vk), r);
    const native = nativeVerify(proofOf(MODEL, request), vk);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(native.report.decision, r.decision);
    assert.deepEqual(native.report.outputs, r.outputs);
  });
}

test('the deny proof claiming the approve proof\'s logits is rejected', () => {
  const approve = parseProof(proofOf(MODEL, 'approve'));
  const deny = parseProof(proofOf(MODEL, 'deny'));
  const r = verify(encodeProof({ ...deny, logits: approve.logits }), vkOf(MODEL));
  assert.equal(r.valid, false);
  assert.equal(r.code, 'REJECTED', r.reason);
});
