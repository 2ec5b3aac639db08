//! Committing (prover only): the commitment forms of [`super`] and their blinds.

use super::generators::{blinding_generator, value_generator};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::UniformRand;
use ark_std::rand::{CryptoRng, RngCore};

/// `v·V + ρ·H`.
pub(crate) fn commit_value(v: Fr, blind: Fr) -> G1Projective {
    G1Projective::from(value_generator()) * v + G1Projective::from(blinding_generator()) * blind
}

/// `⟨x, G⟩ + ρ·H` over the first `x.len()` generators of `gens`.
pub(crate) fn commit_vector(gens: &[G1Affine], x: &[Fr], blind: Fr) -> G1Projective {
    // One MSM over (G_0, …, G_{n-1}, H): cheaper than a separate multiplication by H.
    let mut bases = Vec::with_capacity(x.len() + 1);
    bases.extend_from_slice(&gens[..x.len()]);
    bases.push(blinding_generator());
    let mut scalars = Vec::with_capacity(x.len() + 1);
    scalars.extend_from_slice(x);
    scalars.push(blind);
    crate::snark::parallel::msm(&bases, &scalars)
}

/// A uniformly random scalar (a blind or a Σ-protocol mask).
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    Fr::rand(rng)
}
