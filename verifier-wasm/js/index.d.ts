/**
 * @zkpolicy/verifier: verify zkpolicy proofs (Spartan + Hyrax over BN254) locally,
 * with the same Rust code as `zkpolicy verify`, compiled to WebAssembly.
 *
 * Nothing throws on malformed or hostile bytes: results carry `valid: false`, a
 * `reason` (the native CLI's message) and a `code`. Only arguments of the wrong
 * type throw a `TypeError` whose `code` is `'ERR_INVALID_ARG_TYPE'`.
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
  /** The proof's public input or logits do not fit the key's model. */
  | 'PUBLIC_VALUES'
  /** The proof decodes but does not verify (e.g. it was tampered with). */
  | 'REJECTED';

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
  /** Inputs are clamped to ±inputBound (real units). */
  inputBound: number;
  /** Number of proven logits (the output of the last linear layer). */
  logitsLen: number;
  outputLen: number;
  /** Operator names, e.g. ['Dense', 'Relu', 'Dense', 'Sigmoid']. */
  layers: string[];
  numParams: number;
  decision: DecisionRule;
}

/** The outcome of {@link verify}. */
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
  /** The proven public input in real units; [] when invalid. */
  /** One entry per input: the proven value if public, null if private. */
  publicInputs: (number | null)[];
  /** Per input: "public" or "private". */
  inputVisibility: ("public" | "private")[];
  /** The proven logits in real units; only when valid. */
  logits?: number[];
  /** Hex Keccak-256 digest of the verifier key; null if the key did not decode. */
  vkDigest: string | null;
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
  formatVersion: number;
  /** The public input as fixed-point integers (the scale is in the key). */
  quantizedInput: number[];
  /** The logits as fixed-point integers. */
  quantizedLogits: number[];
  /** Size of the binary proof in bytes. */
  sizeBytes: number | null;
}

/**
 * Verifies a proof against a verifier key.
 * @param proof binary proof bytes, or the JSON transport form (as a string or as bytes)
 * @param vk verifier key bytes (`NAME.vk` written by `zkpolicy setup`)
 * @throws TypeError with `code: 'ERR_INVALID_ARG_TYPE'` if an argument has the wrong type
 */
export function verify(proof: Uint8Array | string, vk: Uint8Array): VerifyResult;

/** Decodes a verifier key and describes it (digest, model, circuit size). */
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
