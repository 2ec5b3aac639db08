//! `Constant`: a tensor given by the node's attributes.
//!
//! The tensor comes from `value` (any numeric element type, loaded like an
//! initializer) or from `value_float`, `value_floats`, `value_int` or
//! `value_ints`; sparse and string constants are refused. Graph initializers
//! are constants too; [`crate::onnx::graph::normalise`] loads them before the walk.

use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

use crate::onnx::error::ImportError;
use crate::onnx::graph::{load_tensor, NodeCtx, Value, Walker};

/// `Constant`: records the attribute's tensor as a constant value.
pub(super) fn constant(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let value = if let Some(a) = ctx.attr("value") {
        let t = a.t.as_ref().ok_or_else(|| ctx.err("attribute `value` holds no tensor"))?;
        load_tensor(t, &ctx.name, w.model_dir())?
    } else if let Some(a) = ctx.attr("value_float") {
        ArrayD::from_elem(IxDyn(&[]), a.f as f64)
    } else if let Some(a) = ctx.attr("value_floats") {
        ArrayD::from_shape_vec(IxDyn(&[a.floats.len()]), a.floats.iter().map(|f| *f as f64).collect()).expect("1-D")
    } else if let Some(a) = ctx.attr("value_int") {
        ArrayD::from_elem(IxDyn(&[]), a.i as f64)
    } else if let Some(a) = ctx.attr("value_ints") {
        ArrayD::from_shape_vec(IxDyn(&[a.ints.len()]), a.ints.iter().map(|i| *i as f64).collect()).expect("1-D")
    } else {
        return Err(ctx.err("only numeric tensor constants are supported"));
    };
    w.set(ctx, Value::Const(value));
    Ok(())
}
