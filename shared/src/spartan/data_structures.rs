//! The proof and its byte format.
//!
//! ```text
//! Proof bytes = "ZKPF" ‖ u16 version ‖ body
//! body        = u8 s ‖ u8 m                                   (1 ≤ s ≤ 22, 1 ≤ m ≤ 21)
//!             ‖ 2^⌊m/2⌋ points   witness row commitments C_i
//!             ‖ s × 3 scalars    sumcheck #1 rounds (g(0), g(2), g(3))
//!             ‖ 3 scalars        v_A, v_B, v_C
//!             ‖ (m+1) × 2 scalars sumcheck #2 rounds (g(0), g(2))
//!             ‖ 2^⌈m/2⌉ scalars  Hyrax opening vector u
//!             ‖ 1 scalar         combined blind
//! ```
//!
//! The `CanonicalSerialize`/`CanonicalDeserialize` implementations write and
//! read `body` (points compressed or not, per the mode); [`Proof::to_bytes`] and
//! [`Proof::from_bytes`] add the envelope and reject trailing bytes.

use super::{MAX_ROW_VARS, MAX_WITNESS_VARS};
use crate::encoding::{self, read_point, read_scalar};
use crate::error::FormatError;
use crate::pcs::hyrax::{HyraxCommitment, HyraxOpening};
use crate::sumcheck::SumcheckProof;
use ark_bn254::{Fr, G1Affine};
use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Valid, Validate, Write,
};

/// Magic bytes of an encoded proof.
const PROOF_MAGIC: &[u8; 4] = b"ZKPF";

/// A Spartan + Hyrax proof. Built only by the prover or by decoding, so its
/// component lengths always agree with the `(s, m)` parameters it encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// Hyrax commitment to the witness `w̃` (`2^⌊m/2⌋` row commitments).
    pub(crate) witness_commitment: HyraxCommitment,
    /// Sumcheck #1 over the constraints (`s` rounds, degree 3).
    pub(crate) outer: SumcheckProof,
    /// `(Ãz(r_x), B̃z(r_x), C̃z(r_x))`.
    pub(crate) outer_claims: [Fr; 3],
    /// Sumcheck #2 over the columns (`m + 1` rounds, degree 2).
    pub(crate) inner: SumcheckProof,
    /// Hyrax opening of `w̃` at `r_y[1..]`.
    pub(crate) opening: HyraxOpening,
}

/// Degrees of the round polynomials of sumcheck #1 and #2.
pub(crate) const OUTER_DEGREE: usize = 3;
pub(crate) const INNER_DEGREE: usize = 2;

impl Proof {
    /// `(s, m)` as encoded in the body, if the components are consistent with them.
    fn params(&self) -> Option<(usize, usize)> {
        let s = self.outer.rounds.len();
        let m = self.inner.rounds.len().checked_sub(1)?;
        let consistent = (1..=MAX_ROW_VARS).contains(&s)
            && (1..=MAX_WITNESS_VARS).contains(&m)
            && self.witness_commitment.row_commitments.len() == 1 << (m / 2)
            && self.opening.combined_row.len() == 1 << m.div_ceil(2)
            && self.outer.rounds.iter().all(|r| r.len() == OUTER_DEGREE)
            && self.inner.rounds.iter().all(|r| r.len() == INNER_DEGREE);
        consistent.then_some((s, m))
    }

    fn scalars(&self) -> impl Iterator<Item = &Fr> {
        self.outer
            .rounds
            .iter()
            .flatten()
            .chain(&self.outer_claims)
            .chain(self.inner.rounds.iter().flatten())
            .chain(&self.opening.combined_row)
            .chain(core::iter::once(&self.opening.combined_blind))
    }

