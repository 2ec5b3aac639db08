//! The tree ensembles of the ONNX-ML domain (`ai.onnx.ml` opsets 1–3), as
//! skl2onnx exports scikit-learn's trees, forests and gradient boosting, and
//! onnxmltools exports XGBoost and LightGBM:
//!
//! - `TreeEnsembleClassifier`: per class, the sum of the leaf weights
//!   (`class_*`) plus `base_values`, then the `post_transform` (`NONE`,
//!   `LOGISTIC`, `SOFTMAX`). With two class labels and every weight on class 0
//!   (the binary layout of gradient boosting), the one score `s` becomes the
//!   pair `[1 − s, s]` (`NONE`) or `[σ(−s), σ(s)] = [1 − p, p]` (`LOGISTIC`), as
//!   tract and onnxruntime present it. The node's second output, the scores, is
//!   its value; the label is their argmax.
//! - `TreeEnsembleRegressor`: per target, the sum (`aggregate_function` `SUM`)
//!   or mean (`AVERAGE`) of the leaf weights (`target_*`) plus `base_values`;
//!   `post_transform` `NONE`.
//!
//! Each node's mode (`BRANCH_LEQ`, `BRANCH_LT`, `BRANCH_GTE`, `BRANCH_GT`,
//! `BRANCH_EQ`, `BRANCH_NEQ`) becomes splits "left iff `x ≤ t`" or "left iff
//! `x < t`" ([`super::tree_graph`]; an equality is two). Missing-value tracking
//! is ignored: an input is never NaN (quantization refuses it).

use std::collections::{BTreeMap, HashMap, HashSet};

use zkpolicy_core::frontend::model::{MAX_PARAMS, MAX_WIDTH};

use super::tree_graph::{max_expanded, Mode, Next, Node, Pool};
use super::{floats, post_transform, push_ops, with_post_transform};
use crate::onnx::chain::{FloatOp, FloatTree, FloatTrees};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{load_tensor, NodeCtx, Walker};

/// An integer list attribute, required.
pub(super) fn ints(ctx: &NodeCtx, name: &str) -> Result<Vec<i64>, ImportError> {
    ctx.attr_ints(name).ok_or_else(|| ctx.err(format!("attribute {name} is missing")))
}

/// A float list attribute given as floats or as a tensor (`{name}_as_tensor`, ai.onnx.ml 3).
fn values(w: &Walker, ctx: &NodeCtx, name: &str) -> Result<Option<Vec<f64>>, ImportError> {
    if let Some(t) = ctx.attr(&format!("{name}_as_tensor")).and_then(|a| a.t.as_ref()) {
        return Ok(Some(
            load_tensor(t, &format!("{name}_as_tensor of {}", ctx.name), w.model_dir())?.into_iter().collect(),
        ));
    }
    Ok(floats(ctx, name))
}

