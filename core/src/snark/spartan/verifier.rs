//! The Spartan verifier. Never panics: every length is checked before use.

use super::data_structures::{evaluation_segments, Proof, INNER_DEGREE, OUTER_DEGREE};
use super::{bind_statement, labels, Statement, VerifyingKey, PROTOCOL_LABEL};
use crate::snark::error::{SumcheckKind, VerifyError};
use crate::snark::parallel::join;
use crate::snark::pedersen::generators::{message_generators, value_generator};
use crate::snark::poly::{eq_eval, eq_table, eq_table_prefix};
use crate::snark::sigma::schedule::Layout;
use crate::snark::sigma::{equation_holds, Argument, Opening, SegmentStatement};
use crate::snark::sumcheck;
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::Fr;
use ark_ff::Field;

/// Verifies `proof` for the statement "some witness completes `statement.public` to
/// a satisfying assignment of `vk`'s R1CS, and the proof's value commitments open
/// to its entries at `statement.committed`". Returns the first failed check.
pub fn verify(vk: &VerifyingKey, statement: Statement<'_>, proof: &Proof) -> Result<(), VerifyError> {
    verify_with_phases(vk, statement, proof, &mut |_| {})
}

/// [`verify`], calling `on_phase` as each [`VerifyPhase`] ends, in the order of
/// [`VerifyPhase::ALL`], so that a caller with a clock can time them. Checks and
/// result are exactly [`verify`]'s; a failed check ends verification in its phase,
/// which is then not reported.
pub fn verify_with_phases(
    vk: &VerifyingKey,
    statement: Statement<'_>,
    proof: &Proof,
    on_phase: &mut impl FnMut(VerifyPhase),
) -> Result<(), VerifyError> {
    verify_with(vk, statement, proof, Transcript::new(PROTOCOL_LABEL), on_phase)
}

/// A step of [`verify`] (`PROTOCOL-zk.md` §5), as reported by [`verify_with_phases`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyPhase {
    /// The length checks and steps 0–1: the statement and the commitments absorbed.
    Statement,
    /// Steps 2–4: both sumchecks' rounds checked, their challenges drawn.
    Sumchecks,
    /// Step 5: `M(r_x, r_y)` from the key's sparse matrices, and `z̃'(r_y)`.
    MatrixEvaluations,
    /// Step 6, first part: the evaluation weights, the generators and the row
    /// combination `C_u = Σ_i eq(r_row, i)·C_i` (a multi-scalar multiplication over the rows).
    RowCombination,
    /// Step 6: the dot-product proof's transcript replayed, its check
    /// assembled as one multi-scalar multiplication (generators folded into it).
    EvaluationTranscript,
    /// Step 6: that multi-scalar multiplication, which must be zero.
    EvaluationMsm,
    /// Step 7: the link proofs, one dot-product proof per row holding committed values.
    Links,
}

impl VerifyPhase {
    /// Every phase, in the order [`verify_with_phases`] reports them.
    pub const ALL: [VerifyPhase; 7] = [
        VerifyPhase::Statement,
        VerifyPhase::Sumchecks,
        VerifyPhase::MatrixEvaluations,
        VerifyPhase::RowCombination,
        VerifyPhase::EvaluationTranscript,
        VerifyPhase::EvaluationMsm,
        VerifyPhase::Links,
    ];

    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            VerifyPhase::Statement => "statement (steps 0-1)",
            VerifyPhase::Sumchecks => "sumchecks (steps 2-4)",
            VerifyPhase::MatrixEvaluations => "sparse matrices (step 5)",
            VerifyPhase::RowCombination => "row combination MSM (step 6)",
            VerifyPhase::EvaluationTranscript => "evaluation proof transcript (step 6)",
            VerifyPhase::EvaluationMsm => "evaluation proof MSM (step 6)",
            VerifyPhase::Links => "link proofs (step 7)",
        }
    }
}

/// Step 5's own evaluations, from the key and the public values:
/// `M(r_x, r_y) = Σ_k batch_k·M̃_k(r_x, r_y)` (linear in the matrices' nonzeros) and
/// `z̃'(r_y) = (1 − r_y[0])·v_W + r_y[0]·(1, io)~(r_y[1..])`. Natively the bilinear
/// forms run on the key's [`crate::snark::poly::sparse::CsrMatrix`]es (small coefficients summed
/// unreduced); on wasm32 the tables and bilinear forms are on 29-bit limbs (`Fr29`,
/// whose products wasm runs natively): the same values.
pub(super) fn matrix_and_z_evaluations(
    vk: &VerifyingKey,
    public: &[Fr],
    batch: &[Fr],
    r_x: &[Fr],
    r_y: &[Fr],
    witness_eval: Fr,
) -> (Fr, Fr) {
    #[cfg(target_arch = "wasm32")]
    return matrix_and_z_evaluations_in::<crate::snark::limb29::Fr29>(
        vk,
        public,
        batch,
        r_x,
        r_y,
        witness_eval,
        entry_bilinear(vk),
    );
    #[cfg(not(target_arch = "wasm32"))]
    matrix_and_z_evaluations_in::<Fr>(vk, public, batch, r_x, r_y, witness_eval, |k, row_w, col_w| {
        vk.data.matrices[k].bilinear(row_w, col_w)
    })
}

