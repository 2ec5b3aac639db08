//! Errors of the ONNX importer and of running an imported model.

use std::path::PathBuf;

use zkpolicy_core::frontend::model::{EvalError, ModelError};

use super::graph::OPSETS;
use super::ops::SUPPORTED_OPS;

/// Why an ONNX file could not be turned into an integer [`zkpolicy_core::frontend::model::Model`].
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not an ONNX model (protobuf decoding failed or the graph is missing).
    #[error("{name} is not a valid ONNX model: {reason}")]
    Format {
        /// File or model name.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The default ONNX domain's operator set is outside the supported range.
    #[error(
        "ONNX opset {0} is not supported; export the model with an opset from {start} to {end}",
        start = OPSETS.start(),
        end = OPSETS.end()
    )]
    Opset(i64),
    /// An operator the importer does not know.
    #[error(
        "unsupported ONNX op `{op}` (node `{node}`){}; supported ops: {SUPPORTED_OPS}",
        alternative.map_or_else(String::new, |a| format!(": {a}"))
    )]
    UnsupportedOp {
        /// The ONNX op type (with its domain when not the default one).
        op: String,
        /// The node name.
        node: String,
        /// The closest supported alternative, or what kind of op is not supported yet.
        alternative: Option<&'static str>,
    },
    /// A known operator used in a way that cannot be mapped to the integer IR
    /// (non-constant weights, a branch that cannot be folded, an unsupported attribute, ...).
    #[error("node `{node}` ({op}): {reason}")]
    Unsupported {
        /// The ONNX op type.
        op: String,
        /// The node name.
        node: String,
        /// What is not supported and, where possible, what would be.
        reason: String,
    },
    /// A weight, bias or other constant is NaN or infinite.
    #[error("{what} contains {value} at flat index {index}; weights must be finite numbers")]
    NonFinite {
        /// Which constant (node and input).
        what: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value (NaN or ±inf).
        value: f64,
    },
    /// The graph has no input, or not exactly one output.
    #[error(
        "the model has {count} {kind}s ({names}); zkpolicy imports models with one or more input tensors and one output tensor to prove"
    )]
    Arity {
        /// "input" or "output".
        kind: &'static str,
        /// How many there are.
        count: usize,
        /// Their names.
        names: String,
    },
    /// The output to prove cannot be chosen: `--output` names no graph output, or
    /// none of several outputs holds float scores.
    #[error("{reason}")]
    Output {
        /// What is wrong, listing the graph's outputs.
        reason: String,
    },
    /// The input shape cannot be fixed to one request's vector: a symbolic axis other
    /// than the batch, no declared shape, a non-float type, or too many values.
    #[error("input `{input}`: {reason}")]
    DynamicShape {
        /// The input name.
        input: String,
        /// Which dimension cannot be fixed.
        reason: String,
    },
    /// The input's batch dimension is a fixed number other than 1.
    #[error("input `{input}` has batch size {batch}; zkpolicy evaluates one request at a time (batch 1); re-export with batch 1 or a dynamic batch axis")]
    Batch {
        /// The input name.
        input: String,
        /// The batch size found.
        batch: usize,
    },
    /// The model is larger than the importer accepts.
    #[error("{what} has {count} parameters, more than the limit of 2^26 ({limit})", limit = zkpolicy_core::frontend::model::MAX_PARAMS)]
    TooLarge {
        /// Which tensor or layer.
        what: String,
        /// Its number of parameters.
        count: u128,
    },
    /// An import option is out of range.
    #[error("invalid option: {0}")]
    Options(String),
    /// The input names or units (option or metadata) do not fit the model.
    #[error("input names: {0}")]
    Names(String),
    /// The input domains (`--input-domains` or the `zkpolicy.feature_domains` metadata)
    /// are malformed or do not fit the model.
    #[error("input domains (from {origin}): {source}")]
    Domains {
        /// `--input-domains` or the metadata key.
        origin: &'static str,
        /// What is wrong.
        source: zkpolicy_core::frontend::model::domain::DomainError,
    },
    /// A decision rule (option or `zkpolicy.decision` metadata) is malformed.
    #[error("invalid decision rule `{spec}` (from {origin}): {reason}; expected `threshold:INDEX:VALUE` or `argmax[:LABEL0,LABEL1,...]`")]
    Decision {
        /// The rule as written.
        spec: String,
        /// Where it came from.
        origin: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A value does not fit the integer range after scaling.
    #[error("{what} = {value} does not fit a 62-bit integer at scale 2^{scale_bits}; use a smaller --scale")]
    Overflow {
        /// Which value.
        what: String,
        /// The real value.
        value: f64,
        /// The scale exponent used.
        scale_bits: u32,
    },
    /// The quantized model breaks a structural or range rule of the integer IR.
    #[error("the quantized model is not valid: {0}")]
    Model(#[from] ModelError),
    /// A float64 model holds a value beyond float32's range, so it cannot be cast to float32.
    #[error(
        "cannot cast the float64 model to float32: {what} holds {value} at flat index {index}, beyond float32's range (±3.4e38)"
    )]
    Float64Range {
        /// Which tensor.
        what: String,
        /// Flat index of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// tract could not build the float reference runner for the model.
    #[error("tract cannot run the model in float: {0}")]
    Tract(String),
}

/// Why running an imported model on one input failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input vector has the wrong length.
    #[error("the model takes {expected} input values, got {got}")]
    InputLength {
        /// Expected length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// tract's float evaluation failed.
    #[error("float reference evaluation (tract) failed: {0}")]
    Float(String),
    /// The integer evaluator failed (only possible for a model that was not validated).
    #[error(transparent)]
    Eval(#[from] EvalError),
}
