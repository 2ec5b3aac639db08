//! The issuer's openings file (feature `prover`): for each committed input of a
//! request, its value, the blind of its Pedersen commitment and the commitment.
//!
//! An issuer that attests some inputs commits to them ([`commit_input`]) and hands
//! the openings to the prover, who proves with their blinds
//! ([`ProvingKey::prove_assignment`](super::ProvingKey::prove_assignment)); the
//! verified proof then shows the same commitments. The file is JSON:
//!
//! ```text
//! {"vk_digest": "<hex>",
//!  "committed": [{"input": i, "value": real, "quantized": x,
//!                 "blind": "<hex, 32 bytes LE>", "commitment": "<hex, compressed>"}, …]}
//! ```
//!
//! The blinds are secret: whoever holds a blind and a guess of the value can check
//! the guess against the commitment.

use super::{commit_input, hex_digest, VerifierKey};
use crate::snark::encoding::{point_hex, scalar_from_hex, scalar_hex};
use crate::snark::error::FormatError;
use ark_bn254::Fr;
use serde::{Deserialize, Serialize};

/// An openings file: what an issuer computed and a prover needs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Openings {
    /// Hex digest of the key the commitments are for.
    pub vk_digest: String,
    /// One entry per committed input, in input order.
    pub committed: Vec<Opening>,
}

/// The opening of one committed input.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Opening {
    /// The input's index.
    pub input: usize,
    /// The input in real units (informational).
    pub value: f64,
    /// The quantized input `x` (scale `2^s`) the commitment holds.
    pub quantized: i64,
    /// The blind `r`: 32 bytes little-endian, hex. Secret.
    pub blind: String,
    /// `x·V + r·H`, compressed, hex.
    pub commitment: String,
}

/// Why an openings file does not open a request's committed inputs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpeningsError {
    /// The bytes are not an openings file.
    #[error("not an openings file: {0}")]
    Json(String),
    /// The file is for another key.
    #[error("the openings are for key {file}, not {key}")]
    WrongKey {
        /// The digest the file names.
        file: String,
        /// The key's digest.
        key: String,
    },
    /// The file opens other inputs than the key commits to.
    #[error("the openings are for inputs {file:?}; the key commits to inputs {key:?}")]
    WrongInputs {
        /// The inputs the file opens.
        file: Vec<usize>,
        /// The inputs the key commits to.
        key: Vec<usize>,
    },
    /// The request's value of an input differs from the committed one.
    #[error("input {input} is {request} (quantized), but the opening commits to {opened}")]
    WrongValue {
        /// The input's index.
        input: usize,
        /// The request's quantized value.
        request: i64,
        /// The value the opening commits to.
        opened: i64,
    },
    /// The request has another number of inputs than the key's model.
    #[error("the request has {got} inputs; the model takes {expected}")]
    InputLength {
        /// The model's number of inputs.
        expected: usize,
        /// The request's.
        got: usize,
    },
    /// A blind is not a canonical scalar.
    #[error("input {input}: {source}")]
    Blind {
        /// The input's index.
        input: usize,
        /// Why the blind does not decode.
        source: FormatError,
    },
    /// The commitment is not `x·V + r·H` for the file's value and blind.
    #[error("input {input}: the commitment does not match the value and blind")]
    Commitment {
        /// The input's index.
        input: usize,
    },
}

impl Openings {
    /// The openings of a request's committed inputs (`input` quantized, one blind per
    /// committed input in input order) under the key `vk`.
    pub fn new(vk: &VerifierKey, input: &[i64], blinds: &[Fr]) -> Self {
        let committed = vk
            .visibility()
            .committed_indices()
            .zip(blinds)
            .map(|(i, r)| Opening {
                input: i,
                value: vk.model().dequantize(input[i]),
                quantized: input[i],
                blind: scalar_hex(r),
                commitment: point_hex(&commit_input(input[i], *r)),
            })
            .collect();
        Openings { vk_digest: hex_digest(&vk.digest()), committed }
    }

    /// Parses an openings file.
    pub fn from_json(bytes: &[u8]) -> Result<Self, OpeningsError> {
        serde_json::from_slice(bytes).map_err(|e| OpeningsError::Json(e.to_string()))
    }

    /// The file's JSON text (pretty-printed).
    pub fn to_json(&self) -> Vec<u8> {
        // Plain strings, integers and finite floats: serialising cannot fail.
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// The blinds to prove with, after checking that the file is for `vk`, opens
    /// exactly its committed inputs, and that each opening commits to the value of
    /// `input` (quantized) with a canonical blind.
    pub fn blinds(&self, vk: &VerifierKey, input: &[i64]) -> Result<Vec<Fr>, OpeningsError> {
        let key = hex_digest(&vk.digest());
        if self.vk_digest != key {
            return Err(OpeningsError::WrongKey { file: self.vk_digest.clone(), key });
        }
        if input.len() != vk.model().input_len {
            return Err(OpeningsError::InputLength { expected: vk.model().input_len, got: input.len() });
        }
        let expected: Vec<usize> = vk.visibility().committed_indices().collect();
        let got: Vec<usize> = self.committed.iter().map(|o| o.input).collect();
        if got != expected {
            return Err(OpeningsError::WrongInputs { file: got, key: expected });
        }
        self.committed
            .iter()
            .map(|o| {
                let request = input[o.input];
                if o.quantized != request {
                    return Err(OpeningsError::WrongValue { input: o.input, request, opened: o.quantized });
                }
                let blind = scalar_from_hex(&o.blind, "blind")
                    .map_err(|source| OpeningsError::Blind { input: o.input, source })?;
                if point_hex(&commit_input(o.quantized, blind)) != o.commitment {
                    return Err(OpeningsError::Commitment { input: o.input });
                }
                Ok(blind)
            })
            .collect()
    }
}
