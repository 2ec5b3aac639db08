//! Proving the dot-product proof (prover only).

use super::{inner_product, labels, DotProductProof, InnerProductProof};
use crate::snark::parallel::msm;
use crate::snark::pedersen::generators::{blinding_generator, value_generator};
use crate::snark::pedersen::{commit_value, random_scalar};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_std::rand::{CryptoRng, RngCore};

/// One block of a dot-product statement, prover side: the vector `x_k`, its own
/// generators `G^(k)` (exactly `x_k.len()` of them, a power of two) and the blind of
/// `C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`.
pub(crate) struct Block<'a> {
    /// The generators this block is committed on.
    pub gens: &'a [G1Affine],
    /// The committed vector.
    pub x: &'a [Fr],
    /// Its blind `ρ_k`.
    pub blind: Fr,
}

/// A prover message of a dot-product proof, as shown to a hook just before the
/// transcript absorbs it (`spartan::adversary_tests` plays cheating provers with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Message {
    /// The value splits `C_{y,0} … C_{y,K−2}`.
    Splits,
    /// `[L_j, R_j]` of round `round` of block `block`.
    Round { block: usize, round: usize },
    /// `[δ, β]` of block `block`.
    Final { block: usize },
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for the blocks `x = (x_0 ‖ …)` and `C_y = ⟨x, a⟩·V + blind_y·H`
    /// (`a.len()` must be the blocks' total length, each block's a power of two). The
    /// statement (every `C_k`, `C_y` and `a`) must already be bound by the transcript.
    pub(crate) fn prove<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
    ) -> Self {
        Self::prove_with_hook(blocks, a, blind_y, transcript, rng, |_, _| {})
    }

    /// [`DotProductProof::prove`], passing every point message to `hook` just before it
    /// is absorbed: a cheating prover's deviation, consistent with the transcript
    /// (`spartan::adversary_tests`). The prover carries on from the honest secrets
    /// whatever the hook does.
    pub(crate) fn prove_with_hook<R: RngCore + CryptoRng>(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut R,
        mut hook: impl FnMut(Message, &mut [G1Affine]),
    ) -> Self {
        assert!(!blocks.is_empty(), "a dot-product proof has at least one block");
        assert_eq!(a.len(), blocks.iter().map(|b| b.x.len()).sum::<usize>(), "one weight per entry");
        let mut a_rest = a;
        let weights: Vec<&[Fr]> = blocks
            .iter()
            .map(|b| {
                let (a_k, rest) = a_rest.split_at(b.x.len());
                a_rest = rest;
                a_k
            })
            .collect();
        // The value split: fresh blinds for all blocks but the last, which takes the rest.
        let last = blocks.len() - 1;
        let mut split_blinds: Vec<Fr> = (0..last).map(|_| random_scalar(rng)).collect();
        split_blinds.push(blind_y - split_blinds.iter().sum::<Fr>());
        let split_points: Vec<G1Projective> = blocks[..last]
            .iter()
            .zip(&weights)
            .zip(&split_blinds)
            .map(|((b, a_k), r)| commit_value(inner_product(b.x, a_k), *r))
            .collect();
        let mut splits = G1Projective::normalize_batch(&split_points);
        hook(Message::Splits, &mut splits);
        transcript.append_points(labels::VALUE_SPLIT, &splits);
        let w = transcript.challenge_scalar(labels::VALUE_WEIGHT);
        let u = (value_generator() * w).into_affine();
        let blocks = blocks
            .iter()
            .zip(&weights)
            .zip(&split_blinds)
            .enumerate()
            .map(|(k, ((b, a_k), r_y))| {
                let opening = Opening { gens: b.gens, x: b.x, a: a_k, blind: b.blind + w * r_y };
                prove_block(k, opening, u, transcript, rng, &mut hook)
            })
            .collect();
        DotProductProof { splits, blocks }
    }
}

/// The opening of `Γ = ⟨x, G⟩ + ⟨x, a⟩·U + blind·H` that one inner-product argument proves.
struct Opening<'a> {
    gens: &'a [G1Affine],
    x: &'a [Fr],
    a: &'a [Fr],
    blind: Fr,
}

/// The inner-product argument for block `k` (see [`InnerProductProof`]).
fn prove_block<R: RngCore + CryptoRng>(
    k: usize,
    opening: Opening<'_>,
    u: G1Affine,
    transcript: &mut impl FiatShamir,
    rng: &mut R,
    hook: &mut impl FnMut(Message, &mut [G1Affine]),
) -> InnerProductProof {
    let n = opening.x.len();
    assert!(n.is_power_of_two() && opening.gens.len() == n && opening.a.len() == n, "a block of 2^ν entries");
    let h = blinding_generator();
    let (mut g, mut x, mut a, mut blind) =
        (opening.gens.to_vec(), opening.x.to_vec(), opening.a.to_vec(), opening.blind);
    let (mut ls, mut rs) = (Vec::new(), Vec::new());
    let mut round = 0;
    while x.len() > 1 {
        let half = x.len() / 2;
        let (x_l, x_r) = x.split_at(half);
        let (a_l, a_r) = a.split_at(half);
        let (g_l, g_r) = g.split_at(half);
        let (blind_l, blind_r) = (random_scalar(rng), random_scalar(rng));
        // ⟨x_L, G_R⟩ + ⟨x_L, a_R⟩·U + r_L·H, one MSM each.
        let cross = |gens: &[G1Affine], x: &[Fr], a: &[Fr], blind: Fr| {
            let bases: Vec<G1Affine> = gens.iter().copied().chain([u, h]).collect();
            let scalars: Vec<Fr> = x.iter().copied().chain([inner_product(x, a), blind]).collect();
            msm(&bases, &scalars)
        };
        let mut message =
            G1Projective::normalize_batch(&[cross(g_r, x_l, a_r, blind_l), cross(g_l, x_r, a_l, blind_r)]);
        hook(Message::Round { block: k, round }, &mut message);
        transcript.append_points(labels::ROUND, &message);
        ls.push(message[0]);
        rs.push(message[1]);
        let e = transcript.challenge_scalar(labels::ROUND_CHALLENGE);
        let folded_g: Vec<G1Projective> = g_l.iter().zip(g_r).map(|(l, r)| *l * e + r).collect();
        x = x_l.iter().zip(x_r).map(|(l, r)| *l + e * r).collect();
        a = a_l.iter().zip(a_r).map(|(l, r)| e * l + r).collect();
        g = G1Projective::normalize_batch(&folded_g);
        blind = blind_l + e * blind + e * e * blind_r;
        round += 1;
    }
    // Length 1: Γ̂ = x̂·(ĝ + â·U) + r̂·H, a Schnorr-like proof of knowledge of x̂, r̂.
    let (x_hat, a_hat, g_hat) = (x[0], a[0], g[0]);
    let (d, r_delta, r_beta) = (random_scalar(rng), random_scalar(rng), random_scalar(rng));
    let delta = G1Projective::from(g_hat) * d + G1Projective::from(h) * r_delta;
    let beta = G1Projective::from(u) * d + G1Projective::from(h) * r_beta;
    let mut message = G1Projective::normalize_batch(&[delta, beta]);
    hook(Message::Final { block: k }, &mut message);
    transcript.append_points(labels::FINAL, &message);
    let c = transcript.challenge_scalar(labels::FINAL_CHALLENGE);
    InnerProductProof {
        l: ls,
        r: rs,
        delta: message[0],
        beta: message[1],
        z: d + c * x_hat,
        z_blind: c * blind + a_hat * r_beta + r_delta,
    }
}
