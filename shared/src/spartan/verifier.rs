//! The Spartan verifier. Never panics: every length is checked before use.

use super::data_structures::{Proof, INNER_DEGREE, OUTER_DEGREE};
use super::{labels, statement_transcript, VerifyingKey};
use crate::error::{SumcheckKind, VerifyError};
use crate::parallel::join;
use crate::poly::{eq_eval, eq_table, sparse};
use crate::sumcheck;
use ark_bn254::Fr;
use ark_ff::{Field, Zero};

/// Verifies `proof` for the statement "some witness completes `public` to a
/// satisfying assignment of `vk`'s R1CS". Returns the first failed check.
pub fn verify(vk: &VerifyingKey, public: &[Fr], proof: &Proof) -> Result<(), VerifyError> {
    let data = &vk.data;
    let shape = data.shape;
    if public.len() != shape.num_public {
        return Err(VerifyError::PublicInputLength { expected: shape.num_public, got: public.len() });
    }
    let (r1cs, hyrax) = (&data.r1cs, &data.hyrax);

    // Step 0: the statement, exactly as the prover bound it.
    let mut transcript = statement_transcript(data, public);

    // Step 1: the witness commitment.
    let num_rows = proof.witness_commitment.row_commitments.len();
    if num_rows != hyrax.num_rows() {
        return Err(VerifyError::Malformed { what: "witness commitment", expected: hyrax.num_rows(), got: num_rows });
    }
    transcript.append_points(labels::WITNESS_COMMITMENT, &proof.witness_commitment.row_commitments);

    // Step 2: sumcheck #1, claim 0. Its final claim must equal eq(τ, r_x)·(v_A·v_B − v_C):
    // then Σ_x eq(τ,x)(Az·Bz − Cz)(x) = 0 for a random τ, i.e. every constraint holds
    // (up to the soundness error), provided the v's are the true evaluations (steps 4–5).
    let tau = transcript.challenge_vector(labels::TAU, shape.row_vars);
    let (outer_final, r_x) =
        sumcheck::verify(SumcheckKind::Outer, Fr::zero(), shape.row_vars, OUTER_DEGREE, &proof.outer, &mut transcript)?;
    let [v_a, v_b, v_c] = proof.outer_claims;
    if outer_final != eq_eval(&tau, &r_x) * (v_a * v_b - v_c) {
        return Err(VerifyError::OuterSumcheckFinal);
    }

    // Step 3: batch the three claims v_k = Σ_y M̃_k(r_x, y)·z̃'(y) with random coefficients.
    transcript.append_scalars(labels::OUTER_CLAIMS, &proof.outer_claims);
    let batch = transcript.challenge_vector(labels::BATCHING, 3);
    let inner_claim = batch[0] * v_a + batch[1] * v_b + batch[2] * v_c;

    // Step 4: sumcheck #2 over the m + 1 column variables.
    let (inner_final, r_y) = sumcheck::verify(
        SumcheckKind::Inner,
        inner_claim,
        shape.witness_vars + 1,
        INNER_DEGREE,
        &proof.inner,
        &mut transcript,
    )?;

    // Step 5: w̃(r_y[1..]) from the Hyrax opening (checked against the commitment), and
    // Step 6's matrix evaluation M(r_x, r_y) = Σ_k batch_k·M̃_k(r_x, r_y), computed here from
    // the key's matrices in time linear in the nonzeros. The two are independent.
    let (opening, matrices) = join(
        || hyrax.verify(&proof.witness_commitment, &r_y[1..], &proof.opening),
        || {
            let eq_rx = eq_table(&r_x);
            let eq_ry = eq_table(&r_y);
            let col_map = shape.col_map();
            let m_eval: Fr = [&r1cs.a, &r1cs.b, &r1cs.c]
                .into_iter()
                .zip(&batch)
                .map(|(matrix, coeff)| *coeff * sparse::bilinear(&matrix.entries, &eq_rx, &eq_ry, col_map))
                .sum();
            // eq_ry[2^m + k] = r_y[0]·eq(r_y[1..], k), so this sum is r_y[0]·(1, io)~(r_y[1..]).
            let io_weights = &eq_ry[shape.half_columns()..];
            let io_part = io_weights[0] + public.iter().zip(&io_weights[1..]).map(|(x, w)| *x * w).sum::<Fr>();
            (m_eval, io_part)
        },
    );
    let w_eval = opening?;
    let (m_eval, io_part) = matrices;

    // Step 6: the final claim must be M(r_x, r_y)·z̃'(r_y) with
    // z̃'(r_y) = (1 − r_y[0])·w̃(r_y[1..]) + r_y[0]·(1, io)~(r_y[1..]).
    let z_eval = (Fr::ONE - r_y[0]) * w_eval + io_part;
    if inner_final != m_eval * z_eval {
        return Err(VerifyError::InnerSumcheckFinal);
    }
    Ok(())
}

