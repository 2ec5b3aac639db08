//! Hyrax key, commitment and opening types.

use crate::snark::pedersen::generators::{blinding_generator, message_generators};
use ark_bn254::G1Affine;
use std::sync::Arc;

/// Public parameters for committing to multilinear polynomials in `num_vars` variables.
///
/// The evaluation table (length `2^num_vars`) is read as a matrix of
/// `2^row_vars` rows of length `2^col_vars`, row-major, with
/// `row_vars = `[`row_vars`]`(num_vars)` and `col_vars = num_vars − row_vars`. The first
/// `row_vars` variables of an evaluation point select the row, the rest the column.
#[derive(Clone, Debug)]
pub struct HyraxKey {
    num_vars: usize,
    /// Shared cache of message generators; only the first `row_len()` are used.
    gens: Arc<Vec<G1Affine>>,
    h: G1Affine,
}

/// The number of row variables for `num_vars`-variate polynomials:
/// `⌊(num_vars − 1)/2⌋` up to 13 variables, `⌊num_vars/2⌋` from 14 on.
///
/// The one definition of the split: a proof's row count and row length follow from
/// it, so prover, verifier and decoder agree on them for a given `num_vars` (which the
/// key fixes). Fewer, longer rows shrink the proof (one point per row, two per round of
/// the logarithmic opening) but cost prove time (the opening's rounds are
/// multi-scalar multiplications over a row) and verify time. Format 6 makes the rows
/// twice as long as they are many for an even `num_vars` (format 5: square), as long as
/// a row has at most 128 entries: with the evaluation proof's mask block (at most 128
/// generators there) the generators stay within the precomputed table, and no row is
/// longer than those of the square split at `2^13` values (`BENCHMARKS.md`, "Format 6";
/// `docs/PROTOCOL-zk.md` §9).
pub fn row_vars(num_vars: usize) -> usize {
    if num_vars <= 13 {
        num_vars.saturating_sub(1) / 2
    } else {
        num_vars / 2
    }
}

impl HyraxKey {
    /// Parameters for `num_vars`-variate polynomials (generators from the process cache).
    pub fn new(num_vars: usize) -> Self {
        let col_vars = num_vars - row_vars(num_vars);
        HyraxKey { num_vars, gens: message_generators(1 << col_vars), h: blinding_generator() }
    }

    /// Number of variables of committed polynomials.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Number of variables selecting a row: [`row_vars`]`(num_vars)`.
    pub fn row_vars(&self) -> usize {
        row_vars(self.num_vars)
    }

    /// Number of rows, i.e. of row commitments: `2^row_vars`.
    pub fn num_rows(&self) -> usize {
        1 << self.row_vars()
    }

    /// Length of a row, i.e. of an opening vector: `2^(num_vars − row_vars)`.
    pub fn row_len(&self) -> usize {
        1 << (self.num_vars - self.row_vars())
    }

    /// The message generators `G_0, …, G_{row_len-1}`.
    pub fn message_generators(&self) -> &[G1Affine] {
        &self.gens[..self.row_len()]
    }

    /// The blinding generator `H`.
    pub fn blinding_generator(&self) -> G1Affine {
        self.h
    }
}

/// A Hyrax commitment: one Pedersen commitment per row,
/// `C_i = Σ_j M[i][j]·G_j + ρ_i·H`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HyraxCommitment {
    /// `C_0, …, C_{num_rows-1}` (the identity point for an all-zero, unblinded row).
    pub row_commitments: Vec<G1Affine>,
}
