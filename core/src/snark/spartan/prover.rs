//! The zero-knowledge Spartan prover (feature `prover`).

use super::data_structures::{mask_block_len, Proof};
use super::precompute::Precomputed;
use super::{bind_statement, labels, ProvingKey, Statement, PROTOCOL_LABEL};
use crate::snark::error::{ProveError, SumcheckKind};
use crate::snark::parallel::on_halves;
use crate::snark::pedersen::generators::message_generators;
use crate::snark::pedersen::{blinding_terms, commit_value, commit_vector};
use crate::snark::poly::{eq_table_prefix, sparse};
use crate::snark::sigma::{Argument, Opening, Segment};
use crate::snark::sumcheck::{self, Masking};
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::{AdditiveGroup, Field};
use ark_std::rand::{CryptoRng, RngCore};
use core::ops::Range;

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
    check_lengths(pk, statement, witness, blinds)?;
    prove_with_adversary(pk, statement, witness, blinds, &mut Honest, &mut Transcript::new(PROTOCOL_LABEL), rng)
}

/// [`prove_with_rng`] with the witness-independent part done beforehand
/// ([`Precomputed::new`]), which this consumes: the same proof as [`prove_with_rng`]
/// with the RNG the precomputation drew from. `on_phase` is called as each
/// [`ProvePhase`] ends, in the order of [`ProvePhase::ALL`], so that a caller with a
/// clock can time them.
///
/// Fails, besides [`prove_with_rng`]'s errors, if `precomputed` was made for another
/// key ([`ProveError::PrecomputedKey`]) or another number of link proofs.
pub fn prove_precomputed(
    pk: &ProvingKey,
    precomputed: Precomputed,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    on_phase: &mut impl FnMut(ProvePhase),
) -> Result<Proof, ProveError> {
    check_lengths(pk, statement, witness, blinds)?;
    precomputed.check(pk, super::link_rows(statement.committed, pk.vk.data.hyrax.row_len()).count())?;
    let mut transcript = Transcript::new(PROTOCOL_LABEL);
    prove_from(pk, precomputed, statement, witness, blinds, &mut Honest, &mut transcript, on_phase)
}

/// The length checks of [`prove_with_rng`].
fn check_lengths(pk: &ProvingKey, statement: Statement<'_>, witness: &[Fr], blinds: &[Fr]) -> Result<(), ProveError> {
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
    Ok(())
}

/// A step of the prover (`PROTOCOL-zk.md` §5), as reported by [`prove_precomputed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProvePhase {
    /// `Az`, `Bz`, `Cz` and the check that every constraint holds.
    Assignment,
    /// Steps 0–1: the statement and the value commitments bound, the Hyrax row
    /// commitments (their blinding terms precomputed).
    Commitments,
    /// Steps 2–3: sumcheck #1 and its three claims.
    OuterSumcheck,
    /// Step 4: the combined matrix row `M(r_x, ·)` and sumcheck #2.
    InnerSumcheck,
    /// Step 5: the Hyrax opening and `v_W`.
    Opening,
    /// Step 6: the evaluation dot-product proof.
    EvaluationProof,
    /// Step 7: the link proofs.
    Links,
}

impl ProvePhase {
    /// Every phase, in the order [`prove_precomputed`] reports them.
    pub const ALL: [ProvePhase; 7] = [
        ProvePhase::Assignment,
        ProvePhase::Commitments,
        ProvePhase::OuterSumcheck,
        ProvePhase::InnerSumcheck,
        ProvePhase::Opening,
        ProvePhase::EvaluationProof,
        ProvePhase::Links,
    ];

    /// A short description of the phase.
    pub fn name(self) -> &'static str {
        match self {
            ProvePhase::Assignment => "Az, Bz, Cz and the constraint check",
            ProvePhase::Commitments => "row commitments (steps 0-1)",
            ProvePhase::OuterSumcheck => "sumcheck #1 (steps 2-3)",
            ProvePhase::InnerSumcheck => "sumcheck #2 (step 4)",
            ProvePhase::Opening => "Hyrax opening (step 5)",
            ProvePhase::EvaluationProof => "evaluation proof (step 6)",
            ProvePhase::Links => "link proofs (step 7)",
        }
    }
}