/// The trees of an ensemble node of ai.onnx.ml 1–3: `prefix` is `class` or
/// `target`, `outputs` the number of classes or targets, `width` the input
/// width. Each tree id's nodes form one tree from its one root (the node no
/// other node points to), every node reached from it; trees come in ascending
/// tree id.
fn read_trees(
    w: &Walker,
    ctx: &NodeCtx,
    prefix: &str,
    outputs: usize,
    width: usize,
) -> Result<Vec<FloatTree>, ImportError> {
    let tree_ids = ints(ctx, "nodes_treeids")?;
    let node_ids = ints(ctx, "nodes_nodeids")?;
    let features = ints(ctx, "nodes_featureids")?;
    let yes = ints(ctx, "nodes_truenodeids")?;
    let no = ints(ctx, "nodes_falsenodeids")?;
    let thresholds = values(w, ctx, "nodes_values")?.ok_or_else(|| ctx.err("attribute nodes_values is missing"))?;
    let modes = &ctx.attr("nodes_modes").ok_or_else(|| ctx.err("attribute nodes_modes is missing"))?.strings;
    let n = tree_ids.len();
    if n == 0 || n > MAX_PARAMS {
        return Err(ctx.err(format!("{n} tree nodes")));
    }
    let lengths = [node_ids.len(), features.len(), yes.len(), no.len(), thresholds.len(), modes.len()];
    if lengths.iter().any(|l| *l != n) {
        return Err(ctx.err(format!("the nodes_* attributes have different lengths ({n} tree ids, then {lengths:?})")));
    }
    // Each listed node by its (tree id, node id): a comparison node or a leaf of the pool.
    let mut at: HashMap<(i64, i64), Next> = HashMap::with_capacity(n);
    let (mut comparisons, mut leaf_count) = (Vec::new(), 0);
    for i in 0..n {
        let next = if modes[i] == b"LEAF" {
            leaf_count += 1;
            Next::Leaf(leaf_count - 1)
        } else {
            comparisons.push(i);
            Next::Node(comparisons.len() - 1)
        };
        if at.insert((tree_ids[i], node_ids[i]), next).is_some() {
            return Err(ctx.err(format!("node {} of tree {} is listed twice", node_ids[i], tree_ids[i])));
        }
    }
    // Leaf weights: (output, weight) pairs of the leaves they name.
    let at_prefix = |name: &str| format!("{prefix}_{name}");
    let leaf_trees = ints(ctx, &at_prefix("treeids"))?;
    let leaf_nodes = ints(ctx, &at_prefix("nodeids"))?;
    let leaf_outputs = ints(ctx, &at_prefix("ids"))?;
    let weights = values(w, ctx, &at_prefix("weights"))?
        .ok_or_else(|| ctx.err(format!("attribute {} is missing", at_prefix("weights"))))?;
    let m = leaf_trees.len();
    if [leaf_nodes.len(), leaf_outputs.len(), weights.len()].iter().any(|l| *l != m) {
        return Err(ctx.err(format!("the {prefix}_* attributes have different lengths")));
    }
    let mut leaves = vec![Vec::new(); leaf_count];
    for i in 0..m {
        let out = usize::try_from(leaf_outputs[i]).ok().filter(|o| *o < outputs);
        let out = out.ok_or_else(|| {
            ctx.err(format!("{} {} is not one of the {outputs} outputs", at_prefix("ids"), leaf_outputs[i]))
        })?;
        if !weights[i].is_finite() {
            return Err(ImportError::NonFinite {
                what: format!("the leaf weights of node `{}`", ctx.name),
                index: i,
                value: weights[i],
            });
        }
        if let Some(Next::Leaf(l)) = at.get(&(leaf_trees[i], leaf_nodes[i])) {
            leaves[*l].push((out, weights[i]));
        }
    }
    // Every tree's entries, and its roots: the nodes that are no node's child.
    let children: HashSet<(i64, i64)> =
        comparisons.iter().flat_map(|i| [(tree_ids[*i], yes[*i]), (tree_ids[*i], no[*i])]).collect();
    let mut ids: BTreeMap<i64, (usize, Vec<i64>)> = BTreeMap::new();
    for (t, id) in tree_ids.iter().zip(&node_ids) {
        let entry = ids.entry(*t).or_default();
        entry.0 += 1;
        if !children.contains(&(*t, *id)) {
            entry.1.push(*id);
        }
    }
    for (t, roots) in ids.iter().map(|(t, (_, roots))| (t, roots)) {
        if roots.len() != 1 {
            return Err(ctx.err(format!("tree {t} has {} roots (nodes that are no node's child)", roots.len())));
        }
    }
    let next = |t: i64, id: i64| {
        at.get(&(t, id)).copied().ok_or_else(|| ctx.err(format!("tree {t}: node {id} is referenced but not listed")))
    };
    let mut nodes = Vec::with_capacity(comparisons.len());
    for i in comparisons {
        let mode = String::from_utf8_lossy(&modes[i]);
        let mode = Mode::from_name(&mode).ok_or_else(|| {
            ctx.err(format!(
                "tree {}: node {} has mode {mode}; BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ and \
                 BRANCH_NEQ are supported",
                tree_ids[i], node_ids[i]
            ))
        })?;
        let (yes, no) = (next(tree_ids[i], yes[i])?, next(tree_ids[i], no[i])?);
        nodes.push(Node { id: node_ids[i], feature: features[i], mode, values: vec![thresholds[i]], yes, no });
    }
    let pool = Pool { nodes, leaves, outputs, width };
    let (mut reached_nodes, mut reached_leaves) = (vec![false; pool.nodes.len()], vec![false; pool.leaves.len()]);
    let mut budget = max_expanded(n);
    let mut trees = Vec::with_capacity(ids.len());
    for (t, (count, roots)) in ids {
        let root = next(t, roots[0])?;
        let (tree, reached) = pool.expand(ctx, t, root, (&mut reached_nodes, &mut reached_leaves), &mut budget)?;
        // A tree's entries are its own (keyed by its id): all of them are reached.
        if reached != count {
            return Err(
                ctx.err(format!("tree {t}: {} of its {count} nodes are not reached from its root", count - reached))
            );
        }
        trees.push(tree);
    }
    Ok(trees)
}

