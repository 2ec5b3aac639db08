//! The circuit compiler: the body of an integer [`Model`] as an R1CS instance.
//!
//! The statement is "the body of the model maps the public input to the public
//! logits" under the exact integer semantics of [`crate::frontend::model`]. The design,
//! with the soundness argument of every gadget, is in `docs/PROTOCOL.md`
//! (section "Circuit"); in short:
//!
//! * Values flow as *linear combinations* (LCs) of `z` columns. A `Dense` layer
//!   has constant weights, so its accumulators are LCs and cost no
//!   multiplication gate.
//! * Every requantization `acc + 2^(s-1) = q·2^s + r` is one bit decomposition
//!   of `acc + 2^(s-1) + 2^(s+n-1)` into `s + n` bits (booleanity `b·b = b` for
//!   each, one linear "sum" row): the low `s` bits are `r`, the high `n` bits are
//!   `q + 2^(n-1)`, which range-checks both. `n` comes from [`bounds::analyze`].
//! * `ReLU` is one product `y = sign·x`, the sign being the top bit of a
//!   decomposition (the requantization's when the input comes from a `Dense`).
//!   `LeakyReLU` and `Clip` are select gadgets built the same way.
//! * A `Lanes` comparison `x ≥ c` / `x < c` is the top bit of a decomposition of
//!   `x − c` (the range check proves the bit is the true sign); an equality
//!   `x = c` is the is-zero gadget `(x − c)·inv = 1 − e`, `(x − c)·e = 0`.
//! * A `PiecewiseSoftmax` layer proves its maximum (every `x_i − m` in `[−2B, 0]` by
//!   the exponential's interval checks, and `Π (x_i − m) = 0`), its exponentials as a
//!   `Piecewise` gadget without the rounding, their sum, and each output by an exact
//!   division `2^(s+1)·A_i + S = 2S·y_i + r_i` with range-checked `y_i` and `r_i`.
//! * A `Trees` layer proves, for each compared feature, which interval between
//!   consecutive thresholds holds it (a thermometer code of comparison bits and
//!   two range checks), then selects each tree's path with one product per split
//!   below the root; its outputs are sums of leaf values times path indicators.
//! * The public inputs (per [`InputVisibility`]) and the logits are the public
//!   values, in that order. Each hidden (private or committed) input is a witness
//!   column (the first columns, in input order), checked to lie in its domain
//!   ([`crate::frontend::model::domain`]), the progression `x = step·(start + k)`,
//!   `0 ≤ k ≤ span`: by one decomposition `x/step − start = Σ_{k<w−1} b_k·2^k +
//!   b_{w−1}·D` with `w` = [`domain_bits`] and `D = span + 1 − 2^(w−1)` (the low
//!   bits cover `[0, 2^(w−1))`, the top bit shifts that window to end at `span`,
//!   and the two windows overlap, so the values reachable are exactly
//!   `[0, span]`); or, for a domain of two values `a`, `b`, by the one row
//!   `(x − a)·(x − b) = 0`. The default domain `±B` is `step = 1`, `start = −B`,
//!   `span = 2B`. A hidden input of the default domain that a first `Trees` or
//!   `Piecewise` layer compares has no check of its own: that layer's interval
//!   checks prove `|x| ≤ B` already.
//!
//! Every constraint row and witness column carries a [`Label`] (layer, neuron,
//! role) so that a failing row can be named.
//!
//! **Size limits.** [`circuit_size`] computes the circuit's size from the model
//! before anything is built, and [`compile_with`] refuses a circuit above
//! [`MAX_CONSTRAINTS`], [`MAX_WITNESS`], [`MAX_PUBLIC`] or [`MAX_NONZEROS`]
//! ([`CircuitError::TooLarge`]) before allocating it; the builder enforces the
//! same limits as it goes.

mod builder;
mod size;
#[cfg(feature = "prover")]
mod witness;

pub use size::{circuit_size, CircuitSize, MAX_CONSTRAINTS, MAX_NONZEROS, MAX_PUBLIC, MAX_WITNESS};

use ark_bn254::Fr;

use crate::frontend::model::domain::Lattice;
use crate::frontend::model::{bounds, Layer, Model, ModelError};
use crate::frontend::visibility::{InputVisibility, Visibility};
use crate::snark::r1cs::{fr_from_i64, R1cs};

