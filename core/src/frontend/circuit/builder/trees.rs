//! The `Trees` gadget: a tree ensemble proved without walking its trees.
//!
//! For each compared feature, one comparison bit `b = [x ≤ t]` per distinct
//! threshold, proved by [`Builder::threshold_bits`].
//!
//! Each tree: the root's indicator is 1. Split `i` with indicator `I` and bit
//! `b` has a path value `p_i = I·b`, the indicator of its left child; its right
//! child's is `I − p_i`. Below the root `p_i` is a column with one product row;
//! the root's is `b` itself. By induction every indicator is 1 on the path `x`
//! takes and 0 elsewhere. Output `k` is one column
//! `y_k = base_k + Σ_leaves value_k·I_leaf`, the sum written with one term per
//! path column ([`LeafSums`]).

use ark_bn254::Fr;
use ark_ff::Field;

use super::{Builder, Lc, Wire};
use crate::frontend::circuit::{CircuitError, Column, Constraint, Label};
use crate::frontend::model::bounds::Interval;
use crate::frontend::model::trees::{Child, Tree, TreeEnsemble};
use crate::snark::r1cs::{fr_from_i128, fr_from_i64};

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
            let x = self.one_column(layer, feature, inputs[feature as usize].clone())?;
            let first = self.threshold_bits(layer, feature, &x.lc, &ts, Interval::symmetric(bound))?;
            bits.extend((0..ts.len()).map(|k| first + k));
        }
        let one = Lc::constant(Fr::ONE);
        let mut sums: Vec<Lc> = ensemble.base.iter().map(|b| Lc::constant(fr_from_i64(*b))).collect();
        for (t, tree) in ensemble.trees.iter().enumerate() {
            let t = t as u32;
            // The indicator of each split, set by its parent (the root's is 1, so its
            // path value `1·b` is the bit itself: no column, no row).
            let mut indicators: Vec<Option<Lc>> = vec![None; tree.splits.len()];
            let mut paths: Vec<Lc> = Vec::with_capacity(tree.splits.len());
            for (i, split) in tree.splits.iter().enumerate() {
                let pair = pairs.binary_search(&(split.feature, split.threshold));
                let b = Lc::column(bits[pair.expect("every split's pair is listed")]);
                let ind = indicators[i].take();
                let p = match &ind {
                    None => b,
                    Some(ind) => {
                        let p = Lc::column(self.alloc(layer, t, Column::TreePath { split: i as u32 })?);
                        let label = Label { layer, neuron: t, role: Constraint::TreePath { split: i as u32 } };
                        self.constrain(label, ind, &b, &p)?;
                        p
                    }
                };
                if let Child::Split(c) = split.left {
                    indicators[c as usize] = Some(p.clone());
                }
                if let Child::Split(c) = split.right {
                    indicators[c as usize] = Some(ind.as_ref().unwrap_or(&one).minus(&p));
                }
                paths.push(p);
            }
            let leaf_sums = LeafSums::of(tree);
            for (k, sum) in sums.iter_mut().enumerate() {
                sum.constant += fr_from_i64(leaf_sums.constant(tree, ensemble.outputs, k));
                for (i, c) in leaf_sums.coefficients(tree, ensemble.outputs, k) {
                    sum.add_scaled(&paths[i], fr_from_i128(c));
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
}

/// One tree's `Σ_leaves value_k·I_leaf` over its path values `p_i`. A leaf's
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
