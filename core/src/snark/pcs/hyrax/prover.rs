//! Committing and opening (feature `prover`).

use super::{HyraxCommitment, HyraxKey};
use crate::snark::pedersen::blinding_terms;
use crate::snark::poly::eq_table;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, Zero};

/// The prover's side of a zero-knowledge Hyrax opening at `(r_row, r_col)`: the
/// row combination `u = Σ_i eq(r_row, i)·M[i]`, its blind `Σ_i eq(r_row, i)·ρ_i`,
/// the column weights `eq(r_col)` and the value `⟨u, eq(r_col)⟩`. Never sent: the
/// proof carries a [`crate::snark::sigma::DotProductProof`] instead.
#[derive(Clone, Debug)]
pub struct HyraxOpening {
    pub(crate) combined_row: Vec<Fr>,
    pub(crate) combined_blind: Fr,
    pub(crate) col_weights: Vec<Fr>,
    /// The opened value `p̃(r_row, r_col)`.
    pub value: Fr,
}

impl HyraxKey {
    /// Commits to the polynomial with evaluation table `evals` (at most `2^num_vars`
    /// entries; missing entries are zero) using row blinds `blinds` (`num_rows` of them).
    pub fn commit(&self, evals: &[Fr], blinds: &[Fr]) -> HyraxCommitment {
        assert_eq!(blinds.len(), self.num_rows(), "one blind per row");
        self.commit_with_blind_terms(evals, &blinding_terms(blinds))
    }

    /// [`HyraxKey::commit`] given the rows' blinding terms `ρ_i·H`, which depend on no
    /// witness (a prover computes them ahead of a request, `spartan::Precomputed`).
    ///
    /// The MSMs take small scalars (bits, small integers) through arkworks' fast
    /// paths, so committing to a mostly-Boolean witness costs about one point
    /// addition per nonzero entry.
    pub(crate) fn commit_with_blind_terms(&self, evals: &[Fr], blind_terms: &[G1Affine]) -> HyraxCommitment {
        assert!(evals.len() <= self.num_rows() * self.row_len(), "too many evaluations");
        assert_eq!(blind_terms.len(), self.num_rows(), "one blind per row");
        let gens = self.message_generators();
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        #[cfg(feature = "parallel")]
        let terms = blind_terms.par_iter();
        #[cfg(not(feature = "parallel"))]
        let terms = blind_terms.iter();
        let rows: Vec<G1Projective> = terms
            .enumerate()
            .map(|(i, blind_term)| {
                let start = (i * self.row_len()).min(evals.len());
                let end = ((i + 1) * self.row_len()).min(evals.len());
                let row = &evals[start..end];
                G1Projective::msm_unchecked(&gens[..row.len()], row) + blind_term
            })
            .collect();
        HyraxCommitment { row_commitments: G1Projective::normalize_batch(&rows) }
    }

    /// Starts a zero-knowledge opening at `point` (length `num_vars`): computes the
    /// row combination `u = eq(r_row)ᵀ·M`, its blind and the value `p̃(point)`.
    pub fn open(&self, evals: &[Fr], blinds: &[Fr], point: &[Fr]) -> HyraxOpening {
        assert_eq!(point.len(), self.num_vars(), "point has the wrong number of variables");
        let (r_row, r_col) = point.split_at(self.row_vars());
        let row_weights = eq_table(r_row);
        let mut combined_row = vec![Fr::ZERO; self.row_len()];
        for (row, weight) in evals.chunks(self.row_len()).zip(&row_weights) {
            for (acc, w) in combined_row.iter_mut().zip(row) {
                // Witness entries are mostly bits: skip the multiplication for 0 and 1.
                if w.is_zero() {
                } else if *w == Fr::ONE {
                    *acc += weight;
                } else {
                    *acc += *weight * w;
                }
            }
        }
        let combined_blind = blinds.iter().zip(&row_weights).map(|(b, w)| *b * w).sum();
        let col_weights = eq_table(r_col);
        let value = combined_row.iter().zip(&col_weights).map(|(x, y)| *x * y).sum();
        HyraxOpening { combined_row, combined_blind, col_weights, value }
    }
}
