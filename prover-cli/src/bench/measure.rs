//! Measuring one model: setup, key loading, proving, verifying, sizes.

use serde::Serialize;
use zkpolicy_core::frontend::model::Model;
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::{self, PolicyError, PolicyProof, ProvingKey, VerifierKey};
use zkpolicy_core::snark::spartan::ProofPart;

use super::phases::{time_phases, PhaseTimes};
use super::stats::{time_ms, Sampling, Summary};
use super::sys::process_cpu_ms;

/// Everything measured in-process for one model.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    /// Model name.
    pub name: String,
    /// Layer widths, e.g. `16×32×16×1` (synthetic models) or the layer list.
    pub shape: String,
    /// Number of weights and biases.
    pub params: usize,
    /// R1CS constraints of the compiled circuit.
    pub constraints: usize,
    /// Private witness values.
    pub witness: usize,
    /// Warm-up runs and timed samples of every timing below.
    pub sampling: Sampling,
    /// `policy::setup` on the model, all inputs private (compile the circuit, build both keys).
    pub setup_ms: Summary,
    /// Rebuilding a proving key from its file bytes (what a prover does once at start).
    pub pk_load_ms: Summary,
    /// Rebuilding a verifier key from its file bytes (what a verifier does once per key).
    pub vk_load_ms: Summary,
    /// One request with the key loaded: witness plus proof (`policy::prove`).
    pub prove_ms: Summary,
    /// The CPU time of one such request, all threads together (what a service on
    /// busy cores pays per proof): the process's CPU time over the warm-up runs and
    /// samples of `prove_ms`, divided by their number. `None` off Unix.
    pub prove_cpu_ms: Option<f64>,
    /// A proof's witness-independent part, done before a request arrives
    /// (`ProvingKey::precompute`: its randomness, the row blinds' terms, `C_p`).
    pub precompute_ms: Summary,
    /// The rest of the SNARK once the request's assignment is known
    /// (`ProvingKey::prove_precomputed`): the online proving time.
    pub online_ms: Summary,
    /// One precomputed proof phase by phase: the precomputation, then the SNARK's
    /// steps (`spartan::ProvePhase`); the total is offline plus online.
    pub prove_phases: PhaseTimes,
    /// The witness part of a request (evaluate the model, build and check the witness).
    pub witness_ms: Summary,
    /// The SNARK part of a request (`prove_assignment`).
    pub snark_ms: Summary,
    /// Native verification with the key loaded (`policy::verify`).
    pub verify_ms: Summary,
    /// Proof file size.
    pub proof_bytes: usize,
    /// The proof file's bytes by component (they sum to `proof_bytes`).
    pub proof_parts: Vec<ProofPart>,
    /// Verifier key file size.
    pub vk_bytes: usize,
    /// Proving key file size.
    pub pk_bytes: usize,
    /// The decision the proof establishes.
    pub decision: String,
}

/// The keys and a proof of one measured model, for the caller's further use.
pub struct CaseArtifacts {
    /// The proving key file.
    pub pk_bytes: Vec<u8>,
    /// The verifier key file.
    pub vk_bytes: Vec<u8>,
    /// The proof file.
    pub proof: PolicyProof,
}

/// Measures one model on one quantized input, with keys of `profile`.
pub fn measure_model(
    model: &Model,
    names: &policy::Names,
    shape: String,
    input: &[i64],
    profile: policy::Profile,
    sampling: Sampling,
) -> Result<(CaseReport, CaseArtifacts), PolicyError> {
    // The default visibility of `zkpolicy setup`: every input private.
    let visibility = InputVisibility::all(Visibility::Private, model.input_len);
    let (setup_ms, (pk, vk)) = time_ms(sampling, || policy::setup_with_profile(model, &visibility, names, profile))?;
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    drop((pk, vk));
    let (pk_load_ms, pk) = time_ms(sampling, || ProvingKey::from_bytes(&pk_bytes))?;
    let (vk_load_ms, vk) = time_ms(sampling, || VerifierKey::from_bytes(&vk_bytes))?;

    let cpu_start = process_cpu_ms();
    let (prove_ms, proof) = time_ms(sampling, || policy::prove(&pk, input, None))?;
    let runs = (sampling.warmup + sampling.samples.max(1)) as f64;
    let prove_cpu_ms = cpu_start.zip(process_cpu_ms()).map(|(start, end)| (end - start) / runs);
    // The two halves of a request, timed on their own.
    let (witness_ms, assignment) = time_ms(sampling, || pk.assign(input))?;
    let (snark_ms, _) = time_ms(sampling, || pk.prove_assignment(&assignment, &[], None))?;
    // The SNARK split into its offline and online parts.
    let (precompute_ms, _) = time_ms(sampling, || Ok::<_, PolicyError>(pk.precompute()))?;
    let mut ready: Vec<_> = (0..runs as usize).map(|_| pk.precompute()).collect();
    let (online_ms, _) = time_ms(sampling, || {
        let precomputed = ready.pop().expect("one precomputation per run");
        pk.prove_precomputed(precomputed, &assignment, &[], None, &mut |_| {})
    })?;
    let (prove_phases, _) = time_phases(sampling, |phase| {
        let precomputed = pk.precompute();
        phase("precompute (offline)");
        pk.prove_precomputed(precomputed, &assignment, &[], None, &mut |p| phase(p.name()))
    })?;
    let (verify_ms, verified) = time_ms(sampling, || policy::verify(&vk, &proof, None))?;

    let report = CaseReport {
        name: names.policy.clone(),
        shape,
        params: model.num_params(),
        constraints: vk.num_constraints(),
        witness: vk.num_witness(),
        sampling,
        setup_ms,
        pk_load_ms,
        vk_load_ms,
        prove_ms,
        prove_cpu_ms,
        precompute_ms,
        online_ms,
        prove_phases,
        witness_ms,
        snark_ms,
        verify_ms,
        proof_bytes: proof.to_bytes().len(),
        proof_parts: proof.size_breakdown(),
        vk_bytes: vk_bytes.len(),
        pk_bytes: pk_bytes.len(),
        decision: verified.verdict.to_string(),
    };
    Ok((report, CaseArtifacts { pk_bytes, vk_bytes, proof }))
}