/// The bilinear forms of `vk`'s matrices A, B, C (`k` = 0, 1, 2) on their entries, in
/// any representation (the wasm verifier's, and the tests' reference).
#[cfg(any(target_arch = "wasm32", test))]
pub(super) fn entry_bilinear<F: crate::snark::poly::field::FrRepr>(
    vk: &VerifyingKey,
) -> impl Fn(usize, &[F], &[F]) -> F + Sync + '_ {
    let (r1cs, col_map) = (&vk.data.r1cs, vk.data.shape.col_map());
    move |k, row_w, col_w| {
        crate::snark::poly::sparse::bilinear(&[&r1cs.a, &r1cs.b, &r1cs.c][k].entries, row_w, col_w, col_map)
    }
}

/// [`matrix_and_z_evaluations`] with its tables in the representation `F` and
/// `bilinear(k, row_w, col_w)` the bilinear form of the `k`-th matrix (A, B, C).
pub(super) fn matrix_and_z_evaluations_in<F: crate::snark::poly::field::FrRepr>(
    vk: &VerifyingKey,
    public: &[Fr],
    batch: &[Fr],
    r_x: &[Fr],
    r_y: &[Fr],
    witness_eval: Fr,
    bilinear: impl Fn(usize, &[F], &[F]) -> F + Sync,
) -> (Fr, Fr) {
    let shape = vk.data.shape;
    let num_public = shape.num_public;
    let point = |r: &[Fr]| r.iter().map(F::from_ark).collect::<Vec<F>>();
    // eq(r_y, ·) is (1 − r_y[0])·E on the witness half of z' and r_y[0]·E on its (1, io)
    // half, for E = eq(r_y[1..], ·). So with t = r_y[0]/(1 − r_y[0]), M̃(r_x, r_y) is
    // (1 − r_y[0]) times the bilinear form on the column weights E ‖ t·E[..=num_public]:
    // half the multiplications of the whole table. (r_y[0] = 1 has no t: the whole table.)
    // Only the rows and columns that hold entries are computed: the key's entries lie
    // below `num_constraints` rows and `num_witness` witness columns (`preprocess`).
    let witness_columns = shape.num_witness.max(num_public + 1);
    let (eq_rx, e) = join(
        || eq_table_prefix(&point(r_x), shape.num_constraints),
        || eq_table_prefix(&point(&r_y[1..]), witness_columns),
    );
    // r_y[0]·(1, io)~(r_y[1..]).
    let io_sum = public.iter().zip(&e[1..]).fold(e[0], |sum, (x, w)| sum.add(&w.mul_ark(x)));
    let io_part = r_y[0] * io_sum.to_ark();
    let (col_w, scale) = match (Fr::ONE - r_y[0]).inverse() {
        Some(inverse) => {
            let t = r_y[0] * inverse;
            let io: Vec<F> = e[..=num_public].iter().map(|w| w.mul_ark(&t)).collect();
            let mut col_w = e;
            col_w.resize(shape.half_columns(), F::ZERO);
            col_w.extend(io);
            (col_w, Fr::ONE - r_y[0])
        }
        None => (eq_table(&point(r_y)), Fr::ONE),
    };
    let eval = |k: usize| batch[k] * bilinear(k, &eq_rx, &col_w).to_ark();
    // The three matrices are independent: A on one thread, B and C on another (`parallel`;
    // natively each bilinear form also splits its entries between two threads).
    let (m_a, m_bc) = join(|| eval(0), || eval(1) + eval(2));
    (scale * (m_a + m_bc), (Fr::ONE - r_y[0]) * witness_eval + io_part)
}

