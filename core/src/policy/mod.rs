//! Policy proofs: the product-level API over the model, the circuit and Spartan.
//!
//! * [`setup`] turns a validated [`Model`] and the [`InputVisibility`] of its
//!   inputs into a [`ProvingKey`] and a [`VerifierKey`]. Both are pinned by the key
//!   digest: Keccak-256 over a domain string, the format version, the model's
//!   canonical encoding and the visibility encoding. The R1CS is compiled from the
//!   model on both sides, so key files hold only the compact model and the
//!   visibility.
//! * [`prove`] (feature `prover`) evaluates the model on a quantized input,
//!   builds the witness and proves that the model's body maps the input to the
//!   logits.
//! * [`verify`] checks a [`PolicyProof`] against a [`VerifierKey`]: the proof
//!   names the key, the public inputs are in range, the zero-knowledge Spartan
//!   proof verifies for the public values `(public inputs, logits)`, then the head
//!   of the model (e.g. the sigmoid) and the decision rule are evaluated on the
//!   proven logits. Private inputs never leave the prover.
//!
//! Byte formats are in [`files`]; `docs/PROTOCOL.md` states what is proved.

pub mod files;

use crate::frontend::circuit::{self, CircuitError};
use crate::snark::error::{FormatError, SetupError, VerifyError};
use crate::frontend::model::{codec, EvalError, Model, Verdict};
use crate::snark::spartan;
use crate::frontend::visibility::{InputVisibility, Visibility, VisibilityError};
use ark_bn254::{Fr, G1Affine};
use sha3::{Digest, Keccak256};

#[cfg(feature = "prover")]
use crate::snark::error::ProveError;

/// Largest number of weights and biases a policy key may hold (2^22). Each
/// nonzero weight is a nonzero matrix entry of the circuit, which a verifier
/// (also in wasm) builds from the key; the circuit's own limits
/// ([`circuit::CircuitSize::check_limits`]) are checked next, also before anything
/// is built.
pub const MAX_KEY_PARAMS: usize = 1 << 22;

/// Domain string of the key digest.
const KEY_DIGEST_DOMAIN: &[u8] = b"zkpolicy/policy-key/v1";
/// Domain string of the context digest.
const CONTEXT_DIGEST_DOMAIN: &[u8] = b"zkpolicy/request-context/v1";

