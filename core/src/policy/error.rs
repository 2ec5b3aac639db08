//! What can go wrong in setup, proving and verification of a policy.

use crate::frontend::circuit::CircuitError;
use crate::frontend::model::{codec, EvalError};
use crate::frontend::visibility::VisibilityError;
use crate::snark::error::{FormatError, ProveError, SetupError, VerifyError};

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
    /// The input names or units do not fit the model.
    #[error("input names: {0}")]
    InputNames(#[from] super::InputNamesError),
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
