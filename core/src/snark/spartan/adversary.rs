//! The malicious-prover toolkit (issue 12 §6), shared by the Spartan-level tests
//! (`adversary_tests`) and the policy-level forgeries (`policy::adversary_fixtures`).
//! The real prover, driven through the [`Adversary`] hooks of `prover.rs`, deviates
//! where a [`Cheat`] says. A deviation is made before its message is absorbed, so the
//! cheating prover's transcript and every later challenge follow from it, as for a
//! real cheating prover.
//!
//! * [`Recording`]: the protocol's transcript, recording the challenges it draws.
//! * [`Cheat`]: the hooks as optional closures, all honest by default.
//! * Σ-proofs made by the adversary: [`sigma`], [`recut`], [`merged`], [`sigma_lie`].
//! * The committed-input swap of issue 12 §1 ([`swap_attack`]) and format 2's
//!   verifier re-created ([`format2_verdict`]).

use super::data_structures::{evaluation_segments, mask_block_len, Proof, INNER_DEGREE, OUTER_DEGREE};
pub(crate) use super::prover::{prove_with_adversary, Adversary, SigmaStep};
use super::verifier::{matrix_and_z_evaluations, verify_with};
use super::*;
use crate::snark::error::{SumcheckKind, VerifyError};
use crate::snark::pedersen::commit_vector;
use crate::snark::pedersen::generators::{message_generators, value_generator};
use crate::snark::poly::{eq_eval, eq_table};
use crate::snark::sigma::{Argument, Message, Opening, Prepared, Segment, SegmentStatement};
use crate::snark::sumcheck::{self, SumcheckProof};
use crate::snark::transcript::Transcript;
use ark_ec::{AffineRepr, CurveGroup};
use rand::rngs::OsRng;
use std::collections::VecDeque;

// ---------------------------------------------------------------------------------
// Transcripts: recording the challenges, replaying programmed ones.
// ---------------------------------------------------------------------------------

/// A challenge a [`Recording`] drew: its label, its value and the transcript just after it.
#[derive(Clone)]
pub(crate) struct Drawn {
    pub(crate) label: Vec<u8>,
    pub(crate) value: Fr,
    pub(crate) after: Transcript,
}

/// The Keccak transcript of the protocol, recording every challenge it draws.
#[derive(Clone)]
pub(crate) struct Recording {
    pub(crate) transcript: Transcript,
    pub(crate) drawn: Vec<Drawn>,
}

impl Recording {
    pub(crate) fn new() -> Self {
        Recording { transcript: Transcript::new(PROTOCOL_LABEL), drawn: Vec::new() }
    }

    /// The values drawn under `label`, in order.
    pub(crate) fn values(&self, label: &[u8]) -> Vec<Fr> {
        self.drawn.iter().filter(|d| d.label == label).map(|d| d.value).collect()
    }

    /// The first challenge drawn under `label` and the transcript just after it.
    pub(crate) fn first(&self, label: &[u8]) -> (Fr, Transcript) {
        let d = self.drawn.iter().find(|d| d.label == label).expect("the verifier drew this challenge");
        (d.value, d.after.clone())
    }

    /// The label of the last challenge drawn.
    pub(crate) fn last_label(&self) -> Option<&[u8]> {
        self.drawn.last().map(|d| &d.label[..])
    }
}

impl FiatShamir for Recording {
    fn append_bytes(&mut self, label: &[u8], data: &[u8]) {
        self.transcript.append_bytes(label, data);
    }

    fn challenge_scalar(&mut self, label: &[u8]) -> Fr {
        let value = self.transcript.challenge_scalar(label);
        self.drawn.push(Drawn { label: label.to_vec(), value, after: self.transcript.clone() });
        value
    }
}

