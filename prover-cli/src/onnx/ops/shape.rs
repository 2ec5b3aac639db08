//! Ops that move values without computing: `Reshape`, `Flatten`, `Squeeze`,
//! `Unsqueeze`, `Transpose` and `Concat`.
//!
//! - `Reshape` takes a constant target shape (`0` copies the input's dimension
//!   unless `allowzero=1`, one `-1` is inferred). `Flatten` makes a matrix at
//!   `axis` (default 1). `Squeeze` drops the given size-1 axes (all of them
//!   without `axes`) and `Unsqueeze` inserts size-1 axes; their `axes` are an
//!   attribute before opset 13 and a constant input from opset 13. `Transpose`
//!   permutes by `perm` (default: reversed axes).
//!   Of a constant, these are computed at import. Of the activation, the values
//!   stay in row-major order and only the shape changes: a `Transpose` is
//!   accepted only when it keeps the order of the axes larger than 1.
//! - `Concat` of constants is computed at import. Concatenating the activation
//!   (possibly more than once) and constants along its vector axis (every axis
//!   before `axis` of size 1, the other axes equal) is an affine map: an
//!   identity block per activation operand and a bias block per constant.
//!
//! Every shape must hold as many values as the input, within the parameter limit.

use tract_onnx::prelude::tract_ndarray::{self, ArrayD, Axis, IxDyn};

use crate::onnx::chain::FloatOp;
use crate::onnx::error::ImportError;
use crate::onnx::graph::{concat_map, numel, Block, NodeCtx, Value, Walker};

/// `Reshape`, `Flatten`, `Squeeze`, `Unsqueeze`, `Transpose` of a constant or of the activation.
pub(super) fn shape_op(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let (shape, constant) = match w.value(ctx, 0)? {
        Value::Const(c) => (c.shape().to_vec(), Some(c.clone())),
        Value::Act { .. } => (w.activation(ctx, 0)?, None),
    };
    let rank = shape.len();
    let size: usize = shape.iter().product();
    let mut perm: Option<Vec<usize>> = None;
    let out: Vec<usize> = match ctx.node.op_type.as_str() {
        "Reshape" => {
            let target = w.constant(ctx, 1, "shape")?;
            let allowzero = ctx.attr_i("allowzero", 0) != 0;
            let mut out = Vec::with_capacity(target.len());
            let mut infer = None;
            for (i, d) in target.iter().map(|d| *d as i64).enumerate() {
                match d {
                    -1 if infer.is_none() => {
                        infer = Some(i);
                        out.push(1);
                    }
                    0 if !allowzero => {
                        out.push(*shape.get(i).ok_or_else(|| ctx.err("0 in the target shape past the input rank"))?)
                    }
                    d if d >= 0 => out.push(d as usize),
                    d => return Err(ctx.err(format!("invalid target dimension {d}"))),
                }
            }
            if let Some(i) = infer {
                let known = numel(&out).ok_or_else(|| ctx.err(format!("target shape {out:?} is too large")))?;
                if known == 0 || size % known != 0 {
                    return Err(ctx.err(format!("cannot reshape {shape:?} to {:?}", target.iter().collect::<Vec<_>>())));
                }
                out[i] = size / known;
            }
            out
        }
        "Flatten" => {
            let axis = ctx.attr_i("axis", 1);
            let axis = if axis == rank as i64 { rank } else { ctx.axis(axis, rank)? };
            vec![shape[..axis].iter().product(), shape[axis..].iter().product()]
        }
        "Squeeze" => match ints_from(w, ctx, "axes", 1, 13)? {
            None => shape.iter().copied().filter(|d| *d != 1).collect(),
            Some(axes) => {
                let axes = axes.iter().map(|a| ctx.axis(*a, rank)).collect::<Result<Vec<_>, _>>()?;
                if let Some(a) = axes.iter().find(|a| shape[**a] != 1) {
                    return Err(ctx.err(format!("cannot squeeze axis {a} of size {}", shape[*a])));
                }
                shape.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, d)| *d).collect()
            }
        },
        "Unsqueeze" => {
            let axes = ints_from(w, ctx, "axes", 1, 13)?.ok_or_else(|| ctx.err("axes are required"))?;
            let out_rank = rank + axes.len();
            let axes = axes.iter().map(|a| ctx.axis(*a, out_rank)).collect::<Result<Vec<_>, _>>()?;
            let mut rest = shape.iter();
            (0..out_rank).map(|i| if axes.contains(&i) { 1 } else { *rest.next().unwrap_or(&1) }).collect()
        }
        _ => {
            let p = match ctx.attr_ints("perm") {
                Some(p) => p.iter().map(|a| ctx.axis(*a, rank)).collect::<Result<Vec<_>, _>>()?,
                None => (0..rank).rev().collect(),
            };
            let mut sorted = p.clone();
            sorted.sort_unstable();
            if sorted != (0..rank).collect::<Vec<_>>() {
                return Err(ctx.err(format!("perm {p:?} is not a permutation of 0..{rank}")));
            }
            let out = p.iter().map(|a| shape[*a]).collect();
            perm = Some(p);
            out
        }
    };
    if numel(&out) != Some(size) {
        return Err(ctx.err(format!("output shape {out:?} does not hold the {size} values of {shape:?}")));
    }
    match constant {
        Some(c) => {
            let c = match perm {
                Some(p) => c.permuted_axes(IxDyn(&p)),
                None => c,
            };
            let data: Vec<f64> = c.iter().copied().collect();
            w.set(ctx, Value::Const(ArrayD::from_shape_vec(IxDyn(&out), data).expect("size checked")));
        }
        None => {
            // A transpose is free only when it keeps the order of the non-trivial axes.
            if let Some(p) = perm {
                let moved: Vec<usize> = p.into_iter().filter(|a| shape[*a] != 1).collect();
                if moved.windows(2).any(|pair| pair[0] > pair[1]) {
                    return Err(ctx.err(format!("transposing the activation of shape {shape:?} reorders its values")));
                }
            }
            w.reshape_act(ctx, out);
        }
    }
    Ok(())
}

