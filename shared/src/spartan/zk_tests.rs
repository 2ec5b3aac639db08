//! Zero-knowledge tests: a simulator that, knowing only the key and the public
//! values but choosing the verifier's challenges, produces accepted proofs
//! (`docs/PROTOCOL-zk.md`, "Simulator"); and fresh randomness in every proof.

use super::data_structures::{Proof, INNER_DEGREE, OUTER_DEGREE};
use super::verifier::verify_with;
use super::*;
use crate::pcs::generators::{message_generators, value_generator};
use crate::pcs::hyrax::HyraxCommitment;
use crate::poly::{eq_eval, eq_table, sparse};
use crate::sigma::{random_scalar, simulate};
use crate::sumcheck::{relation, SumcheckProof};
use ark_bn254::{G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::Field;
use super::tests::common::{random_instance, Values};
use rand::{rngs::StdRng, SeedableRng};
use std::collections::VecDeque;

/// A transcript whose challenges are programmed in advance; it ignores what is absorbed.
struct Programmed(VecDeque<Fr>);

impl FiatShamir for Programmed {
    fn append_bytes(&mut self, _label: &[u8], _data: &[u8]) {}

    fn challenge_scalar(&mut self, _label: &[u8]) -> Fr {
        self.0.pop_front().expect("the simulator programmed every challenge")
    }
}

fn random_point(rng: &mut StdRng) -> G1Affine {
    crate::sigma::commit_value(random_scalar(rng), random_scalar(rng)).into_affine()
}

fn random_points(rng: &mut StdRng, n: usize) -> Vec<G1Affine> {
    (0..n).map(|_| random_point(rng)).collect()
}

/// The simulator: a proof for `public` built from the key alone, and the
/// challenges (in the verifier's order) it must be checked with.
fn simulate_proof(vk: &VerifyingKey, public: &[Fr], rng: &mut StdRng) -> (Proof, Vec<Fr>) {
    let data = &vk.data;
    let shape = data.shape;
    let (s, m) = (shape.row_vars, shape.witness_vars);
    let mut fresh = |n: usize| -> Vec<Fr> { (0..n).map(|_| random_scalar(rng)).collect() };
    // Every challenge, drawn first; named in the verifier's order.
    let tau = fresh(s);
    let r_x = fresh(s);
    let [c_product, beta_outer, c_outer] = [fresh(1)[0], fresh(1)[0], fresh(1)[0]];
    let batch = fresh(3);
    let r_y = fresh(m + 1);
    let [c_opening, beta_inner, c_inner] = [fresh(1)[0], fresh(1)[0], fresh(1)[0]];
    let challenges: Vec<Fr> = tau
        .iter()
        .chain(&r_x)
        .chain(&[c_product, beta_outer, c_outer])
        .chain(&batch)
        .chain(&r_y)
        .chain(&[c_opening, beta_inner, c_inner])
        .copied()
        .collect();

    // Commitments: uniform points, exactly as hiding commitments are distributed.
    let witness_commitment = HyraxCommitment { row_commitments: random_points(rng, data.hyrax.num_rows()) };
    let outer = SumcheckProof { round_commitments: random_points(rng, s) };
    let claims = random_points(rng, 4);
    let outer_claims = [claims[0], claims[1], claims[2], claims[3]];
    let inner = SumcheckProof { round_commitments: random_points(rng, m + 1) };
    let witness_eval = random_point(rng);

    // Σ-protocol transcripts from the simulators, for the statements the verifier derives.
    let product = simulate::product(claims[0], claims[1], claims[3], c_product, rng);
    let (a, beta_n) = relation(&r_x, OUTER_DEGREE, beta_outer);
    let cx: G1Projective = outer.round_commitments.iter().map(|c| G1Projective::from(*c)).sum();
    let cy = -((G1Projective::from(claims[3]) - claims[2]) * (eq_eval(&tau, &r_x) * beta_n));
    let outer_relation = simulate::dot_product(&message_generators(a.len()), cx, cy, &a, c_outer, rng);

    let hyrax = &data.hyrax;
    let (r_row, r_col) = r_y[1..].split_at(hyrax.row_vars());
    let combined = G1Projective::msm_unchecked(&witness_commitment.row_commitments, &eq_table(r_row));
    let opening =
        simulate::dot_product(hyrax.message_generators(), combined, witness_eval.into(), &eq_table(r_col), c_opening, rng);

    // M(r_x, r_y) and the public part of z̃'(r_y): public data only.
    let (eq_rx, eq_ry) = (eq_table(&r_x), eq_table(&r_y));
    let r1cs = &data.r1cs;
    let m_eval: Fr = [&r1cs.a, &r1cs.b, &r1cs.c]
        .into_iter()
        .zip(&batch)
        .map(|(matrix, k)| *k * sparse::bilinear(&matrix.entries, &eq_rx, &eq_ry, shape.col_map()))
        .sum();
    let io_weights = &eq_ry[shape.half_columns()..];
    let io_part = io_weights[0] + public.iter().zip(&io_weights[1..]).map(|(x, w)| *x * w).sum::<Fr>();
    let (a, beta_n) = relation(&r_y, INNER_DEGREE, beta_inner);
    let cx: G1Projective = inner.round_commitments.iter().map(|c| G1Projective::from(*c)).sum();
    let claim = G1Projective::from(claims[0]) * batch[0] + G1Projective::from(claims[1]) * batch[1] + claims[2] * batch[2];
    let z_eval = G1Projective::from(witness_eval) * (Fr::ONE - r_y[0]) + value_generator() * io_part;
    let cy = claim - z_eval * (m_eval * beta_n);
    let inner_relation = simulate::dot_product(&message_generators(a.len()), cx, cy, &a, c_inner, rng);

    let proof =
        Proof { witness_commitment, outer, outer_claims, product, outer_relation, inner, witness_eval, opening, inner_relation };
    (proof, challenges)
}

#[test]
fn simulated_transcripts_are_accepted_with_programmed_challenges() {
    let mut rng = StdRng::seed_from_u64(11);
    for seed in 0..4 {
        let inst = random_instance(seed, 20 + 7 * seed as usize, 3, 24 + 9 * seed as usize, Values::Small);
        let (_, vk) = preprocess(inst.r1cs, None).unwrap();
        let (proof, challenges) = simulate_proof(&vk, &inst.public, &mut rng);
        // The simulated proof has the real format and is accepted.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(verify_with(&vk, &inst.public, &decoded, Programmed(challenges.clone().into())), Ok(()));
        // ... for any public values: the simulator never used a witness.
        let mut other = inst.public.clone();
        other[0] += Fr::ONE;
        let (proof, challenges) = simulate_proof(&vk, &other, &mut rng);
        assert_eq!(verify_with(&vk, &other, &proof, Programmed(challenges.into())), Ok(()));
        // With the real (hash-derived) challenges, a simulated proof is rejected.
        assert!(verify(&vk, &inst.public, &decoded).is_err());
    }
}

#[test]
fn two_proofs_of_the_same_statement_differ_everywhere() {
    let inst = random_instance(5, 20, 3, 24, Values::Small);
    let (pk, vk) = preprocess(inst.r1cs, None).unwrap();
    let a = prove(&pk, &inst.public, &inst.witness).unwrap();
    let b = prove(&pk, &inst.public, &inst.witness).unwrap();
    assert_eq!(verify(&vk, &inst.public, &a), Ok(()));
    assert_eq!(verify(&vk, &inst.public, &b), Ok(()));
    assert_ne!(a, b);
    // Every nonzero row commitment is re-randomized.
    for (x, y) in a.witness_commitment.row_commitments.iter().zip(&b.witness_commitment.row_commitments) {
        assert_ne!(x, y);
    }
    let (ab, bb) = (a.to_bytes(), b.to_bytes());
    assert_eq!(ab.len(), bb.len());
    // The same seed gives the same proof (the golden-vector path).
    let seeded = |seed| prove_with_rng(&pk, &inst.public, &inst.witness, &mut StdRng::seed_from_u64(seed)).unwrap();
    assert_eq!(seeded(1), seeded(1));
    assert_ne!(seeded(1), seeded(2));
}