/// Lets `verify_with`, which takes its transcript by value, run on a [`Recording`] the
/// test keeps, and lets the hooks' closures prove on a `&mut dyn FiatShamir`.
impl<F: FiatShamir + ?Sized> FiatShamir for &mut F {
    fn append_bytes(&mut self, label: &[u8], data: &[u8]) {
        (**self).append_bytes(label, data);
    }

    fn challenge_scalar(&mut self, label: &[u8]) -> Fr {
        (**self).challenge_scalar(label)
    }
}

/// A transcript that returns programmed challenges and ignores what it absorbs. The
/// re-created verifiers use it to replay a sumcheck at the challenges a real verifier drew.
pub(crate) struct Replay(VecDeque<Fr>);

impl FiatShamir for Replay {
    fn append_bytes(&mut self, _label: &[u8], _data: &[u8]) {}

    fn challenge_scalar(&mut self, _label: &[u8]) -> Fr {
        self.0.pop_front().expect("one programmed challenge per round")
    }
}

pub(crate) const OUTER_ROUND_CHALLENGE: &[u8] = b"outer-sumcheck/challenge";
pub(crate) const INNER_ROUND_CHALLENGE: &[u8] = b"inner-sumcheck/challenge";

/// The real verifier on `statement`, with the challenges it drew. It runs twice, with
/// `vk` and with `vk` with its generator tables ([`VerifyingKey::with_generator_tables`]),
/// and the two verdicts must agree.
pub(crate) fn verify_recorded(
    vk: &VerifyingKey,
    statement: Statement<'_>,
    proof: &Proof,
) -> (Result<(), VerifyError>, Recording) {
    let mut transcript = Recording::new();
    let verdict = verify_with(vk, statement, proof, &mut transcript, &mut |_| {});
    let on_tables = verify_with(&vk.clone().with_generator_tables(), statement, proof, Recording::new(), &mut |_| {});
    assert_eq!(verdict, on_tables, "the verdict with the generator tables differs");
    (verdict, transcript)
}

/// `R`, the length of the key's Hyrax rows (the row generators are `G_0 … G_{R−1}`).
pub(crate) fn row_len(vk: &VerifyingKey) -> usize {
    vk.data.hyrax.row_len()
}

// ---------------------------------------------------------------------------------
// The cheating prover.
// ---------------------------------------------------------------------------------

