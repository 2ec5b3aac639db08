// Tree-ensemble and rule-graph policies (issue 16) verify in wasm: issue 16's "done when"
// exports (models/trees: scikit-learn's decision tree, random forest and gradient boosting,
// classifier and regressor, through skl2onnx; LightGBM and XGBoost through onnxmltools; the
// gradient-boosting classifier is the 100-tree fraud policy) and the rule graph
// models/rules/payment_rule.onnx, each with the decision its request gets and the input
// names of its export's metadata; each tree key comes from a setup that found the quantized
// model deciding its whole test set as the float model; forged and tampered proofs are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, inspectVerifierKey } from '@zkpolicy/verifier';
import {
  POLICIES, TREE_POLICIES, TAMPERED_POLICIES, REQUESTS, vkOf, proofOf, jsonProofOf, visibilityOf, setupOf, flip, prng,
  parseProof, encodeProof, headerVersion,
} from './helpers.mjs';

/** The class labels of a classifier's key: skl2onnx and LightGBM name theirs, XGBoost's export does not. */
const labelsOf = (model) => (model === 'xgboost' ? [] : ['0', '1']);

function assertValid(r, model, request) {
  const decision = POLICIES[model][request];
  assert.equal(r.valid, true, `${model}/${request}: ${r.reason}`);
  assert.equal(r.decision, decision, `${model}/${request}: decision`);
  assert.equal(r.format_version, headerVersion(proofOf(model, request)));
  assert.equal(r.model.name, model);
  assert.equal(r.context_digest, null);
  // The export's metadata names the inputs; the default key hides every value.
  assert.equal(r.input_names[0], 'amount', `${model}: ${r.input_names}`);
  assert.equal(r.input_names.length, r.model.input_len);
  assert.deepEqual(r.input_visibility, visibilityOf(model));
  assert.ok(r.input_visibility.every((v) => v === 'private'));
  assert.ok(r.public_inputs.every((x) => x === null));
  assert.equal(r.model.input_bound, 16384);
  if (TREE_POLICIES.includes(model)) {
    assert.equal(r.model.layers[0], 'Trees', `${model}: ${r.model.layers}`);
    assert.equal(r.model.scale_bits, 16);
  }
  if (r.model.decision.kind === 'argmax') {
    // A classifier, decided by the argmax of its two class scores: class 1 is an approval.
    assert.ok(TREE_POLICIES.includes(model), model);
    assert.equal(r.class_index, request === 'approve' ? 1 : 0);
    assert.deepEqual(r.model.decision.labels, labelsOf(model));
    assert.equal(decision, r.model.decision.labels[r.class_index] ?? `class ${r.class_index}`);
    assert.equal(r.outputs.length, 2);
    assert.ok(r.outputs[r.class_index] > r.outputs[1 - r.class_index], `${model}/${request}: ${r.outputs}`);
  } else {
    // A regressor's score or the rule's output, against 0.5.
    assert.deepEqual(r.model.decision, { kind: 'threshold', index: 0, threshold: 0.5 });
    assert.equal(r.class_index, null);
    assert.equal(r.outputs.length, 1);
    assert.equal(r.outputs[0] >= 0.5, request === 'approve', `${model}/${request}: ${r.outputs}`);
  }
  if (model === 'payment_rule') {
    assert.ok(r.model.layers.includes('Lanes'), `${model}: ${r.model.layers}`);
    assert.deepEqual(r.input_names, ['amount', 'balance', 'vendor', 'hour']);
    // A rule is exact: the output is 1 or 0.
    assert.deepEqual(r.outputs, [request === 'approve' ? 1 : 0]);
  }
}

test('the fraud policy is the 100-tree ensemble and its sigmoid, over 30 named inputs', () => {
  const k = inspectVerifierKey(vkOf('fraud_gbdt'));
  assert.deepEqual(k.model.layers, ['Trees', 'Sigmoid']);
  assert.equal(k.input_names.length, 30);
});

for (const model of TREE_POLICIES) {
  test(`${model}: a Trees key over 30 named inputs, set up after agreeing on the whole test set`, () => {
    const k = inspectVerifierKey(vkOf(model));
    assert.equal(k.valid, true, k.reason);
    assert.equal(k.model.layers[0], 'Trees', `${model}: ${k.model.layers}`);
    assert.equal(k.model.input_len, 30);
    assert.deepEqual(k.input_names.slice(0, 2), ['amount', 'balance']);
    // The key is the one whose setup checked the quantized model on models/trees/test.jsonl.
    const setup = setupOf(model);
    assert.equal(k.vk_digest, setup.vk_digest, model);
    assert.deepEqual(setup.test_set, {
      path: 'models/trees/test.jsonl', rows: 1000, agree: 1000, disagreeing_rows: [],
    }, model);
  });
}

for (const model of Object.keys(POLICIES)) {
  for (const request of REQUESTS) {
    test(`${model}/${request}: binary and JSON proofs verify with decision "${POLICIES[model][request]}"`, () => {
      const vk = vkOf(model);
      const r = verify(proofOf(model, request), vk);
      assertValid(r, model, request);
      assert.deepEqual(verify(jsonProofOf(model, request), vk), r);
    });
  }

  const full = TAMPERED_POLICIES.includes(model);
  test(`${model}: ${full ? 'tampered proofs are' : 'a forged approval is'} rejected`, () => {
    const vk = vkOf(model);
    const proof = proofOf(model, 'approve');
    const parsed = parseProof(proof);
    const deny = parseProof(proofOf(model, 'deny'));
    const cases = [
      // The deny proof claiming the approve proof's scores: a forged approval.
      ['deny with approve\'s logits', encodeProof({ ...deny, logits: parsed.logits }), 'REJECTED'],
    ];
    if (full) {
      cases.push(
        ['a logit moved by one step', encodeProof({ ...parsed, logits: parsed.logits.map((v, i) => (i === 0 ? v + 1n : v)) }), 'REJECTED'],
        ['key digest byte', flip(proof, 10), 'WRONG_KEY'],
        ['truncated', proof.subarray(0, proof.length - 5), 'MALFORMED_PROOF'],
      );
      const rng = prng(0x7ee5 + model.length);
      for (let n = 0; n < 40; n++) {
        const i = parsed.publicEnd + (rng.next() % (proof.length - parsed.publicEnd));
        cases.push([`SNARK byte ${i}`, flip(proof, i, (rng.next() % 255) + 1), null]);
      }
    }
    for (const [what, bytes, code] of cases) {
      const r = verify(bytes, vk);
      assert.equal(r.valid, false, `${model}: ${what} accepted`);
      assert.equal(r.decision, null, what);
      if (code) assert.equal(r.code, code, `${what}: ${r.reason}`);
      else assert.ok(['MALFORMED_PROOF', 'REJECTED'].includes(r.code), `${what}: ${r.code} ${r.reason}`);
    }
  });
}

test('a proof of one policy is refused by the key of another (WRONG_KEY)', () => {
  const models = Object.keys(POLICIES);
  for (const a of models) {
    for (const b of models.filter((m) => m !== a)) {
      const r = verify(proofOf(a, 'approve'), vkOf(b));
      assert.equal(r.valid, false, `${a} proof, ${b} key`);
      assert.equal(r.code, 'WRONG_KEY', `${a} proof, ${b} key: ${r.reason}`);
    }
  }
});
