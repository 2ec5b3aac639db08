//! Σ-protocols over Pedersen commitments, made non-interactive with the transcript.
//!
//! Notation: `G_0, G_1, …` are the message generators, `V` the value generator and
//! `H` the blinding generator of [`crate::snark::pedersen::generators`]. A vector commitment is
//! `⟨x, G⟩ + ρ·H`, a value commitment `v·V + ρ·H`; both are perfectly hiding when
//! `ρ` is uniform.
//!
//! * [`DotProductProof`] (Hyrax, Wahby et al. 2018, §4): given `C_x = ⟨x, G⟩ + ρ_x·H`,
//!   `C_y = y·V + ρ_y·H` and a public vector `a`, proves knowledge of openings with
//!   `⟨x, a⟩ = y`. The vector may come in blocks, each committed on generators of its
//!   own and opened separately (`Block`, `BlockStatement`).
//!
//! It is special-sound (two accepting transcripts with distinct challenges yield
//! the openings) and special honest-verifier zero-knowledge: for any challenge `c`,
//! uniform responses determine the first messages, distributed exactly as in a real
//! run. `docs/PROTOCOL-zk.md` gives the simulators; the tests in
//! `crate::snark::spartan::zk_tests` run them.

#[cfg(feature = "prover")]
mod prover;
mod verifier;

#[cfg(feature = "prover")]
pub(crate) use prover::Block;

use crate::snark::pedersen::Combination;
use ark_bn254::{Fr, G1Affine};

/// Protocol label of the hash that batches a dot-product proof's two equations.
const DOT_BATCHING: &[u8] = b"zkpolicy/dot-product-batching/v2";

/// Transcript labels of the Σ-protocol messages and challenges.
const DOT_FIRST: &[u8] = b"dot-product/first-message";
const DOT_CHALLENGE: &[u8] = b"dot-product/challenge";

fn inner_product(a: &[Fr], b: &[Fr]) -> Fr {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// One block of a dot-product statement, verifier side: the generators the block
/// must open on and its commitment as a [`Combination`].
pub(crate) struct BlockStatement<'a> {
    /// The generators `G^(k)`; their number is the block's length.
    pub gens: &'a [G1Affine],
    /// The commitment `C_k`.
    pub commitment: &'a Combination,
}

/// Proof that vectors `x_0, …, x_{K−1}`, each committed on its **own** generators
/// (`C_k = ⟨x_k, G^(k)⟩ + ρ_k·H`), have inner product `y` with a public vector
/// `a = (a_0 ‖ … ‖ a_{K−1})`, `y` being committed in `C_y`. With one block this is
/// the dot-product proof of Hyrax (Wahby et al. 2018, §4).
///
/// Each block is opened separately: an accepting proof shows that every `C_k` is a
/// commitment on `G^(k)` and `H` alone. Blocks summed into one commitment would not
/// show that: a prover could move part of one block's vector into another's
/// commitment and still open the sum (see `docs/PROTOCOL-zk.md`, step 6).
///
/// Messages: `δ_k = ⟨d_k, G^(k)⟩ + ρ_{δ,k}·H` per block and `β = ⟨d, a⟩·V + ρ_β·H`
/// for random `d = (d_0 ‖ …)`, `ρ_{δ,k}`, `ρ_β`; challenge `c`; responses
/// `z = c·x + d`, `z_{δ,k} = c·ρ_k + ρ_{δ,k}`, `z_β = c·ρ_y + ρ_β`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotProductProof {
    /// `δ_k`, the commitment to block `k` of the mask vector `d`.
    pub(crate) deltas: Vec<G1Affine>,
    /// `β`, the commitment to `⟨d, a⟩`.
    pub(crate) beta: G1Affine,
    /// `z = c·x + d`, all blocks concatenated.
    pub(crate) z: Vec<Fr>,
    /// `z_{δ,k} = c·ρ_k + ρ_{δ,k}`, one per block.
    pub(crate) z_deltas: Vec<Fr>,
    /// `z_β = c·ρ_y + ρ_β`.
    pub(crate) z_beta: Fr,
}

#[cfg(all(test, feature = "prover"))]
pub(crate) mod simulate;
#[cfg(all(test, feature = "prover"))]
mod tests;
