//! Tree ensembles: the [`Layer::Trees`](super::Layer::Trees) layer.
//!
//! A [`TreeEnsemble`] maps an input vector `x` (scale `2^s`) to `outputs`
//! values: `y_k = base_k + Σ_trees value_k(leaf reached by x)`. Each split
//! sends `x` to its `left` child when `x[feature] ≤ threshold`, else to its
//! `right` child; every comparison is exact on integers, and leaf values and
//! base values are integers at scale `2^s`, summed exactly.
//!
//! A tree stores its splits (split 0 is the root) and its leaves; a child is a
//! split or a leaf. A tree without splits is one leaf. The structure rules
//! ([`TreeEnsemble::check`]): every split but the root and every leaf has
//! exactly one parent, a split's children come after it, and paths are at most
//! [`MAX_TREE_DEPTH`] splits long. So a tree is a binary tree whose leaves
//! number one more than its splits.
//!
//! The circuit (`docs/PROTOCOL.md`, "Tree ensembles") does not walk the trees:
//! it proves which interval between consecutive thresholds of each feature the
//! input lies in ([`TreeEnsemble::thresholds`]), from which every comparison is
//! one bit, then selects each tree's path with one product per split.

/// Longest path of a tree, in splits.
pub const MAX_TREE_DEPTH: usize = 64;
/// Largest magnitude of a threshold, leaf value or base value: `< 2^60`, like
/// every value of the model ([`super::bounds::MAX_VALUE_BITS`]).
pub const MAX_TREE_CONST: i64 = (1 << super::bounds::MAX_VALUE_BITS) - 1;

/// Where a split leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Child {
    /// Another split of the same tree, by index.
    Split(u32),
    /// A leaf of the same tree, by index.
    Leaf(u32),
}

/// One comparison of a tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Split {
    /// The input compared.
    pub feature: u32,
    /// `x[feature] ≤ threshold` goes left (scale `2^s`).
    pub threshold: i64,
    /// Where `x[feature] ≤ threshold` leads.
    pub left: Child,
    /// Where `x[feature] > threshold` leads.
    pub right: Child,
}

/// One tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    /// The splits; split 0 is the root. Empty for a tree that is one leaf.
    pub splits: Vec<Split>,
    /// The leaf values, leaf-major: leaf `i` adds `leaves[i·outputs + k]` to output `k`.
    pub leaves: Vec<i64>,
}

/// A sum of trees, plus base values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEnsemble {
    /// Number of outputs (classes or targets).
    pub outputs: usize,
    /// The trees.
    pub trees: Vec<Tree>,
    /// Added to the sum of the leaves, one per output (scale `2^s`).
    pub base: Vec<i64>,
}

impl Tree {
    /// The leaf `x` reaches, and the splits on its way with the direction taken
    /// (`true` for left). `x` must cover every feature (checked by validation).
    pub fn path(&self, x: &[i64]) -> (u32, Vec<(u32, bool)>) {
        let mut at = if self.splits.is_empty() { Child::Leaf(0) } else { Child::Split(0) };
        let mut path = Vec::new();
        loop {
            match at {
                Child::Leaf(leaf) => return (leaf, path),
                Child::Split(i) => {
                    let s = &self.splits[i as usize];
                    let left = x[s.feature as usize] <= s.threshold;
                    path.push((i, left));
                    at = if left { s.left } else { s.right };
                }
            }
        }
    }

    /// The longest path, in splits, of a tree whose children come after their parent.
    pub fn depth(&self) -> usize {
        // depth[i]: splits from the root to split i, inclusive; parents come first.
        let mut depth = vec![1usize; self.splits.len()];
        for (i, split) in self.splits.iter().enumerate() {
            let below = depth[i] + 1;
            for child in [split.left, split.right] {
                if let Child::Split(c) = child {
                    if let Some(d) = depth.get_mut(c as usize) {
                        *d = below;
                    }
                }
            }
        }
        depth.into_iter().max().unwrap_or(0)
    }
}

impl TreeEnsemble {
    /// `base + Σ_trees leaf values` for input `x` (validated ensemble: no overflow).
    pub fn eval(&self, x: &[i64]) -> Vec<i128> {
        let mut y: Vec<i128> = self.base.iter().map(|b| i128::from(*b)).collect();
        for tree in &self.trees {
            let (leaf, _) = tree.path(x);
            let values = &tree.leaves[leaf as usize * self.outputs..][..self.outputs];
            for (y, v) in y.iter_mut().zip(values) {
                *y += i128::from(*v);
            }
        }
        y
    }

