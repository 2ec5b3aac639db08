//! Matrix products with a constant weight: `Gemm` and `MatMul`, each one
//! affine map of the chain.
//!
//! - `Gemm` computes `alpha·A'·B' + beta·C` where `A` is the activation of
//!   shape `[1, K]` (`[K, 1]` with `transA=1`), `B` a constant matrix
//!   (transposed with `transB=1`) and `C` an optional constant bias that
//!   broadcasts to `[1, N]`.
//! - `MatMul` is `x·B` with the activation `x` of shape `[..., K]` (every
//!   leading axis 1) and a constant `B` of shape `[K, N]` or `[K]`, or `A·x`
//!   with a constant `A` of shape `[M, K]` and `x` of shape `[K, 1]` or `[K]`.
//!   A product of two constant matrices (2-D only) is computed at import; a
//!   product of two values computed from the input is refused.

use tract_onnx::prelude::tract_ndarray::{self, ArrayD, IxDyn};

use crate::onnx::chain::{Affine, FloatOp};
use crate::onnx::error::ImportError;
use crate::onnx::graph::{numel, NodeCtx, Value, Walker};

/// `Gemm` of the activation and a constant weight matrix.
pub(super) fn gemm(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let a = w.activation(ctx, 0)?;
    let trans_a = ctx.attr_i("transA", 0) != 0;
    let trans_b = ctx.attr_i("transB", 0) != 0;
    let (alpha, beta) = (ctx.attr_f("alpha", 1.0), ctx.attr_f("beta", 1.0));
    let b = w.constant(ctx, 1, "weight")?;
    if b.ndim() != 2 {
        return Err(ctx.err(format!("weight B has shape {:?}; Gemm needs a matrix", b.shape())));
    }
    let b = if trans_b { b.reversed_axes() } else { b }; // now [K, N]
    let (k, n) = (b.shape()[0], b.shape()[1]);
    let want: Vec<usize> = if trans_a { vec![k, 1] } else { vec![1, k] };
    if a != want {
        return Err(ctx.err(format!(
            "input A has shape {a:?}; with transA={} and B giving K={k} it must be {want:?} (batch 1)",
            trans_a as u8
        )));
    }
    let bias = match ctx.input_name(2) {
        None => vec![0.0; n],
        Some(_) => {
            let c = w.constant(ctx, 2, "bias")?;
            let c = c
                .broadcast(IxDyn(&[1, n]))
                .ok_or_else(|| ctx.err(format!("bias C of shape {:?} does not broadcast to [1, {n}]", c.shape())))?;
            c.iter().map(|v| beta * v).collect()
        }
    };
    let weights: Vec<f64> = b.t().iter().map(|x| alpha * x).collect(); // [N][K]
    w.push(ctx, 0, FloatOp::Affine(Affine::full(k, n, weights, bias)), vec![1, n])
}

/// `MatMul` of the activation and a constant, or of two constants.
pub(super) fn matmul(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let (lhs, rhs) = (w.value(ctx, 0)?.clone(), w.value(ctx, 1)?.clone());
    match (&lhs, &rhs) {
        (Value::Const(a), Value::Const(b)) => {
            let to2 = |m: &ArrayD<f64>| m.clone().into_dimensionality::<tract_ndarray::Ix2>().ok();
            let (Some(a), Some(b)) = (to2(a), to2(b)) else {
                return Err(ctx.err("folding a MatMul of constants is supported for matrices only"));
            };
            if a.shape()[1] != b.shape()[0] || numel(&[a.shape()[0], b.shape()[1]]).is_none() {
                return Err(ctx.err(format!("shapes {:?} and {:?} do not multiply", a.shape(), b.shape())));
            }
            w.set(ctx, Value::Const(a.dot(&b).into_dyn()));
            Ok(())
        }
        (Value::Act { .. }, Value::Const(_)) => {
            // x·B: x is [..., K] with all leading dims 1, B is [K, N] or [K].
            let x = w.activation(ctx, 0)?;
            let b = w.constant(ctx, 1, "weight")?;
            let k = *x.last().unwrap_or(&0);
            if x.iter().product::<usize>() != k || b.ndim() == 0 || b.ndim() > 2 || b.shape()[0] != k {
                return Err(ctx.err(format!(
                    "input of shape {x:?} times weight of shape {:?} is not a vector-matrix product (batch 1)",
                    b.shape()
                )));
            }
            let n = if b.ndim() == 2 { b.shape()[1] } else { 1 };
            let mut out = x[..x.len() - 1].to_vec();
            if b.ndim() == 2 {
                out.push(n);
            }
            let weights: Vec<f64> = b.t().iter().copied().collect();
            w.push(ctx, 0, FloatOp::Affine(Affine::full(k, n, weights, vec![0.0; n])), out)
        }
        (Value::Const(_), Value::Act { .. }) => {
            // A·x: A is [M, K], x is [K, 1] or [K].
            let a = w.constant(ctx, 0, "weight")?;
            let x = w.activation(ctx, 1)?;
            if a.ndim() != 2 || !(x == [a.shape()[1], 1] || x == [a.shape()[1]]) {
                return Err(ctx.err(format!(
                    "weight of shape {:?} times input of shape {x:?} is not a matrix-vector product (batch 1)",
                    a.shape()
                )));
            }
            let (m, k) = (a.shape()[0], a.shape()[1]);
            let out = if x.len() == 2 { vec![m, 1] } else { vec![m] };
            let weights = a.iter().copied().collect();
            w.push(ctx, 1, FloatOp::Affine(Affine::full(k, m, weights, vec![0.0; m])), out)
        }
        (Value::Act { .. }, Value::Act { .. }) => {
            Err(ctx.err("both operands are computed from the model input; one must be a constant weight"))
        }
    }
}
