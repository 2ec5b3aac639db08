// Type-checked (tsc, scripts/test-x402.sh), not run: the ESM declarations of @zkpolicy/x402
// used as the README uses them.
import express from 'express';
import { Hono } from 'hono';
import { x402ResourceServer } from '@x402/express';
import { x402ResourceServer as HonoResourceServer } from '@x402/hono';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { x402Client } from '@x402/fetch';
import {
  REASONS, ZKPOLICY, cliProver, createZkPolicy, httpProver, paymentContext, withZkPolicy,
  wrapFetchWithZkPolicy, zkPolicyClientExtension, zkPolicyResourceServerExtension,
  type ZkPolicy, type ZkPolicyCheck, type ZkPolicyReason,
} from '@zkpolicy/x402';
import { zkPolicyPaymentMiddleware } from '@zkpolicy/x402/express';
import { zkPolicyPaymentMiddleware as honoMiddleware } from '@zkpolicy/x402/hono';

const policy: ZkPolicy = createZkPolicy({ vk: new Uint8Array(), match: [{ input: 'amount', atomicPerUnit: 1000000n }] });
const routes = { 'GET /weather': { accepts: { scheme: 'exact', price: '$0.05', network: 'eip155:84532' as const, payTo: '0x0' } } };
const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: 'http://127.0.0.1:4020' }));
express().use(zkPolicyPaymentMiddleware(routes, server, policy));
new Hono().use(honoMiddleware(withZkPolicy(routes, policy), new HonoResourceServer(), policy));
server.registerExtension(zkPolicyResourceServerExtension(policy));

const check: ZkPolicyCheck = policy.check({ x402Version: 2, accepted: {} as never, payload: {} }, {} as never);
if (!check.ok) {
  const reason: ZkPolicyReason = check.reason;
  console.log(reason === REASONS.DENIED, check.message);
} else {
  console.log(check.report.decision, check.contextDigest);
}
const digest: string = policy.declaration.info.vk_digest;
const context: Uint8Array = paymentContext({ x402Version: 2, accepted: {} as never, payload: {} });

const client = new x402Client();
client.registerExtension(zkPolicyClientExtension({ prover: cliProver({ pk: 'p.pk' }), features: ({ bound }) => [bound.amount ?? 0] }));
const pay = wrapFetchWithZkPolicy(fetch, client, {
  prover: httpProver({ url: 'http://127.0.0.1:8787' }),
  features: async ({ bound, info }) => ({ amount: bound[info.match[0]!.input]! }),
  onDeny: 'send',
});
const response: Promise<Response> = pay('http://127.0.0.1:4021/weather');
console.log(ZKPOLICY, digest, context, response);
