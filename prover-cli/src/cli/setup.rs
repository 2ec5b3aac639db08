//! `zkpolicy setup`: build the proving and verifier keys of an ONNX policy.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, hex_digest};

use super::{read_file, write_files, write_json, CliError, ModelArgs, OutFile};

/// Import an ONNX policy, compile it to a circuit and write its proving key
/// (NAME.pk) and verifier key (NAME.vk), NAME being the ONNX file's stem.
///
/// Setup is transparent and deterministic: there is no trusted setup and no
/// secret; the same ONNX file and options give byte-identical keys on any
/// machine, so anyone can rebuild the verifier key and compare its digest.
/// The keys hold the quantized model; the circuit is rebuilt from it on load.
/// Setup refuses a model whose circuit exceeds the proof system's limits, and
/// checks that the keys it writes decode to the same model. Both files are
/// written atomically, together: a failure leaves neither.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy setup models/whitelist/whitelist.onnx --out-dir keys/\n  # writes keys/whitelist.pk and keys/whitelist.vk and prints the vk digest\n  zkpolicy setup model.onnx --visibility public=0..4\n  # inputs 0-3 are revealed by proofs, the others stay private\n  zkpolicy setup model.onnx --visibility public=0..4,committed=4\n  # and input 4 is shown as a commitment (see zkpolicy commit)\n\nExit codes: 0 ok, 2 usage, I/O, import or format error."
)]
#[command(after_long_help = super::supported_ops_help())]
pub(super) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// Directory for NAME.pk and NAME.vk (created if missing).
    #[arg(long, value_name = "DIR", default_value = ".")]
    out_dir: PathBuf,
    /// Which inputs proofs reveal: `all-private` (default), `all-public`,
    /// `all-committed`, or comma-separated `public=RANGES` / `private=RANGES` /
    /// `committed=RANGES` clauses applied in order over a private default, RANGES
    /// being `i`, `a..b` or `a..=b` joined by `+` (e.g. `public=0..4+7,committed=5`).
    /// Private inputs are hidden by the zero-knowledge proof and range-checked in
    /// it; committed inputs too, but the proof shows a Pedersen commitment to each
    /// (see `zkpolicy commit`).
    #[arg(long, value_name = "SPEC", default_value = "all-private")]
    visibility: String,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    model: String,
    proving_key: PathBuf,
    verifier_key: PathBuf,
    vk_digest: String,
    pk_bytes: usize,
    vk_bytes: usize,
    constraints: usize,
    witness_values: usize,
    parameters: usize,
    scale_bits: u32,
    /// Per input: "public", "private" or "committed".
    visibility: Vec<&'static str>,
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let imported = args.model.load()?;
    let policy_err = |e| CliError::Policy { path: args.model.model.clone(), source: e };
    let visibility = InputVisibility::parse_named(&args.visibility, imported.names.inputs.names())
        .map_err(|e| policy_err(policy::PolicyError::Visibility(e)))?;
    let (pk, vk) = policy::setup(&imported.model, &visibility, &imported.names).map_err(policy_err)?;
    std::fs::create_dir_all(&args.out_dir).map_err(|e| CliError::Io { path: args.out_dir.clone(), source: e })?;
    let name = &imported.names.policy;
    let pk_path = args.out_dir.join(format!("{name}.pk"));
    let vk_path = args.out_dir.join(format!("{name}.vk"));
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    // `policy::setup` has checked that these bytes decode to the same model and visibility.
    write_files(&[
        OutFile { path: &pk_path, bytes: &pk_bytes, secret: false },
        OutFile { path: &vk_path, bytes: &vk_bytes, secret: false },
    ])?;
    // What is on disk is what was checked; otherwise neither key stays.
    for (path, bytes) in [(&pk_path, &pk_bytes), (&vk_path, &vk_bytes)] {
        if read_file(path).ok().as_ref() != Some(bytes) {
            let _ = std::fs::remove_file(&pk_path);
            let _ = std::fs::remove_file(&vk_path);
            return Err(CliError::FileKind {
                path: path.clone(),
                reason: "reads back different from what was written; both keys were removed".into(),
            });
        }
    }
    let report = Report {
        model: name.clone(),
        proving_key: pk_path,
        verifier_key: vk_path,
        vk_digest: hex_digest(&vk.digest()),
        pk_bytes: pk_bytes.len(),
        vk_bytes: vk_bytes.len(),
        constraints: vk.num_constraints(),
        witness_values: vk.num_witness(),
        parameters: imported.model.num_params(),
        scale_bits: imported.model.scale_bits,
        visibility: visibility.as_slice().iter().map(|v| v.name()).collect(),
    };
    if args.json {
        return write_json(out, &report);
    }
    let show = |p: &Path| p.display().to_string();
    writeln!(out, "model        {} ({} parameters, scale 2^-{})", report.model, report.parameters, report.scale_bits)?;
    writeln!(out, "circuit      {} constraints, {} witness values", report.constraints, report.witness_values)?;
    writeln!(out, "proving key  {} ({} bytes)", show(&report.proving_key), report.pk_bytes)?;
    writeln!(out, "verifier key {} ({} bytes)", show(&report.verifier_key), report.vk_bytes)?;
    let count = |name| report.visibility.iter().filter(|v| **v == name).count();
    writeln!(
        out,
        "inputs       {} public, {} private, {} committed",
        count("public"),
        count("private"),
        count("committed")
    )?;
    writeln!(out, "vk digest    {}", report.vk_digest)?;
    Ok(())
}
