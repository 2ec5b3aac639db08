//! The Spartan prover (feature `prover`).

use super::data_structures::Proof;
use super::{labels, statement_transcript, ProvingKey};
use crate::error::ProveError;
use crate::poly::{eq_table, sparse};
use crate::sumcheck;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// Proves that `witness` completes `public` to a satisfying assignment of the key's R1CS.
///
/// Fails without producing a proof if the lengths are wrong or a constraint is violated.
/// Deterministic: the Hyrax blinds are zero (not yet zero-knowledge).
pub fn prove(pk: &ProvingKey, public: &[Fr], witness: &[Fr]) -> Result<Proof, ProveError> {
    let shape = pk.vk.data.shape;
    if public.len() != shape.num_public {
        return Err(ProveError::PublicInputLength { expected: shape.num_public, got: public.len() });
    }
    if witness.len() != shape.num_witness {
        return Err(ProveError::WitnessLength { expected: shape.num_witness, got: witness.len() });
    }
    prove_unchecked(pk, public, witness, true)
}

/// The prover proper. With `check_satisfied = false` it runs the honest algorithm
/// on any assignment of the right lengths: the tests use that as a cheating prover.
pub(crate) fn prove_unchecked(
    pk: &ProvingKey,
    public: &[Fr],
    witness: &[Fr],
    check_satisfied: bool,
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

    // Step 1: commit to the witness (Hyrax, blinds zero for now) and absorb the commitment.
    let blinds = vec![Fr::ZERO; hyrax.num_rows()];
    let witness_commitment = hyrax.commit(witness, &blinds);
    transcript.append_points(labels::WITNESS_COMMITMENT, &witness_commitment.row_commitments);

    // Step 2: τ, then sumcheck #1 on Σ_x eq(τ,x)·(Az·Bz − Cz)(x) = 0.
    let tau = transcript.challenge_vector(labels::TAU, shape.row_vars);
    let (outer, r_x, outer_claims) = sumcheck::prove_outer(eq_table(&tau), az, bz, cz, &mut transcript);

    // Step 3: send v_A, v_B, v_C; draw the batching coefficients.
    transcript.append_scalars(labels::OUTER_CLAIMS, &outer_claims);
    let batch = transcript.challenge_vector(labels::BATCHING, 3);

    // Step 4: sumcheck #2 on Σ_y M(y)·z'(y), M = Σ_k batch_k·M̃_k(r_x, ·).
    let eq_rx = eq_table(&r_x);
    let mut m_table = vec![Fr::ZERO; 2 * half];
    for (matrix, coeff) in [&r1cs.a, &r1cs.b, &r1cs.c].into_iter().zip(batch) {
        sparse::add_row_combination(&matrix.entries, &eq_rx, coeff, &mut m_table, col_map);
    }
    let (inner, r_y, _) = sumcheck::prove_inner(m_table, z, &mut transcript);

    // Step 5: open w̃ at r_y[1..] (the verifier computes the (1, io) half itself).
    let (opening, _) = hyrax.open(witness, &blinds, &r_y[1..]);

    Ok(Proof { witness_commitment, outer, outer_claims, inner, opening })
}
