// ESM entry of @zkpolicy/x402/hono, over the ESM @x402/hono.
import { paymentMiddleware } from '@x402/hono';
import integrations from './lib/integrations.js';

export const zkPolicyPaymentMiddleware = integrations.makeMiddleware(paymentMiddleware);
