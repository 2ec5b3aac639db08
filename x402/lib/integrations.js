'use strict';
// What the Express and Hono integrations share: register the policy's extension on the
// x402 resource server, declare the policy on the routes, and hand both to the
// framework's paymentMiddleware.

const { ZKPOLICY } = require('./declaration.js');
const { zkPolicyResourceServerExtension, withZkPolicy } = require('./server.js');

/**
 * Makes `zkPolicyPaymentMiddleware` over a framework's `paymentMiddleware` (of
 * @x402/express or @x402/hono, from the same module system as the caller).
 *
 * `zkPolicyPaymentMiddleware(routes, server, policy, ...rest)` is
 * `paymentMiddleware(routes, server, ...rest)` with `policy` declared on every route
 * (`extensions.zkpolicy`) and its extension registered on `server`: a payment whose
 * proof does not hold is refused (402, `error` = the zkpolicy reason) before the
 * facilitator verifies it.
 */
const makeMiddleware = (paymentMiddleware) => function zkPolicyPaymentMiddleware(routes, server, policy, ...rest) {
  if (!server || typeof server.registerExtension !== 'function') throw new TypeError('zkPolicyPaymentMiddleware: server must be an x402ResourceServer');
  if (!policy || typeof policy.check !== 'function') throw new TypeError('zkPolicyPaymentMiddleware: policy must be made by createZkPolicy');
  if (server.hasExtension(ZKPOLICY)) {
    throw new TypeError('zkPolicyPaymentMiddleware: the resource server already has a zkpolicy extension; for several policies register zkPolicyResourceServerExtension(a, b) yourself and declare each route with withZkPolicy');
  }
  server.registerExtension(zkPolicyResourceServerExtension(policy));
  return paymentMiddleware(withZkPolicy(routes, policy), server, ...rest);
};

module.exports = { makeMiddleware };
