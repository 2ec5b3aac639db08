//! What verifiers report: one schema for `zkpolicy verify --json` / `zkpolicy inspect
//! --json` and for the results of the npm package `@zkpolicy/verifier`, which both
//! serialise these types.
//!
//! * [`VerifyReport`]: the outcome of verifying a proof against a verifier key;
//! * [`KeyReport`]: what a verifier key pins (model, input visibility, circuit size);
//! * [`ProofReport`]: what a proof claims, not verified;
//! * [`ErrorCode`]: why a key or a proof was not accepted, with the message in
//!   [`Rejection`]. [`ErrorCode::of`] is the one place that classifies a
//!   [`PolicyError`].
//!
//! JSON field names are snake_case, codes SCREAMING_SNAKE_CASE and enum tags
//! snake_case. Values are in real units (the model's fixed-point integers divided by
//! `2^scale_bits`) except where a field says "quantized". `docs/REPORTS.md` lists
//! every field; `verifier-wasm/js/reports.d.ts` is generated from these types (cargo
//! feature `ts`).

use serde::{Serialize, Serializer};

use super::files::{detect, FileKind};
use super::{hex_digest, verify_with_phases, PolicyError, PolicyProof, Verified, VerifierKey, VerifyPhase};
use crate::frontend::model::{Decision, InputDomain, Model, Verdict};
use crate::frontend::visibility::Visibility;
use crate::snark::encoding::{point_hex, FORMAT_VERSION};
use crate::snark::error::FormatError;

/// Why a verifier did not accept a key or a proof (JSON: SCREAMING_SNAKE_CASE).
///
/// Reading a file gives `NOT_ZKPOLICY`, `WRONG_FILE_KIND`, `UNSUPPORTED_VERSION`,
/// `MALFORMED_KEY` or `MALFORMED_PROOF`; checking a decoded proof against a decoded
/// key gives `WRONG_KEY`, `WRONG_CONTEXT`, `PUBLIC_VALUES` or `REJECTED`. A failed
/// commitment link (a committed input whose commitment does not hold the proven
/// value) is `REJECTED`: like every other failed SNARK check it means a forged or
/// altered proof, and its reason names the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    /// The bytes are not a zkpolicy file at all.
    NotZkpolicy,
    /// A zkpolicy file of the wrong kind (e.g. a key where a proof belongs).
    WrongFileKind,
    /// A zkpolicy file of a format version this build does not read.
    UnsupportedVersion,
    /// The verifier key cannot be decoded or holds an invalid model.
    MalformedKey,
    /// The proof cannot be decoded (binary or JSON form).
    MalformedProof,
    /// The proof was made for another verifier key.
    WrongKey,
    /// The proof is bound to another request context than the one given, to one when
    /// none was given, or to none when one was.
    WrongContext,
    /// The proof's public input or logits do not fit the key's model.
    PublicValues,
    /// The proof decodes but the SNARK check fails (e.g. it was tampered with).
    Rejected,
}

/// What a verifier was doing when it met an error.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    /// Decoding these bytes as a verifier key.
    ReadKey(&'a [u8]),
    /// Decoding these bytes as a proof, binary or JSON.
    ReadProof(&'a [u8]),
    /// Checking a decoded proof against a decoded key ([`verify`](super::verify)).
    Check,
}

impl ErrorCode {
    /// The code of `err`, met at `step`. An error of reading a file is judged by the
    /// bytes read: not a zkpolicy file at all, another kind of zkpolicy file, another
    /// format version, or a damaged file of the right kind.
    pub fn of(err: &PolicyError, step: Step<'_>) -> Self {
        let (bytes, expected, malformed) = match step {
            Step::ReadKey(bytes) => (bytes, FileKind::VerifierKey, ErrorCode::MalformedKey),
            Step::ReadProof(bytes) => (bytes, FileKind::Proof, ErrorCode::MalformedProof),
            Step::Check => {
                return match err {
                    PolicyError::WrongKey { .. } => ErrorCode::WrongKey,
                    PolicyError::WrongContext { .. } => ErrorCode::WrongContext,
                    PolicyError::PublicValues(_) => ErrorCode::PublicValues,
                    _ => ErrorCode::Rejected,
                }
            }
        };
        let format = match err {
            PolicyError::KeyFormat(f) | PolicyError::ProofFormat(f) => Some(f),
            _ => None,
        };
        match (format, detect(bytes)) {
            (Some(FormatError::UnsupportedVersion { .. }), _) => ErrorCode::UnsupportedVersion,
            (_, None) => ErrorCode::NotZkpolicy,
            (Some(FormatError::BadMagic { .. }), Some(kind)) if kind != expected => ErrorCode::WrongFileKind,
            _ => malformed,
        }
    }
}

/// A key or proof that was not accepted: the error's message and its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The [`PolicyError`]'s message, as `zkpolicy verify` prints it.
    pub reason: String,
    /// Its class.
    pub code: ErrorCode,
}

