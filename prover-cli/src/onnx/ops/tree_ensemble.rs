//! ai.onnx.ml opset 5's `TreeEnsemble`: per target, the sum (`aggregate_function`
//! 1, `SUM`) or mean (0, `AVERAGE`) of the one leaf each tree reaches, then the
//! `post_transform` (0 `NONE`, 1 `SOFTMAX`, 2 `LOGISTIC`). Its trees start at
//! the `tree_roots` positions of the `nodes_*` lists; each branch points at a
//! node or, when its `nodes_trueleafs`/`nodes_falseleafs` entry is 1, at a leaf
//! of the `leaf_*` lists (one target and weight each). `nodes_modes` is a uint8
//! tensor (0–6: `BRANCH_LEQ`, `LT`, `GTE`, `GT`, `EQ`, `NEQ`, `MEMBER`);
//! `BRANCH_MEMBER` nodes take their sets, in node order, from
//! `membership_values`, each ended by a NaN. A node whose two branches lead to
//! the same place decides nothing (the encoding of a one-leaf tree). Missing-value
//! tracking and hit rates are ignored: an input is never NaN. No base values:
//! an exporter adds them as an `Add` after the node.

use zkpolicy_core::frontend::model::{MAX_PARAMS, MAX_WIDTH};

use super::tree_graph::{max_expanded, Mode, Next, Node, Pool};
use super::trees::{input_width, ints};
use super::{push_ops, with_post_transform};
use crate::onnx::chain::{FloatOp, FloatTrees};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{load_tensor, NodeCtx, Walker};

/// A tensor attribute as f64 values, `None` when absent.
fn tensor(w: &Walker, ctx: &NodeCtx, name: &str) -> Result<Option<Vec<f64>>, ImportError> {
    let Some(t) = ctx.attr(name).and_then(|a| a.t.as_ref()) else { return Ok(None) };
    Ok(Some(load_tensor(t, &format!("{name} of {}", ctx.name), w.model_dir())?.into_iter().collect()))
}

/// A required tensor attribute.
fn required_tensor(w: &Walker, ctx: &NodeCtx, name: &str) -> Result<Vec<f64>, ImportError> {
    tensor(w, ctx, name)?.ok_or_else(|| ctx.err(format!("attribute {name} is missing")))
}

/// `TreeEnsemble` (ai.onnx.ml 5): the targets' scores and their post-transform.
pub(super) fn tree_ensemble(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let width = input_width(w, ctx)?;
    let targets = ctx.attr("n_targets").map(|a| a.i).ok_or_else(|| ctx.err("attribute n_targets is missing"))?;
    let targets = usize::try_from(targets)
        .ok()
        .filter(|t| (1..=MAX_WIDTH).contains(t))
        .ok_or_else(|| ctx.err(format!("n_targets = {targets}")))?;
    let aggregate = ctx.attr_i("aggregate_function", 1);
    let average = match aggregate {
        0 => true,
        1 => false,
        2 | 3 => {
            let name = if aggregate == 2 { "MIN" } else { "MAX" };
            return Err(ctx.err(format!(
                "aggregate_function {aggregate} ({name}) is not supported; 1 (SUM) and 0 (AVERAGE) are"
            )));
        }
        other => return Err(ctx.err(format!("aggregate_function {other} is not one of 0-3"))),
    };
    let transform = match ctx.attr_i("post_transform", 0) {
        0 => "NONE",
        1 => "SOFTMAX",
        2 => "LOGISTIC",
        3 => "SOFTMAX_ZERO",
        4 => "PROBIT",
        other => return Err(ctx.err(format!("post_transform {other} is not one of 0-4"))),
    };
    let pool = read_pool(w, ctx, targets, width)?;
    let roots = ints(ctx, "tree_roots")?;
    if roots.is_empty() {
        return Err(ctx.err("tree_roots is empty"));
    }
    let (mut reached_nodes, mut reached_leaves) = (vec![false; pool.nodes.len()], vec![false; pool.leaves.len()]);
    let mut budget = max_expanded(pool.nodes.len() + pool.leaves.len());
    let mut trees = Vec::with_capacity(roots.len());
    for (t, root) in roots.iter().enumerate() {
        let root = usize::try_from(*root)
            .ok()
            .filter(|r| *r < pool.nodes.len())
            .ok_or_else(|| ctx.err(format!("tree_roots[{t}] = {root} is not one of the {} nodes", pool.nodes.len())))?;
        let reached = (&mut reached_nodes[..], &mut reached_leaves[..]);
        trees.push(pool.expand(ctx, t as i64, Next::Node(root), reached, &mut budget)?.0);
    }
    if average {
        let n = trees.len() as f64;
        trees.iter_mut().flat_map(|t| t.leaves.iter_mut()).for_each(|v| *v /= n);
    }
    let ensemble = FloatTrees { outputs: targets, trees, base: vec![0.0; targets] };
    let ops = with_post_transform(ctx, transform, (FloatOp::Trees(ensemble), vec![1, targets]))?;
    push_ops(w, ctx, ops, 0)
}

