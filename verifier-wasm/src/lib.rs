//! zkpolicy WebAssembly verifier: JavaScript bindings over
//! [`zkpolicy_core::policy`], the same verification code as `zkpolicy verify`.
//!
//! Exported to JavaScript (see `js/index.d.ts` for the TypeScript view):
//!
//! * `verify(proof, vk, { context })`: checks a proof (binary `Uint8Array` or the
//!   JSON transport form, as a string or as bytes) against a verifier key and the
//!   request context it must be bound to (a `Uint8Array` or hex; omitted for a
//!   proof bound to none), and returns a `VerifyResult`;
//! * `loadVerifierKey(vk)`: decodes a key (and compiles its circuit) once into a
//!   `VerifierKeyHandle`, whose `verify(proof, { context })` gives the same results
//!   as `verify(proof, vk, { context })` without decoding the key again; `free()`
//!   releases it;
//! * `inspectVerifierKey(vk)`: the key's digest, model, input visibility and
//!   circuit size;
//! * `inspectProof(proof)`: the key digest and public values a proof names,
//!   without verifying it.
//!
//! Malformed or hostile bytes never throw: the result has `valid: false`, a
//! `reason` (the same text as the native CLI) and a machine-readable `code`
//! ([`Code`]). Only arguments of the wrong JavaScript type throw, as a
//! `TypeError` whose `code` is `ERR_INVALID_ARG_TYPE`, and methods of a key handle
//! after its `free()` (wasm-bindgen's own check).
//!
//! The JS-independent part ([`check`], [`LoadedKey`], [`inspect_key`],
//! [`inspect_proof`] and the result types) is plain Rust, so it also builds and
//! runs natively.

use serde::Serialize;
use zkpolicy_core::snark::encoding::{point_hex, FORMAT_VERSION};
use zkpolicy_core::snark::error::FormatError;
use zkpolicy_core::frontend::model::{Decision, Model, Verdict};
use zkpolicy_core::policy::files::{self, FileKind};
use zkpolicy_core::policy::{self, hex_digest, PolicyError, PolicyProof, VerifierKey};

pub mod bindings;

/// Machine-readable reason why a proof was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// The bytes are not a zkpolicy file at all.
    NotZkpolicy,
    /// A zkpolicy file of the wrong kind (e.g. a key where a proof belongs).
    WrongFileKind,
    /// A zkpolicy file of a format version this build does not read.
    UnsupportedVersion,
    /// The verifier key cannot be decoded or holds an invalid model.
    MalformedKey,
    /// The proof cannot be decoded.
    MalformedProof,
    /// The proof was made for another verifier key.
    WrongKey,
    /// The proof is bound to another request context than the one given (or to one
    /// when none was given, or to none when one was).
    WrongContext,
    /// The proof's public input or logits do not fit the key's model.
    PublicValues,
    /// The proof decodes but the SNARK check fails (e.g. it was tampered with).
    Rejected,
}

/// Which argument an error is about.
#[derive(Clone, Copy)]
enum Role {
    Key,
    Proof,
}

impl Role {
    fn expected(self) -> FileKind {
        match self {
            Role::Key => FileKind::VerifierKey,
            Role::Proof => FileKind::Proof,
        }
    }

    fn malformed(self) -> Code {
        match self {
            Role::Key => Code::MalformedKey,
            Role::Proof => Code::MalformedProof,
        }
    }
}

/// A rejection: the native error text and its [`Code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// `PolicyError`'s message, exactly as `zkpolicy verify` prints it.
    pub reason: String,
    /// The class of the rejection.
    pub code: Code,
}

impl Rejection {
    /// Classifies an error from decoding a key or a proof; `bytes` are the
    /// decoded input, whose magic (or leading `{`) tells "not zkpolicy at all"
    /// from "another kind of zkpolicy file" and from "a damaged one".
    fn decoding(err: PolicyError, role: Role, bytes: &[u8]) -> Self {
        let format = match &err {
            PolicyError::KeyFormat(f) | PolicyError::ProofFormat(f) => Some(f),
            _ => None,
        };
        let code = match (format, files::detect(bytes)) {
            (Some(FormatError::UnsupportedVersion { .. }), _) => Code::UnsupportedVersion,
            (_, None) => Code::NotZkpolicy,
            (Some(FormatError::BadMagic { .. }), Some(kind)) if kind != role.expected() => Code::WrongFileKind,
            _ => role.malformed(),
        };
        Rejection { reason: err.to_string(), code }
    }

