//! The normalised float chain: what an ONNX graph means once shapes, constants
//! and consecutive linear maps have been folded away, before quantization.

use zkpolicy_core::frontend::model::piecewise::Approximated;
use zkpolicy_core::frontend::model::trees::Child;

/// Largest number of multiply-adds spent on folding two full matrices into one;
/// beyond it the two stay separate `Dense` layers (same function, one extra rounding).
pub(super) const FOLD_LIMIT: usize = 1 << 30;

/// The weights of an affine map.
#[derive(Clone, Debug, PartialEq)]
pub enum Weights {
    /// A diagonal matrix (element-wise scaling), `in_dim == out_dim` entries.
    Diag(Vec<f64>),
    /// A full row-major `[out_dim][in_dim]` matrix.
    Full(Vec<f64>),
}

/// `y = W·x + b` in real numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Affine {
    /// Input width.
    pub in_dim: usize,
    /// Output width.
    pub out_dim: usize,
    /// The matrix `W`.
    pub weights: Weights,
    /// The bias `b`, `out_dim` entries.
    pub bias: Vec<f64>,
}

impl Affine {
    /// The element-wise map `y_i = d_i·x_i + b_i`.
    pub fn diagonal(scale: Vec<f64>, bias: Vec<f64>) -> Self {
        Affine { in_dim: scale.len(), out_dim: bias.len(), weights: Weights::Diag(scale), bias }
    }

    /// A full matrix with a bias.
    pub fn full(in_dim: usize, out_dim: usize, weights: Vec<f64>, bias: Vec<f64>) -> Self {
        Affine { in_dim, out_dim, weights: Weights::Full(weights), bias }
    }

    /// The map that picks `len` entries from `offset` on out of a vector of `total`
    /// entries (a full 0/1 matrix; the caller bounds `len·total`).
    pub(super) fn select(offset: usize, len: usize, total: usize) -> Self {
        let mut w = vec![0.0; len * total];
        for i in 0..len {
            w[i * total + offset + i] = 1.0;
        }
        Affine::full(total, len, w, vec![0.0; len])
    }

    /// Whether the map is the identity (`y = x`).
    pub(super) fn is_identity(&self) -> bool {
        self.in_dim == self.out_dim
            && self.bias.iter().all(|b| *b == 0.0)
            && match &self.weights {
                Weights::Diag(d) => d.iter().all(|v| *v == 1.0),
                Weights::Full(w) => w
                    .chunks(self.in_dim.max(1))
                    .enumerate()
                    .all(|(i, row)| row.iter().enumerate().all(|(j, v)| *v == if i == j { 1.0 } else { 0.0 })),
            }
    }

    /// `W·x + b`.
    pub(super) fn apply(&self, x: &[f64]) -> Vec<f64> {
        match &self.weights {
            Weights::Diag(d) => d.iter().zip(x).zip(&self.bias).map(|((d, x), b)| d * x + b).collect(),
            Weights::Full(w) => w
                .chunks(self.in_dim)
                .zip(&self.bias)
                .map(|(row, b)| row.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + b)
                .collect(),
        }
    }

    /// The maps `self` then `other` (same input width) as one map: their outputs stacked.
    pub(super) fn stacked(&self, other: &Affine) -> Affine {
        let mut weights = self.dense_weights();
        weights.extend(other.dense_weights());
        let mut bias = self.bias.clone();
        bias.extend_from_slice(&other.bias);
        Affine::full(self.in_dim, self.out_dim + other.out_dim, weights, bias)
    }

    /// Multiply-adds needed to compose `self` then `next`.
    pub(super) fn fold_cost(&self, next: &Affine) -> usize {
        match (&self.weights, &next.weights) {
            (Weights::Full(_), Weights::Full(_)) => {
                next.out_dim.saturating_mul(self.out_dim).saturating_mul(self.in_dim)
            }
            _ => next.out_dim.saturating_mul(self.in_dim),
        }
    }

