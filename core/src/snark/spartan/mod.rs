//! Spartan (Setty, CRYPTO 2020) for R1CS with the Hyrax polynomial commitment,
//! transparent, over BN254.
//!
//! * [`preprocess`] turns an [`R1cs`] into a [`ProvingKey`] and a [`VerifyingKey`]
//!   (cheap: sorting the matrices and, without a caller digest, hashing them).
//! * [`prove`] (feature `prover`) proves `∃ w: (A·z) ∘ (B·z) = C·z` for `z = (1, io, w)`,
//!   in zero knowledge (`docs/PROTOCOL-zk.md`), optionally exposing hiding Pedersen
//!   commitments to chosen witness entries (*committed values*).
//! * [`verify`] checks a [`Proof`] against the key and the public values `io`.
//!
//! **Padded layout.** Internally the assignment is
//! `z' = (w, 0…0 ‖ 1, io, 0…0)`: the witness padded to `2^m` entries, then the
//! constant 1 and the public values padded to `2^m`, so `z̃'(y_0, y') =
//! (1 − y_0)·w̃(y') + y_0·ĩo'(y')` with `2^m ≥ max(num_witness, 1 + num_public)`,
//! `m ≥ 1`. Rows are padded with zero constraints to `2^s`, `s ≥ 1`. Before
//! padding, every instance gets the blinding gadget of `blinding.rs` (3 rows, 4 witness
//! columns); the key's public sizes are those of the instance without it.
//! `docs/PROTOCOL.md` describes every step and check.

mod blinding;
mod data_structures;
#[cfg(feature = "prover")]
mod precompute;
#[cfg(feature = "prover")]
mod prover;
mod verifier;

#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use data_structures::evaluation_segments;
pub use data_structures::{Proof, ProofPart, MAX_COMMITTED};
#[cfg(feature = "prover")]
pub use precompute::Precomputed;
#[cfg(feature = "prover")]
pub(crate) use prover::os_seeded_rng;
#[cfg(feature = "prover")]
pub use prover::{prove, prove_precomputed, prove_with_rng, ProvePhase};
pub use verifier::{verify, verify_with_phases, VerifyPhase};

use crate::snark::encoding::{self, FORMAT_VERSION};
use crate::snark::error::{FormatError, SetupError};
use crate::snark::pcs::hyrax::HyraxKey;
pub use crate::snark::pcs::hyrax::Profile;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use crate::snark::pedersen::fixed_base;
use crate::snark::pedersen::GeneratorTables;
use crate::snark::poly::num_vars_for;
#[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
use crate::snark::poly::sparse::CsrMatrix;
use crate::snark::r1cs::R1cs;
use crate::snark::transcript::FiatShamir;
use ark_bn254::{Fr, G1Affine};
use ark_ff::{AdditiveGroup, Field};
use sha3::{Digest, Keccak256};
use std::sync::Arc;

/// Protocol label the transcript is initialised with.
const PROTOCOL_LABEL: &[u8] = b"zkpolicy/zk-spartan-hyrax/bn254/v10";
/// Domain prefix of the default statement digest (hash of the canonical R1CS encoding).
const R1CS_DIGEST_DOMAIN: &[u8] = b"zkpolicy/r1cs-digest/v1";
/// Magic bytes of an encoded verifying key.
const VK_MAGIC: &[u8; 4] = b"ZKVK";

/// Largest number of row variables `s` (at most `2^20` constraints). The limits
/// keep a verifier's memory bounded (its `eq` tables have `2^s` and `2^(m+1)`
/// entries) whatever key it is handed.
pub const MAX_ROW_VARS: usize = 20;
/// Largest number of witness variables `m` (at most `2^19` witness values and
/// `2^19 − 1` public values).
pub const MAX_WITNESS_VARS: usize = 19;

/// The largest instance [`preprocess`] accepts, counted as its caller builds it:
/// without the blinding gadget that Spartan appends to every instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Constraints: rows are padded to at most `2^MAX_ROW_VARS`, and the gadget takes 3.
    pub constraints: usize,
    /// Witness values: padded to at most `2^MAX_WITNESS_VARS`, and the gadget takes 4.
    pub witness: usize,
    /// Public values: `(1, io)` is padded to at most `2^MAX_WITNESS_VARS` entries.
    pub public: usize,
    /// Committed witness values ([`MAX_COMMITTED`]).
    pub committed: usize,
}

