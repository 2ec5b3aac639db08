//! Soundness tests that need the prover's internals: a cheating prover that
//! proves an unsatisfied instance, and a prover that lies in each message.

#[path = "../../../tests/common/mod.rs"]
pub(super) mod common;

use super::prover::prove_unchecked;
use super::*;
use crate::snark::error::{FormatError, ProveError, VerifyError};
use crate::snark::sigma::Opening;
use ark_bn254::G1Affine;
use ark_ec::AffineRepr;
use ark_ec::CurveGroup;
use ark_ff::One;
use common::{random_instance, st, Values};

fn setup(seed: u64) -> (ProvingKey, VerifyingKey, Vec<Fr>, Vec<Fr>) {
    setup_with(seed, Profile::Small)
}

fn setup_with(seed: u64, profile: Profile) -> (ProvingKey, VerifyingKey, Vec<Fr>, Vec<Fr>) {
    let inst = random_instance(seed, 20, 3, 24, Values::Small);
    let (pk, vk) = preprocess(inst.r1cs, profile, None).unwrap();
    (pk, vk, inst.public, inst.witness)
}

#[test]
fn cheating_prover_with_one_broken_constraint_is_rejected() {
    let (pk, vk, public, witness) = setup(1);
    for i in [0, witness.len() / 2, witness.len() - 1] {
        let mut bad = witness.clone();
        bad[i] += Fr::one();
        assert!(matches!(prove(&pk, st(&public), &bad, &[]), Err(ProveError::Unsatisfied { .. })));
        let proof = prove_unchecked(&pk, st(&public), &bad, &[], false, None, &mut rand::rngs::OsRng).unwrap();
        assert_eq!(verify(&vk, st(&public), &proof), Err(VerifyError::FinalEvaluations));
        // Round-tripping the cheating proof through bytes changes nothing.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(verify(&vk, st(&public), &decoded), Err(VerifyError::FinalEvaluations));
    }
    // A wrong public value with the honest witness is a broken constraint too.
    let mut bad_public = public.clone();
    bad_public[0] += Fr::one();
    let proof = prove_unchecked(&pk, st(&bad_public), &witness, &[], false, None, &mut rand::rngs::OsRng).unwrap();
    assert!(verify(&vk, st(&bad_public), &proof).is_err());
}