/// A hook that may change one prover message in place.
pub(crate) type Hook<'a, X> = Option<Box<dyn FnMut(&mut X) + 'a>>;
/// A hook that may change a sumcheck round message, given the sumcheck and the round.
pub(crate) type RoundHook<'a> = Option<Box<dyn FnMut(SumcheckKind, usize, &mut Vec<Fr>) + 'a>>;
/// A hook that may replace a Σ-proof. Its arguments are the step, the key's argument, the
/// segments `(G^(k), x_k, ρ_k)`, the weights `a` and the blind of `C_y` the honest prover
/// would use, and the transcript.
pub(crate) type SigmaHook<'a> =
    Option<Box<dyn FnMut(SigmaStep, Argument, &[Segment<'_>], &[Fr], Fr, &mut dyn FiatShamir) -> Option<Opening> + 'a>>;

/// Whether `step` is step 6's evaluation proof (whatever its mask scale).
pub(crate) fn is_evaluation(step: SigmaStep) -> bool {
    matches!(step, SigmaStep::Evaluation { .. })
}

/// A cheating prover: the real prover with the deviations set here. A field left at
/// `None` (the default) is honest.
#[derive(Default)]
pub(crate) struct Cheat<'a> {
    /// Prove although the witness does not satisfy the constraints.
    pub(crate) unsatisfied: bool,
    /// Step 0: bind this statement (public values, committed indices, context) instead
    /// of the one the prover computes with.
    pub(crate) bound: Option<(Vec<Fr>, Vec<usize>, Vec<u8>)>,
    /// Step 0: the values committed to, with the caller's blinds.
    pub(crate) committed_values: Hook<'a, [Fr]>,
    /// Step 0: the value commitments as sent.
    pub(crate) value_commitments: Hook<'a, Vec<G1Affine>>,
    /// Step 1: the zero-padded witness (`num_rows × row_len`), changed into what the
    /// rows commit to and the link proofs open.
    pub(crate) committed_rows: Hook<'a, Vec<Fr>>,
    /// Step 1: the row blinds.
    pub(crate) row_blinds: Hook<'a, [Fr]>,
    /// Step 1: the row commitments as sent.
    pub(crate) row_commitments: Hook<'a, Vec<G1Affine>>,
    /// Step 1: the mask coefficients `C_p` commits to and step 6 opens.
    pub(crate) mask_coefficients: Hook<'a, [Fr]>,
    /// Step 1: `C_p` as sent.
    pub(crate) mask_commitment: Hook<'a, G1Affine>,
    /// Step 2: `S₁`.
    pub(crate) outer_mask_sum: Hook<'a, Fr>,
    /// Steps 2 and 4: a round message, by sumcheck and round.
    pub(crate) round: RoundHook<'a>,
    /// Step 3: `v_A, v_B, v_C`.
    pub(crate) outer_claims: Hook<'a, [Fr; 3]>,
    /// Step 4: `S₂`.
    pub(crate) inner_mask_sum: Hook<'a, Fr>,
    /// Step 5: `v_W`.
    pub(crate) witness_eval: Hook<'a, Fr>,
    /// Steps 6 and 7: a Σ-proof sent instead of the honest one (`None` from the hook: honest).
    pub(crate) dot_product: SigmaHook<'a>,
    /// After the last message: changes no challenge depends on.
    pub(crate) proof: Hook<'a, Proof>,
}

fn call<X: ?Sized>(hook: &mut Hook<'_, X>, x: &mut X) {
    if let Some(hook) = hook {
        hook(x);
    }
}

impl Adversary for Cheat<'_> {
    fn skips_satisfiability_check(&self) -> bool {
        self.unsatisfied
    }

    fn bound_statement(&self) -> Option<Statement<'_>> {
        self.bound.as_ref().map(|(public, committed, context)| Statement { public, committed, context })
    }

    fn committed_values(&mut self, values: &mut [Fr]) {
        call(&mut self.committed_values, values);
    }

    fn value_commitments(&mut self, commitments: &mut Vec<G1Affine>) {
        call(&mut self.value_commitments, commitments);
    }

    fn committed_rows(&mut self, witness: &[Fr], row_len: usize, num_rows: usize) -> Option<Vec<Fr>> {
        let hook = self.committed_rows.as_mut()?;
        let mut rows = witness.to_vec();
        rows.resize(row_len * num_rows, Fr::ZERO);
        hook(&mut rows);
        Some(rows)
    }

    fn row_blinds(&mut self, blinds: &mut [Fr]) {
        call(&mut self.row_blinds, blinds);
    }

    fn row_commitments(&mut self, rows: &mut Vec<G1Affine>) {
        call(&mut self.row_commitments, rows);
    }

    fn mask_coefficients(&mut self, coefficients: &mut [Fr]) {
        call(&mut self.mask_coefficients, coefficients);
    }

    fn mask_commitment(&mut self, commitment: &mut G1Affine) {
        call(&mut self.mask_commitment, commitment);
    }

    fn outer_mask_sum(&mut self, sum: &mut Fr) {
        call(&mut self.outer_mask_sum, sum);
    }

    fn sumcheck_round(&mut self, kind: SumcheckKind, round: usize, message: &mut Vec<Fr>) {
        if let Some(hook) = &mut self.round {
            hook(kind, round, message);
        }
    }

    fn outer_claims(&mut self, claims: &mut [Fr; 3]) {
        call(&mut self.outer_claims, claims);
    }

    fn inner_mask_sum(&mut self, sum: &mut Fr) {
        call(&mut self.inner_mask_sum, sum);
    }

    fn witness_eval(&mut self, value: &mut Fr) {
        call(&mut self.witness_eval, value);
    }

    fn dot_product<T: FiatShamir>(
        &mut self,
        step: SigmaStep,
        argument: Argument,
        segments: &[Segment<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut T,
    ) -> Option<Opening> {
        let hook = self.dot_product.as_mut()?;
        hook(step, argument, segments, a, blind_y, transcript)
    }

    fn proof(&mut self, proof: &mut Proof) {
        call(&mut self.proof, proof);
    }
}

