//! Proving the dot-product proof (prover only).

use super::schedule::{Fold, Layout, Side};
use super::{inner_product, labels, DotProductProof};
use crate::snark::parallel::join;
use crate::snark::pedersen::{fixed_base, Randomness};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::Field;

/// One segment of a dot-product statement, prover side: the vector `x_k`, its own
/// generators `G^(k)` (exactly `x_k.len()` of them, a power of two) and the blind of
/// `C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`.
pub(crate) struct Segment<'a> {
    /// The generators this segment is committed on.
    pub gens: &'a [G1Affine],
    /// The committed vector.
    pub x: &'a [Fr],
    /// Its blind `ρ_k`.
    pub blind: Fr,
}

/// A prover message of a dot-product proof, as shown to a hook just before the
/// transcript absorbs it (`spartan::adversary_tests` plays cheating provers with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Message {
    /// `[L_j, R_j]` of round `round`.
    Round(usize),
    /// `[δ, β]`; the linear argument's (`super::linear`) `[δ]`.
    Final,
}

/// The number of scalars [`DotProductProof::prove`] draws for segments of these
/// lengths: `2ν` round blinds for its `ν` rounds, then `d, r_δ, r_β`.
pub(crate) fn randomness_len(segment_lens: &[usize]) -> usize {
    2 * Layout::new(segment_lens).map_or(0, |layout| layout.rounds()) + 3
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for `x = (x_0 ‖ x_1)` the segments' vectors and
    /// `C_y = ⟨x, a⟩·V + blind_y·H` (`a.len()` must be the segments' total length, each
    /// segment's a power of two, and there must be one or two segments). The statement
    /// (the commitments, `C_y` and `a`) must already be bound by the transcript.
    #[cfg(test)]
    pub(crate) fn prove(
        segments: &[Segment<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut impl Randomness,
    ) -> Self {
        Self::prove_with_hook(segments, a, blind_y, transcript, rng, |_, _| {})
    }

    /// [`DotProductProof::prove`], passing every point message to `hook` just before it
    /// is absorbed: a cheating prover's deviation, consistent with the transcript
    /// (`spartan::adversary_tests`). The prover carries on from the honest secrets
    /// whatever the hook does.
    ///
    /// While more than four positions are left, the generators are not folded: the
    /// folded generator at a position is `Σ_t s_t·G_t` over the original generators `t`
    /// now at that position, with `s_t` built up round by round as in
    /// [`Layout::folding_coefficients`]. So each `L_j`, `R_j` is one MSM over
    /// the original generators of the right, respectively left, half with scalars
    /// `x_i·s_t`, on precomputed tables ([`fixed_base`]); `⟨x, a⟩·U` is taken as
    /// `(w·⟨x, a⟩)·V`. Then the folded generators are computed as points and folded
    /// ([`Folded`]). The points, hence the proof, are those of the folding prover.
    pub(crate) fn prove_with_hook(
        segments: &[Segment<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut impl Randomness,
        mut hook: impl FnMut(Message, &mut [G1Affine]),
    ) -> Self {
        let lens: Vec<usize> = segments.iter().map(|s| s.x.len()).collect();
        let mut layout = Layout::new(&lens).expect("one or two segments of power-of-two lengths");
        assert!(segments.iter().all(|s| s.gens.len() == s.x.len()), "one generator per entry");
        assert_eq!(a.len(), lens.iter().sum::<usize>(), "one weight per entry");
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        // The original generators' tables, entry t being (segment, index) in order.
        let runs: Vec<&[G1Affine]> = segments.iter().map(|s| s.gens).collect();
        let tables = fixed_base::RunTables::new(&runs);
        let gens: Vec<&[G1Affine]> = tables.shifts().collect();
        let fixed = fixed_base::value_and_blinding();
        let (v, h) = (fixed.shifts(0), fixed.shifts(1));
        let mut x: Vec<Vec<Fr>> = segments.iter().map(|s| s.x.to_vec()).collect();
        let mut weights: Vec<Vec<Fr>> = Vec::new();
        let mut rest = a;
        for len in &lens {
            let (a_k, tail) = rest.split_at(*len);
            weights.push(a_k.to_vec());
            rest = tail;
        }
        let mut blind = segments.iter().map(|s| s.blind).sum::<Fr>() + w * blind_y;
        let mut folded = Folded::Implicit(vec![Fr::ONE; gens.len()]);
        let (mut ls, mut rs) = (Vec::new(), Vec::new());
        while let Some(fold) = layout.next_fold() {
            if layout.len() <= MATERIALIZE_AT {
                folded.materialize(&layout, &gens);
            }
            let ((x_l, x_r), (a_l, a_r)) = (layout.halves(fold, &x), layout.halves(fold, &weights));
            let (blind_l, blind_r) = (rng.scalar(), rng.scalar());
            // ⟨x_side, G_other⟩ + ⟨x_side, a_other⟩·U + blind·H.
            let cross = |x_side: &[Fr], a_other: &[Fr], blind: Fr, side: Half| {
                let fixed = [(v, w * inner_product(x_side, a_other)), (h, blind)];
                folded.cross(&layout, fold, &gens, x_side, side, fixed)
            };
            let (l, r) = join(|| cross(x_l, a_r, blind_l, Half::Right), || cross(x_r, a_l, blind_r, Half::Left));
            let mut message = G1Projective::normalize_batch(&[l, r]);
            hook(Message::Round(ls.len()), &mut message);
            transcript.append_points(labels::ROUND, &message);
            ls.push(message[0]);
            rs.push(message[1]);
            let e = transcript.challenge_scalar(labels::ROUND_CHALLENGE);
            // x ← x_L + e·x_R, a ← e·a_L + a_R (and G ← e·G_L + G_R); a segment left
            // alone keeps its x, its a and G times e.
            folded.fold(&layout, fold, e);
            layout.fold_vectors(fold, &mut x, |l, r| *l + e * r, |_| {});
            layout.fold_vectors(fold, &mut weights, |l, r| e * l + r, |a| *a *= e);
            layout.fold(fold);
            blind = blind_l + e * blind + e * e * blind_r;
        }
        // Length 1: Γ̂ = x̂·(ĝ + â·U) + r̂·H with ĝ = Σ_t s_t·G_t, a Schnorr-like proof of
        // knowledge of x̂, r̂.
        let (x_hat, a_hat) = (x[0][0], weights[0][0]);
        let (d, r_delta, r_beta) = (rng.scalar(), rng.scalar(), rng.scalar());
        // β is two terms: a thread of its own would mostly wait for δ's (CPU spent spinning).
        let delta = folded.last_times(&gens, d, (h, r_delta));
        let beta = fixed_base::msm([(v, d * w), (h, r_beta)]);
        let mut message = G1Projective::normalize_batch(&[delta, beta]);
        hook(Message::Final, &mut message);
        transcript.append_points(labels::FINAL, &message);
        let c = transcript.challenge_scalar(labels::FINAL_CHALLENGE);
        DotProductProof {
            l: ls,
            r: rs,
            delta: message[0],
            beta: message[1],
            z: d + c * x_hat,
            z_blind: c * blind + a_hat * r_beta + r_delta,
        }
    }
}

/// Below this many positions left, the prover computes the folded generators as points
/// and folds them as the textbook prover does: a few scalar multiplications then cost
/// less than passes over all the original generators (BENCHMARKS.md, "Format 8").
const MATERIALIZE_AT: usize = 4;

/// A term of a fixed-base MSM: a base (its shifts) and its scalar.
type Term<'a> = (&'a [G1Affine], Fr);

/// Which half of a round's pair an MSM runs over.
#[derive(Clone, Copy)]
enum Half {
    Left,
    Right,
}

/// The folded generators of the positions left.
enum Folded {
    /// As `Σ_t s_t·G_t` over the original generators now at each position, one coefficient
    /// `s_t` per original (the verifier's folding coefficients of the rounds so far).
    Implicit(Vec<Fr>),
    /// As points, per segment and position.
    Points(Vec<Vec<G1Projective>>),
}

impl Folded {
    /// Computes the folded generators as points, once (an MSM per position over its
    /// originals, `n` terms in all, on the fixed-base tables).
    fn materialize(&mut self, layout: &Layout, gens: &[&[G1Affine]]) {
        let Folded::Implicit(s) = self else { return };
        let mut terms: Vec<Vec<Vec<Term<'_>>>> = layout.lens().iter().map(|&len| vec![Vec::new(); len]).collect();
        for (t, (g, s_t)) in gens.iter().zip(s.iter()).enumerate() {
            let (k, i) = layout.position(t);
            terms[k][i].push((*g, *s_t));
        }
        *self = Folded::Points(
            terms.into_iter().map(|segment| segment.into_iter().map(fixed_base::msm).collect()).collect(),
        );
    }

    /// `Σ_i x_side[i]·Ĝ_i` over the folded generators `Ĝ` of `half` of `fold`, plus the
    /// `fixed` terms (on `V` and `H`).
    fn cross(
        &self,
        layout: &Layout,
        fold: Fold,
        gens: &[&[G1Affine]],
        x_side: &[Fr],
        half: Half,
        fixed: [Term<'_>; 2],
    ) -> G1Projective {
        let wanted = |side: Side| match (side, half) {
            (Side::Left(i), Half::Left) | (Side::Right(i), Half::Right) => Some(i),
            _ => None,
        };
        match self {
            Folded::Implicit(s) => {
                let terms =
                    (0..gens.len()).filter_map(|t| wanted(layout.side(fold, t)).map(|i| (gens[t], x_side[i] * s[t])));
                fixed_base::msm(terms.chain(fixed))
            }
            Folded::Points(points) => {
                let (left, right) = layout.halves(fold, points);
                let g = match half {
                    Half::Left => left,
                    Half::Right => right,
                };
                g.iter().zip(x_side).map(|(g_i, x_i)| *g_i * x_i).sum::<G1Projective>() + fixed_base::msm(fixed)
            }
        }
    }

    /// `d·ĝ` plus the `fixed` term, once one position is left.
    fn last_times(&self, gens: &[&[G1Affine]], d: Fr, fixed: Term<'_>) -> G1Projective {
        match self {
            Folded::Implicit(s) => fixed_base::msm(gens.iter().zip(s).map(|(g, s_t)| (*g, d * s_t)).chain([fixed])),
            Folded::Points(points) => points[0][0] * d + fixed_base::msm([fixed]),
        }
    }

    /// The generators after round `fold` with challenge `e`: `e·G_L + G_R` on the pair,
    /// `e·G` on a segment left alone.
    fn fold(&mut self, layout: &Layout, fold: Fold, e: Fr) {
        match self {
            Folded::Implicit(s) => layout.fold_coefficients(fold, s, e),
            Folded::Points(points) => layout.fold_vectors(fold, points, |l, r| *l * e + r, |g| *g *= e),
        }
    }
}
