// Networks with hidden tanh or sigmoid layers (issue 15), each hidden activation proved as a
// Piecewise layer, verify in wasm with the CLI's decisions and outputs; a forged approval is
// rejected. scikit-learn's MLPClassifier with tanh layers exported by skl2onnx
// (models/sklearn/mlp_classifier_tanh.onnx), and PyTorch MLPs (models/torch) with two hidden
// tanh layers or one hidden sigmoid layer, each through both of PyTorch's ONNX exporters
// (TorchScript and dynamo), with a fixed input shape and with a dynamic batch axis. Each key
// comes from a setup that found the quantized model deciding its whole test set as the float model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, inspectVerifierKey } from '@zkpolicy/verifier';
import { REQUESTS, vkOf, proofOf, jsonProofOf, setupOf, parseProof, encodeProof, nativeVerify } from './helpers.mjs';

const TORCH_EXPORTS = ['torchscript', 'torchscript_batch', 'dynamo', 'dynamo_batch'];
const torch = (network, piecewise) => Object.fromEntries(TORCH_EXPORTS.map((e) => [
  `${network}_${e}`, { piecewise, testSet: 'models/torch/test.jsonl', rows: 1000, approve: 'approve', deny: 'deny' },
]));

/**
 * Per model: its number of Piecewise layers, the test set its setup checked, and the decision
 * each request gets (a classifier's label, or a threshold on the torch models' one score).
 */
const MODELS = {
  mlp_classifier_tanh: { piecewise: 2, testSet: 'models/sklearn/classifier_test.jsonl', rows: 500, approve: '1', deny: '0' },
  ...torch('mlp_tanh', 2),
  ...torch('mlp_sigmoid', 1),
};

for (const [model, want] of Object.entries(MODELS)) {
  test(`${model}: the key proves ${want.piecewise} hidden activation(s) as Piecewise layers`, () => {
    const k = inspectVerifierKey(vkOf(model));
    assert.equal(k.valid, true, k.reason);
    assert.equal(k.model.layers.filter((l) => l === 'Piecewise').length, want.piecewise, `${k.model.layers}`);
    assert.ok(k.model.layers.lastIndexOf('Piecewise') < k.model.layers.lastIndexOf('Dense'), `${k.model.layers}`);
    const setup = setupOf(model);
    assert.equal(k.vk_digest, setup.vk_digest, model);
    assert.deepEqual(setup.test_set, { path: want.testSet, rows: want.rows, agree: want.rows, disagreeing_rows: [] });
  });

  for (const request of REQUESTS) {
    test(`${model}/${request}: binary and JSON proofs verify with decision "${want[request]}", as the CLI says`, () => {
      const vk = vkOf(model);
      const r = verify(proofOf(model, request), vk);
      assert.equal(r.valid, true, r.reason);
      assert.equal(r.decision, want[request]);
      assert.deepEqual(verify(jsonProofOf(model, request), vk), r);
      const native = nativeVerify(proofOf(model, request), vk);
      assert.equal(native.status, 0, native.stderr);
      assert.equal(native.report.decision, r.decision);
      assert.deepEqual(native.report.outputs, r.outputs);
    });
  }

  test(`${model}: the deny proof claiming the approve proof's logits is rejected`, () => {
    const approve = parseProof(proofOf(model, 'approve'));
    const deny = parseProof(proofOf(model, 'deny'));
    assert.notDeepEqual(deny.logits, approve.logits);
    const r = verify(encodeProof({ ...deny, logits: approve.logits }), vkOf(model));
    assert.equal(r.valid, false);
    assert.equal(r.code, 'REJECTED', r.reason);
    assert.equal(r.decision, null);
  });
}
