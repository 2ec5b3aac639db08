// ESM: @zkpolicy/x402/hono on a Hono app (requests handed to app.request, no socket) and
// the fetch wrapper with a CLI prover; the facilitator is an in-process stub that accepts
// everything, so every refusal here is the zkpolicy extension's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { x402ResourceServer } from '@x402/hono';
import { ExactEvmScheme as ExactEvmServer } from '@x402/evm/exact/server';
import { x402Client, wrapFetchWithPayment } from '@x402/fetch';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { privateKeyToAccount } from 'viem/accounts';
import { REASONS, cliProver, createZkPolicy, wrapFetchWithZkPolicy } from '@zkpolicy/x402';
import { zkPolicyPaymentMiddleware } from '@zkpolicy/x402/hono';
import helpers from './helpers.cjs';

const { BIN, INPUTS, APPROVE, DENY, NETWORK, PRIVATE_KEY, key, featuresFrom, routes, fakeFacilitator, decodeHeader } = helpers;
const vk = readFileSync(key('simple_velocity', 'vk'));
const policy = createZkPolicy({ vk, match: [{ input: 'amount', atomicPerUnit: '1000000' }] });
after(() => policy.close());

const facilitator = fakeFacilitator();
const server = new x402ResourceServer(facilitator).register(NETWORK, new ExactEvmServer());
const app = new Hono();
app.use(zkPolicyPaymentMiddleware(routes(), server, policy));
app.get('/weather', (c) => c.json({ report: 'sunny' }));
const appFetch = (input, init) => app.request(input, init);
const URL_ = 'http://merchant.test/weather';

function payer() {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(PRIVATE_KEY) });
  return client;
}
const prover = cliProver({ bin: BIN, pk: key('simple_velocity', 'pk') });

test('unpaid: 402 whose PAYMENT-REQUIRED declares zkpolicy', async () => {
  const r = await appFetch(URL_);
  assert.equal(r.status, 402);
  const required = decodeHeader(r.headers.get('payment-required'));
  assert.deepEqual(required.extensions.zkpolicy.info, policy.declaration.info);
});

test('paid with an approving proof: 200; without one: refused before the facilitator', async () => {
  const pay = wrapFetchWithZkPolicy(appFetch, payer(), { prover, features: featuresFrom(APPROVE) });
  const ok = await pay(URL_);
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(await ok.json(), { report: 'sunny' });
  const verified = facilitator.calls.filter(([op]) => op === 'verify').length;
  const plain = await wrapFetchWithPayment(appFetch, payer())(URL_);
  assert.equal(plain.status, 402);
  assert.equal(decodeHeader(plain.headers.get('payment-required')).error, REASONS.MISSING_PROOF);
  assert.equal(facilitator.calls.filter(([op]) => op === 'verify').length, verified, 'the facilitator was not asked');
});

test('the policy denies: the wrapper does not pay (ZKPOLICY_DENIED), or sends and is refused', async () => {
  const before = facilitator.calls.length;
  const pay = wrapFetchWithZkPolicy(appFetch, payer(), { prover, features: featuresFrom(DENY) });
  await assert.rejects(pay(URL_), (e) => e.name === 'ZkPolicyError' && e.code === 'ZKPOLICY_DENIED');
  assert.equal(facilitator.calls.length, before);
  const send = wrapFetchWithZkPolicy(appFetch, payer(), { prover, features: featuresFrom(DENY), onDeny: 'send' });
  const r = await send(URL_);
  assert.equal(decodeHeader(r.headers.get('payment-required')).error, REASONS.DENIED);
});

test('a failing prover rejects with its error and pays nothing', async () => {
  const before = facilitator.calls.length;
  const broken = { prove: async () => { throw Object.assign(new Error('prover down'), { code: 'ZKPOLICY_PROVER' }); } };
  const pay = wrapFetchWithZkPolicy(appFetch, payer(), { prover: broken, features: featuresFrom(APPROVE) });
  await assert.rejects(pay(URL_), (e) => e.code === 'ZKPOLICY_PROVER');
  assert.equal(facilitator.calls.length, before);
  assert.throws(() => wrapFetchWithZkPolicy(appFetch, payer(), { prover, features: featuresFrom(APPROVE), onDeny: 'maybe' }), TypeError);
  assert.throws(() => wrapFetchWithZkPolicy(appFetch, payer(), { prover: {}, features: featuresFrom(APPROVE) }), TypeError);
});

test('a second zkpolicy middleware on the same resource server is refused', () => {
  assert.throws(() => zkPolicyPaymentMiddleware(routes(), server, policy), TypeError);
});
