//! Quantization of the float chain into integer [`Layer`]s.
//!
//! Weights at scale `2^s`, biases at `2^(2s)` (the scale of `W·x`), LeakyReLU
//! slopes and Clip bounds at `2^s`, each rounded half away from zero. An open
//! Clip side, or one beyond the worst-case bound of the layer's input, is
//! closed at that bound, which makes it a no-op on every reachable value.

use zkpolicy_core::frontend::model::lanes::LaneOp;
use zkpolicy_core::frontend::model::piecewise::{Approximated, Piecewise};
use zkpolicy_core::frontend::model::softmax;
use zkpolicy_core::frontend::model::trees::{Split, Tree, TreeEnsemble, MAX_TREE_CONST};
use zkpolicy_core::frontend::model::{bounds, Decision, Layer, Model, MAX_PARAMS};

use super::chain::{Cmp, FloatLane, FloatOp, FloatTrees, Step};
use super::error::ImportError;

/// `round_half_away_from_zero(v·2^bits)` as an integer, refusing values beyond ±2^62.
pub(super) fn quantize_value(
    v: f64,
    bits: u32,
    what: impl FnOnce() -> String,
    scale_bits: u32,
) -> Result<i64, ImportError> {
    let q = (v * (1u64 << bits) as f64).round();
    if q.is_finite() && q.abs() < (1u64 << 62) as f64 {
        Ok(q as i64)
    } else {
        Err(ImportError::Overflow { what: what(), value: v, scale_bits })
    }
}

/// Quantizes the chain. `input_len` and `input_bound` are needed to close open Clip sides.
pub(super) fn quantize_chain(
    steps: &[Step],
    input_len: usize,
    input_bound: i64,
    s: u32,
) -> Result<Vec<Layer>, ImportError> {
    let params: u128 = steps
        .iter()
        .map(|st| match &st.op {
            FloatOp::Affine(a) => a.dense_params(),
            _ => 0,
        })
        .sum();
    if params > MAX_PARAMS as u128 {
        return Err(ImportError::TooLarge { what: "the normalised model".into(), count: params });
    }
    let body = body_len(steps);
    let mut layers = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let from = || format!("layer {i} (from {})", step.nodes.join(", "));
        let layer = match &step.op {
            FloatOp::Affine(a) => {
                let weights = a
                    .dense_weights()
                    .iter()
                    .enumerate()
                    .map(|(k, w)| quantize_value(*w, s, || format!("weight {k} of {}", from()), s))
                    .collect::<Result<Vec<_>, _>>()?;
                let bias = a
                    .bias
                    .iter()
                    .enumerate()
                    .map(|(k, b)| quantize_value(*b, 2 * s, || format!("bias {k} of {}", from()), s))
                    .collect::<Result<Vec<_>, _>>()?;
                Layer::Dense { in_dim: a.in_dim, out_dim: a.out_dim, weights, bias }
            }
            FloatOp::Relu => Layer::Relu,
            FloatOp::LeakyRelu { alpha } => {
                Layer::LeakyRelu { alpha: quantize_value(*alpha, s, || format!("alpha of {}", from()), s)? }
            }
            FloatOp::Clip { min, max } => {
                let reach = input_bound_of(&layers, input_len, input_bound, s)?;
                let side = |v: &Option<f64>, name: &str| -> Result<i64, ImportError> {
                    match v {
                        None => Ok(if name == "min" { -reach } else { reach }),
                        // A bound beyond every reachable value (e.g. ±f32::MAX, Clip-6's
                        // defaults written out) is the reach itself, whatever the scale.
                        Some(v) if (v * (1u64 << s) as f64).abs() >= reach as f64 => {
                            Ok(if *v < 0.0 { -reach } else { reach })
                        }
                        Some(v) => {
                            Ok(quantize_value(*v, s, || format!("{name} of {}", from()), s)?.clamp(-reach, reach))
                        }
                    }
                };
                Layer::Clip { min: side(min, "min")?, max: side(max, "max")? }
            }
            FloatOp::Sigmoid if i < body => Layer::Piecewise(Piecewise::approximate(Approximated::Sigmoid, s)),
            FloatOp::Tanh if i < body => Layer::Piecewise(Piecewise::approximate(Approximated::Tanh, s)),
            FloatOp::Sigmoid => Layer::Sigmoid,
            FloatOp::Tanh => Layer::Tanh,
            FloatOp::Approximated(f) => {
                let f = match f {
                    Approximated::Exp { .. } => {
                        let reach = input_bound_of(&layers, input_len, input_bound, s)?;
                        Approximated::exp(i128::from(reach), s).map_err(|reason| ImportError::Unsupported {
                            op: "Exp".into(),
                            node: step.nodes.join(", "),
                            reason: format!(
                                "layer {i}: {reason}; keep its input smaller (smaller weights before it, or a \
                                 smaller --input-range)"
                            ),
                        })?
                    }
                    f => *f,
                };
                Layer::Piecewise(Piecewise::approximate(f, s))
            }
            // Inside the body: the exact integer softmax the circuit proves (its exponential
            // piecewise-linear); after the last Dense the verifier's f64 softmax.
            FloatOp::Softmax if i < body => Layer::PiecewiseSoftmax(softmax::exp_table(s)),
            FloatOp::Softmax => Layer::Softmax,
            FloatOp::ArgMax => Layer::ArgMax,
            FloatOp::Trees(trees) => Layer::Trees(quantize_trees(trees, s, &from)?),
            FloatOp::Lanes(lanes) => {
                let reach = input_bound_of(&layers, input_len, input_bound, s)?;
                Layer::Lanes { ops: lanes.iter().map(|l| lane(*l, s, reach)).collect() }
            }
        };
        layers.push(layer);
    }
    Ok(layers)
}

