/**
 * @zkpolicy/x402: the "zkpolicy" x402 extension. A resource server requires, with a
 * payment, a zero-knowledge proof that the payer's spending policy (an ONNX model whose
 * verifier key the server pins) approved this very payment; a client proves it with a
 * zkpolicy prover and attaches the proof to the payment payload.
 *
 * Server: {@link createZkPolicy} → register `policy.extension` on the
 * `x402ResourceServer` and declare `policy.declaration` on the routes (or use
 * `@zkpolicy/x402/express`, `@zkpolicy/x402/hono`). Client: {@link wrapFetchWithZkPolicy}
 * over `@x402/fetch`, with {@link httpProver} or {@link cliProver}.
 */

import type { PaymentPayload, PaymentRequired, PaymentRequirements, ResourceServerExtension } from '@x402/core/types';
import type { ClientExtension, x402Client } from '@x402/core/client';
import type { KeyReport, VerifyReport } from '@zkpolicy/verifier';

/** The extension's key in `PaymentRequired.extensions` and `PaymentPayload.extensions`: `"zkpolicy"`. */
export declare const ZKPOLICY: 'zkpolicy';

/** The name of the context derivation ({@link paymentContext}), advertised as `info.context`. */
export declare const CONTEXT_SCHEME: 'zkpolicy-x402-context-v1';

/** A public input of the policy that must equal a payment field, at the policy's scale. */
export interface ZkPolicyMatchRule {
  /** The input's name in the verifier key (`input_names`). */
  input: string;
  /** The payment field: `"amount"`, the requirements' amount in atomic units of the asset. */
  equals: 'amount';
  /**
   * Atomic units of the asset per unit of the input, a positive integer in decimal: the
   * input must be `round(amount / atomic_per_unit · 2^scale_bits) / 2^scale_bits`.
   * `"1000000"` for a 6-decimal token (USDC) when the policy's amount is in dollars.
   */
  atomic_per_unit: string;
}

/** What the server advertises in `PaymentRequired.extensions.zkpolicy.info`. */
export interface ZkPolicyInfo {
  /** The version of this object: 1. */
  version: 1;
  /** Hex Keccak-256 digest of the verifier key the proof must be for: it pins the policy. */
  vk_digest: string;
  /** Where the verifier key's bytes are: pinned (known to both sides) or at a URL. The digest decides. */
  vk: { source: 'pinned' } | { source: 'url'; url: string };
  /** The decision the proof must show, e.g. `"approve"`. */
  decision: string;
  /** The policy's fixed-point scale: values are multiples of 2^-scale_bits. */
  scale_bits: number;
  /** The public inputs that must equal fields of the payment. */
  match: ZkPolicyMatchRule[];
  /** How the proof's request context is derived from the payment: {@link CONTEXT_SCHEME}. */
  context: typeof CONTEXT_SCHEME;
  /** Only in the client's echo: the binary proof, base64 (at most 65,536 characters). */
  proof?: string;
}

/** The declaration a route carries (`extensions.zkpolicy`): x402's `{info, schema}`. */
export interface ZkPolicyDeclaration {
  info: ZkPolicyInfo;
  /** JSON Schema (draft 2020-12) of `info`. */
  schema: Record<string, unknown>;
}

/** JSON Schema of {@link ZkPolicyInfo}. */
export declare const zkPolicySchema: Record<string, unknown>;

/**
 * Why the resource server refused a payment: the `invalidReason` of its verification,
 * returned to the client as `error` in the 402's PAYMENT-REQUIRED.
 */
export declare const REASONS: {
  /** The payment payload has no `extensions.zkpolicy.info.proof`. */
  readonly MISSING_PROOF: 'zkpolicy_missing_proof';
  /** The proof is not base64, does not decode, or fails verification (a forged or altered proof). */
  readonly INVALID_PROOF: 'zkpolicy_invalid_proof';
  /** The proof is for another verifier key (another policy). */
  readonly WRONG_KEY: 'zkpolicy_wrong_key';
  /** The proof is bound to another payment's context (a proof replayed on a new payment). */
  readonly WRONG_CONTEXT: 'zkpolicy_wrong_context';
  /** This payment (its context) was accepted before. */
  readonly REPLAY: 'zkpolicy_replay';
  /** A public input does not equal the payment field its rule names. */
  readonly INPUT_MISMATCH: 'zkpolicy_input_mismatch';
  /** The proof is valid but the policy's decision is not the required one. */
  readonly DENIED: 'zkpolicy_denied';
  /** The route declares a policy (vk digest) the server's extension does not hold. */
  readonly NOT_CONFIGURED: 'zkpolicy_not_configured';
  /** The check itself failed unexpectedly; the payment is refused. */
  readonly INTERNAL_ERROR: 'zkpolicy_internal_error';
};
export type ZkPolicyReason = (typeof REASONS)[keyof typeof REASONS];

