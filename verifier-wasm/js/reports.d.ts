// Generated from the Rust report types (zkpolicy_core::policy::report) by
// `ZKPOLICY_UPDATE_TYPES=1 cargo test -p zkpolicy-verifier-wasm --test typescript`;
// do not edit. docs/REPORTS.md describes every report, field and code.

/**
 * The outcome of verifying a proof against a verifier key: `zkpolicy verify --json`,
 * and `verify` of `@zkpolicy/verifier`.
 *
 * An invalid report has `reason` and `code`, `decision` null and empty value lists;
 * its `vk_digest`, `input_visibility` and `model` are filled whenever the key
 * decoded.
 */
export type VerifyReport = {
  /** Whether the proof verified. */
  valid: boolean,
  /** Why not (the same text from the CLI and the npm package); only when invalid. */
  reason?: string,
  /** Why not, machine-readable; only when invalid. */
  code?: ErrorCode,
  /**
   * `"approve"`, `"deny"` or a class label (`"class N"` without labels); null
   * unless valid.
   */
  decision: "approve" | "deny" | (string & {}) | null,
  /** For an argmax decision, the class index; null otherwise. */
  class_index: number | null,
  /**
   * The model's outputs in real units (a class index for a model ending in ArgMax);
   * empty unless valid.
   */
  outputs: Array<number>,
  /**
   * One entry per model input, in input order: the proven value in real units for
   * a public input, null for a private or committed one (hidden by the
   * zero-knowledge proof); empty unless valid.
   */
  public_inputs: Array<number | null>,
  /** Per model input, how the key treats it; empty if the key did not decode. */
  input_visibility: Array<Visibility>,
  /**
   * Per model input, its name from the key (`input_0`, … for a key set up without
   * names); empty if the key did not decode.
   */
  input_names: Array<string>,
  /**
   * Per model input, its unit from the key, null for none; empty if the key did
   * not decode.
   */
  input_units: Array<string | null>,
  /**
   * Per model input: for a committed input, the commitment `x·V + r·H` the proof
   * showed to hold it (hex of the compressed point, as `zkpolicy commit` prints
   * it); null for the other inputs; empty unless valid.
   */
  input_commitments: Array<string | null>,
  /** The proven logits in real units; only when valid. */
  logits?: Array<number>,
  /** Hex Keccak-256 digest of the verifier key; null if the key did not decode. */
  vk_digest: string | null,
  /**
   * Hex Keccak-256 digest of the request context the valid proof is bound to (the
   * verifier's context; a digest, not the context itself); null for a proof bound
   * to no context, which anybody who sees it can replay, and unless valid.
   */
  context_digest: string | null,
  /** The zkpolicy format version this verifier reads. */
  format_version: number,
  /** The key's model; only when the key decoded. */
  model?: ModelInfo,
};

/**
 * What a verifier key pins: `zkpolicy inspect --json` of a key, and
 * `inspectVerifierKey` of `@zkpolicy/verifier`. An invalid report (the key did not
 * decode) has `reason` and `code` and null or empty values.
 */
export type KeyReport = {
  /** Whether the key decoded. */
  valid: boolean,
  /** Why not; only when invalid. */
  reason?: string,
  /** Why not, machine-readable; only when invalid. */
  code?: ErrorCode,
  /** Hex Keccak-256 digest of the key, which every proof for it names. */
  vk_digest: string | null,
  /** The zkpolicy format version this verifier reads. */
  format_version: number,
  /** The model; only when valid. */
  model?: ModelInfo,
  /** Per model input, how proofs for this key treat it; empty if the key did not decode. */
  input_visibility: Array<Visibility>,
  /** Per model input, its name; empty if the key did not decode. */
  input_names: Array<string>,
  /** Per model input, its unit, null for none; empty if the key did not decode. */
  input_units: Array<string | null>,
  /** R1CS constraints of the compiled circuit. */
  num_constraints: number | null,
  /** Private witness values of the compiled circuit. */
  num_witness: number | null,
  /** How the key's proofs trade size for proving time: `"small"` or `"fast"`. */
  profile: string | null,
};

/**
 * What a proof claims, not checked against any key: `zkpolicy inspect --json` of a
 * proof, and `inspectProof` of `@zkpolicy/verifier`. An invalid report (the proof did
 * not decode) has `reason` and `code` and null or empty values.
 */
