//! The Spartan verifier. Never panics: every length is checked before use.

use super::data_structures::{Proof, INNER_DEGREE, OUTER_DEGREE};
use super::{bind_statement, labels, VerifyingKey, PROTOCOL_LABEL};
use crate::error::{SumcheckKind, VerifyError};
use crate::parallel::join;
use crate::pcs::generators::value_generator;
use crate::poly::{eq_eval, eq_table, sparse};
use crate::sumcheck;
use crate::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Projective};
use ark_ff::Field;

/// Verifies `proof` for the statement "some witness completes `public` to a
/// satisfying assignment of `vk`'s R1CS". Returns the first failed check.
pub fn verify(vk: &VerifyingKey, public: &[Fr], proof: &Proof) -> Result<(), VerifyError> {
    verify_with(vk, public, proof, Transcript::new(PROTOCOL_LABEL))
}

/// [`verify`] driving any [`FiatShamir`] implementation: the zero-knowledge tests
/// run the verifier with programmed challenges against the simulator.
pub(crate) fn verify_with<T: FiatShamir + Send>(
    vk: &VerifyingKey,
    public: &[Fr],
    proof: &Proof,
    mut transcript: T,
) -> Result<(), VerifyError> {
    let data = &vk.data;
    let shape = data.shape;
    if public.len() != shape.num_public {
        return Err(VerifyError::PublicInputLength { expected: shape.num_public, got: public.len() });
    }
    let (r1cs, hyrax) = (&data.r1cs, &data.hyrax);

    // Step 0: the statement, exactly as the prover bound it.
    bind_statement(&mut transcript, data, public);

    // Step 1: the witness commitment.
    let num_rows = proof.witness_commitment.row_commitments.len();
    if num_rows != hyrax.num_rows() {
        return Err(VerifyError::Malformed { what: "witness commitment", expected: hyrax.num_rows(), got: num_rows });
    }
    transcript.append_points(labels::WITNESS_COMMITMENT, &proof.witness_commitment.row_commitments);

    // Step 2: sumcheck #1's committed rounds.
    let tau = transcript.challenge_vector(labels::TAU, shape.row_vars);
    let r_x = sumcheck::verify_rounds(SumcheckKind::Outer, shape.row_vars, &proof.outer, &mut transcript)?;

    // Step 3: V_A, V_B, V_C, V_AB; v_AB = v_A·v_B; the rounds lead from 0 to
    // eq(τ, r_x)·(v_AB − v_C). Then Σ_x eq(τ,x)(Az·Bz − Cz)(x) = 0 for a random τ,
    // i.e. every constraint holds (up to the soundness error), provided the v's are
    // the true evaluations (steps 4–6).
    transcript.append_points(labels::OUTER_CLAIMS, &proof.outer_claims);
    let [v_a, v_b, v_c, v_ab] = proof.outer_claims;
    if !proof.product.verify(v_a, v_b, v_ab, &mut transcript) {
        return Err(VerifyError::ProductProof);
    }
    let outer_final = (G1Projective::from(v_ab) - v_c) * eq_eval(&tau, &r_x);
    if !sumcheck::verify_relation(
        SumcheckKind::Outer,
        OUTER_DEGREE,
        &proof.outer,
        &r_x,
        G1Projective::default(),
        outer_final,
        &proof.outer_relation,
        &mut transcript,
    ) {
        return Err(VerifyError::OuterSumcheckFinal);
    }

    // Step 4: batch the three claims v_k = Σ_y M̃_k(r_x, y)·z̃'(y); sumcheck #2's rounds.
    let batch = transcript.challenge_vector(labels::BATCHING, 3);
    let inner_claim = G1Projective::from(v_a) * batch[0] + G1Projective::from(v_b) * batch[1] + v_c * batch[2];
    let r_y = sumcheck::verify_rounds(SumcheckKind::Inner, shape.witness_vars + 1, &proof.inner, &mut transcript)?;

    // Step 5: V_W commits to w̃(r_y[1..]) (the Hyrax opening), and, independently,
    // M(r_x, r_y) = Σ_k batch_k·M̃_k(r_x, r_y), computed here from the key's matrices
    // in time linear in the nonzeros.
    transcript.append_points(labels::WITNESS_EVAL, &[proof.witness_eval]);
    let (opening, (m_eval, io_part)) = join(
        || hyrax.verify(&proof.witness_commitment, &r_y[1..], proof.witness_eval.into(), &proof.opening, &mut transcript),
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
    opening?;

    // Step 6: the rounds of sumcheck #2 lead from the batched claim to M(r_x, r_y)·z̃'(r_y)
    // with z̃'(r_y) = (1 − r_y[0])·w̃(r_y[1..]) + r_y[0]·(1, io)~(r_y[1..]), committed
    // homomorphically from V_W.
    let z_eval = G1Projective::from(proof.witness_eval) * (Fr::ONE - r_y[0]) + value_generator() * io_part;
    if !sumcheck::verify_relation(
        SumcheckKind::Inner,
        INNER_DEGREE,
        &proof.inner,
        &r_y,
        inner_claim,
        z_eval * m_eval,
        &proof.inner_relation,
        &mut transcript,
    ) {
        return Err(VerifyError::InnerSumcheckFinal);
    }
    Ok(())
}
