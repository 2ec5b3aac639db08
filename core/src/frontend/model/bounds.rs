//! Interval analysis: the range of every intermediate value.
//!
//! Every neuron gets a closed integer interval `[lo, hi]` that contains its value
//! for every input in the box `[-input_bound, input_bound]^n` (narrowed, per input,
//! to its declared domain's ends), propagated layer by layer with the weights' signs:
//!
//! * `Dense`: `acc_j ∈ [b_j + Σ_i min(W_ji·lo_i, W_ji·hi_i), b_j + Σ_i max(W_ji·lo_i, W_ji·hi_i)]`,
//!   the exact range of an affine map over a box; requantization is monotone, so
//!   `y_j ∈ [requant(acc_lo), requant(acc_hi)]`.
//! * `Relu` clamps both ends at 0, `Clip` clamps them to `[min, max]`, `LeakyRelu`
//!   joins the identity on the non-negative part with the (monotone) requantized
//!   `alpha·x` at the ends of the negative part, a `Lanes` lane maps its own
//!   interval, and the head's `Sigmoid`, `Tanh`, `Softmax`, `ArgMax` and the body's
//!   `PiecewiseSoftmax` (`[0, 2^s]`) have constant ranges.
//!
//! Unlike a bound on `|x|` alone, this keeps what a ReLU removes (its output's
//! lower end is 0, not `−B`), so the bounds of a deep ReLU network grow by about
//! `Σ_{W>0} W` per layer instead of `Σ|W|`.
//!
//! The evaluator never overflows within these intervals, and the circuit sizes its
//! range checks from them: a value bounded by `B` (the largest magnitude over a
//! layer's neurons, [`LayerBounds`]) is decomposed into `signed_bits(B)` bits. A
//! model whose values could reach `2^MAX_VALUE_BITS`, or whose accumulators could
//! reach `2^MAX_ACC_BITS`, is rejected at validation, naming the layer.
//!
//! Cost: `O(layers + parameters)` plus the per-neuron work of element-wise layers,
//! which is capped at [`PER_NEURON_BUDGET`] neuron updates; past it, an element-wise
//! layer's input is widened to the hull of its intervals (one interval for the whole
//! layer), which is still a sound bound, so that a small key of many wide layers
//! cannot make validation slow.

use super::lanes::LaneOp;
use super::nonlinear::requantize;
use super::piecewise::Piecewise;
use super::{invalid, InputDomain, Layer, Model, ModelError};

/// Largest bit width of any activation (|value| < 2^MAX_VALUE_BITS).
pub const MAX_VALUE_BITS: u32 = 60;
/// Largest bit width of any accumulator (|acc| < 2^MAX_ACC_BITS).
pub const MAX_ACC_BITS: u32 = 120;
/// Neuron updates of element-wise layers (`Relu`, `Clip`, …) kept per neuron; past
/// this many, such layers are analysed on the hull of their input intervals.
pub const PER_NEURON_BUDGET: usize = 1 << 22;

/// Bounds for one layer: the largest magnitudes over its neurons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerBounds {
    /// `|x| ≤ input` for every input of the layer.
    pub input: i128,
    /// For `Dense`: `|acc_j| ≤ acc` for every accumulator.
    pub acc: i128,
    /// `|y| ≤ output` for every output of the layer.
    pub output: i128,
}

/// A closed integer interval `[lo, hi]`, `lo ≤ hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// Smallest possible value.
    pub lo: i128,
    /// Largest possible value.
    pub hi: i128,
}

impl Interval {
    /// `[-b, b]`.
    pub fn symmetric(b: i128) -> Self {
        Interval { lo: -b, hi: b }
    }

    /// The largest magnitude, `max(|lo|, |hi|)` (saturating).
    pub fn magnitude(self) -> i128 {
        self.lo.saturating_abs().max(self.hi.saturating_abs())
    }

    /// The smallest interval containing both.
    fn hull(self, other: Interval) -> Interval {
        Interval { lo: self.lo.min(other.lo), hi: self.hi.max(other.hi) }
    }

    /// The image under a non-decreasing map.
    fn map_monotone(self, f: impl Fn(i128) -> i128) -> Interval {
        Interval { lo: f(self.lo), hi: f(self.hi) }
    }
}