/// A bit decomposition gadget: which signed value is split into bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decomposition {
    /// `acc + 2^(s-1)` of a `Dense` neuron: low `s` bits are the remainder,
    /// the high bits the (offset) requantized output.
    Requantize,
    /// The input of a `ReLU`/`LeakyReLU` that does not come from a `Dense`;
    /// only its top (sign) bit is used.
    Sign,
    /// `alpha·x + 2^(s-1)` of a `LeakyReLU`: requantization of the negative branch.
    LeakyRequantize,
    /// `max - x` of a `Clip`; its sign says whether `x ≤ max`.
    ClipUpper,
    /// `min(x, max) - min` of a `Clip`; its sign says whether the value is `≥ min`.
    ClipLower,
    /// `x/step − start` of a hidden input (its domain's progression), with a top bit
    /// of weight `span + 1 − 2^(w−1)`: proves that `x` lies in its domain.
    InputRange,
    /// `x - c` of a `Lanes` comparison (`x ≥ c` or `x < c`); its sign is the answer.
    Compare,
    /// `x − lo` of a `Trees` feature `x` (label neuron: the feature), `lo` the
    /// lowest value of the threshold interval its comparison bits name: proves `x ≥ lo`.
    IntervalLower,
    /// `hi − x` of a `Trees` feature, `hi` the highest value of its interval: proves `x ≤ hi`.
    IntervalUpper,
    /// The output `y` of a `PiecewiseSoftmax` element as `s + 1` bits (no sum row: `y`
    /// is their weighted sum), which proves `0 ≤ y < 2^(s+1)`.
    SoftmaxOutput,
    /// The remainder `r = 2^(s+1)·A + S − 2·y·S` of a `PiecewiseSoftmax` division,
    /// with top weight `2^(k−1)`: proves `r ≥ 0`.
    SoftmaxRemainder,
    /// `2S − 1 − r` of a `PiecewiseSoftmax` division: proves `r < 2S`.
    SoftmaxRemainderUpper,
}

impl core::fmt::Display for Decomposition {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Decomposition::Requantize => "requantization",
            Decomposition::Sign => "sign decomposition",
            Decomposition::LeakyRequantize => "LeakyReLU requantization",
            Decomposition::ClipUpper => "Clip upper-bound difference",
            Decomposition::ClipLower => "Clip lower-bound difference",
            Decomposition::InputRange => "hidden input range check",
            Decomposition::Compare => "comparison difference",
            Decomposition::IntervalLower => "threshold interval lower difference",
            Decomposition::IntervalUpper => "threshold interval upper difference",
            Decomposition::SoftmaxOutput => "softmax output",
            Decomposition::SoftmaxRemainder => "softmax division remainder",
            Decomposition::SoftmaxRemainderUpper => "softmax division remainder's distance below 2S",
        })
    }
}

/// What a witness column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Bit `k` (weight `2^k`) of a `width`-bit decomposition of `value + 2^(width-1)`.
    Bit {
        /// The decomposed value.
        of: Decomposition,
        /// Bit index.
        k: u32,
        /// Number of bits of the decomposition.
        width: u32,
    },
    /// A `ReLU` output.
    Relu,
    /// A `LeakyReLU` output.
    LeakyRelu,
    /// `max(max - x, 0)`, what a `Clip` cuts off above.
    ClipExcess,
    /// A `Clip` output (when its lower bound can bind).
    Clip,
    /// A copy of the layer's input number `neuron` (a long LC collapsed to one column
    /// before a `Dense` layer reads it).
    Copy,
    /// The private model input number `neuron` (label layer 0).
    Input,
    /// `(x - c)^(-1)` of a `Lanes` equality, `0` when `x = c`.
    EqualInverse,
    /// `1` if `x = c` in a `Lanes` equality, else `0`.
    Equal,
    /// `1` if feature `neuron` of a `Trees` layer is `≤ threshold`, else `0`.
    Comparison {
        /// The threshold (scale `2^s`).
        threshold: i64,
    },
    /// `1` if tree `neuron`'s path takes the left branch of `split`, else `0`.
    TreePath {
        /// The split's index in its tree.
        split: u32,
    },
    /// Output `neuron` of a `Trees` layer.
    TreeSum,
    /// `x·a_j` of element `neuron` of a `Piecewise` layer (`a_j` its segment's slope);
    /// of a `PiecewiseSoftmax` layer, `(x − max)·a_j`.
    PiecewiseProduct,
    /// The maximum of a `PiecewiseSoftmax` layer's inputs (label neuron 0).
    SoftmaxMax,
    /// `Π_{i≤neuron} (x_i − max)`, a partial product of a `PiecewiseSoftmax` layer.
    SoftmaxChain,
    /// The sum `S` of a `PiecewiseSoftmax` layer's exponentials (label neuron 0).
    SoftmaxSum,
    /// `y·S` of output `neuron` of a `PiecewiseSoftmax` layer.
    SoftmaxDivision,
}