/// The limits of this build (see [`Limits`]).
pub const LIMITS: Limits = Limits {
    constraints: (1 << MAX_ROW_VARS) - blinding::ROWS,
    witness: (1 << MAX_WITNESS_VARS) - blinding::COLUMNS,
    public: (1 << MAX_WITNESS_VARS) - 1,
    committed: MAX_COMMITTED,
};

/// Sizes of an instance and of its padded Spartan layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub num_constraints: usize,
    pub num_public: usize,
    pub num_witness: usize,
    /// `s`: constraints padded to `2^s` rows.
    pub row_vars: usize,
    /// `m`: witness (and `(1, io)`) padded to `2^m`; `z'` has `2^(m+1)` entries.
    pub witness_vars: usize,
}

impl Shape {
    /// Checks the limits and computes the padding; on failure returns `(what, value, limit)`.
    fn new(num_constraints: usize, num_public: usize, num_witness: usize) -> Result<Self, (&'static str, u64, u64)> {
        let check = |what, value: u64, limit: u64| {
            if value > limit {
                Err((what, value, limit))
            } else {
                Ok(())
            }
        };
        check("number of constraints", num_constraints as u64, 1 << MAX_ROW_VARS)?;
        check("number of witness values", num_witness as u64, 1 << MAX_WITNESS_VARS)?;
        check("number of public values", num_public as u64, (1 << MAX_WITNESS_VARS) - 1)?;
        Ok(Shape {
            num_constraints,
            num_public,
            num_witness,
            row_vars: num_vars_for(num_constraints),
            witness_vars: num_vars_for(num_witness.max(1 + num_public)),
        })
    }

    /// `2^m`: the size of each half of `z'`.
    pub(crate) fn half_columns(&self) -> usize {
        1 << self.witness_vars
    }

    /// Maps a logical column of `z = (1, io, w)` to its index in `z'`.
    pub(crate) fn col_map(&self) -> impl Fn(usize) -> usize + Copy {
        let (half, num_public) = (self.half_columns(), self.num_public);
        move |col| {
            if col <= num_public {
                half + col
            } else {
                col - 1 - num_public
            }
        }
    }
}

/// Everything both keys hold.
#[derive(Debug)]
struct KeyData {
    digest: [u8; 32],
    /// The instance with the blinding gadget, canonical (sorted, merged), in the
    /// logical column layout. `shape` describes it, gadget included.
    r1cs: R1cs,
    /// `r1cs`'s A, B and C for the native kernels, columns in the padded layout.
    #[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
    matrices: [CsrMatrix; 3],
    shape: Shape,
    /// The witness's split into Hyrax rows, which `hyrax` applies.
    profile: Profile,
    hyrax: HyraxKey,
}

/// The verifying key: the statement digest, the R1CS matrices and the Hyrax
/// parameters. Cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct VerifyingKey {
    data: Arc<KeyData>,
    /// The fixed-base tables of the message generators its proofs are checked on, once
    /// built by [`VerifyingKey::with_generator_tables`].
    tables: Option<Arc<GeneratorTables>>,
}

/// The proving key. It currently holds exactly what the verifying key holds.
#[derive(Clone, Debug)]
pub struct ProvingKey {
    vk: VerifyingKey,
}

impl ProvingKey {
    /// The matching verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.vk
    }
}

/// Builds the key pair for `r1cs`, its witness split into Hyrax rows as `profile` says.
///
/// `digest`: 32 bytes identifying the statement, absorbed first by the transcript.
/// With `None` it is the Keccak-256 hash of the canonical R1CS encoding. A caller
/// passing its own digest must make sure the digest determines the R1CS (for
/// example a hash of the model the R1CS is compiled from): the transcript binds the
/// digest, the instance sizes and the row split, not the matrices themselves.
pub fn preprocess(
    mut r1cs: R1cs,
    profile: Profile,
    digest: Option<[u8; 32]>,
) -> Result<(ProvingKey, VerifyingKey), SetupError> {
    Shape::new(r1cs.num_constraints + blinding::ROWS, r1cs.num_public, r1cs.num_witness + blinding::COLUMNS)
        .map_err(|(what, value, limit)| SetupError::TooLarge { what, value, limit })?;
    let cols = r1cs.num_columns();
    for (matrix, m) in [("A", &r1cs.a), ("B", &r1cs.b), ("C", &r1cs.c)] {
        if let Some(e) = m.entries.iter().find(|e| e.row >= r1cs.num_constraints || e.col >= cols) {
            return Err(SetupError::EntryOutOfRange {
                matrix,
                row: e.row,
                col: e.col,
                rows: r1cs.num_constraints,
                cols,
            });
        }
    }
    r1cs.canonicalize();
    let digest = digest.unwrap_or_else(|| r1cs_digest(&r1cs));
    let vk = VerifyingKey::from_parts(r1cs, profile, digest);
    Ok((ProvingKey { vk: vk.clone() }, vk))
}

