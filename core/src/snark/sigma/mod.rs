//! Zero-knowledge arguments over Pedersen commitments, made non-interactive with the
//! transcript: the proof of a dot product with logarithmic communication.
//!
//! Notation: `G_0, G_1, …` are the message generators, `V` the value generator and
//! `H` the blinding generator of [`crate::snark::pedersen::generators`]. A vector commitment is
//! `⟨x, G⟩ + ρ·H`, a value commitment `v·V + ρ·H`; both are perfectly hiding when
//! `ρ` is uniform.
//!
//! * [`DotProductProof`]: given commitments `C_k = ⟨x_k, G^(k)⟩ + ρ_k·H` to the blocks
//!   of a vector `x = (x_0 ‖ … ‖ x_{K−1})`, each on generators of its **own**, a value
//!   commitment `C_y = y·V + ρ_y·H` and a public vector `a`, proves knowledge of
//!   openings with `⟨x, a⟩ = y`. The prover splits `y` into one value commitment per
//!   block (`C_{y,k}`, the last one derived by the verifier, so they sum to `C_y`) and
//!   runs one [`InnerProductProof`] per block.
//! * [`InnerProductProof`]: the Bulletproofs reduction (Bünz et al. 2018, §3) with a
//!   blind on every `L`, `R`, ending in a Schnorr-like proof for vectors of length 1:
//!   Hyrax's "proof of dot product with logarithmic communication" (Wahby et al. 2018,
//!   §A.2), with the value generator `U = w·V` scaled by a challenge `w` so that the
//!   vector commitment and the value commitment are opened **separately**
//!   (`docs/PROTOCOL-zk.md` §4 gives the argument).
//!
//! The argument is special-sound in the tree sense of Bulletproofs (an extractor that
//! rewinds every challenge obtains the openings, or a discrete-log relation among the
//! generators) and special honest-verifier zero-knowledge: for challenges fixed in
//! advance, uniform round messages and responses determine the remaining messages,
//! distributed exactly as in a real run (`simulate`). `docs/PROTOCOL-zk.md` gives the
//! simulators; the tests in `crate::snark::spartan::zk_tests` run them.

#[cfg(feature = "prover")]
mod prover;
mod verifier;

#[cfg(all(test, feature = "prover"))]
pub(crate) use prover::Message;
#[cfg(feature = "prover")]
pub(crate) use prover::{randomness_len, Block};
pub(crate) use verifier::equation_holds;

use crate::snark::pedersen::Combination;
use ark_bn254::{Fr, G1Affine};
use ark_ff::Field;

/// Protocol label of the hash that batches the equations of a dot-product proof.
const DOT_BATCHING: &[u8] = b"zkpolicy/dot-product-batching/v3";

/// Transcript labels of the messages and challenges, in protocol order.
pub(crate) mod labels {
    /// The `K − 1` value-split commitments `C_{y,0} … C_{y,K−2}`.
    pub(crate) const VALUE_SPLIT: &[u8] = b"dot-product/value-split";
    /// `w`: the scale of the value generator, `U = w·V`.
    pub(crate) const VALUE_WEIGHT: &[u8] = b"dot-product/value-weight";
    /// One reduction round's `(L_j, R_j)`.
    pub(crate) const ROUND: &[u8] = b"ipa/round";
    /// The round challenge `e_j`.
    pub(crate) const ROUND_CHALLENGE: &[u8] = b"ipa/round-challenge";
    /// The final Schnorr-like message `(δ, β)`.
    pub(crate) const FINAL: &[u8] = b"ipa/final-message";
    /// The final challenge `c`.
    pub(crate) const FINAL_CHALLENGE: &[u8] = b"ipa/final-challenge";
}

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// The folding coefficients of the reduction: after the rounds with challenges
/// `e_0 … e_{ν−1}`, the generator left is `ĝ = Σ_i s_i·G_i` and the weight left is
/// `â = Σ_i s_i·a_i`, where `s_i` is the product of the `e_j` of the rounds in which
/// index `i` lay in the left half (round `j` splits on bit `ν − 1 − j` of `i`).
fn folding_coefficients(challenges: &[Fr]) -> Vec<Fr> {
    let mut s = vec![Fr::ONE];
    for e in challenges.iter().rev() {
        // Indices with the current bit 0 (left half) get the factor e_j.
        let mut next: Vec<Fr> = s.iter().map(|x| *x * e).collect();
        next.extend_from_slice(&s);
        s = next;
    }
    s
}

