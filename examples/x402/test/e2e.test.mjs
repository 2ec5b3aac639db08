// The example end to end on loopback, with real parts: `zkpolicy serve`, the loopback
// facilitator (payment signatures verified with viem), the Express merchant and agents
// paying with @x402/fetch. Every case of issue 17 §4.
//
// Needs ZKPOLICY_BIN (the CLI) and ZKP_X402_KEYS: a directory with simple_velocity.pk/.vk
// (input 0, `amount`, public) and other.pk/.vk (another policy), as scripts/test-x402.sh
// makes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { x402Client, wrapFetchWithPayment } from '@x402/fetch';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { privateKeyToAccount } from 'viem/accounts';
import { fetchVerifierKey, httpProver, REASONS, wrapFetchWithZkPolicy } from '@zkpolicy/x402';
import { startFacilitator } from '../facilitator.mjs';
import { merchantPolicy, startMerchant } from '../merchant.mjs';
import { startProver } from '../prover.mjs';
import { GOOD_STANDING, INPUTS, OVERSPENDING, TEST_PRIVATE_KEY, makeAgent } from '../agent.mjs';

const BIN = process.env.ZKPOLICY_BIN;
const KEYS = process.env.ZKP_X402_KEYS;
if (!BIN || !KEYS) throw new Error('set ZKPOLICY_BIN and ZKP_X402_KEYS (scripts/test-x402.sh does)');
/** Node's default limit on the size of all request headers together. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

let prover;
let facilitator;
let merchant;
let policy;
let resource;

before(async () => {
  prover = await startProver({ bin: BIN, keys: KEYS });
  facilitator = await startFacilitator();
  policy = merchantPolicy(readFileSync(path.join(KEYS, 'simple_velocity.vk')));
  merchant = await startMerchant({ facilitatorUrl: facilitator.url, policy });
  resource = `${merchant.url}/weather`;
});

after(async () => {
  await merchant?.close();
  await facilitator?.close();
  await prover?.close();
  policy?.close();
});

const decode = (header) => JSON.parse(Buffer.from(header, 'base64').toString('utf8'));

/** A fetch that records the PAYMENT-SIGNATURE headers it sends. */
function recordingFetch() {
  const sent = [];
  const f = async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get('payment-signature');
    if (header) sent.push({ header, headerBytes: [...request.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0) });
    return fetch(request);
  };
  return { fetch: f, sent };
}

/** The 402's PAYMENT-REQUIRED, decoded. */
function paymentRequired(response) {
  assert.equal(response.status, 402, `expected 402, got ${response.status}`);
  const header = response.headers.get('payment-required');
  assert.ok(header, 'a 402 carries PAYMENT-REQUIRED');
  return decode(header);
}

/** An agent that pays and proves, with a prover that may misbehave. */
function agent({ facts = GOOD_STANDING, onDeny, features, prove, fetchImpl } = {}) {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(TEST_PRIVATE_KEY) });
  const real = httpProver({ url: prover.url, timeoutMs: 15000 });
  const fromFacts = ({ bound }) => INPUTS.map((name) => (name in bound ? bound[name] : facts[name]));
  return wrapFetchWithZkPolicy(fetchImpl ?? fetch, client, {
    prover: prove ? { prove: (req) => prove(req, real) } : real,
    features: features ?? fromFacts,
    onDeny,
  });
}

const get = (pay) => pay(resource, { signal: AbortSignal.timeout(30000) });

test('approve: 200 and the resource; the facilitator verified the signature and says nothing settled on-chain', async (t) => {
  const rec = recordingFetch();
  const response = await get(makeAgent({ proverUrl: prover.url, facts: GOOD_STANDING, fetchImpl: rec.fetch }));
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual(await response.json(), { report: 'sunny', temperature_c: 21 });
  const settlement = decode(response.headers.get('payment-response'));
  assert.equal(settlement.success, true);
  assert.equal(settlement.transaction, '');
  assert.equal(settlement.extra?.settled_on_chain, false, JSON.stringify(settlement));
  // The header the proof rides in, and what the proof adds to it.
  assert.equal(rec.sent.length, 1);
  const payload = decode(rec.sent[0].header);
  const proofB64 = payload.extensions.zkpolicy.info.proof;
  const withoutProof = structuredClone(payload);
  delete withoutProof.extensions.zkpolicy.info.proof;
  const bare = Buffer.from(JSON.stringify(withoutProof)).toString('base64').length;
  const proofBytes = Buffer.from(proofB64, 'base64').length;
  t.diagnostic(`proof ${proofBytes} B binary, ${proofB64.length} B base64 in the payload; PAYMENT-SIGNATURE ${rec.sent[0].header.length} B (${bare} B without the proof: the proof adds ${rec.sent[0].header.length - bare} B); all request headers ${rec.sent[0].headerBytes} B of Node's ${NODE_MAX_HEADER_BYTES}`);
  assert.ok(rec.sent[0].headerBytes < NODE_MAX_HEADER_BYTES, 'the request headers fit in Node\'s default limit');
});