/// Keccak-256 of the domain prefix and the canonical encoding of a canonical `r1cs`.
fn r1cs_digest(r1cs: &R1cs) -> [u8; 32] {
    let mut body = Vec::new();
    encoding::write_r1cs(&mut body, r1cs);
    let mut h = Keccak256::new();
    h.update(R1CS_DIGEST_DOMAIN);
    h.update(&body);
    h.finalize().into()
}

impl VerifyingKey {
    /// The key for a canonical instance whose sizes (with the gadget) fit the limits.
    fn from_parts(mut r1cs: R1cs, profile: Profile, digest: [u8; 32]) -> Self {
        blinding::append(&mut r1cs);
        r1cs.canonicalize();
        let shape = Shape::new(r1cs.num_constraints, r1cs.num_public, r1cs.num_witness)
            .expect("callers check the sizes with the gadget");
        let hyrax = HyraxKey::new(shape.witness_vars, profile);
        #[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
        let matrices = [&r1cs.a, &r1cs.b, &r1cs.c].map(|m| CsrMatrix::new(&m.entries, shape.col_map()));
        VerifyingKey {
            data: Arc::new(KeyData {
                digest,
                r1cs,
                #[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
                matrices,
                shape,
                profile,
                hyrax,
            }),
            tables: None,
        }
    }

    /// The key with fixed-base tables of the generators its proofs are checked on
    /// (`G_0, …` as many as step 6 takes, `V` and `H`), for a verifier that checks many
    /// proofs with one key: each check's generator terms then cost table additions
    /// instead of a variable-base multi-scalar multiplication (`docs/PROTOCOL-zk.md`
    /// §9). The tables are built once per process and shared by every key (2 KiB per
    /// generator: 0.5 MiB for 256; about 40 µs per generator). Verification gives the
    /// same results with or without them. The wasm verifier has none (its multi-scalar
    /// multiplication is faster without them there): there the key is returned as it is.
    pub fn with_generator_tables(self) -> Self {
        #[cfg(any(feature = "prover", not(target_arch = "wasm32")))]
        {
            let shape = self.data.shape;
            let argument = self.data.profile.argument();
            let segments = evaluation_segments(argument, self.data.hyrax.row_len(), shape.row_vars, shape.witness_vars);
            // V's and H's tables too, so that no verification pays for them.
            fixed_base::value_and_blinding();
            VerifyingKey { tables: Some(fixed_base::message_tables(segments.iter().sum())), ..self }
        }
        #[cfg(not(any(feature = "prover", not(target_arch = "wasm32"))))]
        self
    }

    /// The 32-byte statement digest the transcript starts from.
    pub fn digest(&self) -> [u8; 32] {
        self.data.digest
    }

    /// How the key splits the witness into Hyrax rows.
    pub fn profile(&self) -> Profile {
        self.data.profile
    }

    /// Number of constraints of the instance (without the blinding gadget).
    pub fn num_constraints(&self) -> usize {
        self.data.shape.num_constraints - blinding::ROWS
    }

    /// Number of public values a proof is checked against.
    pub fn num_public(&self) -> usize {
        self.data.shape.num_public
    }

    /// Number of private witness values (without the blinding gadget's).
    pub fn num_witness(&self) -> usize {
        self.data.shape.num_witness - blinding::COLUMNS
    }