/// The number of steps in the proved body: those up to the last affine map or tree
/// ensemble. A sigmoid or tanh there is proved as its piecewise-linear approximation
/// (after it, the verifier computes the exact function); the functions of
/// [`FloatOp::Approximated`] are piecewise-linear everywhere.
fn body_len(steps: &[Step]) -> usize {
    steps.iter().rposition(|st| matches!(st.op, FloatOp::Affine(_) | FloatOp::Trees(_))).map_or(0, |i| i + 1)
}

/// The function the `Piecewise` layer `layer` at scale `2^s`, quantized from `op`,
/// approximates, if any (an `Exp`'s top is its last breakpoint, as
/// [`Approximated::exp`] sets it).
pub fn approximated(op: &FloatOp, layer: &Layer, s: u32) -> Option<Approximated> {
    let Layer::Piecewise(p) = layer else { return None };
    match op {
        FloatOp::Sigmoid => Some(Approximated::Sigmoid),
        FloatOp::Tanh => Some(Approximated::Tanh),
        FloatOp::Approximated(Approximated::Exp { .. }) => {
            p.breakpoints.last().map(|t| Approximated::Exp { top: (t >> s) as u32 })
        }
        FloatOp::Approximated(f) => Some(*f),
        _ => None,
    }
}

/// The integer threshold `c` of a split on values at scale `2^s`: for every
/// integer `q`, `q ≤ c` iff `q·2^-s ≤ t` (or `< t` when `strict`), so the split
/// decides exactly as the float split on every input the model can represent.
/// A threshold beyond every representable value is kept at ±(2^60 − 1), where it
/// decides the same.
pub(super) fn quantize_threshold(t: f64, strict: bool, s: u32) -> i64 {
    let scaled = t * (1u64 << s) as f64;
    let c = if strict { scaled.ceil() - 1.0 } else { scaled.floor() };
    c.clamp(-(MAX_TREE_CONST as f64), MAX_TREE_CONST as f64) as i64
}

/// A tree ensemble at scale `2^s`: exact thresholds ([`quantize_threshold`]),
/// leaf and base values rounded half away from zero.
fn quantize_trees(trees: &FloatTrees, s: u32, from: &dyn Fn() -> String) -> Result<TreeEnsemble, ImportError> {
    let value = |v: f64, what: &str| quantize_value(v, s, || format!("{what} of {}", from()), s);
    let quantized = trees
        .trees
        .iter()
        .map(|t| {
            let splits = t
                .splits
                .iter()
                .map(|sp| Split {
                    feature: sp.feature,
                    threshold: quantize_threshold(sp.threshold, sp.strict, s),
                    left: sp.left,
                    right: sp.right,
                })
                .collect();
            let leaves = t.leaves.iter().map(|v| value(*v, "a leaf value")).collect::<Result<_, _>>()?;
            Ok(Tree { splits, leaves })
        })
        .collect::<Result<_, ImportError>>()?;
    let base = trees.base.iter().map(|v| value(*v, "a base value")).collect::<Result<_, _>>()?;
    Ok(TreeEnsemble { outputs: trees.outputs, trees: quantized, base })
}

/// Share of a layer's weight magnitude (`Σ|w − q·2^-s| / Σ|w|`) above which the
/// import warns that rounding may change decisions (1 %).
pub(super) const ROUNDING_WARN_SHARE: f64 = 0.01;

