//! The integer policy model: the exact semantics that a proof speaks about.
//!
//! A [`Model`] is a chain of layers over one-dimensional integer vectors.
//! Every activation is a fixed-point integer at scale `2^s` (`s` =
//! [`Model::scale_bits`]): the real number `v` is represented by `round(v·2^s)`.
//!
//! * [`Layer::Dense`]: `acc_j = Σ_i W_ji·x_i + b_j` with `W` at scale `2^s` and
//!   `b` at scale `2^(2s)`, accumulated exactly (i128), then requantized by
//!   rounding half up: `y_j = floor((acc_j + 2^(s-1)) / 2^s)`.
//! * [`Layer::Relu`], [`Layer::LeakyRelu`], [`Layer::Clip`]: exact integer maps.
//! * [`Layer::Sigmoid`], [`Layer::Tanh`], [`Layer::Softmax`], [`Layer::ArgMax`]:
//!   defined in [`nonlinear`].
//! * [`Layer::Lanes`]: one [`lanes::LaneOp`] per element (pass, ReLU, or an exact
//!   comparison with a constant giving a boolean `0`/`2^s`), defined in [`lanes`].
//! * [`Layer::Trees`]: a sum of decision trees with exact integer thresholds and
//!   leaf values, defined in [`trees`].
//! * [`Layer::Piecewise`]: a piecewise-linear function of each element (how a
//!   sigmoid, tanh, GELU, softplus, ELU, HardSwish or exp is approximated),
//!   defined in [`piecewise`].
//! * [`Layer::PiecewiseSoftmax`]: a softmax whose exponential is piecewise linear and
//!   whose normalisation is an exact integer division, so that the circuit can prove
//!   it inside the body, defined in [`softmax`].
//!
//! The full statement, with error bounds, is in `docs/PROTOCOL.md`, section
//! "Model semantics".
//!
//! **What is proved and what is computed in public.** The layers up to and
//! including the last `Dense` or `Trees` layer form the *body*; its output vector (the
//! logits) is a public value of the proof. The layers after it form the *head*;
//! they are deterministic functions of public values, so the verifier
//! evaluates them itself with the same code ([`Model::eval_head`]).

pub mod bounds;
pub mod codec;
pub mod domain;
pub mod eval;
pub mod lanes;
pub mod nonlinear;
pub mod piecewise;
pub mod softmax;
pub mod trees;

pub use domain::{InputDomain, InputDomains};
pub use eval::{format_real, EvalError, LayerTrace, Trace};

/// Largest number of weights a model may have (2^26).
pub const MAX_PARAMS: usize = 1 << 26;
/// Largest width of any vector in a model.
pub const MAX_WIDTH: usize = 1 << 20;
/// Largest number of layers.
pub const MAX_LAYERS: usize = 1024;
/// Allowed range of the scale exponent `s`.
pub const SCALE_BITS_RANGE: core::ops::RangeInclusive<u32> = 1..=20;
/// Default scale exponent: values are multiples of 2^-12.
pub const DEFAULT_SCALE_BITS: u32 = 12;

