//! The `Trees` gadget: a tree ensemble proved without walking its trees.
//!
//! For each compared feature `x` (bounded by `|x| ≤ B`) with distinct
//! thresholds `t_1 < … < t_K`:
//! * one comparison bit `b_k` per threshold, with booleanity `b_k·b_k = b_k`
//!   and order `b_k·(1 − b_{k+1}) = 0`: the bits read `0…01…1`, and the number
//!   `j` of zeros names the interval `lo_j ≤ x ≤ hi_j`, where `lo_0 = −B`,
//!   `lo_j = t_j + 1`, `hi_j = t_{j+1}` and `hi_K = B`;
//! * `lo(b) = lo_K + Σ_k b_k·(lo_{k−1} − lo_k)` and
//!   `hi(b) = hi_K + Σ_k b_k·(hi_{k−1} − hi_k)` are linear in the bits and equal
//!   `lo_j` and `hi_j` (thresholds clamped to `[−B − 1, B]` first, which changes
//!   no comparison within `±B`); two decompositions into `w` bits with top weight
//!   `2^(w−1)` prove `x − lo(b) ∈ [0, 2^w)` and `hi(b) − x ∈ [0, 2^w)`. So
//!   `x` lies in interval `j`, and `b_k = [x ≤ t_k]` for every `k`.
//!
//! Each tree: the root's indicator is 1. Split `i` with indicator `I` and bit
//! `b` has a path column `p_i = I·b` (one product row), the indicator of its
//! left child; its right child's is `I − p_i`. By induction every indicator is
//! 1 on the path `x` takes and 0 elsewhere. Output `k` is one column
//! `y_k = base_k + Σ_leaves value_k·I_leaf`, the sum written with one term per
//! path column ([`LeafSums`]).

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

use super::{Builder, Lc, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Decomposition, Label};
use crate::frontend::model::trees::{Child, Tree, TreeEnsemble};
use crate::snark::r1cs::{fr_from_i128, fr_from_i64};

/// The interval ends `(lo_j, hi_j)`, `j = 0..=K`, of the thresholds `ts`
/// (ascending, distinct) of a feature bounded by `bound`. Thresholds are first
/// clamped to `[−bound − 1, bound]`, which changes no comparison with a value in
/// `±bound` (an interval may then be empty: no `x` lies in it).
pub(in crate::frontend::circuit) fn interval_ends(ts: &[i64], bound: i128) -> Vec<(i128, i128)> {
    let t = |k: usize| i128::from(ts[k]).clamp(-bound - 1, bound);
    (0..=ts.len())
        .map(|j| {
            let lo = if j == 0 { -bound } else { t(j - 1) + 1 };
            let hi = if j == ts.len() { bound } else { t(j) };
            (lo, hi)
        })
        .collect()
}

/// Bits `w` of the two interval decompositions: `x − lo_j` and `hi_j − x` lie in
/// `[0, 2·bound + 1]` for the interval holding `x` (ends within `[−bound, bound + 1]`
/// by the clamping of [`interval_ends`]), below `2^w`.
pub(in crate::frontend::circuit) fn interval_bits(bound: i128) -> u32 {
    128 - (2 * bound + 1).leading_zeros()
}

impl Builder {
    /// A `Trees` layer on `inputs`, each bounded by `bound`.
    pub(in crate::frontend::circuit) fn trees(
        &mut self,
        layer: u32,
        ensemble: &TreeEnsemble,
        inputs: Vec<Wire>,
        bound: i128,
    ) -> Result<Vec<Wire>, CircuitError> {
        // The comparison bit column of each (feature, threshold), in the order of `pairs`.
        let pairs = ensemble.thresholds();
        let mut bits = Vec::with_capacity(pairs.len());
        for (feature, ts) in ensemble.thresholds_by_feature() {
            let x = inputs[feature as usize].clone();
            let x = if x.lc.terms.len() > 1 { self.copy(layer, feature, x)? } else { x };
            let first = self.comparison_bits(layer, feature, &ts)?;
            let ends = interval_ends(&ts, bound);
            let (lo, hi) = ends[ts.len()];
            let mut lower = x.lc.scaled_plus(Fr::ONE, -fr_from_i128(lo));
            let mut upper = x.lc.scaled_plus(-Fr::ONE, fr_from_i128(hi));
            for k in 0..ts.len() {
                let ((lo_prev, hi_prev), (lo, hi)) = (ends[k], ends[k + 1]);
                lower.terms.push((first + k, -fr_from_i128(lo_prev - lo)));
                upper.terms.push((first + k, fr_from_i128(hi_prev - hi)));
                bits.push(first + k);
            }
            let w = interval_bits(bound);
            let top = self.pow2[(w - 1) as usize];
            self.decompose_with_top(layer, feature, Decomposition::IntervalLower, lower, w, top)?;
            self.decompose_with_top(layer, feature, Decomposition::IntervalUpper, upper, w, top)?;
        }
        let one = Lc::constant(Fr::ONE);
        let mut sums: Vec<Lc> = ensemble.base.iter().map(|b| Lc::constant(fr_from_i64(*b))).collect();
        for (t, tree) in ensemble.trees.iter().enumerate() {
            let t = t as u32;
            // The indicator of each split, set by its parent (the root's is 1).
            let mut indicators: Vec<Option<Lc>> = vec![None; tree.splits.len()];
            let mut cols = Vec::with_capacity(tree.splits.len());
            for (i, split) in tree.splits.iter().enumerate() {
                let ind = indicators[i].take().unwrap_or_else(|| one.clone());
                let p = self.alloc(layer, t, Column::TreePath { split: i as u32 })?;
                let pair = pairs.binary_search(&(split.feature, split.threshold));
                let b = Lc::column(bits[pair.expect("every split's pair is listed")]);
                let label = Label { layer, neuron: t, role: Constraint::TreePath { split: i as u32 } };
                self.constrain(label, &ind, &b, &Lc::column(p))?;
                cols.push(p);
                if let Child::Split(c) = split.left {
                    indicators[c as usize] = Some(Lc::column(p));
                }
                if let Child::Split(c) = split.right {
                    indicators[c as usize] = Some(ind.minus(&Lc::column(p)));
                }
            }
            let leaf_sums = LeafSums::of(tree);
            for (k, sum) in sums.iter_mut().enumerate() {
                sum.constant += fr_from_i64(leaf_sums.constant(tree, ensemble.outputs, k));
                for (i, c) in leaf_sums.coefficients(tree, ensemble.outputs, k) {
                    sum.terms.push((cols[i], fr_from_i128(c)));
                }
            }
        }
        let mut out = Vec::with_capacity(sums.len());
        for (k, sum) in sums.iter().enumerate() {
            let y = Lc::column(self.alloc(layer, k as u32, Column::TreeSum)?);
            self.constrain(Label { layer, neuron: k as u32, role: Constraint::TreeSum }, sum, &one, &y)?;
            out.push(Wire { lc: y, sign: None });
        }
        Ok(out)
    }

