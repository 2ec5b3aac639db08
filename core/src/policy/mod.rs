//! Policy proofs: the product-level API over the model, the circuit and Spartan.
//!
//! * [`setup`] turns a validated [`Model`], the [`InputVisibility`] of its inputs
//!   and their [`Names`] into a [`ProvingKey`] and a [`VerifierKey`]. Both are
//!   pinned by the key digest: Keccak-256 over a domain string, the format version,
//!   the model's canonical encoding, the visibility, the input names and units and
//!   the key's [`Profile`] (its proofs' trade of size for proving time).
//!   The policy's own name is a label outside the digest: the same model under
//!   another file name gives the same key. The R1CS is compiled from the model on
//!   both sides, so key files hold only the compact model, the visibility and the
//!   names.
//! * [`prove`] (feature `prover`) evaluates the model on a quantized input,
//!   builds the witness and proves that the model's body maps the input to the
//!   logits.
//! * [`verify`] checks a [`PolicyProof`] against a [`VerifierKey`]: the proof
//!   names the key, the public inputs are in range, the zero-knowledge Spartan
//!   proof verifies for the public values `(public inputs, logits)`, then the head
//!   of the model (e.g. the sigmoid) and the decision rule are evaluated on the
//!   proven logits. Private inputs never leave the prover.
//!
//! Byte formats are in [`files`]; what verifiers report (and the code of each
//! rejection) is in [`report`]; `docs/PROTOCOL.md` states what is proved.

mod context;
mod error;
pub mod files;
mod inputs;
#[cfg(feature = "prover")]
mod openings;
#[cfg(feature = "prover")]
mod prover;
pub mod report;
mod verifier;

pub use crate::snark::spartan::Profile;
pub use context::{check_context_len, context_digest, context_from_hex, ContextError, MAX_CONTEXT_BYTES};
pub use error::PolicyError;
pub use inputs::{InputNames, InputNamesError, MAX_NAME_BYTES};
#[cfg(feature = "prover")]
pub use openings::{Opening, Openings, OpeningsError};
#[cfg(feature = "prover")]
pub use prover::{commit_input, fresh_blinds, prove, setup, setup_with_profile, Assignment, ProvingKey};
pub use verifier::{verify, verify_with_phases, VerifyPhase, DECODE_PROOF_PHASE};

use crate::frontend::circuit;
use crate::frontend::model::{codec, Model, Verdict};
use crate::frontend::visibility::{InputVisibility, Visibility};
use crate::snark::error::VerifyError;
use crate::snark::spartan;
use ark_bn254::G1Affine;
use sha3::{Digest, Keccak256};

/// Largest number of weights and biases a policy key may hold (2^22). Each
/// nonzero weight is a nonzero matrix entry of the circuit, which a verifier
/// (also in wasm) builds from the key; the circuit's own limits
/// ([`circuit::CircuitSize::check_limits`]) are checked next, also before anything
/// is built.
pub const MAX_KEY_PARAMS: usize = 1 << 22;

/// Domain string of the key digest.
const KEY_DIGEST_DOMAIN: &[u8] = b"zkpolicy/policy-key/v2";

/// Rejects models above [`MAX_KEY_PARAMS`]. The circuit's own limits are then checked
/// by [`circuit::compile_with`], which computes the circuit's size from the model in
/// `O(layers + parameters)` and refuses it before building anything.
fn check_key_params(model: &Model) -> Result<(), PolicyError> {
    crate::snark::encoding::check_limit("model parameters", model.num_params() as u64, MAX_KEY_PARAMS as u64)
        .map_err(PolicyError::KeyFormat)
}

/// Lower-case hex of a digest.
pub fn hex_digest(d: &[u8; 32]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key digest: `Keccak-256(domain ‖ u16 format version ‖ u32 len ‖ model bytes ‖
/// visibility encoding ‖ input names encoding ‖ u8 profile)`. The policy's name is not
/// in it.
fn key_digest(model_bytes: &[u8], visibility: &InputVisibility, inputs: &InputNames, profile: Profile) -> [u8; 32] {
    let mut h = Keccak256::new();
    h.update(KEY_DIGEST_DOMAIN);
    h.update(crate::snark::encoding::FORMAT_VERSION.to_le_bytes());
    h.update((model_bytes.len() as u32).to_le_bytes());
    h.update(model_bytes);
    let mut rest = Vec::new();
    visibility.write(&mut rest);
    inputs.write(&mut rest);
    rest.push(profile.code());
    h.update(rest);
    h.finalize().into()
}

/// What a key calls its policy and the policy's inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// The policy's name (e.g. the ONNX file's stem), at most
    /// [`files::MAX_POLICY_NAME`] bytes: a label for people, outside the key digest.
    pub policy: String,
    /// The inputs' names and units, pinned by the key digest.
    pub inputs: InputNames,
}