/// Which Σ-proof an [`Adversary::dot_product`] hook is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SigmaStep {
    /// Step 6: the batched evaluation proof, whose mask segment is scaled by `μ`.
    Evaluation { mask_scale: Fr },
    /// Step 7: the link proof of Hyrax row `row`, whose committed values start at
    /// `position` in the statement's committed indices.
    Link { row: usize, position: usize },
}

/// Hooks through which the tests play a cheating prover with the real prover
/// (`adversary_tests`). Each hook sees one prover message just before the transcript
/// absorbs it, and may change it: every later challenge is then derived from the
/// deviated transcript, as for a real cheating prover, and the prover carries on from
/// there. Every method defaults to the honest behaviour; the honest prover passes
/// [`Honest`], for which the hooks compile to nothing.
pub(crate) trait Adversary {
    /// Whether to prove even if the assignment does not satisfy the constraints.
    fn skips_satisfiability_check(&self) -> bool {
        false
    }

    /// Step 0: a statement to bind in the transcript instead of the one the prover
    /// computes with (the public values in `z`, the committed indices of step 7).
    fn bound_statement(&self) -> Option<Statement<'_>> {
        None
    }

    /// Step 0: the values to commit to (initially the witness entries at the
    /// committed indices), each with the caller's blind.
    fn committed_values(&mut self, _values: &mut [Fr]) {}

    /// Step 0: the value commitments, as bound and sent.
    fn value_commitments(&mut self, _commitments: &mut Vec<G1Affine>) {}

    /// Step 1: the vector the Hyrax rows commit to and the link proofs open, if not the
    /// witness (`w ‖ u`, zero-padded). Sumchecks, `v_W` and the step-6 opening still
    /// use the witness.
    fn committed_rows(&mut self, _witness: &[Fr], _row_len: usize, _num_rows: usize) -> Option<Vec<Fr>> {
        None
    }

    /// Step 1: the row blinds `ρ_i` (the commitments, the step-6 opening and the link
    /// proofs use them).
    fn row_blinds(&mut self, _blinds: &mut [Fr]) {}

    /// Step 1: the row commitments, as sent.
    fn row_commitments(&mut self, _rows: &mut Vec<G1Affine>) {}

    /// Step 1: the mask coefficients `p₁ ‖ p₂` that `C_p` commits to and step 6 opens
    /// (the sumchecks and `S₁`, `S₂` use the masks drawn).
    fn mask_coefficients(&mut self, _coefficients: &mut [Fr]) {}

    /// Step 1: the mask commitment `C_p`, as sent.
    fn mask_commitment(&mut self, _commitment: &mut G1Affine) {}

    /// Step 2: `S₁`.
    fn outer_mask_sum(&mut self, _sum: &mut Fr) {}

    /// Steps 2 and 4: round `round` of a sumcheck, `(h(0), h(2), …)`.
    fn sumcheck_round(&mut self, _kind: SumcheckKind, _round: usize, _message: &mut Vec<Fr>) {}

    /// Step 3: `v_A, v_B, v_C`.
    fn outer_claims(&mut self, _claims: &mut [Fr; 3]) {}

    /// Step 4: `S₂`.
    fn inner_mask_sum(&mut self, _sum: &mut Fr) {}

    /// Step 5: `v_W`.
    fn witness_eval(&mut self, _value: &mut Fr) {}

    /// Steps 6 and 7: a Σ-proof to send instead of the honest proof of
    /// `⟨x, a⟩ = y` for `segments` and `C_y = y·V + blind_y·H`. A replacement must
    /// absorb its first messages into `transcript` and draw its challenge as
    /// the honest proof ([`crate::snark::sigma::Prepared::prove`]) does.
    fn dot_product<T: FiatShamir>(
        &mut self,
        _step: SigmaStep,
        _argument: Argument,
        _segments: &[Segment<'_>],
        _a: &[Fr],
        _blind_y: Fr,
        _transcript: &mut T,
    ) -> Option<Opening> {
        None
    }

    /// After the last message: changes that no challenge depends on (lengths, the
    /// last responses).
    fn proof(&mut self, _proof: &mut Proof) {}
}

