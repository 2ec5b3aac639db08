//! The verifier's side of an opening: the commitment to the row combination.

use super::{HyraxCommitment, HyraxKey};
use crate::snark::error::VerifyError;
use crate::snark::pedersen::Combination;
use crate::snark::poly::eq_table;
use ark_bn254::Fr;

impl HyraxKey {
    /// The commitment `Σ_i eq(r_row, i)·C_i` to the row combination `u` of an
    /// opening at a point whose row part is `r_row` (`row_vars` entries), as a
    /// `Combination` for the verifier's single MSM. Fails with
    /// [`VerifyError::Malformed`] if the commitment or `r_row` has the wrong length.
    pub fn combination(&self, commitment: &HyraxCommitment, r_row: &[Fr]) -> Result<Combination, VerifyError> {
        VerifyError::check_len("witness commitment", self.num_rows(), commitment.row_commitments.len())?;
        VerifyError::check_len("opening point", self.row_vars(), r_row.len())?;
        Ok(commitment.row_commitments.iter().copied().zip(eq_table(r_row)).collect())
    }
}
