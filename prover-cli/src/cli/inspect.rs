//! `zkpolicy inspect`: what a file contains.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zkpolicy::onnx::{DecisionSource, FloatOp, OnnxNode, Weights};
use zkpolicy::ImportedModel;
use zkpolicy_shared::circuit::compile;
use zkpolicy_shared::model::bounds::{analyze, signed_bits};
use zkpolicy_shared::model::{Decision, Layer, ModelError};

use super::{write_json, CliError, ModelArgs};

const EXAMPLES: &str = "Example:\n  zkpolicy inspect models/simple_velocity/simple_velocity.onnx\n  zkpolicy inspect model.onnx --json --scale 10";

/// Show what an ONNX policy model becomes: its ONNX ops, the normalised layer
/// chain, shapes, parameter count, scale, input range, decision rule and the
/// size of the compiled circuit (constraints, public and witness values).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(after_long_help = format!("{EXAMPLES}\n\n{}", super::supported_ops_help()))]
pub struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// Print machine-readable JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Feature names listed in the text output (all of them in `--json`).
const MAX_FEATURES_SHOWN: usize = 8;

/// The kinds of file `inspect` reads, told apart by extension.
enum FileKind {
    /// An ONNX model.
    Onnx,
}

fn file_kind(path: &Path) -> Result<FileKind, CliError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("onnx") => Ok(FileKind::Onnx),
        other => Err(CliError::FileKind {
            path: path.to_path_buf(),
            reason: format!("cannot inspect a file with extension {:?}; expected .onnx", other.unwrap_or("")),
        }),
    }
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    match file_kind(&args.model.model)? {
        FileKind::Onnx => inspect_onnx(args, out),
    }
}

#[derive(Serialize)]
struct LayerInfo {
    index: usize,
    op: &'static str,
    in_width: usize,
    out_width: usize,
    params: usize,
    /// Bits of the worst-case output magnitude.
    output_bits: u32,
    /// Whether the layer is proved (body) or evaluated by the verifier (head).
    proved: bool,
    detail: String,
    onnx_nodes: Vec<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    file: PathBuf,
    name: &'a str,
    opset: i64,
    onnx_nodes: &'a [OnnxNode],
    input_name: &'a str,
    input_shape: &'a [usize],
    output_name: &'a str,
    output_shape: &'a [usize],
    feature_names: &'a [String],
    scale_bits: u32,
    input_range: f64,
    input_bound: i64,
    decision: String,
    decision_source: DecisionSource,
    decision_integer: String,
    params: usize,
    layers: Vec<LayerInfo>,
    circuit: CircuitInfo,
}

/// Size of the compiled circuit (exact: from the circuit compiler), or why the body cannot be proved.
#[derive(Serialize)]
#[serde(untagged)]
enum CircuitInfo {
    Compiled { constraints: usize, public_values: usize, witness_values: usize, nonzeros: usize },
    NotProvable { not_provable: String },
}

fn circuit_info(model: &zkpolicy_shared::model::Model) -> CircuitInfo {
    match compile(model) {
        Ok(c) => {
            let r = &c.r1cs;
            CircuitInfo::Compiled {
                constraints: r.num_constraints,
                public_values: r.num_public,
                witness_values: r.num_witness,
                nonzeros: r.a.entries.len() + r.b.entries.len() + r.c.entries.len(),
            }
        }
        Err(e) => CircuitInfo::NotProvable { not_provable: e.to_string() },
    }
}

fn detail(layer: &Layer, op: &FloatOp, s: u32) -> String {
    let real = |v: i64| v as f64 / (1u64 << s) as f64;
    match (layer, op) {
        (Layer::Dense { .. }, FloatOp::Affine(a)) if matches!(a.weights, Weights::Diag(_)) => "element-wise affine (diagonal)".into(),
        (Layer::LeakyRelu { alpha }, _) => format!("alpha {}", real(*alpha)),
        (Layer::Clip { min, max }, _) => format!("[{}, {}]", real(*min), real(*max)),
        _ => String::new(),
    }
}

fn integer_decision(m: &ImportedModel) -> String {
    match &m.model.decision {
        Decision::Threshold { index, threshold } => format!("approve iff output[{index}] ≥ {threshold} (integer)"),
        Decision::ArgMax { .. } => "index of the largest output (first on ties)".into(),
    }
}

