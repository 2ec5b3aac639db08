//! The zero-knowledge Spartan prover (feature `prover`).

use super::blinding;
use super::data_structures::{mask_len, Proof, INNER_DEGREE, OUTER_DEGREE};
use super::{bind_statement, labels, ProvingKey, Statement, PROTOCOL_LABEL};
use crate::error::ProveError;
use crate::pcs::generators::message_generators;
use crate::poly::mask::MaskPolynomial;
use crate::poly::{eq_table, sparse};
use crate::sigma::{commit_value, commit_vector, random_scalar, Block, DotProductProof};
use crate::sumcheck::{self, Masking};
use crate::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{CryptoRng, RngCore};

/// Proves that `witness` completes `statement.public` to a satisfying assignment of
/// the key's R1CS, in zero knowledge, exposing `w_j·V + blinds[t]·H` for the `t`-th
/// committed index `j`. Blinds, masks and the blinding gadget's values come from a
/// ChaCha CSPRNG seeded with 32 fresh bytes of the operating system's RNG for this
/// proof (one system call instead of one per scalar).
///
/// Fails without producing a proof if the lengths are wrong or a constraint is violated.
pub fn prove(pk: &ProvingKey, statement: Statement<'_>, witness: &[Fr], blinds: &[Fr]) -> Result<Proof, ProveError> {
    prove_with_rng(pk, statement, witness, blinds, &mut os_seeded_rng())
}

/// A CSPRNG freshly seeded from the OS RNG (panics only if the OS has no RNG).
pub(crate) fn os_seeded_rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::from_rng(rand::rngs::OsRng).expect("the operating system RNG is available")
}

/// [`prove`] with the caller's randomness. Every blind, mask and gadget value is
/// drawn from `rng`, so the proof is zero-knowledge only if `rng` is a secure RNG
/// with fresh state; a seeded RNG gives reproducible proofs (golden vectors, tests).
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    rng: &mut R,
) -> Result<Proof, ProveError> {
    let shape = pk.vk.data.shape;
    if statement.public.len() != shape.num_public {
        return Err(ProveError::PublicInputLength { expected: shape.num_public, got: statement.public.len() });
    }
    let num_witness = pk.vk.num_witness();
    if witness.len() != num_witness {
        return Err(ProveError::WitnessLength { expected: num_witness, got: witness.len() });
    }
    statement.check_committed(num_witness).map_err(|index| ProveError::CommittedIndex { index, num_witness })?;
    if blinds.len() != statement.committed.len() {
        return Err(ProveError::BlindsLength { expected: statement.committed.len(), got: blinds.len() });
    }
    prove_unchecked(pk, statement, witness, blinds, true, None, rng)
}

