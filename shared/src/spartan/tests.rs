//! Soundness tests that need the prover's internals: a cheating prover that
//! proves an unsatisfied instance, and a prover that lies in each message.

#[path = "../../tests/common/mod.rs"]
mod common;

use super::prover::prove_unchecked;
use super::*;
use crate::error::{ProveError, SumcheckKind, VerifyError};
use ark_bn254::G1Affine;
use ark_ec::AffineRepr;
use ark_ff::One;
use common::{random_instance, Values};

fn setup(seed: u64) -> (ProvingKey, VerifyingKey, Vec<Fr>, Vec<Fr>) {
    let inst = random_instance(seed, 20, 3, 24, Values::Small);
    let (pk, vk) = preprocess(inst.r1cs, None).unwrap();
    (pk, vk, inst.public, inst.witness)
}

#[test]
fn cheating_prover_with_one_broken_constraint_is_rejected() {
    let (pk, vk, public, witness) = setup(1);
    for i in [0, witness.len() / 2, witness.len() - 1] {
        let mut bad = witness.clone();
        bad[i] += Fr::one();
        assert!(matches!(prove(&pk, &public, &bad), Err(ProveError::Unsatisfied { .. })));
        let proof = prove_unchecked(&pk, &public, &bad, false).unwrap();
        assert_eq!(verify(&vk, &public, &proof), Err(VerifyError::OuterSumcheckFinal));
        // Round-tripping the cheating proof through bytes changes nothing.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(verify(&vk, &public, &decoded), Err(VerifyError::OuterSumcheckFinal));
    }
    // A wrong public value with the honest witness is a broken constraint too.
    let mut bad_public = public.clone();
    bad_public[0] += Fr::one();
    let proof = prove_unchecked(&pk, &bad_public, &witness, false).unwrap();
    assert!(verify(&vk, &bad_public, &proof).is_err());
}

/// Applies `tamper` to a fresh honest proof, checks verification fails (also after a
/// byte round trip) and returns the error.
fn tampered(pk: &ProvingKey, vk: &VerifyingKey, public: &[Fr], witness: &[Fr], tamper: impl Fn(&mut Proof)) -> VerifyError {
    let mut proof = prove(pk, public, witness).unwrap();
    assert_eq!(verify(vk, public, &proof), Ok(()));
    tamper(&mut proof);
    let err = verify(vk, public, &proof).unwrap_err();
    // Proofs whose lengths no longer match their parameters cannot be encoded.
    let mut bytes = Vec::new();
    if ark_serialize::CanonicalSerialize::serialize_compressed(&proof, &mut bytes).is_ok() {
        let decoded = <Proof as ark_serialize::CanonicalDeserialize>::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(verify(vk, public, &decoded), Err(err.clone()));
    }
    err
}

#[test]
fn a_lie_in_any_message_is_rejected() {
    let (pk, vk, public, witness) = setup(2);
    let proof = prove(&pk, &public, &witness).unwrap();
    let g = G1Affine::generator();

    for i in 0..proof.witness_commitment.row_commitments.len() {
        let err = tampered(&pk, &vk, &public, &witness, |p| {
            p.witness_commitment.row_commitments[i] = (p.witness_commitment.row_commitments[i] + g).into()
        });
        // The commitment feeds every challenge, so the first check to fail is sumcheck #1's.
        assert_eq!(err, VerifyError::OuterSumcheckFinal);
    }
    for round in 0..proof.outer.rounds.len() {
        for k in 0..3 {
            let err = tampered(&pk, &vk, &public, &witness, |p| p.outer.rounds[round][k] += Fr::one());
            assert_eq!(err, VerifyError::OuterSumcheckFinal);
        }
    }
    for k in 0..3 {
        let err = tampered(&pk, &vk, &public, &witness, |p| p.outer_claims[k] += Fr::one());
        assert_eq!(err, VerifyError::OuterSumcheckFinal);
    }
    for round in 0..proof.inner.rounds.len() {
        for k in 0..2 {
            // r_y changes: if a row variable changes the opening (made at the honest r_y)
            // fails, otherwise the value <u, eq(r_col)> is right for the new point and
            // sumcheck #2's final check fails.
            let err = tampered(&pk, &vk, &public, &witness, |p| p.inner.rounds[round][k] += Fr::one());
            assert!(matches!(err, VerifyError::PcsOpening | VerifyError::InnerSumcheckFinal), "{err:?}");
        }
    }
    for j in 0..proof.opening.combined_row.len() {
        let err = tampered(&pk, &vk, &public, &witness, |p| p.opening.combined_row[j] += Fr::one());
        assert_eq!(err, VerifyError::PcsOpening);
    }
    let err = tampered(&pk, &vk, &public, &witness, |p| p.opening.combined_blind += Fr::one());
    assert_eq!(err, VerifyError::PcsOpening);
}

#[test]
fn a_consistent_lie_about_the_claims_is_rejected() {
    // Claims v_A, v_B, v_C adjusted so that sumcheck #1's final check still passes
    // (v_C' = v_C + δ·v_B, v_A' = v_A + δ): the batching challenges change, so the
    // opening made at the honest r_y fails (and so would sumcheck #2's final check).
    let (pk, vk, public, witness) = setup(3);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        let [a, b, c] = p.outer_claims;
        let delta = Fr::from(5u64);
        p.outer_claims = [a + delta, b, c + delta * b];
    });
    assert_eq!(err, VerifyError::PcsOpening);
}

#[test]
fn wrong_lengths_are_reported_not_panicked() {
    let (pk, vk, public, witness) = setup(4);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.outer.rounds.pop();
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| p.outer.rounds[1].push(Fr::one()));
    assert_eq!(err, VerifyError::SumcheckRound { sumcheck: SumcheckKind::Outer, round: 1 });
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.inner.rounds[0].pop();
    });
    assert_eq!(err, VerifyError::SumcheckRound { sumcheck: SumcheckKind::Inner, round: 0 });
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.witness_commitment.row_commitments.push(G1Affine::zero());
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.opening.combined_row.pop();
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    assert!(Proof::from_bytes(&{
        let mut p = prove(&pk, &public, &witness).unwrap();
        p.inner.rounds.clear();
        let mut bytes = Vec::new();
        assert!(ark_serialize::CanonicalSerialize::serialize_compressed(&p, &mut bytes).is_err());
        bytes
    })
    .is_err());
}