    /// Reads a body (see the module docs); lengths follow from `(s, m)`, which are
    /// range-checked before anything is allocated.
    fn read_body<R: Read>(r: &mut R, compress: Compress, validate: Validate) -> Result<Self, FormatError> {
        let [s, m] = encoding::read_array(r, "proof parameters")?;
        let (s, m) = (s as usize, m as usize);
        encoding::check_limit("proof row variables", s as u64, MAX_ROW_VARS as u64)?;
        encoding::check_limit("proof witness variables", m as u64, MAX_WITNESS_VARS as u64)?;
        if s == 0 || m == 0 {
            return Err(FormatError::Invalid { what: "proof parameters" });
        }
        let row_commitments = (0..1usize << (m / 2))
            .map(|_| read_point(r, compress, validate, "witness commitment"))
            .collect::<Result<_, _>>()?;
        let outer = SumcheckProof { rounds: read_rounds(r, s, OUTER_DEGREE, "outer sumcheck round")? };
        let outer_claims = [
            read_scalar(r, "outer claim")?,
            read_scalar(r, "outer claim")?,
            read_scalar(r, "outer claim")?,
        ];
        let inner = SumcheckProof { rounds: read_rounds(r, m + 1, INNER_DEGREE, "inner sumcheck round")? };
        let combined_row = (0..1usize << m.div_ceil(2))
            .map(|_| read_scalar(r, "opening vector"))
            .collect::<Result<_, _>>()?;
        let combined_blind = read_scalar(r, "opening blind")?;
        Ok(Proof {
            witness_commitment: HyraxCommitment { row_commitments },
            outer,
            outer_claims,
            inner,
            opening: HyraxOpening { combined_row, combined_blind },
        })
    }

    /// Encodes the proof: `"ZKPF" ‖ u16 version ‖ body` with compressed points.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(6 + self.compressed_size());
        encoding::write_header(&mut out, PROOF_MAGIC);
        self.serialize_compressed(&mut out).expect("a proof's components agree with its parameters");
        out
    }

    /// Decodes a proof written by [`Proof::to_bytes`], validating every element and
    /// rejecting trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut input = bytes;
        encoding::read_header(&mut input, PROOF_MAGIC, "ZKPF")?;
        let proof = Self::read_body(&mut input, Compress::Yes, Validate::Yes)?;
        encoding::expect_end(input)?;
        Ok(proof)
    }
}

/// Reads `n` round messages of `degree` scalars each.
fn read_rounds<R: Read>(r: &mut R, n: usize, degree: usize, what: &'static str) -> Result<Vec<Vec<Fr>>, FormatError> {
    (0..n).map(|_| (0..degree).map(|_| read_scalar(&mut *r, what)).collect()).collect()
}

impl CanonicalSerialize for Proof {
    fn serialize_with_mode<W: Write>(&self, mut writer: W, compress: Compress) -> Result<(), SerializationError> {
        let (s, m) = self.params().ok_or(SerializationError::InvalidData)?;
        writer.write_all(&[s as u8, m as u8])?;
        for p in &self.witness_commitment.row_commitments {
            p.serialize_with_mode(&mut writer, compress)?;
        }
        for x in self.scalars() {
            x.serialize_with_mode(&mut writer, compress)?;
        }
        Ok(())
    }

    fn serialized_size(&self, compress: Compress) -> usize {
        let point_size = G1Affine::default().serialized_size(compress);
        2 + self.witness_commitment.row_commitments.len() * point_size + self.scalars().count() * 32
    }
}

impl Valid for Proof {
    fn check(&self) -> Result<(), SerializationError> {
        self.params().ok_or(SerializationError::InvalidData)?;
        self.witness_commitment.row_commitments.iter().try_for_each(Valid::check)
    }
}

impl CanonicalDeserialize for Proof {
    fn deserialize_with_mode<R: Read>(
        mut reader: R,
        compress: Compress,
        validate: Validate,
    ) -> Result<Self, SerializationError> {
        Self::read_body(&mut reader, compress, validate).map_err(|_| SerializationError::InvalidData)
    }
}
