'use strict';
// Server side: a policy the resource server requires (its verifier key, loaded once),
// the declaration it advertises in PAYMENT-REQUIRED, and the x402 resource-server
// extension whose before-verify hook checks the echoed proof before the facilitator
// sees the payment.

const { loadVerifierKey } = require('@zkpolicy/verifier');
const { CONTEXT_SCHEME, paymentContext } = require('./context.js');
const {
  ZKPOLICY, INFO_VERSION, PAYMENT_FIELDS, zkPolicySchema, ZkPolicyError, parseInfo, quantizeAtomic, echoedProof, isRecord,
} = require('./declaration.js');

/**
 * Why a payment was refused: the `invalidReason` of the x402 verify response, which the
 * resource server returns as `error` in its 402 PAYMENT-REQUIRED.
 */
const REASONS = Object.freeze({
  MISSING_PROOF: 'zkpolicy_missing_proof',
  INVALID_PROOF: 'zkpolicy_invalid_proof',
  WRONG_KEY: 'zkpolicy_wrong_key',
  WRONG_CONTEXT: 'zkpolicy_wrong_context',
  REPLAY: 'zkpolicy_replay',
  INPUT_MISMATCH: 'zkpolicy_input_mismatch',
  DENIED: 'zkpolicy_denied',
  NOT_CONFIGURED: 'zkpolicy_not_configured',
  INTERNAL_ERROR: 'zkpolicy_internal_error',
});

const DEFAULT_REPLAY_ENTRIES = 100000;
const DEFAULT_REPLAY_TTL_SECONDS = 3600;

/**
 * Contexts already paid with: a proof is accepted once per payment context. Bounded:
 * at most `maxEntries`, each kept `ttlSeconds` (oldest dropped first). The payment's
 * own nonce (checked by the facilitator and the chain) outlives both bounds.
 */
class ReplayCache {
  constructor(maxEntries, ttlSeconds) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlSeconds * 1000;
    this.entries = new Map();
  }

  /** Whether `digest` was claimed (and has not expired). */
  has(digest, nowMs = Date.now()) {
    const expiry = this.entries.get(digest);
    return expiry !== undefined && expiry > nowMs;
  }

  /** Records `digest`; false if it was already there (a replay). */
  claim(digest, nowMs = Date.now()) {
    if (this.has(digest, nowMs)) return false;
    this.entries.delete(digest);
    // Oldest first (one TTL for all: insertion order is expiry order): drop the expired,
    // then as many as it takes to make room.
    for (const [d, expiry] of this.entries) {
      if (expiry > nowMs && this.entries.size < this.maxEntries) break;
      this.entries.delete(d);
    }
    this.entries.set(digest, nowMs + this.ttlMs);
    return true;
  }
}

