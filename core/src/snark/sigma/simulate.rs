//! The honest-verifier zero-knowledge simulators: for challenges drawn in advance,
//! uniform round messages, `β` and responses, and the `δ` they determine.

use super::schedule::Layout;
use super::{inner_product, Argument, DotProductProof, LinearProof, Opening};
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

/// An accepting [`DotProductProof`] for segments `(G^(k), C_k)`, `C_y` and `a`,
/// without any opening, and the challenges it must be checked with, in the
/// verifier's order (`w`, the round challenges, `c`).
///
/// Real proofs have the same distribution: each `L_j`, `R_j` and `β` carries a fresh
/// uniform blind, so it is a uniform point independent of everything else; `z` and
/// `z_blind` are uniform because `d` and `r_δ` are; and `δ` is then the one point the
/// verifier's equation leaves.
pub(crate) fn dot_product<R: RngCore + CryptoRng>(
    segments: &[(&[G1Affine], G1Projective)],
    cy: G1Projective,
    a: &[Fr],
    rng: &mut R,
) -> (DotProductProof, Vec<Fr>) {
    let lens: Vec<usize> = segments.iter().map(|(gens, _)| gens.len()).collect();
    let layout = Layout::new(&lens).expect("one or two segments of power-of-two lengths");
    let w = random_scalar(rng);
    let u = G1Projective::from(value_generator()) * w;
    let h = G1Projective::from(blinding_generator());
    // Γ = Σ_k C_k + w·C_y, folded with uniform L_j, R_j: Γ ← L_j + e_j·Γ + e_j²·R_j.
    let mut gamma = segments.iter().map(|(_, c)| *c).sum::<G1Projective>() + cy * w;
    let (mut l, mut r, mut challenges) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..layout.rounds() {
        let (l_j, r_j, e) = (uniform_point(rng), uniform_point(rng), random_scalar(rng));
        gamma = gamma * e + l_j + r_j * e.square();
        l.push(l_j);
        r.push(r_j);
        challenges.push(e);
    }
    let s = layout.folding_coefficients(&challenges).expect("as many challenges as rounds");
    let gens: Vec<G1Affine> = segments.iter().flat_map(|(gens, _)| gens.iter().copied()).collect();
    let g_hat = G1Projective::msm_unchecked(&gens, &s);
    let a_hat = inner_product(&s, a);
    let (beta, z, z_blind, c) = (uniform_point(rng), random_scalar(rng), random_scalar(rng), random_scalar(rng));
    // δ = z·(ĝ + â·U) + z_blind·H − c·Γ̂ − â·β.
    let delta = ((g_hat + u * a_hat) * z + h * z_blind - gamma * c - G1Projective::from(beta) * a_hat).into_affine();
    let challenges = core::iter::once(w).chain(challenges).chain([c]).collect();
    (DotProductProof { l, r, delta, beta, z, z_blind }, challenges)
}

/// A [`LinearProof`] for segments `(G^(k), C_k)`, `C_y` and `a`, without any opening,
/// and its challenges in the verifier's order (`w`, `c`).
///
/// Real proofs have the same distribution: `z = d + c·x` and `z_blind = r_δ + c·r` are
/// uniform because `d` and `r_δ` are, and `δ` is then the one point the verifier's
/// equation leaves: `δ = ⟨z, G⟩ + ⟨z, a⟩·U + z_blind·H − c·Γ`.
pub(crate) fn linear<R: RngCore + CryptoRng>(
    segments: &[(&[G1Affine], G1Projective)],
    cy: G1Projective,
    a: &[Fr],
    rng: &mut R,
) -> (LinearProof, Vec<Fr>) {
    let (w, c) = (random_scalar(rng), random_scalar(rng));
    let gens: Vec<G1Affine> = segments.iter().flat_map(|(gens, _)| gens.iter().copied()).collect();
    let z: Vec<Fr> = gens.iter().map(|_| random_scalar(rng)).collect();
    let z_blind = random_scalar(rng);
    let gamma = segments.iter().map(|(_, c)| *c).sum::<G1Projective>() + cy * w;
    let u = G1Projective::from(value_generator()) * w;
    let delta = (G1Projective::msm_unchecked(&gens, &z)
        + u * inner_product(&z, a)
        + G1Projective::from(blinding_generator()) * z_blind
        - gamma * c)
        .into_affine();
    (LinearProof { delta, z, z_blind }, vec![w, c])
}

/// The simulator of `argument` ([`dot_product`], [`linear`]).
pub(crate) fn opening<R: RngCore + CryptoRng>(
    argument: Argument,
    segments: &[(&[G1Affine], G1Projective)],
    cy: G1Projective,
    a: &[Fr],
    rng: &mut R,
) -> (Opening, Vec<Fr>) {
    match argument {
        Argument::Logarithmic => {
            let (proof, challenges) = dot_product(segments, cy, a, rng);
            (Opening::Logarithmic(proof), challenges)
        }
        Argument::Linear => {
            let (proof, challenges) = linear(segments, cy, a, rng);
            (Opening::Linear(proof), challenges)
        }
    }
}