fn inspect_onnx(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let m = args.model.load()?;
    let model = &m.model;
    let s = model.scale_bits;
    let import = |e: ModelError| CliError::Import { path: args.model.model.clone(), source: e.into() };
    let bounds = analyze(model).map_err(import)?;
    let body_len = model.body_len();
    let mut width = model.input_len;
    let mut layers = Vec::new();
    for (i, ((layer, step), b)) in model.layers.iter().zip(&m.chain).zip(&bounds).enumerate() {
        let out_width = layer.out_width(width);
        let params = match layer {
            Layer::Dense { weights, bias, .. } => weights.len() + bias.len(),
            _ => 0,
        };
        layers.push(LayerInfo {
            index: i,
            op: layer.name(),
            in_width: width,
            out_width,
            params,
            output_bits: signed_bits(b.output),
            proved: i < body_len,
            detail: detail(layer, &step.op, s),
            onnx_nodes: step.nodes.clone(),
        });
        width = out_width;
    }
    let report = Report {
        file: args.model.model.clone(),
        name: &model.name,
        opset: m.opset,
        onnx_nodes: &m.onnx_nodes,
        input_name: &m.input_name,
        input_shape: &m.input_shape,
        output_name: &m.output_name,
        output_shape: &m.output_shape,
        feature_names: &m.feature_names,
        scale_bits: s,
        input_range: m.input_range,
        input_bound: model.input_bound,
        decision: m.decision.to_string(),
        decision_source: m.decision_source,
        decision_integer: integer_decision(&m),
        params: model.num_params(),
        layers,
        circuit: circuit_info(model),
    };
    if args.json {
        return write_json(out, &report);
    }
    let r = &report;
    writeln!(out, "model        {} ({})", r.name, r.file.display())?;
    let ops: Vec<String> = r.onnx_nodes.iter().map(|n| format!("{} `{}`", n.op_type, n.name)).collect();
    writeln!(out, "onnx         opset {}, {} nodes: {}", r.opset, ops.len(), ops.join(", "))?;
    let features = match r.feature_names.len() {
        0 => String::new(),
        n if n <= MAX_FEATURES_SHOWN => format!(" ({})", r.feature_names.join(", ")),
        n => format!(" ({}, ... {} more)", r.feature_names[..MAX_FEATURES_SHOWN].join(", "), n - MAX_FEATURES_SHOWN),
    };
    writeln!(out, "input        `{}` {:?}: {} values{features}", r.input_name, r.input_shape, model.input_len)?;
    writeln!(out, "output       `{}` {:?}", r.output_name, r.output_shape)?;
    writeln!(out, "scale        2^-{s} (s = {s}; weights at 2^{s}, biases at 2^{})", 2 * s)?;
    writeln!(out, "input range  ±{} (inputs clamped; ±{} at scale 2^{s})", r.input_range, r.input_bound)?;
    writeln!(out, "decision     {} ({}): {}", r.decision, r.decision_source, r.decision_integer)?;
    writeln!(out, "parameters   {}", r.params)?;
    writeln!(out, "layers (normalised chain; head layers are evaluated by the verifier in public):")?;
    writeln!(out, "  {:>3}  {:<10} {:>13} {:>8} {:>5}  {:<5}  from ONNX nodes", "#", "op", "width", "params", "bits", "part")?;
    for l in &r.layers {
        let part = if l.proved { "body" } else { "head" };
        let extra = if l.detail.is_empty() { String::new() } else { format!(" [{}]", l.detail) };
        writeln!(
            out,
            "  {:>3}  {:<10} {:>13} {:>8} {:>5}  {:<5}  {}{extra}",
            l.index,
            l.op,
            format!("{} -> {}", l.in_width, l.out_width),
            l.params,
            l.output_bits,
            part,
            l.onnx_nodes.join(", ")
        )?;
    }
    match &r.circuit {
        CircuitInfo::Compiled { constraints, public_values, witness_values, nonzeros } => writeln!(
            out,
            "circuit      {constraints} R1CS constraints, {public_values} public + {witness_values} witness values, {nonzeros} nonzero matrix entries"
        )?,
        CircuitInfo::NotProvable { not_provable } => writeln!(out, "circuit      not provable: {not_provable}")?,
    }
    Ok(())
}