/// A Σ-proof of `segments` by `argument` made with the adversary's own randomness.
/// `hook` changes each point message before it is absorbed.
pub(crate) fn sigma(
    argument: Argument,
    segments: &[Segment<'_>],
    a: &[Fr],
    blind_y: Fr,
    mut transcript: &mut dyn FiatShamir,
    hook: impl FnMut(Message, &mut [G1Affine]),
) -> Opening {
    let gens: Vec<&[G1Affine]> = segments.iter().map(|s| s.gens).collect();
    Prepared::draw(argument, &gens, &mut OsRng).prove_with_hook(segments, a, blind_y, &mut transcript, hook)
}

/// The vector `x` (with `a`, both padded with zeros to the lengths' sum) cut into
/// consecutive segments of the given lengths (one or two powers of two) on
/// `G_0, G_1, …`, with the given blinds, and proved.
pub(crate) fn recut(
    argument: Argument,
    x: &[Fr],
    lengths: &[usize],
    blinds: &[Fr],
    a: &[Fr],
    blind_y: Fr,
    transcript: &mut dyn FiatShamir,
) -> Opening {
    let total: usize = lengths.iter().sum();
    assert!(total >= x.len() && total >= a.len());
    let mut x = x.to_vec();
    x.resize(total, Fr::ZERO);
    let mut a = a.to_vec();
    a.resize(total, Fr::ZERO);
    let gens = message_generators(total);
    let mut start = 0;
    let cut: Vec<Segment<'_>> = lengths
        .iter()
        .zip(blinds)
        .map(|(&len, &blind)| {
            let segment = Segment { gens: &gens[start..start + len], x: &x[start..start + len], blind };
            start += len;
            segment
        })
        .collect();
    sigma(argument, &cut, &a, blind_y, transcript, |_, _| {})
}

/// The length of format 2's one segment for `n` entries: padded with zeros to a power of
/// two for the logarithmic argument, as it needs.
fn merged_len(argument: Argument, n: usize) -> usize {
    match argument {
        Argument::Logarithmic => n.next_power_of_two(),
        Argument::Linear => n,
    }
}

/// Format 2's step-6 proof for step 6's segments `(u, μ·p̄)`: one segment (padded to a
/// power of two) holding `(u ‖ p̄)` at the blind `ρ_u + ρ_p`, an opening of `C_u + C_p`.
pub(crate) fn merged(
    argument: Argument,
    segments: &[Segment<'_>],
    mask_scale: Fr,
    a: &[Fr],
    blind_y: Fr,
    transcript: &mut dyn FiatShamir,
) -> Opening {
    let unscale = mask_scale.inverse().expect("a nonzero challenge");
    let [rows, mask] = segments else { panic!("step 6 has two segments") };
    let x: Vec<Fr> = rows.x.iter().copied().chain(mask.x.iter().map(|m| *m * unscale)).collect();
    let blind = rows.blind + mask.blind * unscale;
    recut(argument, &x, &[merged_len(argument, a.len())], &[blind], a, blind_y, transcript)
}

pub(crate) fn bump(p: &mut G1Affine, by: G1Affine) {
    *p = (*p + by).into_affine();
}

/// The message generator `G_i`.
pub(crate) fn gen(i: usize) -> G1Affine {
    message_generators(i + 1)[i]
}

// ---------------------------------------------------------------------------------
// Σ-proof lies.
// ---------------------------------------------------------------------------------

/// Which Σ-proof element a deviation changes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SigmaLie {
    /// `L_j` (before it is absorbed).
    L(usize),
    /// `R_j` (before it is absorbed).
    R(usize),
    /// `L_j` and `R_j` swapped (before they are absorbed).
    SwapLR(usize),
    /// `δ` (before it is absorbed).
    Delta,
    /// `β` (before it is absorbed; the linear argument has none, and sends the honest proof).
    Beta,
    /// The response `z` (the linear argument's first).
    Z,
    /// The response `z_blind`.
    ZBlind,
    /// An honest proof of another claim: `C_y`'s blind off by one.
    BlindY,
}

/// A Σ-hook that, at the steps `target` picks, sends the honest proof with `lie`.
pub(crate) fn sigma_lie<'a>(target: fn(SigmaStep) -> bool, lie: SigmaLie) -> SigmaHook<'a> {
    Some(Box::new(move |step, argument, segments, a, blind_y, t| {
        target(step).then(|| {
            let g = G1Affine::generator();
            let blind_y = if let SigmaLie::BlindY = lie { blind_y + Fr::ONE } else { blind_y };
            let mut proof = sigma(argument, segments, a, blind_y, t, |message, points| match (lie, message) {
                (SigmaLie::L(round), Message::Round(j)) if j == round => bump(&mut points[0], g),
                (SigmaLie::R(round), Message::Round(j)) if j == round => bump(&mut points[1], g),
                (SigmaLie::SwapLR(round), Message::Round(j)) if j == round => points.swap(0, 1),
                (SigmaLie::Delta, Message::Final) => bump(&mut points[0], g),
                // The linear argument's final message is δ alone.
                (SigmaLie::Beta, Message::Final) if points.len() == 2 => bump(&mut points[1], g),
                _ => {}
            });
            match (lie, &mut proof) {
                (SigmaLie::Z, Opening::Logarithmic(p)) => p.z += Fr::ONE,
                (SigmaLie::Z, Opening::Linear(p)) => p.z[0] += Fr::ONE,
                (SigmaLie::ZBlind, Opening::Logarithmic(p)) => p.z_blind += Fr::ONE,
                (SigmaLie::ZBlind, Opening::Linear(p)) => p.z_blind += Fr::ONE,
                _ => {}
            }
            proof
        })
    }))
}

// ---------------------------------------------------------------------------------
// The committed-input swap of issue 12 §1, and format 2's verifier re-created.
// ---------------------------------------------------------------------------------

/// Format 2's verifier, re-created on the current transcript. Steps 0 to 5 are
/// unchanged, so a real verifier runs them and records its challenges (its own step-6
/// verdict is ignored). Step 6 is format 2's: ONE dot-product proof for
/// `C_u + C_p` (the rows' combination plus the mask commitment) on
/// `G_0, …, G_{R+L−1}`. Step 7 is today's ([`link_verdict`]).
pub(crate) fn format2_verdict(vk: &VerifyingKey, statement: Statement<'_>, proof: &Proof) -> Result<(), VerifyError> {
    // Steps 0–5 draw the same challenges whatever step 6 holds; a placeholder of the
    // shape the real verifier wants lets it run them on a one-block proof.
    let mut shaped = proof.clone();
    let data = &vk.data;
    let argument = data.profile.argument();
    shaped.evaluation = placeholder_evaluation(vk, argument);
    let (_, recorded) = verify_recorded(vk, statement, &shaped);
    let (s, m) = (data.shape.row_vars, data.shape.witness_vars);
    let tau = recorded.values(labels::TAU);
    let rho_outer = recorded.values(labels::OUTER_MASK_CHALLENGE)[0];
    let r_x = recorded.values(OUTER_ROUND_CHALLENGE);
    let batch = recorded.values(labels::BATCHING);
    let rho_inner = recorded.values(labels::INNER_MASK_CHALLENGE)[0];
    let r_y = recorded.values(INNER_ROUND_CHALLENGE);
    let gamma = recorded.values(labels::EVALUATION_BATCHING)[0];
    // μ is drawn (format 2 had no such challenge) and ignored: the sum C_u + C_p.
    let (_, mut transcript) = recorded.first(labels::MASK_SCALE);
    // The final values of both sumchecks, replayed at the verifier's challenges.
    let replay = |kind, claim, n, degree, rounds: &SumcheckProof, point: &[Fr]| {
        sumcheck::verify(kind, claim, n, degree, rounds, &mut Replay(point.to_vec().into())).map(|(last, _)| last)
    };
    let outer_final =
        replay(SumcheckKind::Outer, rho_outer * proof.outer_mask_sum, s, OUTER_DEGREE, &proof.outer, &r_x)?;
    let [v_a, v_b, v_c] = proof.outer_claims;
    let inner_claim = batch[0] * v_a + batch[1] * v_b + batch[2] * v_c + rho_inner * proof.inner_mask_sum;
    let inner_final = replay(SumcheckKind::Inner, inner_claim, m + 1, INNER_DEGREE, &proof.inner, &r_y)?;
    let (m_eval, z_eval) = matrix_and_z_evaluations(vk, statement.public, &batch, &r_x, &r_y, proof.witness_eval);
    let terms = [
        outer_final - eq_eval(&tau, &r_x) * (v_a * v_b - v_c),
        proof.outer_mask_sum,
        inner_final - m_eval * z_eval,
        proof.inner_mask_sum,
    ];
    let claimed = evaluation_claim(proof.witness_eval, terms, gamma, Fr::ONE);
    let (r_row, r_col) = r_y[1..].split_at(data.hyrax.row_vars());
    let weights =
        evaluation_weights(&eq_table(r_col), &r_x, &r_y, [rho_outer, rho_inner, gamma], mask_block_len(argument, s, m));
    // Format 2: the rows' combination and C_p summed, opened as one vector (padded as
    // the argument needs).
    let mut weights = weights;
    weights.resize(merged_len(argument, weights.len()), Fr::ZERO);
    let gens = message_generators(weights.len());
    let mut sum = data.hyrax.combination(&proof.witness_commitment, r_row)?;
    sum.push((proof.mask_commitment, Fr::ONE));
    let segment = [SegmentStatement { gens: &gens[..weights.len()], commitment: &sum }];
    if !proof.evaluation.verify(&segment, &vec![(value_generator(), claimed)], &weights, &mut transcript, None) {
        return Err(VerifyError::FinalEvaluations);
    }
    link_verdict(vk, statement.committed, proof, &mut transcript, LinkWeights::Powers)
}

/// An evaluation proof of the shape the key wants, every element zero.
fn placeholder_evaluation(vk: &VerifyingKey, argument: Argument) -> Opening {
    let shape = vk.data.shape;
    let lens = evaluation_segments(argument, vk.data.hyrax.row_len(), shape.row_vars, shape.witness_vars);
    let (points, scalars) = argument.counts(&lens).expect("the key's segments suit its argument");
    Opening::from_parts(argument, &vec![G1Affine::zero(); points], &vec![Fr::ZERO; scalars])
}

/// How a re-created step 7 weights a row's committed columns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkWeights {
    /// As the verifier does: `γ_ℓ^t` for the row's `t`-th committed value.
    Powers,
    /// 1 for every committed value, as if `γ_ℓ` were 1 (it is still drawn).
    Ones,
}

