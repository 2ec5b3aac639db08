//! The Hyrax polynomial commitment (Wahby et al., S&P 2018) over BN254 G1.
//!
//! * **Commit.** View the `2^n` evaluations as a matrix `M` with `2^h` rows of
//!   length `2^(n−h)`, `h = `[`Profile::row_vars`]`(n)`; commit to each row with a Pedersen vector commitment
//!   `C_i = Σ_j M[i][j]·G_j + ρ_i·H` (see [`HyraxKey`] and
//!   [`crate::snark::pedersen::generators`]).
//! * **Open at `r = (r_row, r_col)`, in zero knowledge** (Hyrax §4). Since
//!   `p̃(r) = eq(r_row)ᵀ·M·eq(r_col)`, the verifier computes the commitment
//!   `Σ_i eq(r_row, i)·C_i` to `u = eq(r_row)ᵀ·M` (blind `Σ_i eq(r_row, i)·ρ_i`)
//!   itself ([`HyraxKey::combination`]); the prover, who holds `u` and its blind
//!   ([`HyraxOpening`]), shows `⟨u, eq(r_col)⟩ = p̃(r)` with a
//!   [`crate::snark::sigma::DotProductProof`] (logarithmic in the row length) without
//!   revealing `u`. Spartan batches
//!   that proof with its other final checks.
//!
//! With uniform row blinds `ρ_i` the commitment is perfectly hiding.

pub mod data_structures;
#[cfg(feature = "prover")]
mod prover;
mod verifier;

pub use data_structures::{HyraxCommitment, HyraxKey, Profile};
#[cfg(feature = "prover")]
pub use prover::HyraxOpening;

#[cfg(all(test, feature = "prover"))]
mod tests;
