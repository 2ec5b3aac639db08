//! Witness generation from the evaluator's trace, and the labelled satisfiability check.
//!
//! Every witness column is computed from its [`Label`] and the [`Trace`] of the
//! reference evaluator alone, never from the constraints, so a disagreement
//! between the evaluator and the circuit shows up as the first failing row.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use super::builder::softmax::exp_range;
use super::builder::thresholds::interval_ends;
use super::{Circuit, CircuitError, Column, Decomposition, Label};
use crate::frontend::model::bounds::{self, Interval, LayerBounds};
use crate::frontend::model::lanes::LaneOp;
use crate::frontend::model::trees::TreeEnsemble;
use crate::frontend::model::{Layer, Model, Trace};
use crate::snark::r1cs::{fr_from_i128, fr_from_i64, R1cs};

fn trace_err<T>(msg: String) -> Result<T, CircuitError> {
    Err(CircuitError::Trace(msg))
}

/// `1` for true, `0` for false.
fn bit(b: bool) -> Fr {
    if b {
        Fr::ONE
    } else {
        Fr::ZERO
    }
}

/// Value number `neuron` of a vector, or a trace error.
fn at(values: &[i64], layer: u32, neuron: u32, what: &str) -> Result<i64, CircuitError> {
    match values.get(neuron as usize) {
        Some(v) => Ok(*v),
        None => trace_err(format!("layer {layer} has no {what} {neuron}")),
    }
}

/// The input vector of `layer`: the model input or the previous layer's output.
fn layer_input(trace: &Trace, layer: u32) -> Result<&[i64], CircuitError> {
    match layer.checked_sub(1) {
        None => Ok(&trace.input),
        Some(prev) => match trace.layers.get(prev as usize) {
            Some(t) => Ok(&t.output),
            None => trace_err(format!("the trace has no layer {prev}")),
        },
    }
}

fn layer_output(trace: &Trace, layer: u32, neuron: u32) -> Result<i64, CircuitError> {
    match trace.layers.get(layer as usize) {
        Some(t) => at(&t.output, layer, neuron, "output"),
        None => trace_err(format!("the trace has no layer {layer}")),
    }
}

/// The `(min, max)` of a `Clip` layer.
fn clip_bounds(model: &Model, layer: u32) -> Result<(i128, i128), CircuitError> {
    match model.layers.get(layer as usize) {
        Some(Layer::Clip { min, max }) => Ok((*min as i128, *max as i128)),
        _ => trace_err(format!("layer {layer} of the model is not the circuit's Clip")),
    }
}

/// The operation of lane `neuron` of the `Lanes` layer `layer`.
fn lane_op(model: &Model, layer: u32, neuron: u32) -> Result<LaneOp, CircuitError> {
    match model.layers.get(layer as usize) {
        Some(Layer::Lanes { ops }) => match ops.get(neuron as usize) {
            Some(op) => Ok(*op),
            None => trace_err(format!("layer {layer} has no lane {neuron}")),
        },
        _ => trace_err(format!("layer {layer} of the model is not the circuit's Lanes")),
    }
}

/// `x − c` of lane `neuron` of the `Lanes` layer `layer`.
fn lane_difference(model: &Model, trace: &Trace, layer: u32, neuron: u32) -> Result<i128, CircuitError> {
    let x = at(layer_input(trace, layer)?, layer, neuron, "input")?;
    match lane_op(model, layer, neuron)?.constant() {
        Some(c) => Ok(i128::from(x) - i128::from(c)),
        None => trace_err(format!("lane {neuron} of layer {layer} compares nothing")),
    }
}

/// The ensemble of the `Trees` layer `layer`.
fn ensemble(model: &Model, layer: u32) -> Result<&TreeEnsemble, CircuitError> {
    match model.layers.get(layer as usize) {
        Some(Layer::Trees(e)) => Ok(e),
        _ => trace_err(format!("layer {layer} of the model is not the circuit's Trees")),
    }
}

