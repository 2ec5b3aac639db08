//! Zero-knowledge tests: a simulator that, knowing only the key and the public
//! values but choosing the verifier's challenges, produces accepted proofs
//! (`docs/PROTOCOL-zk.md`, "Simulator"); and fresh randomness in every proof.

use super::data_structures::{mask_block_len, Proof, INNER_DEGREE, OUTER_DEGREE};
use super::tests::common::{random_instance, st, Values};
use super::verifier::{matrix_and_z_evaluations, verify_with};
use super::*;
use crate::snark::error::SumcheckKind;
use crate::snark::pcs::hyrax::HyraxCommitment;
use crate::snark::pedersen::generators::{message_generators, value_generator};
use crate::snark::pedersen::random_scalar;
use crate::snark::poly::{eq_eval, eq_table};
use crate::snark::sigma::simulate;
use crate::snark::sumcheck::{self, SumcheckProof};
use ark_bn254::G1Projective;
use ark_ec::CurveGroup;
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
    crate::snark::pedersen::commit_value(random_scalar(rng), random_scalar(rng)).into_affine()
}

/// The simulator: a proof for `public` built from the key alone, and the
/// challenges (in the verifier's order) it must be checked with.
/// `committed` lists the committed witness indices; their commitments are uniform
/// points like every other commitment.
fn simulate_proof(vk: &VerifyingKey, public: &[Fr], committed: &[usize], rng: &mut StdRng) -> (Proof, Vec<Fr>) {
    let data = &vk.data;
    let shape = data.shape;
    let hyrax = &data.hyrax;
    let (s, m) = (shape.row_vars, shape.witness_vars);
    fn fresh(rng: &mut StdRng, n: usize) -> Vec<Fr> {
        (0..n).map(|_| random_scalar(rng)).collect()
    }
    // Every challenge, drawn first; named in the verifier's order.
    let tau = fresh(rng, s);
    let rho_outer = fresh(rng, 1)[0];
    let r_x = fresh(rng, s);
    let batch = fresh(rng, 3);
    let rho_inner = fresh(rng, 1)[0];
    let r_y = fresh(rng, m + 1);
    let gamma = fresh(rng, 1)[0];
    let mu = fresh(rng, 1)[0];
    // The Σ-proofs' own challenges (w, the rounds', c) are drawn by their simulator.
    let mut challenges: Vec<Fr> = tau
        .iter()
        .chain([&rho_outer])
        .chain(&r_x)
        .chain(&batch)
        .chain([&rho_inner])
        .chain(&r_y)
        .chain([&gamma, &mu])
        .copied()
        .collect();

    // Commitments: uniform points, exactly as hiding commitments are distributed.
    // Clear values — mask sums, round messages (given the round relations, which
    // the compact form builds in), v_A, v_B, v_C, v_W — uniform scalars.
    let witness_commitment =
        HyraxCommitment { row_commitments: (0..hyrax.num_rows()).map(|_| random_point(rng)).collect() };
    let mask_commitment = random_point(rng);
    let outer_mask_sum = fresh(rng, 1)[0];
    let outer = SumcheckProof { rounds: (0..s).map(|_| fresh(rng, OUTER_DEGREE)).collect() };
    let outer_claims = [fresh(rng, 1)[0], fresh(rng, 1)[0], fresh(rng, 1)[0]];
    let inner_mask_sum = fresh(rng, 1)[0];
    let inner = SumcheckProof { rounds: (0..m + 1).map(|_| fresh(rng, INNER_DEGREE)).collect() };
    let witness_eval = fresh(rng, 1)[0];

    // The claimed inner product the verifier will derive (public data only) ...
    let replay = |kind, claim, n, degree, proof: &SumcheckProof, point: &[Fr]| {
        sumcheck::verify(kind, claim, n, degree, proof, &mut Programmed(point.to_vec().into())).unwrap().0
    };
    let outer_final = replay(SumcheckKind::Outer, rho_outer * outer_mask_sum, s, OUTER_DEGREE, &outer, &r_x);
    let [v_a, v_b, v_c] = outer_claims;
    let inner_claim = batch[0] * v_a + batch[1] * v_b + batch[2] * v_c + rho_inner * inner_mask_sum;
    let inner_final = replay(SumcheckKind::Inner, inner_claim, m + 1, INNER_DEGREE, &inner, &r_y);
    let (m_eval, z_eval) = matrix_and_z_evaluations(vk, public, &batch, &r_x, &r_y, witness_eval);
    let outer_mask_value = outer_final - eq_eval(&tau, &r_x) * (v_a * v_b - v_c);
    let inner_mask_value = inner_final - m_eval * z_eval;
    let claimed =
        evaluation_claim(witness_eval, [outer_mask_value, outer_mask_sum, inner_mask_value, inner_mask_sum], gamma, mu);

    // ... and the dot-product proof's simulator for that statement.
    let (r_row, r_col) = r_y[1..].split_at(hyrax.row_vars());
    let argument = data.profile.argument();
    let mask_block = mask_block_len(argument, s, m);
    let weights = evaluation_weights(&eq_table(r_col), &r_x, &r_y, [rho_outer, rho_inner, gamma], mask_block);
    assert_eq!(weights.len(), hyrax.row_len() + mask_block);
    let rows = simulate::combine(&hyrax.combination(&witness_commitment, r_row).unwrap());
    let gens = message_generators(weights.len());
    let (row_gens, mask_gens) = gens[..weights.len()].split_at(hyrax.row_len());
    let segments = [(row_gens, rows), (mask_gens, G1Projective::from(mask_commitment) * mu)];
    let (evaluation, sigma_challenges) =
        simulate::opening(argument, &segments, G1Projective::from(value_generator()) * claimed, &weights, rng);
    challenges.extend(sigma_challenges);

    // Link proofs: per Hyrax row holding committed values, the simulator of the
    // dot-product proof for (row commitment, Σ_t γ^t·C_t) with a programmed γ.
    let row_len = hyrax.row_len();
    let value_commitments: Vec<G1Affine> = committed.iter().map(|_| random_point(rng)).collect();
    let links = link_rows(committed, row_len)
        .map(|(row, range)| {
            let gamma = fresh(rng, 1)[0];
            challenges.push(gamma);
            let (a, powers) = link_weights(&committed[range.clone()], row_len, gamma);
            let cy = simulate::combine(&value_commitments[range].iter().copied().zip(powers).collect());
            let cx = witness_commitment.row_commitments[row].into();
            let (link, sigma_challenges) = simulate::opening(argument, &[(row_gens, cx)], cy, &a, rng);
            challenges.extend(sigma_challenges);
            link
        })
        .collect();

    let proof = Proof {
        witness_commitment,
        mask_commitment,
        value_commitments,
        outer_mask_sum,
        outer,
        outer_claims,
        inner_mask_sum,
        inner,
        witness_eval,
        evaluation,
        links,
    };
    (proof, challenges)
}

