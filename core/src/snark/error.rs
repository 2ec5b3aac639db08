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
    /// One blind per committed witness value is needed.
    #[error("expected {expected} commitment blinds, got {got}")]
    BlindsLength {
        /// The number of committed values.
        expected: usize,
        /// The number supplied.
        got: usize,
    },
    /// The committed witness indices are not strictly increasing or out of range.
    #[error("committed witness index {index} is out of order or out of range (num_witness = {num_witness})")]
    CommittedIndex {
        /// The offending index.
        index: usize,
        /// The key's number of witness values.
        num_witness: usize,
    },
    /// The assignment violates a constraint, so no valid proof exists.
    #[error("constraint {row} is not satisfied")]
    Unsatisfied {
        /// The first violated constraint.
        row: usize,
    },
    /// The precomputed randomness was made for another key (its statement digest or
    /// its sizes differ from this key's).
    #[error("the precomputed randomness was made for another proving key")]
    PrecomputedKey,
    /// The precomputed randomness was made for another number of link proofs (Hyrax
    /// rows holding committed values) than the statement's committed indices need.
    #[error("the precomputed randomness covers {got} link proofs, the statement needs {expected}")]
    PrecomputedLinks {
        /// Link proofs the statement needs.
        expected: usize,
        /// Link proofs the precomputation covers.
        got: usize,
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
    /// A sumcheck round message has the wrong number of values.
    #[error("{sumcheck}: round {round} message has the wrong degree")]
    SumcheckRound {
        /// Which sumcheck.
        sumcheck: SumcheckKind,
        /// The round.
        round: usize,
    },
    /// The batched evaluation proof fails: at least one of the final checks does
    /// not hold — sumcheck #1's final value `eq(τ,r_x)·(v_A·v_B − v_C) + ρ₁·p₁(r_x)`,
    /// sumcheck #2's final value `M(r_x,r_y)·z̃(r_y) + ρ₂·p₂(r_y)`, the masks' sums,
    /// or the witness evaluation `w̃(r_y[1..])` against the witness commitment.
    /// An unsatisfied constraint or a tampered message surfaces here.
    #[error("final evaluation checks failed (sumcheck final values, mask sums or the witness opening)")]
    FinalEvaluations,
    /// A value commitment does not open to the witness entry the proof used.
    #[error("committed value {position}: the commitment does not match the proven witness value")]
    CommitmentLink {
        /// Position, in the statement's committed indices, of the first committed
        /// value of the Hyrax row whose link proof failed.
        position: usize,
    },
}

impl VerifyError {
    /// `Ok` if a proof component has the length the key requires, else [`VerifyError::Malformed`].
    pub fn check_len(what: &'static str, expected: usize, got: usize) -> Result<(), VerifyError> {
        if expected == got {
            Ok(())
        } else {
            Err(VerifyError::Malformed { what, expected, got })
        }
    }
}