/// Everything that can go wrong in setup, proving and verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A key file could not be decoded.
    #[error("malformed key: {0}")]
    KeyFormat(FormatError),
    /// The model inside a key file is malformed or invalid.
    #[error("malformed key: {0}")]
    KeyModel(#[from] codec::CodecError),
    /// A proof could not be decoded.
    #[error("malformed proof: {0}")]
    ProofFormat(FormatError),
    /// The model cannot be compiled to a circuit.
    #[error(transparent)]
    Circuit(#[from] CircuitError),
    /// Spartan setup failed (the circuit is too large).
    #[error("setup failed: {0}")]
    Setup(#[from] SetupError),
    /// The model cannot be evaluated on this input.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// The prover could not produce a proof.
    #[cfg(feature = "prover")]
    #[error("proving failed: {0}")]
    Prove(#[from] ProveError),
    /// The proof was made for a different verifier key.
    #[error("the proof was made for another policy key (proof: {proof}, key: {key})")]
    WrongKey {
        /// Hex digest named by the proof.
        proof: String,
        /// Hex digest of the key.
        key: String,
    },
    /// The input visibility does not fit the model.
    #[error("input visibility: {0}")]
    Visibility(#[from] VisibilityError),
    /// The proof's public values do not fit the key's model.
    #[error("the proof's public values do not fit the model: {0}")]
    PublicValues(EvalError),
    /// The proof does not show that a committed input's commitment holds the
    /// input it was evaluated on.
    #[error("proof rejected: committed input {input}: the commitment does not match the proven input")]
    CommittedInput {
        /// The input's index.
        input: usize,
    },
    /// The proof is bound to another request context than the verifier's, or one of
    /// the two has a context and the other none.
    #[error("proof rejected: wrong context: {}", context_mismatch(proof.as_deref(), given.as_deref()))]
    WrongContext {
        /// Hex digest of the context the proof names, if any.
        proof: Option<String>,
        /// Hex digest of the context the verifier was given, if any.
        given: Option<String>,
    },
    /// The SNARK check failed.
    #[error("proof rejected: {0}")]
    Rejected(#[from] VerifyError),
}

/// The message of [`PolicyError::WrongContext`].
fn context_mismatch(proof: Option<&str>, given: Option<&str>) -> String {
    match (proof, given) {
        (Some(p), None) => format!("the proof is bound to a context (digest {p}) but none was given"),
        (None, Some(g)) => format!("the proof is bound to no context, but context {g} was required"),
        (Some(p), Some(g)) => format!("the proof is bound to context {p}, not to the given context {g}"),
        (None, None) => "no context on either side".to_owned(),
    }
}

impl PolicyError {
    /// Whether this error means "the proof is invalid" (as opposed to a bad key,
    /// a bad model or a failure to prove). The CLI maps these to exit code 1.
    pub fn is_rejection(&self) -> bool {
        matches!(
            self,
            PolicyError::ProofFormat(_)
                | PolicyError::WrongKey { .. }
                | PolicyError::PublicValues(_)
                | PolicyError::CommittedInput { .. }
                | PolicyError::WrongContext { .. }
                | PolicyError::Rejected(_)
        )
    }
}

/// Rejects, before their circuit is built, models above [`MAX_KEY_PARAMS`] and
/// models whose circuit for `visibility` would exceed the proof system's limits
/// ([`circuit::circuit_size`] computes its size from the model in
/// `O(layers + parameters)`). Returns the circuit's size.
fn check_key_size(model: &Model, visibility: &InputVisibility) -> Result<circuit::CircuitSize, PolicyError> {
    crate::snark::encoding::check_limit("model parameters", model.num_params() as u64, MAX_KEY_PARAMS as u64)
        .map_err(PolicyError::KeyFormat)?;
    let size = circuit::circuit_size(model, visibility)?;
    size.check_limits()?;
    Ok(size)
}

/// The digest a proof carries and binds for a request context:
/// `Keccak-256(domain ‖ u64 len ‖ context)`. Any bytes are a context, the empty
/// string included; a proof made without one carries no digest.
pub fn context_digest(context: &[u8]) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(CONTEXT_DIGEST_DOMAIN);
    h.update((context.len() as u64).to_le_bytes());
    h.update(context);
    h.finalize().into()
}

/// Largest request context, in bytes (1 MiB). A context is usually a 32-byte hash
/// or a short id; the bound keeps `--context @FILE` and the wasm API from hashing
/// arbitrary amounts of data.
pub const MAX_CONTEXT_BYTES: usize = 1 << 20;

/// Why a request context given as text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    /// Empty text: a proof bound to nothing must be made without a context.
    #[error("the context is empty; give hex digits, or no context at all")]
    Empty,
    /// Not an even number of hex digits.
    #[error("the context must be hex (an even number of the digits 0-9, a-f, A-F, optionally after 0x); found {found:?} at position {position}")]
    NotHex {
        /// The offending character (or the last one, for an odd count).
        found: char,
        /// Its position in the text.
        position: usize,
    },
    /// Longer than [`MAX_CONTEXT_BYTES`].
    #[error("the context has {len} bytes, more than the limit of {MAX_CONTEXT_BYTES}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
}

/// Checks the length of a request context of `len` bytes against [`MAX_CONTEXT_BYTES`].
pub fn check_context_len(len: usize) -> Result<(), ContextError> {
    if len > MAX_CONTEXT_BYTES {
        return Err(ContextError::TooLong { len });
    }
    Ok(())
}

/// Parses a request context given as hex (as `zkpolicy prove --context` and the JS
/// API take it): hex digits only, an even number of them, optionally after `0x`.
pub fn context_from_hex(text: &str) -> Result<Vec<u8>, ContextError> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    if digits.is_empty() {
        return Err(ContextError::Empty);
    }
    if let Some((position, found)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(ContextError::NotHex { found, position: position + (text.len() - digits.len()) });
    }
    if digits.len() % 2 == 1 {
        return Err(ContextError::NotHex { found: digits.chars().last().unwrap_or('0'), position: text.len() - 1 });
    }
    check_context_len(digits.len() / 2)?;
    // Checked above: an even number of hex digits, which always decodes.
    crate::snark::encoding::bytes_from_hex(digits).ok_or(ContextError::NotHex { found: '?', position: 0 })
}

/// Lower-case hex of a digest.
pub fn hex_digest(d: &[u8; 32]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key digest: `Keccak-256(domain ‖ u16 format version ‖ u32 len ‖ model bytes ‖
/// visibility encoding)`.
fn key_digest(model_bytes: &[u8], visibility: &InputVisibility) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(KEY_DIGEST_DOMAIN);
    h.update(crate::snark::encoding::FORMAT_VERSION.to_le_bytes());
    h.update((model_bytes.len() as u32).to_le_bytes());
    h.update(model_bytes);
    let mut vis = Vec::new();
    visibility.write(&mut vis);
    h.update(vis);
    h.finalize().into()
}

/// What a verifier needs: the model (which determines the circuit) and the
/// Spartan verifying key compiled from it. `Send + Sync`, cheap to share.
#[derive(Clone, Debug)]
pub struct VerifierKey {
    model: Model,
    model_bytes: Vec<u8>,
    visibility: InputVisibility,
    snark: spartan::VerifyingKey,
}

/// What a prover needs: the verifier key plus the compiled circuit (for the
/// witness) and the Spartan proving key. `Send + Sync`: load once, prove many.
#[cfg(feature = "prover")]
#[derive(Clone, Debug)]
pub struct ProvingKey {
    vk: VerifierKey,
    circuit: circuit::Circuit,
    snark: spartan::ProvingKey,
}

/// A proof of one evaluation, with the public values it speaks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyProof {
    /// Digest of the verifier key the proof was made for.
    pub key_digest: [u8; 32],
    /// [`context_digest`] of the request context the proof is bound to, if any.
    pub context_digest: Option<[u8; 32]>,
    /// The public inputs (scale `2^s`), in input order; private inputs are absent.
    pub input: Vec<i64>,
    /// The proven logits: the output of the model's body (scale `2^s`).
    pub logits: Vec<i64>,
    /// The Spartan proof.
    pub snark: spartan::Proof,
}

/// The result of a successful verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Digest of the verifier key.
    pub key_digest: [u8; 32],
    /// Digest of the request context the proof is bound to (the verifier's), if any.
    pub context_digest: Option<[u8; 32]>,
    /// The quantized input, `None` for each private element.
    pub input: Vec<Option<i64>>,
    /// The visibility of each input element (from the key).
    pub visibility: Vec<Visibility>,
    /// For each committed input, the commitment `x·V + r·H` the proof showed to
    /// hold it; `None` for the other inputs.
    pub commitments: Vec<Option<G1Affine>>,
    /// The proven logits.
    pub logits: Vec<i64>,
    /// The model's outputs: the head evaluated on the logits.
    pub outputs: Vec<i64>,
    /// The decision.
    pub verdict: Verdict,
}