/// Applies `tamper` to a fresh honest proof, checks verification fails (also after a
/// byte round trip) and returns the error.
fn tampered(
    pk: &ProvingKey,
    vk: &VerifyingKey,
    public: &[Fr],
    witness: &[Fr],
    tamper: impl Fn(&mut Proof),
) -> VerifyError {
    let mut proof = prove(pk, st(public), witness, &[]).unwrap();
    assert_eq!(verify(vk, st(public), &proof), Ok(()));
    tamper(&mut proof);
    let err = verify(vk, st(public), &proof).unwrap_err();
    // Proofs whose lengths no longer match their parameters cannot be encoded.
    let mut bytes = Vec::new();
    if ark_serialize::CanonicalSerialize::serialize_compressed(&proof, &mut bytes).is_ok() {
        let decoded = <Proof as ark_serialize::CanonicalDeserialize>::deserialize_compressed(&bytes[..]).unwrap();
        assert_eq!(verify(vk, st(public), &decoded), Err(err.clone()));
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
    let rounds = |r: &crate::snark::sumcheck::SumcheckProof| r.rounds.len() * r.rounds[0].len();
    let (outer_width, inner_width) = (proof.outer.rounds[0].len(), proof.inner.rounds[0].len());
    let mut kinds: Vec<Perturbation> = vec![
        (
            "witness commitment",
            proof.witness_commitment.row_commitments.len(),
            Box::new(|p, i| bump(&mut p.witness_commitment.row_commitments[i])),
        ),
        ("mask commitment", 1, Box::new(|p, _| bump(&mut p.mask_commitment))),
        ("outer mask sum", 1, Box::new(|p, _| p.outer_mask_sum += Fr::one())),
        (
            "outer round",
            rounds(&proof.outer),
            Box::new(move |p, i| p.outer.rounds[i / outer_width][i % outer_width] += Fr::one()),
        ),
        ("outer claims", 3, Box::new(|p, i| p.outer_claims[i] += Fr::one())),
        ("inner mask sum", 1, Box::new(|p, _| p.inner_mask_sum += Fr::one())),
        (
            "inner round",
            rounds(&proof.inner),
            Box::new(move |p, i| p.inner.rounds[i / inner_width][i % inner_width] += Fr::one()),
        ),
        ("witness evaluation", 1, Box::new(|p, _| p.witness_eval += Fr::one())),
    ];
    match &proof.evaluation {
        Opening::Logarithmic(e) => kinds.extend::<[Perturbation; 6]>([
            ("evaluation L", e.rounds(), Box::new(|p, i| bump(&mut p.evaluation.logarithmic_mut().l[i]))),
            ("evaluation R", e.rounds(), Box::new(|p, i| bump(&mut p.evaluation.logarithmic_mut().r[i]))),
            ("evaluation delta", 1, Box::new(|p, _| bump(&mut p.evaluation.logarithmic_mut().delta))),
            ("evaluation beta", 1, Box::new(|p, _| bump(&mut p.evaluation.logarithmic_mut().beta))),
            ("evaluation z", 1, Box::new(|p, _| p.evaluation.logarithmic_mut().z += Fr::one())),
            ("evaluation z_blind", 1, Box::new(|p, _| p.evaluation.logarithmic_mut().z_blind += Fr::one())),
        ]),
        Opening::Linear(e) => kinds.extend::<[Perturbation; 3]>([
            ("evaluation delta", 1, Box::new(|p, _| bump(&mut p.evaluation.linear_mut().delta))),
            ("evaluation z", e.z.len(), Box::new(|p, i| p.evaluation.linear_mut().z[i] += Fr::one())),
            ("evaluation z_blind", 1, Box::new(|p, _| p.evaluation.linear_mut().z_blind += Fr::one())),
        ]),
    }
    kinds
}

#[test]
fn a_lie_in_any_message_is_rejected() {
    for profile in Profile::ALL {
        let (pk, vk, public, witness) = setup_with(2, profile);
        let proof = prove(&pk, st(&public), &witness, &[]).unwrap();
        let mut count = 0;
        for (what, n, perturb) in perturbations(&proof) {
            for i in 0..n {
                let err = tampered(&pk, &vk, &public, &witness, |p| perturb(p, i));
                // Every message feeds the challenges after it; no change goes unnoticed.
                assert_eq!(err, VerifyError::FinalEvaluations, "{profile}: {what}[{i}]");
                count += 1;
            }
        }
        assert!(count > 50, "{profile}");
    }
}

#[test]
fn a_consistent_lie_about_the_claims_is_rejected() {
    // v_A + δ and v_C + δ·v_B leave sumcheck #1's final relation intact; the batched
    // claim of sumcheck #2 then no longer matches the matrices.
    let (pk, vk, public, witness) = setup(3);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        let delta = Fr::from(5u64);
        p.outer_claims[0] += delta;
        p.outer_claims[2] += delta * p.outer_claims[1];
    });
    assert_eq!(err, VerifyError::FinalEvaluations);
}