export type ProofReport = {
  /** Whether the proof decoded (not whether it verifies). */
  valid: boolean,
  /** Why not; only when invalid. */
  reason?: string,
  /** Why not, machine-readable; only when invalid. */
  code?: ErrorCode,
  /** The form the proof was given in. */
  encoding: ProofEncoding | null,
  /** Hex digest of the verifier key the proof names. */
  vk_digest: string | null,
  /**
   * Hex digest of the request context the proof names (the context itself is not in
   * the proof); null if it names none. Only a claim: verification checks it against
   * the context the verifier gives, which must never be taken from here.
   */
  context_digest: string | null,
  /** The zkpolicy format version this verifier reads. */
  format_version: number,
  /**
   * The public inputs, quantized (fixed-point integers; the scale is in the key), in
   * input order. Private and committed inputs are not in the proof, so this lists
   * only the inputs the key makes public.
   */
  quantized_input: number[],
  /** The logits, quantized. */
  quantized_logits: number[],
  /** Size of the binary proof in bytes (also for a proof given in the JSON form). */
  size_bytes: number | null,
};

/**
 * Why a verifier did not accept a key or a proof (JSON: SCREAMING_SNAKE_CASE).
 *
 * Reading a file gives `NOT_ZKPOLICY`, `WRONG_FILE_KIND`, `UNSUPPORTED_VERSION`,
 * `MALFORMED_KEY` or `MALFORMED_PROOF`; checking a decoded proof against a decoded
 * key gives `WRONG_KEY`, `WRONG_CONTEXT`, `PUBLIC_VALUES` or `REJECTED`. A failed
 * commitment link (a committed input whose commitment does not hold the proven
 * value) is `REJECTED`: like every other failed SNARK check it means a forged or
 * altered proof, and its reason names the input.
 */
export type ErrorCode =
  | "NOT_ZKPOLICY"
  | "WRONG_FILE_KIND"
  | "UNSUPPORTED_VERSION"
  | "MALFORMED_KEY"
  | "MALFORMED_PROOF"
  | "WRONG_KEY"
  | "WRONG_CONTEXT"
  | "PUBLIC_VALUES"
  | "REJECTED";

/** Public description of the model a verifier key pins. */
export type ModelInfo = {
  /**
   * The policy's name (e.g. the ONNX file's stem): a label the key carries outside
   * its digest.
   */
  name: string,
  /** Values are fixed point: multiples of `2^-scale_bits`. */
  scale_bits: number,
  /** Number of inputs. */
  input_len: number,
  /**
   * Inputs lie in `±input_bound` (real units): the prover refuses others unless told
   * to clamp them.
   */
  input_bound: number,
  /**
   * Per input, the values it may take: `±input_bound`, or the narrower domain the
   * key declares.
   */
  input_domains: Array<DomainInfo>,
  /** Number of proven logits (the output of the model's proved body). */
  logits_len: number,
  /** Number of outputs. */
  output_len: number,
  /** Operator names of the layers, in order, e.g. `["Dense", "Relu", "Dense", "Sigmoid"]`. */
  layers: Array<string>,
  /** Number of weights and biases. */
  num_params: number,
  /** The decision rule. */
  decision: DecisionRule,
};

/**
 * How a model turns its outputs into a decision, in real units (JSON: tagged by
 * `kind`).
 */
export type DecisionRule = {
  "kind": "threshold",
  /** The output compared. */
  index: number,
  /** The threshold in real units. */
  threshold: number,
} | {
  "kind": "argmax",
  /** Class names, possibly none. */
  labels: Array<string>,
};

/**
 * The values one input may take, in real units (JSON: tagged by `kind`): the
 * prover refuses others, and the proof shows that each hidden input lies in its
 * domain.
 */
export type DomainInfo = {
  "kind": "interval",
  /** The smallest value. */
  min: number,
  /** The largest value. */
  max: number,
} | {
  "kind": "integers",
  /** The smallest integer. */
  min: number,
  /** The largest integer. */
  max: number,
};

/**
 * How a proof treats one model input; chosen at setup (`zkpolicy setup
 * --visibility`, every input private by default) and recorded in the key.
 *
 * - `public`: the value is in the proof, range-checked, and reported.
 * - `private`: hidden by the zero-knowledge proof (range-checked inside it).
 * - `committed`: hidden like `private`, but the proof carries a hiding Pedersen
 *   commitment `x·V + r·H` to the quantized value, so that whoever issued the
 *   commitment (`zkpolicy commit`) can recognise it.
 *
 * Reports (JSON) name it in lower case.
 */
export type Visibility = "public" | "private" | "committed";

/** The form a proof was given in (JSON: snake_case). */
export type ProofEncoding = "binary" | "json";