/// One layer of the integer model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layer {
    /// `y = requant(W·x + b)`; `weights` is row-major `[out_dim][in_dim]` at scale
    /// `2^s`, `bias` has `out_dim` entries at scale `2^(2s)`.
    Dense {
        /// Input width.
        in_dim: usize,
        /// Output width.
        out_dim: usize,
        /// Row-major weights, `out_dim * in_dim` entries.
        weights: Vec<i64>,
        /// Bias at scale `2^(2s)`, `out_dim` entries.
        bias: Vec<i64>,
    },
    /// `max(x, 0)`.
    Relu,
    /// `x` if `x ≥ 0`, else `floor((alpha·x + 2^(s-1)) / 2^s)`; `alpha` at scale `2^s`.
    LeakyRelu {
        /// The negative slope at scale `2^s`.
        alpha: i64,
    },
    /// `min(max(x, min), max)`, bounds at scale `2^s`.
    Clip {
        /// Lower bound (scale `2^s`).
        min: i64,
        /// Upper bound (scale `2^s`).
        max: i64,
    },
    /// Element-wise logistic function, see [`nonlinear::sigmoid`].
    Sigmoid,
    /// Element-wise hyperbolic tangent, see [`nonlinear::tanh`].
    Tanh,
    /// Softmax over the whole vector, see [`nonlinear::softmax`].
    Softmax,
    /// Index of the largest element (first on ties); the output is one unscaled integer.
    ArgMax,
    /// Element `i` becomes `ops[i]` of it (see [`lanes`]); `ops` has one entry per input.
    Lanes {
        /// One operation per element.
        ops: Vec<lanes::LaneOp>,
    },
    /// A tree ensemble (see [`trees`]): `ensemble.outputs` sums of leaf values.
    Trees(trees::TreeEnsemble),
    /// The same piecewise-linear function of each element (see [`piecewise`]).
    Piecewise(piecewise::Piecewise),
    /// Softmax over the whole vector with the exponential `exp` (a function of
    /// `x_i − max ≤ 0`) and an exact integer division (see [`softmax`]); provable in the body.
    PiecewiseSoftmax(piecewise::Piecewise),
}

impl Layer {
    /// Short operator name for messages and `inspect`.
    pub fn name(&self) -> &'static str {
        match self {
            Layer::Dense { .. } => "Dense",
            Layer::Relu => "Relu",
            Layer::LeakyRelu { .. } => "LeakyRelu",
            Layer::Clip { .. } => "Clip",
            Layer::Sigmoid => "Sigmoid",
            Layer::Tanh => "Tanh",
            Layer::Softmax => "Softmax",
            Layer::ArgMax => "ArgMax",
            Layer::Lanes { .. } => "Lanes",
            Layer::Trees(_) => "Trees",
            Layer::Piecewise(_) => "Piecewise",
            Layer::PiecewiseSoftmax(_) => "PiecewiseSoftmax",
        }
    }

    /// Number of stored constants: weights and biases, or a tree ensemble's
    /// thresholds, leaf and base values.
    pub fn num_params(&self) -> usize {
        match self {
            Layer::Dense { weights, bias, .. } => weights.len() + bias.len(),
            Layer::Trees(e) => e.num_params(),
            Layer::Piecewise(p) | Layer::PiecewiseSoftmax(p) => p.breakpoints.len() + p.slopes.len() + p.offsets.len(),
            _ => 0,
        }
    }

    /// Output width given the input width.
    pub fn out_width(&self, in_width: usize) -> usize {
        match self {
            Layer::Dense { out_dim, .. } => *out_dim,
            Layer::ArgMax => 1,
            Layer::Trees(e) => e.outputs,
            _ => in_width,
        }
    }
}

/// How the public outputs become a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve iff `outputs[index] ≥ threshold` (threshold in the output's integer units).
    Threshold {
        /// Which output is compared.
        index: usize,
        /// The threshold, e.g. `2^(s-1)` for 0.5 at scale `2^s`.
        threshold: i64,
    },
    /// The decision is the index of the largest output (first on ties), or the
    /// output itself when the model ends in `ArgMax`; `labels[i]` names class `i`
    /// when given.
    ArgMax {
        /// Optional class names.
        labels: Vec<String>,
    },
}

/// The outcome of a [`Decision`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Threshold decision met.
    Approve,
    /// Threshold decision not met.
    Deny,
    /// An argmax decision: the class index and its label if the model names one.
    Class {
        /// Class index.
        index: usize,
        /// Its label, if any.
        label: Option<String>,
    },
}

impl core::fmt::Display for Verdict {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Verdict::Approve => f.write_str("approve"),
            Verdict::Deny => f.write_str("deny"),
            Verdict::Class { label: Some(l), .. } => f.write_str(l),
            Verdict::Class { index, label: None } => write!(f, "class {index}"),
        }
    }
}

