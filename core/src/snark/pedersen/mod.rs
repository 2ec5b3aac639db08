//! Pedersen commitments over BN254 G1: the bottom of the proof system.
//!
//! Everything that commits ([`crate::snark::sigma`], [`crate::snark::pcs`],
//! [`crate::snark::spartan`]) uses the generators and the two commitment forms
//! defined here, so checks that share a commitment share its generators:
//!
//! * a vector commitment `⟨x, G⟩ + ρ·H` over the message generators `G_0, G_1, …`;
//! * a value commitment `v·V + ρ·H`.
//!
//! Both are perfectly hiding when the blind `ρ` is uniform, and binding under the
//! discrete-logarithm assumption because no relation between `G_i`, `V` and `H`
//! is known ([`generators`]).

pub mod generators;

#[cfg(feature = "prover")]
mod commit;
pub(crate) mod fixed_base;
mod fq_inverse;
#[cfg(feature = "prover")]
pub(crate) use commit::{blinding_terms, commit_value, commit_vector, random_scalar, Drawn, Randomness};

use ark_bn254::{Fr, G1Affine};

/// A group element as a linear combination `Σ_j s_j·P_j` of known points, so that a
/// verifier can fold it into one multi-scalar multiplication.
pub(crate) type Combination = Vec<(G1Affine, Fr)>;