impl Names {
    /// The names of a policy called `policy` whose `n` inputs have no names of their
    /// own ([`InputNames::indexed`]).
    pub fn indexed(policy: &str, n: usize) -> Self {
        Names { policy: policy.to_owned(), inputs: InputNames::indexed(n) }
    }
}

/// A step of [`VerifierKey::from_bytes`], as reported by
/// [`VerifierKey::from_bytes_with_phases`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLoadPhase {
    /// The key file and its model decoded and checked.
    Decode,
    /// The circuit compiled from the model.
    Compile,
    /// The Spartan verifying key built from the circuit (key digest, matrices, Hyrax generators).
    Preprocess,
}

impl KeyLoadPhase {
    /// Every phase, in the order they are reported.
    pub const ALL: [KeyLoadPhase; 3] = [KeyLoadPhase::Decode, KeyLoadPhase::Compile, KeyLoadPhase::Preprocess];

    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            KeyLoadPhase::Decode => "decode key",
            KeyLoadPhase::Compile => "compile circuit",
            KeyLoadPhase::Preprocess => "preprocess",
        }
    }
}

/// What a verifier needs: the model (which determines the circuit) and the
/// Spartan verifying key compiled from it. `Send + Sync`, cheap to share.
#[derive(Clone, Debug)]
pub struct VerifierKey {
    model: Model,
    model_bytes: Vec<u8>,
    visibility: InputVisibility,
    names: Names,
    snark: spartan::VerifyingKey,
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

impl VerifierKey {
    /// Rebuilds a verifier key from a decoded key file (compiling the circuit),
    /// calling `on_phase` as each [`KeyLoadPhase`] after [`KeyLoadPhase::Decode`] ends.
    fn from_parts(file: files::KeyFile<'_>, on_phase: &mut impl FnMut(KeyLoadPhase)) -> Result<Self, PolicyError> {
        let model = codec::decode(file.model)?;
        file.visibility.check_len(model.input_len)?;
        file.inputs.check_len(model.input_len)?;
        check_key_params(&model)?;
        on_phase(KeyLoadPhase::Decode);
        let circuit = circuit::compile_with(&model, &file.visibility)?;
        on_phase(KeyLoadPhase::Compile);
        let digest = key_digest(file.model, &file.visibility, &file.inputs, file.profile);
        let (_, snark) = spartan::preprocess(circuit.r1cs, file.profile, Some(digest))?;
        on_phase(KeyLoadPhase::Preprocess);
        let names = Names { policy: file.name, inputs: file.inputs };
        Ok(VerifierKey { model, model_bytes: file.model.to_vec(), visibility: file.visibility, names, snark })
    }

    /// The key with fixed-base tables of its proofs' generators, for a verifier that
    /// keeps it to check many proofs: each verification's largest step then takes about
    /// half the time ([`spartan::VerifyingKey::with_generator_tables`]; built once per
    /// process, shared by every key, 2 KiB per generator, up to 0.5 MiB).
    pub fn with_generator_tables(mut self) -> Self {
        self.snark = self.snark.with_generator_tables();
        self
    }

    /// The names of the policy and its inputs.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// How this key's proofs trade size for proving time.
    pub fn profile(&self) -> Profile {
        self.snark.profile()
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

    /// The commitments a proof for this key carries, by input: the `t`-th
    /// commitment at the `t`-th committed input, `None` for the other inputs.
    pub fn input_commitments(&self, proof: &PolicyProof) -> Vec<Option<G1Affine>> {
        let mut by_input = vec![None; self.model.input_len];
        for (index, c) in self.visibility.committed_indices().zip(proof.snark.value_commitments()) {
            by_input[index] = Some(*c);
        }
        by_input
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

#[cfg(all(test, feature = "prover"))]
mod tests;

#[cfg(all(test, feature = "prover"))]
mod adversary_fixtures;
