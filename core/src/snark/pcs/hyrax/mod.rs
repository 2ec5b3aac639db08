//! The Hyrax polynomial commitment (Wahby et al., S&P 2018) over BN254 G1.
//!
//! * **Commit.** View the `2^n` evaluations as a matrix `M` with `2^⌊n/2⌋` rows
//!   of length `2^⌈n/2⌉`; commit to each row with a Pedersen vector commitment
//!   `C_i = Σ_j M[i][j]·G_j + ρ_i·H` (see [`HyraxKey`] and
//!   [`crate::snark::pedersen::generators`]).
//! * **Open at `r = (r_row, r_col)`, in zero knowledge** (Hyrax §4). Since
//!   `p̃(r) = eq(r_row)ᵀ·M·eq(r_col)`, the verifier computes the commitment
//!   `Σ_i eq(r_row, i)·C_i` to `u = eq(r_row)ᵀ·M` (blind `Σ_i eq(r_row, i)·ρ_i`)
//!   itself ([`HyraxKey::combination`]); the prover, who holds `u` and its blind
//!   ([`HyraxOpening`]), shows `⟨u, eq(r_col)⟩ = p̃(r)` with a
//!   [`crate::snark::sigma::DotProductProof`] without revealing `u`. Spartan batches
//!   that proof with its other final checks.
//!
//! With uniform row blinds `ρ_i` the commitment is perfectly hiding.

pub mod data_structures;

#[cfg(feature = "prover")]
pub use data_structures::HyraxOpening;
pub use data_structures::{HyraxCommitment, HyraxKey};

use crate::snark::error::VerifyError;
use crate::snark::poly::eq_table;
use crate::snark::pedersen::Combination;
use ark_bn254::{Fr, G1Projective};
use ark_ec::VariableBaseMSM;

#[cfg(feature = "prover")]
use ark_ec::{scalar_mul::BatchMulPreprocessing, CurveGroup};
#[cfg(feature = "prover")]
use ark_ff::{AdditiveGroup, Field, Zero};

#[cfg(feature = "prover")]
impl HyraxKey {
    /// Commits to the polynomial with evaluation table `evals` (at most `2^num_vars`
    /// entries; missing entries are zero) using row blinds `blinds` (`num_rows` of them).
    ///
    /// The MSMs take small scalars (bits, small integers) through arkworks' fast
    /// paths, so committing to a mostly-Boolean witness costs about one point
    /// addition per nonzero entry.
    pub fn commit(&self, evals: &[Fr], blinds: &[Fr]) -> HyraxCommitment {
        assert!(evals.len() <= self.num_rows() * self.row_len(), "too many evaluations");
        assert_eq!(blinds.len(), self.num_rows(), "one blind per row");
        let gens = self.message_generators();
        // All blinding terms ρ_i·H at once, with one fixed-base table for H.
        let blind_terms =
            BatchMulPreprocessing::new(G1Projective::from(self.blinding_generator()), blinds.len()).batch_mul(blinds);
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        #[cfg(feature = "parallel")]
        let blind_iter = blinds.par_iter();
        #[cfg(not(feature = "parallel"))]
        let blind_iter = blinds.iter();
        let rows: Vec<G1Projective> = blind_iter
            .enumerate()
            .map(|(i, _)| {
                let start = (i * self.row_len()).min(evals.len());
                let end = ((i + 1) * self.row_len()).min(evals.len());
                let row = &evals[start..end];
                G1Projective::msm_unchecked(&gens[..row.len()], row) + blind_terms[i]
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

impl HyraxKey {
    /// The commitment `Σ_i eq(r_row, i)·C_i` to the row combination `u` of an
    /// opening at a point whose row part is `r_row` (`row_vars` entries), as a
    /// [`Combination`] for the verifier's single MSM. Fails with
    /// [`VerifyError::Malformed`] if the commitment or `r_row` has the wrong length.
    pub fn combination(&self, commitment: &HyraxCommitment, r_row: &[Fr]) -> Result<Combination, VerifyError> {
        VerifyError::check_len("witness commitment", self.num_rows(), commitment.row_commitments.len())?;
        VerifyError::check_len("opening point", self.row_vars(), r_row.len())?;
        Ok(commitment.row_commitments.iter().copied().zip(eq_table(r_row)).collect())
    }
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::snark::pedersen::generators::value_generator;
    use crate::snark::poly::evaluate;
    use crate::snark::pedersen::{commit_vector, random_scalar};
    use crate::snark::sigma::{Block, BlockStatement, DotProductProof};
    use crate::snark::transcript::Transcript;
    use ark_bn254::G1Affine;
    use ark_ec::AffineRepr;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn commit_open_prove_roundtrip_and_wrong_values_rejected() {
        let mut rng = StdRng::seed_from_u64(3);
        for num_vars in 1..8 {
            let key = HyraxKey::new(num_vars);
            let n = (1 << num_vars) - 1; // unpadded: the last entry is implicitly zero
            let evals: Vec<Fr> =
                (0..n).map(|i| if i % 3 == 0 { random_scalar(&mut rng) } else { Fr::from((i % 2) as u64) }).collect();
            let mut padded = evals.clone();
            padded.resize(1 << num_vars, Fr::zero());
            let point: Vec<Fr> = (0..num_vars).map(|_| random_scalar(&mut rng)).collect();
            let blinds: Vec<Fr> = (0..key.num_rows()).map(|_| random_scalar(&mut rng)).collect();
            let com = key.commit(&evals, &blinds);
            let opening = key.open(&evals, &blinds, &point);
            assert_eq!(opening.value, evaluate(&padded, &point));
            let (r_row, _) = point.split_at(key.row_vars());
            let combined = key.combination(&com, r_row).unwrap();
            // The combination commits to u with the combined blind.
            let u = commit_vector(key.message_generators(), &opening.combined_row, opening.combined_blind);
            assert_eq!(crate::snark::sigma::simulate::combine(&combined), u);
            let gens = key.message_generators();
            let weights = &opening.col_weights;
            let block = [Block { gens, x: &opening.combined_row, blind: opening.combined_blind }];
            let proof = DotProductProof::prove(&block, weights, Fr::zero(), &mut Transcript::new(b"t"), &mut rng);
            let v = |value| vec![(value_generator(), value)];
            let statement = [BlockStatement { gens, commitment: &combined }];
            assert!(proof.verify(&statement, &v(opening.value), weights, &mut Transcript::new(b"t")));
            assert!(!proof.verify(&statement, &v(opening.value + Fr::ONE), weights, &mut Transcript::new(b"t")));
        }
        assert!(HyraxKey::new(4).combination(&HyraxCommitment { row_commitments: vec![] }, &[Fr::ONE; 2]).is_err());
    }

    #[test]
    fn zero_polynomial_commits_to_identity() {
        let key = HyraxKey::new(4);
        let com = key.commit(&[Fr::zero(); 16], &vec![Fr::zero(); key.num_rows()]);
        assert!(com.row_commitments.iter().all(|c| *c == G1Affine::zero()));
    }
}