/// Step 7 re-created from `transcript`, the verifier's transcript after step 6.
pub(crate) fn link_verdict(
    vk: &VerifyingKey,
    committed: &[usize],
    proof: &Proof,
    transcript: &mut Transcript,
    weights: LinkWeights,
) -> Result<(), VerifyError> {
    let row_len = vk.data.hyrax.row_len();
    let gens = message_generators(row_len);
    for ((row, range), link) in link_rows(committed, row_len).zip(&proof.links) {
        let gamma = transcript.challenge_scalar(labels::LINK_BATCHING);
        let gamma = if weights == LinkWeights::Powers { gamma } else { Fr::ONE };
        let (a, powers) = link_weights(&committed[range.clone()], row_len, gamma);
        let cy = proof.value_commitments[range.clone()].iter().copied().zip(powers).collect();
        let cx = vec![(proof.witness_commitment.row_commitments[row], Fr::ONE)];
        let segment = [SegmentStatement { gens: &gens[..row_len], commitment: &cx }];
        if !link.verify(&segment, &cy, &a, transcript, None) {
            return Err(VerifyError::CommitmentLink { position: range.start });
        }
    }
    Ok(())
}

/// The step-6 proof the swap's prover sends.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SwapStep6 {
    /// Format 2's proof: one segment `(u ‖ p)` at the blind `Σ eq·ρ_i + ρ_p`, an opening
    /// of `C_u + C_p`. The old verifier accepts it.
    Merged,
    /// Today's shape, the honest prover's segments: `u` (true witness) at the rows'
    /// blind, `μ·p` at the mask blind times `μ`.
    Honest,
    /// Today's shape with what the rows really commit to: `u − c` on the row
    /// generators, `μ·p` on the mask generators.
    Shifted,
}

