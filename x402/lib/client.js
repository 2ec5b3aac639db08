'use strict';
// Client side: an x402 client extension that, when a 402 declares zkpolicy, proves the
// policy's decision for this payment (its context derived from the signed payload) and
// adds the proof to the payload's extensions; and a wrapper over @x402/fetch that
// registers it.

const { AsyncLocalStorage } = require('node:async_hooks');
const { paymentContext } = require('./context.js');
const { ZKPOLICY, ZkPolicyError, parseInfo, boundInputs, isRecord } = require('./declaration.js');

/** The request a wrapped fetch is making, so that its caller sees the extension's own error. */
const currentRequest = new AsyncLocalStorage();

/**
 * @param {import('../index').ZkPolicyClientOptions} options
 * @returns {import('@x402/core/types').ClientExtension}
 */
function zkPolicyClientExtension(options) {
  if (!isRecord(options)) throw new TypeError('zkPolicyClientExtension: options must be an object');
  const { prover, features, onDeny = 'abort' } = options;
  if (!isRecord(prover) || typeof prover.prove !== 'function') throw new TypeError('zkPolicyClientExtension: options.prover must be a prover (httpProver, cliProver)');
  if (typeof features !== 'function') throw new TypeError('zkPolicyClientExtension: options.features must be a function returning the policy input');
  if (onDeny !== 'abort' && onDeny !== 'send') throw new TypeError("zkPolicyClientExtension: options.onDeny must be 'abort' or 'send'");

  async function enrich(paymentPayload, paymentRequired) {
    const declared = isRecord(paymentRequired.extensions) ? paymentRequired.extensions[ZKPOLICY] : undefined;
    if (declared === undefined) return paymentPayload;
    const info = parseInfo(isRecord(declared) ? declared.info : undefined);
    const accepted = paymentPayload.accepted;
    const context = paymentContext(paymentPayload);
    const bound = boundInputs(info, accepted);
    const input = await features({ info, paymentRequired, accepted, bound });
    const proved = await prover.prove({ vkDigest: info.vk_digest, input, context });
    if (proved.vkDigest !== info.vk_digest) {
      throw new ZkPolicyError('ZKPOLICY_NO_POLICY', `the prover proved for key ${proved.vkDigest}, the resource requires ${info.vk_digest}`);
    }
    if (proved.decision !== info.decision && onDeny === 'abort') {
      throw new ZkPolicyError('ZKPOLICY_DENIED', `the policy decided ${proved.decision} for this payment (the resource requires ${info.decision}); the payment was not sent`, { decision: proved.decision, outputs: proved.outputs });
    }
    const echo = { ...declared, info: { ...declared.info, proof: proved.proof } };
    return { ...paymentPayload, extensions: { ...paymentPayload.extensions, [ZKPOLICY]: echo } };
  }

  return {
    key: ZKPOLICY,
    async enrichPaymentPayload(paymentPayload, paymentRequired) {
      try {
        return await enrich(paymentPayload, paymentRequired);
      } catch (error) {
        const request = currentRequest.getStore();
        if (request !== undefined) request.error = error;
        throw error;
      }
    },
  };
}

/**
 * Makes `wrapFetchWithZkPolicy` over the given `wrapFetchWithPayment` (the CommonJS or
 * the ESM build of @x402/fetch, matching the entry the caller loaded, so that x402
 * objects never cross the two builds).
 *
 * `wrapFetchWithZkPolicy(fetch, client, options)` is `wrapFetchWithPayment` of
 * @x402/fetch with the zkpolicy client extension registered on `client`. A failure of
 * the extension (the policy denied, the prover failed) rejects with the extension's own
 * `ZkPolicyError` (with its `code`), not @x402/fetch's wrapper error, and nothing is paid.
 */
const makeWrapFetch = (wrapFetchWithPayment) => function wrapFetchWithZkPolicy(fetchImpl, client, options) {
  if (!client || typeof client.registerExtension !== 'function') throw new TypeError('wrapFetchWithZkPolicy: client must be an x402Client');
  client.registerExtension(zkPolicyClientExtension(options));
  const paying = wrapFetchWithPayment(fetchImpl, client);
  return async (input, init) => {
    const request = {};
    try {
      return await currentRequest.run(request, () => paying(input, init));
    } catch (error) {
      throw request.error ?? error;
    }
  };
};

module.exports = { zkPolicyClientExtension, makeWrapFetch };
