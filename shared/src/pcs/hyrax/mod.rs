//! The Hyrax polynomial commitment (Wahby et al., S&P 2018) over BN254 G1.
//!
//! * **Commit.** View the `2^n` evaluations as a matrix `M` with `2^⌊n/2⌋` rows
//!   of length `2^⌈n/2⌉`; commit to each row with a Pedersen vector commitment
//!   `C_i = Σ_j M[i][j]·G_j + ρ_i·H` (see [`HyraxKey`] and
//!   [`crate::pcs::generators`]).
//! * **Open at `r = (r_row, r_col)`, in zero knowledge** (Hyrax §4). Since
//!   `p̃(r) = eq(r_row)ᵀ·M·eq(r_col)`, the verifier computes the commitment
//!   `Σ_i eq(r_row, i)·C_i` to `u = eq(r_row)ᵀ·M` (blind `Σ_i eq(r_row, i)·ρ_i`)
//!   itself; the prover sends only a value commitment `v·V + ρ_v·H` to `v = p̃(r)`
//!   (as part of the surrounding protocol) and a [`DotProductProof`] that
//!   `⟨u, eq(r_col)⟩ = v`. Neither `u` nor `v` is revealed.
//!
//! With uniform row blinds `ρ_i` the commitment is perfectly hiding.

pub mod data_structures;

#[cfg(feature = "prover")]
pub use data_structures::HyraxOpening;
pub use data_structures::{HyraxCommitment, HyraxKey};

use crate::error::VerifyError;
use crate::poly::eq_table;
use crate::sigma::DotProductProof;
use crate::transcript::FiatShamir;
use ark_bn254::{Fr, G1Projective};
use ark_ec::VariableBaseMSM;

#[cfg(feature = "prover")]
use ark_ec::{scalar_mul::BatchMulPreprocessing, CurveGroup};
#[cfg(feature = "prover")]
use ark_ff::{AdditiveGroup, Field, Zero};
#[cfg(feature = "prover")]
use ark_std::rand::{CryptoRng, RngCore};

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

#[cfg(feature = "prover")]
impl HyraxOpening {
    /// Proves, without revealing it, that the value committed in
    /// `value·V + value_blind·H` is the opened evaluation: a [`DotProductProof`] that
    /// `⟨u, eq(r_col)⟩` equals it, `u` being committed in `Σ_i eq(r_row, i)·C_i`.
    /// The value commitment must already be bound by the transcript.
    pub fn prove<R: RngCore + CryptoRng>(
        &self,
        key: &HyraxKey,
        value_blind: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> DotProductProof {
        DotProductProof::prove(
            key.message_generators(),
            &self.combined_row,
            self.combined_blind,
            &self.col_weights,
            value_blind,
            transcript,
            rng,
        )
    }
}

impl HyraxKey {
    /// Checks a zero-knowledge opening: `proof` shows that `value_commitment` commits
    /// to `p̃(point)` for the polynomial committed in `commitment`. Fails with
    /// [`VerifyError::PcsOpening`] if the dot-product proof fails, or
    /// [`VerifyError::Malformed`] on wrong lengths.
    pub fn verify(
        &self,
        commitment: &HyraxCommitment,
        point: &[Fr],
        value_commitment: G1Projective,
        proof: &DotProductProof,
        transcript: &mut impl FiatShamir,
    ) -> Result<(), VerifyError> {
        let check_len = |what, expected: usize, got: usize| {
            if expected == got {
                Ok(())
            } else {
                Err(VerifyError::Malformed { what, expected, got })
            }
        };
        check_len("witness commitment", self.num_rows(), commitment.row_commitments.len())?;
        check_len("opening vector", self.row_len(), proof.z.len())?;
        check_len("opening point", self.num_vars(), point.len())?;
        let (r_row, r_col) = point.split_at(self.row_vars());
        // The commitment to u = eq(r_row)ᵀ·M, homomorphically.
        let combined = G1Projective::msm_unchecked(&commitment.row_commitments, &eq_table(r_row));
        if proof.verify(self.message_generators(), combined, value_commitment, &eq_table(r_col), transcript) {
            Ok(())
        } else {
            Err(VerifyError::PcsOpening)
        }
    }
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use crate::poly::evaluate;
    use crate::sigma::{commit_value, random_scalar};
    use crate::transcript::Transcript;
    use ark_bn254::G1Affine;
    use ark_ec::AffineRepr;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn commit_open_verify_roundtrip_and_wrong_values_rejected() {
        let mut rng = StdRng::seed_from_u64(3);
        for num_vars in 1..8 {
            let key = HyraxKey::new(num_vars);
            let n = (1 << num_vars) - 1; // unpadded: the last entry is implicitly zero
            let evals: Vec<Fr> = (0..n).map(|i| if i % 3 == 0 { random_scalar(&mut rng) } else { Fr::from((i % 2) as u64) }).collect();
            let mut padded = evals.clone();
            padded.resize(1 << num_vars, Fr::zero());
            let point: Vec<Fr> = (0..num_vars).map(|_| random_scalar(&mut rng)).collect();
            let blinds: Vec<Fr> = (0..key.num_rows()).map(|_| random_scalar(&mut rng)).collect();
            let com = key.commit(&evals, &blinds);
            let opening = key.open(&evals, &blinds, &point);
            assert_eq!(opening.value, evaluate(&padded, &point));
            let vb = random_scalar(&mut rng);
            let proof = opening.prove(&key, vb, &mut Transcript::new(b"t"), &mut rng);
            let good = commit_value(opening.value, vb);
            assert_eq!(key.verify(&com, &point, good, &proof, &mut Transcript::new(b"t")), Ok(()));
            let bad = commit_value(opening.value + Fr::ONE, vb);
            assert_eq!(key.verify(&com, &point, bad, &proof, &mut Transcript::new(b"t")), Err(VerifyError::PcsOpening));
        }
    }

    #[test]
    fn zero_polynomial_commits_to_identity() {
        let key = HyraxKey::new(4);
        let com = key.commit(&[Fr::zero(); 16], &vec![Fr::zero(); key.num_rows()]);
        assert!(com.row_commitments.iter().all(|c| *c == G1Affine::zero()));
    }
}
