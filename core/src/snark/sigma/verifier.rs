//! Checking the dot-product proof.

use super::schedule::Layout;
use super::{inner_product, labels, DotProductProof, SegmentStatement};
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::Combination;
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine};
use ark_ff::{Field, Zero};

/// Whether an equation of [`DotProductProof::equation`] holds: its multi-scalar
/// multiplication is zero. `None` (a wrong length) never holds.
pub(crate) fn equation_holds(equation: Option<(Vec<G1Affine>, Vec<Fr>)>) -> bool {
    equation.is_some_and(|(bases, scalars)| crate::snark::parallel::msm(&bases, &scalars).is_zero())
}

impl DotProductProof {
    /// Checks the proof for the segments' commitments, `C_y` and `a`, the commitments
    /// given as linear combinations `Σ_j s_j·P_j` of points (see [`Combination`]).
    /// `a.len()` must equal the segments' total length and each segment's length must
    /// be a power of two; callers fix both from the key. Returns whether the equation of
    /// [`DotProductProof::equation`] holds, as one multi-scalar multiplication.
    pub(crate) fn verify(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> bool {
        equation_holds(self.equation(segments, cy, a, transcript))
    }

    /// Replays the proof's transcript and returns its check as the bases and scalars
    /// of one multi-scalar multiplication that is zero iff the proof is accepted, or
    /// `None` if a length is wrong: the segments (one or two, each of a power-of-two
    /// length, [`Layout::new`]), `a`'s length and the number of rounds
    /// ([`Layout::rounds`]).
    ///
    /// The equation is `c·Γ̂ + â·β + δ − z·(ĝ + â·U) − z_blind·H`, with `U = w·V`,
    /// `Γ̂ = P·(Σ_k C_k + w·C_y) + Σ_j Q_j·(L_j + e_j²·R_j)`, `P = Π_j e_j`,
    /// `Q_j = Π_{i>j} e_i`, `ĝ = Σ_t s_t·G_t` and `â = Σ_t s_t·a_t` for the folding
    /// coefficients `s` ([`Layout::folding_coefficients`]): the generators are folded in the
    /// MSM itself.
    pub(crate) fn equation(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> Option<(Vec<G1Affine>, Vec<Fr>)> {
        let lens: Vec<usize> = segments.iter().map(|s| s.gens.len()).collect();
        let layout = Layout::new(&lens)?;
        let rounds = layout.rounds();
        if a.len() != lens.iter().sum::<usize>() || self.l.len() != rounds || self.r.len() != rounds {
            return None;
        }
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        let challenges: Vec<Fr> = self
            .l
            .iter()
            .zip(&self.r)
            .map(|(l, r)| {
                transcript.append_points(labels::ROUND, &[*l, *r]);
                transcript.challenge_scalar(labels::ROUND_CHALLENGE)
            })
            .collect();
        transcript.append_points(labels::FINAL, &[self.delta, self.beta]);
        let c = transcript.challenge_scalar(labels::FINAL_CHALLENGE);

        let s = layout.folding_coefficients(&challenges)?;
        let a_hat = inner_product(&s, a);
        // Q_j = Π_{i>j} e_i, and P = Q_{−1} = Π_j e_j.
        let mut suffix = vec![Fr::ONE; rounds + 1];
        for j in (0..rounds).rev() {
            suffix[j] = suffix[j + 1] * challenges[j];
        }
        let cp = c * suffix[0];
        let commitments = segments.iter().map(|s| s.commitment.len()).sum::<usize>();
        let capacity = commitments + cy.len() + 2 * rounds + 2 + s.len() + 2;
        let mut bases = Vec::with_capacity(capacity);
        let mut scalars = Vec::with_capacity(capacity);
        // c·P·Σ_k C_k and c·P·w·C_y.
        for (point, x) in segments.iter().flat_map(|s| s.commitment) {
            bases.push(*point);
            scalars.push(cp * x);
        }
        for (point, x) in cy {
            bases.push(*point);
            scalars.push(cp * w * x);
        }
        // c·Q_j·(L_j + e_j²·R_j).
        for (j, e) in challenges.iter().enumerate() {
            let q = c * suffix[j + 1];
            bases.extend([self.l[j], self.r[j]]);
            scalars.extend([q, q * e * e]);
        }
        // â·β + δ − z·ĝ − z·â·w·V − z_blind·H.
        bases.extend([self.beta, self.delta]);
        scalars.extend([a_hat, Fr::ONE]);
        bases.extend(segments.iter().flat_map(|s| s.gens));
        scalars.extend(s.iter().map(|s_t| -self.z * s_t));
        bases.extend([value_generator(), blinding_generator()]);
        scalars.extend([-self.z * a_hat * w, -self.z_blind]);
        Some((bases, scalars))
    }
}
