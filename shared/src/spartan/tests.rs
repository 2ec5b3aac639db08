//! Soundness tests that need the prover's internals: a cheating prover that
//! proves an unsatisfied instance, and a prover that lies in each message.

#[path = "../../tests/common/mod.rs"]
pub(super) mod common;

use super::prover::prove_unchecked;
use super::*;
use crate::error::{ProveError, VerifyError};
use ark_bn254::{G1Affine, G1Projective};
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
        let proof = prove_unchecked(&pk, &public, &bad, false, &mut rand::rngs::OsRng).unwrap();
        assert_eq!(verify(&vk, &public, &proof), Err(VerifyError::OuterSumcheckFinal));
        // Round-tripping the cheating proof through bytes changes nothing.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(verify(&vk, &public, &decoded), Err(VerifyError::OuterSumcheckFinal));
    }
    // A wrong public value with the honest witness is a broken constraint too.
    let mut bad_public = public.clone();
    bad_public[0] += Fr::one();
    let proof = prove_unchecked(&pk, &bad_public, &witness, false, &mut rand::rngs::OsRng).unwrap();
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

/// Every mutable element of a proof, as a function that perturbs element `i` of
/// that kind (points by adding the generator, scalars by adding one).
/// A named kind of proof element, how many there are, and how to perturb the i-th.
type Perturbation = (&'static str, usize, Box<dyn Fn(&mut Proof, usize)>);

fn perturbations(proof: &Proof) -> Vec<Perturbation> {
    fn bump(p: &mut G1Affine) {
        *p = (*p + G1Affine::generator()).into();
    }
    let dot = |name: &'static str, d: &crate::sigma::DotProductProof, get: fn(&mut Proof) -> &mut crate::sigma::DotProductProof| {
        let g = get;
        vec![
            (name, 1, Box::new(move |p: &mut Proof, _| bump(&mut g(p).delta)) as Box<dyn Fn(&mut Proof, usize)>),
            (name, 1, Box::new(move |p: &mut Proof, _| bump(&mut g(p).beta))),
            (name, d.z.len(), Box::new(move |p: &mut Proof, i| g(p).z[i] += Fr::one())),
            (name, 1, Box::new(move |p: &mut Proof, _| g(p).z_delta += Fr::one())),
            (name, 1, Box::new(move |p: &mut Proof, _| g(p).z_beta += Fr::one())),
        ]
    };
    let mut out: Vec<Perturbation> = vec![
        ("witness commitment", proof.witness_commitment.row_commitments.len(), Box::new(|p, i| bump(&mut p.witness_commitment.row_commitments[i]))),
        ("outer round", proof.outer.round_commitments.len(), Box::new(|p, i| bump(&mut p.outer.round_commitments[i]))),
        ("outer claims", 4, Box::new(|p, i| bump(&mut p.outer_claims[i]))),
        ("product first", 3, Box::new(|p, i| bump(&mut p.product.first[i]))),
        ("product response", 5, Box::new(|p, i| p.product.z[i] += Fr::one())),
        ("inner round", proof.inner.round_commitments.len(), Box::new(|p, i| bump(&mut p.inner.round_commitments[i]))),
        ("witness evaluation", 1, Box::new(|p, _| bump(&mut p.witness_eval))),
    ];
    out.extend(dot("outer relation", &proof.outer_relation, |p| &mut p.outer_relation));
    out.extend(dot("opening", &proof.opening, |p| &mut p.opening));
    out.extend(dot("inner relation", &proof.inner_relation, |p| &mut p.inner_relation));
    out
}

#[test]
fn a_lie_in_any_message_is_rejected() {
    let (pk, vk, public, witness) = setup(2);
    let proof = prove(&pk, &public, &witness).unwrap();
    let mut count = 0;
    for (what, n, perturb) in perturbations(&proof) {
        for i in 0..n {
            let err = tampered(&pk, &vk, &public, &witness, |p| perturb(p, i));
            // Every message feeds the challenges after it; no change goes unnoticed.
            assert!(
                matches!(
                    err,
                    VerifyError::ProductProof
                        | VerifyError::OuterSumcheckFinal
                        | VerifyError::InnerSumcheckFinal
                        | VerifyError::PcsOpening
                ),
                "{what}[{i}]: {err:?}"
            );
            count += 1;
        }
    }
    assert!(count > 50);
}

#[test]
fn a_consistent_lie_about_the_claims_is_rejected() {
    // A prover that commits to v_A + δ and v_C + δ·v_B (sumcheck #1's final relation
    // still holds) cannot prove the product: v_AB commits to the honest product.
    let (pk, vk, public, witness) = setup(3);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        let shift = crate::sigma::commit_value(Fr::from(5u64), Fr::from(0u64));
        p.outer_claims[0] = (G1Projective::from(p.outer_claims[0]) + shift).into();
    });
    assert_eq!(err, VerifyError::ProductProof);
}

#[test]
fn wrong_lengths_are_reported_not_panicked() {
    let (pk, vk, public, witness) = setup(4);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.outer.round_commitments.pop();
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| p.outer_relation.z.push(Fr::one()));
    assert_eq!(err, VerifyError::OuterSumcheckFinal);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.inner_relation.z.pop();
    });
    assert_eq!(err, VerifyError::InnerSumcheckFinal);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.witness_commitment.row_commitments.push(G1Affine::zero());
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.opening.z.pop();
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    assert!(Proof::from_bytes(&{
        let mut p = prove(&pk, &public, &witness).unwrap();
        p.inner.round_commitments.clear();
        let mut bytes = Vec::new();
        assert!(ark_serialize::CanonicalSerialize::serialize_compressed(&p, &mut bytes).is_err());
        bytes
    })
    .is_err());
}