#[test]
fn simulated_transcripts_are_accepted_with_programmed_challenges() {
    let mut rng = StdRng::seed_from_u64(11);
    for (seed, profile) in (0..4).flat_map(|seed| Profile::ALL.map(|profile| (seed, profile))) {
        let inst = random_instance(seed, 20 + 7 * seed as usize, 3, 24 + 9 * seed as usize, Values::Small);
        let (_, vk) = preprocess(inst.r1cs, profile, None).unwrap();
        // Committed values too (from seed 2 on), in one or two Hyrax rows.
        let row_len = vk.data.hyrax.row_len();
        let committed: Vec<usize> = match seed {
            0 | 1 => vec![],
            2 => vec![1, 2],
            _ => vec![0, row_len + 1],
        };
        let statement = Statement { public: &inst.public, committed: &committed, context: &[] };
        let (proof, challenges) = simulate_proof(&vk, &inst.public, &committed, &mut rng);
        assert_eq!(proof.links.len(), committed.len().min(if seed == 2 { 1 } else { 2 }));
        // The simulated proof has the real format and is accepted.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        assert_eq!(verify_with(&vk, statement, &decoded, Programmed(challenges.clone().into()), &mut |_| {}), Ok(()));
        // ... for any public values: the simulator never used a witness.
        let mut other = inst.public.clone();
        other[0] += Fr::ONE;
        let (proof, challenges) = simulate_proof(&vk, &other, &committed, &mut rng);
        let other_statement = Statement { public: &other, committed: &committed, context: &[] };
        assert_eq!(verify_with(&vk, other_statement, &proof, Programmed(challenges.into()), &mut |_| {}), Ok(()));
        // With the real (hash-derived) challenges, a simulated proof is rejected.
        assert!(verify(&vk, statement, &decoded).is_err());
    }
}

#[test]
fn two_proofs_of_the_same_statement_differ_everywhere() {
    let inst = random_instance(5, 20, 3, 24, Values::Small);
    let (pk, vk) = preprocess(inst.r1cs, Profile::Small, None).unwrap();
    let a = prove(&pk, st(&inst.public), &inst.witness, &[]).unwrap();
    let b = prove(&pk, st(&inst.public), &inst.witness, &[]).unwrap();
    assert_eq!(verify(&vk, st(&inst.public), &a), Ok(()));
    assert_eq!(verify(&vk, st(&inst.public), &b), Ok(()));
    assert_ne!(a, b);
    // Every row commitment is re-randomized.
    for (x, y) in a.witness_commitment.row_commitments.iter().zip(&b.witness_commitment.row_commitments) {
        assert_ne!(x, y);
    }
    // The values sent in the clear are re-randomized too: the masked rounds, and the
    // evaluations the blinding gadget masks.
    for (x, y) in a.outer.rounds.iter().flatten().zip(b.outer.rounds.iter().flatten()) {
        assert_ne!(x, y);
    }
    for (x, y) in a.inner.rounds.iter().flatten().zip(b.inner.rounds.iter().flatten()) {
        assert_ne!(x, y);
    }
    for (x, y) in a.outer_claims.iter().zip(&b.outer_claims) {
        assert_ne!(x, y);
    }
    assert_ne!(a.witness_eval, b.witness_eval);
    let (ab, bb) = (a.to_bytes(), b.to_bytes());
    assert_eq!(ab.len(), bb.len());
    // The same seed gives the same proof (the golden-vector path).
    let seeded =
        |seed| prove_with_rng(&pk, st(&inst.public), &inst.witness, &[], &mut StdRng::seed_from_u64(seed)).unwrap();
    assert_eq!(seeded(1), seeded(1));
    assert_ne!(seeded(1), seeded(2));
}