    /// Classifies an error of [`policy::verify`].
    fn verification(err: PolicyError) -> Self {
        let code = match &err {
            PolicyError::WrongKey { .. } => Code::WrongKey,
            PolicyError::WrongContext { .. } => Code::WrongContext,
            PolicyError::PublicValues(_) => Code::PublicValues,
            _ => Code::Rejected,
        };
        Rejection { reason: err.to_string(), code }
    }
}

/// How the model turns outputs into a decision, in real units.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DecisionInfo {
    /// Approve iff `outputs[index] >= threshold`.
    Threshold {
        /// The output compared.
        index: usize,
        /// The threshold as a real value.
        threshold: f64,
    },
    /// The decision is the class with the largest output.
    Argmax {
        /// Class names (may be empty).
        labels: Vec<String>,
    },
}

/// Public description of the model a verifier key pins.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    /// The model's name.
    pub name: String,
    /// Values are fixed point at scale `2^scaleBits`.
    pub scale_bits: u32,
    /// Number of inputs.
    pub input_len: usize,
    /// Inputs lie in `±inputBound` (real units): the prover refuses others unless told to clamp them.
    pub input_bound: f64,
    /// Number of proven logits.
    pub logits_len: usize,
    /// Number of outputs.
    pub output_len: usize,
    /// Operator names of the layers, in order.
    pub layers: Vec<&'static str>,
    /// Number of weights and biases.
    pub num_params: usize,
    /// The decision rule.
    pub decision: DecisionInfo,
}

impl ModelInfo {
    fn of(model: &Model) -> Self {
        ModelInfo {
            name: model.name.clone(),
            scale_bits: model.scale_bits,
            input_len: model.input_len,
            input_bound: to_real(model, model.input_bound),
            logits_len: model.logits_len(),
            output_len: model.output_len(),
            layers: model.layers.iter().map(|l| l.name()).collect(),
            num_params: model.num_params(),
            decision: match &model.decision {
                Decision::Threshold { index, threshold } => {
                    DecisionInfo::Threshold { index: *index, threshold: model.dequantize_output(*threshold) }
                }
                Decision::ArgMax { labels } => DecisionInfo::Argmax { labels: labels.clone() },
            },
        }
    }
}

/// A fixed-point value at the model's scale as a real number.
fn to_real(model: &Model, v: i64) -> f64 {
    v as f64 / (1u64 << model.scale_bits) as f64
}

/// The outcome of `verify`. Invalid results carry `reason` and `code` and empty
/// value lists; `vkDigest` and `model` are present whenever the key decoded.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResult {
    /// Whether the proof verified.
    pub valid: bool,
    /// Why not (the native CLI's message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why not, machine-readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// `"approve"`, `"deny"` or a class label; `null` unless valid.
    pub decision: Option<String>,
    /// For an argmax decision, the class index; `null` otherwise.
    pub class_index: Option<usize>,
    /// The model's outputs in real units (class index for an argmax model).
    pub outputs: Vec<f64>,
    /// The input in real units, one entry per input element: the proven value for
    /// a public input, `null` for a private one (hidden by the zero-knowledge proof);
    /// empty unless valid.
    pub public_inputs: Vec<Option<f64>>,
    /// Per input element, its [`Visibility`](zkpolicy_core::frontend::visibility::Visibility)
    /// name (`"public"`, `"private"` or `"committed"`), from the key; empty if the key
    /// did not decode.
    pub input_visibility: Vec<&'static str>,
    /// Per input element: for a committed input, the commitment `x·V + r·H` the proof
    /// showed to hold it (hex of the compressed point, as `zkpolicy verify` prints);
    /// `null` for the others; empty unless valid.
    pub input_commitments: Vec<Option<String>>,
    /// The proven logits in real units (only when valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logits: Option<Vec<f64>>,
    /// Hex Keccak-256 digest of the verifier key; `null` if the key did not decode.
    pub vk_digest: Option<String>,
    /// Hex digest of the request context the proof is bound to (the one given to
    /// `verify`); `null` for a proof bound to no context, or unless valid.
    pub context_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The key's model, when the key decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelInfo>,
}