/// Number of bits `n` such that every `v` with `|v| ≤ bound` satisfies `-2^(n-1) ≤ v < 2^(n-1)`.
pub fn signed_bits(bound: i128) -> u32 {
    // Need 2^(n-1) > bound.
    (128 - bound.leading_zeros()) + 1
}

/// The intervals of one layer's values: one per neuron, or one for all of them.
enum Values {
    Each(Vec<Interval>),
    All { interval: Interval, width: usize },
}

impl Values {
    /// Per-neuron intervals, kept as one when they are all equal (e.g. equal weights).
    fn each(v: Vec<Interval>) -> Values {
        match v.first() {
            Some(&first) if v.iter().all(|i| *i == first) => Values::All { interval: first, width: v.len() },
            _ => Values::Each(v),
        }
    }

    fn get(&self, i: usize) -> Interval {
        match self {
            Values::Each(v) => v.get(i).copied().unwrap_or(Interval::symmetric(0)),
            Values::All { interval, .. } => *interval,
        }
    }

    fn magnitude(&self) -> i128 {
        match self {
            Values::Each(v) => v.iter().map(|i| i.magnitude()).max().unwrap_or(0),
            Values::All { interval, .. } => interval.magnitude(),
        }
    }

    /// One interval holding every neuron's.
    fn hull(&self) -> Interval {
        match self {
            Values::Each(v) => v.iter().copied().reduce(Interval::hull).unwrap_or(Interval::symmetric(0)),
            Values::All { interval, .. } => *interval,
        }
    }

    /// An element-wise map, per neuron while `budget` lasts, else on the hull.
    fn map(self, budget: &mut usize, f: impl Fn(Interval) -> Interval) -> Values {
        match self {
            Values::Each(v) if v.len() <= *budget => {
                *budget -= v.len();
                Values::Each(v.into_iter().map(f).collect())
            }
            Values::Each(v) => {
                let width = v.len();
                let hull = v.into_iter().reduce(Interval::hull).unwrap_or(Interval::symmetric(0));
                Values::All { interval: f(hull), width }
            }
            Values::All { interval, width } => Values::All { interval: f(interval), width },
        }
    }
}

/// The interval of `requant(alpha·x)` for `x` in `x` (`|alpha| < 2^63`, `|x| < 2^60`).
fn scaled(x: Interval, alpha: i64, s: u32) -> Interval {
    let (a, b) = (requantize(alpha as i128 * x.lo, s).0, requantize(alpha as i128 * x.hi, s).0);
    Interval { lo: a.min(b), hi: a.max(b) }
}

/// The interval of a piecewise-linear function on `x`: on each segment meeting `x`
/// the accumulator is affine, so its extremes are at the ends, and requantization
/// is non-decreasing. `O(segments)`.
fn piecewise(p: &Piecewise, x: Interval, s: u32) -> Interval {
    let k = p.breakpoints.len();
    let segment = |v: i128| p.breakpoints.partition_point(|t| i128::from(*t) < v);
    let mut out: Option<Interval> = None;
    for j in segment(x.lo)..=segment(x.hi) {
        let lo = if j == 0 { x.lo } else { x.lo.max(i128::from(p.breakpoints[j - 1]) + 1) };
        let hi = if j == k { x.hi } else { x.hi.min(i128::from(p.breakpoints[j])) };
        let acc = |v: i128| requantize(i128::from(p.slopes[j]) * v + i128::from(p.offsets[j]), s).0;
        let (a, b) = (acc(lo), acc(hi));
        let y = Interval { lo: a.min(b), hi: a.max(b) };
        out = Some(out.map_or(y, |o| o.hull(y)));
    }
    out.unwrap_or(x)
}

/// The interval of `leaky_relu(x)`.
fn leaky_relu(x: Interval, alpha: i64, s: u32) -> Interval {
    let positive = (x.hi >= 0).then(|| Interval { lo: x.lo.max(0), hi: x.hi });
    let negative = (x.lo < 0).then(|| scaled(Interval { lo: x.lo, hi: x.hi.min(-1) }, alpha, s));
    match (positive, negative) {
        (Some(p), Some(n)) => p.hull(n),
        (Some(i), None) | (None, Some(i)) => i,
        (None, None) => x,
    }
}