/// Compiles the model and builds both keys. Deterministic: the same model and
/// visibility give byte-identical keys. `InputVisibility::all(Visibility::Public, n)`
/// gives the all-public statement of format version 1.
#[cfg(feature = "prover")]
pub fn setup(model: &Model, visibility: &InputVisibility) -> Result<(ProvingKey, VerifierKey), PolicyError> {
    model.validate().map_err(CircuitError::from)?;
    visibility.check_len(model.input_len)?;
    check_key_size(model, visibility)?;
    let model_bytes = codec::encode(model);
    let circuit = circuit::compile_with(model, visibility)?;
    let (snark_pk, snark_vk) = spartan::preprocess(circuit.r1cs.clone(), Some(key_digest(&model_bytes, visibility)))?;
    let vk = VerifierKey { model: model.clone(), model_bytes, visibility: visibility.clone(), snark: snark_vk };
    let pk = ProvingKey { vk: vk.clone(), circuit, snark: snark_pk };
    check_key_files(&pk, &vk)?;
    Ok((pk, vk))
}

/// Setup's guarantee that every reader accepts the keys it makes: the proving-key
/// file decodes, within every limit of the file and model decoders, to the same
/// model and visibility, and the verifier-key file has the same contents under
/// its own magic (both are written by the same function). Linear in the key size;
/// nothing is recompiled.
#[cfg(feature = "prover")]
fn check_key_files(pk: &ProvingKey, vk: &VerifierKey) -> Result<(), PolicyError> {
    let pk_bytes = pk.to_bytes();
    let (model, visibility) = ProvingKey::decode_model(&pk_bytes)?;
    if model != vk.model || visibility != vk.visibility {
        return Err(PolicyError::KeyModel(codec::CodecError::Invalid(
            "model or visibility (it does not survive encoding)",
        )));
    }
    let vk_bytes = vk.to_bytes();
    if files::detect(&vk_bytes) != Some(files::FileKind::VerifierKey) || vk_bytes.get(4..) != pk_bytes.get(4..) {
        return Err(PolicyError::KeyFormat(FormatError::Invalid {
            what: "verifier key (it differs from the proving key)",
        }));
    }
    Ok(())
}

