// CommonJS: require() of @zkpolicy/x402 and @zkpolicy/x402/express, an Express app on
// 127.0.0.1 with the in-process facilitator stub, and the fetch wrapper with a CLI prover.
// Also: the ESM and CommonJS entries are one module (the same objects).
'use strict';
const { test, after, before } = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const express = require('express');
const { x402ResourceServer } = require('@x402/express');
const { ExactEvmScheme: ExactEvmServer } = require('@x402/evm/exact/server');
const { x402Client } = require('@x402/fetch');
const { registerExactEvmScheme } = require('@x402/evm/exact/client');
const { privateKeyToAccount } = require('viem/accounts');
const zk = require('@zkpolicy/x402');
const { zkPolicyPaymentMiddleware } = require('@zkpolicy/x402/express');
const { BIN, INPUTS, APPROVE, NETWORK, PRIVATE_KEY, key, featuresFrom, routes, fakeFacilitator, decodeHeader } = require('./helpers.cjs');

const vk = readFileSync(key('simple_velocity', 'vk'));
const policy = zk.createZkPolicy({ vk, match: [{ input: 'amount', atomicPerUnit: '1000000' }] });
let listening;
let url;

before(async () => {
  const server = new x402ResourceServer(fakeFacilitator()).register(NETWORK, new ExactEvmServer());
  const app = express();
  app.use(zkPolicyPaymentMiddleware(routes(), server, policy));
  app.get('/weather', (_req, res) => res.json({ report: 'sunny' }));
  listening = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${listening.address().port}/weather`;
});

after(async () => {
  listening.closeAllConnections();
  await new Promise((resolve) => listening.close(resolve));
  policy.close();
});

test('ESM and CommonJS load one module', async () => {
  const esm = await import('@zkpolicy/x402');
  assert.equal(esm.REASONS, zk.REASONS);
  assert.equal(esm.createZkPolicy, zk.createZkPolicy);
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(zk).sort());
  const esmExpress = await import('@zkpolicy/x402/express');
  assert.equal(typeof esmExpress.zkPolicyPaymentMiddleware, 'function');
});

test('Express: 402 declaring zkpolicy, then 200 with an approving proof, then the same payment refused', async () => {
  const unpaid = await fetch(url);
  assert.equal(unpaid.status, 402);
  assert.equal(decodeHeader(unpaid.headers.get('payment-required')).extensions.zkpolicy.info.vk_digest, policy.vkDigest);

  const client = new x402Client();
  registerExactEvmScheme(client, { signer: privateKeyToAccount(PRIVATE_KEY) });
  const sent = [];
  const recording = async (input, init) => {
    const request = new Request(input, init);
    if (request.headers.has('payment-signature')) sent.push(request.headers.get('payment-signature'));
    return fetch(request);
  };
  const pay = zk.wrapFetchWithZkPolicy(recording, client, {
    prover: zk.cliProver({ bin: BIN, pk: key('simple_velocity', 'pk') }),
    features: featuresFrom(APPROVE),
  });
  const paid = await pay(url, { signal: AbortSignal.timeout(30000) });
  assert.equal(paid.status, 200, await paid.clone().text());
  assert.deepEqual(await paid.json(), { report: 'sunny' });
  assert.equal(sent.length, 1);
  const again = await fetch(url, { headers: { 'payment-signature': sent[0] } });
  assert.equal(decodeHeader(again.headers.get('payment-required')).error, zk.REASONS.REPLAY);
});