impl core::fmt::Display for Column {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Column::Bit { of, k, .. } => write!(f, "bit {k} of the {of}"),
            Column::Relu => f.write_str("ReLU output"),
            Column::LeakyRelu => f.write_str("LeakyReLU output"),
            Column::ClipExcess => f.write_str("Clip excess above max"),
            Column::Clip => f.write_str("Clip output"),
            Column::Copy => f.write_str("copy of the layer input"),
            Column::Input => f.write_str("private model input"),
            Column::EqualInverse => f.write_str("inverse of the equality difference"),
            Column::Equal => f.write_str("equality bit"),
            Column::Comparison { threshold } => write!(f, "comparison bit x ≤ {threshold}"),
            Column::TreePath { split } => write!(f, "path bit of the left branch of split {split}"),
            Column::TreeSum => f.write_str("tree ensemble output"),
            Column::PiecewiseProduct => f.write_str("piecewise slope product"),
            Column::SoftmaxMax => f.write_str("softmax maximum"),
            Column::SoftmaxChain => f.write_str("softmax product of the differences from the maximum"),
            Column::SoftmaxSum => f.write_str("softmax sum of the exponentials"),
            Column::SoftmaxDivision => f.write_str("softmax output times the sum"),
        }
    }
}

/// What a constraint row enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Constraint {
    /// `b·b = b` for bit `k` of a decomposition.
    Boolean {
        /// The decomposed value.
        of: Decomposition,
        /// Bit index.
        k: u32,
    },
    /// `(value + 2^(width-1))·1 = Σ 2^k·b_k`.
    Sum {
        /// The decomposed value.
        of: Decomposition,
    },
    /// `sign·x = y`.
    Relu,
    /// `sign·(x - q) = y - q` with `q` the requantized `alpha·x`.
    LeakyRelu,
    /// `sign·(max - x) = excess`.
    ClipExcess,
    /// `sign·(u - min) = y - min` with `u = max - excess`.
    Clip,
    /// `copy·1 = LC`.
    Copy,
    /// `q·1 = logit`: the last body layer's output equals its public column.
    Logit,
    /// `(x − a)·(x − b) = 0`: a hidden input whose domain has the two values `a`, `b`
    /// (label neuron: the input) is one of them.
    InputChoice,
    /// `(x - c)·inv = 1 - e` of a `Lanes` equality.
    EqualInverse,
    /// `(x - c)·e = 0` of a `Lanes` equality.
    EqualZero,
    /// `b·b = b` for the comparison bit of `threshold` (label neuron: the feature).
    ComparisonBoolean {
        /// The threshold.
        threshold: i64,
    },
    /// `(b − b')·(b − b') = b − b'` for the bit `b` of `threshold` and the bit `b'`
    /// of the threshold before it: the step between them is 0 or 1.
    ComparisonStep {
        /// The higher of the two thresholds.
        threshold: i64,
    },
    /// `I·b = p`: the indicator of `split` (of tree `neuron`) times its comparison bit.
    TreePath {
        /// The split's index in its tree.
        split: u32,
    },
    /// `(base + Σ value·indicator)·1 = y` for output `neuron` of a `Trees` layer.
    TreeSum,
    /// `x·a(b) = m`: an element of a `Piecewise` layer times its segment's slope.
    PiecewiseProduct,
    /// `c·(x_neuron − max) = c'` (`= 0` for the last): the product of the differences
    /// from a `PiecewiseSoftmax` maximum is 0, so the maximum is one of the inputs.
    SoftmaxMax,
    /// `S·1 = Σ A_i`: the sum of a `PiecewiseSoftmax` layer's exponentials.
    SoftmaxSum,
    /// `y·S = P`: output `neuron` of a `PiecewiseSoftmax` layer times the sum.
    SoftmaxDivision,
}