/// Warnings for the `Dense` layers whose weights lose more than
/// [`ROUNDING_WARN_SHARE`] of their total magnitude to rounding at scale `2^-s`
/// (tiny weights, e.g. about 1e-4 at the default scale, round to 0 or to one grid
/// step): such a quantized model may decide differently from the float one.
/// `layers` are the quantized `steps` of a model of `input_len` inputs. Also one
/// warning per approximated function, with its error bound.
pub(super) fn rounding_warnings(steps: &[Step], layers: &[Layer], input_len: usize, s: u32) -> Vec<String> {
    let step = 1.0 / (1u64 << s) as f64;
    let body = body_len(steps);
    let mut warnings = Vec::new();
    let mut width = input_len;
    for (i, (st, layer)) in steps.iter().zip(layers).enumerate() {
        let n = width;
        width = layer.out_width(width);
        if let Layer::PiecewiseSoftmax(p) = layer {
            warnings.push(format!(
                "layer {i} (from {}): the softmax over {n} values inside the network is proved with a \
                 piecewise-linear exponential of {} segments and an exact division, within {:.1e} of the real \
                 softmax at scale 2^-{s}; `zkpolicy fidelity` measures its effect on the decisions",
                st.nodes.join(", "),
                p.slopes.len(),
                softmax::error_bound(s, n),
            ));
        }
        if let (Some(f), Layer::Piecewise(p)) = (approximated(&st.op, layer, s), layer) {
            let how = if i < body {
                "inside the network is proved"
            } else {
                "after the last Dense is computed by the verifier, on the public logits,"
            };
            warnings.push(format!(
                "layer {i} (from {}): the {f} {how} as a piecewise-linear function of {} segments, within \
                 {:.1e} of the real function at scale 2^-{s}; `zkpolicy fidelity` measures its effect on the decisions",
                st.nodes.join(", "),
                p.slopes.len(),
                f.error_bound(s),
            ));
        }
        let (FloatOp::Affine(a), Layer::Dense { weights, .. }) = (&st.op, layer) else { continue };
        let float = a.dense_weights();
        let total: f64 = float.iter().map(|w| w.abs()).sum();
        let lost: f64 = float.iter().zip(weights).map(|(w, q)| (w - *q as f64 * step).abs()).sum();
        if total > 0.0 && lost > ROUNDING_WARN_SHARE * total {
            let zeroed = float.iter().zip(weights).filter(|(w, q)| **w != 0.0 && **q == 0).count();
            let smallest = float.iter().map(|w| w.abs()).filter(|w| *w > 0.0).fold(f64::INFINITY, f64::min);
            warnings.push(format!(
                "layer {i} (from {}): rounding the weights to multiples of 2^-{s} = {step:.3e} changes them by {:.1}% \
                 of their total magnitude ({zeroed} of {} nonzero weights become 0; the smallest |w| is {smallest:.3e}); \
                 the quantized decisions may differ from the float model's: measure with `zkpolicy fidelity`, \
                 or raise --scale (`zkpolicy setup --scale auto --test-set FILE` picks the smallest scale that agrees)",
                st.nodes.join(", "),
                100.0 * lost / total,
                float.iter().filter(|w| **w != 0.0).count(),
            ));
        }
    }
    warnings
}

/// The integer lane of a float lane for inputs `|q| ≤ reach` at scale `2^s`.
///
/// A real comparison `x cmp c` of `x = q/2^s` becomes one of the integer `q` that
/// agrees with it for every integer `q`: with `v = c·2^s` (exact in f64),
/// `x ≥ c ⇔ q ≥ ⌈v⌉`, `x > c ⇔ q ≥ ⌊v⌋ + 1`, `x < c ⇔ q < ⌈v⌉`,
/// `x ≤ c ⇔ q < ⌊v⌋ + 1`, and `x = c ⇔ q = v` when `v` is an integer (never
/// otherwise). A constant beyond the reach is replaced by `±(reach + 1)`, which
/// gives the same answer for every `|q| ≤ reach` and keeps the decomposition small.
fn lane(l: FloatLane, s: u32, reach: i64) -> LaneOp {
    let FloatLane::Cmp(cmp, c) = l else {
        return if l == FloatLane::Pass { LaneOp::Pass } else { LaneOp::Relu };
    };
    let v = c * (1u64 << s) as f64;
    let limit = reach.saturating_add(1);
    let int = |r: f64| {
        if r >= limit as f64 {
            limit
        } else if r <= -(limit as f64) {
            -limit
        } else {
            r as i64
        }
    };
    let (floor, ceil) = (int(v.floor()), int(v.ceil()));
    let integral = v.fract() == 0.0 && v.abs() < limit as f64;
    match cmp {
        Cmp::Ge => LaneOp::AtLeast(ceil),
        Cmp::Gt => LaneOp::AtLeast(floor.saturating_add(1).min(limit)),
        Cmp::Lt => LaneOp::Below(ceil),
        Cmp::Le => LaneOp::Below(floor.saturating_add(1).min(limit)),
        Cmp::Eq if integral => LaneOp::Equal(v as i64),
        Cmp::Eq => LaneOp::AtLeast(limit),
        Cmp::Ne if integral => LaneOp::NotEqual(v as i64),
        Cmp::Ne => LaneOp::Below(limit),
    }
}

