//! The nodes of an ONNX-ML tree ensemble as the file lists them (a pool of
//! comparison nodes and leaves, each branch pointing at one of them), and their
//! expansion into the binary trees of `x ≤ t` / `x < t` splits that a `Trees`
//! layer proves.
//!
//! Every comparison is a partition of the real line by cut points into
//! regions, each region leading to the node's true or false branch:
//!
//! | mode | cuts | regions |
//! |---|---|---|
//! | `BRANCH_LEQ` `t` | `x ≤ t` | true, false |
//! | `BRANCH_LT` `t` | `x < t` | true, false |
//! | `BRANCH_GTE` `t` | `x < t` | false, true |
//! | `BRANCH_GT` `t` | `x ≤ t` | false, true |
//! | `BRANCH_EQ` `t` | `x < t`, `x ≤ t` | false, true, false |
//! | `BRANCH_NEQ` `t` | `x < t`, `x ≤ t` | true, false, true |
//! | `BRANCH_MEMBER` `v₁ < … < v_k` | `x < v₁`, `x ≤ v₁`, …, `x < v_k`, `x ≤ v_k` | false, true, false, …, true, false |
//!
//! A node becomes a balanced binary search over its regions (one split for the
//! first four modes, two for `BRANCH_EQ`/`BRANCH_NEQ`, `⌈log₂(2k + 1)⌉` levels
//! for a set of `k` members), each region continuing into the branch it leads
//! to. Each split decides exactly as its real comparison (see
//! `quantize_threshold`), so the expansion decides `x = t` exactly: on the grid
//! of the quantized inputs, `x = t` iff `x ≤ t ∧ ¬(x < t)`; a `t` off the grid
//! equals no input. A branch reached from several regions (or a node shared by
//! several parents) is copied once per path, so the expansion is bounded
//! ([`max_expanded`]).

use zkpolicy_core::frontend::model::trees::{Child, MAX_TREE_DEPTH};
use zkpolicy_core::frontend::model::MAX_WIDTH;

use crate::onnx::chain::{FloatSplit, FloatTree};
use crate::onnx::error::ImportError;
use crate::onnx::graph::NodeCtx;

/// Where a branch leads: a comparison node or a leaf of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// Index into [`Pool::nodes`].
    Node(usize),
    /// Index into [`Pool::leaves`].
    Leaf(usize),
}

/// A comparison's mode, as ONNX-ML names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// `x ≤ t`.
    Leq,
    /// `x < t`.
    Lt,
    /// `x ≥ t`.
    Gte,
    /// `x > t`.
    Gt,
    /// `x = t`.
    Eq,
    /// `x ≠ t`.
    Neq,
    /// `x ∈ {v₁, …}` (ai.onnx.ml 5).
    Member,
}

impl Mode {
    /// The mode of ai.onnx.ml 1–3's `nodes_modes` strings (`LEAF` is not a mode).
    pub(super) fn from_name(name: &str) -> Option<Mode> {
        Some(match name {
            "BRANCH_LEQ" => Mode::Leq,
            "BRANCH_LT" => Mode::Lt,
            "BRANCH_GTE" => Mode::Gte,
            "BRANCH_GT" => Mode::Gt,
            "BRANCH_EQ" => Mode::Eq,
            "BRANCH_NEQ" => Mode::Neq,
            _ => return None,
        })
    }

    /// The mode of ai.onnx.ml 5's `nodes_modes` codes (0–6).
    pub(super) fn from_code(code: f64) -> Option<Mode> {
        const MODES: [Mode; 7] = [Mode::Leq, Mode::Lt, Mode::Gte, Mode::Gt, Mode::Eq, Mode::Neq, Mode::Member];
        MODES.iter().zip(0..).find(|(_, c)| f64::from(*c) == code).map(|(m, _)| *m)
    }
}

