/**
 * @zkpolicy/verifier: verify zkpolicy proofs (Spartan + Hyrax over BN254) locally,
 * with the same Rust code as `zkpolicy verify`, compiled to WebAssembly.
 *
 * The results are the reports `zkpolicy verify --json` and `zkpolicy inspect --json`
 * print ({@link VerifyReport}, {@link KeyReport}, {@link ProofReport}), with snake_case
 * field names. Nothing throws on malformed or hostile bytes: results carry
 * `valid: false`, a `reason` (the native CLI's message) and a `code`. Only these throw:
 * arguments of the wrong type (a `TypeError` whose `code` is `'ERR_INVALID_ARG_TYPE'`), a
 * request context that is not valid hex or is too long (a `TypeError` whose `code` is
 * `'ERR_INVALID_ARG_VALUE'`), and the methods of a {@link VerifierKeyHandle} after its
 * `free()` (an `Error`).
 */

import type { KeyReport, ProofReport, VerifyReport } from './reports.js';

/**
 * The results: the report types of `zkpolicy verify --json` and `zkpolicy inspect --json`,
 * generated from the Rust types into `reports.d.ts`. Every field name is snake_case, every
 * `code` SCREAMING_SNAKE_CASE.
 */
export type {
  DecisionRule, ErrorCode, KeyReport, ModelInfo, ProofEncoding, ProofReport, VerifyReport, Visibility,
} from './reports.js';

/** Options of {@link verify} and {@link VerifierKeyHandle.verify}. */
export interface VerifyOptions {
  /**
   * The request context the proof must be bound to (`zkpolicy prove --context`): the
   * bytes, or their hex (an even number of hex digits, optionally after `0x`; not empty).
   * Derive it from the request you are about to accept — for example the hash of the
   * payment payload — never from the proof: a proof is valid only with the very context
   * it was made with, so a proof made for one request cannot be replayed for another.
   * Omitted, `undefined` or `null`: the proof must be bound to no context. A mismatch
   * either way gives `valid: false` with `code: 'WRONG_CONTEXT'`. At most 1 MiB.
   * @throws TypeError with `code: 'ERR_INVALID_ARG_VALUE'` for text that is not such hex
   *   or a context over 1 MiB, and with `code: 'ERR_INVALID_ARG_TYPE'` for another type
   */
  context?: Uint8Array | string | null;
}

/**
 * Verifies a proof against a verifier key and, if given, the request context it must be
 * bound to. It decodes the key on every call; to verify several proofs against one key,
 * {@link loadVerifierKey} decodes it once.
 * @param proof binary proof bytes, or the JSON transport form (as a string or as bytes)
 * @param vk verifier key bytes (`NAME.vk` written by `zkpolicy setup`)
 * @param options `context`: the request context (see {@link VerifyOptions.context});
 *   omitted, the proof must be bound to no context
 * @throws TypeError with `code: 'ERR_INVALID_ARG_TYPE'` if an argument has the wrong type
 *   (`options` not an object, or its `context` neither a `Uint8Array` nor a string)
 * @throws TypeError with `code: 'ERR_INVALID_ARG_VALUE'` if `options.context` is a string
 *   that is not hex, or is longer than 1 MiB
 */
export function verify(proof: Uint8Array | string, vk: Uint8Array, options?: VerifyOptions | null): VerifyReport;

/**
 * Decodes a verifier key (and compiles its circuit) once, for verifying many proofs:
 * `loadVerifierKey(vk).verify(proof, options)` returns what `verify(proof, vk, options)`
 * returns, without the cost of decoding the key each time. A key that does not decode gives a handle too
 * (nothing throws on bytes): its `verify` reports the key's rejection, as `verify` does.
 * @param vk verifier key bytes (`NAME.vk` written by `zkpolicy setup`)
 * @throws TypeError with `code: 'ERR_INVALID_ARG_TYPE'` if `vk` is not a `Uint8Array`
 */
export function loadVerifierKey(vk: Uint8Array): VerifierKeyHandle;

/**
 * A verifier key decoded once, made by {@link loadVerifierKey}. It holds the compiled
 * circuit in WebAssembly memory: call `free()` when done with it (a handle that is
 * garbage-collected without `free()` is released eventually, where the JS engine
 * supports `FinalizationRegistry`). After `free()`, every method, `free()` included,
 * throws an `Error` (wasm-bindgen's "null pointer passed to rust"); the module and
 * other handles are unaffected. Where the engine has `Symbol.dispose`, the handle's
 * `[Symbol.dispose]()` is `free()` (not declared here, so older TypeScript libs accept
 * this file).
 */
export class VerifierKeyHandle {
  private constructor();
  /**
   * Verifies a proof against this key and, if given, a request context; the same result
   * as `verify(proof, vk, options)`.
   * @param proof binary proof bytes, or the JSON transport form (as a string or as bytes)
   * @param options `context`: the request context (see {@link VerifyOptions.context})
   * @throws TypeError with `code: 'ERR_INVALID_ARG_TYPE'` if `proof` or `options` has the
   *   wrong type, and with `code: 'ERR_INVALID_ARG_VALUE'` for a context string that is not hex
   */
  verify(proof: Uint8Array | string, options?: VerifyOptions | null): VerifyReport;
  /**
   * A benchmarking aid: {@link VerifierKeyHandle.verify}, calling `onPhase(name)` as each
   * phase of the verification ends, so that the caller can read its clock there (the
   * verifier has none). The phases, in order: `decode proof`, `public values`,
   * `statement (steps 0-1)`, `sumchecks (steps 2-4)`, `sparse matrices (step 5)`,
   * `row combination MSM (step 6)`, `evaluation proof transcript (step 6)`,
   * `evaluation proof MSM (step 6)`, `link proofs (step 7)`, `head and decision` (the
   * phases of `zkpolicy bench`). A failed check ends verification in its phase, which is
   * then not reported. The result is exactly `verify`'s.
   * @param onPhase called with each phase's name; if it throws, it is not called again
   *   and its exception is rethrown when verification ends
   * @throws TypeError with `code: 'ERR_INVALID_ARG_TYPE'` if `onPhase` is not a function,
   *   and as {@link VerifierKeyHandle.verify}
   */
  verifyWithPhases(
    proof: Uint8Array | string,
    onPhase: (phase: string) => void,
    options?: VerifyOptions | null,
  ): VerifyReport;
  /** Describes the key: the same result as `inspectVerifierKey(vk)`. */
  inspect(): KeyReport;
  /** Releases the key's WebAssembly memory; the handle cannot be used afterwards. */
  free(): void;
}

/** Decodes a verifier key and describes it (digest, model, input visibility, circuit size). */
export function inspectVerifierKey(vk: Uint8Array): KeyReport;

/** Decodes a proof and reports what it claims, without verifying it. */
export function inspectProof(proof: Uint8Array | string): ProofReport;

/** Where the browser build loads the WebAssembly module from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module. Required once in browsers before calling the
 * functions (`await init()`, by default from `zkpolicy_verifier_bg.wasm` next
 * to the module); in Node the module is loaded on import and this resolves at once.
 */
export default function init(
  options?: { module_or_path?: InitInput | Promise<InitInput> },
): Promise<unknown>;

/** Synchronous {@link init} from compiled bytes or a `WebAssembly.Module`. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;