/// `(x − lo, hi − x)` for input `neuron` of the `Trees` or `Piecewise` layer `layer`:
/// `[lo, hi]` is the interval between consecutive thresholds that holds `x`. `bounds` caches
/// the model facts it needs (the interval ends depend on the layer's input bound).
fn interval_differences(
    model: &Model,
    trace: &Trace,
    layer: u32,
    neuron: u32,
    facts: &mut ModelFacts,
) -> Result<(i128, i128), CircuitError> {
    let ts: Vec<i64> = match model.layers.get(layer as usize) {
        Some(Layer::Trees(e)) => {
            if facts.thresholds.as_ref().map(|(l, _)| *l) != Some(layer) {
                facts.thresholds = Some((layer, e.thresholds()));
            }
            let pairs = facts.thresholds.as_ref().map_or(&[][..], |(_, p)| &p[..]);
            let start = pairs.partition_point(|(f, _)| *f < neuron);
            let end = pairs.partition_point(|(f, _)| *f <= neuron);
            pairs[start..end].iter().map(|(_, t)| *t).collect()
        }
        Some(Layer::Piecewise(p) | Layer::PiecewiseSoftmax(p)) => p.breakpoints.clone(),
        _ => return trace_err(format!("layer {layer} of the model has no thresholds")),
    };
    let x = compared(model, trace, layer, neuron, facts)?;
    let bounds = match &mut facts.bounds {
        Some(b) => b,
        empty => empty.insert(bounds::analyze(model)?),
    };
    let Some(b) = bounds.get(layer as usize) else { return trace_err(format!("the model has no layer {layer}")) };
    let range = match model.layers.get(layer as usize) {
        Some(Layer::PiecewiseSoftmax(_)) => exp_range(b.input),
        _ => Interval::symmetric(b.input),
    };
    // x lies in interval j, j being the number of thresholds below x.
    let j = ts.partition_point(|t| i128::from(*t) < x);
    let (lo, hi) = interval_ends(&ts, range)[j];
    Ok((x - lo, hi - x))
}

/// The value input `neuron` of layer `layer` compares with thresholds: the input
/// itself, or for a `PiecewiseSoftmax` its difference from the maximum.
fn compared(
    model: &Model,
    trace: &Trace,
    layer: u32,
    neuron: u32,
    facts: &mut ModelFacts,
) -> Result<i128, CircuitError> {
    let x = i128::from(at(layer_input(trace, layer)?, layer, neuron, "input")?);
    match model.layers.get(layer as usize) {
        Some(Layer::PiecewiseSoftmax(_)) => Ok(x - softmax_facts(trace, layer, facts)?.max),
        _ => Ok(x),
    }
}

/// The maximum and the sum of the exponentials of the `PiecewiseSoftmax` layer `layer`.
#[derive(Clone, Copy)]
struct SoftmaxFacts {
    layer: u32,
    max: i128,
    sum: i128,
}

/// [`SoftmaxFacts`] of `layer`, computed once per layer.
fn softmax_facts(trace: &Trace, layer: u32, facts: &mut ModelFacts) -> Result<SoftmaxFacts, CircuitError> {
    if let Some(f) = facts.softmax.filter(|f| f.layer == layer) {
        return Ok(f);
    }
    let Some(max) = layer_input(trace, layer)?.iter().max().map(|m| i128::from(*m)) else {
        return trace_err(format!("layer {layer} has no inputs"));
    };
    let Some(exps) = trace.layers.get(layer as usize).and_then(|t| t.acc.as_ref()) else {
        return trace_err(format!("layer {layer} has no softmax exponentials"));
    };
    let f = SoftmaxFacts { layer, max, sum: exps.iter().fold(0i128, |a, e| a.saturating_add(*e)) };
    facts.softmax = Some(f);
    Ok(f)
}

/// `(A, S, y)` of element `neuron` of the `PiecewiseSoftmax` layer `layer`.
fn softmax_element(
    trace: &Trace,
    layer: u32,
    neuron: u32,
    facts: &mut ModelFacts,
) -> Result<(i128, i128, i128), CircuitError> {
    let sum = softmax_facts(trace, layer, facts)?.sum;
    let exp = trace.layers.get(layer as usize).and_then(|t| t.acc.as_ref()).and_then(|a| a.get(neuron as usize));
    let Some(exp) = exp else { return trace_err(format!("layer {layer} has no softmax exponential {neuron}")) };
    Ok((*exp, sum, i128::from(layer_output(trace, layer, neuron)?)))
}

/// What witness generation derives from the model, once, when a column first needs
/// it: the bounds of every layer, the sorted `(feature, threshold)` pairs of the
/// `Trees` layer last asked for (sorting them per column would cost a sort per feature),
/// the maximum and sum of the `PiecewiseSoftmax` layer last asked for, and its last
/// partial product (so that the chain costs one product per column).
#[derive(Default)]
struct ModelFacts {
    bounds: Option<Vec<LayerBounds>>,
    thresholds: Option<(u32, Vec<(u32, i64)>)>,
    softmax: Option<SoftmaxFacts>,
    /// The last softmax chain column computed: layer, neuron and value.
    chain: Option<(u32, u32, Fr)>,
}