impl VerifierKey {
    /// Rebuilds a verifier key from the model's canonical encoding and the visibility
    /// (compiling the circuit).
    fn from_parts(model_bytes: &[u8], visibility: InputVisibility) -> Result<Self, PolicyError> {
        let model = codec::decode(model_bytes)?;
        visibility.check_len(model.input_len)?;
        check_key_size(&model, &visibility)?;
        let circuit = circuit::compile_with(&model, &visibility)?;
        let (_, snark) = spartan::preprocess(circuit.r1cs, Some(key_digest(model_bytes, &visibility)))?;
        Ok(VerifierKey { model, model_bytes: model_bytes.to_vec(), visibility, snark })
    }

    /// Which inputs proofs for this key reveal.
    pub fn visibility(&self) -> &InputVisibility {
        &self.visibility
    }

    /// The key digest every proof for this key names and binds.
    pub fn digest(&self) -> [u8; 32] {
        self.snark.digest()
    }

    /// The model this key pins.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Number of R1CS constraints of the compiled circuit.
    pub fn num_constraints(&self) -> usize {
        self.snark.num_constraints()
    }

    /// Number of private witness values of the compiled circuit.
    pub fn num_witness(&self) -> usize {
        self.snark.num_witness()
    }

    /// The policy error for a failed SNARK check: a failed commitment link names the
    /// committed input (the SNARK knows only its position among the committed values).
    fn rejection(&self, e: VerifyError) -> PolicyError {
        match e {
            VerifyError::CommitmentLink { position } => PolicyError::CommittedInput {
                input: self.visibility.committed_indices().nth(position).unwrap_or(position),
            },
            e => PolicyError::Rejected(e),
        }
    }

    /// The witness indices of the committed inputs: hidden inputs are the first
    /// witness columns, in input order.
    fn committed_witness_indices(&self) -> Vec<usize> {
        let vis = self.visibility.as_slice();
        self.visibility
            .hidden_indices()
            .enumerate()
            .filter(|(_, i)| vis[*i] == Visibility::Committed)
            .map(|(j, _)| j)
            .collect()
    }
}

/// The commitment to a committed input: `x·V + blind·H` with `x` the quantized
/// input (scale `2^s`, as a field element: `p − |x|` for negative `x`) and `V`, `H`
/// the generators of [`crate::snark::pedersen::generators`]. An issuer computes this for a
/// value it attests and hands `blind` to the prover, who passes it to
/// [`ProvingKey::prove_assignment`]; the verified proof then shows the same point.
#[cfg(feature = "prover")]
pub fn commit_input(value: i64, blind: Fr) -> G1Affine {
    use ark_ec::CurveGroup;
    crate::snark::pedersen::commit_value(crate::snark::r1cs::fr_from_i64(value), blind).into_affine()
}

