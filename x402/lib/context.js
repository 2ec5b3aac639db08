'use strict';
// The request context a zkpolicy proof is bound to, derived from the x402 payment
// itself: both sides compute it from the payment payload, so a proof verifies for
// exactly one payment (one signed authorization, with its nonce) and is refused for
// any other.

const { createHash } = require('node:crypto');

/** Names the derivation below; advertised as `info.context` and checked by both sides. */
const CONTEXT_SCHEME = 'zkpolicy-x402-context-v1';

/**
 * JSON with object keys sorted at every level, so that the client and the server hash
 * the same bytes whatever order their JSON codecs keep. `undefined` members are
 * dropped, as JSON.stringify drops them.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/**
 * The 32-byte context of a payment: SHA-256 over the scheme name, a newline and the
 * canonical JSON of `{x402Version, resource, accepted, payload}`, where `payload` is the
 * scheme's payload without its top-level `signature` (for the EVM `exact` scheme: the
 * EIP-3009 authorization with `from`, `to`, `value`, the validity window and the nonce).
 * The signature is left out so the context names what was authorized, not one of its
 * encodings.
 * @param {{x402Version: number, resource?: unknown, accepted: unknown, payload: Record<string, unknown>}} paymentPayload
 * @returns {Buffer}
 */
function paymentContext(paymentPayload) {
  if (paymentPayload === null || typeof paymentPayload !== 'object') {
    throw new TypeError('paymentContext: the payment payload is not an object');
  }
  const { x402Version, resource, accepted, payload } = paymentPayload;
  if (accepted === null || typeof accepted !== 'object') {
    throw new TypeError('paymentContext: the payment payload has no `accepted` requirements');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('paymentContext: the payment payload has no scheme `payload`');
  }
  const { signature: _signature, ...authorization } = payload;
  const doc = canonicalJson({ x402Version, resource, accepted, payload: authorization });
  return createHash('sha256').update(`${CONTEXT_SCHEME}\n`).update(doc).digest();
}

module.exports = { CONTEXT_SCHEME, canonicalJson, paymentContext };