    /// Encodes the key: `"ZKVK" ‖ u16 version ‖ digest (32 bytes) ‖ u8 profile ‖ R1CS
    /// body` (see [`crate::snark::encoding`] and [`Profile::code`]). Generators are not
    /// stored: they are re-derived.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encoding::write_header(&mut out, VK_MAGIC);
        out.extend_from_slice(&self.data.digest);
        out.push(self.data.profile.code());
        encoding::write_r1cs(&mut out, &blinding::strip(&self.data.r1cs));
        out
    }

    /// Decodes and validates a key written by [`VerifyingKey::to_bytes`].
    ///
    /// The stored digest must be the default one, the hash of the key's own R1CS
    /// (recomputed here): a file cannot pair a digest with other matrices. A key
    /// built with a caller digest ([`preprocess`] with `Some`) does not round-trip
    /// through this format; its owner rebuilds it from what the digest names (policy
    /// keys rebuild it from the model).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut input = bytes;
        encoding::read_header(&mut input, VK_MAGIC, "ZKVK")?;
        let digest = encoding::read_array(&mut input, "statement digest")?;
        let profile = Profile::read(&mut input)?;
        let mut r1cs = encoding::read_r1cs(&mut input, |c, p, w| {
            Shape::new(c.saturating_add(blinding::ROWS), p, w.saturating_add(blinding::COLUMNS))
                .map(|_| ())
                .map_err(|(what, value, limit)| FormatError::TooLarge { what, value, limit })
        })?;
        encoding::expect_end(input)?;
        r1cs.canonicalize();
        if r1cs_digest(&r1cs) != digest {
            return Err(FormatError::Invalid { what: "statement digest (it is not the hash of the key's R1CS)" });
        }
        Ok(Self::from_parts(r1cs, profile, digest))
    }
}

/// The public part of a statement: the public values `io`, the witness indices
/// whose values the proof exposes as commitments (strictly increasing), and the
/// context the proof is bound to.
#[derive(Clone, Copy, Debug)]
pub struct Statement<'a> {
    /// The public values, `io`.
    pub public: &'a [Fr],
    /// Witness indices of the committed values.
    pub committed: &'a [usize],
    /// Bytes that prover and verifier both know and that the proof is bound to,
    /// such as the digest of the request the proof authorizes (empty for none). The
    /// transcript absorbs them, length-prefixed, before any challenge: a proof made
    /// for one context fails for every other.
    pub context: &'a [u8],
}

impl Statement<'_> {
    /// Whether `committed` is strictly increasing and below `num_witness`; returns the
    /// first offending index otherwise.
    fn check_committed(&self, num_witness: usize) -> Result<(), usize> {
        let mut prev = None;
        for &j in self.committed {
            if j >= num_witness || prev.is_some_and(|p| j <= p) {
                return Err(j);
            }
            prev = Some(j);
        }
        Ok(())
    }
}

/// Binds the statement: format version, statement digest, context, instance sizes,
/// the Hyrax row split, the public values, then the committed indices and their commitments. Prover and
/// verifier call exactly this.
fn bind_statement(t: &mut impl FiatShamir, data: &KeyData, statement: Statement<'_>, commitments: &[G1Affine]) {
    t.append_u64(b"format-version", FORMAT_VERSION as u64);
    t.append_bytes(b"statement-digest", &data.digest);
    t.append_bytes(b"context", statement.context);
    t.append_u64(b"num-constraints", data.shape.num_constraints as u64);
    t.append_u64(b"num-witness", data.shape.num_witness as u64);
    t.append_u64(b"hyrax-row-vars", data.hyrax.row_vars() as u64);
    t.append_u64(b"profile", data.profile.code() as u64);
    t.append_u64(b"num-public", statement.public.len() as u64);
    t.append_scalars(b"public-values", statement.public);
    t.append_u64(b"num-committed", statement.committed.len() as u64);
    for &j in statement.committed {
        t.append_u64(b"committed-index", j as u64);
    }
    t.append_points(b"committed-values", commitments);
}

/// The weights of the batched evaluation proof (`docs/PROTOCOL-zk.md`, step 6):
/// `(eq(r_col) ‖ γρ₁·e(r_x) + γ²·σ₁ ‖ γ³ρ₂·e(r_y) + γ⁴·σ₂ ‖ 0…0)`, where `e(r)` and `σ`
/// are the mask evaluation and sum weights ([`crate::snark::poly::mask`]) and the
/// zeros pad the mask segment to `mask_block` entries
/// ([`data_structures::mask_block_len`]). Its inner product with
/// `(u ‖ p₁ ‖ p₂ ‖ 0…0)` is `v_W + γ·ρ₁p₁(r_x) + γ²·S₁ + γ³·ρ₂p₂(r_y) + γ⁴·S₂`; no
/// weight of the mask segment has a term free of `γ`.
fn evaluation_weights(
    col_weights: &[Fr],
    r_x: &[Fr],
    r_y: &[Fr],
    [rho_outer, rho_inner, gamma]: [Fr; 3],
    mask_block: usize,
) -> Vec<Fr> {
    use crate::snark::poly::mask::{evaluation_weights as eval_w, sum_weights};
    use data_structures::{INNER_DEGREE, OUTER_DEGREE};
    let g = |k: u64| gamma.pow([k]);
    let mask_part = |point: &[Fr], degree: usize, eval_coeff: Fr, sum_coeff: Fr| {
        eval_w(point, degree)
            .into_iter()
            .zip(sum_weights(point.len(), degree))
            .map(move |(e, s)| eval_coeff * e + sum_coeff * s)
    };
    let mut weights: Vec<Fr> = col_weights
        .iter()
        .copied()
        .chain(mask_part(r_x, OUTER_DEGREE, g(1) * rho_outer, g(2)))
        .chain(mask_part(r_y, INNER_DEGREE, g(3) * rho_inner, g(4)))
        .collect();
    weights.resize(col_weights.len() + mask_block, Fr::ZERO);
    weights
}

