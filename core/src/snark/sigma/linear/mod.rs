//! The proof of a dot product with **linear** communication: Hyrax's Σ-protocol (Wahby
//! et al. 2018, §4, "proof of dot product") on the same statement as
//! [`super::DotProductProof`], with the same challenge-scaled value generator.
//!
//! On `Γ = C_x + w·C_y = ⟨x, G⟩ + ⟨x, a⟩·U + r·H` (`U = w·V`, `w` drawn first) it is
//! the Schnorr proof of knowledge of an opening of `Γ` on the bases
//! `(G_t + a_t·U)_t` and `H`:
//!
//! * the prover sends `δ = ⟨d, G⟩ + ⟨d, a⟩·U + r_δ·H` for fresh `d` (one scalar per
//!   entry) and `r_δ`;
//! * the verifier draws `c`;
//! * the prover answers `z = d + c·x` (a vector) and `z_blind = r_δ + c·r`;
//! * the verifier checks `δ + c·Γ = ⟨z, G⟩ + ⟨z, a⟩·U + z_blind·H`.
//!
//! Against the logarithmic argument it sends `n + 1` scalars and one point instead of
//! `2⌈log₂ n⌉ + 2` points and two scalars, and its prover does almost nothing once the
//! witness is known: `⟨d, G⟩ + r_δ·H` depends on the randomness alone, so it is made
//! ahead of a request ([`Nonce`]), and what is left is `⟨d, a⟩` and one fixed-base
//! multiplication of `V`. The segments need not have power-of-two lengths.
//!
//! Special soundness: two accepting transcripts with the same `δ` and `c ≠ c'` give
//! `x = (z − z')/(c − c')` and `r` with `Γ = ⟨x, G⟩ + ⟨x, a⟩·U + r·H`; from there the
//! argument that `C_x` and `C_y` open separately is the logarithmic argument's
//! (`docs/PROTOCOL-zk.md` §4). HVZK: for `c` fixed in advance, `z` and `z_blind` are
//! uniform and `δ` is the one point the check leaves ([`super::simulate::linear`]).

#[cfg(feature = "prover")]
mod prover;
mod verifier;

#[cfg(feature = "prover")]
pub(crate) use prover::Nonce;
#[cfg(all(test, feature = "prover"))]
mod tests;

use ark_bn254::{Fr, G1Affine};

/// A proof of a dot product with linear communication (module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinearProof {
    /// `δ = ⟨d, G⟩ + ⟨d, a⟩·U + r_δ·H`.
    pub(crate) delta: G1Affine,
    /// `z = d + c·x`, one response per entry.
    pub(crate) z: Vec<Fr>,
    /// `z_blind = r_δ + c·r`.
    pub(crate) z_blind: Fr,
}

impl LinearProof {
    /// Its points, in encoding order: `δ`.
    pub(crate) fn points(&self) -> impl Iterator<Item = &G1Affine> {
        core::iter::once(&self.delta)
    }

    /// Its scalars, in encoding order: `z_0, …, z_{n−1}, z_blind`.
    pub(crate) fn scalars(&self) -> impl Iterator<Item = &Fr> {
        self.z.iter().chain([&self.z_blind])
    }
}