/// The prover proper. With `check_satisfied = false` it runs the honest algorithm
/// on any assignment of the right lengths, and with `claimed_values` it commits to
/// those instead of the committed witness entries: the tests use both as cheating
/// provers.
pub(crate) fn prove_unchecked<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    check_satisfied: bool,
    claimed_values: Option<&[Fr]>,
    rng: &mut R,
) -> Result<Proof, ProveError> {
    let data = &pk.vk.data;
    let shape = data.shape;
    let (r1cs, hyrax) = (&data.r1cs, &data.hyrax);
    let col_map = shape.col_map();
    let half = shape.half_columns();
    let (s, m) = (shape.row_vars, shape.witness_vars);

    // The witness with the blinding gadget's fresh values: w ‖ u_0..u_3.
    let mut witness = witness.to_vec();
    witness.extend(blinding::values(rng));

    // z' = (w, 0…0 ‖ 1, io, 0…0).
    let mut z = vec![Fr::ZERO; 2 * half];
    z[..witness.len()].copy_from_slice(&witness);
    z[half] = Fr::ONE;
    z[half + 1..half + 1 + statement.public.len()].copy_from_slice(statement.public);

    // Az, Bz, Cz over the 2^s padded rows.
    let rows = 1 << s;
    let az = sparse::mul_vec(&r1cs.a.entries, &z, rows, col_map);
    let bz = sparse::mul_vec(&r1cs.b.entries, &z, rows, col_map);
    let cz = sparse::mul_vec(&r1cs.c.entries, &z, rows, col_map);
    if check_satisfied {
        if let Some(row) = (0..shape.num_constraints).find(|&i| az[i] * bz[i] != cz[i]) {
            return Err(ProveError::Unsatisfied { row });
        }
    }

    // Step 0: bind the statement, including the commitments to the committed values.
    let values: Vec<Fr> = match claimed_values {
        Some(values) => values.to_vec(),
        None => statement.committed.iter().map(|&j| witness[j]).collect(),
    };
    let value_commitments = G1Projective::normalize_batch(
        &values.iter().zip(blinds).map(|(v, b)| commit_value(*v, *b)).collect::<Vec<_>>(),
    );
    let mut transcript = Transcript::new(PROTOCOL_LABEL);
    bind_statement(&mut transcript, data, statement, &value_commitments);

    // Step 1: hiding commitments to the witness (one uniform blind per row) and to
    // the two sumcheck masks, p₁ ‖ p₂, on the mask generators (after the rows' ones).
    let row_blinds: Vec<Fr> = (0..hyrax.num_rows()).map(|_| random_scalar(rng)).collect();
    let witness_commitment = hyrax.commit(&witness, &row_blinds);
    let outer_mask = MaskPolynomial::random(s, OUTER_DEGREE, rng);
    let inner_mask = MaskPolynomial::random(m + 1, INNER_DEGREE, rng);
    let mask_coeffs: Vec<Fr> = outer_mask.coeffs().iter().chain(inner_mask.coeffs()).copied().collect();
    let row_len = hyrax.row_len();
    let gens = message_generators(row_len + mask_len(s, m));
    let mask_blind = random_scalar(rng);
    let mask_commitment = commit_vector(&gens[row_len..], &mask_coeffs, mask_blind).into_affine();
    transcript.append_points(labels::WITNESS_COMMITMENT, &witness_commitment.row_commitments);
    transcript.append_points(labels::MASK_COMMITMENT, &[mask_commitment]);

    // Step 2: τ; S₁ = Σ p₁; ρ₁; masked sumcheck #1 on Σ_x eq(τ,x)·(Az·Bz − Cz)(x) + ρ₁·p₁(x) = ρ₁·S₁.
    let tau = transcript.challenge_vector(labels::TAU, s);
    let outer_mask_sum = outer_mask.hypercube_sum();
    transcript.append_scalars(labels::OUTER_MASK_SUM, &[outer_mask_sum]);
    let rho_outer = transcript.challenge_scalar(labels::OUTER_MASK_CHALLENGE);
    let (outer, r_x, outer_claims) = sumcheck::prove_outer(
        eq_table(&tau),
        az,
        bz,
        cz,
        Masking { mask: &outer_mask, rho: rho_outer },
        &mut transcript,
    );

    // Step 3: send v_A, v_B, v_C (uniform thanks to the blinding gadget); batch them.
    transcript.append_scalars(labels::OUTER_CLAIMS, &outer_claims);
    let batch = transcript.challenge_vector(labels::BATCHING, 3);

    // Step 4: S₂; ρ₂; masked sumcheck #2 on Σ_y M(y)·z'(y) + ρ₂·p₂(y), M = Σ_k batch_k·M̃_k(r_x, ·).
    let eq_rx = eq_table(&r_x);
    let mut m_table = vec![Fr::ZERO; 2 * half];
    for (matrix, coeff) in [&r1cs.a, &r1cs.b, &r1cs.c].into_iter().zip(&batch) {
        sparse::add_row_combination(&matrix.entries, &eq_rx, *coeff, &mut m_table, col_map);
    }
    let inner_mask_sum = inner_mask.hypercube_sum();
    transcript.append_scalars(labels::INNER_MASK_SUM, &[inner_mask_sum]);
    let rho_inner = transcript.challenge_scalar(labels::INNER_MASK_CHALLENGE);
    let (inner, r_y, _) =
        sumcheck::prove_inner(m_table, z, Masking { mask: &inner_mask, rho: rho_inner }, &mut transcript);

    // Step 5: send v_W = w̃(r_y[1..]) (uniform thanks to u_3).
    let opening = hyrax.open(&witness, &row_blinds, &r_y[1..]);
    transcript.append_scalars(labels::WITNESS_EVAL, &[opening.value]);

    // Step 6: one dot-product proof for all final checks: the vector (u ‖ p₁ ‖ p₂)
    // against the verifier's batched weights, u in Σ_i eq(r_row,i)·C_i on the row
    // generators and p₁ ‖ p₂ in C_p on the mask generators, each block opened alone.
    let gamma = transcript.challenge_scalar(labels::EVALUATION_BATCHING);
    let weights = super::evaluation_weights(&opening.col_weights, &r_x, &r_y, rho_outer, rho_inner, gamma);
    let (row_gens, mask_gens) = gens[..row_len + mask_coeffs.len()].split_at(row_len);
    let blocks = [
        Block { gens: row_gens, x: &opening.combined_row, blind: opening.combined_blind },
        Block { gens: mask_gens, x: &mask_coeffs, blind: mask_blind },
    ];
    let evaluation = DotProductProof::prove(&blocks, &weights, Fr::ZERO, &mut transcript, rng);

    // Step 7: per Hyrax row holding committed values, a dot-product proof that the
    // row's entries at those columns are the committed values.
    let links = super::link_rows(statement.committed, row_len)
        .map(|(row, range)| {
            let gamma = transcript.challenge_scalar(labels::LINK_BATCHING);
            let (a, powers) = super::link_weights(&statement.committed[range.clone()], row_len, gamma);
            let start = (row * row_len).min(witness.len());
            let mut row_values = witness[start..(start + row_len).min(witness.len())].to_vec();
            row_values.resize(row_len, Fr::ZERO);
            let blind_y: Fr = blinds[range].iter().zip(&powers).map(|(b, p)| *b * p).sum();
            let block = [Block { gens: row_gens, x: &row_values, blind: row_blinds[row] }];
            DotProductProof::prove(&block, &a, blind_y, &mut transcript, rng)
        })
        .collect();

    Ok(Proof {
        witness_commitment,
        mask_commitment,
        value_commitments,
        outer_mask_sum,
        outer,
        outer_claims,
        inner_mask_sum,
        inner,
        witness_eval: opening.value,
        evaluation,
        links,
    })
}