/// The signed integer a `width`-bit decomposition splits, before its `2^(width-1)` offset.
fn decomposed(
    model: &Model,
    trace: &Trace,
    (layer, neuron, of, width): (u32, u32, Decomposition, u32),
    facts: &mut ModelFacts,
) -> Result<i128, CircuitError> {
    let half = 1i128 << (model.scale_bits - 1);
    let x = || layer_input(trace, layer).and_then(|xs| at(xs, layer, neuron, "input")).map(i128::from);
    Ok(match of {
        Decomposition::Requantize => {
            let acc = trace.layers.get(layer as usize).and_then(|t| t.acc.as_ref());
            let Some(acc) = acc.and_then(|a| a.get(neuron as usize)) else {
                return trace_err(format!("layer {layer} has no Dense accumulator {neuron}"));
            };
            match acc.checked_add(half) {
                Some(v) => v,
                None => return trace_err(format!("layer {layer} accumulator {neuron} overflows")),
            }
        }
        Decomposition::Sign => x()?,
        Decomposition::LeakyRequantize => match model.layers.get(layer as usize) {
            Some(Layer::LeakyRelu { alpha }) => *alpha as i128 * x()? + half,
            _ => return trace_err(format!("layer {layer} of the model is not the circuit's LeakyRelu")),
        },
        Decomposition::ClipUpper => clip_bounds(model, layer)?.1 - x()?,
        Decomposition::ClipLower => {
            let (min, max) = clip_bounds(model, layer)?;
            x()?.min(max) - min
        }
        Decomposition::Compare => lane_difference(model, trace, layer, neuron)?,
        // Decomposed with top weight 2^(w−1): the value itself is the bits' value.
        Decomposition::IntervalLower => {
            interval_differences(model, trace, layer, neuron, facts)?.0 - (1i128 << (width - 1))
        }
        Decomposition::IntervalUpper => {
            interval_differences(model, trace, layer, neuron, facts)?.1 - (1i128 << (width - 1))
        }
        Decomposition::SoftmaxOutput => softmax_element(trace, layer, neuron, facts)?.2 - (1i128 << (width - 1)),
        Decomposition::SoftmaxRemainder | Decomposition::SoftmaxRemainderUpper => {
            let (a, sum, y) = softmax_element(trace, layer, neuron, facts)?;
            let r = (a << (model.scale_bits + 1)) + sum - 2 * y * sum;
            let v = if of == Decomposition::SoftmaxRemainder { r } else { 2 * sum - 1 - r };
            v - (1i128 << (width - 1))
        }
        Decomposition::InputRange => {
            // v = x/step − start = low + t·D, packed as low + t·2^(w−1) (the bits' values).
            let lattice = model.domain(neuron as usize).lattice(model.scale_bits);
            let x = at(&trace.input, layer, neuron, "input")?;
            let v = i128::from(x.div_euclid(lattice.step)) - i128::from(lattice.start);
            let half = 1i128 << (super::domain_bits(lattice.span) - 1);
            let packed = if v >= half { v - super::domain_top_weight(lattice.span) + half } else { v };
            packed - half
        }
    })
}

