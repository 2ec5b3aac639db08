//! The reference evaluator of the integer semantics, with a full trace.
//!
//! `zkpolicy run`, the witness generator and the verifier's head evaluation all
//! call this code, so there is exactly one definition of what a model computes.

use super::{nonlinear, Layer, Model};

/// Why an evaluation (or the quantization of an input) failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The input vector has the wrong length.
    #[error("the model takes {expected} inputs, got {got}")]
    InputLength {
        /// Expected length.
        expected: usize,
        /// Given length.
        got: usize,
    },
    /// A real input is NaN or infinite.
    #[error("input {index} is not a finite number")]
    NonFinite {
        /// Which input.
        index: usize,
    },
    /// A real input lies outside its domain (see [`super::domain`]): its
    /// quantization `round(value·2^s)` is beyond `±input_bound` or the declared
    /// interval, or it is not one of a declared domain's integers. Refused by
    /// [`super::Model::quantize`]; [`super::Model::quantize_clamped`] clamps instead.
    #[error("input {index} is {}, outside its domain {domain}", format_real(*value))]
    OutOfRange {
        /// Which input.
        index: usize,
        /// The value as given (finite), in real units.
        value: f64,
        /// The domain in real units ([`super::InputDomain::describe`]).
        domain: String,
    },
    /// A quantized input lies outside its domain.
    #[error("input {index} is {value} at scale 2^{scale_bits}, outside its domain {domain}")]
    InputRange {
        /// Which input.
        index: usize,
        /// Its quantized value.
        value: i64,
        /// The model's scale exponent.
        scale_bits: u32,
        /// The domain in real units ([`super::InputDomain::describe`]).
        domain: String,
    },
    /// A value does not fit a 64-bit integer: the model was not validated, or
    /// (in [`super::Model::eval_head`]) the logits lie outside what the model's body
    /// can produce.
    #[error("layer {layer} ({op}): a value does not fit a 64-bit integer (an unvalidated model, or logits the model's body cannot produce)")]
    Overflow {
        /// Layer index.
        layer: usize,
        /// Operator name.
        op: &'static str,
    },
}

/// A real number for messages: plain decimal (`0.25`, `1000`), or scientific notation
/// (`1e30`, `-2.5e-9`) when plain decimal would be long.
pub fn format_real(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

// `value` is finite (non-finite inputs are `NonFinite`), so equality
// is reflexive and `EvalError` (and the errors holding it) can be `Eq`.
impl Eq for EvalError {}

/// What one layer computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerTrace {
    /// For `Dense`: the exact accumulators `W·x + b` (scale `2^(2s)`) before requantization;
    /// for `Piecewise`, `a_j·x + c_j`; for `PiecewiseSoftmax`, the exponentials `A_i`.
    pub acc: Option<Vec<i128>>,
    /// The layer's output vector.
    pub output: Vec<i64>,
}

/// Every intermediate value of one evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The quantized input.
    pub input: Vec<i64>,
    /// One entry per layer, in order.
    pub layers: Vec<LayerTrace>,
    /// Number of body layers (the logits are the output of layer `body_len - 1`).
    pub body_len: usize,
}

impl Trace {
    /// The body's output: the logits, public in a proof.
    pub fn logits(&self) -> &[i64] {
        &self.layers[self.body_len - 1].output
    }

    /// The model's final output.
    pub fn output(&self) -> &[i64] {
        self.layers.last().map_or(&self.input, |l| &l.output)
    }
}

fn to_i64(v: i128, layer: usize, op: &'static str) -> Result<i64, EvalError> {
    i64::try_from(v).map_err(|_| EvalError::Overflow { layer, op })
}

/// Applies one layer to `x`.
fn apply(layer: &Layer, index: usize, x: &[i64], s: u32) -> Result<LayerTrace, EvalError> {
    let op = layer.name();
    let plain = |output: Vec<i64>| Ok(LayerTrace { acc: None, output });
    match layer {
        Layer::Dense { in_dim, weights, bias, .. } => {
            let mut accs = Vec::with_capacity(bias.len());
            let mut output = Vec::with_capacity(bias.len());
            for (row, b) in weights.chunks(*in_dim).zip(bias) {
                let mut acc = *b as i128;
                for (w, v) in row.iter().zip(x) {
                    acc = acc.checked_add(*w as i128 * *v as i128).ok_or(EvalError::Overflow { layer: index, op })?;
                }
                accs.push(acc);
                output.push(to_i64(nonlinear::requantize(acc, s).0, index, op)?);
            }
            Ok(LayerTrace { acc: Some(accs), output })
        }
        Layer::Relu => plain(x.iter().map(|v| (*v).max(0)).collect()),
        Layer::LeakyRelu { alpha } => {
            plain(x.iter().map(|v| to_i64(nonlinear::leaky_relu(*v, *alpha, s), index, op)).collect::<Result<_, _>>()?)
        }
        Layer::Clip { min, max } => plain(x.iter().map(|v| (*v).clamp(*min, *max)).collect()),
        Layer::Sigmoid => plain(x.iter().map(|v| nonlinear::sigmoid(*v, s)).collect()),
        Layer::Tanh => plain(x.iter().map(|v| nonlinear::tanh(*v, s)).collect()),
        Layer::Softmax => plain(nonlinear::softmax(x, s)),
        Layer::ArgMax => plain(vec![nonlinear::argmax(x) as i64]),
        Layer::Lanes { ops } => plain(ops.iter().zip(x).map(|(op, v)| op.apply(*v, s)).collect()),
        Layer::Piecewise(p) => {
            let accs: Vec<i128> = x.iter().map(|v| p.acc(*v)).collect();
            let output =
                accs.iter().map(|a| to_i64(nonlinear::requantize(*a, s).0, index, op)).collect::<Result<_, _>>()?;
            Ok(LayerTrace { acc: Some(accs), output })
        }
        Layer::PiecewiseSoftmax(p) => {
            let (accs, output) = super::softmax::eval(p, x, s);
            Ok(LayerTrace { acc: Some(accs), output })
        }
        Layer::Trees(ensemble) => {
            plain(ensemble.eval(x).into_iter().map(|v| to_i64(v, index, op)).collect::<Result<_, _>>()?)
        }
    }
}

