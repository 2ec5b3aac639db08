//! The linear models of the ONNX-ML domain (`ai.onnx.ml`), as skl2onnx exports
//! scikit-learn's linear classifiers and regressors, and the column selection
//! that follows a linear SVM:
//!
//! - `LinearClassifier`: scores `X·Cᵀ + intercepts` for each class (one row of
//!   coefficients per class; with two classes and one row, the scores are
//!   `[−s, s]`), then the `post_transform`: `NONE`, `LOGISTIC` (an element-wise
//!   sigmoid; for one row `[σ(−s), σ(s)] = [1 − p, p]`) or `SOFTMAX`. The node's
//!   second output, the scores, is its value; its first, the label, is the
//!   argmax of the scores and is not computed (prove the scores: the decision is
//!   their argmax).
//! - `LinearRegressor`: `X·Cᵀ + intercepts`, `post_transform` `NONE`.
//! - `ArrayFeatureExtractor` of the activation at constant indices along its
//!   last axis: a selection (an affine map).

use super::{floats, post_transform, push_ops, with_post_transform};
use crate::onnx::chain::{Affine, FloatOp};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{numel, NodeCtx, Walker};

/// The affine map `X·Cᵀ + b` of `coefficients` (`rows` rows) from the activation (input 0), checked.
fn linear_map(w: &Walker, ctx: &NodeCtx, rows: usize, intercepts: Vec<f64>) -> Result<Affine, ImportError> {
    let shape = w.activation(ctx, 0)?;
    let coefficients = floats(ctx, "coefficients").ok_or_else(|| ctx.err("no coefficients"))?;
    let features: usize = shape.iter().product();
    if rows == 0 || coefficients.len() != rows * features || shape[..shape.len() - 1].iter().any(|d| *d != 1) {
        return Err(ctx.err(format!(
            "{} coefficients for {rows} rows do not fit the input of shape {shape:?} (batch 1)",
            coefficients.len()
        )));
    }
    if let Some((i, v)) = coefficients.iter().chain(&intercepts).enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(ImportError::NonFinite {
            what: format!("the coefficients of node `{}`", ctx.name),
            index: i,
            value: *v,
        });
    }
    Ok(Affine::full(features, rows, coefficients, intercepts))
}

/// `LinearClassifier`: the class scores (output 1) as an affine map and its post-transform.
pub(super) fn linear_classifier(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let classes = ctx
        .attr("classlabels_ints")
        .map(|a| a.ints.len())
        .filter(|n| *n > 0)
        .or_else(|| ctx.attr("classlabels_strings").map(|a| a.strings.len()))
        .unwrap_or(0);
    let coefficients = floats(ctx, "coefficients").map_or(0, |c| c.len());
    let single = ctx.attr_i("multi_class", 0) == 0 && classes == 2;
    let intercepts = floats(ctx, "intercepts");
    let models = match &intercepts {
        Some(b) => b.len(),
        None if single => 1,
        None => classes,
    };
    if models == 0 || coefficients % models != 0 || (models != classes && !(models == 1 && single)) {
        return Err(ctx.err(format!("{models} sets of coefficients for {classes} class labels")));
    }
    let mut map = linear_map(w, ctx, models, intercepts.unwrap_or_else(|| vec![0.0; models]))?;
    if models == 1 {
        // Two classes from one model: scores [−s, s].
        let n = map.in_dim;
        let c = map.dense_weights();
        let weights = c.iter().map(|v| -v).chain(c.iter().copied()).collect();
        map = Affine::full(n, 2, weights, vec![-map.bias[0], map.bias[0]]);
    }
    let shape = vec![1, map.out_dim];
    let ops = with_post_transform(ctx, &post_transform(ctx), (FloatOp::Affine(map), shape))?;
    push_ops(w, ctx, ops, 1)
}

/// `LinearRegressor`: `X·Cᵀ + intercepts`.
pub(super) fn linear_regressor(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    if post_transform(ctx) != "NONE" {
        return Err(ctx.err(format!("post_transform {} is not supported; NONE is", post_transform(ctx))));
    }
    let targets = ctx.attr_i("targets", 1);
    let targets =
        usize::try_from(targets).ok().filter(|t| *t > 0).ok_or_else(|| ctx.err(format!("targets = {targets}")))?;
    let intercepts = floats(ctx, "intercepts").unwrap_or_else(|| vec![0.0; targets]);
    if intercepts.len() != targets {
        return Err(ctx.err(format!("{} intercepts for {targets} targets", intercepts.len())));
    }
    let map = linear_map(w, ctx, targets, intercepts)?;
    let shape = vec![1, targets];
    push_ops(w, ctx, vec![(FloatOp::Affine(map), shape)], 0)
}

/// `ArrayFeatureExtractor` of the activation at constant indices (last axis).
pub(super) fn array_feature_extractor(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let indices = w.constant(ctx, 1, "indices")?;
    let n: usize = shape.iter().product();
    if shape.last() != Some(&n) {
        return Err(ctx.err(format!("the activation of shape {shape:?} is not a vector along its last axis")));
    }
    let picks: Vec<usize> = indices
        .iter()
        .map(|i| {
            let k = *i as i64;
            let k = if k < 0 { k + n as i64 } else { k };
            usize::try_from(k).ok().filter(|k| *k < n).ok_or_else(|| ctx.err(format!("index {i} outside 0..{n}")))
        })
        .collect::<Result<_, _>>()?;
    if numel(&[picks.len(), n]).is_none() {
        return Err(ctx.err(format!("selecting {} of {n} values takes more than 2^26 weights", picks.len())));
    }
    let mut weights = vec![0.0; picks.len() * n];
    for (r, k) in picks.iter().enumerate() {
        weights[r * n + k] = 1.0;
    }
    let mut out_shape = shape.clone();
    if let Some(last) = out_shape.last_mut() {
        *last = picks.len();
    }
    w.push(ctx, 0, FloatOp::Affine(Affine::full(n, picks.len(), weights, vec![0.0; picks.len()])), out_shape)
}
