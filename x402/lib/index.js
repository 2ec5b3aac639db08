'use strict';
// @zkpolicy/x402: the "zkpolicy" x402 extension (CommonJS entry; index.mjs is the ESM one).

const { CONTEXT_SCHEME, canonicalJson, paymentContext } = require('./context.js');
const { ZKPOLICY, zkPolicySchema, ZkPolicyError, parseInfo, quantizeAtomic, boundInputs } = require('./declaration.js');
const { REASONS, createZkPolicy, zkPolicyResourceServerExtension, withZkPolicy, fetchVerifierKey } = require('./server.js');
const { wrapFetchWithPayment } = require('@x402/fetch');
const { zkPolicyClientExtension, makeWrapFetch } = require('./client.js');
const { httpProver, cliProver } = require('./provers.js');

module.exports = {
  ZKPOLICY,
  CONTEXT_SCHEME,
  REASONS,
  zkPolicySchema,
  ZkPolicyError,
  createZkPolicy,
  zkPolicyResourceServerExtension,
  withZkPolicy,
  fetchVerifierKey,
  zkPolicyClientExtension,
  wrapFetchWithZkPolicy: makeWrapFetch(wrapFetchWithPayment),
  httpProver,
  cliProver,
  paymentContext,
  canonicalJson,
  parseInfo,
  quantizeAtomic,
  boundInputs,
};
