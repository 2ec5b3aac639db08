//! Committing (prover only): the commitment forms of [`super`] and their blinds, on the
//! fixed-base tables of [`super::fixed_base`].

use super::fixed_base;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ff::UniformRand;
use ark_std::rand::{CryptoRng, RngCore};

/// `v·V + ρ·H`.
pub(crate) fn commit_value(v: Fr, blind: Fr) -> G1Projective {
    let fixed = fixed_base::value_and_blinding();
    fixed_base::msm([(fixed.shifts(0), v), (fixed.shifts(1), blind)])
}

/// `⟨x, G⟩ + ρ·H` over the first `x.len()` generators of `gens`.
pub(crate) fn commit_vector(gens: &[G1Affine], x: &[Fr], blind: Fr) -> G1Projective {
    let (tables, first) = fixed_base::tables_for(&gens[..x.len()]);
    let h = fixed_base::value_and_blinding().shifts(1);
    fixed_base::msm(x.iter().enumerate().map(|(i, x_i)| (tables.shifts(first + i), *x_i)).chain([(h, blind)]))
}

/// A uniformly random scalar (a blind or a Σ-protocol mask).
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Fr {
    Fr::rand(rng)
}