    /// The affine map "apply `self`, then `next`": `W = W2·W1`, `b = W2·b1 + b2`.
    pub(super) fn then(&self, next: &Affine) -> Affine {
        let bias = next.apply(&self.bias);
        let (n, m) = (self.in_dim, self.out_dim);
        let weights = match (&self.weights, &next.weights) {
            (Weights::Diag(d1), Weights::Diag(d2)) => Weights::Diag(d1.iter().zip(d2).map(|(a, b)| a * b).collect()),
            (Weights::Full(w1), Weights::Diag(d2)) => {
                Weights::Full(w1.chunks(n).zip(d2).flat_map(|(row, d)| row.iter().map(move |w| d * w)).collect())
            }
            (Weights::Diag(d1), Weights::Full(w2)) => {
                Weights::Full(w2.chunks(m).flat_map(|row| row.iter().zip(d1).map(|(w, d)| w * d)).collect())
            }
            (Weights::Full(w1), Weights::Full(w2)) => {
                let mut w = vec![0.0; next.out_dim * n];
                for (out_row, row2) in w.chunks_mut(n).zip(w2.chunks(m)) {
                    for (w2_jk, row1) in row2.iter().zip(w1.chunks(n)) {
                        for (o, w1_ki) in out_row.iter_mut().zip(row1) {
                            *o += w2_jk * w1_ki;
                        }
                    }
                }
                Weights::Full(w)
            }
        };
        Affine { in_dim: n, out_dim: next.out_dim, weights, bias }
    }

    /// The weights as a full row-major `[out_dim][in_dim]` matrix.
    pub fn dense_weights(&self) -> Vec<f64> {
        match &self.weights {
            Weights::Full(w) => w.clone(),
            Weights::Diag(d) => {
                let n = d.len();
                let mut w = vec![0.0; n * n];
                for (i, v) in d.iter().enumerate() {
                    w[i * n + i] = *v;
                }
                w
            }
        }
    }

    /// Number of weights and biases once materialised as a dense layer.
    pub fn dense_params(&self) -> u128 {
        self.out_dim as u128 * self.in_dim as u128 + self.out_dim as u128
    }
}

/// One operation of the float chain.
#[derive(Clone, Debug, PartialEq)]
pub enum FloatOp {
    /// An affine map (becomes a `Dense` layer).
    Affine(Affine),
    /// `max(x, 0)`.
    Relu,
    /// `x` if `x ≥ 0` else `alpha·x`.
    LeakyRelu {
        /// Negative slope.
        alpha: f64,
    },
    /// `min(max(x, min), max)`; `None` is an open side.
    Clip {
        /// Lower bound, if any.
        min: Option<f64>,
        /// Upper bound, if any.
        max: Option<f64>,
    },
    /// Logistic function.
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
    /// A function proved (or, after the last affine map, computed by the verifier)
    /// as its piecewise-linear approximation. An `Exp`'s `top` is set at
    /// quantization, from the bound of the layer's input.
    Approximated(Approximated),
    /// Softmax over the whole vector.
    Softmax,
    /// Index of the largest element.
    ArgMax,
    /// A sum of decision trees (becomes a `Trees` layer).
    Trees(FloatTrees),
    /// One operation per element (becomes a `Lanes` layer).
    Lanes(Vec<FloatLane>),
}

/// A tree ensemble in real numbers: the ONNX-ML node's trees, each split's
/// comparison normalised to "go left iff `x[feature] ≤ threshold`" (or `<` when
/// `strict`), leaf values per output, and base values.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatTrees {
    /// Number of outputs.
    pub outputs: usize,
    /// The trees (same structure rules as the integer [`zkpolicy_core::frontend::model::trees::Tree`]).
    pub trees: Vec<FloatTree>,
    /// Added to the sum of the leaves, one per output.
    pub base: Vec<f64>,
}

/// One tree of a [`FloatTrees`].
#[derive(Clone, Debug, PartialEq)]
pub struct FloatTree {
    /// The splits; split 0 is the root (empty for a tree that is one leaf).
    pub splits: Vec<FloatSplit>,
    /// Leaf values, leaf-major, `outputs` per leaf.
    pub leaves: Vec<f64>,
}

/// One comparison of a [`FloatTree`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloatSplit {
    /// The input compared.
    pub feature: u32,
    /// The threshold.
    pub threshold: f64,
    /// Left iff `x < threshold` (else iff `x ≤ threshold`).
    pub strict: bool,
    /// Where the comparison leads when true.
    pub left: Child,
    /// Where it leads when false.
    pub right: Child,
}

