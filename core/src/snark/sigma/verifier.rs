//! Checking the dot-product proof.

use super::{inner_product, BlockStatement, DotProductProof, DOT_BATCHING, DOT_CHALLENGE, DOT_FIRST};
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::Combination;
use crate::snark::transcript::{FiatShamir, Transcript};
use ark_bn254::Fr;
use ark_ff::{Field, Zero};

impl DotProductProof {
    /// Checks the proof for the blocks' commitments, `C_y` and `a` (`a.len()` must
    /// equal the blocks' total length, which callers fix from the key), the
    /// commitments given as linear combinations `Σ_j s_j·P_j` of points (see
    /// [`Combination`]). Returns whether every equation holds:
    /// `c·C_k + δ_k = ⟨z_k, G^(k)⟩ + z_{δ,k}·H` for each block `k` and
    /// `c·C_y + β = ⟨z, a⟩·V + z_β·H`.
    ///
    /// They are checked as one multi-scalar multiplication: `Σ_k ρ^k·E_k + ρ^K·E_y = 0`
    /// for the differences `E_k`, `E_y` of the two sides and `ρ` hashed from the
    /// first messages, `c` and the responses, which determine the differences (the
    /// statement being bound by `c`). If any difference is nonzero, the sum is zero
    /// for at most `K` values of `ρ`.
    pub(crate) fn verify(
        &self,
        blocks: &[BlockStatement<'_>],
        cy: &Combination,
        a: &[Fr],
        transcript: &mut impl FiatShamir,
    ) -> bool {
        let mut first = self.deltas.clone();
        first.push(self.beta);
        transcript.append_points(DOT_FIRST, &first);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        let total: usize = blocks.iter().map(|b| b.gens.len()).sum();
        if self.deltas.len() != blocks.len()
            || self.z_deltas.len() != blocks.len()
            || self.z.len() != total
            || a.len() != total
        {
            return false;
        }
        let mut batching = Transcript::new(DOT_BATCHING);
        batching.append_points(b"first-message", &first);
        batching.append_scalars(b"challenge", &[c]);
        batching.append_scalars(b"response", &self.z);
        batching.append_scalars(b"response-blinds", &self.z_deltas);
        batching.append_scalars(b"response-blinds", &[self.z_beta]);
        let rho = batching.challenge_scalar(b"rho");
        // ρ^k for block k, ρ^K for the value equation.
        let powers: Vec<Fr> =
            core::iter::successors(Some(Fr::ONE), |p| Some(*p * rho)).take(blocks.len() + 1).collect();
        let rho_y = powers[blocks.len()];
        let capacity =
            total + 3 + 2 * blocks.len() + cy.len() + blocks.iter().map(|b| b.commitment.len()).sum::<usize>();
        let mut bases = Vec::with_capacity(capacity);
        let mut scalars = Vec::with_capacity(capacity);
        let mut z_rest = &self.z[..];
        let mut h_scalar = rho_y * self.z_beta;
        for (((block, delta), z_delta), p) in blocks.iter().zip(&self.deltas).zip(&self.z_deltas).zip(&powers) {
            let (z_k, rest) = z_rest.split_at(block.gens.len());
            z_rest = rest;
            bases.extend_from_slice(block.gens);
            scalars.extend(z_k.iter().map(|z| *p * z));
            h_scalar += *p * z_delta;
            bases.push(*delta);
            scalars.push(-*p);
            for (point, s) in block.commitment {
                bases.push(*point);
                scalars.push(-c * p * s);
            }
        }
        let fixed = [
            (blinding_generator(), h_scalar),
            (value_generator(), rho_y * inner_product(&self.z, a)),
            (self.beta, -rho_y),
        ];
        for (point, s) in fixed.into_iter().chain(cy.iter().map(|(p, s)| (*p, -rho_y * c * s))) {
            bases.push(point);
            scalars.push(s);
        }
        crate::snark::parallel::msm(&bases, &scalars).is_zero()
    }
}