impl core::fmt::Display for Constraint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Constraint::Boolean { of, k } => write!(f, "booleanity of bit {k} of the {of}"),
            Constraint::Sum { of } => write!(f, "bit-sum relation of the {of}"),
            Constraint::Relu => f.write_str("ReLU product y = sign·x"),
            Constraint::LeakyRelu => f.write_str("LeakyReLU select y - q = sign·(x - q)"),
            Constraint::ClipExcess => f.write_str("Clip upper product excess = sign·(max - x)"),
            Constraint::Clip => f.write_str("Clip lower product y - min = sign·(u - min)"),
            Constraint::Copy => f.write_str("copy of the layer input"),
            Constraint::Logit => f.write_str("logit equality with the public value"),
            Constraint::InputChoice => f.write_str("hidden input is one of its domain's two values"),
            Constraint::EqualInverse => f.write_str("equality inverse (x - c)·inv = 1 - e"),
            Constraint::EqualZero => f.write_str("equality product (x - c)·e = 0"),
            Constraint::ComparisonBoolean { threshold } => {
                write!(f, "booleanity of the comparison bit x ≤ {threshold}")
            }
            Constraint::ComparisonStep { threshold } => {
                write!(f, "step of the comparison bits up to x ≤ {threshold} (0 or 1)")
            }
            Constraint::TreePath { split } => write!(f, "path product of split {split}"),
            Constraint::TreeSum => f.write_str("tree ensemble output sum"),
            Constraint::PiecewiseProduct => f.write_str("piecewise slope product x·a(b) = m"),
            Constraint::SoftmaxMax => f.write_str("softmax maximum product Π (x_i − max) = 0"),
            Constraint::SoftmaxSum => f.write_str("softmax sum S = Σ A_i"),
            Constraint::SoftmaxDivision => f.write_str("softmax division product y·S = P"),
        }
    }
}

/// Where a row or column comes from: the body layer, the neuron (output index of
/// that layer, or input index for [`Column::Copy`]) and its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label<R> {
    /// Index of the layer in `model.layers`.
    pub layer: u32,
    /// Neuron index within the layer.
    pub neuron: u32,
    /// The role: [`Column`] for witness columns, [`Constraint`] for rows.
    pub role: R,
}

impl<R: core::fmt::Display> core::fmt::Display for Label<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "layer {} neuron {}: {}", self.layer, self.neuron, self.role)
    }
}

/// Why a model cannot be compiled, or a witness not built or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CircuitError {
    /// The model is not well formed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The circuit exceeds a size limit of the proof system (or of a verifier's
    /// budget); detected from the model before the circuit is built.
    #[error("the model's circuit is too large: {value} {what}, above the limit of {limit}")]
    TooLarge {
        /// What is counted: constraints, witness values, public values or nonzero matrix entries.
        what: &'static str,
        /// The count (when the builder stops, the count it reached).
        value: u64,
        /// The largest accepted count.
        limit: u64,
    },
    /// A body layer has no gadget.
    #[error("layer {layer} ({op}) cannot be proved: {reason}")]
    Unsupported {
        /// Layer index.
        layer: usize,
        /// Operator name.
        op: &'static str,
        /// Why, and what to do instead.
        reason: &'static str,
    },
    /// The trace (or model) handed to witness generation does not fit the circuit.
    #[error("the trace does not fit the circuit: {0}")]
    Trace(String),
    /// A traced value falls outside the range the circuit decomposes: the
    /// evaluator and the bounds analysis disagree.
    #[error("layer {layer} neuron {neuron}: the {of} {value} does not fit its {width}-bit range")]
    OutOfRange {
        /// Layer index.
        layer: u32,
        /// Neuron index.
        neuron: u32,
        /// The decomposition.
        of: Decomposition,
        /// The offset value `value + 2^(width-1)` that should lie in `[0, 2^width)`.
        value: i128,
        /// Its bit width.
        width: u32,
    },
    /// The assignment has the wrong number of values.
    #[error("the circuit takes {public} public and {witness} witness values, got {got_public} and {got_witness}")]
    Length {
        /// Expected public values.
        public: usize,
        /// Expected witness values.
        witness: usize,
        /// Given public values.
        got_public: usize,
        /// Given witness values.
        got_witness: usize,
    },
    /// A constraint is not satisfied.
    #[error("{label} fails (constraint {row})")]
    Unsatisfied {
        /// The row index.
        row: usize,
        /// What the row enforces.
        label: Label<Constraint>,
    },
}

