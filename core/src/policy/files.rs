//! Byte formats of policy keys and proofs, and the JSON transport form of a proof.
//!
//! Every file starts with the envelope of [`crate::snark::encoding`]: 4 magic bytes and
//! the `u16` little-endian format version.
//!
//! ```text
//! verifier key  "ZKPV" ‖ u16 version ‖ u32 len ‖ model (len bytes, see model::codec)
//!               ‖ input visibility (see crate::frontend::visibility)
//!               ‖ input names and units (see super::inputs)
//!               ‖ u8 profile (0 small, 1 fast; see spartan::Profile)
//!               ‖ uvar len ‖ policy name (UTF-8, at most 256 bytes; not in the digest)
//! proving key   "ZKPK" ‖ the same fields as a verifier key
//! proof         "ZKPP" ‖ u16 version ‖ key digest (32 bytes)
//!               ‖ u8 0 (no context) | u8 1 ‖ context digest (32 bytes)
//!               ‖ uvar n ‖ n × svar public input ‖ uvar k ‖ k × svar logit
//!               ‖ zero-knowledge Spartan proof (arkworks canonical, compressed, validated)
//! ```
//!
//! Keys hold only the model, the visibility, the names and the profile: the circuit and the Spartan keys are rebuilt from it
//! on load, deterministically, so a key cannot disagree with its own model. Readers
//! check magic and version, bound every length before allocating and reject
//! trailing bytes.
//!
//! **JSON transport** (for HTTP): `{"format": "zkpolicy-proof", "version": 3,
//! "key_digest": "<hex>", "proof": "<base64 of the binary proof>"}`. Only the
//! base64 bytes are trusted; `key_digest` must agree with them.

use super::inputs::{read_str, write_str};
use super::{hex_digest, InputNames, KeyLoadPhase, PolicyError, PolicyProof, Profile, VerifierKey};
use crate::frontend::model::MAX_WIDTH;
use crate::frontend::visibility::InputVisibility;
use crate::snark::encoding::{self, FORMAT_VERSION};
use crate::snark::error::FormatError;
use crate::snark::spartan;
use crate::snark::varint::{read_svar, read_uvar, write_svar, write_uvar};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use base64::Engine;

/// Magic of a verifier key file.
pub const VK_MAGIC: &[u8; 4] = b"ZKPV";
/// Magic of a proving key file.
pub const PK_MAGIC: &[u8; 4] = b"ZKPK";
/// Magic of a proof file.
pub const PROOF_MAGIC: &[u8; 4] = b"ZKPP";
/// The `format` field of a JSON proof.
pub const JSON_FORMAT: &str = "zkpolicy-proof";
/// Largest model encoding a key may hold (256 MiB).
const MAX_MODEL_BYTES: u64 = 1 << 28;

/// What kind of zkpolicy file some bytes are, judged by their magic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A verifier key.
    VerifierKey,
    /// A proving key.
    ProvingKey,
    /// A binary proof.
    Proof,
    /// A proof in the JSON transport form.
    JsonProof,
}

/// Classifies bytes by their magic (or a leading `{` for JSON); `None` if they are
/// not a zkpolicy file.
pub fn detect(bytes: &[u8]) -> Option<FileKind> {
    let magic = bytes.get(..4)?;
    if magic == VK_MAGIC {
        Some(FileKind::VerifierKey)
    } else if magic == PK_MAGIC {
        Some(FileKind::ProvingKey)
    } else if magic == PROOF_MAGIC {
        Some(FileKind::Proof)
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        Some(FileKind::JsonProof)
    } else {
        None
    }
}

/// Longest policy name a key file may hold, in bytes.
pub const MAX_POLICY_NAME: usize = 256;

/// The contents of a key file, verifier or proving key alike: what the key digest
/// pins (the model's encoding, the visibility, the input names and the profile) and
/// the policy's name, which it does not.
pub(super) struct KeyFile<'a> {
    pub(super) model: &'a [u8],
    pub(super) visibility: InputVisibility,
    pub(super) inputs: InputNames,
    pub(super) profile: Profile,
    pub(super) name: String,
}

