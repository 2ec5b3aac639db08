//! `zkpolicy commit`: Pedersen commitments to the committed inputs of a request,
//! and the openings file that `zkpolicy prove --blinds` reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use serde::Serialize;
use zkpolicy::input::read_input;
use zkpolicy_core::policy::{self, Openings, OpeningsError, VerifierKey};

use super::{policy_err, quantize_request, read_file, write_files, write_json, CliError, OutFile};

/// Commit to the committed inputs of a request, as an issuer does.
///
/// For every input the verifier key marks `committed`, computes the Pedersen
/// commitment `x·V + r·H` to the quantized input `x` (quantized exactly as
/// `zkpolicy prove` does: an input outside its domain is refused
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
    after_help = "Example:\n  zkpolicy setup model.onnx --visibility public=0..3,committed=3 --out-dir keys/\n  zkpolicy commit --vk keys/model.vk --input request.json --out openings.json\n  zkpolicy prove --pk keys/model.pk --input request.json --blinds openings.json\n\nExit codes: 0 ok, 2 usage, I/O, input or format error, or an input outside its domain (without --clamp)."
)]
pub(super) struct Args {
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
    /// Clamp inputs outside their domain (the input range, or a narrower
    /// domain the model declares) to its ends instead of refusing
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

/// An [`Opening`](zkpolicy_core::policy::Opening) without its blind.
#[derive(Serialize)]
struct PublicOpening<'a> {
    input: usize,
    value: f64,
    quantized: i64,
    commitment: &'a str,
}

/// The blinds of the openings file at `path` for the request `input` (quantized),
/// checked against the key (see [`Openings::blinds`]).
pub(super) fn read_blinds(path: &Path, vk: &VerifierKey, input: &[i64]) -> Result<Vec<Fr>, CliError> {
    let bad = |e: OpeningsError| CliError::FileKind { path: path.to_path_buf(), reason: e.to_string() };
    Openings::from_json(&read_file(path)?).and_then(|o| o.blinds(vk, input)).map_err(bad)
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let vk = VerifierKey::from_bytes(&read_file(&args.vk)?).map_err(policy_err(&args.vk))?;
    let model = vk.model();
    let real = read_input(&args.input, vk.names().inputs.names())?;
    let (input, clamped) = quantize_request(model, &real, &args.input, args.clamp, "the commitment")?;
    let blinds = match &args.blinds {
        Some(path) => read_blinds(path, &vk, &input)?,
        None => policy::fresh_blinds(vk.visibility().committed_indices().count()),
    };
    let openings = Openings::new(&vk, &input, &blinds);
    let json = openings.to_json();
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
