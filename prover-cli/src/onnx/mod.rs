//! ONNX import: load a model with tract-onnx (a float64 model is cast to
//! float32 first, with a warning), normalise its graph to a float chain,
//! quantize it to the integer [`Model`], and keep tract's float runner as the
//! reference.
//!
//! See `docs/PROTOCOL.md` (§2.1) for the op mapping, folding rules,
//! quantization and decision rules.

mod batch;
mod chain;
mod decision;
mod error;
mod fuse;
mod graph;
mod names;
mod ops;
mod outputs;
mod precision;
mod quantize;
mod runner;

use std::path::Path;

use tract_onnx::pb;
use tract_onnx::prelude::Framework;
use zkpolicy_core::frontend::circuit::{check_provable, CircuitError, CircuitSize};
use zkpolicy_core::frontend::model::domain::parse_domains;
use zkpolicy_core::frontend::model::{Model, Verdict, DEFAULT_SCALE_BITS, SCALE_BITS_RANGE};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::Names;

pub use chain::{Affine, FloatOp, Step, Weights};
pub use decision::{
    verdict_matches_label, DecisionSource, DecisionSpec, DECISION_METADATA_KEY, FEATURE_NAMES_METADATA_KEY,
};
pub use error::{ImportError, RunError};
pub use graph::{ModelInput, OnnxNode, OPSETS};
pub use names::{NamesSource, FEATURE_UNITS_METADATA_KEY};
pub use ops::SUPPORTED_OPS;
pub use quantize::approximated;
pub use runner::FloatRunner;

/// Default input range: inputs must lie in `±2^8` real units.
pub const DEFAULT_INPUT_RANGE: f64 = 256.0;

/// ONNX metadata key holding the inputs' domains, in the syntax of `--input-domains`
/// ([`zkpolicy_core::frontend::model::domain`]).
pub const FEATURE_DOMAINS_METADATA_KEY: &str = "zkpolicy.feature_domains";

/// Options of the import.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOptions {
    /// The scale exponent `s` (values are multiples of `2^-s`); default [`DEFAULT_SCALE_BITS`].
    pub scale_bits: u32,
    /// Inputs must lie in `±input_range` (real units); default [`DEFAULT_INPUT_RANGE`].
    pub input_range: f64,
    /// Overrides the decision rule of the metadata and the default.
    pub decision: Option<DecisionSpec>,
    /// Overrides the input names of the `zkpolicy.feature_names` metadata and the graph.
    pub input_names: Option<Vec<String>>,
    /// Overrides the input units of the metadata.
    pub input_units: Option<Vec<String>>,
    /// Overrides the input domains of the `zkpolicy.feature_domains` metadata: the
    /// syntax of [`zkpolicy_core::frontend::model::domain::parse_domains`].
    pub input_domains: Option<String>,
    /// The graph output to prove, for graphs with several; default: the only one,
    /// or the first whose values are floats.
    pub output: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            scale_bits: DEFAULT_SCALE_BITS,
            input_range: DEFAULT_INPUT_RANGE,
            decision: None,
            input_names: None,
            input_units: None,
            input_domains: None,
            output: None,
        }
    }
}

/// An imported model: the exact integer [`Model`], how it was derived, and the
/// float reference runner. `Send + Sync`: load once, evaluate from many threads.
#[derive(Clone, Debug)]
pub struct ImportedModel {
    /// The quantized model (validated).
    pub model: Model,
    /// The normalised float chain, one step per layer of `model`.
    pub chain: Vec<Step>,
    /// The ONNX graph's nodes, in file order.
    pub onnx_nodes: Vec<OnnxNode>,
    /// ONNX opset of the default domain.
    pub opset: i64,
    /// The input tensor's name; with several inputs, their names joined by `, `.
    pub input_name: String,
    /// The fixed input shape (batch 1); with several inputs, `[n]` for the `n`
    /// values of the concatenated input vector.
    pub input_shape: Vec<usize>,
    /// The graph inputs in graph order. The model's input vector is their values
    /// concatenated in this order (each flattened row-major); each records its
    /// name, shape, and offset and length in the vector. One entry for a
    /// single-input model.
    pub inputs: Vec<ModelInput>,
    /// The graph output that is proved (`--output`, or the default).
    pub output_name: String,
    /// Every graph output, in graph order, with its type (`` `name` (type) ``).
    pub outputs: Vec<String>,
    /// The output shape.
    pub output_shape: Vec<usize>,
    /// The policy's name (the file's stem) and its inputs' names and units, as
    /// setup records them in the keys.
    pub names: Names,
    /// Where the input names came from.
    pub names_source: NamesSource,
    /// The decision rule in real units.
    pub decision: DecisionSpec,
    /// Where the decision rule came from.
    pub decision_source: DecisionSource,
    /// The input range in real units (`input_bound / 2^s`).
    pub input_range: f64,
    /// Warnings about the import that do not stop it, e.g. that a float64 model was
    /// cast to float32 (and how much that rounded). The CLI prints them on stderr.
    pub warnings: Vec<String>,
    runner: FloatRunner,
}

