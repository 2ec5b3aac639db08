//! `zkpolicy run`: evaluate one request with the quantized model and the float original.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy::input::read_input;
use zkpolicy::{ImportedModel, RunError};
use zkpolicy_core::frontend::model::EvalError;

use super::{warn, warn_clamped, write_json, CliError, ModelArgs, Provability};

const EXAMPLES: &str = "Example:\n  zkpolicy run models/simple_velocity/simple_velocity.onnx --input models/simple_velocity/approve.json\n\nExit codes: 0 ok, 2 usage, I/O or format error, or an input outside its domain (without --clamp).";

/// Run the quantized (integer) model on one input next to tract's float
/// evaluation of the original ONNX model, and print per output the float
/// value, the quantized value (as a real number and as the integer), the
/// absolute error, and both decisions, and whether the model can be proved
/// (`zkpolicy setup` accepts it; if not, why).
///
/// The input file is JSON: {"input": [numbers]} or EZKL's {"input_data": [[numbers]]}.
/// An input outside ±--input-range is refused (exit 2, naming it), unless
/// --clamp is given.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(after_long_help = format!("{EXAMPLES}\n\n{}", super::supported_ops_help()))]
pub(super) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// The input JSON file.
    #[arg(long, value_name = "INPUT.json")]
    input: PathBuf,
    /// Clamp inputs outside their domain (the input range, or a narrower
    /// domain the model declares) to its ends instead of refusing
    /// them; each is named in a warning on stderr, and the quantized result is
    /// about the clamped values (the float model still sees the values given).
    #[arg(long)]
    clamp: bool,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct OutputRow {
    index: usize,
    float: f64,
    quantized: f64,
    quantized_int: i64,
    abs_error: f64,
}

#[derive(Serialize)]
struct Report<'a> {
    model: &'a str,
    scale_bits: u32,
    input: &'a [f64],
    quantized_input: &'a [i64],
    clamped_inputs: &'a [usize],
    outputs: Vec<OutputRow>,
    decision_rule: String,
    float_decision: String,
    quantized_decision: String,
    decisions_agree: bool,
    #[serde(flatten)]
    provability: Provability,
}

fn feature(m: &ImportedModel, i: usize) -> String {
    format!("input {i} ({})", m.names.inputs.names()[i])
}

/// Runs the command.
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let m = args.model.load()?;
    let input = read_input(&args.input, m.names.inputs.names())?;
    let c = if args.clamp { m.compare_clamped(&input) } else { m.compare(&input) };
    let c = c.map_err(|e| match e {
        RunError::Eval(source @ EvalError::OutOfRange { .. }) => {
            CliError::OutOfRange { what: args.input.display().to_string(), source }
        }
        e => CliError::Run(e),
    })?;
    warn_clamped(&m.model, &input, &c.input.values, &c.input.clamped, |i| feature(&m, i), "the quantized result");
    let outputs = c
        .abs_errors()
        .into_iter()
        .enumerate()
        .map(|(index, abs_error)| OutputRow {
            index,
            float: c.float_outputs[index],
            quantized: c.quantized_real[index],
            quantized_int: c.quantized_outputs[index],
            abs_error,
        })
        .collect();
    let report = Report {
        model: &m.names.policy,
        scale_bits: m.model.scale_bits,
        input: &input,
        quantized_input: &c.input.values,
        clamped_inputs: &c.input.clamped,
        outputs,
        decision_rule: m.decision.to_string(),
        float_decision: c.float_verdict.to_string(),
        quantized_decision: c.quantized_verdict.to_string(),
        decisions_agree: c.float_verdict == c.quantized_verdict,
        provability: Provability::of(&m),
    };
    if let Some(why) = &report.provability.not_provable {
        warn(&format!("{}: the model cannot be proved: {why}", args.model.model.display()));
    }
    if args.json {
        return write_json(out, &report);
    }
    let r = &report;
    writeln!(
        out,
        "model     {} (s = {}, input {} values, {} clamped)",
        r.model,
        r.scale_bits,
        r.input.len(),
        r.clamped_inputs.len()
    )?;
    writeln!(
        out,
        "  {:>6}  {:>14}  {:>14}  {:>12}  {:>10}",
        "output", "float (tract)", "quantized", "integer", "|error|"
    )?;
    for o in &r.outputs {
        writeln!(
            out,
            "  {:>6}  {:>14.8}  {:>14.8}  {:>12}  {:>10.3e}",
            o.index, o.float, o.quantized, o.quantized_int, o.abs_error
        )?;
    }
    let agree = if r.decisions_agree { "agree" } else { "DISAGREE" };
    writeln!(
        out,
        "decision  {} (rule {}; float: {}, {agree})",
        r.quantized_decision, r.decision_rule, r.float_decision
    )?;
    writeln!(out, "{}", r.provability.line())?;
    Ok(())
}