/// A quantized policy model with exact integer semantics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// The scale exponent `s`: activations are integers at scale `2^s`.
    pub scale_bits: u32,
    /// Number of input values.
    pub input_len: usize,
    /// Inputs must lie in `[-input_bound, input_bound]` once quantized: the
    /// evaluator and the circuit reject anything else, and [`Model::quantize`]
    /// refuses a real input beyond it ([`Model::quantize_clamped`] clamps instead).
    pub input_bound: i64,
    /// Narrower domains of some inputs, by input index (see [`domain`]); the other
    /// inputs take any value in `±input_bound`. Each lies within `±input_bound`,
    /// and none equals that default.
    pub input_domains: InputDomains,
    /// The layers, applied in order.
    pub layers: Vec<Layer>,
    /// How the outputs become a decision.
    pub decision: Decision,
}

/// Why a model is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A structural rule is broken.
    #[error("invalid model: {0}")]
    Invalid(String),
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, ModelError> {
    Err(ModelError::Invalid(msg.into()))
}

impl Model {
    /// Checks every structural rule: widths agree, sizes are within limits (every
    /// limit of the [`codec`] included, so a valid model always decodes from its
    /// encoding), the model has a `Dense` layer, the decision refers to an
    /// existing output, and the worst-case magnitudes of all intermediate values
    /// fit the integer ranges of the evaluator and the circuit (see [`bounds`]).
    pub fn validate(&self) -> Result<(), ModelError> {
        self.validate_with_bounds().map(|_| ())
    }