/// The committed-input swap (issue 12 §1) as a cheating prover:
///
/// * every row is committed as `W_i − c` (`committed_rows`), for a shift `c ∈ F^R`;
/// * `C_p` commits to the masks plus `⟨c, G_0..G_{R−1}⟩`, the shift on the *row*
///   generators (`mask_commitment`), so `Σ_i eq(r_row,i)·C_i + C_p` is the honest
///   `C_u + C_p` whatever `r_row` (`Σ_i eq(r_row,i) = 1`);
/// * steps 1–6 use the true witness `W`, which satisfies the circuit;
/// * the value commitments open to `W_j − c_{j mod R}`, what the shifted rows hold at
///   the committed indices (`committed_values`), and the link proofs open the shifted
///   rows, which they match.
///
/// `committed` are the statement's committed indices and `r` the key's row length `R`.
pub(crate) fn swap_attack<'a>(committed: &'a [usize], r: usize, shift: &'a [Fr], step6: SwapStep6) -> Cheat<'a> {
    assert_eq!(shift.len(), r, "the shift is one row");
    Cheat {
        committed_values: Some(Box::new(move |values| {
            for (v, j) in values.iter_mut().zip(committed) {
                *v -= shift[j % r];
            }
        })),
        committed_rows: Some(Box::new(move |rows| {
            for row in rows.chunks_mut(r) {
                for (x, c) in row.iter_mut().zip(shift) {
                    *x -= c;
                }
            }
        })),
        mask_commitment: Some(Box::new(move |cp| {
            *cp = (*cp + commit_vector(&message_generators(r)[..r], shift, Fr::ZERO)).into_affine();
        })),
        dot_product: Some(Box::new(move |step, argument, segments, a, blind_y, t| match (step, step6) {
            (SigmaStep::Evaluation { mask_scale }, SwapStep6::Merged) => {
                Some(merged(argument, segments, mask_scale, a, blind_y, t))
            }
            (SigmaStep::Evaluation { .. }, SwapStep6::Shifted) => {
                let u: Vec<Fr> = segments[0].x.iter().zip(shift).map(|(x, c)| *x - c).collect();
                let shifted = [Segment { x: &u, ..segments[0] }, Segment { ..segments[1] }];
                Some(sigma(argument, &shifted, a, blind_y, t, |_, _| {}))
            }
            _ => None,
        })),
        ..Cheat::default()
    }
}