/// The R1CS of a model body with the debug map from rows and witness columns
/// to `(layer, neuron, role)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Circuit {
    /// The constraint system; public values are the input then the logits.
    pub r1cs: R1cs,
    /// One label per constraint row.
    rows: Vec<Label<Constraint>>,
    /// One label per witness column (witness index, not `z` column).
    columns: Vec<Label<Column>>,
}

impl Circuit {
    /// Label of constraint `row`.
    pub fn row_label(&self, row: usize) -> Option<Label<Constraint>> {
        self.rows.get(row).copied()
    }

    /// Label of witness value `index` (`z` column `1 + num_public + index`).
    pub fn column_label(&self, index: usize) -> Option<Label<Column>> {
        self.columns.get(index).copied()
    }

    /// All row labels, in row order.
    pub fn row_labels(&self) -> &[Label<Constraint>] {
        &self.rows
    }

    /// All witness column labels, in witness order.
    pub fn column_labels(&self) -> &[Label<Column>] {
        &self.columns
    }
}

/// The public values: the public inputs (`public_input`, already filtered by the
/// visibility), then the logits.
pub fn public_values(public_input: &[i64], logits: &[i64]) -> Vec<Fr> {
    public_input.iter().chain(logits).map(|v| fr_from_i64(*v)).collect()
}

/// Width `w` of the range check of a hidden input whose domain spans `span ≥ 2`
/// steps: the bit length of `span`, so that `2^(w−1) ≤ span < 2^w`.
pub fn domain_bits(span: u64) -> u32 {
    64 - span.leading_zeros()
}

/// Weight `D = span + 1 − 2^(w−1)` of the top bit of a hidden input's range check
/// (see the module docs); `1 ≤ D ≤ 2^(w−1)`.
pub fn domain_top_weight(span: u64) -> i128 {
    i128::from(span) + 1 - (1i128 << (domain_bits(span) - 1))
}

/// Compiles the body of `model` with every input public (the circuit of format
/// version 1): [`compile_with`] for [`InputVisibility::all`] public.
pub fn compile(model: &Model) -> Result<Circuit, CircuitError> {
    compile_with(model, &InputVisibility::all(Visibility::Public, model.input_len))
}

/// Compiles the body of `model` (validated here) into a [`Circuit`] whose public
/// values are the inputs `visibility` marks public, then the logits.
///
/// Deterministic: the same model and visibility give the same R1CS, row for row.
/// Supported body layers: `Dense`, `Relu`, `LeakyRelu`, `Clip`, `Lanes`, `Trees`, `Piecewise`,
/// `PiecewiseSoftmax`; `Sigmoid`, `Tanh`, `Softmax` are only supported in the head (after the
/// last `Dense` or `Trees`).
///
/// Refuses a model with an unprovable body layer, or whose circuit exceeds the
/// limits of [`CircuitSize::check_limits`], before building anything.
pub fn compile_with(model: &Model, visibility: &InputVisibility) -> Result<Circuit, CircuitError> {
    let (layer_bounds, size) = checked_size(model, visibility)?;
    let num_public_inputs = visibility.num_public();
    let num_public = num_public_inputs + model.logits_len();
    let mut b = builder::Builder::new(model.scale_bits, num_public, &size);
    let mut wires: Vec<Option<builder::Wire>> = vec![None; model.input_len];
    for (j, i) in visibility.public_indices().enumerate() {
        wires[i] = Some(b.public_wire(j));
    }
    let hidden: Vec<usize> = visibility.hidden_indices().collect();
    for (i, wire) in b.private_inputs(&hidden, &input_checks(model, &layer_bounds))? {
        wires[i] = Some(wire);
    }
    let mut wires: Vec<builder::Wire> =
        wires.into_iter().map(|w| w.expect("every input is public or hidden")).collect();
    for (index, (layer, lb)) in model.body().iter().zip(&layer_bounds).enumerate() {
        // Layer counts and widths are bounded by MAX_LAYERS and MAX_WIDTH (< 2^32).
        let l = index as u32;
        wires = match layer {
            Layer::Dense { in_dim, weights, bias, .. } => {
                b.dense(l, *in_dim, weights, bias, wires, bounds::signed_bits(lb.output))?
            }
            Layer::Relu => b.relu(l, wires, lb.input)?,
            Layer::LeakyRelu { alpha } => b.leaky_relu(l, wires, lb.input, *alpha)?,
            Layer::Clip { min, max } => b.clip(l, wires, lb.input, *min, *max)?,
            Layer::Lanes { ops } => b.lanes(l, ops, wires, lb.input)?,
            Layer::Trees(ensemble) => b.trees(l, ensemble, wires, lb.input)?,
            Layer::Piecewise(p) => b.piecewise(l, p, wires, lb.input, bounds::signed_bits(lb.output))?,
            Layer::PiecewiseSoftmax(p) => b.softmax(l, p, wires, lb.input)?,
            Layer::Sigmoid | Layer::Tanh | Layer::Softmax | Layer::ArgMax => {
                return Err(CircuitError::Unsupported { layer: index, op: layer.name(), reason: BODY_ONLY_AFTER_DENSE })
            }
        };
    }
    let last = (model.body_len() - 1) as u32;
    for (j, wire) in wires.iter().enumerate() {
        b.logit(last, j as u32, wire, num_public_inputs + j)?;
    }
    Ok(b.finish())
}