/// A satisfying assignment of the circuit for one input: the evaluation trace,
/// the public values and the witness. The first half of [`prove`].
#[cfg(feature = "prover")]
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Every intermediate value of the evaluation.
    pub trace: crate::frontend::model::Trace,
    public: Vec<ark_bn254::Fr>,
    witness: Vec<ark_bn254::Fr>,
}

#[cfg(feature = "prover")]
impl ProvingKey {
    /// The matching verifier key.
    pub fn verifier_key(&self) -> &VerifierKey {
        &self.vk
    }

    /// The model this key proves.
    pub fn model(&self) -> &Model {
        &self.vk.model
    }

    /// Evaluates the model on a quantized input and builds the witness.
    pub fn assign(&self, input: &[i64]) -> Result<Assignment, PolicyError> {
        let model = self.model();
        let trace = model.eval(input)?;
        let public_input = self.public_input(&trace.input);
        let public = circuit::public_values(&public_input, trace.logits());
        let witness = self.circuit.witness(model, &trace)?;
        Ok(Assignment { trace, public, witness })
    }

    /// The public elements of a full input, in order.
    fn public_input(&self, input: &[i64]) -> Vec<i64> {
        self.vk.visibility.public_indices().map(|i| input[i]).collect()
    }

    /// Number of committed inputs, i.e. of blinds [`ProvingKey::prove_assignment`] takes.
    pub fn num_committed(&self) -> usize {
        self.vk.visibility.committed_indices().count()
    }

    /// Proves an assignment made by [`ProvingKey::assign`], in zero knowledge with a
    /// CSPRNG freshly seeded from the OS RNG. `blinds` holds one blind per committed
    /// input, in input order (see [`commit_input`]); empty if there are none.
    /// `context` binds the proof to a request (see [`prove`]). The second half of
    /// [`prove`].
    pub fn prove_assignment(
        &self,
        a: &Assignment,
        blinds: &[Fr],
        context: Option<&[u8]>,
    ) -> Result<PolicyProof, PolicyError> {
        self.prove_assignment_with_rng(a, blinds, context, &mut spartan::os_seeded_rng())
    }

    /// [`ProvingKey::prove_assignment`] with the caller's randomness: a seeded RNG
    /// gives reproducible proofs for tests and golden vectors, and is not
    /// zero-knowledge across proofs made with the same seed.
    ///
    /// Spartan checks every constraint before proving; if one fails (the
    /// evaluator and the circuit disagree — a bug), the circuit's labelled check
    /// names it by layer, neuron and role instead of a bare row number.
    pub fn prove_assignment_with_rng<R: ark_std::rand::RngCore + ark_std::rand::CryptoRng>(
        &self,
        a: &Assignment,
        blinds: &[Fr],
        context: Option<&[u8]>,
        rng: &mut R,
    ) -> Result<PolicyProof, PolicyError> {
        let committed = self.vk.committed_witness_indices();
        let context_digest = context.map(context_digest);
        let statement = spartan::Statement {
            public: &a.public,
            committed: &committed,
            context: context_digest.as_ref().map_or(&[], |d| d.as_slice()),
        };
        let snark = match spartan::prove_with_rng(&self.snark, statement, &a.witness, blinds, rng) {
            Err(e @ ProveError::Unsatisfied { .. }) => {
                self.circuit.check(&a.public, &a.witness)?;
                return Err(e.into());
            }
            other => other?,
        };
        let input = self.public_input(&a.trace.input);
        Ok(PolicyProof {
            key_digest: self.vk.digest(),
            context_digest,
            input,
            logits: a.trace.logits().to_vec(),
            snark,
        })
    }
}

/// `n` fresh uniform blinds for committed inputs, from the OS RNG.
#[cfg(feature = "prover")]
pub fn fresh_blinds(n: usize) -> Vec<Fr> {
    let mut rng = spartan::os_seeded_rng();
    (0..n).map(|_| crate::snark::pedersen::random_scalar(&mut rng)).collect()
}