/** An error with a machine-readable `code` (configuration, declaration, client-side refusal). */
export declare class ZkPolicyError extends Error {
  /**
   * `ZKPOLICY_BAD_KEY`, `ZKPOLICY_BAD_MATCH`, `ZKPOLICY_BAD_DECLARATION`, `ZKPOLICY_BAD_AMOUNT`,
   * `ZKPOLICY_VK_FETCH`, `ZKPOLICY_WRONG_KEY` (a fetched key with another digest),
   * `ZKPOLICY_PROVER` (the prover failed), `ZKPOLICY_NO_POLICY` (the prover has no such
   * policy), `ZKPOLICY_DENIED` (the policy denied the payment; the client did not pay).
   */
  code: string;
  details?: Record<string, unknown>;
  constructor(code: string, message: string, details?: Record<string, unknown>);
}

/** Options of {@link createZkPolicy}. */
export interface ZkPolicyOptions {
  /** The verifier key bytes (`NAME.vk` from `zkpolicy setup`); decoded once. */
  vk: Uint8Array;
  /** Advertise that clients fetch the key here; omitted, the key is advertised as pinned. */
  vkUrl?: string;
  /** The decision the proof must show. Default `"approve"`. */
  decision?: string;
  /** Public inputs that must equal payment fields; each input must be public in the key. */
  match?: Array<{ input: string; equals?: 'amount'; atomicPerUnit: string | number | bigint }>;
  /** Payment contexts remembered against replays. Default 100,000 (oldest dropped first). */
  replayCacheEntries?: number;
  /** How long a payment context is remembered, seconds. Default 3600. */
  replayTtlSeconds?: number;
}

/** The outcome of checking one payment's proof. */
export type ZkPolicyCheck =
  | { ok: true; report: VerifyReport; contextDigest: string }
  | { ok: false; reason: ZkPolicyReason; message: string; report?: VerifyReport };

/** A policy a resource server requires, made by {@link createZkPolicy}. */
export interface ZkPolicy {
  /** The verifier key's digest. */
  readonly vkDigest: string;
  /** The key, as `inspectVerifierKey` describes it. */
  readonly keyReport: KeyReport;
  /** The key's input names (pinned by its digest). */
  readonly inputNames: string[];
  /** What routes declare as `extensions.zkpolicy`. */
  readonly declaration: ZkPolicyDeclaration;
  /** The resource-server extension for this policy alone (see {@link zkPolicyResourceServerExtension}). */
  readonly extension: ResourceServerExtension;
  /**
   * Checks a payment's echoed proof: the context derived from `paymentPayload`, the key,
   * the decision, the matched inputs against `requirements`, then that the context is new,
   * and (unless `claim: false`) records it as used. Never throws.
   */
  check(paymentPayload: PaymentPayload, requirements: PaymentRequirements, options?: { claim?: boolean }): ZkPolicyCheck;
  /** Records a payment context digest as used; false if it was already (a replay). */
  claim(contextDigest: string): boolean;
  /** Releases the decoded key. */
  close(): void;
}

/**
 * A policy the resource server requires: the key is decoded once, the matched inputs are
 * resolved by name and must be public in the key.
 * @throws ZkPolicyError `ZKPOLICY_BAD_KEY`, `ZKPOLICY_BAD_MATCH`; TypeError for options of the wrong type
 */
export declare function createZkPolicy(options: ZkPolicyOptions): ZkPolicy;

/**
 * The x402 resource-server extension (key `"zkpolicy"`) for one or more policies; register it once
 * with `resourceServer.registerExtension`. Its before-verify hook checks the proof against the
 * policy the route declares (by vk digest) and aborts the payment with a {@link REASONS} reason
 * otherwise, before the facilitator is asked; its after-verify hook records the payment's context
 * once the facilitator has accepted the payment, and aborts a second payment with the same context.
 * The hooks never throw (x402 skips a hook that throws).
 */
export declare function zkPolicyResourceServerExtension(...policies: ZkPolicy[]): ResourceServerExtension;

/** A copy of an x402 routes map with `policy.declaration` as each route's `extensions.zkpolicy`. */
export declare function withZkPolicy<R extends Record<string, object>>(routes: R, policy: ZkPolicy): R;

/**
 * Fetches a verifier key and refuses it unless its digest is `vkDigest`.
 * @throws ZkPolicyError `ZKPOLICY_VK_FETCH`, `ZKPOLICY_BAD_KEY`, `ZKPOLICY_WRONG_KEY`
 */
export declare function fetchVerifierKey(
  url: string,
  vkDigest: string,
  options?: { timeoutMs?: number; maxBytes?: number; fetch?: typeof fetch },
): Promise<Uint8Array>;

