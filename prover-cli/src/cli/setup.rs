//! `zkpolicy setup`: build the proving and verifier keys of an ONNX policy.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, hex_digest};

use zkpolicy::fidelity::{evaluate, read_test_set, OutOfRange};

use super::{read_file, warn, write_files, write_json, CliError, ModelArgs, OutFile, ScaleArg, ScaleChoice};

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
///
/// With `--test-set`, setup runs the quantized and the float model on every row
/// and warns (on stderr, and in the report) when their decisions differ on any;
/// with `--scale auto --test-set`, it picks the smallest scale at which they
/// agree on every row and the model is provable, and says which. Import warns,
/// with or without a test set, about layers whose weights rounding changes by
/// more than 1 % (tiny weights).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  zkpolicy setup models/whitelist/whitelist.onnx --out-dir keys/\n  # writes keys/whitelist.pk and keys/whitelist.vk and prints the vk digest\n  zkpolicy setup model.onnx --visibility public=0..4\n  # inputs 0-3 are revealed by proofs, the others stay private\n  zkpolicy setup model.onnx --visibility public=0..4,committed=4\n  # and input 4 is shown as a commitment (see zkpolicy commit)\n  zkpolicy setup model.onnx --test-set test.jsonl --scale auto\n  # the smallest scale whose decisions agree with the float model on every row\n  zkpolicy setup model.onnx --profile fast\n  # faster proving for larger proofs (see --profile)\n\nExit codes: 0 ok (also when decisions disagree on the test set: that is a warning), 2 usage, I/O, import or format error, a model that cannot be proved, or --scale auto finding no scale."
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
    /// How the keys' proofs trade size for proving time: `small` (default) gives
    /// the smallest proofs (whitelist: 3.9 KB, 5.2 KB in base64: fits an 8 KB HTTP
    /// header); `fast` takes about 0.4 of the CPU per proof, a third of it done
    /// before the request arrives (`zkpolicy serve --precompute`), for proofs about
    /// twice as large (whitelist: 8.5 KB, 11.3 KB in base64: beyond
    /// an 8 KB header buffer, within Node's 16 KB header limit; `BENCHMARKS.md`,
    /// "Format 10"). The profile is part of the keys and of their digest; `prove`,
    /// `serve` and verifiers take it from the key.
    #[arg(long, value_name = "small|fast", default_value = "small", value_parser = super::parse_profile)]
    profile: policy::Profile,
    /// Samples to check the quantized model on before writing keys, as JSON lines
    /// `{"input": [numbers], "label": 0|1}` (the format of `zkpolicy fidelity`):
    /// setup warns if its decision differs from the float model's on any row.
    /// Needed by `--scale auto`, which calibrates on it.
    #[arg(long, value_name = "FILE.jsonl")]
    test_set: Option<PathBuf>,
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
    /// The keys' profile: "small" or "fast".
    profile: &'static str,
    /// Per input: "public", "private" or "committed".
    visibility: Vec<&'static str>,
    /// The decision check on `--test-set`.
    test_set: Option<TestSetCheck>,
    /// The scale `--scale auto` picked.
    scale_auto: Option<ScaleChoice>,
}

/// Float against quantized decisions on the rows of `--test-set`.
#[derive(Serialize)]
struct TestSetCheck {
    path: PathBuf,
    rows: usize,
    /// Rows on which the decisions agree.
    agree: usize,
    /// The first disagreeing rows (0-based).
    disagreeing_rows: Vec<usize>,
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let rows = args.test_set.as_ref().map(|set| read_test_set(set, &[])).transpose()?;
    let (imported, scale_auto) = match (&rows, &args.test_set) {
        (Some(rows), Some(path)) => args.model.load_calibrated(rows, path)?,
        _ if args.model.scale == ScaleArg::Auto => {
            return Err(CliError::Import {
                path: args.model.model.clone(),
                source: zkpolicy::ImportError::Options("--scale auto needs --test-set FILE to calibrate on".into()),
            })
        }
        _ => (args.model.load()?, None),
    };
    let test_set = match (&rows, &args.test_set) {
        (Some(rows), Some(path)) => Some(check_test_set(&imported, rows, path)?),
        _ => None,
    };
    let policy_err = |e| CliError::Policy { path: args.model.model.clone(), source: e };
    let visibility = InputVisibility::parse_named(&args.visibility, imported.names.inputs.names())
        .map_err(|e| policy_err(policy::PolicyError::Visibility(e)))?;
    let (pk, vk) =
        policy::setup_with_profile(&imported.model, &visibility, &imported.names, args.profile).map_err(policy_err)?;
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
        profile: vk.profile().name(),
        visibility: visibility.as_slice().iter().map(|v| v.name()).collect(),
        test_set,
        scale_auto,
    };
    if args.json {
        return write_json(out, &report);
    }
    let show = |p: &Path| p.display().to_string();
    writeln!(out, "model        {} ({} parameters, scale 2^-{})", report.model, report.parameters, report.scale_bits)?;
    writeln!(out, "circuit      {} constraints, {} witness values", report.constraints, report.witness_values)?;
    writeln!(out, "proving key  {} ({} bytes)", show(&report.proving_key), report.pk_bytes)?;
    writeln!(out, "verifier key {} ({} bytes)", show(&report.verifier_key), report.vk_bytes)?;
    writeln!(out, "profile      {}", report.profile)?;
    let count = |name| report.visibility.iter().filter(|v| **v == name).count();
    writeln!(
        out,
        "inputs       {} public, {} private, {} committed",
        count("public"),
        count("private"),
        count("committed")
    )?;
    if let Some(t) = &report.test_set {
        writeln!(
            out,
            "test set     {}: float and quantized decisions agree on {}/{} rows",
            t.path.display(),
            t.agree,
            t.rows
        )?;
    }
    if let (Some(choice), Some(t)) = (&report.scale_auto, &report.test_set) {
        writeln!(out, "scale        {}", choice.describe(t.rows, &t.path))?;
    }
    writeln!(out, "vk digest    {}", report.vk_digest)?;
    Ok(())
}

/// Runs both models on every row of the test set; warns if any decision differs.
fn check_test_set(
    imported: &zkpolicy::ImportedModel,
    rows: &[zkpolicy::fidelity::LabelledRow],
    path: &Path,
) -> Result<TestSetCheck, CliError> {
    let f = evaluate(imported, rows, OutOfRange::Refuse).map_err(|e| match e {
        zkpolicy::fidelity::FidelityError {
            row,
            source: zkpolicy::RunError::Eval(source @ zkpolicy_core::frontend::model::EvalError::OutOfRange { .. }),
        } => CliError::OutOfRange { what: format!("{} row {row}", path.display()), source },
        e => CliError::Fidelity(e),
    })?;
    let disagreeing_rows: Vec<usize> = f.disagreements.iter().map(|d| d.row).collect();
    if f.agree < f.rows {
        warn(&format!(
            "{}: the quantized model (scale 2^-{}) decides {} of {} rows differently from the float model (rows {:?}{}); \
             the keys prove the quantized decisions: see `zkpolicy fidelity`, or pick a scale with --scale auto --test-set",
            path.display(),
            imported.model.scale_bits,
            f.rows - f.agree,
            f.rows,
            disagreeing_rows,
            if f.rows - f.agree > disagreeing_rows.len() { ", ..." } else { "" },
        ));
    }
    Ok(TestSetCheck { path: path.to_path_buf(), rows: f.rows, agree: f.agree, disagreeing_rows })
}
