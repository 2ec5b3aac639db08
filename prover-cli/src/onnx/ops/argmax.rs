//! `ArgMax`: the index of the largest value, the model's class decision.
//!
//! It must cover the whole vector (over `axis`, default 0, with every other
//! axis of size 1), ties go to the first index (`select_last_index=1` is
//! refused), and `keepdims` (default 1) only shapes the output. Nothing may be
//! computed after it: only ops that pass the activation on can follow (shape
//! ops, `Identity`, and a `Cast`, which after an ArgMax may also go to an
//! integer type).

use crate::onnx::chain::FloatOp;
use crate::onnx::error::ImportError;
use crate::onnx::graph::{NodeCtx, Walker};

/// `ArgMax` of the activation: the last step of the chain.
pub(super) fn argmax(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let shape = w.activation(ctx, 0)?;
    let n: usize = shape.iter().product();
    let axis = ctx.axis(ctx.attr_i("axis", 0), shape.len())?;
    if shape[axis] != n {
        return Err(ctx.err(format!(
            "argmax over axis {axis} of shape {shape:?} does not cover the whole vector; only an argmax over the last (vector) axis is supported"
        )));
    }
    if ctx.attr_i("select_last_index", 0) != 0 {
        return Err(ctx.err("select_last_index=1 is not supported (ties go to the first index)"));
    }
    let mut out = shape.clone();
    if ctx.attr_i("keepdims", 1) != 0 {
        out[axis] = 1;
    } else {
        out.remove(axis);
    }
    w.push(ctx, 0, FloatOp::ArgMax, out)
}