/// The interval of one `Lanes` lane.
fn lane(x: Interval, op: LaneOp, one: i128) -> Interval {
    match op {
        LaneOp::Pass => x,
        LaneOp::Relu => x.map_monotone(|v| v.max(0)),
        _ => Interval { lo: 0, hi: one },
    }
}

/// The accumulator intervals of a `Dense` layer, or the first one that may reach `2^MAX_ACC_BITS`.
fn dense_acc(in_dim: usize, weights: &[i64], bias: &[i64], x: &Values) -> Result<Vec<Interval>, i128> {
    let limit = 1i128 << MAX_ACC_BITS;
    let mut out = Vec::with_capacity(bias.len());
    for (row, b) in weights.chunks(in_dim.max(1)).zip(bias) {
        let mut acc = Interval { lo: *b as i128, hi: *b as i128 };
        for (i, w) in row.iter().enumerate() {
            let xi = x.get(i);
            // |w·x| < 2^63·2^60 and the partial sums stay below 2^120: no overflow.
            let (a, c) = (*w as i128 * xi.lo, *w as i128 * xi.hi);
            acc = Interval { lo: acc.lo + a.min(c), hi: acc.hi + a.max(c) };
            if acc.magnitude() >= limit {
                return Err(acc.magnitude());
            }
        }
        out.push(acc);
    }
    Ok(out)
}

/// The inputs' intervals, from their domains: one per input when some input has a
/// declared domain and the first layer is a `Dense` or `Lanes` layer (which has at
/// least one constant per input, so the key pays for the memory); otherwise one
/// interval for all, the hull of the domains, which never allocates per input.
fn input_values(model: &Model) -> Values {
    let s = model.scale_bits;
    let interval = |d: InputDomain| {
        let (lo, hi) = d.lattice(s).ends();
        Interval { lo: lo.into(), hi: hi.into() }
    };
    let width = model.input_len;
    let runs = model.input_domains.runs();
    if !runs.is_empty() && matches!(model.layers.first(), Some(Layer::Dense { .. } | Layer::Lanes { .. })) {
        return Values::each((0..width).map(|i| interval(model.domain(i))).collect());
    }
    let declared: usize = runs.iter().map(|(inputs, _)| inputs.len()).sum();
    let default = (declared < width).then(|| interval(InputDomain::default_for(model.input_bound)));
    let hull = runs.iter().map(|(_, d)| interval(*d)).chain(default).reduce(Interval::hull);
    Values::All { interval: hull.unwrap_or(Interval::symmetric(model.input_bound as i128)), width }
}

