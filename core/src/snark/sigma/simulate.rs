//! The honest-verifier zero-knowledge simulators: for a challenge `c` fixed in
//! advance, uniform responses and the first messages they determine.

use super::{inner_product, DotProductProof};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar, Combination};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_std::rand::{CryptoRng, RngCore};

/// The sum of a [`Combination`].
pub(crate) fn combine(terms: &Combination) -> G1Projective {
    terms.iter().map(|(p, s)| *p * s).sum()
}

/// An accepting [`DotProductProof`] for the blocks `(G^(k), C_k)`, `C_y`, `a` and
/// challenge `c`, without any opening.
pub(crate) fn dot_product<R: RngCore + CryptoRng>(
    blocks: &[(&[G1Affine], G1Projective)],
    cy: G1Projective,
    a: &[Fr],
    c: Fr,
    rng: &mut R,
) -> DotProductProof {
    let z: Vec<Fr> = a.iter().map(|_| random_scalar(rng)).collect();
    let z_deltas: Vec<Fr> = blocks.iter().map(|_| random_scalar(rng)).collect();
    let z_beta = random_scalar(rng);
    let mut z_rest = &z[..];
    let mut deltas = Vec::new();
    for ((gens, cx), z_delta) in blocks.iter().zip(&z_deltas) {
        let (z_k, rest) = z_rest.split_at(gens.len());
        z_rest = rest;
        deltas.push((commit_vector(gens, z_k, *z_delta) - *cx * c).into_affine());
    }
    let beta = (commit_value(inner_product(&z, a), z_beta) - cy * c).into_affine();
    DotProductProof { deltas, beta, z, z_deltas, z_beta }
}
