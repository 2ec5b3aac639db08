//! The ONNX ops the importer understands, one file per family (as tract lays
//! out its `onnx/src/ops/`), and the dispatcher from an op name to its family.
//!
//! Every handler reads the node's inputs from the [`Walker`], then either
//! records a constant (folding ops of constants at import time), passes the
//! activation on with a new shape, or appends a [`super::chain::FloatOp`] to
//! the chain. A handler refuses, with an [`ImportError::Unsupported`] naming
//! the node, any use of its op that the integer model cannot express.
//!
//! A new op: a handler in the family it belongs to (or a new file), an arm in
//! [`apply`], and its name in [`SUPPORTED_OPS`].

mod activation;
mod argmax;
mod arith;
mod constant;
mod identity;
mod linear;
mod shape;

use super::error::ImportError;
use super::graph::{NodeCtx, Walker};
use arith::Arith;

/// The ONNX operators the importer understands (for error messages and docs).
pub const SUPPORTED_OPS: &str = "Gemm, MatMul, Add, Sub, Mul, Div, Relu, LeakyRelu, Clip, Sigmoid, Tanh, \
Softmax (last axis), ArgMax (last axis), Flatten, Reshape, Identity, Dropout, Squeeze, Unsqueeze, \
Transpose (of constants, or moving size-1 axes), Cast (to float), Concat (of constants and the \
activation along its vector axis), Constant";

/// Applies one node of the default ONNX domain to the walk; any other domain and
/// any op not listed here is an [`ImportError::UnsupportedOp`].
pub(super) fn apply(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let node = ctx.node;
    if !(node.domain.is_empty() || node.domain == "ai.onnx") {
        return Err(ImportError::UnsupportedOp {
            op: format!("{}:{}", node.domain, node.op_type),
            node: ctx.name.clone(),
        });
    }
    match node.op_type.as_str() {
        "Constant" => constant::constant(w, ctx),
        "Identity" | "Dropout" => identity::identity(w, ctx),
        "Cast" => identity::cast(w, ctx),
        "Reshape" | "Flatten" | "Squeeze" | "Unsqueeze" | "Transpose" => shape::shape_op(w, ctx),
        "Concat" => shape::concat(w, ctx),
        "Gemm" => linear::gemm(w, ctx),
        "MatMul" => linear::matmul(w, ctx),
        "Add" => arith::arith(w, ctx, Arith::Add),
        "Sub" => arith::arith(w, ctx, Arith::Sub),
        "Mul" => arith::arith(w, ctx, Arith::Mul),
        "Div" => arith::arith(w, ctx, Arith::Div),
        "Relu" | "Sigmoid" | "Tanh" | "LeakyRelu" => activation::pointwise(w, ctx),
        "Clip" => activation::clip(w, ctx),
        "Softmax" => activation::softmax(w, ctx),
        "ArgMax" => argmax::argmax(w, ctx),
        _ => Err(ImportError::UnsupportedOp { op: node.op_type.clone(), node: ctx.name.clone() }),
    }
}
