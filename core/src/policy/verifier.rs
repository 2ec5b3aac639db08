//! Verifying a policy proof.

use super::{context_digest, hex_digest, PolicyError, PolicyProof, Verified, VerifierKey};
use crate::frontend::circuit;
use crate::frontend::model::EvalError;
use crate::snark::spartan;

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
    verify_with_phases(vk, proof, context, &mut |_| {})
}

/// A step of [`verify`], as reported by [`verify_with_phases`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyPhase {
    /// The key and context digests and the public values checked.
    PublicValues,
    /// A step of the SNARK's verification.
    Snark(spartan::VerifyPhase),
    /// The model's head evaluated on the logits, the decision taken.
    Head,
}

impl VerifyPhase {
    /// Every phase, in the order [`verify_with_phases`] reports them.
    pub fn all() -> impl Iterator<Item = VerifyPhase> {
        let snark = spartan::VerifyPhase::ALL.into_iter().map(VerifyPhase::Snark);
        std::iter::once(VerifyPhase::PublicValues).chain(snark).chain([VerifyPhase::Head])
    }

    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            VerifyPhase::PublicValues => "public values",
            VerifyPhase::Snark(phase) => phase.name(),
            VerifyPhase::Head => "head and decision",
        }
    }
}

/// The name reports give to what comes before [`verify_with_phases`]'s phases: decoding
/// the proof's bytes (every point decompressed and checked), timed by `zkpolicy bench`
/// and the wasm package's `verifyWithPhases`.
pub const DECODE_PROOF_PHASE: &str = "decode proof";

/// [`verify`], calling `on_phase` as each [`VerifyPhase`] ends, in the order of
/// [`VerifyPhase::all`], so that a caller with a clock can time them (the core has
/// none). Checks and result are exactly [`verify`]'s; a failed check ends
/// verification in its phase, which is then not reported.
pub fn verify_with_phases(
    vk: &VerifierKey,
    proof: &PolicyProof,
    context: Option<&[u8]>,
    on_phase: &mut impl FnMut(VerifyPhase),
) -> Result<Verified, PolicyError> {
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
    // each within its domain (the circuit range-checks only the hidden ones).
    let num_public = vk.visibility.num_public();
    if proof.input.len() != num_public {
        return Err(PolicyError::PublicValues(EvalError::InputLength { expected: num_public, got: proof.input.len() }));
    }
    model
        .check_quantized_inputs(vk.visibility.public_indices().zip(proof.input.iter().copied()))
        .map_err(PolicyError::PublicValues)?;
    let mut input = vec![None; model.input_len];
    for (index, &value) in vk.visibility.public_indices().zip(&proof.input) {
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
    on_phase(VerifyPhase::PublicValues);
    spartan::verify_with_phases(&vk.snark, statement, &proof.snark, &mut |phase| on_phase(VerifyPhase::Snark(phase)))
        .map_err(|e| vk.rejection(e))?;
    let outputs = model.eval_head(&proof.logits).map_err(PolicyError::PublicValues)?;
    let commitments = vk.input_commitments(proof);
    let verdict = model.decide(&outputs);
    on_phase(VerifyPhase::Head);
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