impl FloatTrees {
    /// `base + Σ_trees leaf values` for `x`.
    pub fn eval(&self, x: &[f64]) -> Vec<f64> {
        let mut y = self.base.clone();
        for tree in &self.trees {
            let mut at = if tree.splits.is_empty() { Child::Leaf(0) } else { Child::Split(0) };
            let leaf = loop {
                match at {
                    Child::Leaf(l) => break l as usize,
                    Child::Split(i) => {
                        let s = &tree.splits[i as usize];
                        let v = x[s.feature as usize];
                        let left = if s.strict { v < s.threshold } else { v <= s.threshold };
                        at = if left { s.left } else { s.right };
                    }
                }
            };
            for (y, v) in y.iter_mut().zip(&tree.leaves[leaf * self.outputs..]) {
                *y += v;
            }
        }
        y
    }
}

impl FloatOp {
    /// The operation on `x` in f64: zkpolicy's own float semantics of the chain,
    /// the float reference where tract cannot run the graph.
    pub(super) fn apply(&self, x: &[f64]) -> Vec<f64> {
        let sigmoid = |v: f64| 1.0 / (1.0 + (-v).exp());
        match self {
            FloatOp::Affine(a) => a.apply(x),
            FloatOp::Relu => x.iter().map(|v| v.max(0.0)).collect(),
            FloatOp::LeakyRelu { alpha } => x.iter().map(|v| if *v >= 0.0 { *v } else { alpha * v }).collect(),
            FloatOp::Clip { min, max } => {
                x.iter().map(|v| v.max(min.unwrap_or(f64::NEG_INFINITY)).min(max.unwrap_or(f64::INFINITY))).collect()
            }
            FloatOp::Sigmoid => x.iter().map(|v| sigmoid(*v)).collect(),
            FloatOp::Tanh => x.iter().map(|v| v.tanh()).collect(),
            FloatOp::Approximated(f) => x.iter().map(|v| f.eval(*v)).collect(),
            FloatOp::Softmax => {
                let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = x.iter().map(|v| (v - m).exp()).collect();
                let sum: f64 = e.iter().sum();
                e.iter().map(|v| v / sum).collect()
            }
            FloatOp::ArgMax => {
                let best = x.iter().enumerate().fold(0, |b, (i, v)| if *v > x[b] { i } else { b });
                vec![best as f64]
            }
            FloatOp::Trees(t) => t.eval(x),
            FloatOp::Lanes(lanes) => lanes.iter().zip(x).map(|(lane, v)| lane.apply(*v)).collect(),
        }
    }
}

/// A comparison of a real value with a real constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `x > c`.
    Gt,
    /// `x ≥ c`.
    Ge,
    /// `x < c`.
    Lt,
    /// `x ≤ c`.
    Le,
    /// `x = c`.
    Eq,
    /// `x ≠ c`.
    Ne,
}

impl Cmp {
    /// Whether `a cmp b` holds.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
        }
    }
}

/// One element's operation in a [`FloatOp::Lanes`] step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FloatLane {
    /// `x`.
    Pass,
    /// `max(x, 0)`.
    Relu,
    /// `1` if `x cmp c`, else `0`.
    Cmp(Cmp, f64),
}

impl FloatLane {
    /// The lane on `x`: `x`, `max(x, 0)`, or `1`/`0` for a comparison.
    fn apply(self, x: f64) -> f64 {
        match self {
            FloatLane::Pass => x,
            FloatLane::Relu => x.max(0.0),
            FloatLane::Cmp(cmp, c) => f64::from(u8::from(cmp.holds(x, c))),
        }
    }
}

/// One step of the chain with the names of the ONNX nodes it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The operation.
    pub op: FloatOp,
    /// Names of the ONNX nodes folded into it, in graph order.
    pub nodes: Vec<String>,
}

/// The float chain being built, with linear folding.
#[derive(Clone, Debug, Default)]
pub(super) struct Chain {
    /// The steps, applied in order.
    pub steps: Vec<Step>,
}

impl Chain {
    /// Appends an operation; an affine map following an affine map is folded into it.
    pub(super) fn push(&mut self, op: FloatOp, node: &str) {
        self.push_step(op, vec![node.to_string()]);
    }