test('the facilitator verifies the payment signature: a valid proof on a forged signature is refused', async () => {
  // The agent's payment, its signature replaced on the way (the proof stays valid: the
  // context names the authorization, not its signature).
  const forging = async (input, init) => {
    const request = new Request(input, init);
    const header = request.headers.get('payment-signature');
    if (header) {
      const payload = decode(header);
      payload.payload.signature = `0x${'11'.repeat(65)}`;
      request.headers.set('payment-signature', Buffer.from(JSON.stringify(payload)).toString('base64'));
    }
    return fetch(request);
  };
  const response = await get(agent({ fetchImpl: forging }));
  assert.equal(paymentRequired(response).error, 'invalid_signature');
});

test('no proof: 402 advertising the zkpolicy extension; paying without a proof is refused', async () => {
  const unpaid = await fetch(resource);
  const required = paymentRequired(unpaid);
  const info = required.extensions.zkpolicy.info;
  assert.equal(info.vk_digest, policy.vkDigest);
  assert.deepEqual(info.vk, { source: 'pinned' });
  assert.equal(info.decision, 'approve');
  assert.deepEqual(info.match, [{ input: 'amount', equals: 'amount', atomic_per_unit: '1000000' }]);
  assert.equal(info.context, 'zkpolicy-x402-context-v1');
  assert.equal(typeof required.extensions.zkpolicy.schema, 'object');
  // A plain x402 client (no zkpolicy extension) pays: refused before the facilitator.
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(TEST_PRIVATE_KEY) });
  const response = await get(wrapFetchWithPayment(fetch, client));
  assert.equal(paymentRequired(response).error, REASONS.MISSING_PROOF);
});

test('the merchant can take the key from the prover, pinned by its digest', async () => {
  const url = `${prover.url}/v1/policies/simple_velocity/vk`;
  assert.deepEqual(Buffer.from(await fetchVerifierKey(url, policy.vkDigest)), readFileSync(path.join(KEYS, 'simple_velocity.vk')));
  await assert.rejects(fetchVerifierKey(`${prover.url}/v1/policies/other/vk`, policy.vkDigest), (e) => e.code === 'ZKPOLICY_WRONG_KEY');
});

test('deny: the agent does not pay by default; a deny proof sent anyway is refused', async () => {
  await assert.rejects(get(agent({ facts: OVERSPENDING })), (e) => e.code === 'ZKPOLICY_DENIED' && e.details.decision === 'deny');
  const response = await get(agent({ facts: OVERSPENDING, onDeny: 'send' }));
  const required = paymentRequired(response);
  assert.equal(required.error, REASONS.DENIED);
});

test('replay: a proof is refused on a second payment, and a payment is accepted once', async () => {
  const rec = recordingFetch();
  const first = await get(agent({ fetchImpl: rec.fetch }));
  assert.equal(first.status, 200);
  const used = decode(rec.sent[0].header);
  const oldProof = used.extensions.zkpolicy.info.proof;
  // A new payment (new nonce) carrying the old proof.
  const replayer = agent({ prove: async (req, real) => ({ ...(await real.prove(req)), proof: oldProof }) });
  assert.equal(paymentRequired(await get(replayer)).error, REASONS.WRONG_CONTEXT);
  // The very same payment again.
  const again = await fetch(resource, { headers: { 'payment-signature': rec.sent[0].header } });
  assert.equal(paymentRequired(again).error, REASONS.REPLAY);
});

test('another policy: a proof for another key is refused', async () => {
  const { policies } = await (await fetch(`${prover.url}/v1/policies`)).json();
  const other = policies.find((p) => p.name === 'other');
  assert.notEqual(other.vk_digest, policy.vkDigest);
  const liar = agent({
    prove: async (req, real) => ({ ...(await real.prove({ ...req, vkDigest: other.vk_digest })), vkDigest: req.vkDigest }),
  });
  assert.equal(paymentRequired(await get(liar)).error, REASONS.WRONG_KEY);
});

test('tampered proof: refused', async () => {
  const flip = (b64) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[bytes.length >> 1] ^= 0x01;
    return bytes.toString('base64');
  };
  const tamperer = agent({ prove: async (req, real) => {
    const r = await real.prove(req);
    return { ...r, proof: flip(r.proof) };
  } });
  assert.equal(paymentRequired(await get(tamperer)).error, REASONS.INVALID_PROOF);
  const garbler = agent({ prove: async (req, real) => ({ ...(await real.prove(req)), proof: 'not base64!' }) });
  assert.equal(paymentRequired(await get(garbler)).error, REASONS.INVALID_PROOF);
});

test('amount mismatch: a proof for a smaller amount than the payment is refused', async () => {
  const cheapskate = agent({
    features: ({ bound }) => INPUTS.map((name) => (name === 'amount' ? bound.amount / 2 : GOOD_STANDING[name])),
  });
  const required = paymentRequired(await get(cheapskate));
  assert.equal(required.error, REASONS.INPUT_MISMATCH);
});