/** What a client asks a prover for. */
export interface ZkPolicyProveRequest {
  /** The verifier key's digest the resource requires. */
  vkDigest: string;
  /** The policy input: numbers in input order, or an object by input name (needs names in the key). */
  input: number[] | Record<string, number>;
  /** The payment's context ({@link paymentContext}), 32 bytes. */
  context: Uint8Array;
}

/** What a prover returns. */
export interface ZkPolicyProveResult {
  decision: string;
  vkDigest: string;
  /** The binary proof, base64. */
  proof: string;
  outputs?: number[];
}

/** A source of proofs: {@link httpProver}, {@link cliProver}, or your own. */
export interface ZkPolicyProver {
  prove(request: ZkPolicyProveRequest): Promise<ZkPolicyProveResult>;
}

/** A policy as `GET /v1/policies` of `zkpolicy serve` lists it. */
export interface ServedPolicy {
  name: string;
  vk_digest: string;
  num_inputs: number;
  visibility: Array<'public' | 'private' | 'committed'>;
  input_names: string[] | null;
  input_range: number;
}

/**
 * A `zkpolicy serve` prover service; the policy is chosen by the vk digest the resource declares.
 * @param options `url` of the service; `timeoutMs` per request (default 30,000)
 */
export declare function httpProver(options: { url: string; timeoutMs?: number; fetch?: typeof fetch }): ZkPolicyProver & {
  /** The served policy with this digest. @throws ZkPolicyError `ZKPOLICY_NO_POLICY` */
  policy(vkDigest: string): Promise<ServedPolicy>;
};

/**
 * A local `zkpolicy` binary (`bin`, default `zkpolicy` on PATH) and one proving key `pk`.
 * @param options `timeoutMs` per proof (default 30,000)
 */
export declare function cliProver(options: { pk: string; bin?: string; timeoutMs?: number }): ZkPolicyProver;

/** What {@link ZkPolicyClientOptions.features} receives. */
export interface ZkPolicyFeaturesContext {
  /** The resource's declaration. */
  info: ZkPolicyInfo;
  paymentRequired: PaymentRequired;
  /** The requirements this payment accepted. */
  accepted: PaymentRequirements;
  /**
   * The matched inputs' values for this payment, by input name, exactly on the policy's
   * grid (e.g. `{amount: 0.05078125}`): prove with these.
   */
  bound: Record<string, number>;
}

/** Options of the client side. */
export interface ZkPolicyClientOptions {
  /** Where proofs come from. */
  prover: ZkPolicyProver;
  /** The policy input for a payment: the request's features, with the `bound` values in place. */
  features(context: ZkPolicyFeaturesContext): number[] | Record<string, number> | Promise<number[] | Record<string, number>>;
  /**
   * When the policy does not give the required decision: `'abort'` (default) refuses to
   * pay (`ZkPolicyError` `ZKPOLICY_DENIED`); `'send'` sends the proof anyway.
   */
  onDeny?: 'abort' | 'send';
}

/**
 * The x402 client extension: for a 402 that declares zkpolicy, proves for this payment
 * (context from the signed payload) and adds the proof as `extensions.zkpolicy.info.proof`.
 * Register it with `x402Client.registerExtension`.
 */
export declare function zkPolicyClientExtension(options: ZkPolicyClientOptions): ClientExtension;

/**
 * `wrapFetchWithPayment` of @x402/fetch with {@link zkPolicyClientExtension} registered on
 * `client`. When the extension fails (the policy denied, the prover failed) the promise
 * rejects with its `ZkPolicyError` and nothing is paid.
 */
export declare function wrapFetchWithZkPolicy(
  fetch: typeof globalThis.fetch,
  client: x402Client,
  options: ZkPolicyClientOptions,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * The 32-byte request context of a payment: SHA-256 over `"zkpolicy-x402-context-v1\n"` and
 * the canonical JSON of `{x402Version, resource, accepted, payload}` with the scheme payload's
 * `signature` left out (the authorization, with its nonce, stays).
 */
export declare function paymentContext(paymentPayload: PaymentPayload): Uint8Array;

/** JSON with object keys sorted at every level (what {@link paymentContext} hashes). */
export declare function canonicalJson(value: unknown): string;

/** Reads and checks an `info` object. @throws ZkPolicyError `ZKPOLICY_BAD_DECLARATION`, naming the field */
export declare function parseInfo(info: unknown): ZkPolicyInfo;

/** `round(atomic / atomicPerUnit · 2^scaleBits)`, exactly (halves up). @throws ZkPolicyError `ZKPOLICY_BAD_AMOUNT` */
export declare function quantizeAtomic(atomic: string, atomicPerUnit: string, scaleBits: number): bigint;

/** The matched inputs' values for a payment, by name, on the policy's grid. */
export declare function boundInputs(info: ZkPolicyInfo, requirements: PaymentRequirements): Record<string, number>;
