'use strict';
// @zkpolicy/x402/express (CommonJS): @x402/express's paymentMiddleware with a policy required.

const { paymentMiddleware } = require('@x402/express');
const { makeMiddleware } = require('./integrations.js');

module.exports = { zkPolicyPaymentMiddleware: makeMiddleware(paymentMiddleware) };
