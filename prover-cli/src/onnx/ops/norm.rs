//! `BatchNormalization` in inference mode: a per-channel affine map.
//!
//! `y = scale·(x − mean)/sqrt(var + epsilon) + B` with the channel on axis 1
//! (the input is `[N, C, ...]`, here `[1, C]` or `[1, C, D1, ...]`), which is the
//! diagonal map `d = scale/sqrt(var + epsilon)`, `b = B − mean·d` (computed in
//! f64). Like every affine map it folds into a neighbouring `Dense` — the
//! `Gemm`/`MatMul`(+`Add`) before it, or the one after it — and becomes a
//! diagonal `Dense` of its own only between two nonlinearities.
//!
//! `scale`, `B`, `mean` and `var` must be constants of `C` values each, and
//! `var + epsilon` positive. `epsilon` defaults to 1e-5 and `momentum` (used
//! only in training) is ignored. Training is refused: `training_mode=1`
//! (opset 14 on) and the running-statistics outputs. So is `spatial=0`
//! (opsets before 9, per-element statistics; tract refuses it too).

use crate::onnx::chain::{Affine, FloatOp};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{NodeCtx, Walker};

/// `BatchNormalization` of the activation with constant statistics.
pub(super) fn batch_norm(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    if ctx.attr_i("training_mode", 0) != 0 {
        return Err(ctx.err(
            "training_mode=1 normalises with the batch's own statistics; export the model in inference mode (e.g. model.eval())",
        ));
    }
    if ctx.node.output.iter().skip(1).any(|o| !o.is_empty()) {
        return Err(
            ctx.err("the running mean/variance outputs (training mode) are not supported; export in inference mode")
        );
    }
    if ctx.attr_i("spatial", 1) != 1 {
        return Err(ctx.err("spatial=0 (per-element statistics, opsets before 9) is not supported"));
    }
    let eps = ctx.attr_f("epsilon", 1e-5);
    if !eps.is_finite() {
        return Err(ctx.err(format!("epsilon is {eps}")));
    }
    if shape.len() < 2 {
        return Err(
            ctx.err(format!("input of shape {shape:?} has no channel axis 1; BatchNormalization takes [N, C, ...]"))
        );
    }
    let channels = shape[1];
    let inner: usize = shape[2..].iter().product();
    let mut params = Vec::with_capacity(4);
    for (i, what) in [(1, "scale"), (2, "B"), (3, "mean"), (4, "var")] {
        let c = w.constant(ctx, i, what)?;
        if c.len() != channels {
            return Err(
                ctx.err(format!("{what} has shape {:?}; it must hold one value per channel ({channels})", c.shape()))
            );
        }
        params.push(c.iter().copied().collect::<Vec<f64>>());
    }
    let (scale, b, mean, var) = (&params[0], &params[1], &params[2], &params[3]);
    let mut slope = Vec::with_capacity(channels);
    let mut shift = Vec::with_capacity(channels);
    for c in 0..channels {
        let denom = (var[c] + eps).sqrt();
        if !(denom > 0.0 && denom.is_finite()) {
            return Err(ctx.err(format!("var[{c}] + epsilon = {} is not positive", var[c] + eps)));
        }
        let d = scale[c] / denom;
        slope.push(d);
        shift.push(b[c] - mean[c] * d);
    }
    // Flat row-major index i of [N, C, D1, ...] is in channel (i / inner) % C.
    let n: usize = shape.iter().product();
    let diag = (0..n).map(|i| slope[(i / inner.max(1)) % channels]).collect();
    let bias = (0..n).map(|i| shift[(i / inner.max(1)) % channels]).collect();
    w.push(ctx, 0, FloatOp::Affine(Affine::diagonal(diag, bias)), shape)
}