    /// [`Model::validate`], returning the worst-case bounds of every layer that
    /// validation computes ([`bounds::analyze`]), so callers need not compute them again.
    pub fn validate_with_bounds(&self) -> Result<Vec<bounds::LayerBounds>, ModelError> {
        if !SCALE_BITS_RANGE.contains(&self.scale_bits) {
            return invalid(format!(
                "scale exponent {} outside {}..={}",
                self.scale_bits,
                SCALE_BITS_RANGE.start(),
                SCALE_BITS_RANGE.end()
            ));
        }
        if self.input_len == 0 || self.input_len > MAX_WIDTH {
            return invalid(format!("input width {} outside 1..={MAX_WIDTH}", self.input_len));
        }
        if self.input_bound <= 0 || self.input_bound > 1 << 40 {
            return invalid(format!("input bound {} outside 1..=2^40", self.input_bound));
        }
        for (inputs, domain) in self.input_domains.runs() {
            let index = inputs.start;
            if inputs.end > self.input_len {
                let last = inputs.end - 1;
                return invalid(format!("a domain is declared for input {last}; the model has {}", self.input_len));
            }
            if *domain == InputDomain::default_for(self.input_bound) {
                return invalid(format!("the domain declared for input {index} is the default ±input_bound"));
            }
            domain
                .check(self.input_bound, self.scale_bits)
                .map_err(|e| ModelError::Invalid(format!("the domain of input {index}: {e}")))?;
        }
        if self.layers.is_empty() || self.layers.len() > MAX_LAYERS {
            return invalid(format!("{} layers; a model has 1..={MAX_LAYERS}", self.layers.len()));
        }
        let mut width = self.input_len;
        let mut params = 0usize;
        for (i, layer) in self.layers.iter().enumerate() {
            match layer {
                Layer::Dense { in_dim, out_dim, weights, bias } => {
                    if *in_dim != width {
                        return invalid(format!("layer {i} (Dense) expects {in_dim} inputs, gets {width}"));
                    }
                    if *out_dim == 0 || *out_dim > MAX_WIDTH {
                        return invalid(format!("layer {i} (Dense) has output width {out_dim}"));
                    }
                    let n = in_dim.checked_mul(*out_dim).filter(|n| *n <= MAX_PARAMS);
                    let Some(n) = n else {
                        return invalid(format!("layer {i} (Dense) is {out_dim}x{in_dim}: more than 2^26 weights"));
                    };
                    if weights.len() != n || bias.len() != *out_dim {
                        return invalid(format!(
                            "layer {i} (Dense) has {} weights and {} biases for shape {out_dim}x{in_dim}",
                            weights.len(),
                            bias.len()
                        ));
                    }
                    params += n + out_dim;
                    if params > MAX_PARAMS {
                        return invalid("more than 2^26 parameters");
                    }
                }
                Layer::Clip { min, max } if min > max => {
                    return invalid(format!("layer {i} (Clip) has min {min} > max {max}"));
                }
                Layer::ArgMax if i + 1 != self.layers.len() => {
                    return invalid(format!("layer {i} (ArgMax) must be the last layer"));
                }
                Layer::Lanes { ops } => {
                    if ops.len() != width {
                        return invalid(format!("layer {i} (Lanes) has {} lanes for {width} inputs", ops.len()));
                    }
                    let far = ops.iter().enumerate().find_map(|(j, op)| {
                        op.constant().filter(|c| c.unsigned_abs() > lanes::MAX_LANE_CONST as u64).map(|c| (j, c))
                    });
                    if let Some((j, c)) = far {
                        return invalid(format!("layer {i} (Lanes) lane {j} compares with {c}, beyond ±(2^60 - 1)"));
                    }
                }
                Layer::Piecewise(p) => {
                    p.check().map_err(|e| ModelError::Invalid(format!("layer {i} (Piecewise): {e}")))?;
                }
                Layer::PiecewiseSoftmax(p) => {
                    softmax::check(p).map_err(|e| ModelError::Invalid(format!("layer {i} (PiecewiseSoftmax): {e}")))?;
                }
                Layer::Trees(ensemble) => {
                    ensemble.check(width).map_err(|e| ModelError::Invalid(format!("layer {i} (Trees): {e}")))?;
                    params = params.saturating_add(ensemble.num_params());
                    if params > MAX_PARAMS {
                        return invalid("more than 2^26 parameters");
                    }
                }
                _ => {}
            }
            width = layer.out_width(width);
        }
        if self.body_len() == 0 {
            return invalid("the model has no Dense or Trees layer");
        }
        if let Decision::ArgMax { labels } = &self.decision {
            if labels.len() > MAX_WIDTH {
                return invalid(format!("{} class labels; at most {MAX_WIDTH} are allowed", labels.len()));
            }
            if let Some((i, l)) = labels.iter().enumerate().find(|(_, l)| l.len() > codec::MAX_STR) {
                let (len, max) = (l.len(), codec::MAX_STR);
                return invalid(format!("class label {i} is {len} bytes long; at most {max} are allowed"));
            }
        }
        match &self.decision {
            Decision::Threshold { index, .. } if *index >= width => {
                return invalid(format!("decision uses output {index}, the model has {width}"));
            }
            Decision::ArgMax { labels } if !labels.is_empty() && labels.len() != width && !self.ends_in_argmax() => {
                return invalid(format!("{} class labels for {width} outputs", labels.len()));
            }
            _ => {}
        }
        bounds::analyze(self)
    }

    /// Number of layers in the proved body: up to and including the last `Dense` or `Trees`.
    pub fn body_len(&self) -> usize {
        self.layers.iter().rposition(|l| matches!(l, Layer::Dense { .. } | Layer::Trees(_))).map_or(0, |i| i + 1)
    }

    /// The proved layers.
    pub fn body(&self) -> &[Layer] {
        &self.layers[..self.body_len()]
    }

    /// The layers evaluated in public on the body's output.
    pub fn head(&self) -> &[Layer] {
        &self.layers[self.body_len()..]
    }

    /// Width of the body's output (the logits, public in the proof).
    pub fn logits_len(&self) -> usize {
        self.body().iter().fold(self.input_len, |w, l| l.out_width(w))
    }

    /// Width of the final output.
    pub fn output_len(&self) -> usize {
        self.layers.iter().fold(self.input_len, |w, l| l.out_width(w))
    }

