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
// The fixed-base MSM: the prover's, and a native verifier's for a kept key's generator
// terms. The wasm verifier leaves it out (see `GeneratorTables`).
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub(crate) mod fixed_base;
#[cfg(feature = "prover")]
pub(crate) use commit::{blinding_terms, commit_value, commit_vector, random_scalar, Drawn, Randomness};

use ark_bn254::{Fr, G1Affine};

/// A group element as a linear combination `Σ_j s_j·P_j` of known points, so that a
/// verifier can fold it into one multi-scalar multiplication.
pub(crate) type Combination = Vec<(G1Affine, Fr)>;

/// The fixed-base tables of the message generators on which a verifier that keeps its key
/// checks the generator terms of each proof (`spartan::VerifyingKey::with_generator_tables`).
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
pub(crate) type GeneratorTables = fixed_base::FixedBases;

/// The wasm verifier has no generator tables: its multi-scalar multiplication on 29-bit
/// limbs (`crate::snark::limb29`) is faster without them there (BENCHMARKS.md), and they
/// would cost code, 0.6 MB of memory and a slow first key load.
#[cfg(not(any(feature = "prover", not(target_arch = "wasm32"))))]
#[derive(Debug)]
pub(crate) enum GeneratorTables {}
