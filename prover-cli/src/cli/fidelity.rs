//! `zkpolicy fidelity`: quantized vs float over a labelled test set.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy::fidelity::{evaluate, read_test_set, FidelityReport, MAX_LISTED};

use super::{warn, write_json, CliError, ModelArgs};

const EXAMPLES: &str = "Example:\n  zkpolicy fidelity models/whitelist/whitelist.onnx --test-set models/whitelist/test.jsonl\n\nExit codes: 0 ok (whatever the agreement), 2 usage, I/O or format error.";

/// Measure how faithful the quantized model is to the float original over a
/// labelled test set: decision agreement (count and %), float and quantized
/// accuracy against the labels, max and mean absolute score error on the
/// decision output, and the first disagreeing rows.
///
/// The test set is JSON lines, one {"input": [numbers], "label": 0|1} per line
/// (label 1 = approve for a threshold rule, the class index for argmax).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(after_long_help = format!("{EXAMPLES}\n\n{}", super::supported_ops_help()))]
pub struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// The labelled test set (JSON lines).
    #[arg(long, value_name = "FILE.jsonl")]
    test_set: PathBuf,
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
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let m = args.model.load()?;
    let rows = read_test_set(&args.test_set)?;
    let f = evaluate(&m, &rows)?;
    if f.clamped_rows > 0 {
        warn(&format!("{} rows had inputs outside ±{} and were clamped", f.clamped_rows, m.input_range));
    }
    let report = Report {
        model: &m.model.name,
        scale_bits: m.model.scale_bits,
        test_set: &args.test_set,
        decision_rule: m.decision.to_string(),
        agreement_percent: f.agreement_percent(),
        fidelity: &f,
    };
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
    writeln!(out, "clamped      {} rows", f.clamped_rows)?;
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
    Ok(())
}