    /// The distinct `(feature, threshold)` pairs of the splits, ascending.
    pub fn thresholds(&self) -> Vec<(u32, i64)> {
        let mut pairs: Vec<(u32, i64)> =
            self.trees.iter().flat_map(|t| &t.splits).map(|s| (s.feature, s.threshold)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// [`TreeEnsemble::thresholds`] grouped by feature: `(feature, thresholds ascending)`.
    pub fn thresholds_by_feature(&self) -> Vec<(u32, Vec<i64>)> {
        self.thresholds()
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| (group[0].0, group.iter().map(|(_, t)| *t).collect()))
            .collect()
    }

    /// Number of stored constants: thresholds, leaf values and base values.
    pub fn num_params(&self) -> usize {
        self.trees.iter().map(|t| t.splits.len() + t.leaves.len()).sum::<usize>() + self.base.len()
    }

    /// `(lo_k, hi_k)` per output: `base_k` plus each tree's smallest (largest) leaf value.
    pub fn output_ranges(&self) -> Vec<(i128, i128)> {
        (0..self.outputs)
            .map(|k| {
                let base = i128::from(self.base[k]);
                self.trees.iter().fold((base, base), |(lo, hi), t| {
                    let values = t.leaves.iter().skip(k).step_by(self.outputs).map(|v| i128::from(*v));
                    let (min, max) = values.fold((i128::MAX, i128::MIN), |(a, b), v| (a.min(v), b.max(v)));
                    (lo + min, hi + max)
                })
            })
            .collect()
    }

    /// Checks the structure rules (see the module documentation) for an input of
    /// `width` values; the message names the tree and node that break one.
    pub fn check(&self, width: usize) -> Result<(), String> {
        if self.outputs == 0 || self.outputs > super::MAX_WIDTH {
            return Err(format!("{} outputs", self.outputs));
        }
        if self.trees.is_empty() {
            return Err("no trees".into());
        }
        if self.base.len() != self.outputs {
            return Err(format!("{} base values for {} outputs", self.base.len(), self.outputs));
        }
        if let Some(b) = self.base.iter().find(|b| b.unsigned_abs() > MAX_TREE_CONST as u64) {
            return Err(format!("base value {b} beyond ±(2^60 - 1)"));
        }
        for (t, tree) in self.trees.iter().enumerate() {
            self.check_tree(tree, width).map_err(|e| format!("tree {t}: {e}"))?;
        }
        Ok(())
    }

    fn check_tree(&self, tree: &Tree, width: usize) -> Result<(), String> {
        let n = tree.splits.len();
        if tree.leaves.len() != (n + 1) * self.outputs {
            return Err(format!("{} leaf values for {n} splits and {} outputs", tree.leaves.len(), self.outputs));
        }
        if let Some(v) = tree.leaves.iter().find(|v| v.unsigned_abs() > MAX_TREE_CONST as u64) {
            return Err(format!("leaf value {v} beyond ±(2^60 - 1)"));
        }
        let mut split_parent = vec![false; n];
        let mut leaf_parent = vec![false; n + 1];
        for (i, s) in tree.splits.iter().enumerate() {
            if s.feature as usize >= width {
                return Err(format!("split {i} compares input {} of {width}", s.feature));
            }
            if s.threshold.unsigned_abs() > MAX_TREE_CONST as u64 {
                return Err(format!("split {i} has threshold {} beyond ±(2^60 - 1)", s.threshold));
            }
            if i > 0 && !split_parent[i] {
                return Err(format!("split {i} has no parent"));
            }
            for child in [s.left, s.right] {
                let (seen, c) = match child {
                    Child::Split(c) if (c as usize) > i && (c as usize) < n => (&mut split_parent, c as usize),
                    Child::Leaf(c) if (c as usize) <= n => (&mut leaf_parent, c as usize),
                    _ => return Err(format!("split {i} leads to {child:?}, which is not a later node of the tree")),
                };
                if std::mem::replace(&mut seen[c], true) {
                    return Err(format!("split {i} leads to {child:?}, which already has a parent"));
                }
            }
        }
        let depth = tree.depth();
        if depth > MAX_TREE_DEPTH {
            return Err(format!("a path has {depth} splits, more than {MAX_TREE_DEPTH}"));
        }
        // n splits have 2n children: n − 1 of them are splits (each split but the
        // root has one parent, checked above), so n + 1 are distinct leaves out of
        // n + 1: every leaf is reached.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `x0 ≤ 5 ? (x1 ≤ -2 ? 10 : 20) : 30`, one output.
    fn tree() -> Tree {
        Tree {
            splits: vec![
                Split { feature: 0, threshold: 5, left: Child::Split(1), right: Child::Leaf(2) },
                Split { feature: 1, threshold: -2, left: Child::Leaf(0), right: Child::Leaf(1) },
            ],
            leaves: vec![10, 20, 30],
        }
    }

    #[test]
    fn trees_walk_and_sum_exactly() {
        let e =
            TreeEnsemble { outputs: 1, trees: vec![tree(), Tree { splits: vec![], leaves: vec![-1] }], base: vec![7] };
        e.check(2).unwrap();
        assert_eq!(e.eval(&[5, -2]), vec![7 + 10 - 1]);
        assert_eq!(e.eval(&[5, -1]), vec![7 + 20 - 1]);
        assert_eq!(e.eval(&[6, -100]), vec![7 + 30 - 1]);
        assert_eq!(tree().path(&[0, 0]), (1, vec![(0, true), (1, false)]));
        assert_eq!(e.output_ranges(), vec![(7 + 10 - 1, 7 + 30 - 1)]);
        assert_eq!(e.thresholds(), vec![(0, 5), (1, -2)]);
        assert_eq!(e.thresholds_by_feature(), vec![(0, vec![5]), (1, vec![-2])]);
        assert_eq!(e.num_params(), 2 + 3 + 1 + 1);
    }

    #[test]
    fn malformed_trees_are_named() {
        let check = |t: Tree| TreeEnsemble { outputs: 1, trees: vec![t], base: vec![0] }.check(2).unwrap_err();
        let mut t = tree();
        t.splits[1].left = Child::Split(0);
        assert!(check(t).contains("split 1 leads to Split(0)"));
        let mut t = tree();
        t.splits[0].right = Child::Leaf(1);
        assert!(check(t).contains("already has a parent"));
        let mut t = tree();
        t.splits[1].feature = 2;
        assert!(check(t).contains("compares input 2 of 2"));
        let mut t = tree();
        t.leaves.pop();
        assert!(check(t).contains("2 leaf values for 2 splits"));
        let mut t = tree();
        t.splits[0].left = Child::Leaf(0);
        let err = check(t);
        assert!(err.starts_with("tree 0: split 1 has no parent"), "{err}");
        // A chain deeper than the limit.
        let n = MAX_TREE_DEPTH + 1;
        let splits = (0..n as u32)
            .map(|i| Split {
                feature: 0,
                threshold: 0,
                left: Child::Leaf(i),
                right: if i + 1 < n as u32 { Child::Split(i + 1) } else { Child::Leaf(i + 1) },
            })
            .collect();
        assert!(check(Tree { splits, leaves: vec![0; n + 1] }).contains("a path has 65 splits, more than 64"));
        // Constants beyond ±(2^60 − 1), and the ensemble's own shape.
        let mut t = tree();
        t.splits[0].threshold = 1 << 60;
        assert!(check(t).contains("split 0 has threshold 1152921504606846976 beyond"));
        let mut t = tree();
        t.leaves[2] = -(1 << 60);
        assert!(check(t).contains("leaf value -1152921504606846976 beyond"));
        let ensemble = |outputs, trees: Vec<Tree>, base: Vec<i64>| TreeEnsemble { outputs, trees, base }.check(2);
        assert_eq!(ensemble(1, vec![], vec![0]).unwrap_err(), "no trees");
        assert_eq!(ensemble(0, vec![tree()], vec![]).unwrap_err(), "0 outputs");
        assert_eq!(ensemble(1, vec![tree()], vec![0, 0]).unwrap_err(), "2 base values for 1 outputs");
        assert!(ensemble(1, vec![tree()], vec![1 << 60])
            .unwrap_err()
            .contains("base value 1152921504606846976 beyond"));
    }
}