function positiveInteger(value, name, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer`);
  return value;
}

/**
 * A policy the resource server requires. See index.d.ts for the options.
 * @param {import('../index').ZkPolicyOptions} options
 * @returns {import('../index').ZkPolicy}
 */
function createZkPolicy(options) {
  if (!isRecord(options)) throw new TypeError('createZkPolicy: options must be an object');
  const { vk, vkUrl, decision = 'approve', match = [] } = options;
  if (!(vk instanceof Uint8Array)) throw new TypeError('createZkPolicy: options.vk must be the verifier key bytes (a Uint8Array)');
  if (vkUrl !== undefined && (typeof vkUrl !== 'string' || vkUrl.length === 0)) throw new TypeError('createZkPolicy: options.vkUrl must be a URL');
  if (typeof decision !== 'string' || decision.length === 0) throw new TypeError('createZkPolicy: options.decision must be a string');
  if (!Array.isArray(match)) throw new TypeError('createZkPolicy: options.match must be an array');
  const replay = new ReplayCache(
    positiveInteger(options.replayCacheEntries, 'options.replayCacheEntries', DEFAULT_REPLAY_ENTRIES),
    positiveInteger(options.replayTtlSeconds, 'options.replayTtlSeconds', DEFAULT_REPLAY_TTL_SECONDS),
  );

  const key = loadVerifierKey(vk);
  const report = key.inspect();
  if (!report.valid) {
    key.free();
    throw new ZkPolicyError('ZKPOLICY_BAD_KEY', `createZkPolicy: the verifier key does not load: ${report.reason}`, { code: report.code });
  }
  try {
    const names = report.input_names;
    const scaleBits = report.model.scale_bits;
    const rules = match.map((rule, i) => {
      if (!isRecord(rule)) throw new TypeError(`createZkPolicy: options.match[${i}] must be an object`);
      const { input, equals = 'amount', atomicPerUnit } = rule;
      const index = names.indexOf(input);
      if (index < 0) throw new ZkPolicyError('ZKPOLICY_BAD_MATCH', `createZkPolicy: match[${i}]: the key has no input named ${JSON.stringify(input)} (inputs: ${names.join(', ')})`);
      if (report.input_visibility[index] !== 'public') {
        throw new ZkPolicyError('ZKPOLICY_BAD_MATCH', `createZkPolicy: match[${i}]: input ${input} is ${report.input_visibility[index]} in this key; only a public input can be matched with the payment (zkpolicy setup --visibility public=…)`);
      }
      if (!PAYMENT_FIELDS.includes(equals)) throw new ZkPolicyError('ZKPOLICY_BAD_MATCH', `createZkPolicy: match[${i}].equals must be one of ${PAYMENT_FIELDS.join(', ')}`);
      const perUnit = typeof atomicPerUnit === 'bigint' || typeof atomicPerUnit === 'number' ? String(atomicPerUnit) : atomicPerUnit;
      if (typeof perUnit !== 'string' || !/^[1-9][0-9]*$/.test(perUnit)) {
        throw new TypeError(`createZkPolicy: match[${i}].atomicPerUnit must be a positive integer (atomic units of the asset per unit of the input, e.g. "1000000" for a 6-decimal token priced in whole units)`);
      }
      return { input, equals, atomic_per_unit: perUnit, index };
    });
    const info = {
      version: INFO_VERSION,
      vk_digest: report.vk_digest,
      vk: vkUrl === undefined ? { source: 'pinned' } : { source: 'url', url: vkUrl },
      decision,
      scale_bits: scaleBits,
      match: rules.map(({ input, equals, atomic_per_unit }) => ({ input, equals, atomic_per_unit })),
      context: CONTEXT_SCHEME,
    };
    parseInfo(info);
    const declaration = Object.freeze({ info: Object.freeze(info), schema: zkPolicySchema });

    /**
     * The proof check of one payment. Never throws: an unexpected error is a refusal.
     * @returns {import('../index').ZkPolicyCheck}
     */
    function check(paymentPayload, requirements, { claim = true } = {}) {
      try {
        return checkPayment(paymentPayload, requirements, claim);
      } catch (error) {
        return refuse(REASONS.INTERNAL_ERROR, `zkpolicy: the proof could not be checked: ${error && error.message}`);
      }
    }

    function checkPayment(paymentPayload, requirements, claim) {
      const echoed = isRecord(paymentPayload) && isRecord(paymentPayload.extensions) ? paymentPayload.extensions[ZKPOLICY] : undefined;
      const got = echoedProof(echoed);
      if (got.missing) return refuse(REASONS.MISSING_PROOF, 'zkpolicy: the payment carries no proof in extensions.zkpolicy.info.proof');
      if (got.malformed) return refuse(REASONS.INVALID_PROOF, `zkpolicy: ${got.malformed}`);
      // The context comes from the payment being accepted, never from the proof.
      const context = paymentContext(paymentPayload);
      const verified = key.verify(got.proof, { context });
      if (!verified.valid) {
        const reason = verified.code === 'WRONG_KEY' ? REASONS.WRONG_KEY
          : verified.code === 'WRONG_CONTEXT' ? REASONS.WRONG_CONTEXT : REASONS.INVALID_PROOF;
        return refuse(reason, `zkpolicy: ${verified.reason}`, verified);
      }
      if (verified.decision !== decision) {
        return refuse(REASONS.DENIED, `zkpolicy: the policy decided ${verified.decision}, this resource requires ${decision}`, verified);
      }
      for (const rule of rules) {
        const want = quantizeAtomic(requirements[rule.equals], rule.atomic_per_unit, scaleBits);
        const proved = verified.public_inputs[rule.index];
        const provedQ = typeof proved === 'number' ? BigInt(Math.round(proved * 2 ** scaleBits)) : undefined;
        if (provedQ !== want) {
          return refuse(REASONS.INPUT_MISMATCH, `zkpolicy: input ${rule.input} is ${proved}, the payment's ${rule.equals} ${requirements[rule.equals]} is ${Number(want) / 2 ** scaleBits} at the policy's scale (2^-${scaleBits})`, verified);
        }
      }
      // Last, once everything else holds: a context is accepted once.
      if (replay.has(verified.context_digest) || (claim && !replay.claim(verified.context_digest))) {
        return refuse(REASONS.REPLAY, 'zkpolicy: this payment context has been accepted before', verified);
      }
      return { ok: true, report: verified, contextDigest: verified.context_digest };
    }

    /** @type {import('@x402/core/types').ResourceServerExtension} */
    const policy = {
      vkDigest: report.vk_digest,
      keyReport: report,
      inputNames: names,
      declaration,
      check,
      claim: (contextDigest) => replay.claim(contextDigest),
      close() {
        key.free();
      },
    };
    policy.extension = zkPolicyResourceServerExtension(policy);
    return policy;
  } catch (error) {
    key.free();
    throw error;
  }
}

function refuse(reason, message, report) {
  return report === undefined ? { ok: false, reason, message } : { ok: false, reason, message, report };
}

/**
 * The x402 resource-server extension for one or more policies: register it once
 * (`resourceServer.registerExtension(...)`); its before-verify hook runs for every route
 * that declares `extensions.zkpolicy` and checks the proof against the policy the route
 * declared (by its vk digest), aborting the payment with a reason otherwise.
 * @param {...import('../index').ZkPolicy} policies
 */
function zkPolicyResourceServerExtension(...policies) {
  const byDigest = new Map();
  for (const p of policies) {
    if (!isRecord(p) || typeof p.vkDigest !== 'string' || typeof p.check !== 'function' || typeof p.claim !== 'function') {
      throw new TypeError('zkPolicyResourceServerExtension: pass the policies made by createZkPolicy');
    }
    byDigest.set(p.vkDigest, p);
  }
  // The payment context each payload passed the proof check with, claimed once the
  // facilitator has verified the payment (so an invalid payment does not use it up).
  const passed = new WeakMap();
  const policyOf = (declaration) => byDigest.get(isRecord(declaration) && isRecord(declaration.info) ? declaration.info.vk_digest : undefined);
  return {
    key: ZKPOLICY,
    hooks: {
      // The declaration is the route's (server configuration), not the client's echo.
      // A hook that throws is skipped by x402 (the payment would go on): every error
      // here is a refusal instead.
      async onBeforeVerify(declaration, context) {
        try {
          const policy = policyOf(declaration);
          if (policy === undefined) {
            const digest = isRecord(declaration) && isRecord(declaration.info) ? declaration.info.vk_digest : undefined;
            return abort(refuse(REASONS.NOT_CONFIGURED, `zkpolicy: the route declares vk digest ${digest}, for which this server has no policy`));
          }
          const result = policy.check(context.paymentPayload, context.requirements, { claim: false });
          if (!result.ok) return abort(result);
          passed.set(context.paymentPayload, result.contextDigest);
          return undefined;
        } catch (error) {
          return abort(refuse(REASONS.INTERNAL_ERROR, `zkpolicy: ${error && error.message}`));
        }
      },
      async onAfterVerify(declaration, context) {
        try {
          if (!context.result.isValid) return undefined;
          const digest = passed.get(context.paymentPayload);
          const policy = policyOf(declaration);
          if (digest === undefined || policy === undefined) {
            return abort(refuse(REASONS.INTERNAL_ERROR, 'zkpolicy: a payment reached after-verify without passing the proof check'));
          }
          passed.delete(context.paymentPayload);
          if (!policy.claim(digest)) return abort(refuse(REASONS.REPLAY, 'zkpolicy: this payment context has been accepted before'));
          return undefined;
        } catch (error) {
          return abort(refuse(REASONS.INTERNAL_ERROR, `zkpolicy: ${error && error.message}`));
        }
      },
    },
  };
}

function abort(result) {
  return { abort: true, reason: result.reason, message: result.message };
}

/**
 * Adds a policy's declaration to every route of an x402 routes map (each route's
 * `extensions.zkpolicy`), returning a new map; a route that already declares zkpolicy
 * keeps its own.
 * @param {Record<string, object>} routes
 * @param {{declaration: object}} policy
 */
function withZkPolicy(routes, policy) {
  if (!isRecord(routes)) throw new TypeError('withZkPolicy: routes must be an x402 routes map (an object of route configs)');
  const out = {};
  for (const [pattern, route] of Object.entries(routes)) {
    const extensions = isRecord(route.extensions) ? route.extensions : {};
    out[pattern] = { ...route, extensions: { [ZKPOLICY]: policy.declaration, ...extensions } };
  }
  return out;
}

/**
 * Fetches a verifier key once (for `createZkPolicy({vk})`), refusing it unless its
 * digest is `vkDigest`: the digest pins the policy, the URL only says where its bytes are.
 * @param {string} url
 * @param {string} vkDigest
 * @param {{timeoutMs?: number, maxBytes?: number, fetch?: typeof fetch}} [options]
 * @returns {Promise<Uint8Array>}
 */
async function fetchVerifierKey(url, vkDigest, options = {}) {
  const { timeoutMs = 10000, maxBytes = 16 * 1024 * 1024, fetch: fetchImpl = globalThis.fetch } = options;
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new ZkPolicyError('ZKPOLICY_VK_FETCH', `fetchVerifierKey: ${url} answered ${response.status}`);
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxBytes) throw new ZkPolicyError('ZKPOLICY_VK_FETCH', `fetchVerifierKey: ${url} is ${length} bytes, over ${maxBytes}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new ZkPolicyError('ZKPOLICY_VK_FETCH', `fetchVerifierKey: ${url} is over ${maxBytes} bytes`);
  const handle = loadVerifierKey(bytes);
  try {
    const report = handle.inspect();
    if (!report.valid) throw new ZkPolicyError('ZKPOLICY_BAD_KEY', `fetchVerifierKey: ${url} is not a verifier key: ${report.reason}`);
    if (report.vk_digest !== vkDigest) throw new ZkPolicyError('ZKPOLICY_WRONG_KEY', `fetchVerifierKey: ${url} has digest ${report.vk_digest}, expected ${vkDigest}`);
  } finally {
    handle.free();
  }
  return bytes;
}

module.exports = { REASONS, createZkPolicy, zkPolicyResourceServerExtension, withZkPolicy, fetchVerifierKey };
