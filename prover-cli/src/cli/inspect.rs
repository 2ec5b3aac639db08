//! `zkpolicy inspect`: what a file contains.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use zkpolicy::onnx::{approximated, DecisionSource, FloatOp, NamesSource, OnnxNode, Weights};
use zkpolicy::ImportedModel;
use zkpolicy_core::frontend::circuit::compile;
use zkpolicy_core::frontend::model::bounds::{analyze, signed_bits};
use zkpolicy_core::frontend::model::{Decision, Layer, Model, ModelError};

use zkpolicy_core::policy::files::{detect, FileKind};
use zkpolicy_core::policy::report::{DomainInfo, KeyReport, ProofEncoding, ProofReport};
use zkpolicy_core::policy::{hex_digest, PolicyProof, ProvingKey, VerifierKey};
use zkpolicy_core::snark::encoding::FORMAT_VERSION;

use super::{read_file, write_json, CliError, ModelArgs, Provability};

const EXAMPLES: &str = "Example:\n  zkpolicy inspect models/simple_velocity/simple_velocity.onnx\n  zkpolicy inspect model.onnx --json --scale 10\n  zkpolicy inspect keys/whitelist.vk\n  zkpolicy inspect approve.proof\n\nExit codes: 0 ok (for a model: it can be proved), 3 the model imports but cannot be proved (the report says why: a layer without a circuit gadget in the body, values too large for the circuit, a circuit above the size limits), 2 usage, I/O, import or format error.";

/// Show what an ONNX policy model becomes: its ONNX ops, the normalised layer
/// chain, shapes, parameter count, scale, input range, decision rule and the
/// size of the compiled circuit (constraints, public and witness values), and
/// whether it can be proved: if not, why, and the exit code is 3.
///
/// Also reads the files of `setup` and `prove` (recognised by their magic
/// bytes): a proving or verifier key (format version, digest, model, circuit
/// size) or a proof, binary or JSON (format version, the key digest it names,
/// its public values — shown, not verified).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(after_long_help = format!("{EXAMPLES}\n\n{}", super::supported_ops_help()))]
pub(super) struct Args {
    #[command(flatten)]
    model: ModelArgs,
    /// Print machine-readable JSON instead of text (for a key or a proof: the report of
    /// docs/REPORTS.md, as the npm package's `inspectVerifierKey` / `inspectProof`).
    #[arg(long)]
    json: bool,
}

/// Feature names listed in the text output (all of them in `--json`).
const MAX_FEATURES_SHOWN: usize = 8;

/// The first [`MAX_FEATURES_SHOWN`] inputs as `name [unit]` followed by their `suffix`,
/// then how many more there are.
fn input_list(names: &[String], units: &[Option<String>], suffix: impl Iterator<Item = String>) -> String {
    let shown: Vec<String> = names
        .iter()
        .zip(units)
        .zip(suffix)
        .take(MAX_FEATURES_SHOWN)
        .map(|((n, u), suffix)| match u {
            Some(u) => format!("{n} [{u}]{suffix}"),
            None => format!("{n}{suffix}"),
        })
        .collect();
    match names.len().saturating_sub(MAX_FEATURES_SHOWN) {
        0 => shown.join(", "),
        more => format!("{}, ... {more} more", shown.join(", ")),
    }
}