impl Model {
    /// Evaluates the model on a quantized input, keeping every intermediate value.
    pub fn eval(&self, input: &[i64]) -> Result<Trace, EvalError> {
        if input.len() != self.input_len {
            return Err(EvalError::InputLength { expected: self.input_len, got: input.len() });
        }
        self.check_quantized_inputs((0..self.input_len).zip(input.iter().copied()))?;
        let mut layers: Vec<LayerTrace> = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            let x = layers.last().map_or(input, |l| &l.output);
            let t = apply(layer, i, x, self.scale_bits)?;
            layers.push(t);
        }
        Ok(Trace { input: input.to_vec(), layers, body_len: self.body_len() })
    }

    /// Refuses the first `(index, value)` whose quantized value lies outside the
    /// domain of its input ([`EvalError::InputRange`]).
    pub fn check_quantized_inputs(&self, inputs: impl IntoIterator<Item = (usize, i64)>) -> Result<(), EvalError> {
        for (index, value) in inputs {
            let domain = self.domain(index);
            if !domain.lattice(self.scale_bits).contains(value) {
                let (scale_bits, domain) = (self.scale_bits, domain.describe(self.scale_bits));
                return Err(EvalError::InputRange { index, value, scale_bits, domain });
            }
        }
        Ok(())
    }

    /// Evaluates the head (the layers after the last `Dense` or `Trees`) on public logits.
    /// This is what a verifier runs to turn proven logits into outputs.
    pub fn eval_head(&self, logits: &[i64]) -> Result<Vec<i64>, EvalError> {
        if logits.len() != self.logits_len() {
            return Err(EvalError::InputLength { expected: self.logits_len(), got: logits.len() });
        }
        let mut x = logits.to_vec();
        for (i, layer) in self.head().iter().enumerate() {
            x = apply(layer, self.body_len() + i, &x, self.scale_bits)?.output;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::model::Decision;

    /// A one-input model whose body is `Dense 1→2` and whose head is `head`.
    fn with_head(head: Vec<Layer>) -> Model {
        let dense = Layer::Dense { in_dim: 1, out_dim: 2, weights: vec![1, -1], bias: vec![0, 0] };
        Model {
            scale_bits: 12,
            input_len: 1,
            input_bound: 1 << 12,
            input_domains: Default::default(),
            layers: core::iter::once(dense).chain(head).collect(),
            decision: Decision::ArgMax { labels: vec![] },
        }
    }

    #[test]
    fn eval_head_is_total_on_extreme_logits() {
        let one = 1i64 << 12;
        let extremes = [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
        let heads = vec![
            vec![],
            vec![Layer::Softmax],
            vec![Layer::Sigmoid],
            vec![Layer::Tanh],
            vec![Layer::Relu, Layer::Softmax],
            vec![Layer::Clip { min: -one, max: one }, Layer::ArgMax],
            vec![Layer::LeakyRelu { alpha: one / 10 }, Layer::Sigmoid],
            vec![Layer::Softmax, Layer::ArgMax],
        ];
        for head in heads {
            let m = with_head(head.clone());
            m.validate().unwrap();
            for a in extremes {
                for b in extremes {
                    let out = m.eval_head(&[a, b]).unwrap_or_else(|e| panic!("{head:?} on [{a}, {b}]: {e}"));
                    assert_eq!(out.len(), m.output_len());
                }
            }
        }
        // Softmax of the extremes: all the weight on the maximum.
        assert_eq!(with_head(vec![Layer::Softmax]).eval_head(&[i64::MIN, i64::MAX]), Ok(vec![0, one]));
        assert_eq!(with_head(vec![Layer::Softmax, Layer::ArgMax]).eval_head(&[i64::MAX, i64::MIN]), Ok(vec![0]));
        // A LeakyReLU whose result cannot be an i64 is an error, not a panic or a wrapped value.
        let steep = with_head(vec![Layer::LeakyRelu { alpha: 3 * one }]);
        assert_eq!(steep.eval_head(&[i64::MIN, 0]), Err(EvalError::Overflow { layer: 1, op: "LeakyRelu" }));
        assert_eq!(steep.eval_head(&[-one, 0]), Ok(vec![-3 * one, 0]));
    }
}
