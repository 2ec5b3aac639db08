// The merchant: an Express app that sells a weather report for $0.05 over x402
// (@x402/express with @x402/evm's exact scheme and a facilitator over HTTP), and
// requires that the buyer's spending policy approved the payment (@zkpolicy/x402): the
// policy's public input `amount` must equal the price, in dollars.
import express from 'express';
import { x402ResourceServer } from '@x402/express';
import { HTTPFacilitatorClient } from '@x402/core/server';
import { ExactEvmScheme } from '@x402/evm/exact/server';
import { createZkPolicy } from '@zkpolicy/x402';
import { zkPolicyPaymentMiddleware } from '@zkpolicy/x402/express';
import { NETWORK } from './facilitator.mjs';

export const PRICE = '$0.05';
/** USDC has 6 decimals: the policy's `amount` is in dollars. */
export const ATOMIC_PER_DOLLAR = '1000000';
export const PAY_TO = '0x000000000000000000000000000000000000dEaD';

/**
 * The policy the merchant requires, from its verifier key bytes (loaded once); the
 * rule names the key's input `amount`.
 */
export function merchantPolicy(vk, { vkUrl } = {}) {
  return createZkPolicy({
    vk,
    vkUrl,
    decision: 'approve',
    match: [{ input: 'amount', equals: 'amount', atomicPerUnit: ATOMIC_PER_DOLLAR }],
  });
}

/**
 * Starts the merchant on 127.0.0.1.
 * @param {{facilitatorUrl: string, policy: ReturnType<typeof merchantPolicy>, port?: number, price?: string}} options
 */
export async function startMerchant({ facilitatorUrl, policy, port = 0, price = PRICE }) {
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: facilitatorUrl, timeoutMs: 10000 }))
    .register(NETWORK, new ExactEvmScheme());
  const routes = {
    'GET /weather': {
      accepts: { scheme: 'exact', price, network: NETWORK, payTo: PAY_TO, maxTimeoutSeconds: 120 },
      description: 'Weather report, for agents whose owner approved the spend',
      mimeType: 'application/json',
    },
  };
  const app = express();
  app.use(zkPolicyPaymentMiddleware(routes, resourceServer, policy));
  app.get('/weather', (_req, res) => res.json({ report: 'sunny', temperature_c: 21 }));
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s)).once('error', reject);
  });
  server.requestTimeout = 15000;
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