/// The inputs' domains, runs of consecutive inputs with the same domain grouped
/// (`amount [0, 1000]; flag_0 … flag_99 (100 inputs) 0 or 1`), the first
/// [`MAX_FEATURES_SHOWN`] runs and then how many more there are.
fn domain_list(model: &Model, names: &[String]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in 0..model.input_len {
        match runs.last_mut() {
            Some((first, last)) if model.domain(*first) == model.domain(i) => *last = i,
            _ => runs.push((i, i)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .take(MAX_FEATURES_SHOWN)
        .map(|&(first, last)| {
            let domain = model.domain(first).describe(model.scale_bits);
            match last - first {
                0 => format!("{} {domain}", names[first]),
                n => format!("{} … {} ({} inputs) {domain}", names[first], names[last], n + 1),
            }
        })
        .collect();
    match runs.len().saturating_sub(MAX_FEATURES_SHOWN) {
        0 => shown.join("; "),
        more => format!("{}; ... {more} more", shown.join("; ")),
    }
}

/// Runs the command: an `.onnx` file is imported; any other file is read and
/// recognised by its magic bytes (proving key, verifier key, proof, JSON proof).
pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let path = &args.model.model;
    if path.extension().and_then(|e| e.to_str()) == Some("onnx") {
        return inspect_onnx(args, out);
    }
    let bytes = read_file(path)?;
    let not_ours = |why: String| CliError::FileKind {
        path: path.to_path_buf(),
        reason: format!("expected .onnx model or a zkpolicy key or proof file; {why}"),
    };
    let kind = detect(&bytes).ok_or_else(|| not_ours("unknown magic bytes".into()))?;
    let policy_err = |source| CliError::Policy { path: path.to_path_buf(), source };
    match kind {
        FileKind::VerifierKey => {
            show_key(args.json, out, "verifier key", bytes.len(), &VerifierKey::from_bytes(&bytes).map_err(policy_err)?)
        }
        FileKind::ProvingKey => {
            let pk = ProvingKey::from_bytes(&bytes).map_err(policy_err)?;
            show_key(args.json, out, "proving key", bytes.len(), pk.verifier_key())
        }
        FileKind::Proof | FileKind::JsonProof => {
            let proof = match PolicyProof::from_any(&bytes) {
                Ok(p) => p,
                // Any JSON file looks like a JSON proof until it is parsed.
                Err(e) if kind == FileKind::JsonProof => {
                    return Err(not_ours(format!("a JSON file that is not a zkpolicy proof ({e})")))
                }
                Err(e) => return Err(policy_err(e)),
            };
            let encoding = if kind == FileKind::Proof { ProofEncoding::Binary } else { ProofEncoding::Json };
            show_proof(args.json, out, encoding, bytes.len(), &proof)
        }
    }
}

/// Shows a proof: its [`ProofReport`] as JSON, or as text with the file's form and size.
fn show_proof(
    json: bool,
    out: &mut dyn Write,
    encoding: ProofEncoding,
    bytes: usize,
    proof: &PolicyProof,
) -> Result<(), CliError> {
    if json {
        return write_json(out, &ProofReport::new(proof, encoding));
    }
    let form = match encoding {
        ProofEncoding::Binary => "proof (binary)",
        ProofEncoding::Json => "proof (JSON transport)",
    };
    writeln!(out, "file         {form}, format version {FORMAT_VERSION}, {bytes} bytes")?;
    writeln!(out, "vk digest    {} (the key this proof is for)", hex_digest(&proof.key_digest))?;
    match &proof.context_digest {
        Some(d) => writeln!(out, "context      bound to a request context, digest {}", hex_digest(d))?,
        None => writeln!(out, "context      none (not bound to a request; replayable)")?,
    }
    writeln!(out, "public input {:?} (integers; divide by 2^s of the key)", proof.input)?;
    writeln!(out, "logits       {:?} (integers; not verified: use `zkpolicy verify`)", proof.logits)?;
    Ok(())
}

/// Shows a key: its [`KeyReport`] as JSON, or as text with the file's kind and size.
fn show_key(json: bool, out: &mut dyn Write, kind: &str, bytes: usize, vk: &VerifierKey) -> Result<(), CliError> {
    if json {
        return write_json(out, &KeyReport::new(vk));
    }
    let m = vk.model();
    let mut width = m.input_len;
    let layers: Vec<String> = m
        .layers
        .iter()
        .map(|l| {
            width = l.out_width(width);
            format!("{}({width})", l.name())
        })
        .collect();
    writeln!(out, "file         {kind}, format version {FORMAT_VERSION}, {bytes} bytes")?;
    writeln!(out, "vk digest    {}", hex_digest(&vk.digest()))?;
    writeln!(
        out,
        "model        {}: {} inputs (|q| ≤ {}), scale 2^-{}, {} parameters",
        vk.names().policy,
        m.input_len,
        m.input_bound,
        m.scale_bits,
        m.num_params()
    )?;
    let inputs = &vk.names().inputs;
    let visibility = vk.visibility().as_slice().iter().map(|v| format!(" ({})", v.name()));
    writeln!(out, "inputs       {}", input_list(inputs.names(), inputs.units(), visibility))?;
    writeln!(out, "domains      {}", domain_list(m, inputs.names()))?;
    writeln!(out, "layers       {}", layers.join(" -> "))?;
    writeln!(out, "circuit      {} constraints, {} witness values", vk.num_constraints(), vk.num_witness())?;
    writeln!(out, "profile      {}", vk.profile())?;
    Ok(())
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
    input_names: &'a [String],
    input_units: &'a [Option<String>],
    input_names_source: NamesSource,
    /// Every graph output (the one proved is `output_name`).
    outputs: &'a [String],
    scale_bits: u32,
    input_range: f64,
    input_bound: i64,
    /// Per input, the values it may take.
    input_domains: Vec<DomainInfo>,
    decision: String,
    decision_source: DecisionSource,
    decision_integer: String,
    params: usize,
    layers: Vec<LayerInfo>,
    circuit: CircuitInfo,
    #[serde(flatten)]
    provability: Provability,
}

/// Size of the compiled circuit (exact: from the circuit compiler), or why the body cannot be proved.
#[derive(Serialize)]
#[serde(untagged)]
enum CircuitInfo {
    Compiled { constraints: usize, public_values: usize, witness_values: usize, nonzeros: usize },
    NotProvable { not_provable: String },
}

fn circuit_info(model: &zkpolicy_core::frontend::model::Model) -> CircuitInfo {
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
        (Layer::Dense { .. }, FloatOp::Affine(a)) if matches!(a.weights, Weights::Diag(_)) => {
            "element-wise affine (diagonal)".into()
        }
        (Layer::LeakyRelu { alpha }, _) => format!("alpha {}", real(*alpha)),
        (Layer::Clip { min, max }, _) => format!("[{}, {}]", real(*min), real(*max)),
        (Layer::Piecewise(p), op) => match approximated(op, layer, s) {
            Some(f) => format!("piecewise-linear {f}, {} segments, within {:.1e}", p.slopes.len(), f.error_bound(s)),
            None => format!("piecewise-linear, {} segments", p.slopes.len()),
        },
        (Layer::PiecewiseSoftmax(p), _) => {
            format!("softmax with a piecewise-linear exponential ({} segments) and an exact division", p.slopes.len())
        }
        (Layer::Trees(e), _) => {
            let depth = e.trees.iter().map(|t| t.depth()).max().unwrap_or(0);
            let features = e.thresholds_by_feature();
            let thresholds: usize = features.iter().map(|(_, t)| t.len()).sum();
            format!(
                "{} trees, depth ≤ {depth}, {thresholds} distinct thresholds on {} features",
                e.trees.len(),
                features.len()
            )
        }
        _ => String::new(),
    }
}

fn integer_decision(m: &ImportedModel) -> String {
    match &m.model.decision {
        Decision::Threshold { index, threshold } => {
            format!("approve iff output[{index}] ≥ {threshold} (integer)")
        }
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
        let params = layer.num_params();
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
        name: &m.names.policy,
        opset: m.opset,
        onnx_nodes: &m.onnx_nodes,
        input_name: &m.input_name,
        input_shape: &m.input_shape,
        output_name: &m.output_name,
        output_shape: &m.output_shape,
        input_names: m.names.inputs.names(),
        input_units: m.names.inputs.units(),
        input_names_source: m.names_source,
        outputs: &m.outputs,
        scale_bits: s,
        input_range: m.input_range,
        input_bound: model.input_bound,
        input_domains: DomainInfo::of_inputs(model),
        decision: m.decision.to_string(),
        decision_source: m.decision_source,
        decision_integer: integer_decision(&m),
        params: model.num_params(),
        layers,
        circuit: circuit_info(model),
        provability: Provability::of(&m),
    };
    if args.json {
        write_json(out, &report)?;
        return report.provability.into_error(&args.model.model).map_or(Ok(()), Err);
    }
    let r = &report;
    writeln!(out, "model        {} ({})", r.name, r.file.display())?;
    let ops: Vec<String> = r.onnx_nodes.iter().map(|n| format!("{} `{}`", n.op_type, n.name)).collect();
    writeln!(out, "onnx         opset {}, {} nodes: {}", r.opset, ops.len(), ops.join(", "))?;
    writeln!(out, "input        `{}` {:?}: {} values", r.input_name, r.input_shape, model.input_len)?;
    let names = input_list(r.input_names, r.input_units, std::iter::repeat(String::new()));
    writeln!(out, "input names  {names} (from {})", r.input_names_source)?;
    let others =
        if r.outputs.len() > 1 { format!(" (proved; graph outputs: {})", r.outputs.join(", ")) } else { String::new() };
    writeln!(out, "output       `{}` {:?}{others}", r.output_name, r.output_shape)?;
    writeln!(out, "scale        2^-{s} (s = {s}; weights at 2^{s}, biases at 2^{})", 2 * s)?;
    writeln!(
        out,
        "input range  ±{} (±{} at scale 2^{s}; inputs outside, or outside their domains below, are refused)",
        r.input_range, r.input_bound
    )?;
    writeln!(out, "domains      {}", domain_list(model, r.input_names))?;
    writeln!(out, "decision     {} ({}): {}", r.decision, r.decision_source, r.decision_integer)?;
    writeln!(out, "parameters   {}", r.params)?;
    writeln!(out, "layers (normalised chain; head layers are evaluated by the verifier in public):")?;
    writeln!(
        out,
        "  {:>3}  {:<10} {:>13} {:>8} {:>5}  {:<5}  from ONNX nodes",
        "#", "op", "width", "params", "bits", "part"
    )?;
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
    writeln!(out, "{}", r.provability.line())?;
    report.provability.into_error(&args.model.model).map_or(Ok(()), Err)
}