/// The quantized input of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantizedInput {
    /// Input values at scale `2^s`.
    pub values: Vec<i64>,
    /// Indices of the inputs that were clamped to `±input_bound` (only by the
    /// `_clamped` functions; empty otherwise).
    pub clamped: Vec<usize>,
}

/// Float and quantized results of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The quantized input.
    pub input: QuantizedInput,
    /// tract's float outputs.
    pub float_outputs: Vec<f64>,
    /// The integer model's outputs.
    pub quantized_outputs: Vec<i64>,
    /// The integer outputs in real units.
    pub quantized_real: Vec<f64>,
    /// The float model's decision.
    pub float_verdict: Verdict,
    /// The integer model's decision.
    pub quantized_verdict: Verdict,
}

impl Comparison {
    /// `|float - quantized|` per output.
    pub fn abs_errors(&self) -> Vec<f64> {
        self.float_outputs.iter().zip(&self.quantized_real).map(|(f, q)| (f - q).abs()).collect()
    }
}

impl ImportedModel {
    /// Whether the model can be proved with setup's default visibility (every
    /// input private): the checks `setup` makes before it compiles (valid bounds,
    /// a gadget for every body layer, the circuit within the proof system's size
    /// limits), without building the circuit. Returns the circuit's size, or the
    /// first check that fails.
    pub fn provable(&self) -> Result<CircuitSize, CircuitError> {
        check_provable(&self.model, &InputVisibility::all(Visibility::Private, self.model.input_len))
    }

    /// The float reference runner (tract).
    pub fn float_runner(&self) -> &FloatRunner {
        &self.runner
    }

    /// Quantizes a real input (round half away from zero) with
    /// [`Model::quantize`]: refuses a wrong length, non-finite values and values
    /// outside `±input_range` ([`zkpolicy_core::frontend::model::EvalError::OutOfRange`]).
    pub fn quantize_input(&self, input: &[f64]) -> Result<QuantizedInput, RunError> {
        Ok(QuantizedInput { values: self.model.quantize(input)?, clamped: Vec::new() })
    }

    /// Quantizes a real input, clamping values outside `±input_range` to the range
    /// ([`Model::quantize_clamped`]); the result is about the clamped values.
    /// Refuses a wrong length and non-finite values.
    pub fn quantize_input_clamped(&self, input: &[f64]) -> Result<QuantizedInput, RunError> {
        let (values, clamped) = self.model.quantize_clamped(input)?;
        Ok(QuantizedInput { values, clamped })
    }

    /// tract's float outputs for a real input.
    pub fn run_float(&self, input: &[f64]) -> Result<Vec<f64>, RunError> {
        self.runner.run(input)
    }

    /// Runs both the float reference and the integer model on one real input;
    /// refuses an input outside `±input_range` (see [`ImportedModel::quantize_input`]).
    pub fn compare(&self, input: &[f64]) -> Result<Comparison, RunError> {
        self.compare_quantized(input, self.quantize_input(input)?)
    }

    /// [`ImportedModel::compare`] with out-of-range inputs clamped for the integer
    /// model (the float model runs on the input as given, so the comparison shows
    /// what clamping changes).
    pub fn compare_clamped(&self, input: &[f64]) -> Result<Comparison, RunError> {
        self.compare_quantized(input, self.quantize_input_clamped(input)?)
    }