impl Circuit {
    /// The witness for one evaluation: every column computed from `trace`
    /// (which must come from `model.eval`, `model` being the compiled model).
    ///
    /// Fails if the trace does not fit the circuit's shape or a value leaves the
    /// range the circuit decomposes; run [`Circuit::check`] to find a row on
    /// which the evaluator and the circuit disagree.
    pub fn witness(&self, model: &Model, trace: &Trace) -> Result<Vec<Fr>, CircuitError> {
        if trace.input.len() != model.input_len {
            return trace_err(format!("{} inputs for a model of {}", trace.input.len(), model.input_len));
        }
        let mut out = Vec::with_capacity(self.columns.len());
        // The current decomposition's offset value; its bits are consecutive columns.
        let mut current: Option<(u32, u32, Decomposition, i128)> = None;
        let mut facts = ModelFacts::default();
        for &Label { layer, neuron, role } in &self.columns {
            let value = match role {
                Column::Bit { of, k, width } => {
                    let t = match current {
                        Some((l, n, o, t)) if (l, n, o) == (layer, neuron, of) => t,
                        _ => {
                            let v = decomposed(model, trace, (layer, neuron, of, width), &mut facts)?;
                            let t = v.saturating_add(1i128 << (width - 1));
                            if t < 0 || t >> width != 0 {
                                return Err(CircuitError::OutOfRange { layer, neuron, of, value: t, width });
                            }
                            current = Some((layer, neuron, of, t));
                            t
                        }
                    };
                    bit((t >> k) & 1 == 1)
                }
                Column::Relu | Column::LeakyRelu | Column::Clip => fr_from_i64(layer_output(trace, layer, neuron)?),
                Column::ClipExcess => {
                    let (_, max) = clip_bounds(model, layer)?;
                    let x = at(layer_input(trace, layer)?, layer, neuron, "input")?;
                    fr_from_i128((max - x as i128).max(0))
                }
                Column::Copy => fr_from_i64(at(layer_input(trace, layer)?, layer, neuron, "input")?),
                Column::Input => fr_from_i64(at(&trace.input, layer, neuron, "input")?),
                Column::EqualInverse => {
                    fr_from_i128(lane_difference(model, trace, layer, neuron)?).inverse().unwrap_or(Fr::ZERO)
                }
                Column::Comparison { threshold } => {
                    bit(compared(model, trace, layer, neuron, &mut facts)? <= i128::from(threshold))
                }
                Column::TreePath { split } => {
                    let tree = ensemble(model, layer)?.trees.get(neuron as usize);
                    let Some(tree) = tree else { return trace_err(format!("layer {layer} has no tree {neuron}")) };
                    let x = layer_input(trace, layer)?;
                    if tree.splits.iter().any(|s| s.feature as usize >= x.len()) {
                        return trace_err(format!("layer {layer} has {} inputs, too few for tree {neuron}", x.len()));
                    }
                    bit(tree.path(x).1.contains(&(split, true)))
                }
                Column::TreeSum => fr_from_i64(layer_output(trace, layer, neuron)?),
                Column::PiecewiseProduct => {
                    let Some(Layer::Piecewise(p) | Layer::PiecewiseSoftmax(p)) = model.layers.get(layer as usize)
                    else {
                        return trace_err(format!("layer {layer} of the model is not the circuit's Piecewise"));
                    };
                    let x = compared(model, trace, layer, neuron, &mut facts)?;
                    let segment = p.breakpoints.partition_point(|t| i128::from(*t) < x);
                    fr_from_i128(i128::from(p.slopes[segment]) * x)
                }
                Column::SoftmaxMax => fr_from_i128(softmax_facts(trace, layer, &mut facts)?.max),
                Column::SoftmaxChain => {
                    let max = softmax_facts(trace, layer, &mut facts)?.max;
                    let xs = layer_input(trace, layer)?;
                    let Some(prefix) = xs.get(..=neuron as usize) else {
                        return trace_err(format!("layer {layer} has no input {neuron}"));
                    };
                    let d = |x: &i64| fr_from_i128(i128::from(*x) - max);
                    // The chain's columns come in order: extend the previous product.
                    let product = match facts.chain {
                        Some((l, k, p)) if (l, k + 1) == (layer, neuron) => p * d(&prefix[neuron as usize]),
                        _ => prefix.iter().map(d).product(),
                    };
                    facts.chain = Some((layer, neuron, product));
                    product
                }
                Column::SoftmaxSum => fr_from_i128(softmax_facts(trace, layer, &mut facts)?.sum),
                Column::SoftmaxDivision => {
                    let (_, sum, y) = softmax_element(trace, layer, neuron, &mut facts)?;
                    fr_from_i128(y * sum)
                }
                Column::Equal => bit(lane_difference(model, trace, layer, neuron)? == 0),
            };
            out.push(value);
        }
        Ok(out)
    }

    /// Checks an assignment; on failure names the first unsatisfied row by layer,
    /// neuron and role.
    pub fn check(&self, public: &[Fr], witness: &[Fr]) -> Result<(), CircuitError> {
        let R1cs { num_public, num_witness, .. } = self.r1cs;
        if public.len() != num_public || witness.len() != num_witness {
            return Err(CircuitError::Length {
                public: num_public,
                witness: num_witness,
                got_public: public.len(),
                got_witness: witness.len(),
            });
        }
        match self.r1cs.is_satisfied(public, witness) {
            Ok(()) => Ok(()),
            Err(row) => Err(CircuitError::Unsatisfied { row, label: self.rows[row] }),
        }
    }
}