impl Rejection {
    /// The rejection of `err`, met at `step` (see [`ErrorCode::of`]).
    pub fn new(err: &PolicyError, step: Step<'_>) -> Self {
        Rejection { reason: err.to_string(), code: ErrorCode::of(err, step) }
    }
}

/// How a model turns its outputs into a decision, in real units (JSON: tagged by
/// `kind`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DecisionRule {
    /// Approve iff `outputs[index] >= threshold`.
    Threshold {
        /// The output compared.
        index: usize,
        /// The threshold in real units.
        threshold: f64,
    },
    /// The decision is the class with the largest output.
    Argmax {
        /// Class names, possibly none.
        labels: Vec<String>,
    },
}

/// The values one input may take, in real units (JSON: tagged by `kind`): the
/// prover refuses others, and the proof shows that each hidden input lies in its
/// domain.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DomainInfo {
    /// Any value in `[min, max]`, quantized to the model's scale.
    Interval {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// The integers `min..=max` (a count, an hour, a flag).
    Integers {
        /// The smallest integer.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        min: i64,
        /// The largest integer.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        max: i64,
    },
}

impl DomainInfo {
    /// The domain of every input of `model`, in input order.
    pub fn of_inputs(model: &Model) -> Vec<Self> {
        (0..model.input_len)
            .map(|i| match model.domain(i) {
                InputDomain::Interval { lo, hi } => {
                    DomainInfo::Interval { min: model.dequantize(lo), max: model.dequantize(hi) }
                }
                InputDomain::Integers { lo, hi } => DomainInfo::Integers { min: lo, max: hi },
            })
            .collect()
    }
}

/// Public description of the model a verifier key pins.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelInfo {
    /// The policy's name (e.g. the ONNX file's stem): a label the key carries outside
    /// its digest.
    pub name: String,
    /// Values are fixed point: multiples of `2^-scale_bits`.
    pub scale_bits: u32,
    /// Number of inputs.
    pub input_len: usize,
    /// Inputs lie in `±input_bound` (real units): the prover refuses others unless told
    /// to clamp them.
    pub input_bound: f64,
    /// Per input, the values it may take: `±input_bound`, or the narrower domain the
    /// key declares.
    pub input_domains: Vec<DomainInfo>,
    /// Number of proven logits (the output of the model's proved body).
    pub logits_len: usize,
    /// Number of outputs.
    pub output_len: usize,
    /// Operator names of the layers, in order, e.g. `["Dense", "Relu", "Dense", "Sigmoid"]`.
    pub layers: Vec<&'static str>,
    /// Number of weights and biases.
    pub num_params: usize,
    /// The decision rule.
    pub decision: DecisionRule,
}

