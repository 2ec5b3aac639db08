//! Nonlinearities appended to the chain as they are: `Relu`, `LeakyRelu`,
//! `Sigmoid`, `Tanh`, `Clip`, `Softmax`, and the functions proved as their
//! piecewise-linear approximation (`Gelu`, `Softplus`, `Elu`, `HardSwish`, `Exp`;
//! `zkpolicy_core::frontend::model::piecewise`), all on the activation.
//!
//! - `LeakyRelu` takes a finite `alpha` (default 0.01), `Elu` a finite `alpha`
//!   (default 1).
//! - `Gelu` (opset 20) takes `approximate` `none` (the default, `x·Φ(x)`) or `tanh`.
//! - `HardSigmoid` is exactly `Clip(alpha·x + beta, 0, 1)` (finite `alpha`, default
//!   0.2, and `beta`, default 0.5): an affine map, folded into the `Dense` before it,
//!   then a `Clip`.
//! - `Clip` takes optional constant scalar `min` and `max` inputs (from opset
//!   11; before, optional `min` and `max` attributes); an infinite bound is no
//!   bound, NaN and `min > max` are refused, and a `Clip` without bounds passes
//!   the activation on.
//! - `Softmax` must cover the whole vector: over `axis` (default -1) from
//!   opset 13, over the axes from `axis` on (default 1) before; every other
//!   axis must be of size 1.

use zkpolicy_core::frontend::model::piecewise::Approximated;

use crate::onnx::chain::{Affine, FloatOp};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{NodeCtx, Value, Walker};

/// `Relu`, `Sigmoid`, `Tanh`, `LeakyRelu`, `Elu`, `Gelu`, `Softplus`, `HardSwish`,
/// `Exp`: element-wise on the activation.
pub(super) fn pointwise(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let finite = |name, default| finite(ctx, name, default);
    let op = match ctx.node.op_type.as_str() {
        "Relu" => FloatOp::Relu,
        "Sigmoid" => FloatOp::Sigmoid,
        "Tanh" => FloatOp::Tanh,
        "LeakyRelu" => FloatOp::LeakyRelu { alpha: finite("alpha", 0.01)? },
        "Elu" => FloatOp::Approximated(Approximated::Elu { alpha: finite("alpha", 1.0)? }),
        "Gelu" => {
            let approximate =
                ctx.attr("approximate").map_or_else(|| "none".into(), |a| String::from_utf8_lossy(&a.s).into_owned());
            FloatOp::Approximated(match approximate.as_str() {
                "none" => Approximated::Gelu,
                "tanh" => Approximated::GeluTanh,
                other => return Err(ctx.err(format!("approximate \"{other}\"; \"none\" and \"tanh\" are supported"))),
            })
        }
        "Softplus" => FloatOp::Approximated(Approximated::Softplus),
        "HardSwish" => FloatOp::Approximated(Approximated::HardSwish),
        // The top of the approximated range is set at quantization, from the bound of
        // the layer's input.
        _ => FloatOp::Approximated(Approximated::Exp { top: 0 }),
    };
    w.push(ctx, 0, op, shape)
}

/// `HardSigmoid`: `Clip(alpha·x + beta, 0, 1)`, exactly.
pub(super) fn hard_sigmoid(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let n: usize = shape.iter().product();
    let (alpha, beta) = (finite(ctx, "alpha", 0.2)?, finite(ctx, "beta", 0.5)?);
    let map = FloatOp::Affine(Affine::diagonal(vec![alpha; n], vec![beta; n]));
    super::push_ops(w, ctx, vec![(map, shape.clone()), (FloatOp::Clip { min: Some(0.0), max: Some(1.0) }, shape)], 0)
}

/// The float attribute `name` (`default` when absent), refused unless finite.
fn finite(ctx: &NodeCtx, name: &str, default: f64) -> Result<f64, ImportError> {
    let v = ctx.attr_f(name, default);
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ctx.err(format!("{name} is {v}")))
    }
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
