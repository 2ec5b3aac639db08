//! An estimate of the circuit size of a model, from its worst-case bounds.
//!
//! This is an *estimate*, not the compiled circuit: it assumes bit-decomposition
//! range checks. Per `Dense` neuron: the requantization equation plus an `s`-bit
//! remainder check (`s + 1` constraints); per ReLU (and the sign of a LeakyReLU):
//! a `bits(bound)`-bit sign decomposition plus the selection (`bits + 1`), where
//! `bits = signed_bits(output bound)`; per Clip: two such comparisons. A Dense
//! neuron followed by a ReLU therefore costs about `s + bits + 2`. Layers after
//! the last `Dense` (the head) are evaluated by the verifier in public and cost
//! nothing; nonlinear tables (Sigmoid, Tanh, Softmax) inside the body are not
//! estimated. Each constraint introduces about one witness value.

use serde::Serialize;
use zkpolicy_shared::model::bounds::{analyze, signed_bits};
use zkpolicy_shared::model::{Layer, Model, ModelError};

/// Estimated cost of one layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerEstimate {
    /// Layer index.
    pub layer: usize,
    /// Operator name.
    pub op: &'static str,
    /// Width of the layer's output.
    pub width: usize,
    /// Bits of the worst-case output magnitude (signed).
    pub output_bits: u32,
    /// Estimated constraints.
    pub constraints: u64,
    /// Why this layer is free or not estimated, if so.
    pub note: Option<&'static str>,
}

/// Estimated circuit size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CircuitEstimate {
    /// Estimated number of R1CS constraints.
    pub constraints: u64,
    /// Estimated number of witness values (constraints, plus the inputs and the constant 1).
    pub witness: u64,
    /// Per-layer detail.
    pub layers: Vec<LayerEstimate>,
}

/// Estimates the circuit size of a valid model.
pub fn estimate(model: &Model) -> Result<CircuitEstimate, ModelError> {
    let bounds = analyze(model)?;
    let s = model.scale_bits as u64;
    let body_len = model.body_len();
    let mut width = model.input_len;
    let mut layers = Vec::with_capacity(model.layers.len());
    for (i, (layer, b)) in model.layers.iter().zip(&bounds).enumerate() {
        width = layer.out_width(width);
        let w = width as u64;
        let bits = signed_bits(b.output) as u64;
        let (constraints, note) = if i >= body_len {
            (0, Some("head: evaluated by the verifier in public"))
        } else {
            match layer {
                Layer::Dense { .. } => (w * (s + 1), None),
                Layer::Relu => (w * (bits + 1), None),
                Layer::LeakyRelu { .. } => (w * (bits + 1 + s + 1), None),
                Layer::Clip { .. } => (w * 2 * (bits + 1), None),
                Layer::Sigmoid | Layer::Tanh | Layer::Softmax | Layer::ArgMax => (0, Some("inside the body: not estimated")),
            }
        };
        layers.push(LayerEstimate { layer: i, op: layer.name(), width, output_bits: bits as u32, constraints, note });
    }
    let constraints = layers.iter().map(|l| l.constraints).sum::<u64>();
    Ok(CircuitEstimate { constraints, witness: constraints + model.input_len as u64 + 1, layers })
}