    fn compare_quantized(&self, input: &[f64], q: QuantizedInput) -> Result<Comparison, RunError> {
        let trace = self.model.eval(&q.values)?;
        let quantized_outputs = trace.output().to_vec();
        let float_outputs = self.runner.run(input)?;
        let ends_in_argmax = self.model.ends_in_argmax();
        Ok(Comparison {
            input: q,
            quantized_real: quantized_outputs.iter().map(|y| self.model.dequantize_output(*y)).collect(),
            quantized_verdict: self.model.decide(&quantized_outputs),
            float_verdict: self.decision.decide_float(&float_outputs, ends_in_argmax),
            float_outputs,
            quantized_outputs,
        })
    }
}

/// Loads and imports an ONNX file. See [`load_onnx_bytes`].
pub fn load_onnx(path: impl AsRef<Path>, options: &ImportOptions) -> Result<ImportedModel, ImportError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
    let name = path.file_stem().map_or_else(|| "model".to_string(), |s| s.to_string_lossy().into_owned());
    let dir = path.parent().and_then(|d| d.to_str());
    import(&name, &bytes, dir, options)
}

/// Imports an ONNX model from bytes (external tensor data is not available this way).
/// Normalises the graph, quantizes it with `options`, resolves the decision rule
/// (option, else `zkpolicy.decision` metadata, else the default), validates the
/// integer model and builds the float reference runner.
pub fn load_onnx_bytes(name: &str, bytes: &[u8], options: &ImportOptions) -> Result<ImportedModel, ImportError> {
    import(name, bytes, None, options)
}

