//! Nonlinearities appended to the chain as they are: `Relu`, `LeakyRelu`,
//! `Sigmoid`, `Tanh`, `Clip` and `Softmax`, all on the activation.
//!
//! - `LeakyRelu` takes a finite `alpha` (default 0.01).
//! - `Clip` takes optional constant scalar `min` and `max` inputs (from opset
//!   11; before, optional `min` and `max` attributes); an infinite bound is no
//!   bound, NaN and `min > max` are refused, and a `Clip` without bounds passes
//!   the activation on.
//! - `Softmax` must cover the whole vector: over `axis` (default -1) from
//!   opset 13, over the axes from `axis` on (default 1) before; every other
//!   axis must be of size 1.

use crate::onnx::chain::FloatOp;
use crate::onnx::error::ImportError;
use crate::onnx::graph::{NodeCtx, Value, Walker};

/// `Relu`, `Sigmoid`, `Tanh`, `LeakyRelu`: element-wise on the activation.
pub(super) fn pointwise(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let op = match ctx.node.op_type.as_str() {
        "Relu" => FloatOp::Relu,
        "Sigmoid" => FloatOp::Sigmoid,
        "Tanh" => FloatOp::Tanh,
        _ => {
            let alpha = ctx.attr_f("alpha", 0.01);
            if !alpha.is_finite() {
                return Err(ctx.err(format!("alpha is {alpha}")));
            }
            FloatOp::LeakyRelu { alpha }
        }
    };
    w.push(ctx, 0, op, shape)
}

/// `Clip` of the activation to constant bounds.
pub(super) fn clip(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let bound = |i: usize, what: &str| -> Result<Option<f64>, ImportError> {
        let v = if w.opset() < 11 {
            // Clip-6: the bounds are float attributes.
            match ctx.attr(what) {
                None => return Ok(None),
                Some(a) => a.f as f64,
            }
        } else if ctx.input_name(i).is_none() {
            return Ok(None);
        } else {
            match w.value(ctx, i)? {
                Value::Const(c) if c.len() == 1 => c.iter().next().copied().unwrap_or(f64::NAN),
                Value::Const(_) => return Err(ctx.err(format!("{what} must be a scalar"))),
                Value::Act { .. } => return Err(ctx.err(format!("{what} must be a constant"))),
            }
        };
        if v.is_nan() {
            return Err(ctx.err(format!("{what} is NaN")));
        }
        Ok(v.is_finite().then_some(v))
    };
    let (min, max) = (bound(1, "min")?, bound(2, "max")?);
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            return Err(ctx.err(format!("min {lo} > max {hi}")));
        }
    }
    if min.is_none() && max.is_none() {
        w.reshape_act(ctx, shape);
    } else {
        w.push(ctx, 0, FloatOp::Clip { min, max }, shape)?;
    }
    Ok(())
}

/// `Softmax` over the whole activation vector.
pub(super) fn softmax(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let n: usize = shape.iter().product();
    let default_axis = if w.opset() >= 13 { -1 } else { 1 };
    let axis = ctx.axis(ctx.attr_i("axis", default_axis), shape.len())?;
    // Opset < 13 flattens to [prod(dims[..axis]), prod(dims[axis..])].
    let covered = if w.opset() >= 13 { shape[axis] } else { shape[axis..].iter().product() };
    if covered != n {
        return Err(ctx.err(format!(
            "softmax over axis {axis} of shape {shape:?} does not cover the whole vector; only a softmax over the last (vector) axis is supported"
        )));
    }
    w.push(ctx, 0, FloatOp::Softmax, shape)
}