/// `base_values`: `outputs` values, or none (zeros).
fn base_values(ctx: &NodeCtx, w: &Walker, outputs: usize) -> Result<Vec<f64>, ImportError> {
    match values(w, ctx, "base_values")? {
        None => Ok(vec![0.0; outputs]),
        Some(b) if b.len() == outputs && b.iter().all(|v| v.is_finite()) => Ok(b),
        Some(b) => Err(ctx.err(format!("{} base values for {outputs} outputs", b.len()))),
    }
}

/// The input width of the node (a batch-1 vector).
pub(super) fn input_width(w: &Walker, ctx: &NodeCtx) -> Result<usize, ImportError> {
    let shape = w.activation(ctx, 0)?;
    let width: usize = shape.iter().product();
    if shape.last() != Some(&width) {
        return Err(ctx.err(format!("the input of shape {shape:?} is not a vector (batch 1)")));
    }
    Ok(width)
}

/// `TreeEnsembleClassifier`: the class scores (output 1) and their post-transform.
pub(super) fn classifier(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let width = input_width(w, ctx)?;
    let classes = ctx
        .attr("classlabels_int64s")
        .map(|a| a.ints.len())
        .filter(|n| *n > 0)
        .or_else(|| ctx.attr("classlabels_strings").map(|a| a.strings.len()))
        .filter(|n| *n > 0)
        .ok_or_else(|| ctx.err("no class labels (classlabels_int64s or classlabels_strings)"))?;
    let trees = read_trees(w, ctx, "class", classes, width)?;
    let transform = post_transform(ctx);
    // The binary layout: two labels, every weight on class 0 (tract's and onnxruntime's rule);
    // its base values are one (skl2onnx's gradient boosting) or two, the first counting.
    let binary = classes == 2 && ints(ctx, "class_ids")?.iter().all(|c| *c == 0);
    let single_base = binary && values(w, ctx, "base_values")?.is_some_and(|b| b.len() == 1);
    let base = base_values(ctx, w, if single_base { 1 } else { classes })?;
    let ensemble = if binary {
        // Score s = Σ class-0 weights + base_0, presented as [1 − s, s] or [−s, s] before σ.
        let trees = trees
            .into_iter()
            .map(|t| FloatTree { leaves: t.leaves.chunks(2).flat_map(|v| [-v[0], v[0]]).collect(), ..t })
            .collect();
        let b = base[0];
        let base = match transform.as_str() {
            "NONE" => vec![1.0 - b, b],
            "LOGISTIC" => vec![-b, b],
            other => {
                return Err(ctx.err(format!(
                    "post_transform {other} with one binary score is not supported; NONE and LOGISTIC are"
                )))
            }
        };
        FloatTrees { outputs: 2, trees, base }
    } else {
        FloatTrees { outputs: classes, trees, base }
    };
    let shape = vec![1, ensemble.outputs];
    let ops = with_post_transform(ctx, &transform, (FloatOp::Trees(ensemble), shape))?;
    push_ops(w, ctx, ops, 1)
}

/// `TreeEnsembleRegressor`: the sum or mean of the trees per target.
pub(super) fn regressor(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    if post_transform(ctx) != "NONE" {
        return Err(ctx.err(format!("post_transform {} is not supported; NONE is", post_transform(ctx))));
    }
    let width = input_width(w, ctx)?;
    let targets = ctx.attr_i("n_targets", 1);
    let targets = usize::try_from(targets)
        .ok()
        .filter(|t| (1..=MAX_WIDTH).contains(t))
        .ok_or_else(|| ctx.err(format!("n_targets = {targets}")))?;
    let mut trees = read_trees(w, ctx, "target", targets, width)?;
    let aggregate =
        ctx.attr("aggregate_function").map_or_else(|| "SUM".into(), |a| String::from_utf8_lossy(&a.s).into_owned());
    match aggregate.as_str() {
        "SUM" => {}
        "AVERAGE" => {
            let n = trees.len() as f64;
            trees.iter_mut().flat_map(|t| t.leaves.iter_mut()).for_each(|v| *v /= n);
        }
        other => return Err(ctx.err(format!("aggregate_function {other} is not supported; SUM and AVERAGE are"))),
    }
    let ensemble = FloatTrees { outputs: targets, base: base_values(ctx, w, targets)?, trees };
    push_ops(w, ctx, vec![(FloatOp::Trees(ensemble), vec![1, targets])], 0)
}
