//! `zkpolicy commit`: Pedersen commitments to the committed inputs of a request,
//! and the openings file that `zkpolicy prove --blinds` reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zkpolicy::input::read_input;
use zkpolicy_core::snark::encoding::{point_hex, scalar_from_hex, scalar_hex};
use zkpolicy_core::frontend::model::Model;
use zkpolicy_core::policy::{self, hex_digest, VerifierKey};
use zkpolicy_core::frontend::visibility::InputVisibility;

use super::{quantize_request, read_file, write_files, write_json, CliError, OutFile};

/// Commit to the committed inputs of a request, as an issuer does.
///
/// For every input the verifier key marks `committed`, computes the Pedersen
/// commitment `x·V + r·H` to the quantized input `x` (quantized exactly as
/// `zkpolicy prove` does: an input outside the model's input range is refused
/// unless --clamp is given) with a fresh random blind `r`, or with the blinds of
/// an existing openings file. Writes the openings file (key digest, and per
/// committed input its index, value, blind and commitment, in hex), and prints
/// the same without the blinds as JSON. The issuer publishes or signs the
/// commitments and hands the openings file to the prover; `zkpolicy prove
/// --blinds FILE` then makes a proof that shows exactly these commitments, which
/// `zkpolicy verify` and the npm verifier report.
///
/// The blinds are secret: whoever holds a blind and a guess of the value can
/// check the guess against the commitment. They are written to the openings
/// file only, created readable by its owner only (mode 0600).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy setup model.onnx --visibility public=0..3,committed=3 --out-dir keys/\n  zkpolicy commit --vk keys/model.vk --input request.json --out openings.json\n  zkpolicy prove --pk keys/model.pk --input request.json --blinds openings.json\n\nExit codes: 0 ok, 2 usage, I/O, input or format error, or an input outside the input range (without --clamp)."
)]
pub struct Args {
    /// The verifier key the commitments are for (written by `zkpolicy setup`).
    #[arg(long, value_name = "NAME.vk")]
    vk: PathBuf,
    /// The input JSON file: {"input": [numbers]} or {"input_data": [[numbers]]}.
    #[arg(long, value_name = "INPUT.json")]
    input: PathBuf,
    /// Reuse the blinds of this openings file instead of drawing fresh ones.
    #[arg(long, value_name = "OPENINGS.json")]
    blinds: Option<PathBuf>,
    /// Where to write the openings file (secret; mode 0600).
    #[arg(long, value_name = "OPENINGS.json")]
    out: PathBuf,
    /// Clamp inputs outside the input range to the range instead of refusing
    /// them; each is named in a warning on stderr, and the commitments are to
    /// the clamped values.
    #[arg(long)]
    clamp: bool,
}

/// What `commit` prints: the openings without their blinds.
#[derive(Serialize)]
struct Report<'a> {
    /// The openings file written.
    openings: &'a Path,
    vk_digest: &'a str,
    /// Per committed input: index, value, quantized value and commitment.
    committed: Vec<PublicOpening<'a>>,
    /// Inputs clamped by --clamp.
    clamped_inputs: &'a [usize],
}

/// An [`Opening`] without its blind.
#[derive(Serialize)]
struct PublicOpening<'a> {
    input: usize,
    value: f64,
    quantized: i64,
    commitment: &'a str,
}

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

impl Openings {
    /// Builds the openings of `input` (quantized) under `blinds`, one per committed input.
    pub fn new(
        digest: &[u8; 32],
        model: &Model,
        visibility: &InputVisibility,
        input: &[i64],
        blinds: &[ark_bn254::Fr],
    ) -> Self {
        let committed = visibility
            .committed_indices()
            .zip(blinds)
            .map(|(i, r)| Opening {
                input: i,
                value: model.dequantize(input[i]),
                quantized: input[i],
                blind: scalar_hex(r),
                commitment: point_hex(&policy::commit_input(input[i], *r)),
            })
            .collect();
        Openings { vk_digest: hex_digest(digest), committed }
    }

    /// Reads an openings file and returns its blinds, after checking it is for this key
    /// and, input by input, for the values of `input` (quantized).
    pub fn read_blinds(
        path: &Path,
        digest: &[u8; 32],
        visibility: &InputVisibility,
        input: &[i64],
    ) -> Result<Vec<ark_bn254::Fr>, CliError> {
        let bad = |reason: String| CliError::FileKind { path: path.to_path_buf(), reason };
        let text = read_file(path)?;
        let file: Openings = serde_json::from_slice(&text).map_err(|e| bad(format!("not an openings file: {e}")))?;
        if file.vk_digest != hex_digest(digest) {
            return Err(bad(format!("the openings are for key {}, not {}", file.vk_digest, hex_digest(digest))));
        }
        let expected: Vec<usize> = visibility.committed_indices().collect();
        let got: Vec<usize> = file.committed.iter().map(|o| o.input).collect();
        if got != expected {
            return Err(bad(format!("the openings are for inputs {got:?}; the key commits to inputs {expected:?}")));
        }
        file.committed
            .iter()
            .map(|o| {
                if o.quantized != input[o.input] {
                    return Err(bad(format!(
                        "input {} is {} (quantized), but the opening commits to {}",
                        o.input, input[o.input], o.quantized
                    )));
                }
                let blind = scalar_from_hex(&o.blind, "blind").map_err(|e| bad(format!("input {}: {e}", o.input)))?;
                if point_hex(&policy::commit_input(o.quantized, blind)) != o.commitment {
                    return Err(bad(format!("input {}: the commitment does not match the value and blind", o.input)));
                }
                Ok(blind)
            })
            .collect()
    }
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let vk = VerifierKey::from_bytes(&read_file(&args.vk)?)
        .map_err(|e| CliError::Policy { path: args.vk.clone(), source: e })?;
    let model = vk.model();
    let real = read_input(&args.input)?;
    let (input, clamped) = quantize_request(model, &real, &args.input, args.clamp, "the commitment")?;
    let blinds = match &args.blinds {
        Some(path) => Openings::read_blinds(path, &vk.digest(), vk.visibility(), &input)?,
        None => policy::fresh_blinds(vk.visibility().committed_indices().count()),
    };
    let openings = Openings::new(&vk.digest(), model, vk.visibility(), &input, &blinds);
    let json = serde_json::to_vec_pretty(&openings).map_err(std::io::Error::from)?;
    write_files(&[OutFile { path: &args.out, bytes: &json, secret: true }])?;
    if openings.committed.is_empty() {
        super::warn("the key commits to no input; the openings file is empty");
    }
    let report = Report {
        openings: &args.out,
        vk_digest: &openings.vk_digest,
        committed: openings
            .committed
            .iter()
            .map(|o| PublicOpening {
                input: o.input,
                value: o.value,
                quantized: o.quantized,
                commitment: &o.commitment,
            })
            .collect(),
        clamped_inputs: &clamped,
    };
    write_json(out, &report)
}