/// Proves one evaluation of the policy on a quantized input.
///
/// `context`: bytes that the verifier will also know, such as the hash of the
/// payment payload or a request id. The proof then verifies only under the same
/// context (see [`verify`]), so it cannot be replayed for another request. `None`
/// makes a proof bound to no context, which anyone who sees it can reuse.
///
/// Committed inputs get fresh random blinds, which are discarded: use
/// [`ProvingKey::prove_assignment`] to choose them.
#[cfg(feature = "prover")]
pub fn prove(pk: &ProvingKey, input: &[i64], context: Option<&[u8]>) -> Result<PolicyProof, PolicyError> {
    pk.prove_assignment(&pk.assign(input)?, &fresh_blinds(pk.num_committed()), context)
}

/// Verifies a proof against a verifier key and the request context the verifier
/// expects, and returns what it establishes.
///
/// `context` must be the bytes the prover bound (or `None` if the verifier accepts a
/// proof bound to no context). A proof bound to another context, or to a context
/// when `None` is given, or to none when one is given, is rejected with
/// [`PolicyError::WrongContext`]; the transcript binds the verifier's own digest, so
/// editing the digest in the proof does not help.
///
/// The model's head (e.g. a softmax) is evaluated on the logits only after the SNARK
/// has shown them to be the model's.
pub fn verify(vk: &VerifierKey, proof: &PolicyProof, context: Option<&[u8]>) -> Result<Verified, PolicyError> {
    let key_digest = vk.digest();
    if proof.key_digest != key_digest {
        return Err(PolicyError::WrongKey { proof: hex_digest(&proof.key_digest), key: hex_digest(&key_digest) });
    }
    let context_digest = context.map(context_digest);
    if proof.context_digest != context_digest {
        return Err(PolicyError::WrongContext {
            proof: proof.context_digest.as_ref().map(hex_digest),
            given: context_digest.as_ref().map(hex_digest),
        });
    }
    let model = &vk.model;
    // The public inputs must be valid model inputs: as many as the key makes public,
    // within ±input_bound (the circuit range-checks only the private ones).
    let num_public = vk.visibility.num_public();
    if proof.input.len() != num_public {
        return Err(PolicyError::PublicValues(EvalError::InputLength { expected: num_public, got: proof.input.len() }));
    }
    let mut input = vec![None; model.input_len];
    for (index, &value) in vk.visibility.public_indices().zip(&proof.input) {
        if value.unsigned_abs() > model.input_bound as u64 {
            return Err(PolicyError::PublicValues(EvalError::InputRange { index, value, bound: model.input_bound }));
        }
        input[index] = Some(value);
    }
    if proof.logits.len() != model.logits_len() {
        let (expected, got) = (model.logits_len(), proof.logits.len());
        return Err(PolicyError::PublicValues(EvalError::InputLength { expected, got }));
    }
    let public = circuit::public_values(&proof.input, &proof.logits);
    let committed = vk.committed_witness_indices();
    let statement = spartan::Statement {
        public: &public,
        committed: &committed,
        context: context_digest.as_ref().map_or(&[], |d| d.as_slice()),
    };
    spartan::verify(&vk.snark, statement, &proof.snark).map_err(|e| vk.rejection(e))?;
    let outputs = model.eval_head(&proof.logits).map_err(PolicyError::PublicValues)?;
    let mut commitments = vec![None; model.input_len];
    for (index, c) in vk.visibility.committed_indices().zip(proof.snark.value_commitments()) {
        commitments[index] = Some(*c);
    }
    let verdict = model.decide(&outputs);
    Ok(Verified {
        key_digest,
        context_digest,
        input,
        visibility: vk.visibility.as_slice().to_vec(),
        commitments,
        logits: proof.logits.clone(),
        outputs,
        verdict,
    })
}

#[cfg(all(test, feature = "prover"))]
mod tests;

#[cfg(all(test, feature = "prover"))]
mod adversary_fixtures;
