'use strict';
// The "zkpolicy" x402 extension as it travels: the server's declaration
// (`PaymentRequired.extensions.zkpolicy = {info, schema}`) and the client's echo of it
// with the proof added (`PaymentPayload.extensions.zkpolicy.info.proof`), and the one
// rule that ties a public input of the policy to the payment (the amount).

const { CONTEXT_SCHEME } = require('./context.js');

/** The extension's key in `extensions` maps. */
const ZKPOLICY = 'zkpolicy';
/** The version of the `info` object below. */
const INFO_VERSION = 1;
/** The payment fields a public input can be matched with: `requirements.amount` (atomic units). */
const PAYMENT_FIELDS = Object.freeze(['amount']);
/** The longest proof the server reads, as base64 characters (48 KiB of proof). */
const MAX_PROOF_BASE64 = 65536;

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;
const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** JSON Schema (draft 2020-12) of `info`, advertised next to it. */
const zkPolicySchema = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    version: { const: INFO_VERSION },
    vk_digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    vk: {
      oneOf: [
        { type: 'object', properties: { source: { const: 'pinned' } }, required: ['source'] },
        {
          type: 'object',
          properties: { source: { const: 'url' }, url: { type: 'string' } },
          required: ['source', 'url'],
        },
      ],
    },
    decision: { type: 'string' },
    scale_bits: { type: 'integer', minimum: 0 },
    match: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          input: { type: 'string' },
          equals: { enum: [...PAYMENT_FIELDS] },
          atomic_per_unit: { type: 'string', pattern: '^[1-9][0-9]*$' },
        },
        required: ['input', 'equals', 'atomic_per_unit'],
      },
    },
    context: { const: CONTEXT_SCHEME },
    proof: { type: 'string', contentEncoding: 'base64', maxLength: MAX_PROOF_BASE64 },
  },
  required: ['version', 'vk_digest', 'vk', 'decision', 'scale_bits', 'match', 'context'],
});

/** An error with a machine-readable `code`, for configurations and declarations that cannot work. */
class ZkPolicyError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [details]
   */
  constructor(code, message, details) {
    super(message);
    this.name = 'ZkPolicyError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

function isRecord(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Reads and checks a declaration's `info` (the server's, or the one a client received):
 * every field present, of its type, with a known version and context scheme.
 * @param {unknown} info
 * @returns {import('../index').ZkPolicyInfo}
 * @throws {ZkPolicyError} `ZKPOLICY_BAD_DECLARATION`, naming the field
 */
function parseInfo(info) {
  const bad = (field, why) => {
    throw new ZkPolicyError('ZKPOLICY_BAD_DECLARATION', `zkpolicy declaration: ${field} ${why}`, { field });
  };
  if (!isRecord(info)) bad('info', 'is not an object');
  if (info.version !== INFO_VERSION) bad('version', `is ${JSON.stringify(info.version)}, this package reads ${INFO_VERSION}`);
  if (typeof info.vk_digest !== 'string' || !HEX_DIGEST.test(info.vk_digest)) bad('vk_digest', 'is not 64 lower-case hex digits');
  const vk = info.vk;
  if (!isRecord(vk) || !(vk.source === 'pinned' || (vk.source === 'url' && typeof vk.url === 'string' && vk.url.length > 0))) {
    bad('vk', 'is neither {"source":"pinned"} nor {"source":"url","url":…}');
  }
  if (typeof info.decision !== 'string' || info.decision.length === 0) bad('decision', 'is not a non-empty string');
  if (!Number.isInteger(info.scale_bits) || info.scale_bits < 0 || info.scale_bits > 52) bad('scale_bits', 'is not an integer in 0..52');
  if (!Array.isArray(info.match)) bad('match', 'is not an array');
  info.match.forEach((rule, i) => {
    if (!isRecord(rule)) bad(`match[${i}]`, 'is not an object');
    if (typeof rule.input !== 'string' || rule.input.length === 0) bad(`match[${i}].input`, 'is not an input name');
    if (!PAYMENT_FIELDS.includes(rule.equals)) bad(`match[${i}].equals`, `is not one of ${PAYMENT_FIELDS.join(', ')}`);
    if (typeof rule.atomic_per_unit !== 'string' || !POSITIVE_INTEGER.test(rule.atomic_per_unit)) {
      bad(`match[${i}].atomic_per_unit`, 'is not a positive integer in decimal');
    }
  });
  if (info.context !== CONTEXT_SCHEME) bad('context', `is ${JSON.stringify(info.context)}, this package derives ${CONTEXT_SCHEME}`);
  return info;
}

/**
 * The value a payment field must have as the policy's input, quantized at the policy's
 * scale: `round(atomic / atomic_per_unit · 2^scale_bits)` (halves away from zero), computed
 * exactly with integers.
 * @param {string} atomic the payment field, a non-negative integer in decimal (atomic units)
 * @param {string} atomicPerUnit atomic units per unit of the policy input
 * @param {number} scaleBits
 * @returns {bigint}
 */
function quantizeAtomic(atomic, atomicPerUnit, scaleBits) {
  if (typeof atomic !== 'string' || !NON_NEGATIVE_INTEGER.test(atomic)) {
    throw new ZkPolicyError('ZKPOLICY_BAD_AMOUNT', `payment amount ${JSON.stringify(atomic)} is not a non-negative integer`);
  }
  const num = BigInt(atomic) << BigInt(scaleBits);
  const den = BigInt(atomicPerUnit);
  return (2n * num + den) / (2n * den);
}

/**
 * The payment's values for the matched inputs, in real units exactly on the policy's
 * grid (`q / 2^scale_bits`), by input name: what the client proves them to be.
 * @param {import('../index').ZkPolicyInfo} info
 * @param {{amount: string}} requirements
 * @returns {Record<string, number>}
 */
function boundInputs(info, requirements) {
  const out = {};
  for (const rule of info.match) {
    const q = quantizeAtomic(requirements[rule.equals], rule.atomic_per_unit, info.scale_bits);
    if (q > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ZkPolicyError('ZKPOLICY_BAD_AMOUNT', `payment ${rule.equals} is too large for input ${rule.input}`);
    }
    out[rule.input] = Number(q) / 2 ** info.scale_bits;
  }
  return out;
}

/**
 * Decodes the proof a client echoed, or says why it cannot be read.
 * @param {unknown} echoed `paymentPayload.extensions?.zkpolicy`
 * @returns {{proof: Uint8Array} | {missing: true} | {malformed: string}}
 */
function echoedProof(echoed) {
  const info = isRecord(echoed) && isRecord(echoed.info) ? echoed.info : undefined;
  if (info === undefined || info.proof === undefined || info.proof === null) return { missing: true };
  const text = info.proof;
  if (typeof text !== 'string') return { malformed: 'info.proof is not a string' };
  if (text.length > MAX_PROOF_BASE64) return { malformed: `info.proof is longer than ${MAX_PROOF_BASE64} base64 characters` };
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return { malformed: 'info.proof is not base64' };
  return { proof: new Uint8Array(Buffer.from(text, 'base64')) };
}

module.exports = {
  ZKPOLICY,
  INFO_VERSION,
  PAYMENT_FIELDS,
  MAX_PROOF_BASE64,
  zkPolicySchema,
  ZkPolicyError,
  parseInfo,
  quantizeAtomic,
  boundInputs,
  echoedProof,
  isRecord,
};