/// The visibility names of a key's inputs, in input order.
fn visibility_names(key: &VerifierKey) -> Vec<&'static str> {
    key.visibility().as_slice().iter().map(|v| v.name()).collect()
}

impl VerifyResult {
    fn invalid(rejection: Rejection, vk: Option<&VerifierKey>) -> Self {
        VerifyResult {
            valid: false,
            reason: Some(rejection.reason),
            code: Some(rejection.code),
            decision: None,
            class_index: None,
            outputs: Vec::new(),
            public_inputs: Vec::new(),
            input_visibility: vk.map(visibility_names).unwrap_or_default(),
            input_commitments: Vec::new(),
            logits: None,
            vk_digest: vk.map(|k| hex_digest(&k.digest())),
            context_digest: None,
            format_version: FORMAT_VERSION,
            model: vk.map(|k| ModelInfo::of(k.model())),
        }
    }
}

/// The proof argument of `verify` and `inspectProof`.
pub enum ProofInput<'a> {
    /// Binary or JSON bytes (detected by their first byte).
    Bytes(&'a [u8]),
    /// The JSON transport document.
    Json(&'a str),
}

impl ProofInput<'_> {
    fn decode(&self) -> Result<PolicyProof, Rejection> {
        match *self {
            ProofInput::Bytes(b) => PolicyProof::from_any(b).map_err(|e| Rejection::decoding(e, Role::Proof, b)),
            ProofInput::Json(s) => {
                PolicyProof::from_json(s).map_err(|e| Rejection::decoding(e, Role::Proof, s.as_bytes()))
            }
        }
    }
}

/// A verifier key decoded once (its model decoded, its circuit compiled and
/// preprocessed), or the rejection of its bytes; [`LoadedKey::check`] then
/// verifies any number of proofs without decoding the key again.
#[derive(Debug)]
pub struct LoadedKey(Result<VerifierKey, Rejection>);

impl LoadedKey {
    /// Decodes a verifier key. Malformed bytes are kept as their rejection, which
    /// every [`LoadedKey::check`] then reports, as [`check`] would.
    pub fn load(vk: &[u8]) -> Self {
        LoadedKey(VerifierKey::from_bytes(vk).map_err(|e| Rejection::decoding(e, Role::Key, vk)))
    }

    /// Verifies a proof against this key and the request context it must be bound
    /// to: decode the proof, then [`policy::verify`]. The same result as [`check`]
    /// with the key's bytes.
    pub fn check(&self, proof: ProofInput<'_>, context: Option<&[u8]>) -> VerifyResult {
        let key = match &self.0 {
            Ok(k) => k,
            Err(r) => return VerifyResult::invalid(r.clone(), None),
        };
        let verified = proof.decode().and_then(|p| policy::verify(key, &p, context).map_err(Rejection::verification));
        let v = match verified {
            Ok(v) => v,
            Err(r) => return VerifyResult::invalid(r, Some(key)),
        };
        let model = key.model();
        let class_index = match &v.verdict {
            Verdict::Class { index, .. } => Some(*index),
            Verdict::Approve | Verdict::Deny => None,
        };
        VerifyResult {
            valid: true,
            reason: None,
            code: None,
            decision: Some(v.verdict.to_string()),
            class_index,
            outputs: v.outputs.iter().map(|y| model.dequantize_output(*y)).collect(),
            public_inputs: v.input.iter().map(|x| x.map(|x| to_real(model, x))).collect(),
            input_visibility: v.visibility.iter().map(|v| v.name()).collect(),
            input_commitments: v.commitments.iter().map(|c| c.as_ref().map(point_hex)).collect(),
            logits: Some(v.logits.iter().map(|x| to_real(model, *x)).collect()),
            vk_digest: Some(hex_digest(&v.key_digest)),
            context_digest: v.context_digest.as_ref().map(hex_digest),
            format_version: FORMAT_VERSION,
            model: Some(ModelInfo::of(model)),
        }
    }

