//! Proving the dot-product proof (prover only).

use super::{inner_product, labels, DotProductProof, InnerProductProof};
use crate::snark::parallel::join;
use crate::snark::pedersen::{commit_value, fixed_base, Randomness};
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::Field;

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

/// The number of scalars [`DotProductProof::prove`] draws for blocks of these lengths
/// (powers of two): one split blind per block but the last, then per block of `2^ν`
/// entries `2ν` round blinds and `d, r_δ, r_β`.
pub(crate) fn randomness_len(block_lens: impl IntoIterator<Item = usize>) -> usize {
    block_lens.into_iter().map(|n| 1 + 2 * n.trailing_zeros() as usize + 3).sum::<usize>().saturating_sub(1)
}

impl DotProductProof {
    /// Proves `⟨x, a⟩ = y` for the blocks `x = (x_0 ‖ …)` and `C_y = ⟨x, a⟩·V + blind_y·H`
    /// (`a.len()` must be the blocks' total length, each block's a power of two). The
    /// statement (every `C_k`, `C_y` and `a`) must already be bound by the transcript.
    pub(crate) fn prove(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut impl Randomness,
    ) -> Self {
        Self::prove_with_hook(blocks, a, blind_y, transcript, rng, |_, _| {})
    }

    /// [`DotProductProof::prove`], passing every point message to `hook` just before it
    /// is absorbed: a cheating prover's deviation, consistent with the transcript
    /// (`spartan::adversary_tests`). The prover carries on from the honest secrets
    /// whatever the hook does.
    pub(crate) fn prove_with_hook(
        blocks: &[Block<'_>],
        a: &[Fr],
        blind_y: Fr,
        transcript: &mut impl FiatShamir,
        rng: &mut impl Randomness,
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
        let mut split_blinds: Vec<Fr> = (0..last).map(|_| rng.scalar()).collect();
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
        let blocks = blocks
            .iter()
            .zip(&weights)
            .zip(&split_blinds)
            .enumerate()
            .map(|(k, ((b, a_k), r_y))| {
                let opening = Opening { gens: b.gens, x: b.x, a: a_k, blind: b.blind + w * r_y };
                prove_block(k, opening, w, transcript, rng, &mut hook)
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
///
/// The generators are never folded: the folded `G_i` of round `j` is `Σ_t s_t·G_t` over
/// the original generators `t ≡ i (mod n/2^j)`, with `s_t` the product of the earlier
/// challenges of the rounds in which `t` lay in the left half (the verifier's folding
/// coefficients, [`super::folding_coefficients`], built up round by round). So each
/// `L_j`, `R_j` is one MSM over `n/2` original generators with scalars `x_i·s_t`, and
/// `δ` one over all `n`, on precomputed tables ([`fixed_base`]); `⟨x, a⟩·U` is taken
/// as `(w·⟨x, a⟩)·V`. The points, hence the proof, are those of the folding prover.
fn prove_block(
    k: usize,
    opening: Opening<'_>,
    w: Fr,
    transcript: &mut impl FiatShamir,
    rng: &mut impl Randomness,
    hook: &mut impl FnMut(Message, &mut [G1Affine]),
) -> InnerProductProof {
    let n = opening.x.len();
    assert!(n.is_power_of_two() && opening.gens.len() == n && opening.a.len() == n, "a block of 2^ν entries");
    let (tables, first) = fixed_base::tables_for(opening.gens);
    let gens = |t: usize| tables.shifts(first + t);
    let fixed = fixed_base::value_and_blinding();
    let (v, h) = (fixed.shifts(0), fixed.shifts(1));
    let (mut x, mut a, mut blind) = (opening.x.to_vec(), opening.a.to_vec(), opening.blind);
    // s_t, the coefficient of G_t in the folded generator it belongs to.
    let mut s = vec![Fr::ONE; n];
    let (mut ls, mut rs) = (Vec::new(), Vec::new());
    let mut round = 0;
    while x.len() > 1 {
        let len = x.len();
        let half = len / 2;
        let (x_l, x_r) = x.split_at(half);
        let (a_l, a_r) = a.split_at(half);
        let (blind_l, blind_r) = (rng.scalar(), rng.scalar());
        // ⟨x_side, G_other⟩ + ⟨x_side, a_other⟩·U + blind·H, the generators of the other
        // half being the t with (t mod len ≥ half) = right.
        let cross = |x_side: &[Fr], a_other: &[Fr], blind: Fr, right: bool| {
            let offset = if right { half } else { 0 };
            let terms =
                (0..n).filter(|t| (t % len >= half) == right).map(|t| (gens(t), x_side[t % len - offset] * s[t]));
            fixed_base::msm(terms.chain([(v, w * inner_product(x_side, a_other)), (h, blind)]))
        };
        let (l, r) = join(|| cross(x_l, a_r, blind_l, true), || cross(x_r, a_l, blind_r, false));
        let mut message = G1Projective::normalize_batch(&[l, r]);
        hook(Message::Round { block: k, round }, &mut message);
        transcript.append_points(labels::ROUND, &message);
        ls.push(message[0]);
        rs.push(message[1]);
        let e = transcript.challenge_scalar(labels::ROUND_CHALLENGE);
        for (t, s_t) in s.iter_mut().enumerate() {
            if t % len < half {
                *s_t *= e;
            }
        }
        x = x_l.iter().zip(x_r).map(|(l, r)| *l + e * r).collect();
        a = a_l.iter().zip(a_r).map(|(l, r)| e * l + r).collect();
        blind = blind_l + e * blind + e * e * blind_r;
        round += 1;
    }
    // Length 1: Γ̂ = x̂·(ĝ + â·U) + r̂·H with ĝ = Σ_t s_t·G_t, a Schnorr-like proof of
    // knowledge of x̂, r̂.
    let (x_hat, a_hat) = (x[0], a[0]);
    let (d, r_delta, r_beta) = (rng.scalar(), rng.scalar(), rng.scalar());
    // β is two terms: a thread of its own would mostly wait for δ's (CPU spent spinning).
    let delta = fixed_base::msm((0..n).map(|t| (gens(t), d * s[t])).chain([(h, r_delta)]));
    let beta = fixed_base::msm([(v, d * w), (h, r_beta)]);
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