/// The honest prover: no hook does anything.
pub(crate) struct Honest;

impl Adversary for Honest {}

/// The cheating prover of the older tests (`tests.rs`): the honest algorithm without
/// the satisfiability check (`check_satisfied = false`), committing to
/// `claimed_values` instead of the committed witness entries.
#[cfg(test)]
pub(crate) fn prove_unchecked<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    check_satisfied: bool,
    claimed_values: Option<&[Fr]>,
    rng: &mut R,
) -> Result<Proof, ProveError> {
    struct Unchecked<'a>(bool, Option<&'a [Fr]>);
    impl Adversary for Unchecked<'_> {
        fn skips_satisfiability_check(&self) -> bool {
            !self.0
        }
        fn committed_values(&mut self, values: &mut [Fr]) {
            if let Some(claimed) = self.1 {
                values.copy_from_slice(claimed);
            }
        }
    }
    let mut adversary = Unchecked(check_satisfied, claimed_values);
    prove_with_adversary(pk, statement, witness, blinds, &mut adversary, &mut Transcript::new(PROTOCOL_LABEL), rng)
}

/// The prover proper, on any assignment of the right lengths, with the deviations of
/// `adversary` (the honest prover passes [`Honest`] and a fresh transcript): draws the
/// proof's randomness from `rng` ([`Precomputed`]), then proves.
pub(crate) fn prove_with_adversary<A: Adversary, T: FiatShamir, R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    adversary: &mut A,
    transcript: &mut T,
    rng: &mut R,
) -> Result<Proof, ProveError> {
    let precomputed = Precomputed::new(pk, statement.committed, rng);
    prove_from(pk, precomputed, statement, witness, blinds, adversary, transcript, &mut |_| {})
}

