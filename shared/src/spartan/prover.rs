//! The zero-knowledge Spartan prover (feature `prover`).

use super::data_structures::{Proof, INNER_DEGREE, OUTER_DEGREE};
use super::{labels, statement_transcript, ProvingKey};
use crate::error::{ProveError, SumcheckKind};
use crate::poly::{eq_eval, eq_table, sparse};
use crate::sigma::{commit_value, random_scalar, ProductProof};
use crate::sumcheck;
use crate::transcript::FiatShamir;
use ark_bn254::{Fr, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{CryptoRng, RngCore};

/// Proves that `witness` completes `public` to a satisfying assignment of the key's
/// R1CS, in zero knowledge: blinds and masks come from a ChaCha CSPRNG seeded with
/// 32 fresh bytes of the operating system's RNG for this proof (one system call
/// instead of one per scalar).
///
/// Fails without producing a proof if the lengths are wrong or a constraint is violated.
pub fn prove(pk: &ProvingKey, public: &[Fr], witness: &[Fr]) -> Result<Proof, ProveError> {
    prove_with_rng(pk, public, witness, &mut os_seeded_rng())
}

/// A CSPRNG freshly seeded from the OS RNG (panics only if the OS has no RNG).
pub(crate) fn os_seeded_rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::from_rng(rand::rngs::OsRng).expect("the operating system RNG is available")
}

/// [`prove`] with the caller's randomness. Every blind and Σ-protocol mask is drawn
/// from `rng`, so the proof is zero-knowledge only if `rng` is a secure RNG with
/// fresh state; a seeded RNG gives reproducible proofs (golden vectors, tests).
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    public: &[Fr],
    witness: &[Fr],
    rng: &mut R,
) -> Result<Proof, ProveError> {
    let shape = pk.vk.data.shape;
    if public.len() != shape.num_public {
        return Err(ProveError::PublicInputLength { expected: shape.num_public, got: public.len() });
    }
    if witness.len() != shape.num_witness {
        return Err(ProveError::WitnessLength { expected: shape.num_witness, got: witness.len() });
    }
    prove_unchecked(pk, public, witness, true, rng)
}