    /// [`Chain::push`] of an operation that comes from several ONNX nodes.
    pub(super) fn push_step(&mut self, op: FloatOp, from: Vec<String>) {
        if let (
            FloatOp::Affine(next),
            [.., Step { op: FloatOp::Affine(prev), nodes }, Step { op: FloatOp::Sigmoid, .. }],
        ) = (&op, &mut self.steps[..])
        {
            if let Some(signs) = sigmoid_complement(next) {
                if prev.fold_cost(&signs) <= FOLD_LIMIT {
                    *prev = prev.then(&signs);
                    nodes.extend(from);
                    return;
                }
            }
        }
        if let (FloatOp::Affine(next), Some(Step { op: FloatOp::Affine(prev), nodes })) = (&op, self.steps.last_mut()) {
            if prev.fold_cost(next) <= FOLD_LIMIT {
                *prev = prev.then(next);
                nodes.extend(from);
                return;
            }
        }
        self.steps.push(Step { op, nodes: from });
    }

    /// Makes the chain's output `[x_keep; lanes(map(x))]` from its output `x` (`map`
    /// reads `x`): the entries `keep` of `x` (in order), then one lane per output of
    /// `map`. When the chain ends in an affine map `W` then a `Lanes` step, and `map`
    /// reads only entries that step passes on, the new lanes join that step, with
    /// `map` composed into `W` (the same function: a passed entry is its row of `W`):
    /// one layer less, and the kept entries are not carried through another `Dense`.
    /// Otherwise it appends the affine map `[S; map]` (`S` selecting `keep`) and a
    /// `Lanes` step that passes the kept entries on. The caller bounds the sizes.
    pub(super) fn append_lanes(&mut self, keep: &[usize], map: &Affine, lanes: Vec<FloatLane>, node: &str) {
        let n = map.in_dim;
        let select = {
            let mut w = vec![0.0; keep.len() * n];
            for (row, j) in keep.iter().enumerate() {
                w[row * n + j] = 1.0;
            }
            Affine::full(n, keep.len(), w, vec![0.0; keep.len()])
        };
        let map_weights = map.dense_weights();
        if let [.., Step { op: FloatOp::Affine(w), nodes: w_nodes }, Step { op: FloatOp::Lanes(ops), nodes: l_nodes }] =
            &mut self.steps[..]
        {
            let reads_passed = map_weights
                .chunks(n.max(1))
                .all(|row| row.iter().zip(ops.iter()).all(|(m, op)| *m == 0.0 || *op == FloatLane::Pass));
            if ops.len() == n && reads_passed && w.fold_cost(map) <= FOLD_LIMIT && w.fold_cost(&select) <= FOLD_LIMIT {
                *w = w.then(&select).stacked(&w.then(map));
                *ops = keep.iter().map(|j| ops[*j]).chain(lanes).collect();
                w_nodes.push(node.to_string());
                l_nodes.push(node.to_string());
                return;
            }
        }
        self.push_step(FloatOp::Affine(select.stacked(map)), vec![node.to_string()]);
        let mut ops = vec![FloatLane::Pass; keep.len()];
        ops.extend(lanes);
        self.push(FloatOp::Lanes(ops), node);
    }

    /// Follows a `Lanes` step that no affine map follows with the identity map, so
    /// that it is a body layer: the layers after the last `Dense` are the head,
    /// which the verifier evaluates on the public logits, and a comparison in the
    /// head would make its input public (e.g. `10·amount − 3·balance`), not just
    /// its boolean.
    pub(super) fn prove_lanes_in_body(&mut self) {
        let last_affine = self.steps.iter().rposition(|s| matches!(s.op, FloatOp::Affine(_)));
        let last_lanes = self.steps.iter().rposition(|s| matches!(s.op, FloatOp::Lanes(_)));
        if let Some(i) = last_lanes.filter(|i| last_affine.is_none_or(|a| a < *i)) {
            let FloatOp::Lanes(lanes) = &self.steps[i].op else { return };
            let n = lanes.len();
            let identity = Affine::diagonal(vec![1.0; n], vec![0.0; n]);
            let nodes = self.steps[i].nodes.clone();
            self.steps.insert(i + 1, Step { op: FloatOp::Affine(identity), nodes });
        }
    }

