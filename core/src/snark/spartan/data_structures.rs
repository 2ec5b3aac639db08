//! The proof and its byte format.
//!
//! ```text
//! Proof bytes = "ZKPF" ‖ u16 version ‖ body
//! body        = u8 s ‖ u8 m ‖ u8 profile ‖ u8 k ‖ u8 l (1 ≤ s ≤ 20, 1 ≤ m ≤ 19, l ≤ k)
//!             ‖ points:  2^h            witness row commitments C_i
//!                        1              mask commitment C_p
//!                        k              committed-value commitments
//!                        E_p            evaluation proof's points
//!                        l·P_p          link proofs' points
//!             ‖ scalars: 1 + 3s         outer mask sum S₁, outer rounds (3 values each)
//!                        3              v_A, v_B, v_C
//!                        1 + 2(m+1)     inner mask sum S₂, inner rounds (2 values each)
//!                        1              v_W = w̃(r_y[1..])
//!                        E_s            evaluation proof's scalars
//!                        l·P_s          link proofs' scalars
//! ```
//!
//! `profile` is [`Profile::code`] (format 10; the verifier requires its key's). It fixes
//! `h = `[`Profile::row_vars`]`(m)`, the Hyrax split of the witness into `2^h` rows of
//! `R = 2^ν_R` entries (`ν_R = m − h`), and the argument of the dot-product proofs
//! ([`Profile::argument`]):
//!
//! * logarithmic (`small`): the evaluation proof is `E_p = 2·ν_E + 2` points
//!   (`L_0, R_0, …, δ, β`) and `E_s = 2` scalars (`z, z_blind`), a link proof
//!   `P_p = 2·ν_R + 2` and `P_s = 2`; `ν_L = ⌈log₂ L⌉` for the
//!   `L = 3s + 2(m+1) + 2` mask coefficients, padded with zeros to `2^ν_L`, and
//!   `ν_E = max(ν_R, ν_L) + 1` the rounds of one inner-product argument over both
//!   segments (`sigma/schedule.rs`);
//! * linear (`fast`): the evaluation proof is `E_p = 1` point (`δ`) and
//!   `E_s = R + L + 1` scalars (`z_0, …, z_blind`), a link proof `P_p = 1` and
//!   `P_s = R + 1`.
//!
//! `k` is the number of committed witness values (at most 255), `l`
//! the number of Hyrax rows they lie in. Every count follows from `(s, m, profile, k, l)`.
//! The `CanonicalSerialize`/`CanonicalDeserialize` implementations write and read
//! `body` (points compressed or not, per the mode); [`Proof::to_bytes`] and
//! [`Proof::from_bytes`] add the envelope and
//! reject trailing bytes. `docs/PROTOCOL-zk.md` shows what each element reveals.

use super::{MAX_ROW_VARS, MAX_WITNESS_VARS};
use crate::snark::encoding::{self, read_scalar};
use crate::snark::error::FormatError;
use crate::snark::pcs::hyrax::{HyraxCommitment, Profile};
use crate::snark::poly::mask;
use crate::snark::sigma::{Argument, Opening};
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
    pub(crate) evaluation: Opening,
    /// Per Hyrax row holding committed values: its entries match the commitments.
    pub(crate) links: Vec<Opening>,
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

/// `L`: the number of mask coefficients of both sumchecks, `(1 + 3s) + (1 + 2(m+1))`.
pub(crate) fn mask_len(s: usize, m: usize) -> usize {
    mask::mask_len(s, OUTER_DEGREE) + mask::mask_len(m + 1, INNER_DEGREE)
}

/// The length of the evaluation proof's mask segment: for the logarithmic argument `L`
/// padded to a power of two (`2^ν_L`), for the linear one `L`.
pub(crate) fn mask_block_len(argument: Argument, s: usize, m: usize) -> usize {
    match argument {
        Argument::Logarithmic => mask_len(s, m).next_power_of_two(),
        Argument::Linear => mask_len(s, m),
    }
}

