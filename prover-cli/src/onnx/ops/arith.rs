//! Element-wise arithmetic with a constant: `Add`, `Sub`, `Mul` and `Div`.
//!
//! Two constants are combined at import (numpy broadcasting). The activation
//! with a constant operand is a diagonal affine map `y = d·x + b`: the
//! constant must broadcast to the activation's shape without enlarging it.
//! `x + c`, `c + x`, `x - c`, `c - x`, `x·c`, `c·x` and `x / c` (no zero in
//! `c`) are supported; `c / x` is not linear, and an op on two values computed
//! from the input (a residual connection) cannot be folded into the chain.

use tract_onnx::prelude::tract_ndarray::IxDyn;

use crate::onnx::chain::{Affine, FloatOp};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{numel, NodeCtx, Value, Walker};

/// Element-wise binary arithmetic.
#[derive(Clone, Copy)]
pub(super) enum Arith {
    /// `Add`.
    Add,
    /// `Sub`.
    Sub,
    /// `Mul`.
    Mul,
    /// `Div`.
    Div,
}

/// `Add`, `Sub`, `Mul`, `Div` of constants, or of the activation and a constant.
pub(super) fn arith(w: &mut Walker, ctx: &NodeCtx, op: Arith) -> Result<(), ImportError> {
    let (lhs, rhs) = (w.value(ctx, 0)?.clone(), w.value(ctx, 1)?.clone());
    let act_first = match (&lhs, &rhs) {
        (Value::Const(a), Value::Const(b)) => {
            let shape = broadcast_shape(a.shape(), b.shape()).filter(|s| numel(s).is_some()).ok_or_else(|| {
                ctx.err(format!("constants of shapes {:?} and {:?} do not broadcast", a.shape(), b.shape()))
            })?;
            let (Some(a), Some(b)) = (a.broadcast(IxDyn(&shape)), b.broadcast(IxDyn(&shape))) else {
                return Err(ctx.err("constants do not broadcast"));
            };
            let c = match op {
                Arith::Add => &a + &b,
                Arith::Sub => &a - &b,
                Arith::Mul => &a * &b,
                Arith::Div => &a / &b,
            };
            w.set(ctx, Value::Const(c));
            return Ok(());
        }
        (Value::Act { .. }, Value::Const(_)) => true,
        (Value::Const(_), Value::Act { .. }) => false,
        (Value::Act { .. }, Value::Act { .. }) => {
            return Err(ctx.err(
                "both operands are computed from the model input (e.g. a residual connection); only constant operands can be folded",
            ))
        }
    };
    let (ai, ci) = if act_first { (0, 1) } else { (1, 0) };
    let shape = w.activation(ctx, ai)?;
    let c = w.constant(ctx, ci, "operand")?;
    let c: Vec<f64> = c
        .broadcast(IxDyn(&shape))
        .ok_or_else(|| {
            ctx.err(format!(
                "constant of shape {:?} would broadcast the activation of shape {shape:?} to a larger shape",
                c.shape()
            ))
        })?
        .iter()
        .copied()
        .collect();
    let n = c.len();
    let (scale, bias) = match (op, act_first) {
        (Arith::Add, _) => (vec![1.0; n], c),
        (Arith::Sub, true) => (vec![1.0; n], c.iter().map(|v| -v).collect()),
        (Arith::Sub, false) => (vec![-1.0; n], c),
        (Arith::Mul, _) => (c, vec![0.0; n]),
        (Arith::Div, true) => {
            if let Some(i) = c.iter().position(|v| *v == 0.0) {
                return Err(ctx.err(format!("division by zero (divisor element {i})")));
            }
            (c.iter().map(|v| 1.0 / v).collect(), vec![0.0; n])
        }
        (Arith::Div, false) => return Err(ctx.err("dividing a constant by the activation is not a linear map")),
    };
    w.push(ctx, ai, FloatOp::Affine(Affine::diagonal(scale, bias)), shape)
}

/// The shape two constants broadcast to (numpy rules), if they do.
fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| {
        if i + s.len() < rank {
            1
        } else {
            s[i + s.len() - rank]
        }
    };
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y || y == 1 => Some(x),
            (1, y) => Some(y),
            _ => None,
        })
        .collect()
}