    /// Whether the chain ends in `ArgMax` (nothing but shape no-ops may follow it).
    pub(super) fn ends_in_argmax(&self) -> bool {
        matches!(self.steps.last(), Some(Step { op: FloatOp::ArgMax, .. }))
    }
}

/// For a map after a sigmoid whose every output is some `x_j` or `1 − x_j` (how
/// exporters build the class probabilities `[1 − p, p]` of a logistic output),
/// the map of signs `±z_j` to apply before the sigmoid instead: `1 − σ(z) =
/// σ(−z)`, so `σ` then `map` equals `signs` then `σ`. Moving it keeps the
/// sigmoid after the last affine map, in the head that the verifier evaluates
/// on the public logits, rather than making it a body layer without a gadget.
fn sigmoid_complement(map: &Affine) -> Option<Affine> {
    let Weights::Full(w) = &map.weights else {
        // A diagonal map is `d·x + b`: a complement only if every `d = ±1` matches its `b`.
        let Weights::Diag(d) = &map.weights else { return None };
        let ok = d.iter().zip(&map.bias).all(|(d, b)| (*d, *b) == (1.0, 0.0) || (*d, *b) == (-1.0, 1.0));
        return ok.then(|| Affine::diagonal(d.clone(), vec![0.0; d.len()]));
    };
    let mut signs = vec![0.0; w.len()];
    for (r, (row, b)) in w.chunks(map.in_dim.max(1)).zip(&map.bias).enumerate() {
        let mut nonzero = row.iter().enumerate().filter(|(_, v)| **v != 0.0);
        let (j, v) = nonzero.next()?;
        if nonzero.next().is_some() || !((*v, *b) == (1.0, 0.0) || (*v, *b) == (-1.0, 1.0)) {
            return None;
        }
        signs[r * map.in_dim + j] = *v;
    }
    Some(Affine::full(map.in_dim, map.out_dim, signs, vec![0.0; map.out_dim]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn folding_matches_sequential_application() {
        let x = [0.5, -1.25, 2.0];
        let full1 = Affine::full(3, 2, vec![1.0, 2.0, 3.0, -1.0, 0.5, 0.25], vec![0.1, -0.2]);
        let diag2 = Affine::diagonal(vec![2.0, -3.0], vec![1.0, 1.5]);
        let full3 = Affine::full(2, 3, vec![1.0, -1.0, 0.5, 0.5, 2.0, 0.0], vec![0.0, 1.0, -1.0]);
        let diag0 = Affine::diagonal(vec![0.5, 4.0, -1.0], vec![0.0, 0.25, 1.0]);
        let maps = [diag0, full1, diag2.clone(), diag2, full3];
        let mut seq = x.to_vec();
        for m in &maps {
            seq = m.apply(&seq);
        }
        let folded = maps[1..].iter().fold(maps[0].clone(), |acc, m| acc.then(m));
        assert!(close(&folded.apply(&x), &seq));
        assert_eq!((folded.in_dim, folded.out_dim), (3, 3));
    }

    #[test]
    fn one_minus_sigmoid_moves_before_the_sigmoid() {
        let logit = Affine::full(2, 1, vec![0.5, -2.0], vec![0.25]);
        // [1 − p, p] as skl2onnx builds it (Sub then Concat): rows −x+1 and x.
        let complement = Affine::full(1, 2, vec![-1.0, 1.0], vec![1.0, 0.0]);
        let mut chain = Chain::default();
        chain.push(FloatOp::Affine(logit.clone()), "gemm");
        chain.push(FloatOp::Sigmoid, "sigmoid");
        chain.push_step(FloatOp::Affine(complement.clone()), vec!["sub".into(), "concat".into()]);
        assert_eq!(chain.steps.len(), 2, "{:?}", chain.steps);
        assert_eq!(chain.steps[0].nodes, vec!["gemm", "sub", "concat"]);
        assert_eq!(chain.steps[1].op, FloatOp::Sigmoid);
        let sigmoid = |v: Vec<f64>| v.into_iter().map(|z| 1.0 / (1.0 + (-z).exp())).collect::<Vec<_>>();
        let FloatOp::Affine(folded) = &chain.steps[0].op else { panic!("{:?}", chain.steps[0]) };
        for x in [[0.0, 0.0], [1.5, -0.25], [-3.0, 2.0]] {
            let direct = complement.apply(&sigmoid(logit.apply(&x)));
            assert!(close(&sigmoid(folded.apply(&x)), &direct), "{x:?}");
        }
        // Any other map after a sigmoid stays after it.
        let mut chain = Chain::default();
        chain.push(FloatOp::Affine(logit), "gemm");
        chain.push(FloatOp::Sigmoid, "sigmoid");
        chain.push(FloatOp::Affine(Affine::full(1, 2, vec![-1.0, 2.0], vec![1.0, 0.0])), "other");
        assert_eq!(chain.steps.len(), 3);
    }

    /// The float value of a chain of affine maps and lanes.
    fn run(chain: &Chain, x: &[f64]) -> Vec<f64> {
        chain.steps.iter().fold(x.to_vec(), |v, step| match &step.op {
            FloatOp::Affine(a) => a.apply(&v),
            FloatOp::Lanes(ops) => ops
                .iter()
                .zip(&v)
                .map(|(op, v)| match op {
                    FloatLane::Pass => *v,
                    FloatLane::Relu => v.max(0.0),
                    FloatLane::Cmp(Cmp::Ge, c) => (*v >= *c) as u8 as f64,
                    FloatLane::Cmp(Cmp::Lt, c) => (*v < *c) as u8 as f64,
                    FloatLane::Cmp(..) => unreachable!("not used here"),
                })
                .collect(),
            op => unreachable!("{op:?}"),
        })
    }

    #[test]
    fn lanes_join_the_last_lanes_step_when_they_read_only_passed_entries() {
        // x = (a, b): [b passed, a ≥ 1], then 3b − 1 < 2 reads the passed b: the same layer.
        let mut chain = Chain::default();
        chain.append_lanes(&[1], &Affine::select(0, 1, 2), vec![FloatLane::Cmp(Cmp::Ge, 1.0)], "ge");
        assert_eq!(chain.steps.len(), 2);
        let b = Affine::full(2, 1, vec![3.0, 0.0], vec![-1.0]);
        chain.append_lanes(&[0, 1], &b, vec![FloatLane::Cmp(Cmp::Lt, 2.0)], "lt");
        assert_eq!(chain.steps.len(), 2, "{:?}", chain.steps);
        assert_eq!(chain.steps[1].nodes, vec!["ge", "lt"]);
        // Then the sum of the two booleans reads compared entries: a new layer, which
        // keeps `a ≥ 1` and drops b.
        let sum = Affine::full(3, 1, vec![0.0, 1.0, 1.0], vec![0.0]);
        chain.append_lanes(&[1], &sum, vec![FloatLane::Cmp(Cmp::Ge, 1.5)], "and");
        assert_eq!(chain.steps.len(), 4, "{:?}", chain.steps);
        for (a, b) in [(0.0, 0.0), (1.0, 0.5), (1.0, 1.0), (3.0, 0.9), (-1.0, 5.0)] {
            let ge = (a >= 1.0) as u8 as f64;
            let lt = ((3.0 * b - 1.0) < 2.0) as u8 as f64;
            let and = ((ge + lt) >= 1.5) as u8 as f64;
            assert_eq!(run(&chain, &[a, b]), vec![ge, and], "{a} {b}");
        }
    }

    #[test]
    fn chain_folds_only_consecutive_affine_maps() {
        let mut chain = Chain::default();
        chain.push(FloatOp::Affine(Affine::diagonal(vec![2.0], vec![0.0])), "a");
        chain.push(FloatOp::Affine(Affine::full(1, 2, vec![1.0, 1.0], vec![0.0, 0.0])), "b");
        chain.push(FloatOp::Relu, "r");
        chain.push(FloatOp::Affine(Affine::diagonal(vec![1.0, 1.0], vec![3.0, 3.0])), "c");
        assert_eq!(chain.steps.len(), 3);
        assert_eq!(chain.steps[0].nodes, vec!["a", "b"]);
        assert_eq!(chain.steps[0].op, FloatOp::Affine(Affine::full(1, 2, vec![2.0, 2.0], vec![0.0, 0.0])));
    }
}