/// Checks that a dot-product proof is by the key's `argument` and has exactly the
/// lengths the key fixes for segments of `lens`, never taken from the proof: `rounds`
/// values `L_j` and `R_j`, or a response per entry. `what` names the proof's argument,
/// `L` rounds, `R` rounds and responses.
fn check_opening(
    proof: &Opening,
    argument: Argument,
    lens: &[usize],
    what: [&'static str; 4],
) -> Result<(), VerifyError> {
    match (proof, argument) {
        (Opening::Logarithmic(p), Argument::Logarithmic) => {
            let rounds = Layout::new(lens).map_or(0, |layout| layout.rounds());
            VerifyError::check_len(what[1], rounds, p.l.len())?;
            VerifyError::check_len(what[2], rounds, p.r.len())
        }
        (Opening::Linear(p), Argument::Linear) => VerifyError::check_len(what[3], lens.iter().sum(), p.z.len()),
        // The argument's number of points: a linear proof has one, a logarithmic one more.
        (p, _) => {
            VerifyError::check_len(what[0], argument.counts(lens).map_or(0, |(points, _)| points), p.points().count())
        }
    }
}

/// [`verify_with_phases`] driving any [`FiatShamir`] implementation: the
/// zero-knowledge tests run the verifier with programmed challenges against the simulator.
pub(crate) fn verify_with<T: FiatShamir>(
    vk: &VerifyingKey,
    statement: Statement<'_>,
    proof: &Proof,
    mut transcript: T,
    on_phase: &mut impl FnMut(VerifyPhase),
) -> Result<(), VerifyError> {
    let data = &vk.data;
    let shape = data.shape;
    let public = statement.public;
    if public.len() != shape.num_public {
        return Err(VerifyError::PublicInputLength { expected: shape.num_public, got: public.len() });
    }
    let num_witness = vk.num_witness();
    if let Err(index) = statement.check_committed(num_witness) {
        return Err(VerifyError::Malformed { what: "committed index", expected: num_witness, got: index });
    }
    let hyrax = &data.hyrax;
    let (s, m) = (shape.row_vars, shape.witness_vars);
    let row_len = hyrax.row_len();
    VerifyError::check_len("committed values", statement.committed.len(), proof.value_commitments.len())?;
    VerifyError::check_len("witness commitment", hyrax.num_rows(), proof.witness_commitment.row_commitments.len())?;
    VerifyError::check_len("link proofs", super::link_rows(statement.committed, row_len).count(), proof.links.len())?;
    // The dot-product proofs' argument and lengths: over the row and mask segments, over a row.
    let argument = data.profile.argument();
    let evaluation_lens = evaluation_segments(argument, row_len, s, m);
    check_opening(
        &proof.evaluation,
        argument,
        &evaluation_lens,
        [
            "evaluation proof points (another profile's argument)",
            "evaluation proof L rounds",
            "evaluation proof R rounds",
            "evaluation proof responses",
        ],
    )?;
    for link in &proof.links {
        let what = [
            "link proof points (another profile's argument)",
            "link proof L rounds",
            "link proof R rounds",
            "link proof responses",
        ];
        check_opening(link, argument, &[row_len], what)?;
    }

    // Step 0: the statement, exactly as the prover bound it.
    bind_statement(&mut transcript, data, statement, &proof.value_commitments);

    // Step 1: the witness and mask commitments.
    transcript.append_points(labels::WITNESS_COMMITMENT, &proof.witness_commitment.row_commitments);
    transcript.append_points(labels::MASK_COMMITMENT, &[proof.mask_commitment]);
    on_phase(VerifyPhase::Statement);

    // Step 2: sumcheck #1 on Σ_x eq(τ,x)(Az·Bz − Cz)(x) + ρ₁·p₁(x), claim 0 + ρ₁·S₁.
    let tau = transcript.challenge_vector(labels::TAU, s);
    transcript.append_scalars(labels::OUTER_MASK_SUM, &[proof.outer_mask_sum]);
    let rho_outer = transcript.challenge_scalar(labels::OUTER_MASK_CHALLENGE);
    let (outer_final, r_x) = sumcheck::verify(
        SumcheckKind::Outer,
        rho_outer * proof.outer_mask_sum,
        s,
        OUTER_DEGREE,
        &proof.outer,
        &mut transcript,
    )?;

    // Step 3: v_A, v_B, v_C; the final value minus eq(τ,r_x)·(v_A·v_B − v_C) must be
    // ρ₁·p₁(r_x) (checked in step 6). Then Σ_x eq(τ,x)(Az·Bz − Cz)(x) = 0 for a random
    // τ, i.e. every constraint holds, provided the v's are the true evaluations.
    let [v_a, v_b, v_c] = proof.outer_claims;
    let outer_mask_value = outer_final - eq_eval(&tau, &r_x) * (v_a * v_b - v_c);
    transcript.append_scalars(labels::OUTER_CLAIMS, &proof.outer_claims);
    let batch = transcript.challenge_vector(labels::BATCHING, 3);

    // Step 4: sumcheck #2 on Σ_y M(y)·z̃'(y) + ρ₂·p₂(y), claim Σ_k batch_k·v_k + ρ₂·S₂.
    transcript.append_scalars(labels::INNER_MASK_SUM, &[proof.inner_mask_sum]);
    let rho_inner = transcript.challenge_scalar(labels::INNER_MASK_CHALLENGE);
    let inner_claim = batch[0] * v_a + batch[1] * v_b + batch[2] * v_c + rho_inner * proof.inner_mask_sum;
    let (inner_final, r_y) =
        sumcheck::verify(SumcheckKind::Inner, inner_claim, m + 1, INNER_DEGREE, &proof.inner, &mut transcript)?;
    on_phase(VerifyPhase::Sumchecks);

    // Step 5: v_W = w̃(r_y[1..]); M(r_x, r_y) = Σ_k batch_k·M̃_k(r_x, r_y) from the key's
    // matrices (linear in the nonzeros) and z̃'(r_y) = (1 − r_y[0])·v_W + r_y[0]·(1, io)~(r_y[1..]).
    transcript.append_scalars(labels::WITNESS_EVAL, &[proof.witness_eval]);
    let (m_eval, z_eval) = matrix_and_z_evaluations(vk, public, &batch, &r_x, &r_y, proof.witness_eval);
    let inner_mask_value = inner_final - m_eval * z_eval;
    on_phase(VerifyPhase::MatrixEvaluations);

    // Step 6: one dot-product proof that the vector (u ‖ μ·(p₁ ‖ p₂ ‖ 0…0)) in
    // Σ_i eq(r_row,i)·C_i + μ·C_p has, against the batched weights, the inner product
    // v_W + μ·(γ·ρ₁p₁(r_x) + γ²·S₁ + γ³·ρ₂p₂(r_y) + γ⁴·S₂) with the values derived
    // above. Everything in it but γ and μ is fixed before them; so unless the prover
    // beat a 9/|F| chance, the rows' combination opens to the witness evaluation v_W
    // on the row generators (the terms free of γ and μ: the mask weights all carry a
    // γ), C_p holds nothing on them (the μ-term free of γ), and C_p's mask
    // coefficients give both masks' values and sums (the μγ^k-terms). So the rows
    // step 7 links are the rows opened here (`docs/PROTOCOL-zk.md` §4, step 6).
    let gamma = transcript.challenge_scalar(labels::EVALUATION_BATCHING);
    let mu = transcript.challenge_scalar(labels::MASK_SCALE);
    let (r_row, r_col) = r_y[1..].split_at(hyrax.row_vars());
    let challenges = [rho_outer, rho_inner, gamma];
    let weights = super::evaluation_weights(&eq_table(r_col), &r_x, &r_y, challenges, evaluation_lens[1]);
    let claimed = super::evaluation_claim(
        proof.witness_eval,
        [outer_mask_value, proof.outer_mask_sum, inner_mask_value, proof.inner_mask_sum],
        gamma,
        mu,
    );
    let gens = message_generators(weights.len());
    let (row_gens, mask_gens) = gens[..weights.len()].split_at(row_len);
    let rows = hyrax.combination(&proof.witness_commitment, r_row)?;
    on_phase(VerifyPhase::RowCombination);
    let mask = vec![(proof.mask_commitment, mu)];
    let segments = [
        SegmentStatement { gens: row_gens, commitment: &rows },
        SegmentStatement { gens: mask_gens, commitment: &mask },
    ];
    // `Opening::verify`, in its two parts: the transcript, then one MSM.
    let equation = proof.evaluation.equation(&segments, &vec![(value_generator(), claimed)], &weights, &mut transcript);
    on_phase(VerifyPhase::EvaluationTranscript);
    if !equation_holds(equation, vk.tables.as_deref()) {
        return Err(VerifyError::FinalEvaluations);
    }
    on_phase(VerifyPhase::EvaluationMsm);

    // Step 7: the committed values are the witness entries at their indices, each
    // row opened on the same row generators as in step 6.
    for ((row, range), link) in super::link_rows(statement.committed, row_len).zip(&proof.links) {
        let gamma = transcript.challenge_scalar(labels::LINK_BATCHING);
        let (a, powers) = super::link_weights(&statement.committed[range.clone()], row_len, gamma);
        let cy = proof.value_commitments[range.clone()].iter().copied().zip(powers).collect();
        let row_commitment = vec![(proof.witness_commitment.row_commitments[row], Fr::ONE)];
        let segment = [SegmentStatement { gens: row_gens, commitment: &row_commitment }];
        if !link.verify(&segment, &cy, &a, &mut transcript, vk.tables.as_deref()) {
            return Err(VerifyError::CommitmentLink { position: range.start });
        }
    }
    on_phase(VerifyPhase::Links);
    Ok(())
}
