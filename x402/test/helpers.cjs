'use strict';
// What the package's tests share (CommonJS, so both the ESM and the CommonJS tests load it).

const path = require('node:path');

const BIN = process.env.ZKPOLICY_BIN;
const KEYS = process.env.ZKP_X402_KEYS;
if (!BIN || !KEYS) throw new Error('set ZKPOLICY_BIN and ZKP_X402_KEYS (scripts/test-x402.sh does)');

const NETWORK = 'eip155:84532';
const PAY_TO = '0x000000000000000000000000000000000000dEaD';
const PAYER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
/** A throwaway test key (never holds funds). */
const PRIVATE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
/** models/simple_velocity's inputs, in order. */
const INPUTS = ['amount', 'balance', 'velocity_1h', 'velocity_24h', 'vendor_trust'];
const APPROVE = { balance: 0.8, velocity_1h: 0.02, velocity_24h: 0.1, vendor_trust: 0.9 };
const DENY = { balance: 0.3, velocity_1h: 0.4, velocity_24h: 0.7, vendor_trust: 0.2 };

const key = (name, ext) => path.join(KEYS, `${name}.${ext}`);

/** The policy input: the payment's bound values, the owner's facts for the rest. */
const featuresFrom = (facts) => ({ bound }) => INPUTS.map((n) => (n in bound ? bound[n] : facts[n]));

/** The merchant's route: $0.05 on Base Sepolia. */
const routes = () => ({
  'GET /weather': {
    accepts: { scheme: 'exact', price: '$0.05', network: NETWORK, payTo: PAY_TO, maxTimeoutSeconds: 60 },
    description: 'weather',
    mimeType: 'application/json',
  },
});

/**
 * An in-process facilitator client (x402's FacilitatorClient): accepts every payment and
 * records what it was asked, so a test can tell whether a refusal came before it.
 */
function fakeFacilitator() {
  const calls = [];
  return {
    calls,
    async getSupported() {
      return { kinds: [{ x402Version: 2, scheme: 'exact', network: NETWORK }], extensions: [], signers: {} };
    },
    async verify(paymentPayload) {
      calls.push(['verify', paymentPayload]);
      return { isValid: true, payer: PAYER };
    },
    async settle(paymentPayload, requirements) {
      calls.push(['settle', paymentPayload]);
      return { success: true, transaction: '', network: requirements.network, payer: PAYER };
    },
  };
}

/** Decodes an x402 header (base64 JSON). */
const decodeHeader = (value) => JSON.parse(Buffer.from(value, 'base64').toString('utf8'));

module.exports = {
  BIN, KEYS, NETWORK, PAY_TO, PAYER, PRIVATE_KEY, INPUTS, APPROVE, DENY, key, featuresFrom, routes, fakeFacilitator, decodeHeader,
};
