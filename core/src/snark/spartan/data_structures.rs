//! The proof and its byte format.
//!
//! ```text
//! Proof bytes = "ZKPF" ‖ u16 version ‖ body
//! body        = u8 s ‖ u8 m ‖ u8 k ‖ u8 l        (1 ≤ s ≤ 20, 1 ≤ m ≤ 19, l ≤ k)
//!             ‖ points:  2^⌊m/2⌋  witness row commitments C_i
//!                        1        mask commitment C_p
//!                        k        committed-value commitments
//!                        3        evaluation proof δ_W, δ_p, β
//!                        2·l      link proofs δ, β
//!             ‖ scalars: 1 + 3s   outer mask sum S₁, outer rounds (3 values each)
//!                        3        v_A, v_B, v_C
//!                        1 + 2(m+1) inner mask sum S₂, inner rounds (2 values each)
//!                        1        v_W = w̃(r_y[1..])
//!                        2^⌈m/2⌉ + L + 3   evaluation proof z, z_δW, z_δp, z_β (L = 3s + 2(m+1) + 2)
//!                        l·(2^⌈m/2⌉ + 2)   link proofs z, z_δ, z_β
//! ```
//!
//! `k` is the number of committed witness values (at most 255), `l` the number of
//! Hyrax rows they lie in. The `CanonicalSerialize`/`CanonicalDeserialize`
//! implementations write and read `body` (points compressed or not, per the
//! mode); [`Proof::to_bytes`] and [`Proof::from_bytes`] add the envelope and
//! reject trailing bytes. `docs/PROTOCOL-zk.md` shows what each element reveals.

use super::{MAX_ROW_VARS, MAX_WITNESS_VARS};
use crate::snark::encoding::{self, read_point, read_scalar};
use crate::snark::error::FormatError;
use crate::snark::pcs::hyrax::HyraxCommitment;
use crate::snark::poly::mask;
use crate::snark::sigma::DotProductProof;
use crate::snark::sumcheck::SumcheckProof;
use ark_bn254::{Fr, G1Affine};
use ark_serialize::{
    CanonicalDeserialize, CanonicalSerialize, Compress, Read, SerializationError, Valid, Validate, Write,
};

/// Magic bytes of an encoded proof.
const PROOF_MAGIC: &[u8; 4] = b"ZKPF";

/// A zero-knowledge Spartan + Hyrax proof. Built only by the prover or by
/// decoding, so its component lengths always agree with the parameters it encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// Hiding Hyrax commitment to the witness `w̃` (`2^⌊m/2⌋` row commitments).
    pub(crate) witness_commitment: HyraxCommitment,
    /// Hiding commitment to the coefficients of both sumcheck masks, `p₁ ‖ p₂`.
    pub(crate) mask_commitment: G1Affine,
    /// `w_j·V + ρ_j·H` for each committed witness index `j`, in index order.
    pub(crate) value_commitments: Vec<G1Affine>,
    /// `S₁ = Σ_x p₁(x)`.
    pub(crate) outer_mask_sum: Fr,
    /// Sumcheck #1 over the constraints, masked (`s` rounds, degree 3).
    pub(crate) outer: SumcheckProof,
    /// `Ãz(r_x), B̃z(r_x), C̃z(r_x)`.
    pub(crate) outer_claims: [Fr; 3],
    /// `S₂ = Σ_y p₂(y)`.
    pub(crate) inner_mask_sum: Fr,
    /// Sumcheck #2 over the columns, masked (`m + 1` rounds, degree 2).
    pub(crate) inner: SumcheckProof,
    /// `w̃(r_y[1..])`.
    pub(crate) witness_eval: Fr,
    /// One dot-product proof for all final checks (witness opening, mask values and sums).
    pub(crate) evaluation: DotProductProof,
    /// Per Hyrax row holding committed values: its entries match the commitments.
    pub(crate) links: Vec<DotProductProof>,
}

/// A named component of an encoded proof and its size.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProofPart {
    /// What the bytes are.
    pub name: &'static str,
    /// How many bytes they take.
    pub bytes: usize,
}

impl ProofPart {
    pub(crate) fn new(name: &'static str, bytes: usize) -> Self {
        ProofPart { name, bytes }
    }
}

/// Degrees of the round polynomials of sumcheck #1 and #2.
pub(crate) const OUTER_DEGREE: usize = 3;
pub(crate) const INNER_DEGREE: usize = 2;