/// Encodes `key`'s file under `magic`.
pub(super) fn write_key_file(magic: &[u8; 4], key: &VerifierKey) -> Vec<u8> {
    let names = &key.names;
    encode_key_file(magic, &key.model_bytes, &key.visibility, &names.inputs, key.profile(), &names.policy)
}

/// A key file under `magic` ([`VK_MAGIC`] or [`PK_MAGIC`]) from its fields, in the
/// layout of the module docs: the one writer of that layout. Keys write themselves
/// with it; tests use it for files of models that `setup` refuses, which readers must
/// refuse too (the fields are written as given, not checked).
pub fn encode_key_file(
    magic: &[u8; 4],
    model_bytes: &[u8],
    visibility: &InputVisibility,
    inputs: &InputNames,
    profile: Profile,
    policy_name: &str,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + model_bytes.len());
    encoding::write_header(&mut out, magic);
    out.extend_from_slice(&(model_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(model_bytes);
    visibility.write(&mut out);
    inputs.write(&mut out);
    out.push(profile.code());
    write_str(&mut out, policy_name);
    out
}

/// Reads a key file; `what` names the file kind in errors.
pub(super) fn read_key_file<'a>(
    bytes: &'a [u8],
    magic: &[u8; 4],
    what: &'static str,
) -> Result<KeyFile<'a>, FormatError> {
    let mut input = bytes;
    encoding::read_header(&mut input, magic, what)?;
    let len = encoding::read_u32_bounded(&mut input, "model length", MAX_MODEL_BYTES)?;
    if input.len() < len {
        return Err(FormatError::Truncated { what: "model" });
    }
    let (model, mut rest) = input.split_at(len);
    let visibility = InputVisibility::read(&mut rest, MAX_WIDTH)?;
    let inputs = InputNames::read(&mut rest, MAX_WIDTH)?;
    let profile = Profile::read(&mut rest)?;
    let name = read_str(&mut rest, "policy name", MAX_POLICY_NAME)?;
    encoding::expect_end(rest)?;
    Ok(KeyFile { model, visibility, inputs, profile, name })
}

impl VerifierKey {
    /// Encodes the key.
    pub fn to_bytes(&self) -> Vec<u8> {
        write_key_file(VK_MAGIC, self)
    }

    /// Decodes a key and rebuilds its circuit.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PolicyError> {
        Self::from_bytes_with_phases(bytes, &mut |_| {})
    }

    /// [`VerifierKey::from_bytes`], calling `on_phase` as each [`KeyLoadPhase`] ends,
    /// in the order of [`KeyLoadPhase::ALL`], so that a caller with a clock can time
    /// them. The result is exactly [`VerifierKey::from_bytes`]'s.
    pub fn from_bytes_with_phases(bytes: &[u8], on_phase: &mut impl FnMut(KeyLoadPhase)) -> Result<Self, PolicyError> {
        let file = read_key_file(bytes, VK_MAGIC, "ZKPV (zkpolicy verifier key)").map_err(PolicyError::KeyFormat)?;
        Self::from_parts(file, on_phase)
    }
}

fn write_values(out: &mut Vec<u8>, values: &[i64]) {
    write_uvar(out, values.len() as u64);
    values.iter().for_each(|v| write_svar(out, *v));
}

/// Reads a length-prefixed list of signed varints; the length is bounded by
/// [`MAX_WIDTH`] and by the remaining input (one byte per value at least).
fn read_values(input: &mut &[u8], what: &'static str) -> Result<Vec<i64>, FormatError> {
    let n = read_uvar(input).map_err(|e| e.at(what))?;
    encoding::check_limit(what, n, MAX_WIDTH as u64)?;
    if n > input.len() as u64 {
        return Err(FormatError::Truncated { what });
    }
    (0..n).map(|_| read_svar(input).map_err(|e| e.at(what))).collect()
}