/// One comparison node: its number in the file (for messages), the input it
/// compares, its mode and values (one threshold, or the members of a set), and
/// its branches.
#[derive(Debug)]
pub(super) struct Node {
    /// The node's id in the file: `nodes_nodeids` (ai.onnx.ml 1–3) or its
    /// position in the `nodes_*` lists (ai.onnx.ml 5).
    pub(super) id: i64,
    /// The input compared.
    pub(super) feature: i64,
    /// The comparison.
    pub(super) mode: Mode,
    /// The threshold, or the members (sorted, distinct) for [`Mode::Member`].
    pub(super) values: Vec<f64>,
    /// Where the comparison leads when true.
    pub(super) yes: Next,
    /// Where it leads when false.
    pub(super) no: Next,
}

impl Node {
    /// Number of cut points.
    fn cuts(&self) -> usize {
        match self.mode {
            Mode::Leq | Mode::Lt | Mode::Gte | Mode::Gt => 1,
            Mode::Eq | Mode::Neq | Mode::Member => 2 * self.values.len(),
        }
    }

    /// Cut `i`: `(t, strict)`, region `i` lying at `x ≤ t` (`x < t` if strict)
    /// and region `i + 1` beyond.
    fn cut(&self, i: usize) -> (f64, bool) {
        match self.mode {
            Mode::Leq | Mode::Gt => (self.values[0], false),
            Mode::Lt | Mode::Gte => (self.values[0], true),
            Mode::Eq | Mode::Neq | Mode::Member => (self.values[i / 2], i % 2 == 0),
        }
    }

    /// Where region `r` leads.
    fn region(&self, r: usize) -> Next {
        let yes = match self.mode {
            Mode::Leq | Mode::Lt => r == 0,
            Mode::Gte | Mode::Gt => r == 1,
            // Odd regions are the members.
            Mode::Eq | Mode::Member => r % 2 == 1,
            Mode::Neq => r % 2 == 0,
        };
        if yes {
            self.yes
        } else {
            self.no
        }
    }
}

/// The nodes and leaves of an ensemble, leaf values per output.
#[derive(Debug)]
pub(super) struct Pool {
    /// The comparison nodes.
    pub(super) nodes: Vec<Node>,
    /// Per leaf, its `(output, value)` pairs (summed per output).
    pub(super) leaves: Vec<Vec<(usize, f64)>>,
    /// Number of outputs.
    pub(super) outputs: usize,
    /// The input width.
    pub(super) width: usize,
}

/// At most this many splits and leaves in all the expanded trees of a pool of
/// `listed` nodes and leaves: the file's own count, or 2^20 when copies of
/// shared branches make more.
pub(super) fn max_expanded(listed: usize) -> usize {
    listed.max(1 << 20)
}

/// What to expand next: a branch, or regions `lo..=hi` of a node's comparison.
#[derive(Clone, Copy)]
enum At {
    Next(Next),
    Regions { node: usize, lo: usize, hi: usize },
}

/// An item of the depth-first walk: what, its depth in splits, the number of
/// the file's nodes on its path, and where its parent records it
/// (`(split, is_left)`; none for the root).
struct Visit {
    at: At,
    depth: usize,
    nodes: usize,
    parent: Option<(usize, bool)>,
}

