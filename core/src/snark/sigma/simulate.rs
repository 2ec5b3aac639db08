//! The honest-verifier zero-knowledge simulator: for challenges drawn in advance,
//! uniform value splits, round messages, `β` and responses, and the `δ` they determine.

use super::{folding_coefficients, inner_product, DotProductProof, InnerProductProof};
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::{commit_value, random_scalar, Combination};
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::Field;
use ark_std::rand::{CryptoRng, RngCore};

/// The sum of a [`Combination`].
pub(crate) fn combine(terms: &Combination) -> G1Projective {
    terms.iter().map(|(p, s)| *p * s).sum()
}

fn uniform_point<R: RngCore + CryptoRng>(rng: &mut R) -> G1Affine {
    commit_value(random_scalar(rng), random_scalar(rng)).into_affine()
}

/// An accepting [`DotProductProof`] for the blocks `(G^(k), C_k)`, `C_y` and `a`,
/// without any opening, and the challenges it must be checked with, in the
/// verifier's order (`w`, then per block its round challenges and `c`).
///
/// Real proofs have the same distribution: each split `C_{y,k}` (`k < K − 1`), `L_j`,
/// `R_j` and `β` carries a fresh uniform blind, so it is a uniform point independent of
/// everything else; `z` and `z_blind` are uniform because `d` and `r_δ` are; and `δ` is
/// then the one point the verifier's equation leaves.
pub(crate) fn dot_product<R: RngCore + CryptoRng>(
    blocks: &[(&[G1Affine], G1Projective)],
    cy: G1Projective,
    a: &[Fr],
    rng: &mut R,
) -> (DotProductProof, Vec<Fr>) {
    let splits: Vec<G1Affine> = (1..blocks.len()).map(|_| uniform_point(rng)).collect();
    let w = random_scalar(rng);
    let u = G1Projective::from(value_generator()) * w;
    let h = G1Projective::from(blinding_generator());
    let mut challenges = vec![w];
    let mut a_rest = a;
    let mut proofs = Vec::new();
    for (k, (gens, cx)) in blocks.iter().enumerate() {
        let (a_k, rest) = a_rest.split_at(gens.len());
        a_rest = rest;
        let cy_k =
            if k + 1 < blocks.len() { G1Projective::from(splits[k]) } else { splits.iter().fold(cy, |acc, p| acc - p) };
        // Γ = C_k + w·C_{y,k}, folded with uniform L_j, R_j: Γ ← L_j + e_j·Γ + e_j²·R_j.
        let mut gamma = *cx + cy_k * w;
        let (mut l, mut r, mut rounds) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..gens.len().trailing_zeros() {
            let (l_j, r_j, e) = (uniform_point(rng), uniform_point(rng), random_scalar(rng));
            gamma = gamma * e + l_j + r_j * e.square();
            l.push(l_j);
            r.push(r_j);
            rounds.push(e);
        }
        let s = folding_coefficients(&rounds);
        let g_hat = G1Projective::msm_unchecked(gens, &s);
        let a_hat = inner_product(&s, a_k);
        let (beta, z, z_blind, c) = (uniform_point(rng), random_scalar(rng), random_scalar(rng), random_scalar(rng));
        // δ = z·(ĝ + â·U) + z_blind·H − c·Γ̂ − â·β.
        let delta =
            ((g_hat + u * a_hat) * z + h * z_blind - gamma * c - G1Projective::from(beta) * a_hat).into_affine();
        challenges.extend(rounds);
        challenges.push(c);
        proofs.push(InnerProductProof { l, r, delta, beta, z, z_blind });
    }
    (DotProductProof { splits, blocks: proofs }, challenges)
}
