//! Error types of the proof system: setup, proving, decoding and verification.
//!
//! Every verification failure names the check that failed, so a rejected proof
//! can be diagnosed without re-running anything.

use thiserror::Error;

/// Which of Spartan's two sumchecks a round or final check belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SumcheckKind {
    /// Sumcheck #1: `Σ_x eq(τ,x)·(Az·Bz − Cz)(x) = 0`, degree 3, over the constraints.
    Outer,
    /// Sumcheck #2: the batched claim about `Ã(r_x,·)z̃, B̃(r_x,·)z̃, C̃(r_x,·)z̃`, degree 2.
    Inner,
}

impl core::fmt::Display for SumcheckKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            SumcheckKind::Outer => "outer (constraint) sumcheck",
            SumcheckKind::Inner => "inner (matrix) sumcheck",
        })
    }
}

/// Decoding a key or proof from bytes failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FormatError {
    /// The input does not start with the expected magic bytes.
    #[error("bad magic bytes: expected {expected:?}")]
    BadMagic {
        /// The magic this decoder expects.
        expected: &'static str,
    },
    /// The format version is not one this build reads.
    #[error("unsupported format version {found} (this build reads version {supported})")]
    UnsupportedVersion {
        /// The version found in the input.
        found: u16,
        /// The version this build reads and writes.
        supported: u16,
    },
    /// The input ended before the named field was complete.
    #[error("truncated input while reading {what}")]
    Truncated {
        /// The field being read.
        what: &'static str,
    },
    /// A field decoded to an invalid or non-canonical value.
    #[error("invalid {what}")]
    Invalid {
        /// The offending field.
        what: &'static str,
    },
    /// A length or size parameter exceeds the limit this build accepts.
    #[error("{what} is {value}, above the limit {limit}")]
    TooLarge {
        /// The parameter.
        what: &'static str,
        /// Its decoded value.
        value: u64,
        /// The largest accepted value.
        limit: u64,
    },
    /// Bytes remain after a complete object.
    #[error("{count} trailing bytes after the end of the object")]
    TrailingBytes {
        /// How many bytes were left over.
        count: usize,
    },
}

/// Building keys from an R1CS instance failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SetupError {
    /// A matrix entry lies outside the `num_constraints × num_columns` matrix.
    #[error("matrix {matrix} has an entry at ({row}, {col}) outside the {rows}x{cols} matrix")]
    EntryOutOfRange {
        /// `"A"`, `"B"` or `"C"`.
        matrix: &'static str,
        /// The entry's row.
        row: usize,
        /// The entry's column.
        col: usize,
        /// Number of constraints.
        rows: usize,
        /// Number of columns `1 + num_public + num_witness`.
        cols: usize,
    },
    /// The instance is larger than this build supports.
    #[error("{what} is {value}, above the limit {limit}")]
    TooLarge {
        /// The parameter.
        what: &'static str,
        /// Its value.
        value: u64,
        /// The largest accepted value.
        limit: u64,
    },
}

/// Proving failed: the inputs do not fit the key or do not satisfy it.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProveError {
    /// `public.len()` differs from the key's `num_public`.
    #[error("expected {expected} public values, got {got}")]
    PublicInputLength {
        /// The key's number of public values.
        expected: usize,
        /// The number supplied.
        got: usize,
    },
    /// `witness.len()` differs from the key's `num_witness`.
    #[error("expected {expected} witness values, got {got}")]
    WitnessLength {
        /// The key's number of witness values.
        expected: usize,
        /// The number supplied.
        got: usize,
    },
    /// The assignment violates a constraint, so no valid proof exists.
    #[error("constraint {row} is not satisfied")]
    Unsatisfied {
        /// The first violated constraint.
        row: usize,
    },
}

/// Verification rejected the proof; the variant names the failed check.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// The proof (or key) bytes could not be decoded.
    #[error("malformed input: {0}")]
    Format(#[from] FormatError),
    /// `public.len()` differs from the key's `num_public`.
    #[error("expected {expected} public values, got {got}")]
    PublicInputLength {
        /// The key's number of public values.
        expected: usize,
        /// The number supplied.
        got: usize,
    },
    /// A proof component has a size that does not match the key.
    #[error("malformed proof: {what} has length {got}, the key requires {expected}")]
    Malformed {
        /// The component.
        what: &'static str,
        /// The length the key requires.
        expected: usize,
        /// The length found.
        got: usize,
    },
    /// The proof of product does not show that `V_AB` commits to the product of
    /// the values committed in `V_A` and `V_B`.
    #[error("outer claims: proof of product v_AB = v_A·v_B failed")]
    ProductProof,
    /// Sumcheck #1's round-relation proof fails: the committed rounds do not lead
    /// from 0 to `eq(τ,r_x)·(v_A·v_B − v_C)`, i.e. the committed `Az, Bz, Cz`
    /// evaluations do not witness a satisfied R1CS.
    #[error("outer sumcheck: round relations from 0 to eq(tau, r_x)·(vA·vB − vC) not proven")]
    OuterSumcheckFinal,
    /// Sumcheck #2's round-relation proof fails: the committed rounds do not lead
    /// from the batched claim to `M(r_x,r_y)·z̃(r_y)` computed from the key's
    /// matrices, the public values and the committed witness evaluation.
    #[error("inner sumcheck: round relations from the batched claim to M(r_x, r_y)·z(r_y) not proven")]
    InnerSumcheckFinal,
    /// The zero-knowledge Hyrax opening does not show that the witness evaluation
    /// commitment opens the witness commitment at `r_y`.
    #[error("polynomial commitment opening check failed")]
    PcsOpening,
}