/// The integer list given by attribute `name` (older opsets) or input `index` (newer ones).
fn ints_from(
    w: &Walker,
    ctx: &NodeCtx,
    name: &str,
    index: usize,
    from_opset: i64,
) -> Result<Option<Vec<i64>>, ImportError> {
    if w.opset() < from_opset {
        return Ok(ctx.attr_ints(name));
    }
    if ctx.input_name(index).is_none() {
        return Ok(None);
    }
    let c = w.constant(ctx, index, name)?;
    Ok(Some(c.iter().map(|v| *v as i64).collect()))
}

/// `Concat` of constants, or of the activation and constants along its vector axis.
pub(super) fn concat(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let k = ctx.node.input.len();
    let inputs = (0..k).map(|i| w.value(ctx, i).cloned()).collect::<Result<Vec<_>, _>>()?;
    let first_rank = match &inputs[..] {
        [] => return Err(ctx.err("no inputs")),
        [Value::Const(c), ..] => c.ndim(),
        [Value::Act { shape, .. }, ..] => shape.len(),
    };
    let axis = ctx.axis(ctx.attr_i("axis", 0), first_rank)?;
    let arrays: Vec<_> = inputs
        .iter()
        .filter_map(|v| match v {
            Value::Const(c) => Some(c.view()),
            Value::Act { .. } => None,
        })
        .collect();
    if arrays.len() == k {
        // ndarray panics on operands of different ranks: refuse them first.
        if let Some((i, a)) = arrays.iter().enumerate().find(|(_, a)| a.ndim() != first_rank) {
            return Err(ctx.err(format!(
                "operand {i} has rank {}, operand 0 has rank {first_rank}: Concat needs equal ranks",
                a.ndim()
            )));
        }
        let c = tract_ndarray::concatenate(Axis(axis), &arrays).map_err(|e| ctx.err(format!("{e}")))?;
        w.set(ctx, Value::Const(c));
        return Ok(());
    }
    // The activation and constants concatenated along the vector axis: an affine map
    // with an identity block per activation operand (its map when pending) and a bias
    // block per constant.
    let mut in_dim = None;
    let mut blocks = Vec::with_capacity(k);
    let mut out_shape: Option<Vec<usize>> = None;
    for (i, input) in inputs.iter().enumerate() {
        let shape = match input {
            Value::Act { .. } => {
                let s = w.activation(ctx, i)?;
                let pending = w.pending(ctx, i);
                let n = pending.as_ref().map_or_else(|| s.iter().product::<usize>(), |p| p.in_dim());
                if in_dim.is_some_and(|m| m != n) {
                    return Err(
                        ctx.err(format!("operand {i} is computed from {n} values, not {}", in_dim.unwrap_or(0)))
                    );
                }
                in_dim = Some(n);
                blocks.push(Block::Act(pending));
                s
            }
            Value::Const(c) => {
                blocks.push(Block::Const(c.iter().copied().collect::<Vec<f64>>()));
                c.shape().to_vec()
            }
        };
        if shape.len() != first_rank || shape[..axis].iter().any(|d| *d != 1) {
            return Err(ctx.err(format!("operand {i} of shape {shape:?} is not a vector along axis {axis}")));
        }
        match &mut out_shape {
            None => out_shape = Some(shape),
            Some(o) => {
                if o.iter().zip(&shape).enumerate().any(|(d, (a, b))| d != axis && a != b) {
                    return Err(ctx.err(format!("operand shapes {o:?} and {shape:?} differ off axis {axis}")));
                }
                o[axis] += shape[axis];
            }
        }
    }
    let (Some(n), Some(out_shape)) = (in_dim, out_shape) else {
        return Err(ctx.err("no operand is the activation"));
    };
    let out_dim = numel(&out_shape).ok_or_else(|| ctx.err(format!("output shape {out_shape:?} is too large")))?;
    if numel(&[out_dim, n]).is_none() {
        return Err(ctx.err(format!("the map from {n} to {out_dim} values has more than 2^26 weights")));
    }
    let (map, mut nodes, any_pending) = concat_map(&blocks, n, out_dim);
    if any_pending {
        nodes.push(ctx.name.clone());
        w.set_pending(ctx, out_shape, map, nodes);
        return Ok(());
    }
    let act = inputs.iter().position(|v| matches!(v, Value::Act { .. })).unwrap_or(0);
    w.push(ctx, act, FloatOp::Affine(map), out_shape)
}
