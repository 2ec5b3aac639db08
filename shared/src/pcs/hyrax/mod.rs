//! The Hyrax polynomial commitment (Wahby et al., S&P 2018) over BN254 G1.
//!
//! * **Commit.** View the `2^n` evaluations as a matrix `M` with `2^⌊n/2⌋` rows
//!   of length `2^⌈n/2⌉`; commit to each row with a Pedersen vector commitment
//!   `C_i = Σ_j M[i][j]·G_j + ρ_i·H` (see [`HyraxKey`] and
//!   [`crate::pcs::generators`]).
//! * **Open at `r = (r_row, r_col)`.** Since `p̃(r) = eq(r_row)ᵀ·M·eq(r_col)`, the
//!   prover sends `u = eq(r_row)ᵀ·M` and `ρ = Σ_i eq(r_row, i)·ρ_i`.
//! * **Verify.** Check homomorphically, in one multi-scalar multiplication, that
//!   `Σ_i eq(r_row, i)·C_i = Σ_j u_j·G_j + ρ·H`, i.e. that `u` is the committed
//!   row combination; then `p̃(r) = ⟨u, eq(r_col)⟩`.
//!
//! The blinds `ρ_i` are threaded through every step so that the commitment
//! becomes hiding once they are random (the zero-knowledge work); the current
//! deterministic prover uses zero blinds, and the opening then reveals `u`.

pub mod data_structures;

pub use data_structures::{HyraxCommitment, HyraxKey, HyraxOpening};

use crate::error::VerifyError;
use crate::poly::eq_table;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::Zero;

#[cfg(feature = "prover")]
use ark_ec::CurveGroup;
#[cfg(feature = "prover")]
use ark_ff::{AdditiveGroup, Field};

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
        let h = self.blinding_generator();
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        #[cfg(feature = "parallel")]
        let blind_iter = blinds.par_iter();
        #[cfg(not(feature = "parallel"))]
        let blind_iter = blinds.iter();
        let rows: Vec<G1Projective> = blind_iter
            .enumerate()
            .map(|(i, blind)| {
                let start = (i * self.row_len()).min(evals.len());
                let end = ((i + 1) * self.row_len()).min(evals.len());
                let row = &evals[start..end];
                let mut c = G1Projective::msm_unchecked(&gens[..row.len()], row);
                if !blind.is_zero() {
                    c += h * blind;
                }
                c
            })
            .collect();
        HyraxCommitment { row_commitments: G1Projective::normalize_batch(&rows) }
    }

    /// Opens the committed polynomial at `point` (length `num_vars`): returns the
    /// opening and the value `p̃(point)`.
    pub fn open(&self, evals: &[Fr], blinds: &[Fr], point: &[Fr]) -> (HyraxOpening, Fr) {
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
        let value = inner_product(&combined_row, &eq_table(r_col));
        (HyraxOpening { combined_row, combined_blind }, value)
    }
}

impl HyraxKey {
    /// Checks `opening` against `commitment` at `point` and returns the opened value
    /// `p̃(point)`. Fails with [`VerifyError::PcsOpening`] if the homomorphic check
    /// fails, or [`VerifyError::Malformed`] on wrong lengths.
    pub fn verify(
        &self,
        commitment: &HyraxCommitment,
        point: &[Fr],
        opening: &HyraxOpening,
    ) -> Result<Fr, VerifyError> {
        let check_len = |what, expected: usize, got: usize| {
            if expected == got {
                Ok(())
            } else {
                Err(VerifyError::Malformed { what, expected, got })
            }
        };
        check_len("witness commitment", self.num_rows(), commitment.row_commitments.len())?;
        check_len("opening vector", self.row_len(), opening.combined_row.len())?;
        check_len("opening point", self.num_vars(), point.len())?;
        let (r_row, r_col) = point.split_at(self.row_vars());

        // One MSM: Σ_i eq(r_row,i)·C_i − Σ_j u_j·G_j − ρ·H must be the identity.
        let mut bases = Vec::with_capacity(self.num_rows() + self.row_len() + 1);
        bases.extend_from_slice(&commitment.row_commitments);
        bases.extend_from_slice(self.message_generators());
        bases.push(self.blinding_generator());
        let mut scalars = eq_table(r_row);
        scalars.extend(opening.combined_row.iter().map(|u| -*u));
        scalars.push(-opening.combined_blind);
        if !msm_is_zero(&bases, &scalars) {
            return Err(VerifyError::PcsOpening);
        }
        Ok(inner_product(&opening.combined_row, &eq_table(r_col)))
    }
}

/// Whether `Σ scalars_i·bases_i` is the identity; with the `parallel` feature the
/// MSM is split in two halves computed on two threads.
fn msm_is_zero(bases: &[G1Affine], scalars: &[Fr]) -> bool {
    #[cfg(feature = "parallel")]
    {
        let mid = bases.len() / 2;
        let (lo, hi) = crate::parallel::join(
            || G1Projective::msm_unchecked(&bases[..mid], &scalars[..mid]),
            || G1Projective::msm_unchecked(&bases[mid..], &scalars[mid..]),
        );
        (lo + hi).is_zero()
    }
    #[cfg(not(feature = "parallel"))]
    G1Projective::msm_unchecked(bases, scalars).is_zero()
}

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

#[cfg(all(test, feature = "prover"))]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;
    use crate::poly::evaluate;
    use ark_ff::UniformRand;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn commit_open_verify_roundtrip_with_and_without_blinds() {
        let mut rng = StdRng::seed_from_u64(3);
        for num_vars in 1..8 {
            let key = HyraxKey::new(num_vars);
            let n = (1 << num_vars) - 1; // unpadded: the last entry is implicitly zero
            let evals: Vec<Fr> = (0..n).map(|i| if i % 3 == 0 { Fr::rand(&mut rng) } else { Fr::from((i % 2) as u64) }).collect();
            let mut padded = evals.clone();
            padded.resize(1 << num_vars, Fr::zero());
            let point: Vec<Fr> = (0..num_vars).map(|_| Fr::rand(&mut rng)).collect();
            for blinds in [vec![Fr::zero(); key.num_rows()], (0..key.num_rows()).map(|_| Fr::rand(&mut rng)).collect()] {
                let com = key.commit(&evals, &blinds);
                let (opening, value) = key.open(&evals, &blinds, &point);
                assert_eq!(value, evaluate(&padded, &point));
                assert_eq!(key.verify(&com, &point, &opening), Ok(value));
                let mut bad = opening.clone();
                bad.combined_row[0] += Fr::from(1u64);
                assert_eq!(key.verify(&com, &point, &bad), Err(VerifyError::PcsOpening));
                let mut bad = opening.clone();
                bad.combined_blind += Fr::from(1u64);
                assert_eq!(key.verify(&com, &point, &bad), Err(VerifyError::PcsOpening));
            }
        }
    }

    #[test]
    fn zero_polynomial_commits_to_identity() {
        let key = HyraxKey::new(4);
        let com = key.commit(&[Fr::zero(); 16], &vec![Fr::zero(); key.num_rows()]);
        assert!(com.row_commitments.iter().all(|c| *c == G1Affine::zero()));
        let point = vec![Fr::from(5u64); 4];
        let (opening, value) = key.open(&[], &vec![Fr::zero(); key.num_rows()], &point);
        assert_eq!(key.verify(&com, &point, &opening), Ok(value));
        assert!(value.is_zero());
    }
}
