//! The proof and its byte format.
//!
//! ```text
//! Proof bytes = "ZKPF" ‖ u16 version ‖ body
//! body        = u8 s ‖ u8 m                               (1 ≤ s ≤ 20, 1 ≤ m ≤ 19)
//!             ‖ points:  2^⌊m/2⌋  witness row commitments C_i
//!                        s        outer round commitments
//!                        4        V_A, V_B, V_C, V_AB
//!                        3        product proof α, β, δ
//!                        2        outer relation proof δ, β
//!                        m + 1    inner round commitments
//!                        1        V_W (the witness evaluation)
//!                        2        opening proof δ, β
//!                        2        inner relation proof δ, β
//!             ‖ scalars: 5        product proof z_1..z_5
//!                        4s + 2   outer relation proof z, z_δ, z_β
//!                        2^⌈m/2⌉ + 2 opening proof z, z_δ, z_β
//!                        3(m+1) + 2 inner relation proof z, z_δ, z_β
//! ```
//!
//! The `CanonicalSerialize`/`CanonicalDeserialize` implementations write and
//! read `body` (points compressed or not, per the mode); [`Proof::to_bytes`] and
//! [`Proof::from_bytes`] add the envelope and reject trailing bytes. Every
//! element is a commitment or a Σ-protocol message: `docs/PROTOCOL-zk.md` shows
//! that none reveals anything about the witness.

use super::{MAX_ROW_VARS, MAX_WITNESS_VARS};
use crate::encoding::{self, read_point, read_scalar};
use crate::error::FormatError;
use crate::pcs::hyrax::HyraxCommitment;
use crate::sigma::{DotProductProof, ProductProof};
use crate::sumcheck::SumcheckProof;
use ark_bn254::{Fr, G1Affine};
use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Valid, Validate, Write,
};

/// Magic bytes of an encoded proof.
const PROOF_MAGIC: &[u8; 4] = b"ZKPF";

/// A zero-knowledge Spartan + Hyrax proof. Built only by the prover or by
/// decoding, so its component lengths always agree with the `(s, m)` parameters
/// it encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// Hiding Hyrax commitment to the witness `w̃` (`2^⌊m/2⌋` row commitments).
    pub(crate) witness_commitment: HyraxCommitment,
    /// Sumcheck #1 over the constraints (`s` committed rounds, degree 3).
    pub(crate) outer: SumcheckProof,
    /// Value commitments to `Ãz(r_x), B̃z(r_x), C̃z(r_x)` and `Ãz(r_x)·B̃z(r_x)`.
    pub(crate) outer_claims: [G1Affine; 4],
    /// `V_AB` commits to the product of `V_A`'s and `V_B`'s values.
    pub(crate) product: ProductProof,
    /// Sumcheck #1's round relations, from 0 to `eq(τ,r_x)·(v_AB − v_C)`.
    pub(crate) outer_relation: DotProductProof,
    /// Sumcheck #2 over the columns (`m + 1` committed rounds, degree 2).
    pub(crate) inner: SumcheckProof,
    /// Value commitment `V_W` to `w̃(r_y[1..])`.
    pub(crate) witness_eval: G1Affine,
    /// Hyrax opening: `V_W` commits to `w̃(r_y[1..])`.
    pub(crate) opening: DotProductProof,
    /// Sumcheck #2's round relations, from the batched claim to `M(r_x,r_y)·z̃(r_y)`.
    pub(crate) inner_relation: DotProductProof,
}

/// Degrees of the round polynomials of sumcheck #1 and #2.
pub(crate) const OUTER_DEGREE: usize = 3;
pub(crate) const INNER_DEGREE: usize = 2;

/// Number of scalars of a dot-product proof's response besides `z`.
const DOT_EXTRA_SCALARS: usize = 2;

impl Proof {
    /// `(s, m)` as encoded in the body, if the components are consistent with them.
    fn params(&self) -> Option<(usize, usize)> {
        let s = self.outer.round_commitments.len();
        let m = self.inner.round_commitments.len().checked_sub(1)?;
        let consistent = (1..=MAX_ROW_VARS).contains(&s)
            && (1..=MAX_WITNESS_VARS).contains(&m)
            && self.witness_commitment.row_commitments.len() == 1 << (m / 2)
            && self.outer_relation.z.len() == s * (OUTER_DEGREE + 1)
            && self.inner_relation.z.len() == (m + 1) * (INNER_DEGREE + 1)
            && self.opening.z.len() == 1 << m.div_ceil(2);
        consistent.then_some((s, m))
    }

    fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.witness_commitment
            .row_commitments
            .iter()
            .chain(&self.outer.round_commitments)
            .chain(&self.outer_claims)
            .chain(&self.product.first)
            .chain([&self.outer_relation.delta, &self.outer_relation.beta])
            .chain(&self.inner.round_commitments)
            .chain(core::iter::once(&self.witness_eval))
            .chain([&self.opening.delta, &self.opening.beta])
            .chain([&self.inner_relation.delta, &self.inner_relation.beta])
    }

    fn scalars(&self) -> impl Iterator<Item = &Fr> {
        fn response(d: &DotProductProof) -> impl Iterator<Item = &Fr> {
            d.z.iter().chain([&d.z_delta, &d.z_beta])
        }
        self.product
            .z
            .iter()
            .chain(response(&self.outer_relation))
            .chain(response(&self.opening))
            .chain(response(&self.inner_relation))
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
        let mut points = |n: usize, what| (0..n).map(|_| read_point(&mut *r, compress, validate, what)).collect::<Result<Vec<_>, _>>();
        let row_commitments = points(1 << (m / 2), "witness commitment")?;
        let outer_rounds = points(s, "outer sumcheck round")?;
        let claims = points(4, "outer claim commitment")?;
        let product_first = points(3, "product proof")?;
        let outer_first = points(2, "outer relation proof")?;
        let inner_rounds = points(m + 1, "inner sumcheck round")?;
        let witness_eval = points(1, "witness evaluation commitment")?;
        let opening_first = points(2, "opening proof")?;
        let inner_first = points(2, "inner relation proof")?;
        let mut scalars = |n: usize, what| (0..n).map(|_| read_scalar(&mut *r, what)).collect::<Result<Vec<_>, _>>();
        let product_z = scalars(5, "product proof response")?;
        let mut dot = |first: &[G1Affine], n: usize, what| -> Result<DotProductProof, FormatError> {
            let z = scalars(n + DOT_EXTRA_SCALARS, what)?;
            Ok(DotProductProof { delta: first[0], beta: first[1], z: z[..n].to_vec(), z_delta: z[n], z_beta: z[n + 1] })
        };
        let outer_relation = dot(&outer_first, s * (OUTER_DEGREE + 1), "outer relation response")?;
        let opening = dot(&opening_first, 1 << m.div_ceil(2), "opening response")?;
        let inner_relation = dot(&inner_first, (m + 1) * (INNER_DEGREE + 1), "inner relation response")?;
        Ok(Proof {
            witness_commitment: HyraxCommitment { row_commitments },
            outer: SumcheckProof { round_commitments: outer_rounds },
            outer_claims: [claims[0], claims[1], claims[2], claims[3]],
            product: ProductProof {
                first: [product_first[0], product_first[1], product_first[2]],
                z: [product_z[0], product_z[1], product_z[2], product_z[3], product_z[4]],
            },
            outer_relation,
            inner: SumcheckProof { round_commitments: inner_rounds },
            witness_eval: witness_eval[0],
            opening,
            inner_relation,
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

impl CanonicalSerialize for Proof {
    fn serialize_with_mode<W: Write>(&self, mut writer: W, compress: Compress) -> Result<(), SerializationError> {
        let (s, m) = self.params().ok_or(SerializationError::InvalidData)?;
        writer.write_all(&[s as u8, m as u8])?;
        for p in self.points() {
            p.serialize_with_mode(&mut writer, compress)?;
        }
        for x in self.scalars() {
            x.serialize_with_mode(&mut writer, compress)?;
        }
        Ok(())
    }

    fn serialized_size(&self, compress: Compress) -> usize {
        let point_size = G1Affine::default().serialized_size(compress);
        2 + self.points().count() * point_size + self.scalars().count() * 32
    }
}

impl Valid for Proof {
    fn check(&self) -> Result<(), SerializationError> {
        self.params().ok_or(SerializationError::InvalidData)?;
        self.points().try_for_each(Valid::check)
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
