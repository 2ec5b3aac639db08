//! Ops that pass their input on unchanged: `Identity`, `Dropout` and `Cast`.
//!
//! - `Identity` and `Dropout` (inference: no dropping, no scaling) output their
//!   input; Dropout's optional mask output is refused. From opset 12 Dropout
//!   takes optional `ratio` and `training_mode` inputs: a constant
//!   `training_mode` that is true with a non-zero ratio (default 0.5) drops
//!   values at random and is refused, as is a `training_mode` computed from the
//!   input. Before opset 12 Dropout is always the identity at inference.
//! - `Cast` of a constant converts its values: rounded to float32 for `FLOAT`
//!   and to float16 for `FLOAT16`, unchanged for `DOUBLE`, 0/1 for `BOOL`,
//!   truncated toward zero for any other type. A cast of the activation is free
//!   when it goes to `FLOAT` or `DOUBLE` (the activation's values are float32's);
//!   to `FLOAT16` it would round them to 11 significant bits, which the integer
//!   model does not do, and is refused; to `BOOL` it is the comparison `x ≠ 0`; to an integer type it
//!   is accepted after an ArgMax, whose output is already an integer index, and
//!   as the indices of `Gather` nodes only, which look up `table[trunc(x)]`
//!   themselves (see `logic.rs`).

use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::prelude::f16;

use crate::onnx::error::ImportError;
use crate::onnx::graph::{NodeCtx, Value, Walker};

/// `Identity`, `Dropout`: the output is the input (a constant, or the current activation).
pub(super) fn identity(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let node = ctx.node;
    let v = w.value(ctx, 0)?.clone();
    if let Value::Act { .. } = v {
        // Only the latest activation can pass on (checked; its shape is kept).
        w.activation(ctx, 0)?;
    }
    if node.op_type == "Dropout" && node.output.len() > 1 && !node.output[1].is_empty() {
        return Err(ctx.err("the dropout mask output is not supported"));
    }
    if node.op_type == "Dropout" && w.opset() >= 12 && ctx.input_name(2).is_some() {
        let training = w.constant(ctx, 2, "training_mode")?;
        let ratio = match ctx.input_name(1) {
            Some(_) => w.constant(ctx, 1, "ratio")?.iter().next().copied().unwrap_or(0.5),
            None => 0.5,
        };
        if training.iter().any(|t| *t != 0.0) && ratio != 0.0 {
            return Err(ctx.err(format!(
                "training_mode is true with ratio {ratio}: the dropout drops values at random; export the model in inference mode"
            )));
        }
    }
    w.set(ctx, v);
    Ok(())
}

/// `Cast` to the type of attribute `to`.
pub(super) fn cast(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let to = DataType::try_from(ctx.attr_i("to", 0) as i32).unwrap_or(DataType::Undefined);
    let is_float = matches!(to, DataType::Float | DataType::Double | DataType::Float16);
    match w.value(ctx, 0)?.clone() {
        Value::Const(c) => {
            let c = match to {
                DataType::Float => c.mapv(|v| v as f32 as f64),
                DataType::Float16 => c.mapv(|v| f16::from_f64(v).to_f64()),
                _ if is_float => c,
                DataType::Bool => c.mapv(|v| (v != 0.0) as u8 as f64),
                _ => c.mapv(f64::trunc),
            };
            w.set(ctx, Value::Const(c));
        }
        Value::Act { .. } => {
            let shape = w.activation(ctx, 0)?;
            if to == DataType::Bool && !w.ends_in_argmax() {
                return super::logic::nonzero(w, ctx);
            }
            if to == DataType::Float16 {
                return Err(ctx.err(
                    "casting the activation to Float16 rounds it to 11 significant bits, which the integer model \
                     does not do; export the model in float32 (casts to FLOAT and DOUBLE are free)",
                ));
            }
            let out = ctx.node.output.first().map(String::as_str).unwrap_or("");
            let only_indices = w.only_gather_indices(out);
            if !is_float && !w.ends_in_argmax() && !only_indices {
                return Err(ctx.err(format!(
                    "casting the activation to {to:?} is not supported; casts to FLOAT, DOUBLE and BOOL are, and integer casts feeding Gather indices"
                )));
            }
            w.reshape_act(ctx, shape);
        }
    }
    Ok(())
}
