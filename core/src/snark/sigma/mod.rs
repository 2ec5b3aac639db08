//! Zero-knowledge arguments over Pedersen commitments, made non-interactive with the
//! transcript: the proof of a dot product with logarithmic communication, and
//! (`linear`, [`LinearProof`]) the one with linear communication; [`Opening`] is either.
//!
//! Notation: `G_0, G_1, …` are the message generators, `V` the value generator and
//! `H` the blinding generator of [`crate::snark::pedersen::generators`]. A vector commitment is
//! `⟨x, G⟩ + ρ·H`, a value commitment `v·V + ρ·H`; both are perfectly hiding when
//! `ρ` is uniform.
//!
//! [`DotProductProof`]: given a commitment `C_x = ⟨x, G⟩ + ρ_x·H` to a vector `x`, a
//! value commitment `C_y = y·V + ρ_y·H` and a public vector `a`, proves knowledge of
//! openings with `⟨x, a⟩ = y`. It is the Bulletproofs reduction (Bünz et al. 2018,
//! §3) with a blind on every `L`, `R`, ending in a Schnorr-like proof for vectors of
//! length 1: Hyrax's "proof of dot product with logarithmic communication" (Wahby et
//! al. 2018, §A.2), with the value generator `U = w·V` scaled by a challenge `w` so
//! that the vector commitment and the value commitment are opened **separately**
//! (`docs/PROTOCOL-zk.md` §4 gives the argument).
//!
//! The vector is made of one or two **segments**, each of a power-of-two length and
//! each on generators of its own (`schedule.rs`): the rounds halve the longer segment
//! until both have the same length, merge the two, then halve the one left. So a
//! vector of `2^a + 2^b` entries costs `max(a, b) + 1` rounds: as many as padding it
//! with zeros to a power of two, without the padding's generators (which the prover
//! would fold in every round), and `min(a, b) − 1` fewer than two separate arguments,
//! which would also send two final messages.
//!
//! The argument is special-sound in the tree sense of Bulletproofs (an extractor that
//! rewinds every challenge obtains the opening, or a discrete-log relation among the
//! generators) and special honest-verifier zero-knowledge: for challenges fixed in
//! advance, uniform round messages and responses determine the remaining message,
//! distributed exactly as in a real run (`simulate`). `docs/PROTOCOL-zk.md` gives the
//! simulator; the tests in `crate::snark::spartan::zk_tests` run it.

pub(crate) mod linear;
mod opening;
#[cfg(feature = "prover")]
mod prover;
pub(crate) mod schedule;
mod verifier;

pub use linear::LinearProof;
pub(crate) use opening::Argument;
pub use opening::Opening;
#[cfg(feature = "prover")]
pub(crate) use opening::Prepared;

#[cfg(feature = "prover")]
pub(crate) use prover::{randomness_len, Message, Segment};
pub(crate) use verifier::equation_holds;

use crate::snark::pedersen::Combination;
use ark_bn254::{Fr, G1Affine};

/// Transcript labels of the messages and challenges, in protocol order.
pub(crate) mod labels {
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
    /// The linear argument's message `δ`.
    pub(crate) const LINEAR_MESSAGE: &[u8] = b"linear/message";
    /// The linear argument's challenge `c`.
    pub(crate) const LINEAR_CHALLENGE: &[u8] = b"linear/challenge";
}

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// One segment of a dot-product statement, verifier side: the generators the segment
/// is committed on and its commitment as a [`Combination`].
pub(crate) struct SegmentStatement<'a> {
    /// The generators `G^(k)`; their number is the segment's length, a power of two.
    pub gens: &'a [G1Affine],
    /// The commitment `C_k`.
    pub commitment: &'a Combination,
}

/// The zero-knowledge inner-product argument that the vector `x = (x_0 ‖ x_1)` committed
/// in `C_x = Σ_k C_k` on `G = (G^(0) ‖ G^(1))` has inner product `y` with a public
/// vector `a`, `y` being committed in `C_y`. It runs on
/// `Γ = C_x + w·C_y = ⟨x, G⟩ + ⟨x, a⟩·U + r·H` with `U = w·V` for a challenge `w`.
///
/// Round `j` pairs two halves of equal length, a left one `_L` and a right one `_R`
/// (`schedule.rs`): `L_j = ⟨x_L, G_R⟩ + ⟨x_L, a_R⟩·U + r_{L,j}·H`,
/// `R_j = ⟨x_R, G_L⟩ + ⟨x_R, a_L⟩·U + r_{R,j}·H`; challenge `e_j`; then
/// `x ← x_L + e_j·x_R`, `a ← e_j·a_L + a_R`, `G ← e_j·G_L + G_R`, and a segment the
/// round leaves alone keeps its `x` while its `a` and `G` are multiplied by `e_j`. So
/// `Γ ← L_j + e_j·Γ + e_j²·R_j` keeps the form. After `ν` rounds
/// `Γ̂ = x̂·(ĝ + â·U) + r̂·H`; the prover sends `δ = d·ĝ + r_δ·H`, `β = d·U + r_β·H`
/// (fresh `d, r_δ, r_β`), gets `c` and answers `z = d + c·x̂`,
/// `z_blind = c·r̂ + â·r_β + r_δ`. The verifier checks
/// `c·Γ̂ + â·β + δ = z·(ĝ + â·U) + z_blind·H`.
///
/// An accepting proof shows that `C_x` opens on `G` (and `H`): the split into segments
/// is only how the rounds fold, and a segment's commitment may hold entries on the other
/// segment's generators. Callers that need each commitment opened on its own generators
/// must say why theirs are (`docs/PROTOCOL-zk.md` §4, step 6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotProductProof {
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

impl DotProductProof {
    /// Number of rounds, `ν`.
    #[cfg(test)]
    pub(crate) fn rounds(&self) -> usize {
        self.l.len()
    }

    /// Its points, in encoding order: `L_0, R_0, …, L_{ν−1}, R_{ν−1}, δ, β`.
    pub(crate) fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.l.iter().zip(&self.r).flat_map(|(l, r)| [l, r]).chain([&self.delta, &self.beta])
    }

    /// Its scalars, in encoding order: `z`, `z_blind`.
    pub(crate) fn scalars(&self) -> impl Iterator<Item = &Fr> {
        [&self.z, &self.z_blind].into_iter()
    }
}

#[cfg(all(test, feature = "prover"))]
pub(crate) mod simulate;
#[cfg(all(test, feature = "prover"))]
mod tests;
