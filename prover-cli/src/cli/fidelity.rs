//! `zkpolicy fidelity`: quantized vs float over a labelled test set.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy::fidelity::{evaluate, read_test_set, FidelityError, FidelityReport, OutOfRange, MAX_LISTED};
use zkpolicy::RunError;
use zkpolicy_core::frontend::model::EvalError;

use super::{warn, write_json, CliError, ModelArgs, Provability, ScaleChoice};

const EXAMPLES: &str = "Example:\n  zkpolicy fidelity models/whitelist/whitelist.onnx --test-set models/whitelist/test.jsonl\n  zkpolicy fidelity model.onnx --test-set wild.jsonl --clamp\n  zkpolicy fidelity model.onnx --test-set test.jsonl --scale auto\n\nExit codes: 0 ok (whatever the agreement), 2 usage, I/O or format error, or a row with an input outside its domain (without --clamp).";

/// Measure how faithful the quantized model is to the float original over a
/// labelled test set: decision agreement (count and %), float and quantized
/// accuracy against the labels, max and mean absolute score error on the
/// decision output, the first disagreeing rows, and whether the model can be
/// proved (`zkpolicy setup` accepts it; if not, why).
///
/// With `--scale auto`, the model is imported at the smallest scale at which it
/// is provable and agrees with the float model on every row of the test set
/// (the scale `setup --scale auto --test-set` would pick), and the report says
/// which.
///
/// The test set is JSON lines, one {"input": [numbers], "label": 0|1} per line
/// (label 1 = approve for a threshold rule, the class index for argmax).
///
/// A row with an input outside ±--input-range is refused (exit 2, naming the
/// row, the input, its value and the range). With --clamp such rows are
/// evaluated with the out-of-range inputs clamped for the quantized model (the
/// float model sees them as given); they stay in every statistic, and are also
/// counted separately: how many, and how many of them agree.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(after_long_help = format!("{EXAMPLES}\n\n{}", super::supported_ops_help()))]
pub(super) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// The labelled test set (JSON lines).
    #[arg(long, value_name = "FILE.jsonl")]
    test_set: PathBuf,
    /// Clamp inputs outside their domain (the input range, or a narrower domain
    /// the model declares) instead of refusing their rows;
    /// clamped rows are counted separately (and announced on stderr).
    #[arg(long)]
    clamp: bool,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    model: &'a str,
    scale_bits: u32,
    test_set: &'a PathBuf,
    decision_rule: String,
    agreement_percent: f64,
    #[serde(flatten)]
    fidelity: &'a FidelityReport,
    /// The scale `--scale auto` picked.
    scale_auto: Option<ScaleChoice>,
    #[serde(flatten)]
    provability: Provability,
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let rows = read_test_set(&args.test_set, &[])?;
    if args.clamp && args.model.scale == super::ScaleArg::Auto {
        return Err(CliError::Import {
            path: args.model.model.clone(),
            source: zkpolicy::ImportError::Options(
                "--scale auto calibrates on the inputs as given; it cannot be combined with --clamp".into(),
            ),
        });
    }
    let (m, scale_auto) = args.model.load_calibrated(&rows, &args.test_set)?;
    let policy = if args.clamp { OutOfRange::Clamp } else { OutOfRange::Refuse };
    let f = evaluate(&m, &rows, policy).map_err(|e| match e {
        FidelityError { row, source: RunError::Eval(source @ EvalError::OutOfRange { .. }) } => {
            CliError::OutOfRange { what: format!("{} row {row}", args.test_set.display()), source }
        }
        e => CliError::Fidelity(e),
    })?;
    if f.clamped_rows > 0 {
        warn(&format!(
            "--clamp: {} rows had inputs outside their domains and were CLAMPED for the quantized model ({} of them agree with the float model)",
            f.clamped_rows, f.clamped_agree
        ));
    }
    let report = Report {
        model: &m.names.policy,
        scale_bits: m.model.scale_bits,
        test_set: &args.test_set,
        decision_rule: m.decision.to_string(),
        agreement_percent: f.agreement_percent(),
        fidelity: &f,
        scale_auto,
        provability: Provability::of(&m),
    };
    if let Some(why) = &report.provability.not_provable {
        warn(&format!("{}: the model cannot be proved: {why}", args.model.model.display()));
    }
    if args.json {
        return write_json(out, &report);
    }
    let pct = |n: usize| 100.0 * n as f64 / f.rows as f64;
    let on = match m.decision.output_index() {
        Some(i) => format!("output {i}"),
        None => "all outputs".into(),
    };
    writeln!(out, "model        {} (s = {}), decision {}", report.model, report.scale_bits, report.decision_rule)?;
    writeln!(out, "test set     {} ({} rows)", args.test_set.display(), f.rows)?;
    if let Some(choice) = &report.scale_auto {
        writeln!(out, "scale        {}", choice.describe(f.rows, &args.test_set))?;
    }
    writeln!(
        out,
        "agreement    {}/{} ({:.2}%) float vs quantized decisions",
        f.agree, f.rows, report.agreement_percent
    )?;
    writeln!(
        out,
        "accuracy     float {:.2}%, quantized {:.2}% (against the labels)",
        pct(f.float_correct),
        pct(f.quantized_correct)
    )?;
    writeln!(out, "score error  max {:.3e}, mean {:.3e} (|float - quantized| on {on})", f.max_error, f.mean_error)?;
    if args.clamp {
        writeln!(out, "clamped      {} rows ({} of them agree)", f.clamped_rows, f.clamped_agree)?;
    }
    if f.disagreements.is_empty() {
        writeln!(out, "disagreements: none")?;
    } else {
        writeln!(out, "disagreements (first {MAX_LISTED}):")?;
        for d in &f.disagreements {
            let scores = match (d.float_score, d.quantized_score) {
                (Some(a), Some(b)) => format!(" (score float {a:.6}, quantized {b:.6})"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  row {}: label {}, float {}, quantized {}{scores}",
                d.row, d.label, d.float_verdict, d.quantized_verdict
            )?;
        }
    }
    writeln!(out, "{}", report.provability.line())?;
    Ok(())
}