#[test]
fn wrong_lengths_are_reported_not_panicked() {
    let (pk, vk, public, witness) = setup(4);
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.outer.rounds.pop();
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| p.inner.rounds[1].push(Fr::one()));
    assert!(matches!(err, VerifyError::SumcheckRound { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        let extra = p.evaluation.logarithmic_mut().l[0];
        p.evaluation.logarithmic_mut().l.push(extra);
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| {
        p.witness_commitment.row_commitments.push(G1Affine::zero());
    });
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let err = tampered(&pk, &vk, &public, &witness, |p| p.links.push(p.evaluation.clone()));
    assert!(matches!(err, VerifyError::Malformed { .. }));
    let mut p = prove(&pk, st(&public), &witness, &[]).unwrap();
    p.inner.rounds.clear();
    let mut bytes = Vec::new();
    assert!(ark_serialize::CanonicalSerialize::serialize_compressed(&p, &mut bytes).is_err());
    // The linear argument's responses: one per entry of the row and mask segments.
    let (pk, vk, public, witness) = setup_with(4, Profile::Fast);
    for (change, got) in [(1, 1), (-1, -1)] {
        let err = tampered(&pk, &vk, &public, &witness, |p| {
            let z = &mut p.evaluation.linear_mut().z;
            if change > 0 {
                z.push(Fr::one())
            } else {
                z.pop();
            }
        });
        let VerifyError::Malformed { what, expected, got: found } = err else { panic!("{err:?}") };
        assert_eq!((what, found as i64 - expected as i64), ("evaluation proof responses", got));
    }
}

#[test]
fn a_proof_is_checked_under_its_keys_profile_only() {
    let inst = random_instance(9, 60, 3, 70, Values::Small);
    let [(small_pk, small_vk), (fast_pk, fast_vk)] =
        Profile::ALL.map(|profile| preprocess(inst.r1cs.clone(), profile, None).unwrap());
    // The default digest hashes the R1CS alone: the same for both keys.
    assert_eq!(small_vk.digest(), fast_vk.digest());
    let (small_rows, fast_rows) = (small_vk.data.hyrax.num_rows(), fast_vk.data.hyrax.num_rows());
    assert!(fast_rows > small_rows, "{fast_rows} rows against {small_rows}");
    let small = prove(&small_pk, st(&inst.public), &inst.witness, &[]).unwrap();
    let fast = prove(&fast_pk, st(&inst.public), &inst.witness, &[]).unwrap();
    assert!(matches!(small.evaluation, Opening::Logarithmic(_)) && matches!(fast.evaluation, Opening::Linear(_)));
    for (proof, vk, other, rows, other_rows) in
        [(&small, &small_vk, &fast_vk, small_rows, fast_rows), (&fast, &fast_vk, &small_vk, fast_rows, small_rows)]
    {
        assert_eq!(verify(vk, st(&inst.public), proof), Ok(()));
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(&decoded, proof);
        assert_eq!(
            verify(other, st(&inst.public), &decoded),
            Err(VerifyError::Malformed { what: "witness commitment", expected: other_rows, got: rows })
        );
    }
    // The rows of one profile with the other's evaluation proof: refused by its argument.
    let mut mixed = small.clone();
    mixed.evaluation = fast.evaluation.clone();
    assert!(matches!(
        verify(&small_vk, st(&inst.public), &mixed),
        Err(VerifyError::Malformed { what: "evaluation proof points (another profile's argument)", .. })
    ));
    // A profile code no profile has is refused by the decoder (the parameters are
    // `s, m, profile, k, l` after the 6-byte envelope), and the code is the key's.
    let mut bytes = small.to_bytes();
    assert_eq!(bytes[8], Profile::Small.code());
    assert_eq!(fast.to_bytes()[8], Profile::Fast.code());
    for code in [2, 3, 255] {
        bytes[8] = code;
        assert_eq!(
            Proof::from_bytes(&bytes),
            Err(FormatError::Invalid { what: "proof profile (unknown code)" }),
            "code {code}"
        );
    }
}

/// Committed values at witness indices spread over two Hyrax rows.
fn committed_setup() -> (ProvingKey, VerifyingKey, Vec<Fr>, Vec<Fr>, Vec<usize>, Vec<Fr>) {
    let inst = random_instance(8, 60, 3, 70, Values::Small);
    let (pk, vk) = preprocess(inst.r1cs, Profile::Small, None).unwrap();
    let row_len = vk.data.hyrax.row_len();
    let committed = vec![0, 2, row_len + 1];
    let blinds: Vec<Fr> = (1..=3u64).map(Fr::from).collect();
    (pk, vk, inst.public, inst.witness, committed, blinds)
}

#[test]
fn committed_values_are_proven_and_bound() {
    let (pk, vk, public, witness, committed, blinds) = committed_setup();
    let statement = Statement { public: &public, committed: &committed, context: &[] };
    let proof = prove(&pk, statement, &witness, &blinds).unwrap();
    assert_eq!(verify(&vk, statement, &proof), Ok(()));
    assert_eq!(proof.links.len(), 2);
    for ((j, b), c) in committed.iter().zip(&blinds).zip(proof.value_commitments()) {
        assert_eq!(*c, crate::snark::pedersen::commit_value(witness[*j], *b).into_affine());
    }
    let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
    assert_eq!(verify(&vk, statement, &decoded), Ok(()));
    // Other indices, fewer indices, or none: rejected, never panicking.
    for other in [vec![0, 3, committed[2]], vec![0, 2], vec![]] {
        assert!(verify(&vk, Statement { public: &public, committed: &other, context: &[] }, &proof).is_err());
    }
    assert!(verify(&vk, Statement { public: &public, committed: &[2, 0, 5], context: &[] }, &proof).is_err());
    // A swapped commitment breaks the transcript.
    let mut swapped = proof.clone();
    swapped.value_commitments.swap(0, 1);
    assert!(verify(&vk, statement, &swapped).is_err());
    // Bad prover arguments are errors.
    assert!(matches!(prove(&pk, statement, &witness, &blinds[..2]), Err(ProveError::BlindsLength { .. })));
    let unsorted = Statement { public: &public, committed: &[2, 0], context: &[] };
    assert!(matches!(prove(&pk, unsorted, &witness, &blinds[..2]), Err(ProveError::CommittedIndex { .. })));
}

#[test]
fn a_commitment_to_another_value_is_rejected() {
    let (pk, vk, public, witness, committed, blinds) = committed_setup();
    let statement = Statement { public: &public, committed: &committed, context: &[] };
    // The prover commits to w_j + 1 for the last committed index but proves with the
    // true witness: the witness proof is fine, the link of that row fails.
    let mut claimed: Vec<Fr> = committed.iter().map(|&j| witness[j]).collect();
    claimed[2] += Fr::one();
    let proof =
        prove_unchecked(&pk, statement, &witness, &blinds, true, Some(&claimed), &mut rand::rngs::OsRng).unwrap();
    assert_eq!(verify(&vk, statement, &proof), Err(VerifyError::CommitmentLink { position: 2 }));
}

/// Issue 14's precomputation: the same proof as proving in one go from the same RNG,
/// its phases reported in order, and refused (an error, not a panic) for another key
/// or another number of link proofs.
#[test]
fn precomputed_randomness_gives_the_same_proof_and_fits_only_its_key_and_links() {
    use rand::{rngs::StdRng, SeedableRng};
    let (pk, vk, public, witness, committed, blinds) = committed_setup();
    let statement = Statement { public: &public, committed: &committed, context: b"request" };
    let one_go = prove_with_rng(&pk, statement, &witness, &blinds, &mut StdRng::seed_from_u64(14)).unwrap();
    let precomputed = Precomputed::new(&pk, &committed, &mut StdRng::seed_from_u64(14));
    assert!(!format!("{precomputed:?}").contains("Fp"), "Debug shows no scalar");
    let mut phases = Vec::new();
    let split = prove_precomputed(&pk, precomputed, statement, &witness, &blinds, &mut |p| phases.push(p)).unwrap();
    assert_eq!(split.to_bytes(), one_go.to_bytes());
    assert_eq!(phases, ProvePhase::ALL);
    assert_eq!(verify(&vk, statement, &split), Ok(()));
    // Made for fewer link rows than the statement's committed indices occupy.
    let fewer = Precomputed::new(&pk, &committed[..2], &mut rand::rngs::OsRng);
    let err = prove_precomputed(&pk, fewer, statement, &witness, &blinds, &mut |_| {});
    assert_eq!(err.unwrap_err(), ProveError::PrecomputedLinks { expected: 2, got: 1 });
    // Made for another key, of other sizes or of the same sizes.
    let (other_pk, _, other_public, other_witness) = setup(3);
    let foreign = Precomputed::new(&other_pk, &[], &mut rand::rngs::OsRng);
    let err = prove_precomputed(&pk, foreign, statement, &witness, &blinds, &mut |_| {});
    assert_eq!(err.unwrap_err(), ProveError::PrecomputedKey);
    let inst = common::random_instance(8, 60, 3, 70, Values::Small);
    let (same_sizes, _) = preprocess(inst.r1cs, Profile::Small, Some([7; 32])).unwrap();
    let foreign = Precomputed::new(&same_sizes, &committed, &mut rand::rngs::OsRng);
    let err = prove_precomputed(&pk, foreign, statement, &witness, &blinds, &mut |_| {});
    assert_eq!(err.unwrap_err(), ProveError::PrecomputedKey);
    // The other key's own precomputation proves for it.
    let own = Precomputed::new(&other_pk, &[], &mut rand::rngs::OsRng);
    assert!(prove_precomputed(&other_pk, own, st(&other_public), &other_witness, &[], &mut |_| {}).is_ok());
}

/// Step 5 evaluates the matrices on `eq(r_y[1..], ·)` and a rescaled `(1, io)` part, not on
/// the whole `eq(r_y, ·)`: the same values as the definition, at random points and at
/// `r_y[0] ∈ {0, 1}` (1 has no rescaling and takes the whole table), in arkworks' `Fr` and on
/// the 29-bit limbs of the wasm verifier; for coefficients of a compiled circuit's sizes
/// (small, ±1) and uniform ones.
#[test]
fn step_5_evaluations_match_their_definition() {
    use super::verifier::{entry_bilinear, matrix_and_z_evaluations, matrix_and_z_evaluations_in};
    use crate::snark::limb29::Fr29;
    use crate::snark::poly::{eq_table, sparse};
    use ark_ff::{Field, UniformRand};
    use rand::{rngs::StdRng, SeedableRng};
    let full = random_instance(6, 20, 3, 24, Values::Full);
    let (_, full_vk) = preprocess(full.r1cs, Profile::Small, None).unwrap();
    let (_, small_vk, small_public, _) = setup(5);
    for (vk, public) in [(small_vk, small_public), (full_vk, full.public)] {
        let shape = vk.data.shape;
        let mut rng = StdRng::seed_from_u64(5);
        let mut point = |n: usize| (0..n).map(|_| Fr::rand(&mut rng)).collect::<Vec<Fr>>();
        let (r_x, batch, witness_eval) = (point(shape.row_vars), point(3), point(1)[0]);
        for first in [None, Some(Fr::ZERO), Some(Fr::ONE)] {
            let mut r_y = point(shape.witness_vars + 1);
            if let Some(first) = first {
                r_y[0] = first;
            }
            let (eq_rx, eq_ry) = (eq_table(&r_x), eq_table(&r_y));
            let r1cs = &vk.data.r1cs;
            let m = [&r1cs.a, &r1cs.b, &r1cs.c]
                .iter()
                .zip(&batch)
                .map(|(matrix, b)| *b * sparse::bilinear(&matrix.entries, &eq_rx, &eq_ry, shape.col_map()))
                .sum::<Fr>();
            let io = &eq_ry[shape.half_columns()..];
            let z = (Fr::ONE - r_y[0]) * witness_eval
                + io[0]
                + public.iter().zip(&io[1..]).map(|(x, w)| *x * w).sum::<Fr>();
            let got = matrix_and_z_evaluations(&vk, &public, &batch, &r_x, &r_y, witness_eval);
            assert_eq!(got, (m, z), "r_y[0] = {first:?}");
            let on_29_bits = matrix_and_z_evaluations_in::<Fr29>(
                &vk,
                &public,
                &batch,
                &r_x,
                &r_y,
                witness_eval,
                entry_bilinear(&vk),
            );
            assert_eq!(on_29_bits, (m, z), "29-bit limbs, r_y[0] = {first:?}");
        }
    }
}