    /// The comparison bits of one feature's thresholds `ts`, with their booleanity
    /// and order rows; returns the first bit's column (the others follow).
    fn comparison_bits(&mut self, layer: u32, feature: u32, ts: &[i64]) -> Result<usize, CircuitError> {
        let label = |role| Label { layer, neuron: feature, role };
        let cols = ts
            .iter()
            .map(|&threshold| self.alloc(layer, feature, Column::Comparison { threshold }))
            .collect::<Result<Vec<_>, _>>()?;
        for (&threshold, &b) in ts.iter().zip(&cols) {
            let row = self.push_label(label(Constraint::ComparisonBoolean { threshold }))?;
            for m in [&mut self.a, &mut self.b, &mut self.c] {
                m.push(row, b, Fr::ONE);
            }
        }
        for (t, pair) in ts.iter().zip(cols.windows(2)) {
            let (b, next) = (Lc::column(pair[0]), Lc::column(pair[1]));
            let not_next = next.scaled_plus(-Fr::ONE, Fr::ONE);
            self.constrain(
                label(Constraint::ComparisonOrder { threshold: *t }),
                &b,
                &not_next,
                &Lc::constant(Fr::ZERO),
            )?;
        }
        self.check_nonzeros()?;
        Ok(cols[0])
    }
}

/// One tree's `Σ_leaves value_k·I_leaf` over its path columns `p_i`. A leaf's
/// indicator is `p_a − Σ_b p_b`, with `a` the last split where its path turns
/// left and `b` the later splits where it turns right (`1 − Σ_b p_b` when it
/// never turns left). So the sum is `constant + Σ_i coeff_i·p_i`, where the
/// constant is the value of the tree's rightmost leaf and `coeff_i` the value
/// of the rightmost leaf under split `i`'s left child minus that under its
/// right child: one term per split at most, found in `O(splits)`.
pub(in crate::frontend::circuit) struct LeafSums {
    /// The rightmost leaf under each split.
    rightmost: Vec<u32>,
}

impl LeafSums {
    /// The rightmost leaves of a validated tree (children come after their parent).
    pub(in crate::frontend::circuit) fn of(tree: &Tree) -> LeafSums {
        let mut rightmost = vec![0u32; tree.splits.len()];
        for (i, split) in tree.splits.iter().enumerate().rev() {
            rightmost[i] = match split.right {
                Child::Leaf(l) => l,
                Child::Split(c) => rightmost[c as usize],
            };
        }
        LeafSums { rightmost }
    }

    fn rightmost_of(&self, child: Child) -> u32 {
        match child {
            Child::Leaf(l) => l,
            Child::Split(c) => self.rightmost[c as usize],
        }
    }

    /// The constant: output `k` of the tree's rightmost leaf (its only leaf if it has no splits).
    pub(in crate::frontend::circuit) fn constant(&self, tree: &Tree, outputs: usize, k: usize) -> i64 {
        let leaf = self.rightmost.first().copied().unwrap_or(0);
        tree.leaves[leaf as usize * outputs + k]
    }

    /// The nonzero `(split, coeff)` pairs of output `k`.
    pub(in crate::frontend::circuit) fn coefficients<'a>(
        &'a self,
        tree: &'a Tree,
        outputs: usize,
        k: usize,
    ) -> impl Iterator<Item = (usize, i128)> + 'a {
        let value = move |leaf: u32| i128::from(tree.leaves[leaf as usize * outputs + k]);
        tree.splits.iter().enumerate().filter_map(move |(i, s)| {
            let c = value(self.rightmost_of(s.left)) - value(self.rightmost_of(s.right));
            (c != 0).then_some((i, c))
        })
    }
}
