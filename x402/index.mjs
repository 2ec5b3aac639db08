// ESM entry of @zkpolicy/x402. The logic is the CommonJS module's (one instance of it
// whichever way it is loaded); the fetch wrapper is built over the ESM @x402/fetch so
// that x402 objects never cross the two builds of the x402 packages.
import { wrapFetchWithPayment } from '@x402/fetch';
import cjs from './lib/index.js';
import client from './lib/client.js';

export const {
  ZKPOLICY, CONTEXT_SCHEME, REASONS, zkPolicySchema, ZkPolicyError, createZkPolicy,
  zkPolicyResourceServerExtension, withZkPolicy, fetchVerifierKey, zkPolicyClientExtension,
  httpProver, cliProver, paymentContext, canonicalJson, parseInfo, quantizeAtomic, boundInputs,
} = cjs;
export const wrapFetchWithZkPolicy = client.makeWrapFetch(wrapFetchWithPayment);
