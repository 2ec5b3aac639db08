//! zkpolicy WebAssembly verifier: JavaScript bindings over
//! [`zkpolicy_core::policy`], the same verification code as `zkpolicy verify`.
//!
//! Exported to JavaScript (see `js/index.d.ts` for the TypeScript view):
//!
//! * `verify(proof, vk, { context })`: checks a proof (binary `Uint8Array` or the
//!   JSON transport form, as a string or as bytes) against a verifier key and the
//!   request context it must be bound to (a `Uint8Array` or hex; omitted for a
//!   proof bound to none), and returns a [`VerifyReport`];
//! * `loadVerifierKey(vk)`: decodes a key (and compiles its circuit) once into a
//!   `VerifierKeyHandle`, whose `verify(proof, { context })` gives the same results
//!   as `verify(proof, vk, { context })` without decoding the key again; `free()`
//!   releases it; `verifyWithPhases(proof, onPhase, { context })` (a
//!   benchmarking aid) gives the same result and calls `onPhase(name)` as each
//!   phase of the verification ends, so that JavaScript can time them;
//! * `inspectVerifierKey(vk)`: the key's digest, model, input visibility and
//!   circuit size, a [`KeyReport`];
//! * `inspectProof(proof)`: the key digest and public values a proof names,
//!   without verifying it, a [`ProofReport`].
//!
//! The results are the core's reports ([`zkpolicy_core::policy::report`]), the
//! types `zkpolicy verify --json` and `zkpolicy inspect --json` print, as plain
//! objects with snake_case fields. Malformed or hostile bytes never throw: the
//! result has `valid: false`, a `reason` (the same text as the native CLI) and a
//! machine-readable `code` ([`ErrorCode`](zkpolicy_core::policy::report::ErrorCode)). Only arguments of the wrong
//! JavaScript type throw, as a `TypeError` whose `code` is `ERR_INVALID_ARG_TYPE`,
//! and methods of a key handle after its `free()` (wasm-bindgen's own check).
//!
//! The JS-independent part ([`check`], [`LoadedKey`], [`inspect_key`],
//! [`inspect_proof`]) is plain Rust, so it also builds and runs natively.

use zkpolicy_core::policy::files::{detect, FileKind};
use zkpolicy_core::policy::report::{KeyReport, ProofEncoding, ProofReport, Rejection, Step, VerifyReport};
use zkpolicy_core::policy::{PolicyProof, VerifierKey, DECODE_PROOF_PHASE};

pub mod bindings;
#[cfg(test)]
mod tests;

/// The proof argument of `verify` and `inspectProof`.
pub enum ProofInput<'a> {
    /// Binary or JSON bytes (detected by their first byte).
    Bytes(&'a [u8]),
    /// The JSON transport document.
    Json(&'a str),
}

impl ProofInput<'_> {
    fn decode(&self) -> Result<PolicyProof, Rejection> {
        let (result, bytes) = match *self {
            ProofInput::Bytes(b) => (PolicyProof::from_any(b), b),
            ProofInput::Json(s) => (PolicyProof::from_json(s), s.as_bytes()),
        };
        result.map_err(|e| Rejection::new(&e, Step::ReadProof(bytes)))
    }

    fn encoding(&self) -> ProofEncoding {
        match *self {
            ProofInput::Json(_) => ProofEncoding::Json,
            ProofInput::Bytes(b) if detect(b) == Some(FileKind::JsonProof) => ProofEncoding::Json,
            ProofInput::Bytes(_) => ProofEncoding::Binary,
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
        LoadedKey(VerifierKey::from_bytes(vk).map_err(|e| Rejection::new(&e, Step::ReadKey(vk))))
    }

    /// Verifies a proof against this key and the request context it must be bound
    /// to: decode the proof, then verify it. The same result as [`check`] with the
    /// key's bytes.
    pub fn check(&self, proof: ProofInput<'_>, context: Option<&[u8]>) -> VerifyReport {
        self.check_with_phases(proof, context, &mut |_| {})
    }

    /// [`LoadedKey::check`], calling `on_phase` with the name of each phase of the
    /// verification as it ends: [`DECODE_PROOF_PHASE`], then those of
    /// [`VerifyPhase::all`](zkpolicy_core::policy::VerifyPhase::all), in that
    /// order, so that a caller with a clock can time them. A benchmarking aid: the
    /// result is exactly [`LoadedKey::check`]'s; a failed check ends verification
    /// in its phase, which is then not reported (nor any after it). `on_phase` is a
    /// trait object so that the verifier is compiled once for both methods (a generic
    /// would copy it, about 30 KB of .wasm).
    pub fn check_with_phases(
        &self,
        proof: ProofInput<'_>,
        context: Option<&[u8]>,
        on_phase: &mut dyn FnMut(&'static str),
    ) -> VerifyReport {
        match &self.0 {
            Ok(key) => {
                let proof = proof.decode();
                if proof.is_ok() {
                    on_phase(DECODE_PROOF_PHASE);
                }
                VerifyReport::check_with_phases(key, proof, context, &mut |phase| on_phase(phase.name()))
            }
            Err(r) => VerifyReport::rejected(r.clone(), None),
        }
    }

    /// Describes the key, or why it does not decode.
    pub fn inspect(&self) -> KeyReport {
        match &self.0 {
            Ok(key) => KeyReport::new(key),
            Err(r) => KeyReport::rejected(r.clone()),
        }
    }
}

/// Verifies a proof against a verifier key and a request context, in the order of
/// `zkpolicy verify`: decode the key, decode the proof, then verify.
pub fn check(proof: ProofInput<'_>, vk: &[u8], context: Option<&[u8]>) -> VerifyReport {
    LoadedKey::load(vk).check(proof, context)
}

/// Decodes a verifier key (compiling its circuit) and describes it.
pub fn inspect_key(vk: &[u8]) -> KeyReport {
    LoadedKey::load(vk).inspect()
}

/// Decodes a proof and reports what it claims, without verifying it.
pub fn inspect_proof(proof: ProofInput<'_>) -> ProofReport {
    match proof.decode() {
        Ok(p) => ProofReport::new(&p, proof.encoding()),
        Err(r) => ProofReport::rejected(r),
    }
}