/// The value the evaluation proof claims for the vector `(u ‖ μ·(p₁ ‖ p₂ ‖ 0…0))` and
/// the weights of [`evaluation_weights`]:
/// `v_W + μ·(γ·ρ₁p₁(r_x) + γ²·S₁ + γ³·ρ₂p₂(r_y) + γ⁴·S₂)`, with
/// `terms = [ρ₁p₁(r_x), S₁, ρ₂p₂(r_y), S₂]` (Horner in `γ`).
fn evaluation_claim(witness_eval: Fr, terms: [Fr; 4], gamma: Fr, mu: Fr) -> Fr {
    witness_eval + mu * gamma * terms.iter().rev().fold(Fr::ZERO, |acc, t| *t + gamma * acc)
}

/// The Hyrax rows holding committed values, each with the range of `committed`
/// (sorted indices) that lies in it.
fn link_rows(committed: &[usize], row_len: usize) -> impl Iterator<Item = (usize, core::ops::Range<usize>)> + '_ {
    let mut start = 0;
    core::iter::from_fn(move || {
        let row = *committed.get(start)? / row_len;
        let end = start + committed[start..].iter().take_while(|&&j| j / row_len == row).count();
        let range = start..end;
        start = end;
        Some((row, range))
    })
}

/// For committed indices `js` of one row and a challenge `γ`: the row weights `a`
/// (`γ^t` at the column of the `t`-th index, 0 elsewhere) and the powers `γ^t`.
/// `⟨row, a⟩ = Σ_t γ^t·w_{j_t}`, which the link proof compares with `Σ_t γ^t·C_t`.
fn link_weights(js: &[usize], row_len: usize, gamma: Fr) -> (Vec<Fr>, Vec<Fr>) {
    let powers: Vec<Fr> = core::iter::successors(Some(Fr::ONE), |p| Some(*p * gamma)).take(js.len()).collect();
    let mut a = vec![Fr::ZERO; row_len];
    for (j, p) in js.iter().zip(&powers) {
        a[j % row_len] = *p;
    }
    (a, powers)
}

/// Transcript labels of the messages and challenges after the statement.
mod labels {
    pub(super) const WITNESS_COMMITMENT: &[u8] = b"witness-commitment";
    pub(super) const MASK_COMMITMENT: &[u8] = b"mask-commitment";
    pub(super) const TAU: &[u8] = b"tau";
    pub(super) const OUTER_MASK_SUM: &[u8] = b"outer-mask-sum";
    pub(super) const OUTER_MASK_CHALLENGE: &[u8] = b"outer-mask-challenge";
    pub(super) const OUTER_CLAIMS: &[u8] = b"outer-claims";
    pub(super) const BATCHING: &[u8] = b"inner-batching";
    pub(super) const INNER_MASK_SUM: &[u8] = b"inner-mask-sum";
    pub(super) const INNER_MASK_CHALLENGE: &[u8] = b"inner-mask-challenge";
    pub(super) const WITNESS_EVAL: &[u8] = b"witness-evaluation";
    pub(super) const EVALUATION_BATCHING: &[u8] = b"evaluation-batching";
    pub(super) const MASK_SCALE: &[u8] = b"evaluation-mask-scale";
    pub(super) const LINK_BATCHING: &[u8] = b"commitment-link-batching";
}

#[cfg(all(test, feature = "prover"))]
mod tests;

#[cfg(all(test, feature = "prover"))]
mod zk_tests;

#[cfg(all(test, feature = "prover"))]
mod adversary_tests;

/// The malicious-prover toolkit, shared with `policy::adversary_fixtures`.
#[cfg(all(test, feature = "prover"))]
pub(crate) mod adversary;