/// Largest number of committed witness values a proof carries.
pub const MAX_COMMITTED: usize = 255;

/// Number of blocks of the evaluation proof (the witness rows, the masks) and of
/// each link proof (one row).
const EVALUATION_BLOCKS: usize = 2;
const LINK_BLOCKS: usize = 1;

/// `L`: the number of mask coefficients of both sumchecks, `(1 + 3s) + (1 + 2(m+1))`.
pub(crate) fn mask_len(s: usize, m: usize) -> usize {
    mask::mask_len(s, OUTER_DEGREE) + mask::mask_len(m + 1, INNER_DEGREE)
}

impl Proof {
    /// `(s, m)` as encoded in the body, if the components are consistent with them.
    fn params(&self) -> Option<(usize, usize)> {
        let s = self.outer.rounds.len();
        let m = self.inner.rounds.len().checked_sub(1)?;
        let row_len = 1usize << m.div_ceil(2);
        let consistent = (1..=MAX_ROW_VARS).contains(&s)
            && (1..=MAX_WITNESS_VARS).contains(&m)
            && self.witness_commitment.row_commitments.len() == 1 << (m / 2)
            && self.outer.rounds.iter().all(|r| r.len() == OUTER_DEGREE)
            && self.inner.rounds.iter().all(|r| r.len() == INNER_DEGREE)
            && self.evaluation.z.len() == row_len + mask_len(s, m)
            && self.evaluation.deltas.len() == EVALUATION_BLOCKS
            && self.evaluation.z_deltas.len() == EVALUATION_BLOCKS
            && self.value_commitments.len() <= MAX_COMMITTED
            && self.links.len() <= self.value_commitments.len()
            && self
                .links
                .iter()
                .all(|l| l.z.len() == row_len && l.deltas.len() == LINK_BLOCKS && l.z_deltas.len() == LINK_BLOCKS);
        consistent.then_some((s, m))
    }

    fn dot_proofs(&self) -> impl Iterator<Item = &DotProductProof> {
        core::iter::once(&self.evaluation).chain(&self.links)
    }

    fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.witness_commitment
            .row_commitments
            .iter()
            .chain(core::iter::once(&self.mask_commitment))
            .chain(&self.value_commitments)
            .chain(self.dot_proofs().flat_map(|d| d.deltas.iter().chain([&d.beta])))
    }

    fn scalars(&self) -> impl Iterator<Item = &Fr> {
        core::iter::once(&self.outer_mask_sum)
            .chain(self.outer.rounds.iter().flatten())
            .chain(&self.outer_claims)
            .chain(core::iter::once(&self.inner_mask_sum))
            .chain(self.inner.rounds.iter().flatten())
            .chain(core::iter::once(&self.witness_eval))
            .chain(self.dot_proofs().flat_map(|d| d.z.iter().chain(&d.z_deltas).chain([&d.z_beta])))
    }

    /// Reads a body (see the module docs); lengths follow from `(s, m, k, l)`, which
    /// are range-checked before anything is allocated.
    fn read_body<R: Read>(r: &mut R, compress: Compress, validate: Validate) -> Result<Self, FormatError> {
        let [s, m, k, l] = encoding::read_array(r, "proof parameters")?;
        let (s, m, k, l) = (s as usize, m as usize, k as usize, l as usize);
        encoding::check_limit("proof row variables", s as u64, MAX_ROW_VARS as u64)?;
        encoding::check_limit("proof witness variables", m as u64, MAX_WITNESS_VARS as u64)?;
        encoding::check_limit("proof link proofs", l as u64, k as u64)?;
        if s == 0 || m == 0 {
            return Err(FormatError::Invalid { what: "proof parameters" });
        }
        let row_len = 1usize << m.div_ceil(2);
        let mut points = |n: usize, what| {
            (0..n).map(|_| read_point(&mut *r, compress, validate, what)).collect::<Result<Vec<_>, _>>()
        };
        let row_commitments = points(1 << (m / 2), "witness commitment")?;
        let mask_commitment = points(1, "mask commitment")?[0];
        let value_commitments = points(k, "committed value")?;
        let evaluation_firsts = points(EVALUATION_BLOCKS + 1, "evaluation proof")?;
        let link_firsts = points((LINK_BLOCKS + 1) * l, "link proof")?;
        fn scalars<R: Read>(r: &mut R, n: usize, what: &'static str) -> Result<Vec<Fr>, FormatError> {
            (0..n).map(|_| read_scalar(&mut *r, what)).collect()
        }
        fn rounds<R: Read>(
            r: &mut R,
            n: usize,
            d: usize,
            what: &'static str,
        ) -> Result<(Fr, SumcheckProof), FormatError> {
            let sum = read_scalar(&mut *r, what)?;
            let rounds = (0..n).map(|_| scalars(r, d, what)).collect::<Result<Vec<_>, _>>()?;
            Ok((sum, SumcheckProof { rounds }))
        }
        let (outer_mask_sum, outer) = rounds(r, s, OUTER_DEGREE, "outer sumcheck")?;
        let claims = scalars(r, 3, "outer claims")?;
        let (inner_mask_sum, inner) = rounds(r, m + 1, INNER_DEGREE, "inner sumcheck")?;
        let witness_eval = read_scalar(&mut *r, "witness evaluation")?;
        let mut dot = |firsts: &[G1Affine], n: usize, what| -> Result<DotProductProof, FormatError> {
            let blocks = firsts.len() - 1;
            let mut z = scalars(r, n + blocks + 1, what)?;
            let (z_deltas, z_beta) = (z[n..n + blocks].to_vec(), z[n + blocks]);
            z.truncate(n);
            Ok(DotProductProof { deltas: firsts[..blocks].to_vec(), beta: firsts[blocks], z, z_deltas, z_beta })
        };
        let evaluation = dot(&evaluation_firsts, row_len + mask_len(s, m), "evaluation proof")?;
        let links = link_firsts
            .chunks_exact(LINK_BLOCKS + 1)
            .map(|firsts| dot(firsts, row_len, "link proof"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Proof {
            witness_commitment: HyraxCommitment { row_commitments },
            mask_commitment,
            value_commitments,
            outer_mask_sum,
            outer,
            outer_claims: [claims[0], claims[1], claims[2]],
            inner_mask_sum,
            inner,
            witness_eval,
            evaluation,
            links,
        })
    }

    /// The encoded body's bytes by component, in encoding order of kind (see the
    /// module docs); the parts sum to `to_bytes().len()` minus the 6-byte envelope.
    pub fn size_breakdown(&self) -> Vec<ProofPart> {
        const POINT: usize = 32;
        const SCALAR: usize = 32;
        // `z` of the evaluation proof is the row block, then the `L` mask coefficients
        // (`s` outer rounds; sumcheck #2 has `m + 1` rounds).
        let masks = mask_len(self.outer.rounds.len(), self.inner.rounds.len().saturating_sub(1));
        let row_len = self.evaluation.z.len().saturating_sub(masks);
        let rows = self.witness_commitment.row_commitments.len();
        let dot = |d: &DotProductProof| (d.deltas.len() + 1) * POINT + (d.z.len() + d.z_deltas.len() + 1) * SCALAR;
        let rounds = |p: &SumcheckProof| p.rounds.iter().map(Vec::len).sum::<usize>() * SCALAR;
        vec![
            ProofPart::new("parameters (s, m, k, l)", 4),
            ProofPart::new("witness row commitments", rows * POINT),
            ProofPart::new("mask commitment", POINT),
            ProofPart::new("committed-value commitments", self.value_commitments.len() * POINT),
            ProofPart::new("outer sumcheck (mask sum, rounds)", SCALAR + rounds(&self.outer)),
            ProofPart::new("outer claims v_A, v_B, v_C", 3 * SCALAR),
            ProofPart::new("inner sumcheck (mask sum, rounds)", SCALAR + rounds(&self.inner)),
            ProofPart::new("witness evaluation v_W", SCALAR),
            ProofPart::new("evaluation proof: first messages", (self.evaluation.deltas.len() + 1) * POINT),
            ProofPart::new("evaluation proof: responses on the witness rows", row_len * SCALAR),
            ProofPart::new("evaluation proof: responses on the masks", masks * SCALAR),
            ProofPart::new("evaluation proof: blind responses", (self.evaluation.z_deltas.len() + 1) * SCALAR),
            ProofPart::new("link proofs", self.links.iter().map(dot).sum()),
        ]
    }

    /// The commitments to the committed witness values, in index order.
    pub fn value_commitments(&self) -> &[G1Affine] {
        &self.value_commitments
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
        writer.write_all(&[s as u8, m as u8, self.value_commitments.len() as u8, self.links.len() as u8])?;
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
        4 + self.points().count() * point_size + self.scalars().count() * 32
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