/// Worst-case magnitude of the values entering the next layer after `layers`.
fn input_bound_of(layers: &[Layer], input_len: usize, input_bound: i64, s: u32) -> Result<i64, ImportError> {
    let prefix = Model {
        scale_bits: s,
        input_len,
        input_bound,
        input_domains: Default::default(),
        layers: layers.to_vec(),
        decision: Decision::ArgMax { labels: Vec::new() },
    };
    let b = bounds::analyze(&prefix)?.last().map_or(input_bound as i128, |l| l.output);
    Ok(i64::try_from(b).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onnx::chain::Affine;

    #[test]
    fn rounding_is_half_away_from_zero() {
        let q = |v: f64| quantize_value(v, 1, String::new, 1).unwrap();
        assert_eq!([q(0.25), q(-0.25), q(0.75), q(-0.75)], [1, -1, 2, -2]);
        assert!(quantize_value(1e30, 12, || "w".into(), 12).is_err());
    }

    /// Every quantized comparison agrees with the real one for every integer input in reach.
    #[test]
    fn quantized_comparisons_agree_with_the_real_ones() {
        let s = 3;
        let reach = 40;
        let constants = [0.0, 1.0, -1.0, 0.125, -0.125, 0.3, -0.3, 2.06, -2.06, 4.9, 5.0, -5.0, 1e9, -1e9, 5.01, -4.99];
        for c in constants {
            for cmp in [Cmp::Gt, Cmp::Ge, Cmp::Lt, Cmp::Le, Cmp::Eq, Cmp::Ne] {
                let op = lane(FloatLane::Cmp(cmp, c), s, reach);
                assert!(op.constant().unwrap().abs() <= reach + 1, "{cmp:?} {c}: {op:?}");
                for q in -reach..=reach {
                    let x = q as f64 / 8.0;
                    let real = cmp.holds(x, c);
                    assert_eq!(op.apply(q, s) == 8, real, "{x} {cmp:?} {c}: {op:?}");
                }
            }
        }
    }

    #[test]
    fn tiny_weights_are_warned_about_and_ordinary_ones_are_not() {
        let dense = |w: Vec<f64>| Step {
            op: FloatOp::Affine(Affine::full(w.len(), 1, w, vec![0.0])),
            nodes: vec!["gemm".into()],
        };
        let steps = vec![
            dense(vec![1e-4, -2e-4, 3e-4]),
            Step { op: FloatOp::Relu, nodes: vec!["relu".into()] },
            dense(vec![0.7]),
        ];
        let layers = quantize_chain(&steps, 3, 1 << 20, 12).unwrap();
        let warnings = rounding_warnings(&steps, &layers, 3, 12);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("layer 0 (from gemm)"), "{}", warnings[0]);
        assert!(warnings[0].contains("1 of 3 nonzero weights become 0"), "{}", warnings[0]);
        // At scale 2^-20 the grid step is 9.5e-7: under 1 % of these weights.
        let layers = quantize_chain(&steps, 3, 1 << 20, 20).unwrap();
        assert!(rounding_warnings(&steps, &layers, 3, 20).is_empty());
    }

    #[test]
    fn open_clip_sides_close_at_the_input_bound() {
        let steps = vec![
            Step { op: FloatOp::Affine(Affine::diagonal(vec![1.0], vec![0.0])), nodes: vec!["a".into()] },
            Step { op: FloatOp::Clip { min: None, max: Some(1.5) }, nodes: vec!["c".into()] },
        ];
        let layers = quantize_chain(&steps, 1, 100, 2).unwrap();
        // Dense output interval: requant(±4·100) = [floor(-398/4), floor(402/4)] = [-100, 100].
        assert_eq!(layers[1], Layer::Clip { min: -100, max: 6 });
    }
}
