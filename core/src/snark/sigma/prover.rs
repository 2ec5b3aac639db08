//! Proving the dot-product proof (prover only).

use super::{inner_product, DotProductProof, DOT_CHALLENGE, DOT_FIRST};
use crate::snark::pedersen::{commit_value, commit_vector, random_scalar};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_std::rand::{CryptoRng, RngCore};

/// One block of a dot-product statement, prover side: the vector `x_k`, its own
/// generators `G^(k)` (exactly `x_k.len()` of them) and the blind of
/// `C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`.
pub(crate) struct Block<'a> {
    /// The generators this block is committed on.
    pub gens: &'a [G1Affine],
    /// The committed vector.
    pub x: &'a [Fr],
    /// Its blind `ρ_k`.
    pub blind: Fr,
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for the blocks `x = (x_0 ‖ …)` and `C_y = ⟨x, a⟩·V + blind_y·H`
    /// (`a.len()` must be the blocks' total length). The statement (every `C_k`, `C_y`
    /// and `a`) must already be bound by the transcript.
    pub(crate) fn prove<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> Self {
        Self::prove_with_hook(blocks, a, blind_y, transcript, rng, |_| {})
    }

    /// [`DotProductProof::prove`], passing the first messages `(δ_0, …, δ_{K−1}, β)` to
    /// `hook` just before they are absorbed: a cheating prover's deviation, consistent
    /// with the transcript (`spartan::adversary_tests`). The responses are computed
    /// from the honest masks whatever the hook does.
    pub(crate) fn prove_with_hook<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
        hook: impl FnOnce(&mut [G1Affine]),
    ) -> Self {
        let d: Vec<Vec<Fr>> = blocks.iter().map(|b| (0..b.x.len()).map(|_| random_scalar(rng)).collect()).collect();
        let r_deltas: Vec<Fr> = blocks.iter().map(|_| random_scalar(rng)).collect();
        let r_beta = random_scalar(rng);
        let d_all: Vec<Fr> = d.iter().flatten().copied().collect();
        let mut first: Vec<G1Projective> =
            blocks.iter().zip(&d).zip(&r_deltas).map(|((b, d), r)| commit_vector(b.gens, d, *r)).collect();
        first.push(commit_value(inner_product(&d_all, a), r_beta));
        let mut first = G1Projective::normalize_batch(&first);
        hook(&mut first);
        transcript.append_points(DOT_FIRST, &first);
        let c = transcript.challenge_scalar(DOT_CHALLENGE);
        let x_all = blocks.iter().flat_map(|b| b.x);
        DotProductProof {
            deltas: first[..blocks.len()].to_vec(),
            beta: first[blocks.len()],
            z: x_all.zip(&d_all).map(|(x, d)| c * x + d).collect(),
            z_deltas: blocks.iter().zip(&r_deltas).map(|(b, r)| c * b.blind + r).collect(),
            z_beta: c * blind_y + r_beta,
        }
    }
}
