/**
 * @zkpolicy/verifier: verify zkpolicy proofs (Spartan + Hyrax over BN254) locally,
 * with the same Rust code as `zkpolicy verify`, compiled to WebAssembly.
 *
 * Nothing throws on malformed or hostile bytes: results carry `valid: false`, a
 * `reason` (the native CLI's message) and a `code`. Only these throw: arguments of the
 * wrong type (a `TypeError` whose `code` is `'ERR_INVALID_ARG_TYPE'`), a request
 * context that is not valid hex or is too long (a `TypeError` whose `code` is
 * `'ERR_INVALID_ARG_VALUE'`), and the methods of a {@link VerifierKeyHandle} after its
 * `free()` (an `Error`).
 */

/** Why a proof (or key) was not accepted. */
export type ReasonCode =
  /** The bytes are not a zkpolicy file at all. */
  | 'NOT_ZKPOLICY'
  /** A zkpolicy file of the wrong kind, e.g. a key passed as the proof. */
  | 'WRONG_FILE_KIND'
  /** A zkpolicy file of a format version this build does not read. */
  | 'UNSUPPORTED_VERSION'
  /** The verifier key cannot be decoded or holds an invalid model. */
  | 'MALFORMED_KEY'
  /** The proof cannot be decoded (binary or JSON form). */
  | 'MALFORMED_PROOF'
  /** The proof was made for another verifier key. */
  | 'WRONG_KEY'
  /**
   * The proof is bound to another request context than the one given, to a context
   * when none was given, or to none when one was (see {@link VerifyOptions.context}).
   */
  | 'WRONG_CONTEXT'
  /** The proof's public input or logits do not fit the key's model. */
  | 'PUBLIC_VALUES'
  /** The proof decodes but does not verify (e.g. it was tampered with). */
  | 'REJECTED';

/**
 * How proofs for a key treat one model input; chosen at `zkpolicy setup --visibility`
 * and recorded in the key (the default is every input private).
 * - `'public'`: the value is in the proof, range-checked and reported in `publicInputs`.
 * - `'private'`: hidden by the zero-knowledge proof (range-checked inside it);
 *   `publicInputs` has `null` in its place.
 * - `'committed'`: hidden like `'private'`, but the proof carries a hiding Pedersen
 *   commitment `x·V + r·H` to the quantized value, reported in `inputCommitments`, so
 *   that whoever issued the commitment (`zkpolicy commit`) can recognise it.
 */
export type InputVisibility = 'public' | 'private' | 'committed';

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

/** How a model turns its outputs into a decision (real units). */
export type DecisionRule =
  | { kind: 'threshold'; index: number; threshold: number }
  | { kind: 'argmax'; labels: string[] };

/** Public description of the model a verifier key pins. */
export interface ModelInfo {
  name: string;
  /** Values are fixed point: multiples of 2^-scaleBits. */
  scaleBits: number;
  inputLen: number;
  /** Inputs lie in ±inputBound (real units): the prover refuses others unless told to clamp them. */
  inputBound: number;
  /** Number of proven logits (the output of the last linear layer). */
  logitsLen: number;
  outputLen: number;
  /** Operator names, e.g. ['Dense', 'Relu', 'Dense', 'Sigmoid']. */
  layers: string[];
  numParams: number;
  decision: DecisionRule;
}

/** The outcome of {@link verify} and {@link VerifierKeyHandle.verify}. */
export interface VerifyResult {
  valid: boolean;
  /** Why the proof was not accepted (same text as `zkpolicy verify`); only when invalid. */
  reason?: string;
  /** Machine-readable form of `reason`; only when invalid. */
  code?: ReasonCode;
  /** 'approve', 'deny', or a class label ('class N' without labels); null when invalid. */
  decision: 'approve' | 'deny' | (string & {}) | null;
  /** For an argmax decision, the class index; otherwise null. */
  classIndex: number | null;
  /** The model's outputs in real units (a class index for models ending in ArgMax); [] when invalid. */
  outputs: number[];
  /**
   * One entry per model input, in input order: the proven value in real units for a
   * public input, `null` for a hidden one (see `inputVisibility`); [] when invalid.
   */
  publicInputs: (number | null)[];
  /** Per model input, how the key treats it; present when invalid too, [] if the key did not decode. */
  inputVisibility: InputVisibility[];
  /**
   * Per model input: for a `'committed'` input, the commitment the proof showed to hold
   * it (hex of the compressed point, as `zkpolicy verify` prints it); `null` for the
   * other inputs; [] when invalid.
   */
  inputCommitments: (string | null)[];
  /** The proven logits in real units; only when valid. */
  logits?: number[];
  /** Hex Keccak-256 digest of the verifier key; null if the key did not decode. */
  vkDigest: string | null;
  /**
   * Hex Keccak-256 digest of the request context the valid proof is bound to (the one
   * given in {@link VerifyOptions.context}; a digest, not the context itself); `null`
   * for a proof bound to no context — one that anybody who sees it can replay — and
   * whenever the proof is invalid.
   */
  contextDigest: string | null;
  /** The zkpolicy format version this verifier reads. */
  formatVersion: number;
  /** The key's model; present whenever the key decoded. */
  model?: ModelInfo;
}

/** The outcome of {@link inspectVerifierKey}. */
export interface KeyInspection {
  /** Whether the key decoded. */
  valid: boolean;
  reason?: string;
  code?: ReasonCode;
  vkDigest: string | null;
  formatVersion: number;
  model?: ModelInfo;
  /** Per model input, how proofs for this key treat it; [] if the key did not decode. */
  inputVisibility: InputVisibility[];
  /** R1CS constraints of the compiled circuit. */
  numConstraints: number | null;
  /** Private witness values of the compiled circuit. */
  numWitness: number | null;
}

/** The outcome of {@link inspectProof}: what the proof claims, not verified. */
export interface ProofInspection {
  /** Whether the proof decoded (NOT whether it verifies). */
  valid: boolean;
  reason?: string;
  code?: ReasonCode;
  /** The form of the input. */
  encoding: 'binary' | 'json' | null;
  /** Digest of the verifier key the proof names. */
  vkDigest: string | null;
  /**
   * Digest of the request context the proof names (hex Keccak-256; the context itself is
   * not in the proof), `null` if it is bound to none or did not decode. Only a claim:
   * {@link verify} checks it against the context you give, which must never be taken
   * from here.
   */
  contextDigest: string | null;
  formatVersion: number;
  /**
   * The public inputs as fixed-point integers (the scale is in the key), in input order.
   * Hidden inputs are not in the proof, so this lists only the inputs the key makes
   * public ([] for the default all-private key).
   */
  quantizedInput: number[];
  /** The logits as fixed-point integers. */
  quantizedLogits: number[];
  /** Size of the binary proof in bytes. */
  sizeBytes: number | null;
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
export function verify(proof: Uint8Array | string, vk: Uint8Array, options?: VerifyOptions | null): VerifyResult;

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
  verify(proof: Uint8Array | string, options?: VerifyOptions | null): VerifyResult;
  /** Describes the key: the same result as `inspectVerifierKey(vk)`. */
  inspect(): KeyInspection;
  /** Releases the key's WebAssembly memory; the handle cannot be used afterwards. */
  free(): void;
}

/** Decodes a verifier key and describes it (digest, model, input visibility, circuit size). */
export function inspectVerifierKey(vk: Uint8Array): KeyInspection;

/** Decodes a proof and reports what it claims, without verifying it. */
export function inspectProof(proof: Uint8Array | string): ProofInspection;

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