/// Per model input, the domain a hidden input's range check proves, as its
/// progression; `None` for an input of the default domain that the first body layer
/// bounds to `±input_bound` with its own interval checks (`builder/thresholds.rs`):
/// a feature a `Trees` layer compares, any input of a `Piecewise` layer.
fn input_checks(model: &Model, layer_bounds: &[bounds::LayerBounds]) -> Vec<Option<Lattice>> {
    let mut ranged = vec![false; model.input_len];
    if layer_bounds.first().is_some_and(|b| b.input == i128::from(model.input_bound)) {
        match model.body().first() {
            Some(Layer::Trees(ensemble)) => {
                for (feature, _) in ensemble.thresholds_by_feature() {
                    ranged[feature as usize] = true;
                }
            }
            Some(Layer::Piecewise(_)) => ranged.fill(true),
            _ => {}
        }
    }
    (0..model.input_len)
        .map(|i| {
            let declared = model.input_domains.get(i).is_some();
            (declared || !ranged[i]).then(|| model.domain(i).lattice(model.scale_bits))
        })
        .collect()
}

/// Whether `model` can be proved with `visibility`, without building anything:
/// the checks [`compile_with`] makes before it builds (the model is valid, its
/// bounds fit, every body layer has a gadget, the circuit is within the size
/// limits). Returns the circuit's size, or the first check that fails.
pub fn check_provable(model: &Model, visibility: &InputVisibility) -> Result<CircuitSize, CircuitError> {
    checked_size(model, visibility).map(|(_, size)| size)
}

/// [`check_provable`], also returning the layer bounds the builder needs.
fn checked_size(
    model: &Model,
    visibility: &InputVisibility,
) -> Result<(Vec<bounds::LayerBounds>, CircuitSize), CircuitError> {
    let layer_bounds = model.validate_with_bounds()?;
    visibility.check_len(model.input_len).map_err(|e| CircuitError::Trace(e.to_string()))?;
    if let Some((index, layer)) = model.body().iter().enumerate().find(|(_, l)| !is_provable(l)) {
        return Err(CircuitError::Unsupported { layer: index, op: layer.name(), reason: BODY_ONLY_AFTER_DENSE });
    }
    let size = size::size_with_bounds(model, visibility, &layer_bounds);
    size.check_limits()?;
    Ok((layer_bounds, size))
}

/// Why a layer without a gadget cannot be in the body.
const BODY_ONLY_AFTER_DENSE: &str =
    "it has no circuit gadget, so it is only allowed after the last Dense (or Trees) layer, \
where the verifier evaluates it on the public logits";

/// Whether a body layer has a gadget.
fn is_provable(layer: &Layer) -> bool {
    matches!(
        layer,
        Layer::Dense { .. }
            | Layer::Relu
            | Layer::LeakyRelu { .. }
            | Layer::Clip { .. }
            | Layer::Lanes { .. }
            | Layer::Trees(_)
            | Layer::Piecewise(_)
            | Layer::PiecewiseSoftmax(_)
    )
}

#[cfg(test)]
mod tests;