impl ModelInfo {
    /// Describes the model of `key`.
    pub fn new(key: &VerifierKey) -> Self {
        let model = key.model();
        ModelInfo {
            name: key.names().policy.clone(),
            scale_bits: model.scale_bits,
            input_len: model.input_len,
            input_bound: model.input_range(),
            input_domains: DomainInfo::of_inputs(model),
            logits_len: model.logits_len(),
            output_len: model.output_len(),
            layers: model.layers.iter().map(|l| l.name()).collect(),
            num_params: model.num_params(),
            decision: match &model.decision {
                Decision::Threshold { index, threshold } => {
                    DecisionRule::Threshold { index: *index, threshold: model.dequantize_output(*threshold) }
                }
                Decision::ArgMax { labels } => DecisionRule::Argmax { labels: labels.clone() },
            },
        }
    }
}

/// The outcome of verifying a proof against a verifier key: `zkpolicy verify --json`,
/// and `verify` of `@zkpolicy/verifier`.
///
/// An invalid report has `reason` and `code`, `decision` null and empty value lists;
/// its `vk_digest`, `input_visibility` and `model` are filled whenever the key
/// decoded.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    /// Whether the proof verified.
    pub valid: bool,
    /// Why not (the same text from the CLI and the npm package); only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<String>,
    /// Why not, machine-readable; only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code: Option<ErrorCode>,
    /// `"approve"`, `"deny"` or a class label (`"class N"` without labels); null
    /// unless valid.
    #[cfg_attr(feature = "ts", ts(type = r#""approve" | "deny" | (string & {}) | null"#))]
    pub decision: Option<String>,
    /// For an argmax decision, the class index; null otherwise.
    pub class_index: Option<usize>,
    /// The model's outputs in real units (a class index for a model ending in ArgMax);
    /// empty unless valid.
    pub outputs: Vec<f64>,
    /// One entry per model input, in input order: the proven value in real units for
    /// a public input, null for a private or committed one (hidden by the
    /// zero-knowledge proof); empty unless valid.
    pub public_inputs: Vec<Option<f64>>,
    /// Per model input, how the key treats it; empty if the key did not decode.
    pub input_visibility: Vec<Visibility>,
    /// Per model input, its name from the key (`input_0`, … for a key set up without
    /// names); empty if the key did not decode.
    pub input_names: Vec<String>,
    /// Per model input, its unit from the key, null for none; empty if the key did
    /// not decode.
    pub input_units: Vec<Option<String>>,
    /// Per model input: for a committed input, the commitment `x·V + r·H` the proof
    /// showed to hold it (hex of the compressed point, as `zkpolicy commit` prints
    /// it); null for the other inputs; empty unless valid.
    pub input_commitments: Vec<Option<String>>,
    /// The proven logits in real units; only when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub logits: Option<Vec<f64>>,
    /// Hex Keccak-256 digest of the verifier key; null if the key did not decode.
    pub vk_digest: Option<String>,
    /// Hex Keccak-256 digest of the request context the valid proof is bound to (the
    /// verifier's context; a digest, not the context itself); null for a proof bound
    /// to no context, which anybody who sees it can replay, and unless valid.
    pub context_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The key's model; only when the key decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub model: Option<ModelInfo>,
}

impl VerifyReport {
    /// Verifies a decoded proof (or reports why it did not decode) against `key` and
    /// the request context it must be bound to.
    pub fn check(key: &VerifierKey, proof: Result<PolicyProof, Rejection>, context: Option<&[u8]>) -> Self {
        Self::check_with_phases(key, proof, context, &mut |_| {})
    }

    /// [`VerifyReport::check`], calling `on_phase` as each [`VerifyPhase`] ends, as
    /// [`verify_with_phases`] does (a benchmarking aid: the caller brings the clock).
    pub fn check_with_phases(
        key: &VerifierKey,
        proof: Result<PolicyProof, Rejection>,
        context: Option<&[u8]>,
        on_phase: &mut impl FnMut(VerifyPhase),
    ) -> Self {
        let verified = proof
            .and_then(|p| verify_with_phases(key, &p, context, on_phase).map_err(|e| Rejection::new(&e, Step::Check)));
        match verified {
            Ok(v) => Self::valid(key, &v),
            Err(r) => Self::rejected(r, Some(key)),
        }
    }