    /// Whether the last layer is `ArgMax` (the output is a class index, unscaled).
    pub fn ends_in_argmax(&self) -> bool {
        matches!(self.layers.last(), Some(Layer::ArgMax))
    }

    /// Number of stored constants of all layers (see [`Layer::num_params`]).
    pub fn num_params(&self) -> usize {
        self.layers.iter().map(Layer::num_params).sum()
    }

    /// The model's input range in real units: `input_bound / 2^s`.
    pub fn input_range(&self) -> f64 {
        self.dequantize(self.input_bound)
    }

    /// The domain of input `index`: the declared one, else every value in `±input_bound`.
    pub fn domain(&self, index: usize) -> InputDomain {
        self.input_domains.get(index).unwrap_or(InputDomain::default_for(self.input_bound))
    }

    /// Quantizes input `index` of value `x`: `round_half_away_from_zero(x·2^s)`.
    /// Refuses a non-finite value and one outside the input's domain
    /// ([`EvalError::OutOfRange`], naming the input, its value and the domain in
    /// real units): beyond `±input_bound` or a declared interval once quantized, or,
    /// for a domain of integers, any value that is not one of them.
    pub fn quantize_input(&self, index: usize, x: f64) -> Result<i64, EvalError> {
        match self.quantize_input_clamped(index, x)? {
            (q, false) => Ok(q),
            (_, true) => Err(self.out_of_range(index, x)),
        }
    }

    /// Quantizes one real input and clamps it to its domain's ends: returns the
    /// integer and whether it was clamped. A clamped input is *another* input: a
    /// proof made of it is about the clamped value. Refuses a non-finite value and,
    /// for a domain of integers, a value that is not an integer (that would be
    /// rounding, not clamping).
    pub fn quantize_input_clamped(&self, index: usize, x: f64) -> Result<(i64, bool), EvalError> {
        if !x.is_finite() {
            return Err(EvalError::NonFinite { index });
        }
        let domain = self.domain(index);
        let q = match domain {
            InputDomain::Integers { .. } if x.fract() != 0.0 => return Err(self.out_of_range(index, x)),
            InputDomain::Integers { .. } => x * (1u64 << self.scale_bits) as f64,
            InputDomain::Interval { .. } => libm::round(x * (1u64 << self.scale_bits) as f64),
        };
        let (lo, hi) = domain.lattice(self.scale_bits).ends();
        Ok(if q > hi as f64 {
            (hi, true)
        } else if q < lo as f64 {
            (lo, true)
        } else {
            (q as i64, false)
        })
    }

    fn out_of_range(&self, index: usize, value: f64) -> EvalError {
        EvalError::OutOfRange { index, value, domain: self.domain(index).describe(self.scale_bits) }
    }

    /// Quantizes a real input vector with [`Model::quantize_input`]: checks the
    /// length, and refuses the first value that is not finite or lies outside its
    /// domain.
    pub fn quantize(&self, input: &[f64]) -> Result<Vec<i64>, EvalError> {
        self.check_input_len(input)?;
        input.iter().enumerate().map(|(i, x)| self.quantize_input(i, *x)).collect()
    }

    /// Quantizes a real input vector, clamping values outside their domains to the
    /// domains' ends (explicit opt-in; see [`Model::quantize_input_clamped`]).
    /// Checks the length, that every value is finite and that the values of
    /// integer domains are integers. Returns the integers and the indices of the
    /// values that were clamped.
    pub fn quantize_clamped(&self, input: &[f64]) -> Result<(Vec<i64>, Vec<usize>), EvalError> {
        self.check_input_len(input)?;
        if let Some(index) = input.iter().position(|v| !v.is_finite()) {
            return Err(EvalError::NonFinite { index });
        }
        let mut clamped = Vec::new();
        let mut values = Vec::with_capacity(input.len());
        for (i, x) in input.iter().enumerate() {
            let (q, c) = self.quantize_input_clamped(i, *x)?;
            if c {
                clamped.push(i);
            }
            values.push(q);
        }
        Ok((values, clamped))
    }