/// The evaluation proof's segment lengths: the row length `R`, then the masks'
/// ([`mask_block_len`]).
pub(crate) fn evaluation_segments(argument: Argument, row_len: usize, s: usize, m: usize) -> [usize; 2] {
    [row_len, mask_block_len(argument, s, m)]
}

/// The shapes a proof's components have for the parameters `(s, m, profile)`.
struct Shape {
    profile: Profile,
    rows: usize,
    /// The evaluation proof's segment lengths.
    evaluation: [usize; 2],
    /// A link proof's segment length, `R`.
    row_len: usize,
}

impl Shape {
    fn new(s: usize, m: usize, profile: Profile) -> Self {
        let h = profile.row_vars(m);
        let row_len = 1 << (m - h);
        Shape { profile, rows: 1 << h, evaluation: evaluation_segments(profile.argument(), row_len, s, m), row_len }
    }

    /// The points and scalars of the evaluation proof and of a link proof.
    fn counts(&self) -> [(usize, usize); 2] {
        let argument = self.profile.argument();
        let counts = |lens: &[usize]| argument.counts(lens).expect("the key's segments suit its argument");
        [counts(&self.evaluation), counts(&[self.row_len])]
    }
}

impl Proof {
    /// `(s, m, profile)` as encoded in the body, if the components are consistent with them.
    fn params(&self) -> Option<(usize, usize, Profile)> {
        let s = self.outer.rounds.len();
        let m = self.inner.rounds.len().checked_sub(1)?;
        if !(1..=MAX_ROW_VARS).contains(&s) || !(1..=MAX_WITNESS_VARS).contains(&m) {
            return None;
        }
        let argument = self.evaluation.argument();
        let profile = Profile::ALL.into_iter().find(|p| p.argument() == argument)?;
        let shape = Shape::new(s, m, profile);
        let consistent = self.witness_commitment.row_commitments.len() == shape.rows
            && self.outer.rounds.iter().all(|r| r.len() == OUTER_DEGREE)
            && self.inner.rounds.iter().all(|r| r.len() == INNER_DEGREE)
            && self.evaluation.fits(argument, &shape.evaluation)
            && self.value_commitments.len() <= MAX_COMMITTED
            && self.links.len() <= self.value_commitments.len()
            && self.links.iter().all(|l| l.fits(argument, &[shape.row_len]));
        consistent.then_some((s, m, profile))
    }

    fn dot_proofs(&self) -> impl Iterator<Item = &Opening> {
        core::iter::once(&self.evaluation).chain(&self.links)
    }

    fn points(&self) -> impl Iterator<Item = &G1Affine> {
        self.witness_commitment
            .row_commitments
            .iter()
            .chain(core::iter::once(&self.mask_commitment))
            .chain(&self.value_commitments)
            .chain(self.dot_proofs().flat_map(Opening::points))
    }

    fn scalars(&self) -> impl Iterator<Item = &Fr> {
        core::iter::once(&self.outer_mask_sum)
            .chain(self.outer.rounds.iter().flatten())
            .chain(&self.outer_claims)
            .chain(core::iter::once(&self.inner_mask_sum))
            .chain(self.inner.rounds.iter().flatten())
            .chain(core::iter::once(&self.witness_eval))
            .chain(self.dot_proofs().flat_map(Opening::scalars))
    }

