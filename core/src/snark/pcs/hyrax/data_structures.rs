//! Hyrax key, commitment and opening types.

use crate::snark::encoding::read_array;
use crate::snark::error::FormatError;
use crate::snark::pedersen::generators::{blinding_generator, message_generators};
use crate::snark::sigma::Argument;
use ark_bn254::G1Affine;
use std::sync::Arc;

/// Public parameters for committing to multilinear polynomials in `num_vars` variables.
///
/// The evaluation table (length `2^num_vars`) is read as a matrix of
/// `2^row_vars` rows of length `2^col_vars`, row-major, with
/// `row_vars = `[`Profile::row_vars`]`(num_vars)` for the key's profile and
/// `col_vars = num_vars − row_vars`. The first `row_vars` variables of an evaluation
/// point select the row, the rest the column.
#[derive(Clone, Debug)]
pub struct HyraxKey {
    num_vars: usize,
    row_vars: usize,
    /// Shared cache of message generators; only the first `row_len()` are used.
    gens: Arc<Vec<G1Affine>>,
    h: G1Affine,
}

/// How a key splits its polynomials into rows: the trade between proof size and
/// proving time, chosen at setup and fixed by the key.
///
/// A proof carries one point per row, and its dot-product proofs are either
/// logarithmic (two points per round, each round multi-scalar multiplications over a
/// row) or linear (one scalar per entry, with no multi-scalar multiplication left once
/// the witness is known): `Profile::argument`. `small` takes fewer, longer rows and
/// the logarithmic argument, for the smallest proofs; `fast` more, shorter rows and the
/// linear argument, for the least proving time (`BENCHMARKS.md`, "Format 9" and
/// "Format 10"; `docs/PROTOCOL-zk.md` §9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// The smallest proofs: rows twice as long as they are many, as long as a row has
    /// at most 128 entries (up to 13 variables), then square: `⌊(n − 1)/2⌋` row
    /// variables up to `n = 13`, `⌊n/2⌋` from 14 on. With the evaluation proof's mask
    /// block (at most 128 generators there) the generators stay within the
    /// precomputed table.
    #[default]
    Small,
    /// Faster proving: at least as many rows as a row is long, `⌈n/2⌉` row variables
    /// (but rows of at least two entries, as [`Profile::Small`]'s), and the linear
    /// argument (format 10). For whitelist (`n = 12`) 64 rows of 64 instead of 32 of
    /// 128, and a proof of 8,465 bytes instead of 3,921.
    Fast,
}

impl Profile {
    /// Both profiles, by code.
    pub const ALL: [Profile; 2] = [Profile::Small, Profile::Fast];

    /// The number of row variables for `num_vars`-variate polynomials: the one
    /// definition of the split. A proof's row count and row length follow from it, so
    /// prover, verifier and decoder agree on them for a key's `num_vars` and profile.
    pub fn row_vars(self, num_vars: usize) -> usize {
        match self {
            Profile::Small if num_vars <= 13 => num_vars.saturating_sub(1) / 2,
            Profile::Small => num_vars / 2,
            Profile::Fast => num_vars.div_ceil(2).min(num_vars.saturating_sub(1)),
        }
    }

    /// The argument that opens the rows' combination and the committed values
    /// (format 10): the logarithmic one for [`Profile::Small`], the linear one for
    /// [`Profile::Fast`], whose prover then has no group work left that depends on the
    /// witness beyond committing to it (`docs/PROTOCOL-zk.md` §9).
    pub(crate) fn argument(self) -> Argument {
        match self {
            Profile::Small => Argument::Logarithmic,
            Profile::Fast => Argument::Linear,
        }
    }

    /// The profile's name, as `setup --profile` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::Small => "small",
            Profile::Fast => "fast",
        }
    }

    /// The profile called `name` ([`Profile::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The profile's byte in key encodings.
    pub const fn code(self) -> u8 {
        match self {
            Profile::Small => 0,
            Profile::Fast => 1,
        }
    }

    /// The profile whose [`Profile::code`] is `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Reads the profile's byte ([`Profile::code`]): `Truncated` without one,
    /// `Invalid` for a code no profile has.
    pub fn read(input: &mut &[u8]) -> Result<Self, FormatError> {
        let [code] = read_array(input, "profile")?;
        Self::from_code(code).ok_or(FormatError::Invalid { what: "profile (unknown code)" })
    }
}

impl core::fmt::Display for Profile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl HyraxKey {
    /// Parameters for `num_vars`-variate polynomials split as `profile` says
    /// (generators from the process cache).
    pub fn new(num_vars: usize, profile: Profile) -> Self {
        let row_vars = profile.row_vars(num_vars);
        HyraxKey { num_vars, row_vars, gens: message_generators(1 << (num_vars - row_vars)), h: blinding_generator() }
    }

    /// Number of variables of committed polynomials.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// Number of variables selecting a row: [`Profile::row_vars`]`(num_vars)`.
    pub fn row_vars(&self) -> usize {
        self.row_vars
    }

    /// Number of rows, i.e. of row commitments: `2^row_vars`.
    pub fn num_rows(&self) -> usize {
        1 << self.row_vars
    }

    /// Length of a row, i.e. of an opening vector: `2^(num_vars − row_vars)`.
    pub fn row_len(&self) -> usize {
        1 << (self.num_vars - self.row_vars)
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