    fn check_input_len(&self, input: &[f64]) -> Result<(), EvalError> {
        if input.len() != self.input_len {
            return Err(EvalError::InputLength { expected: self.input_len, got: input.len() });
        }
        Ok(())
    }

    /// The real value of a value at scale `2^s` (an input, a logit).
    pub fn dequantize(&self, v: i64) -> f64 {
        v as f64 / (1u64 << self.scale_bits) as f64
    }

    /// The real value of an integer output (`None`-scaled for an argmax index).
    pub fn dequantize_output(&self, y: i64) -> f64 {
        if self.ends_in_argmax() {
            y as f64
        } else {
            self.dequantize(y)
        }
    }

    /// Applies the decision rule to the final outputs.
    pub fn decide(&self, outputs: &[i64]) -> Verdict {
        match &self.decision {
            Decision::Threshold { index, threshold } => {
                if outputs.get(*index).is_some_and(|y| y >= threshold) {
                    Verdict::Approve
                } else {
                    Verdict::Deny
                }
            }
            Decision::ArgMax { labels } => {
                let index = if self.ends_in_argmax() {
                    // An index that is not a usize names no label.
                    outputs.first().map_or(0, |&i| usize::try_from(i.max(0)).unwrap_or(usize::MAX))
                } else {
                    nonlinear::argmax(outputs)
                };
                Verdict::Class { index, label: labels.get(index).cloned() }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model {
            scale_bits: 4,
            input_len: 3,
            input_bound: 4 << 4,
            input_domains: Default::default(),
            layers: vec![Layer::Dense { in_dim: 3, out_dim: 2, weights: vec![1; 6], bias: vec![0; 2] }],
            decision: Decision::ArgMax { labels: vec!["a".into(), "b".into()] },
        }
    }

    #[test]
    fn quantize_refuses_out_of_range_inputs_and_quantize_clamped_clamps_them() {
        let m = model();
        assert_eq!(m.input_range(), 4.0);
        // The range is closed, and judged after rounding (half away from zero):
        // (4 + 1/64)·16 = 64.25 rounds to the bound, (4 + 1/32)·16 = 64.5 beyond it.
        assert_eq!(m.quantize(&[4.0, -4.0, 4.0 + 1.0 / 64.0]), Ok(vec![64, -64, 64]));
        let over = EvalError::OutOfRange { index: 1, value: -4.03125, domain: "[-4, 4]".into() };
        assert_eq!(m.quantize(&[0.0, -4.0 - 1.0 / 32.0, 1e30]), Err(over));
        let err = m.quantize(&[-1e30, 0.0, 0.0]).unwrap_err();
        assert_eq!(err.to_string(), "input 0 is -1e30, outside its domain [-4, 4]");
        assert_eq!(format_real(4.0625), "4.0625");
        assert_eq!(format_real(1e-9), "1e-9");
        assert_eq!(format_real(0.0), "0");
        assert_eq!(m.quantize(&[0.0, f64::NAN, 1e30]), Err(EvalError::NonFinite { index: 1 }));
        assert_eq!(m.quantize(&[0.0]), Err(EvalError::InputLength { expected: 3, got: 1 }));
        assert_eq!(m.quantize_input(2, f64::INFINITY), Err(EvalError::NonFinite { index: 2 }));
        // Clamping is explicit and reports what it clamped.
        assert_eq!(m.quantize_clamped(&[0.5, 1e30, -5.0]), Ok((vec![8, 64, -64], vec![1, 2])));
        assert_eq!(m.quantize_clamped(&[0.5, 0.0, f64::NEG_INFINITY]), Err(EvalError::NonFinite { index: 2 }));
        assert_eq!(m.quantize_input_clamped(0, -1e300), Ok((-64, true)));
    }

    #[test]
    fn declared_domains_narrow_what_quantize_accepts() {
        let mut m = model();
        m.input_domains.insert(0, InputDomain::Interval { lo: 0, hi: 16 });
        m.input_domains.insert(2, InputDomain::Integers { lo: 0, hi: 1 });
        m.validate().unwrap();
        assert_eq!(m.quantize(&[0.5, -4.0, 1.0]), Ok(vec![8, -64, 16]));
        assert_eq!(m.quantize(&[1.0 + 1.0 / 64.0, 0.0, 0.0]), Ok(vec![16, 0, 0]));
        let err = m.quantize(&[-0.25, 0.0, 0.0]).unwrap_err();
        assert_eq!(err.to_string(), "input 0 is -0.25, outside its domain [0, 1]");
        // An integer domain takes integers only, clamped or not.
        let err = m.quantize(&[0.0, 0.0, 0.5]).unwrap_err();
        assert_eq!(err.to_string(), "input 2 is 0.5, outside its domain 0 or 1");
        assert_eq!(m.quantize(&[0.0, 0.0, 2.0]).unwrap_err().to_string(), "input 2 is 2, outside its domain 0 or 1");
        assert_eq!(m.quantize_clamped(&[0.0, 0.0, 0.5]), Err(m.quantize(&[0.0, 0.0, 0.5]).unwrap_err()));
        assert_eq!(m.quantize_clamped(&[7.0, 9.0, 5.0]), Ok((vec![16, 64, 16], vec![0, 1, 2])));
        // The evaluator refuses a quantized input outside its domain: 8 is no k·2^4.
        assert!(m.eval(&[0, 0, 16]).is_ok());
        let err = m.eval(&[0, 0, 8]).unwrap_err();
        assert_eq!(err.to_string(), "input 2 is 8 at scale 2^4, outside its domain 0 or 1");
        assert!(m.eval(&[17, 0, 0]).is_err());
        // Validation: declared domains lie inside ±input_bound, are not the default,
        // and name existing inputs.
        for (index, domain) in [
            (0, InputDomain::Interval { lo: -65, hi: 0 }),
            (0, InputDomain::Integers { lo: 0, hi: 5 }),
            (0, InputDomain::default_for(64)),
            (3, InputDomain::Integers { lo: 0, hi: 1 }),
            (1, InputDomain::Interval { lo: 2, hi: 2 }),
        ] {
            let mut bad = model();
            bad.input_domains.insert(index, domain);
            assert!(bad.validate().is_err(), "{index} {domain:?}");
        }
    }

    #[test]
    fn validate_enforces_the_codec_limits() {
        let long = "x".repeat(codec::MAX_STR + 1);
        let at_limit = "y".repeat(codec::MAX_STR);
        let mut m = model();
        m.decision = Decision::ArgMax { labels: vec![at_limit.clone(), "b".into()] };
        m.validate().unwrap();
        assert_eq!(codec::decode(&codec::encode(&m)), Ok(m.clone()));
        let mut bad = m.clone();
        bad.decision = Decision::ArgMax { labels: vec!["a".into(), long.clone()] };
        assert!(bad.validate().unwrap_err().to_string().contains("class label 1 is 257 bytes long; at most 256"));
        // Before validation enforced it, such a model encoded to bytes no decoder accepts.
        assert!(codec::decode(&codec::encode(&bad)).is_err());
        // A model ending in ArgMax takes any number of labels, but not more than a key can hold.
        let mut many = m.clone();
        many.layers.push(Layer::ArgMax);
        many.decision = Decision::ArgMax { labels: vec![String::new(); MAX_WIDTH + 1] };
        assert!(many.validate().unwrap_err().to_string().contains("class labels; at most"));
    }

    #[test]
    fn decide_on_an_argmax_index_that_is_no_usize() {
        let mut m = model();
        m.layers.push(Layer::ArgMax);
        assert_eq!(m.decide(&[1]), Verdict::Class { index: 1, label: Some("b".into()) });
        assert_eq!(m.decide(&[-5]), Verdict::Class { index: 0, label: Some("a".into()) });
        let huge = m.decide(&[i64::MAX]);
        assert!(matches!(huge, Verdict::Class { label: None, .. }), "{huge:?}");
    }
}