    /// The report of a proof that verified against `key`, in the real units of its model.
    pub fn valid(key: &VerifierKey, verified: &Verified) -> Self {
        let model = key.model();
        let class_index = match &verified.verdict {
            Verdict::Class { index, .. } => Some(*index),
            Verdict::Approve | Verdict::Deny => None,
        };
        VerifyReport {
            valid: true,
            reason: None,
            code: None,
            decision: Some(verified.verdict.to_string()),
            class_index,
            outputs: verified.outputs.iter().map(|y| model.dequantize_output(*y)).collect(),
            public_inputs: verified.input.iter().map(|x| x.map(|x| model.dequantize(x))).collect(),
            input_visibility: verified.visibility.clone(),
            input_names: key.names().inputs.names().to_vec(),
            input_units: key.names().inputs.units().to_vec(),
            input_commitments: verified.commitments.iter().map(|c| c.as_ref().map(point_hex)).collect(),
            logits: Some(verified.logits.iter().map(|x| model.dequantize(*x)).collect()),
            vk_digest: Some(hex_digest(&verified.key_digest)),
            context_digest: verified.context_digest.as_ref().map(hex_digest),
            format_version: FORMAT_VERSION,
            model: Some(ModelInfo::new(key)),
        }
    }

    /// The report of a proof that was not accepted; `key` is the verifier key if it
    /// decoded, `None` if the key itself was refused.
    pub fn rejected(rejection: Rejection, key: Option<&VerifierKey>) -> Self {
        VerifyReport {
            valid: false,
            reason: Some(rejection.reason),
            code: Some(rejection.code),
            decision: None,
            class_index: None,
            outputs: Vec::new(),
            public_inputs: Vec::new(),
            input_visibility: key.map(|k| k.visibility().as_slice().to_vec()).unwrap_or_default(),
            input_names: key.map(|k| k.names().inputs.names().to_vec()).unwrap_or_default(),
            input_units: key.map(|k| k.names().inputs.units().to_vec()).unwrap_or_default(),
            input_commitments: Vec::new(),
            logits: None,
            vk_digest: key.map(|k| hex_digest(&k.digest())),
            context_digest: None,
            format_version: FORMAT_VERSION,
            model: key.map(ModelInfo::new),
        }
    }
}

/// What a verifier key pins: `zkpolicy inspect --json` of a key, and
/// `inspectVerifierKey` of `@zkpolicy/verifier`. An invalid report (the key did not
/// decode) has `reason` and `code` and null or empty values.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyReport {
    /// Whether the key decoded.
    pub valid: bool,
    /// Why not; only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<String>,
    /// Why not, machine-readable; only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code: Option<ErrorCode>,
    /// Hex Keccak-256 digest of the key, which every proof for it names.
    pub vk_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The model; only when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub model: Option<ModelInfo>,
    /// Per model input, how proofs for this key treat it; empty if the key did not decode.
    pub input_visibility: Vec<Visibility>,
    /// Per model input, its name; empty if the key did not decode.
    pub input_names: Vec<String>,
    /// Per model input, its unit, null for none; empty if the key did not decode.
    pub input_units: Vec<Option<String>>,
    /// R1CS constraints of the compiled circuit.
    pub num_constraints: Option<usize>,
    /// Private witness values of the compiled circuit.
    pub num_witness: Option<usize>,
    /// How the key's proofs trade size for proving time: `"small"` or `"fast"`.
    pub profile: Option<&'static str>,
}

impl KeyReport {
    /// Describes a decoded key.
    pub fn new(key: &VerifierKey) -> Self {
        KeyReport {
            valid: true,
            reason: None,
            code: None,
            vk_digest: Some(hex_digest(&key.digest())),
            format_version: FORMAT_VERSION,
            model: Some(ModelInfo::new(key)),
            input_visibility: key.visibility().as_slice().to_vec(),
            input_names: key.names().inputs.names().to_vec(),
            input_units: key.names().inputs.units().to_vec(),
            num_constraints: Some(key.num_constraints()),
            num_witness: Some(key.num_witness()),
            profile: Some(key.profile().name()),
        }
    }