impl PolicyProof {
    /// Encodes the proof in the binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encoding::write_header(&mut out, PROOF_MAGIC);
        out.extend_from_slice(&self.key_digest);
        match &self.context_digest {
            None => out.push(0),
            Some(digest) => {
                out.push(1);
                out.extend_from_slice(digest);
            }
        }
        write_values(&mut out, &self.input);
        write_values(&mut out, &self.logits);
        self.snark.serialize_compressed(&mut out).expect("writing to a Vec cannot fail");
        out
    }

    /// Decodes a binary proof, validating every point and scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PolicyError> {
        Self::decode(bytes).map_err(PolicyError::ProofFormat)
    }

    fn decode(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut input = bytes;
        encoding::read_header(&mut input, PROOF_MAGIC, "ZKPP (zkpolicy proof)")?;
        let key_digest = encoding::read_array(&mut input, "key digest")?;
        let context_digest = match encoding::read_array::<_, 1>(&mut input, "context flag")? {
            [0] => None,
            [1] => Some(encoding::read_array(&mut input, "context digest")?),
            _ => return Err(FormatError::Invalid { what: "context flag (expected 0 or 1)" }),
        };
        let inputs = read_values(&mut input, "public input")?;
        let logits = read_values(&mut input, "public logits")?;
        let snark = spartan::Proof::deserialize_compressed(&mut input)
            .map_err(|_| FormatError::Invalid { what: "Spartan proof" })?;
        encoding::expect_end(input)?;
        Ok(PolicyProof { key_digest, context_digest, input: inputs, logits, snark })
    }

    /// The proof file's bytes by component: the envelope, the key and context
    /// digests, the public values and every part of the Spartan proof
    /// ([`spartan::Proof::size_breakdown`]). The parts sum to `to_bytes().len()`.
    pub fn size_breakdown(&self) -> Vec<spartan::ProofPart> {
        let values = |v: &[i64]| {
            let mut out = Vec::new();
            write_values(&mut out, v);
            out.len()
        };
        let mut parts = vec![
            spartan::ProofPart::new("envelope (magic, version)", 6),
            spartan::ProofPart::new("key digest", 32),
            spartan::ProofPart::new("context flag and digest", 1 + 32 * usize::from(self.context_digest.is_some())),
            spartan::ProofPart::new("public inputs", values(&self.input)),
            spartan::ProofPart::new("logits", values(&self.logits)),
        ];
        parts.extend(self.snark.size_breakdown());
        parts
    }

    /// Encodes the proof in the JSON transport form.
    pub fn to_json(&self) -> String {
        let doc = JsonProof {
            format: JSON_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            key_digest: hex_digest(&self.key_digest),
            proof: base64::engine::general_purpose::STANDARD.encode(self.to_bytes()),
        };
        serde_json::to_string_pretty(&doc).expect("serializing plain strings cannot fail")
    }

    /// Decodes the JSON transport form.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        let bad = |what| PolicyError::ProofFormat(FormatError::Invalid { what });
        let doc: JsonProof = serde_json::from_str(text).map_err(|_| bad("JSON proof document"))?;
        if doc.format != JSON_FORMAT {
            return Err(bad("JSON proof \"format\" field (expected \"zkpolicy-proof\")"));
        }
        if doc.version != FORMAT_VERSION {
            return Err(PolicyError::ProofFormat(FormatError::UnsupportedVersion {
                found: doc.version,
                supported: FORMAT_VERSION,
            }));
        }
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(doc.proof.trim()).map_err(|_| bad("JSON proof base64"))?;
        let proof = Self::from_bytes(&bytes)?;
        if hex_digest(&proof.key_digest) != doc.key_digest.to_ascii_lowercase() {
            return Err(bad("JSON proof \"key_digest\" field (it disagrees with the proof bytes)"));
        }
        Ok(proof)
    }

    /// Decodes either form: JSON if the bytes start with `{`, else binary.
    pub fn from_any(bytes: &[u8]) -> Result<Self, PolicyError> {
        match detect(bytes) {
            Some(FileKind::JsonProof) => {
                let text = core::str::from_utf8(bytes)
                    .map_err(|_| PolicyError::ProofFormat(FormatError::Invalid { what: "JSON proof (not UTF-8)" }))?;
                Self::from_json(text)
            }
            _ => Self::from_bytes(bytes),
        }
    }
}

/// The JSON transport document.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonProof {
    format: String,
    version: u16,
    key_digest: String,
    proof: String,
}