/// One block of a dot-product statement, verifier side: the generators the block
/// must open on and its commitment as a [`Combination`].
pub(crate) struct BlockStatement<'a> {
    /// The generators `G^(k)`; their number is the block's length, a power of two.
    pub gens: &'a [G1Affine],
    /// The commitment `C_k`.
    pub commitment: &'a Combination,
}

/// Proof that vectors `x_0, …, x_{K−1}`, each committed on its **own** generators
/// (`C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`, `|G^(k)|` a power of two), have inner product `y`
/// with a public vector `a = (a_0 ‖ … ‖ a_{K−1})`, `y` being committed in `C_y`.
///
/// Messages, in transcript order:
///
/// 1. `C_{y,k} = ⟨x_k, a_k⟩·V + r_k·H` for `k < K − 1` (fresh `r_k`); the verifier sets
///    `C_{y,K−1} = C_y − Σ_{k<K−1} C_{y,k}`, so the split values sum to `y`. Then the
///    challenge `w`.
/// 2. For each block, an [`InnerProductProof`] that `C_k` opens on `G^(k)` and `H`, and
///    `C_{y,k}` on `V` and `H`, to `x_k` and `⟨x_k, a_k⟩`.
///
/// Each block is opened separately: an accepting proof shows that every `C_k` is a
/// commitment on `G^(k)` and `H` alone. Blocks summed into one commitment would not
/// show that: a prover could move part of one block's vector into another's
/// commitment and still open the sum (see `docs/PROTOCOL-zk.md`, step 6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotProductProof {
    /// `C_{y,0} … C_{y,K−2}`.
    pub(crate) splits: Vec<G1Affine>,
    /// One inner-product argument per block.
    pub(crate) blocks: Vec<InnerProductProof>,
}

/// The zero-knowledge inner-product argument for one block of length `n = 2^ν`, on
/// `Γ = C_k + w·C_{y,k} = ⟨x, G⟩ + ⟨x, a⟩·U + r·H` with `U = w·V`.
///
/// Round `j` (vectors of length `n_j = n/2^j`, halves `_L`, `_R`):
/// `L_j = ⟨x_L, G_R⟩ + ⟨x_L, a_R⟩·U + r_{L,j}·H`, `R_j = ⟨x_R, G_L⟩ + ⟨x_R, a_L⟩·U + r_{R,j}·H`;
/// challenge `e_j`; then `x ← x_L + e_j·x_R`, `a ← e_j·a_L + a_R`, `G ← e_j·G_L + G_R`,
/// so that `Γ ← L_j + e_j·Γ + e_j²·R_j` keeps the form. After `ν` rounds
/// `Γ̂ = x̂·(ĝ + â·U) + r̂·H`; the prover sends `δ = d·ĝ + r_δ·H`, `β = d·U + r_β·H`
/// (fresh `d, r_δ, r_β`), gets `c` and answers `z = d + c·x̂`,
/// `z_blind = c·r̂ + â·r_β + r_δ`. The verifier checks
/// `c·Γ̂ + â·β + δ = z·(ĝ + â·U) + z_blind·H`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InnerProductProof {
    /// `L_0 … L_{ν−1}`.
    pub(crate) l: Vec<G1Affine>,
    /// `R_0 … R_{ν−1}`.
    pub(crate) r: Vec<G1Affine>,
    /// `δ = d·ĝ + r_δ·H`.
    pub(crate) delta: G1Affine,
    /// `β = d·U + r_β·H`.
    pub(crate) beta: G1Affine,
    /// `z = d + c·x̂`.
    pub(crate) z: Fr,
    /// `z_blind = c·r̂ + â·r_β + r_δ`.
    pub(crate) z_blind: Fr,
}

impl InnerProductProof {
    /// Number of rounds, `ν = log₂ n`.
    pub(crate) fn rounds(&self) -> usize {
        self.l.len()
    }

    /// Its points, in encoding order: `L_0, R_0, …, L_{ν−1}, R_{ν−1}, δ, β`.
    pub(crate) fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.l.iter().zip(&self.r).flat_map(|(l, r)| [l, r]).chain([&self.delta, &self.beta])
    }
}

impl DotProductProof {
    /// Its points, in encoding order: the splits, then each block's points.
    pub(crate) fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.splits.iter().chain(self.blocks.iter().flat_map(InnerProductProof::points))
    }

    /// Its scalars, in encoding order: each block's `z`, `z_blind`.
    pub(crate) fn scalars(&self) -> impl Iterator<Item = &Fr> {
        self.blocks.iter().flat_map(|b| [&b.z, &b.z_blind])
    }
}

#[cfg(all(test, feature = "prover"))]
pub(crate) mod simulate;
#[cfg(all(test, feature = "prover"))]
mod tests;
