// The server side on real keys and proofs (from the CLI through cliProver): every
// refusal reason of a payment's proof check, and the extension's hook.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  REASONS, ZKPOLICY, boundInputs, cliProver, createZkPolicy, fetchVerifierKey, paymentContext, zkPolicyResourceServerExtension, withZkPolicy,
} from '@zkpolicy/x402';
import { inspectVerifierKey } from '@zkpolicy/verifier';
import helpers from './helpers.cjs';

const { BIN, INPUTS, APPROVE, DENY, key } = helpers;
const vk = readFileSync(key('simple_velocity', 'vk'));
const options = { vk, match: [{ input: 'amount', atomicPerUnit: '1000000' }] };
const policy = createZkPolicy(options);
after(() => policy.close());

const prover = cliProver({ bin: BIN, pk: key('simple_velocity', 'pk') });
const otherProver = cliProver({ bin: BIN, pk: key('other', 'pk') });
const otherDigest = inspectVerifierKey(readFileSync(key('other', 'vk'))).vk_digest;

let nonce = 0;
/** A payment payload for `amount` atomic units, with a fresh nonce. */
function payment(amount = '50000') {
  nonce += 1;
  return {
    x402Version: 2,
    resource: { url: 'http://127.0.0.1/weather', description: '', mimeType: '' },
    accepted: { scheme: 'exact', network: 'eip155:84532', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount, payTo: helpers.PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' } },
    payload: {
      signature: '0x00',
      authorization: { from: helpers.PAYER, to: helpers.PAY_TO, value: amount, validAfter: '0', validBefore: '9999999999', nonce: `0x${nonce.toString(16).padStart(64, '0')}` },
    },
  };
}

/** `p` with a proof of `facts` (amount from the payment unless overridden), from `using`. */
async function proved(p, { facts = APPROVE, amount, using = prover, vkDigest = policy.vkDigest } = {}) {
  const bound = boundInputs(policy.declaration.info, p.accepted);
  const input = INPUTS.map((n) => (n === 'amount' ? (amount ?? bound.amount) : facts[n]));
  const r = await using.prove({ vkDigest, input, context: paymentContext(p) });
  return { ...p, extensions: { [ZKPOLICY]: { ...policy.declaration, info: { ...policy.declaration.info, proof: r.proof } } } };
}

const withProof = (p, proof) => ({ ...p, extensions: { [ZKPOLICY]: { info: { ...policy.declaration.info, proof } } } });

test('the declaration pins the key, the decision, the amount rule and the context scheme', () => {
  const { info, schema } = policy.declaration;
  assert.equal(info.vk_digest, inspectVerifierKey(vk).vk_digest);
  assert.deepEqual(info.vk, { source: 'pinned' });
  assert.equal(info.decision, 'approve');
  assert.deepEqual(info.match, [{ input: 'amount', equals: 'amount', atomic_per_unit: '1000000' }]);
  assert.equal(info.scale_bits, inspectVerifierKey(vk).model.scale_bits);
  assert.equal(schema.type, 'object');
  const routes = withZkPolicy({ 'GET /a': { accepts: {} }, 'GET /b': { accepts: {}, extensions: { other: 1 } } }, policy);
  assert.equal(routes['GET /a'].extensions.zkpolicy, policy.declaration);
  assert.deepEqual(Object.keys(routes['GET /b'].extensions).sort(), ['other', 'zkpolicy']);
  const withUrl = createZkPolicy({ ...options, vkUrl: 'https://example.org/p.vk' });
  assert.deepEqual(withUrl.declaration.info.vk, { source: 'url', url: 'https://example.org/p.vk' });
  withUrl.close();
});

test('the replay memory is bounded in entries and in time', async () => {
  const small = createZkPolicy({ ...options, replayCacheEntries: 2, replayTtlSeconds: 1 });
  try {
    assert.equal(small.claim('a'), true);
    assert.equal(small.claim('a'), false);
    assert.equal(small.claim('b'), true);
    assert.equal(small.claim('c'), true); // drops the oldest, a
    assert.equal(small.claim('a'), true);
    assert.equal(small.claim('c'), false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(small.claim('c'), true); // expired
  } finally {
    small.close();
  }
  assert.throws(() => createZkPolicy({ ...options, replayCacheEntries: 0 }), TypeError);
  assert.throws(() => createZkPolicy({ ...options, replayTtlSeconds: 1.5 }), TypeError);
});

test('fetchVerifierKey: the key from a URL, refused unless its digest is the pinned one', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/p.vk') res.end(vk);
    else if (req.url === '/junk.vk') res.end('not a key');
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    assert.deepEqual(Buffer.from(await fetchVerifierKey(`${base}/p.vk`, policy.vkDigest)), vk);
    await assert.rejects(fetchVerifierKey(`${base}/p.vk`, 'ab'.repeat(32)), (e) => e.code === 'ZKPOLICY_WRONG_KEY');
    await assert.rejects(fetchVerifierKey(`${base}/junk.vk`, policy.vkDigest), (e) => e.code === 'ZKPOLICY_BAD_KEY');
    await assert.rejects(fetchVerifierKey(`${base}/none.vk`, policy.vkDigest), (e) => e.code === 'ZKPOLICY_VK_FETCH');
    await assert.rejects(fetchVerifierKey(`${base}/p.vk`, policy.vkDigest, { maxBytes: 10 }), (e) => e.code === 'ZKPOLICY_VK_FETCH');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('createZkPolicy refuses a rule it cannot check', () => {
  assert.throws(() => createZkPolicy({ vk, match: [{ input: 'balance', atomicPerUnit: '1' }] }), (e) => e.code === 'ZKPOLICY_BAD_MATCH' && /private/.test(e.message));
  assert.throws(() => createZkPolicy({ vk, match: [{ input: 'price', atomicPerUnit: '1' }] }), (e) => e.code === 'ZKPOLICY_BAD_MATCH' && /no input named "price"/.test(e.message));
  assert.throws(() => createZkPolicy({ vk, match: [{ input: 'amount', atomicPerUnit: '0' }] }), TypeError);
  assert.throws(() => createZkPolicy({ vk, match: [{ input: 'amount', equals: 'payTo', atomicPerUnit: '1' }] }), (e) => e.code === 'ZKPOLICY_BAD_MATCH');
  assert.throws(() => createZkPolicy({ vk: new Uint8Array([1, 2, 3]) }), (e) => e.code === 'ZKPOLICY_BAD_KEY');
  assert.throws(() => createZkPolicy({ vk: 'key' }), TypeError);
  // The names come from the key, which pins them.
  assert.deepEqual(createZkPolicy({ vk, match: [] }).inputNames, INPUTS);
});

test('an approving proof for this payment is accepted once', async () => {
  const p = await proved(payment());
  const r = policy.check(p, p.accepted);
  assert.equal(r.ok, true, r.message);
  // The CLI prover refuses to prove for a key it does not hold.
  await assert.rejects(prover.prove({ vkDigest: otherDigest, input: [0, 0, 0, 0, 0], context: paymentContext(p) }), (e) => e.code === 'ZKPOLICY_NO_POLICY');
  assert.equal(r.report.decision, 'approve');
  assert.equal(r.report.public_inputs[0], boundInputs(policy.declaration.info, p.accepted).amount);
  const again = policy.check(p, p.accepted);
  assert.equal(again.reason, REASONS.REPLAY);
});

test('every refusal has its reason', async () => {
  const fresh = payment();
  assert.equal(policy.check(fresh, fresh.accepted).reason, REASONS.MISSING_PROOF);
  assert.equal(policy.check({ ...fresh, extensions: { zkpolicy: { info: {} } } }, fresh.accepted).reason, REASONS.MISSING_PROOF);

  // A proof made for one payment, presented with another (another nonce).
  const first = await proved(payment());
  const second = payment();
  assert.equal(policy.check(withProof(second, first.extensions.zkpolicy.info.proof), second.accepted).reason, REASONS.WRONG_CONTEXT);

  const deny = await proved(payment(), { facts: DENY });
  const denied = policy.check(deny, deny.accepted);
  assert.equal(denied.reason, REASONS.DENIED, denied.message);
  assert.equal(denied.report.decision, 'deny');

  const cheap = await proved(payment(), { amount: 0.01 });
  assert.equal(policy.check(cheap, cheap.accepted).reason, REASONS.INPUT_MISMATCH);
  // The proof's amount is the payment's, but the requirements the server matched ask more.
  const honest = await proved(payment());
  assert.equal(policy.check(honest, { ...honest.accepted, amount: '60000' }).reason, REASONS.INPUT_MISMATCH);

  const other = await proved(payment(), { using: otherProver, vkDigest: otherDigest });
  assert.equal(policy.check(other, other.accepted).reason, REASONS.WRONG_KEY);

  const good = await proved(payment());
  const bytes = Buffer.from(good.extensions.zkpolicy.info.proof, 'base64');
  for (const at of [8, bytes.length >> 1, bytes.length - 1]) {
    const t = Buffer.from(bytes);
    t[at] ^= 0x40;
    const r = policy.check(withProof(good, t.toString('base64')), good.accepted);
    assert.ok([REASONS.INVALID_PROOF, REASONS.WRONG_KEY].includes(r.reason), `byte ${at}: ${r.reason}`);
    assert.equal(r.ok, false);
  }
  assert.equal(policy.check(withProof(good, bytes.subarray(0, 100).toString('base64')), good.accepted).reason, REASONS.INVALID_PROOF);
  for (const junk of ['not base64!', 'AAA', 42, { bytes: [] }, 'A'.repeat(65540)]) {
    assert.equal(policy.check(withProof(good, junk), good.accepted).reason, REASONS.INVALID_PROOF, String(junk).slice(0, 20));
  }
  // The untouched proof still passes: none of the above consumed its payment.
  assert.equal(policy.check(good, good.accepted).ok, true);
});

test('the extension hooks: abort with the reason, claim the context after the facilitator, never throw', async () => {
  const ext = zkPolicyResourceServerExtension(policy);
  assert.equal(ext.key, 'zkpolicy');
  const ctx = (paymentPayload, result) => ({ paymentPayload, requirements: paymentPayload?.accepted ?? {}, result });
  const p = payment();
  const missing = await ext.hooks.onBeforeVerify(policy.declaration, ctx(p));
  assert.deepEqual({ abort: missing.abort, reason: missing.reason }, { abort: true, reason: REASONS.MISSING_PROOF });

  const good = await proved(payment());
  assert.equal(await ext.hooks.onBeforeVerify(policy.declaration, ctx(good)), undefined);
  // The facilitator refused the payment: the context is not used up.
  assert.equal(await ext.hooks.onAfterVerify(policy.declaration, ctx(good, { isValid: false })), undefined);
  assert.equal(await ext.hooks.onBeforeVerify(policy.declaration, ctx(good)), undefined);
  assert.equal(await ext.hooks.onAfterVerify(policy.declaration, ctx(good, { isValid: true })), undefined);
  // Accepted once: the same payment again is refused before the facilitator.
  assert.equal((await ext.hooks.onBeforeVerify(policy.declaration, ctx(good))).reason, REASONS.REPLAY);
  // Two copies checked at once: the second to reach after-verify is refused.
  const twice = await proved(payment());
  const a = structuredClone(twice);
  const b = structuredClone(twice);
  assert.equal(await ext.hooks.onBeforeVerify(policy.declaration, ctx(a)), undefined);
  assert.equal(await ext.hooks.onBeforeVerify(policy.declaration, ctx(b)), undefined);
  assert.equal(await ext.hooks.onAfterVerify(policy.declaration, ctx(a, { isValid: true })), undefined);
  assert.equal((await ext.hooks.onAfterVerify(policy.declaration, ctx(b, { isValid: true }))).reason, REASONS.REPLAY);
  // After-verify for a payload that did not pass before-verify.
  assert.equal((await ext.hooks.onAfterVerify(policy.declaration, ctx(payment(), { isValid: true }))).reason, REASONS.INTERNAL_ERROR);

  const elsewhere = { info: { ...policy.declaration.info, vk_digest: 'cd'.repeat(32) } };
  assert.equal((await ext.hooks.onBeforeVerify(elsewhere, ctx(good))).reason, REASONS.NOT_CONFIGURED);
  assert.equal((await ext.hooks.onBeforeVerify(undefined, ctx(good))).reason, REASONS.NOT_CONFIGURED);
  // A payload that is not even an object, a context without a result: refused, not thrown.
  assert.equal((await ext.hooks.onBeforeVerify(policy.declaration, ctx(null))).reason, REASONS.MISSING_PROOF);
  assert.equal((await ext.hooks.onAfterVerify(policy.declaration, {})).reason, REASONS.INTERNAL_ERROR);
  const broken = zkPolicyResourceServerExtension({ vkDigest: policy.vkDigest, check() { throw new Error('boom'); }, claim() { return true; } });
  assert.equal((await broken.hooks.onBeforeVerify(policy.declaration, ctx(good))).reason, REASONS.INTERNAL_ERROR);
  assert.throws(() => zkPolicyResourceServerExtension({}), TypeError);
  const weird = await proved(payment());
  delete weird.accepted;
  assert.equal(policy.check(weird, { amount: '50000' }).reason, REASONS.INTERNAL_ERROR);
});