    /// Describes the key, or why it does not decode.
    pub fn inspect(&self) -> KeyInspection {
        match &self.0 {
            Ok(k) => KeyInspection {
                valid: true,
                reason: None,
                code: None,
                vk_digest: Some(hex_digest(&k.digest())),
                format_version: FORMAT_VERSION,
                model: Some(ModelInfo::of(k.model())),
                input_visibility: visibility_names(k),
                num_constraints: Some(k.num_constraints()),
                num_witness: Some(k.num_witness()),
            },
            Err(r) => KeyInspection {
                valid: false,
                reason: Some(r.reason.clone()),
                code: Some(r.code),
                vk_digest: None,
                format_version: FORMAT_VERSION,
                model: None,
                input_visibility: Vec::new(),
                num_constraints: None,
                num_witness: None,
            },
        }
    }
}

/// Verifies a proof against a verifier key and a request context, in the order of
/// `zkpolicy verify`: decode the key, decode the proof, then [`policy::verify`].
pub fn check(proof: ProofInput<'_>, vk: &[u8], context: Option<&[u8]>) -> VerifyResult {
    LoadedKey::load(vk).check(proof, context)
}

/// What `inspectVerifierKey` returns: the key's metadata, or why it does not decode.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInspection {
    /// Whether the key decoded.
    pub valid: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why not, machine-readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// Hex key digest.
    pub vk_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelInfo>,
    /// Per input element, its [`Visibility`](zkpolicy_core::frontend::visibility::Visibility)
    /// name; empty if the key did not decode.
    pub input_visibility: Vec<&'static str>,
    /// R1CS constraints of the compiled circuit.
    pub num_constraints: Option<usize>,
    /// Private witness values of the compiled circuit.
    pub num_witness: Option<usize>,
}

/// Decodes a verifier key (compiling its circuit) and describes it.
pub fn inspect_key(vk: &[u8]) -> KeyInspection {
    LoadedKey::load(vk).inspect()
}

/// What `inspectProof` returns: what a proof claims, not checked against any key.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProofInspection {
    /// Whether the proof decoded (not whether it verifies).
    pub valid: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why not, machine-readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// `"binary"` or `"json"`, by the input's form.
    pub encoding: Option<&'static str>,
    /// Hex digest of the verifier key the proof names.
    pub vk_digest: Option<String>,
    /// Hex digest of the request context the proof names, `null` if it names none.
    pub context_digest: Option<String>,
    /// The zkpolicy format version this verifier reads.
    pub format_version: u16,
    /// The public inputs as fixed-point integers (the scale `2^s` is in the key),
    /// in input order; private inputs are not in the proof, so this lists only
    /// the inputs the key makes public.
    pub quantized_input: Vec<f64>,
    /// The logits as fixed-point integers.
    pub quantized_logits: Vec<f64>,
    /// Size of the binary proof in bytes.
    pub size_bytes: Option<usize>,
}

/// Decodes a proof and reports what it claims, without verifying it.
pub fn inspect_proof(proof: ProofInput<'_>) -> ProofInspection {
    let encoding = match proof {
        ProofInput::Json(_) => "json",
        ProofInput::Bytes(b) if files::detect(b) == Some(FileKind::JsonProof) => "json",
        ProofInput::Bytes(_) => "binary",
    };
    match proof.decode() {
        Ok(p) => ProofInspection {
            valid: true,
            reason: None,
            code: None,
            encoding: Some(encoding),
            vk_digest: Some(hex_digest(&p.key_digest)),
            context_digest: p.context_digest.as_ref().map(hex_digest),
            format_version: FORMAT_VERSION,
            quantized_input: p.input.iter().map(|x| *x as f64).collect(),
            quantized_logits: p.logits.iter().map(|x| *x as f64).collect(),
            size_bytes: Some(p.to_bytes().len()),
        },
        Err(r) => ProofInspection {
            valid: false,
            reason: Some(r.reason),
            code: Some(r.code),
            encoding: None,
            vk_digest: None,
            context_digest: None,
            format_version: FORMAT_VERSION,
            quantized_input: Vec::new(),
            quantized_logits: Vec::new(),
            size_bytes: None,
        },
    }
}