/// The prover proper. With `check_satisfied = false` it runs the honest algorithm
/// on any assignment of the right lengths: the tests use that as a cheating prover.
pub(crate) fn prove_unchecked<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    public: &[Fr],
    witness: &[Fr],
    check_satisfied: bool,
    rng: &mut R,
) -> Result<Proof, ProveError> {
    let data = &pk.vk.data;
    let shape = data.shape;
    let (r1cs, hyrax) = (&data.r1cs, &data.hyrax);
    let col_map = shape.col_map();
    let half = shape.half_columns();

    // z' = (w, 0…0 ‖ 1, io, 0…0).
    let mut z = vec![Fr::ZERO; 2 * half];
    z[..witness.len()].copy_from_slice(witness);
    z[half] = Fr::ONE;
    z[half + 1..half + 1 + public.len()].copy_from_slice(public);

    // Az, Bz, Cz over the 2^s padded rows.
    let rows = 1 << shape.row_vars;
    let az = sparse::mul_vec(&r1cs.a.entries, &z, rows, col_map);
    let bz = sparse::mul_vec(&r1cs.b.entries, &z, rows, col_map);
    let cz = sparse::mul_vec(&r1cs.c.entries, &z, rows, col_map);
    if check_satisfied {
        if let Some(row) = (0..shape.num_constraints).find(|&i| az[i] * bz[i] != cz[i]) {
            return Err(ProveError::Unsatisfied { row });
        }
    }

    // Step 0: bind the statement (digest, sizes, public values).
    let mut transcript = statement_transcript(data, public);

    // Step 1: hiding commitment to the witness (one uniform blind per row).
    let row_blinds: Vec<Fr> = (0..hyrax.num_rows()).map(|_| random_scalar(rng)).collect();
    let witness_commitment = hyrax.commit(witness, &row_blinds);
    transcript.append_points(labels::WITNESS_COMMITMENT, &witness_commitment.row_commitments);

    // Step 2: τ, then the committed sumcheck #1 on Σ_x eq(τ,x)·(Az·Bz − Cz)(x) = 0.
    let tau = transcript.challenge_vector(labels::TAU, shape.row_vars);
    let (outer, outer_witness, r_x, [v_a, v_b, v_c]) =
        sumcheck::prove_outer(eq_table(&tau), az, bz, cz, &mut transcript, rng);

    // Step 3: commit to v_A, v_B, v_C, v_A·v_B; prove the product; prove the rounds
    // lead from 0 to eq(τ, r_x)·(v_AB − v_C).
    let v_ab = v_a * v_b;
    let claim_blinds: [Fr; 4] = core::array::from_fn(|_| random_scalar(rng));
    let claims = G1Projective::normalize_batch(
        &[v_a, v_b, v_c, v_ab].iter().zip(&claim_blinds).map(|(v, b)| commit_value(*v, *b)).collect::<Vec<_>>(),
    );
    let outer_claims = [claims[0], claims[1], claims[2], claims[3]];
    transcript.append_points(labels::OUTER_CLAIMS, &outer_claims);
    let [rho_a, rho_b, rho_c, rho_ab] = claim_blinds;
    let product = ProductProof::prove(outer_claims[0], (v_a, rho_a), (v_b, rho_b), rho_ab, &mut transcript, rng);
    let eq_tau_rx = eq_eval(&tau, &r_x);
    let outer_relation = outer_witness.prove_relation(
        SumcheckKind::Outer,
        OUTER_DEGREE,
        &r_x,
        (Fr::ZERO, eq_tau_rx * (rho_ab - rho_c)),
        &mut transcript,
        rng,
    );

    // Step 4: batch the three claims; committed sumcheck #2 on Σ_y M(y)·z'(y).
    let batch = transcript.challenge_vector(labels::BATCHING, 3);
    let eq_rx = eq_table(&r_x);
    let mut m_table = vec![Fr::ZERO; 2 * half];
    for (matrix, coeff) in [&r1cs.a, &r1cs.b, &r1cs.c].into_iter().zip(&batch) {
        sparse::add_row_combination(&matrix.entries, &eq_rx, *coeff, &mut m_table, col_map);
    }
    let inner_claim = batch[0] * v_a + batch[1] * v_b + batch[2] * v_c;
    let inner_claim_blind = batch[0] * rho_a + batch[1] * rho_b + batch[2] * rho_c;
    let (inner, inner_witness, r_y, [m_eval, _]) =
        sumcheck::prove_inner(m_table, z, inner_claim, &mut transcript, rng);

    // Step 5: commit to w̃(r_y[1..]) and prove it with the zero-knowledge Hyrax opening.
    let opening_state = hyrax.open(witness, &row_blinds, &r_y[1..]);
    let rho_w = random_scalar(rng);
    let witness_eval = commit_value(opening_state.value, rho_w).into_affine();
    transcript.append_points(labels::WITNESS_EVAL, &[witness_eval]);
    let opening = opening_state.prove(hyrax, rho_w, &mut transcript, rng);

    // Step 6: the rounds of sumcheck #2 lead from the batched claim to
    // M(r_x,r_y)·((1 − r_y[0])·w̃(r_y[1..]) + r_y[0]·(1, io)~(r_y[1..])), whose blind is
    // M·(1 − r_y[0])·ρ_W (the public part has none).
    let final_blind = m_eval * (Fr::ONE - r_y[0]) * rho_w;
    let inner_relation = inner_witness.prove_relation(
        SumcheckKind::Inner,
        INNER_DEGREE,
        &r_y,
        (inner_claim_blind, final_blind),
        &mut transcript,
        rng,
    );

    Ok(Proof { witness_commitment, outer, outer_claims, product, outer_relation, inner, witness_eval, opening, inner_relation })
}
