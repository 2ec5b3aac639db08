'use strict';
// @zkpolicy/x402/hono (CommonJS): @x402/hono's paymentMiddleware with a policy required.

const { paymentMiddleware } = require('@x402/hono');
const { makeMiddleware } = require('./integrations.js');

module.exports = { zkPolicyPaymentMiddleware: makeMiddleware(paymentMiddleware) };