/// [`prove_with_adversary`] with the randomness drawn beforehand (checked against the
/// key by the caller), reporting each [`ProvePhase`] as it ends.
#[allow(clippy::too_many_arguments)]
fn prove_from<A: Adversary, T: FiatShamir>(
    pk: &ProvingKey,
    mut pre: Precomputed,
    statement: Statement<'_>,
    witness: &[Fr],
    blinds: &[Fr],
    adversary: &mut A,
    transcript: &mut T,
    on_phase: &mut impl FnMut(ProvePhase),
) -> Result<Proof, ProveError> {
    let data = &pk.vk.data;
    let shape = data.shape;
    let hyrax = &data.hyrax;
    let half = shape.half_columns();
    let (s, m) = (shape.row_vars, shape.witness_vars);

    // The witness with the blinding gadget's fresh values: w ‖ u_0..u_3 (any values
    // satisfy the gadget).
    let mut witness = witness.to_vec();
    witness.extend_from_slice(&pre.gadget);

    // z' = (w, 0…0 ‖ 1, io, 0…0).
    let mut z = vec![Fr::ZERO; 2 * half];
    z[..witness.len()].copy_from_slice(&witness);
    z[half] = Fr::ONE;
    z[half + 1..half + 1 + statement.public.len()].copy_from_slice(statement.public);

    // Az, Bz, Cz over the 2^s padded rows.
    let rows = 1 << s;
    let [az, bz, cz] = data.matrices.each_ref().map(|m| m.mul_vec(&z, rows));
    if !adversary.skips_satisfiability_check() {
        // The first row that does not hold, checked in two halves (`parallel`) if many.
        let unsatisfied = |rows: Range<usize>| rows.into_iter().find(|&i| az[i] * bz[i] != cz[i]);
        let (first, second) = on_halves(shape.num_constraints, 1 << 13, unsatisfied);
        if let Some(row) = first.or(second) {
            return Err(ProveError::Unsatisfied { row });
        }
    }
    on_phase(ProvePhase::Assignment);

    // Step 0: bind the statement, including the commitments to the committed values.
    let mut values: Vec<Fr> = statement.committed.iter().map(|&j| witness[j]).collect();
    adversary.committed_values(&mut values);
    let mut value_commitments = G1Projective::normalize_batch(
        &values.iter().zip(blinds).map(|(v, b)| commit_value(*v, *b)).collect::<Vec<_>>(),
    );
    adversary.value_commitments(&mut value_commitments);
    match adversary.bound_statement() {
        Some(bound) => bind_statement(transcript, data, bound, &value_commitments),
        None => bind_statement(transcript, data, statement, &value_commitments),
    }

    // Step 1: hiding commitments to the witness (one uniform blind per row) and to
    // the two sumcheck masks, p₁ ‖ p₂, on the mask generators (after the rows' ones).
    // The blinds' terms ρ_i·H and C_p are precomputed; a deviated blind or mask is
    // committed anew.
    let row_len = hyrax.row_len();
    let mut row_blinds = pre.row_blinds.clone();
    adversary.row_blinds(&mut row_blinds);
    if row_blinds != pre.row_blinds {
        pre.row_blind_terms = blinding_terms(&row_blinds);
    }
    let deviated_rows = adversary.committed_rows(&witness, row_len, hyrax.num_rows());
    let committed_rows = deviated_rows.as_deref().unwrap_or(&witness);
    let mut witness_commitment = hyrax.commit_with_blind_terms(committed_rows, &pre.row_blind_terms);
    adversary.row_commitments(&mut witness_commitment.row_commitments);
    let (outer_mask, inner_mask) = (&pre.outer_mask, &pre.inner_mask);
    let mut drawn_coeffs: Vec<Fr> = outer_mask.coeffs().iter().chain(inner_mask.coeffs()).copied().collect();
    let mut mask_coeffs = drawn_coeffs.clone();
    adversary.mask_coefficients(&mut mask_coeffs);
    let argument = data.profile.argument();
    let mask_block = mask_block_len(argument, s, m);
    let gens = message_generators(row_len + mask_block);
    let mask_blind = pre.mask_blind;
    let mut mask_commitment = if mask_coeffs == drawn_coeffs {
        pre.mask_commitment
    } else {
        commit_vector(&gens[row_len..], &mask_coeffs, mask_blind).into_affine()
    };
    adversary.mask_commitment(&mut mask_commitment);
    transcript.append_points(labels::WITNESS_COMMITMENT, &witness_commitment.row_commitments);
    transcript.append_points(labels::MASK_COMMITMENT, &[mask_commitment]);
    on_phase(ProvePhase::Commitments);

    // Step 2: τ; S₁ = Σ p₁; ρ₁; masked sumcheck #1 on Σ_x eq(τ,x)·(Az·Bz − Cz)(x) + ρ₁·p₁(x) = ρ₁·S₁.
    let tau = transcript.challenge_vector(labels::TAU, s);
    let mut outer_mask_sum = outer_mask.hypercube_sum();
    adversary.outer_mask_sum(&mut outer_mask_sum);
    transcript.append_scalars(labels::OUTER_MASK_SUM, &[outer_mask_sum]);
    let rho_outer = transcript.challenge_scalar(labels::OUTER_MASK_CHALLENGE);
    let (outer, r_x, mut outer_claims) = sumcheck::prove_outer_with_hook(
        &tau,
        az,
        bz,
        cz,
        !adversary.skips_satisfiability_check(),
        Masking { mask: outer_mask, rho: rho_outer },
        transcript,
        |round, message| adversary.sumcheck_round(SumcheckKind::Outer, round, message),
    );

    // Step 3: send v_A, v_B, v_C (uniform thanks to the blinding gadget); batch them.
    adversary.outer_claims(&mut outer_claims);
    transcript.append_scalars(labels::OUTER_CLAIMS, &outer_claims);
    let batch = transcript.challenge_vector(labels::BATCHING, 3);
    on_phase(ProvePhase::OuterSumcheck);

    // Step 4: S₂; ρ₂; masked sumcheck #2 on Σ_y M(y)·z'(y) + ρ₂·p₂(y), M = Σ_k batch_k·M̃_k(r_x, ·).
    // The matrices have no entries in the padding rows (`preprocess`).
    let eq_rx = eq_table_prefix(&r_x, shape.num_constraints);
    let [a, b, c] = &data.matrices;
    let m_table = sparse::row_combination(&[(a, batch[0]), (b, batch[1]), (c, batch[2])], &eq_rx, 2 * half);
    let mut inner_mask_sum = inner_mask.hypercube_sum();
    adversary.inner_mask_sum(&mut inner_mask_sum);
    transcript.append_scalars(labels::INNER_MASK_SUM, &[inner_mask_sum]);
    let rho_inner = transcript.challenge_scalar(labels::INNER_MASK_CHALLENGE);
    let (inner, r_y, _) = sumcheck::prove_inner_with_hook(
        m_table,
        z,
        Masking { mask: inner_mask, rho: rho_inner },
        transcript,
        |round, message| adversary.sumcheck_round(SumcheckKind::Inner, round, message),
    );

    on_phase(ProvePhase::InnerSumcheck);

    // Step 5: send v_W = w̃(r_y[1..]) (uniform thanks to u_3).
    let opening = hyrax.open(&witness, &row_blinds, &r_y[1..]);
    let mut witness_eval = opening.value;
    adversary.witness_eval(&mut witness_eval);
    transcript.append_scalars(labels::WITNESS_EVAL, &[witness_eval]);
    on_phase(ProvePhase::Opening);

    // Step 6: one dot-product proof for all final checks, on the vector (u ‖ μ·p̄) for
    // p̄ = p₁ ‖ p₂ ‖ 0…0: u in Σ_i eq(r_row,i)·C_i on the row generators, μ·p̄ in μ·C_p
    // on the mask generators, two segments of one argument (the key's).
    let gamma = transcript.challenge_scalar(labels::EVALUATION_BATCHING);
    let mu = transcript.challenge_scalar(labels::MASK_SCALE);
    let challenges = [rho_outer, rho_inner, gamma];
    let weights = super::evaluation_weights(&opening.col_weights, &r_x, &r_y, challenges, mask_block);
    let (row_gens, mask_gens) = gens[..weights.len()].split_at(row_len);
    // The mask segment, padded with zeros to its block (the same commitment C_p), scaled by μ.
    let mut scaled_mask: Vec<Fr> = mask_coeffs.iter().map(|c| mu * c).collect();
    scaled_mask.resize(mask_gens.len(), Fr::ZERO);
    let segments = [
        Segment { gens: row_gens, x: &opening.combined_row, blind: opening.combined_blind },
        Segment { gens: mask_gens, x: &scaled_mask, blind: mu * mask_blind },
    ];
    let evaluation = match adversary.dot_product(
        SigmaStep::Evaluation { mask_scale: mu },
        argument,
        &segments,
        &weights,
        Fr::ZERO,
        transcript,
    ) {
        Some(proof) => proof,
        None => pre.evaluation.prove(&segments, &weights, Fr::ZERO, transcript),
    };
    on_phase(ProvePhase::EvaluationProof);

    // Step 7: per Hyrax row holding committed values, a dot-product proof that the
    // row's entries at those columns are the committed values.
    let links = super::link_rows(statement.committed, row_len)
        .zip(&mut pre.links)
        .map(|((row, range), randomness)| {
            let gamma = transcript.challenge_scalar(labels::LINK_BATCHING);
            let (a, powers) = super::link_weights(&statement.committed[range.clone()], row_len, gamma);
            let start = (row * row_len).min(committed_rows.len());
            let mut row_values = committed_rows[start..(start + row_len).min(committed_rows.len())].to_vec();
            row_values.resize(row_len, Fr::ZERO);
            let blind_y: Fr = blinds[range.clone()].iter().zip(&powers).map(|(b, p)| *b * p).sum();
            let segment = [Segment { gens: row_gens, x: &row_values, blind: row_blinds[row] }];
            let step = SigmaStep::Link { row, position: range.start };
            match adversary.dot_product(step, argument, &segment, &a, blind_y, transcript) {
                Some(proof) => proof,
                None => randomness.prove(&segment, &a, blind_y, transcript),
            }
        })
        .collect();
    on_phase(ProvePhase::Links);

    let mut proof = Proof {
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
    adversary.proof(&mut proof);
    // The working copies of the secrets (the precomputation wipes its own on drop).
    for secrets in [&mut witness, &mut row_blinds, &mut drawn_coeffs, &mut mask_coeffs, &mut scaled_mask] {
        zeroize::Zeroize::zeroize(secrets);
    }
    Ok(proof)
}
