//! Checking the linear dot-product proof.

use super::super::verifier::Equation;
use super::super::{inner_product, labels, SegmentStatement};
use super::LinearProof;
use crate::snark::pedersen::Combination;
use crate::snark::transcript::FiatShamir;
use ark_bn254::Fr;
use ark_ff::Field;

impl LinearProof {
    /// Replays the proof's transcript and returns its check as one multi-scalar
    /// multiplication that is zero iff the proof is accepted, or `None` if the number of
    /// responses is not the segments' total length or `a`'s.
    ///
    /// The equation is `δ + c·(Σ_k C_k + w·C_y) − ⟨z, G⟩ − (w·⟨z, a⟩)·V − z_blind·H`.
    pub(crate) fn equation(
        &self,
        segments: &[SegmentStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> Option<Equation> {
        let n: usize = segments.iter().map(|s| s.gens.len()).sum();
        if a.len() != n || self.z.len() != n {
            return None;
        }
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        transcript.append_points(labels::LINEAR_MESSAGE, &[self.delta]);
        let c = transcript.challenge_scalar(labels::LINEAR_CHALLENGE);

        // c·(Σ_k C_k + w·C_y) + δ.
        let mut equation = Equation::on_statement(segments, cy, c, w, 1 + n + 2);
        equation.push(self.delta, Fr::ONE);
        // − ⟨z, G⟩ − (w·⟨z, a⟩)·V − z_blind·H, on the fixed points.
        let generators = self.z.iter().map(|z_t| -*z_t);
        Some(equation.with_fixed(segments, generators, [-w * inner_product(&self.z, a), -self.z_blind]))
    }
}