/// The nodes and leaves of the `nodes_*`, `leaf_*` and `membership_values` attributes.
fn read_pool(w: &Walker, ctx: &NodeCtx, targets: usize, width: usize) -> Result<Pool, ImportError> {
    let features = ints(ctx, "nodes_featureids")?;
    let yes = ints(ctx, "nodes_truenodeids")?;
    let no = ints(ctx, "nodes_falsenodeids")?;
    let yes_leaf = ints(ctx, "nodes_trueleafs")?;
    let no_leaf = ints(ctx, "nodes_falseleafs")?;
    let modes = required_tensor(w, ctx, "nodes_modes")?;
    let splits = required_tensor(w, ctx, "nodes_splits")?;
    let n = features.len();
    if n == 0 || n > MAX_PARAMS {
        return Err(ctx.err(format!("{n} tree nodes")));
    }
    let lengths = [yes.len(), no.len(), yes_leaf.len(), no_leaf.len(), modes.len(), splits.len()];
    if lengths.iter().any(|l| *l != n) {
        return Err(ctx.err(format!(
            "the nodes_* attributes have different lengths ({n} feature ids, then {lengths:?} true and false \
             node ids, true and false leaf flags, modes and splits)"
        )));
    }
    let target_ids = ints(ctx, "leaf_targetids")?;
    let weights = required_tensor(w, ctx, "leaf_weights")?;
    if target_ids.is_empty() || target_ids.len() != weights.len() {
        return Err(ctx.err(format!("{} leaf_targetids and {} leaf_weights", target_ids.len(), weights.len())));
    }
    let mut leaves = Vec::with_capacity(target_ids.len());
    for (i, (target, weight)) in target_ids.iter().zip(&weights).enumerate() {
        let out = usize::try_from(*target).ok().filter(|o| *o < targets);
        let out =
            out.ok_or_else(|| ctx.err(format!("leaf_targetids[{i}] = {target} is not one of the {targets} targets")))?;
        if !weight.is_finite() {
            return Err(ImportError::NonFinite {
                what: format!("leaf_weights of node `{}`", ctx.name),
                index: i,
                value: *weight,
            });
        }
        leaves.push(vec![(out, *weight)]);
    }
    // The membership sets, in node order, each ended by a NaN.
    let members = tensor(w, ctx, "membership_values")?.unwrap_or_default();
    let member_nodes = modes.iter().filter(|m| Mode::from_code(**m) == Some(Mode::Member)).count();
    let set_count = members.iter().filter(|v| v.is_nan()).count();
    if set_count != member_nodes {
        return Err(ctx.err(format!(
            "membership_values holds {set_count} sets (each ended by a NaN) for {member_nodes} BRANCH_MEMBER nodes"
        )));
    }
    let mut sets = members.split(|v| v.is_nan());
    let branch = |i: usize, is_leaf: i64, id: i64, which: &str| {
        let (count, kind) = if is_leaf != 0 { (leaves.len(), "leaves") } else { (n, "nodes") };
        let at = usize::try_from(id).ok().filter(|at| *at < count).ok_or_else(|| {
            ctx.err(format!("node {i}: nodes_{which}nodeids = {id} is not one of the {count} {kind}"))
        })?;
        Ok::<_, ImportError>(if is_leaf != 0 { Next::Leaf(at) } else { Next::Node(at) })
    };
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let mode = Mode::from_code(modes[i])
            .ok_or_else(|| ctx.err(format!("node {i}: nodes_modes {} is not a mode (0-6)", modes[i])))?;
        let values = if mode == Mode::Member {
            // As many sets as member nodes, each ended by a NaN: the split yields them all.
            let mut set = sets.next().unwrap_or_default().to_vec();
            set.sort_by(f64::total_cmp);
            set.dedup();
            set
        } else {
            vec![splits[i]]
        };
        let (yes, no) = (branch(i, yes_leaf[i], yes[i], "true")?, branch(i, no_leaf[i], no[i], "false")?);
        nodes.push(Node { id: i as i64, feature: features[i], mode, values, yes, no });
    }
    Ok(Pool { nodes, leaves, outputs: targets, width })
}