/// Computes the bounds of every layer, or explains which one is too large.
pub fn analyze(model: &Model) -> Result<Vec<LayerBounds>, ModelError> {
    let s = model.scale_bits;
    let one = 1i128 << s;
    let mut values = input_values(model);
    let mut budget = PER_NEURON_BUDGET;
    let mut out = Vec::with_capacity(model.layers.len());
    for (i, layer) in model.layers.iter().enumerate() {
        let input = values.magnitude();
        let width = match &values {
            Values::Each(v) => v.len(),
            Values::All { width, .. } => *width,
        };
        let mut acc = 0i128;
        values = match layer {
            Layer::Dense { in_dim, weights, bias, .. } => {
                let accs = dense_acc(*in_dim, weights, bias, &values).or_else(|reach| {
                    let bits = 128 - reach.leading_zeros();
                    invalid(format!("layer {i} (Dense): accumulators may reach 2^{} (limit 2^{MAX_ACC_BITS}); the weights or the input range are too large", bits - 1))
                })?;
                acc = accs.iter().map(|a| a.magnitude()).max().unwrap_or(0);
                Values::each(accs.into_iter().map(|a| a.map_monotone(|v| requantize(v, s).0)).collect())
            }
            Layer::Relu => values.map(&mut budget, |x| x.map_monotone(|v| v.max(0))),
            Layer::LeakyRelu { alpha } => values.map(&mut budget, |x| leaky_relu(x, *alpha, s)),
            // `max(min).min(max)`, not `clamp`: an unvalidated model may have min > max.
            Layer::Clip { min, max } => {
                values.map(&mut budget, |x| x.map_monotone(|v| v.max(*min as i128).min(*max as i128)))
            }
            Layer::Sigmoid | Layer::Softmax | Layer::PiecewiseSoftmax(_) => {
                Values::All { interval: Interval { lo: 0, hi: one }, width }
            }
            Layer::Tanh => Values::All { interval: Interval::symmetric(one), width },
            Layer::ArgMax => {
                Values::All { interval: Interval { lo: 0, hi: width.saturating_sub(1) as i128 }, width: 1 }
            }
            // One interval for the layer: a segment walk per neuron would cost O(segments) each.
            Layer::Piecewise(p) => Values::All { interval: piecewise(p, values.hull(), s), width },
            Layer::Trees(ensemble) => {
                Values::each(ensemble.output_ranges().into_iter().map(|(lo, hi)| Interval { lo, hi }).collect())
            }
            Layer::Lanes { ops } => {
                Values::each(ops.iter().enumerate().map(|(j, op)| lane(values.get(j), *op, one)).collect())
            }
        };
        let output = values.magnitude();
        // The circuit requantizes `alpha·x` on both branches (and picks one): that value
        // is held below 2^MAX_VALUE_BITS too, as by the earlier analysis.
        let formed = match layer {
            Layer::LeakyRelu { alpha } => output.max((alpha.unsigned_abs() as i128 * input + one / 2) / one + 1),
            _ => output,
        };
        if formed >= 1i128 << MAX_VALUE_BITS {
            return invalid(format!(
                "layer {i} ({}): values may reach 2^{} (limit 2^{MAX_VALUE_BITS}) for inputs within ±{} (scale 2^{s}); the weights or the input range are too large",
                layer.name(),
                127 - formed.leading_zeros(),
                model.input_bound,
            ));
        }
        out.push(LayerBounds { input, acc, output });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::frontend::model::Decision;

    fn model(input_len: usize, input_bound: i64, layers: Vec<Layer>) -> Model {
        Model {
            scale_bits: 12,
            input_len,
            input_bound,
            input_domains: Default::default(),
            layers,
            decision: Decision::Threshold { index: 0, threshold: 0 },
        }
    }

    /// A `Dense in→out` layer with weights like PyTorch's default initialisation
    /// (uniform in `±gain/sqrt(in)`) at scale 2^12, and biases in `±1/sqrt(in)`.
    fn dense(rng: &mut StdRng, in_dim: usize, out_dim: usize, gain: f64) -> Layer {
        let k = 1.0 / (in_dim as f64).sqrt();
        let q = |v: f64, bits: u32| (v * (1u64 << bits) as f64).round() as i64;
        let weights = (0..in_dim * out_dim).map(|_| q(rng.gen_range(-k..=k) * gain, 12)).collect();
        let bias = (0..out_dim).map(|_| q(rng.gen_range(-k..=k), 24)).collect();
        Layer::Dense { in_dim, out_dim, weights, bias }
    }

    /// `depth` Dense layers, width 64, ReLU between them, one output.
    fn deep(rng: &mut StdRng, inputs: usize, depth: usize, gain: f64) -> Model {
        let mut layers = Vec::new();
        let mut width = inputs;
        for i in 0..depth {
            let out = if i + 1 == depth { 1 } else { 64 };
            if i > 0 {
                layers.push(Layer::Relu);
            }
            layers.push(dense(rng, width, out, gain));
            width = out;
        }
        model(inputs, 256 << 12, layers)
    }

    /// Every corner of the input box (for at most 12 inputs).
    fn corners(m: &Model) -> Vec<Vec<i64>> {
        let (n, b) = (m.input_len, m.input_bound);
        (0..1u32 << n).map(|mask| (0..n).map(|i| if mask >> i & 1 == 1 { b } else { -b }).collect()).collect()
    }

    /// Declared domains narrow the inputs' intervals: one per input before a `Dense`
    /// layer, the hull of all of them before an element-wise layer (nothing allocated per
    /// input: `MAX_WIDTH` flags declared by one run).
    #[test]
    fn inputs_start_from_their_domains() {
        use crate::frontend::model::{InputDomain, MAX_WIDTH};
        let flag = InputDomain::Integers { lo: 0, hi: 1 };
        let one = 1i128 << 12;
        let mut m = model(2, 1 << 20, vec![Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![1, 1], bias: vec![0] }]);
        m.input_domains.insert(0, flag);
        let Values::Each(v) = input_values(&m) else { panic!("one interval per input before a Dense layer") };
        assert_eq!(v, [Interval { lo: 0, hi: one }, Interval::symmetric(1 << 20)]);
        let mut m = model(MAX_WIDTH, 1 << 20, vec![Layer::Relu]);
        m.input_domains.set(0..MAX_WIDTH, Some(flag));
        assert!(matches!(input_values(&m), Values::All { interval, .. } if interval == Interval { lo: 0, hi: one }));
        m.input_domains.set(5..6, None);
        assert!(matches!(input_values(&m), Values::All { interval, .. } if interval == Interval::symmetric(1 << 20)));
        assert_eq!(analyze(&m).unwrap()[0].output, 1 << 20);
    }

    #[test]
    fn signed_bits_covers_bound() {
        for b in [0i128, 1, 2, 3, 127, 128, 1000] {
            let n = signed_bits(b);
            assert!(b < 1 << (n - 1));
            assert!(-b >= -(1 << (n - 1)));
        }
        assert_eq!(signed_bits(127), 8);
        assert_eq!(signed_bits(128), 9);
    }

    #[test]
    fn bounds_contain_every_value_and_the_first_dense_layer_is_tight() {
        let one = 1i64 << 12;
        let mut rng = StdRng::seed_from_u64(7);
        let acts = [
            Layer::Relu,
            Layer::LeakyRelu { alpha: one / 10 },
            Layer::LeakyRelu { alpha: -3 * one },
            Layer::Clip { min: -one, max: 2 * one },
            Layer::Lanes { ops: vec![LaneOp::Pass, LaneOp::Relu, LaneOp::AtLeast(3), LaneOp::Below(-one)] },
        ];
        for act in acts {
            let mut layers = vec![dense(&mut rng, 5, 4, 4.0)];
            for _ in 0..3 {
                layers.push(act.clone());
                layers.push(dense(&mut rng, 4, 4, 4.0));
            }
            let m = model(5, 3 << 12, layers);
            let bounds = m.validate_with_bounds().unwrap();
            let mut reached = vec![0i128; bounds.len()];
            let random: Vec<Vec<i64>> =
                (0..200).map(|_| (0..5).map(|_| rng.gen_range(-m.input_bound..=m.input_bound)).collect()).collect();
            for x in corners(&m).into_iter().chain(random) {
                let trace = m.eval(&x).unwrap();
                for (i, (t, b)) in trace.layers.iter().zip(&bounds).enumerate() {
                    for (j, y) in t.output.iter().enumerate() {
                        assert!(
                            (*y as i128).abs() <= b.output,
                            "{act:?} layer {i} neuron {j}: {y} beyond {}",
                            b.output
                        );
                        reached[i] = reached[i].max((*y as i128).abs());
                    }
                    for a in t.acc.iter().flatten() {
                        assert!(a.abs() <= b.acc, "{act:?} layer {i}: accumulator {a} beyond {}", b.acc);
                    }
                }
            }
            // An affine map of the input box takes its extremes at corners, so the first
            // layer's bound is reached exactly.
            assert_eq!(reached[0], bounds[0].output, "{act:?}");
        }
    }

    #[test]
    fn relu_networks_of_16_layers_fit_and_the_magnitude_only_bound_did_not() {
        let mut rng = StdRng::seed_from_u64(15);
        for (depth, gain, bits) in
            [(12, 1.0, 36), (16, 1.0, 40), (12, 3f64.sqrt() * 2f64.sqrt(), 50), (16, 6f64.sqrt(), 58)]
        {
            // gain 1: PyTorch's default; gain √6: He-uniform, the scale of a trained ReLU net.
            let m = deep(&mut rng, 16, depth, gain);
            let b = m.validate_with_bounds().unwrap_or_else(|e| panic!("{depth} layers, gain {gain}: {e}"));
            let top = b.iter().map(|l| l.output).max().unwrap();
            assert!(top < 1i128 << bits, "{depth} layers, gain {gain}: 2^{}", 128 - top.leading_zeros());
            // What a bound on |x| alone gives: Σ|W|·B per layer.
            let mut magnitude = m.input_bound as i128;
            for layer in &m.layers {
                if let Layer::Dense { in_dim, weights, bias, .. } = layer {
                    let rows = weights.chunks(*in_dim).zip(bias);
                    let acc = rows
                        .map(|(r, b)| r.iter().map(|w| w.abs() as i128).sum::<i128>() * magnitude + b.abs() as i128);
                    magnitude = acc.max().unwrap() >> 12;
                }
            }
            if gain > 1.0 && depth == 16 {
                assert!(magnitude >= 1i128 << MAX_VALUE_BITS, "the old bound would have accepted it");
            }
        }
    }

    #[test]
    fn a_model_that_truly_overflows_is_refused_naming_the_layer() {
        // Each Dense multiplies by 2^8: from the input bound 2^20 the value at the corner
        // x = B is exactly 2^(20 + 8·(k+1)) after Dense k, so the 5th Dense (layer 8 with
        // the ReLUs) would output 2^60 on a real input.
        let mut layers = Vec::new();
        for k in 0..6 {
            if k > 0 {
                layers.push(Layer::Relu);
            }
            layers.push(Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![1 << 20], bias: vec![0] });
        }
        let m = model(1, 1 << 20, layers.clone());
        let err = m.validate().unwrap_err().to_string();
        assert!(err.contains("layer 8 (Dense): values may reach 2^60 (limit 2^60)"), "{err}");
        // The refusal is not an artefact of the analysis: one layer less is accepted and
        // reaches 2^52 on the input at the corner.
        let shorter = model(1, 1 << 20, layers[..7].to_vec());
        let bounds = shorter.validate_with_bounds().unwrap();
        assert_eq!(bounds[6].output, 1 << 52);
        assert_eq!(shorter.eval(&[1 << 20]).unwrap().output(), &[1i64 << 52]);
        // A ReLU removes the negative side: with a negative weight between, the ReLU's output is
        // 0 on every input and nothing grows.
        let mut cut = layers.clone();
        cut[2] = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![-(1 << 20)], bias: vec![0] };
        cut[0] = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![1 << 12], bias: vec![0] };
        let m = model(1, 1 << 20, [vec![Layer::Relu], cut].concat());
        assert_eq!(m.validate_with_bounds().unwrap().last().unwrap().output, 0);
        // A LeakyReLU on non-negative values outputs them unchanged, but its circuit forms
        // requant(alpha·x) on both branches: that value is held below 2^60 too.
        let one = 1i64 << 12;
        let steep = |alpha: i64| {
            let first = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![one], bias: vec![0] };
            model(1, 1 << 20, vec![first, Layer::Relu, Layer::LeakyRelu { alpha }])
        };
        assert_eq!(steep(1 << 39 << 12).validate_with_bounds().unwrap()[2].output, 1 << 20);
        let err = steep(1 << 40 << 12).validate().unwrap_err().to_string();
        assert!(err.contains("layer 2 (LeakyRelu): values may reach 2^60"), "{err}");
        // Accumulators beyond 2^120 are refused too.
        let wide = Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![i64::MAX], bias: vec![0] };
        let m = model(
            1,
            1 << 40,
            vec![Layer::Dense { in_dim: 1, out_dim: 1, weights: vec![1 << 30], bias: vec![0] }, wide],
        );
        let err = m.validate().unwrap_err().to_string();
        assert!(err.contains("layer 1 (Dense): accumulators may reach 2^"), "{err}");
    }

    #[test]
    fn element_wise_layers_past_the_budget_use_the_hull() {
        // 8192 neurons with distinct weights through 600 ReLU layers: 4.9 M updates, past
        // the budget; the later layers are analysed on one interval, with the same magnitude.
        let width = 8192;
        let weights: Vec<i64> = (0..width as i64).map(|w| w - 4096).collect();
        let mut layers = vec![Layer::Dense { in_dim: 1, out_dim: width, weights, bias: vec![0; width] }];
        layers.extend(std::iter::repeat_n(Layer::Relu, 600));
        layers.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
        let m = model(1, 1 << 12, layers);
        let bounds = m.validate_with_bounds().unwrap();
        assert!(600 * width > PER_NEURON_BUDGET);
        assert!(bounds[1..601].iter().all(|b| b.output == 4096), "{:?}", &bounds[600]);
        // The last Dense (weights 2^-12) sums the hull's upper end, 4096, over the 8192
        // neurons: 8192, a sound bound twice the per-neuron one (Σ_j |w_j|·2^-12 ≈ 4096).
        assert_eq!(bounds[601].output, 8192);
    }
}