impl Pool {
    /// Tree `t` (its number, for messages) from `root`, depth first: a split's
    /// index is its order of visit (parents before children), a leaf's
    /// likewise. Marks the nodes and leaves it reaches in `reached` (of the
    /// nodes, of the leaves) and returns the tree with the number it marked
    /// first; `budget` is the number of splits and leaves left to the ensemble.
    pub(super) fn expand(
        &self,
        ctx: &NodeCtx,
        t: i64,
        root: Next,
        reached: (&mut [bool], &mut [bool]),
        budget: &mut usize,
    ) -> Result<(FloatTree, usize), ImportError> {
        let (reached_nodes, reached_leaves) = reached;
        let mut newly = 0;
        let mut tree = FloatTree { splits: Vec::new(), leaves: Vec::new() };
        let mut stack = vec![Visit { at: At::Next(root), depth: 0, nodes: 0, parent: None }];
        let too_deep = || ctx.err(format!("tree {t} is deeper than {MAX_TREE_DEPTH} splits (or loops)"));
        let spend = |budget: &mut usize| {
            *budget = budget.checked_sub(1).ok_or_else(|| {
                ctx.err(format!(
                    "the trees expand to more than {} splits and leaves (BRANCH_EQ, BRANCH_NEQ and BRANCH_MEMBER \
                     nodes, and nodes or leaves reached from several parents, are copied once per path)",
                    max_expanded(self.nodes.len() + self.leaves.len())
                ))
            })?;
            Ok::<(), ImportError>(())
        };
        while let Some(Visit { at, depth, nodes, parent }) = stack.pop() {
            let child = match at {
                At::Next(Next::Leaf(l)) => {
                    spend(budget)?;
                    newly += usize::from(!std::mem::replace(&mut reached_leaves[l], true));
                    let mut values = vec![0.0; self.outputs];
                    for (out, v) in &self.leaves[l] {
                        values[*out] += v;
                    }
                    let leaf = tree.leaves.len() / self.outputs;
                    tree.leaves.extend(values);
                    Child::Leaf(leaf as u32)
                }
                At::Next(Next::Node(n)) => {
                    // Every node but a degenerate one adds a split: this bounds the
                    // path also where none does (a loop of them).
                    if nodes >= MAX_TREE_DEPTH {
                        return Err(too_deep());
                    }
                    newly += usize::from(!std::mem::replace(&mut reached_nodes[n], true));
                    let node = &self.nodes[n];
                    // Both branches alike: the comparison decides nothing (ai.onnx.ml 5's one-leaf tree).
                    let at = if node.yes == node.no {
                        At::Next(node.yes)
                    } else {
                        At::Regions { node: n, lo: 0, hi: node.cuts() }
                    };
                    stack.push(Visit { at, depth, nodes: nodes + 1, parent });
                    continue;
                }
                At::Regions { node: n, lo, hi } if lo == hi => {
                    stack.push(Visit { at: At::Next(self.nodes[n].region(lo)), depth, nodes, parent });
                    continue;
                }
                At::Regions { node: n, lo, hi } => {
                    let node = &self.nodes[n];
                    let id = node.id;
                    if depth >= MAX_TREE_DEPTH {
                        return Err(too_deep());
                    }
                    let feature = usize::try_from(node.feature).ok().filter(|f| *f < self.width.min(MAX_WIDTH));
                    let feature = feature.ok_or_else(|| {
                        ctx.err(format!("tree {t}: node {id} compares input {} of {}", node.feature, self.width))
                    })?;
                    let m = (lo + hi - 1) / 2;
                    let (threshold, strict) = node.cut(m);
                    if !threshold.is_finite() {
                        let what = if node.mode == Mode::Member { "a member" } else { "threshold" };
                        return Err(ctx.err(format!("tree {t}: node {id} has {what} {threshold}")));
                    }
                    spend(budget)?;
                    let i = tree.splits.len();
                    let placeholder = Child::Leaf(0);
                    tree.splits.push(FloatSplit {
                        feature: feature as u32,
                        threshold,
                        strict,
                        left: placeholder,
                        right: placeholder,
                    });
                    // Right pushed first: the left subtree is visited first.
                    let regions = |lo, hi| At::Regions { node: n, lo, hi };
                    let (depth, parent) = (depth + 1, |left| Some((i, left)));
                    stack.push(Visit { at: regions(m + 1, hi), depth, nodes, parent: parent(false) });
                    stack.push(Visit { at: regions(lo, m), depth, nodes, parent: parent(true) });
                    Child::Split(i as u32)
                }
            };
            if let Some((p, is_left)) = parent {
                let split = &mut tree.splits[p];
                if is_left {
                    split.left = child;
                } else {
                    split.right = child;
                }
            }
        }
        Ok((tree, newly))
    }
}
