//! Checking the linear dot-product proof.

use super::super::verifier::Equation;
use super::super::{inner_product, labels, SegmentStatement};
use super::LinearProof;
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
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

        let commitments = segments.iter().map(|s| s.commitment.len()).sum::<usize>();
        let capacity = commitments + cy.len() + 1 + n + 2;
        let mut bases = Vec::with_capacity(capacity);
        let mut scalars = Vec::with_capacity(capacity);
        // c·Σ_k C_k and c·w·C_y.
        for (point, x) in segments.iter().flat_map(|s| s.commitment) {
            bases.push(*point);
            scalars.push(c * x);
        }
        for (point, x) in cy {
            bases.push(*point);
            scalars.push(c * w * x);
        }
        bases.push(self.delta);
        scalars.push(Fr::ONE);
        // − ⟨z, G⟩ − (w·⟨z, a⟩)·V − z_blind·H, on the fixed points.
        let fixed = bases.len();
        bases.extend(segments.iter().flat_map(|s| s.gens));
        scalars.extend(self.z.iter().map(|z_t| -*z_t));
        bases.extend([value_generator(), blinding_generator()]);
        scalars.extend([-w * inner_product(&self.z, a), -self.z_blind]);
        Some(Equation::new(bases, scalars, fixed))
    }
}