    /// The report of a key that did not decode.
    pub fn rejected(rejection: Rejection) -> Self {
        KeyReport {
            valid: false,
            reason: Some(rejection.reason),
            code: Some(rejection.code),
            vk_digest: None,
            format_version: FORMAT_VERSION,
            model: None,
            input_visibility: Vec::new(),
            input_names: Vec::new(),
            input_units: Vec::new(),
            num_constraints: None,
            num_witness: None,
            profile: None,
        }
    }
}

/// The form a proof was given in (JSON: snake_case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ProofEncoding {
    /// The binary proof format.
    Binary,
    /// The JSON transport form.
    Json,
}

/// What a proof claims, not checked against any key: `zkpolicy inspect --json` of a
/// proof, and `inspectProof` of `@zkpolicy/verifier`. An invalid report (the proof did
/// not decode) has `reason` and `code` and null or empty values.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProofReport {
    /// Whether the proof decoded (not whether it verifies).
    pub valid: bool,
    /// Why not; only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<String>,
    /// Why not, machine-readable; only when invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub code: Option<ErrorCode>,
    /// The form the proof was given in.
    pub encoding: Option<ProofEncoding>,
    /// Hex digest of the verifier key the proof names.
    pub vk_digest: Option<String>,
    /// Hex digest of the request context the proof names (the context itself is not in
    /// the proof); null if it names none. Only a claim: verification checks it against
    /// the context the verifier gives, which must never be taken from here.
    pub context_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The public inputs, quantized (fixed-point integers; the scale is in the key), in
    /// input order. Private and committed inputs are not in the proof, so this lists
    /// only the inputs the key makes public.
    #[serde(serialize_with = "numbers")]
    #[cfg_attr(feature = "ts", ts(type = "number[]"))]
    pub quantized_input: Vec<i64>,
    /// The logits, quantized.
    #[serde(serialize_with = "numbers")]
    #[cfg_attr(feature = "ts", ts(type = "number[]"))]
    pub quantized_logits: Vec<i64>,
    /// Size of the binary proof in bytes (also for a proof given in the JSON form).
    pub size_bytes: Option<usize>,
}

impl ProofReport {
    /// Describes a decoded proof, given in `encoding`.
    pub fn new(proof: &PolicyProof, encoding: ProofEncoding) -> Self {
        ProofReport {
            valid: true,
            reason: None,
            code: None,
            encoding: Some(encoding),
            vk_digest: Some(hex_digest(&proof.key_digest)),
            context_digest: proof.context_digest.as_ref().map(hex_digest),
            format_version: FORMAT_VERSION,
            quantized_input: proof.input.clone(),
            quantized_logits: proof.logits.clone(),
            size_bytes: Some(proof.to_bytes().len()),
        }
    }

    /// The report of a proof that did not decode.
    pub fn rejected(rejection: Rejection) -> Self {
        ProofReport {
            valid: false,
            reason: Some(rejection.reason),
            code: Some(rejection.code),
            encoding: None,
            vk_digest: None,
            context_digest: None,
            format_version: FORMAT_VERSION,
            quantized_input: Vec::new(),
            quantized_logits: Vec::new(),
            size_bytes: None,
        }
    }
}

/// Serialises integers as JSON numbers that JavaScript reads exactly: an integer
/// within `±(2^53 - 1)`, else the nearest float (a decoded proof may carry any
/// `i64`; serde-wasm-bindgen refuses integers beyond that range).
fn numbers<S: Serializer>(values: &[i64], s: S) -> Result<S::Ok, S::Error> {
    const MAX_SAFE: i64 = (1 << 53) - 1;
    let safe = -MAX_SAFE..=MAX_SAFE;
    s.collect_seq(values.iter().map(|&v| if safe.contains(&v) { Number::Int(v) } else { Number::Float(v as f64) }))
}

/// One value for [`numbers`].
#[derive(Serialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}