fn import(name: &str, bytes: &[u8], dir: Option<&str>, options: &ImportOptions) -> Result<ImportedModel, ImportError> {
    let s = options.scale_bits;
    if !SCALE_BITS_RANGE.contains(&s) {
        return Err(ImportError::Options(format!(
            "scale {s} outside {}..={}",
            SCALE_BITS_RANGE.start(),
            SCALE_BITS_RANGE.end()
        )));
    }
    let r = options.input_range;
    let input_bound = (r * (1u64 << s) as f64).round();
    if !(r.is_finite() && r > 0.0 && input_bound >= 1.0 && input_bound <= (1u64 << 40) as f64) {
        return Err(ImportError::Options(format!(
            "input range {r} must be positive, at least 2^-{s}, and at most 2^40/2^{s} at scale 2^{s}"
        )));
    }
    let mut proto = tract_onnx::onnx()
        .proto_model_for_read(&mut &bytes[..])
        .map_err(|e| ImportError::Format { name: name.to_string(), reason: format!("{e:#}") })?;
    let mut warnings = Vec::new();
    // Everything below, the float reference included, sees the graph pruned to the
    // output that is proved.
    let choice = outputs::select_output(&mut proto, options.output.as_deref())?;
    warnings.extend(choice.note.clone());
    // Everything below, the float reference included, uses the float32 model.
    warnings.extend(precision::cast_f64_to_f32(&mut proto, dir)?);
    // The batch axis is fixed to 1 below, so its symbol is 1 in the declared shapes too.
    batch::bind_batch_symbols(&mut proto);
    // A GELU written out with Erf (PyTorch below opset 20) is read as one Gelu node.
    warnings.extend(fuse::fuse_erf_gelu(&mut proto, dir));
    let norm = graph::normalise(&proto, dir)?;
    let input_len: usize = norm.inputs.iter().map(|i| i.len).sum();
    let layers = quantize::quantize_chain(&norm.chain.steps, input_len, input_bound as i64, s)?;
    warnings.extend(quantize::rounding_warnings(&norm.chain.steps, &layers, input_len, s));
    let output_len = norm.output_shape.iter().product::<usize>();
    let ends_in_argmax = norm.chain.ends_in_argmax();
    let (decision, decision_source) = resolve_decision(&proto, options, output_len, ends_in_argmax, &choice)?;
    let metadata_list = |key| metadata(&proto, key).map(names::split_list);
    let (names, names_source) = names::resolve(
        name,
        &norm.inputs,
        options.input_names.as_deref(),
        metadata_list(FEATURE_NAMES_METADATA_KEY).as_deref(),
        (options.input_units.as_deref(), metadata_list(FEATURE_UNITS_METADATA_KEY).as_deref()),
    )?;
    let domains = match (&options.input_domains, metadata(&proto, FEATURE_DOMAINS_METADATA_KEY)) {
        (Some(spec), _) => Some((spec.as_str(), "--input-domains")),
        (None, Some(spec)) => Some((spec, "ONNX metadata zkpolicy.feature_domains")),
        (None, None) => None,
    };
    let input_domains = match domains {
        Some((spec, origin)) => parse_domains(spec, names.inputs.names(), s, input_bound as i64)
            .map_err(|source| ImportError::Domains { origin, source })?,
        None => Default::default(),
    };
    let model = Model {
        scale_bits: s,
        input_len,
        input_bound: input_bound as i64,
        input_domains,
        decision: decision.to_model(s, ends_in_argmax)?,
        layers,
    };
    model.validate()?;
    let input_shapes: Vec<Vec<usize>> = norm.inputs.iter().map(|i| i.shape.clone()).collect();
    let runner = match FloatRunner::new(&proto, dir, &input_shapes) {
        Ok(runner) => runner,
        // tract runs no TreeEnsembleRegressor, nor classifiers with one base value per
        // binary score (skl2onnx's gradient boosting, onnxmltools' XGBoost).
        Err(ImportError::Tract(reason)) if has_tree_ensemble(&proto) => {
            warnings.push(format!(
                "tract cannot run this model ({reason}); the float reference of run and fidelity is zkpolicy's \
                 own f64 evaluation of the imported trees, not an independent runtime"
            ));
            FloatRunner::chain(&norm.chain.steps, &input_shapes)
        }
        Err(e) => return Err(e),
    };
    let (input_name, input_shape) = match &norm.inputs[..] {
        [input] => (input.name.clone(), input.shape.clone()),
        inputs => (inputs.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(", "), vec![input_len]),
    };
    Ok(ImportedModel {
        input_range: model.input_bound as f64 / (1u64 << s) as f64,
        model,
        chain: norm.chain.steps,
        onnx_nodes: norm.nodes,
        opset: norm.opset,
        input_name,
        input_shape,
        inputs: norm.inputs,
        output_name: choice.name,
        outputs: choice.outputs,
        output_shape: norm.output_shape,
        names,
        names_source,
        decision,
        decision_source,
        warnings,
        runner,
    })
}

/// Whether the graph has an ONNX-ML tree ensemble.
fn has_tree_ensemble(proto: &pb::ModelProto) -> bool {
    proto.graph.iter().flat_map(|g| &g.node).any(|n| n.op_type.starts_with("TreeEnsemble"))
}

fn metadata<'a>(proto: &'a pb::ModelProto, key: &str) -> Option<&'a str> {
    proto.metadata_props.iter().find(|e| e.key == key).map(|e| e.value.as_str())
}

fn resolve_decision(
    proto: &pb::ModelProto,
    options: &ImportOptions,
    output_len: usize,
    ends_in_argmax: bool,
    choice: &outputs::OutputChoice,
) -> Result<(DecisionSpec, DecisionSource), ImportError> {
    if let Some(d) = &options.decision {
        return Ok((d.clone(), DecisionSource::Option));
    }
    if let Some(spec) = metadata(proto, DECISION_METADATA_KEY) {
        return Ok((DecisionSpec::parse(spec, "ONNX metadata zkpolicy.decision")?, DecisionSource::Metadata));
    }
    let default = if output_len == 1 && !ends_in_argmax {
        DecisionSpec::Threshold { index: 0, value: 0.5 }
    } else {
        // The classes a label output names (ZipMap, ArrayFeatureExtractor), when they fit.
        let fits = choice.class_labels.len() == output_len || ends_in_argmax;
        DecisionSpec::ArgMax { labels: if fits { choice.class_labels.clone() } else { Vec::new() } }
    };
    Ok((default, DecisionSource::Default))
}
