// ESM entry of @zkpolicy/x402/express, over the ESM @x402/express.
import { paymentMiddleware } from '@x402/express';
import integrations from './lib/integrations.js';

export const zkPolicyPaymentMiddleware = integrations.makeMiddleware(paymentMiddleware);