    /// Reads a body (see the module docs); lengths follow from `(s, m, profile, k, l)`,
    /// which are range-checked before anything is allocated.
    fn read_body<R: Read>(r: &mut R, compress: Compress) -> Result<Self, FormatError> {
        let [s, m, profile, k, l] = encoding::read_array(r, "proof parameters")?;
        let (s, m, k, l) = (s as usize, m as usize, k as usize, l as usize);
        encoding::check_limit("proof row variables", s as u64, MAX_ROW_VARS as u64)?;
        encoding::check_limit("proof witness variables", m as u64, MAX_WITNESS_VARS as u64)?;
        encoding::check_limit("proof link proofs", l as u64, k as u64)?;
        if s == 0 || m == 0 {
            return Err(FormatError::Invalid { what: "proof parameters" });
        }
        let profile =
            Profile::from_code(profile).ok_or(FormatError::Invalid { what: "proof profile (unknown code)" })?;
        let shape = Shape::new(s, m, profile);
        let [(evaluation_points, evaluation_scalars), (link_point_count, link_scalars)] = shape.counts();
        // All the points, read and decoded at once (encoding::read_points), then split: the
        // rows, the mask, the values, and each dot-product proof's (its scalars come later).
        let mut groups = vec![
            (shape.rows, "witness commitment"),
            (1, "mask commitment"),
            (k, "committed value"),
            (evaluation_points, "evaluation proof"),
        ];
        groups.extend((0..l).map(|_| (link_point_count, "link proof")));
        let points = encoding::read_points(r, &groups, compress)?;
        let (row_commitments, rest) = points.split_at(shape.rows);
        let (mask_commitment, rest) = (rest[0], &rest[1..]);
        let (value_commitments, rest) = rest.split_at(k);
        let (evaluation_points, link_points) = rest.split_at(evaluation_points);
        let (row_commitments, value_commitments) = (row_commitments.to_vec(), value_commitments.to_vec());
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
        let argument = profile.argument();
        let evaluation_scalars = scalars(r, evaluation_scalars, "evaluation proof")?;
        let evaluation = Opening::from_parts(argument, evaluation_points, &evaluation_scalars);
        let links = link_points
            .chunks_exact(link_point_count)
            .map(|points| Ok(Opening::from_parts(argument, points, &scalars(r, link_scalars, "link proof")?)))
            .collect::<Result<Vec<_>, FormatError>>()?;
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
        let rows = self.witness_commitment.row_commitments.len();
        let rounds = |p: &SumcheckProof| p.rounds.iter().map(Vec::len).sum::<usize>() * SCALAR;
        vec![
            ProofPart::new("parameters (s, m, profile, k, l)", 5),
            ProofPart::new("witness row commitments", rows * POINT),
            ProofPart::new("mask commitment", POINT),
            ProofPart::new("committed-value commitments", self.value_commitments.len() * POINT),
            ProofPart::new("outer sumcheck (mask sum, rounds)", SCALAR + rounds(&self.outer)),
            ProofPart::new("outer claims v_A, v_B, v_C", 3 * SCALAR),
            ProofPart::new("inner sumcheck (mask sum, rounds)", SCALAR + rounds(&self.inner)),
            ProofPart::new("witness evaluation v_W", SCALAR),
            ProofPart::new(
                match self.evaluation {
                    Opening::Logarithmic(_) => "evaluation proof (L/R rounds, δ, β, responses)",
                    Opening::Linear(_) => "evaluation proof (δ, responses)",
                },
                self.evaluation.encoded_len(),
            ),
            ProofPart::new("link proofs", self.links.iter().map(Opening::encoded_len).sum()),
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
        let proof = Self::read_body(&mut input, Compress::Yes)?;
        encoding::expect_end(input)?;
        Ok(proof)
    }
}

impl CanonicalSerialize for Proof {
    fn serialize_with_mode<W: Write>(&self, mut writer: W, compress: Compress) -> Result<(), SerializationError> {
        let (s, m, profile) = self.params().ok_or(SerializationError::InvalidData)?;
        let (k, l) = (self.value_commitments.len(), self.links.len());
        writer.write_all(&[s as u8, m as u8, profile.code(), k as u8, l as u8])?;
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
        5 + self.points().count() * point_size + self.scalars().count() * 32
    }
}

impl Valid for Proof {
    fn check(&self) -> Result<(), SerializationError> {
        self.params().ok_or(SerializationError::InvalidData)?;
        self.points().try_for_each(Valid::check)
    }
}

/// Points are validated (on the curve, in the subgroup) and must be canonically encoded
/// whatever `validate` says: a proof comes from its prover, never from a trusted source,
/// and a point off the curve that shares `x` with an honest one can make a changed proof
/// verify.
impl CanonicalDeserialize for Proof {
    fn deserialize_with_mode<R: Read>(
        mut reader: R,
        compress: Compress,
        _validate: Validate,
    ) -> Result<Self, SerializationError> {
        Self::read_body(&mut reader, compress).map_err(|_| SerializationError::InvalidData)
    }
}
