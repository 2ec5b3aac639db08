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
mod linear_ml;
mod logic;
mod norm;
mod shape;
mod tree_ensemble;
mod tree_graph;
mod trees;

use tract_onnx::pb::NodeProto;

use super::chain::FloatOp;
use super::error::ImportError;
use super::graph::{NodeCtx, Walker};
use arith::Arith;
use logic::Logic;

use crate::onnx::chain::Cmp;

/// The ONNX operators the importer understands (for error messages and docs).
pub const SUPPORTED_OPS: &str = "Gemm, MatMul, Add, Sub, Mul, Div, BatchNormalization (inference), Relu, \
LeakyRelu, Clip, HardSigmoid, Sigmoid, Tanh, Gelu (or x·0.5·(1 + Erf(x/√2)) as PyTorch exports it), \
Softplus, Elu, HardSwish, Exp (inputs within ±20; the last six proved as piecewise-linear approximations), \
Softmax (last axis), ArgMax (last axis), Flatten, Reshape, Identity, \
Dropout (inference), Squeeze, Unsqueeze, \
Transpose (of constants, or moving size-1 axes), Cast (to FLOAT, DOUBLE or BOOL; to an integer \
type only for Gather indices; to FLOAT16 only of constants), Concat (of constants and the activation along its vector axis), Constant, Greater, \
Less, Equal, GreaterOrEqual, LessOrEqual, And, Or, Xor, Not, Where (constant branches), Max and Min \
(of one or two values), Abs, Gather (axis 0 of a constant table); ONNX-ML: LinearClassifier and \
LinearRegressor (post_transform NONE, LOGISTIC or SOFTMAX), TreeEnsembleClassifier and TreeEnsembleRegressor \
(ai.onnx.ml 1-3) and TreeEnsemble (ai.onnx.ml 5; aggregate SUM or AVERAGE, post_transform NONE, LOGISTIC or \
SOFTMAX), with BRANCH_LEQ/LT/GTE/GT/EQ/NEQ/MEMBER splits, ArrayFeatureExtractor (constant indices), ZipMap (on the \
proved output)";

/// What to use instead of an unsupported op, for the error message: the closest
/// supported alternative, or what kind of computation is not supported yet.
pub(super) fn alternative(op_type: &str) -> Option<&'static str> {
    Some(match op_type {
        "Erf" => {
            "Erf is only supported within a GELU, x·0.5·(1 + erf(x/√2)) as PyTorch exports it, \
             or as the Gelu op (ONNX opset 20)"
        }
        "Selu" | "Celu" => "this activation is not supported; Elu (alpha) is, and Mul by a constant after it",
        "Mish" | "Softsign" | "ThresholdedRelu" | "Swish" => {
            "this activation is not supported; Relu, LeakyRelu, Elu, Gelu, Softplus, HardSwish, Sigmoid and Tanh are"
        }
        "PRelu" => "a learned per-channel slope is not supported; LeakyRelu (one constant alpha) is",
        "LogSoftmax" => "not supported; Softmax (last axis) is",
        "Hardmax" => "not supported; ArgMax (last axis) is",
        "Neg" => "not supported; Mul by the constant -1 is",
        "Sum" | "Mean" => "a sum of values computed from the input (a branch) is not supported; Add of a constant is",
        "Log" | "Sqrt" | "Pow" | "Reciprocal" | "Sign" | "Floor" | "Ceil" | "Round" | "Mod" | "Sin" | "Cos" => {
            "this element-wise function is not supported; Relu, LeakyRelu, Clip, Sigmoid, Tanh, Softplus and Exp are"
        }
        "Conv" | "ConvTranspose" | "ConvInteger" | "MaxPool" | "AveragePool" | "GlobalAveragePool"
        | "GlobalMaxPool" | "LpPool" => {
            "convolutions and pooling are not supported; flatten to Gemm (a dense layer on the flat vector)"
        }
        "LayerNormalization"
        | "InstanceNormalization"
        | "GroupNormalization"
        | "LpNormalization"
        | "MeanVarianceNormalization"
        | "RMSNormalization" => {
            "normalising by the input's own statistics is not supported; BatchNormalization (inference) is"
        }
        "IsNaN" | "IsInf" => "inputs are finite numbers; these tests are always false",
        "Scaler" | "Normalizer" => "not supported as an ONNX-ML op; Sub/Mul by constants (or BatchNormalization) are",
        "ZipMap" => "only on the proved output (it names the classes of the scores it presents)",
        "SVMClassifier" | "SVMRegressor" => "support vector machines are not supported yet",
        "ReduceSum" | "ReduceMean" | "ReduceMax" | "ReduceMin" | "ReduceProd" | "ReduceL1" | "ReduceL2"
        | "ReduceLogSumExp" | "ReduceSumSquare" => {
            "reductions are not supported; MatMul by a constant vector is (for a sum)"
        }
        "OneHot" => "not supported; Gather from a constant identity table (rows of one-hot vectors) is",
        "GatherElements" | "GatherND" | "Slice" | "Split" | "Pad" | "Expand" | "Tile" | "ScatterND" => {
            "indexing and slicing are not supported; export with the slicing folded into the weights (a Gemm)"
        }
        "Shape" | "Size" | "ConstantOfShape" | "Range" | "NonZero" => {
            "shape computations are not supported; export with fixed shapes (constant folding on)"
        }
        "QuantizeLinear"
        | "DequantizeLinear"
        | "QLinearMatMul"
        | "QLinearConv"
        | "MatMulInteger"
        | "DynamicQuantizeLinear" => {
            "quantized ONNX ops are not supported; export the float model (zkpolicy quantizes it)"
        }
        "Einsum" => "not supported; MatMul/Gemm are",
        "If" | "Loop" | "Scan" => "control flow is not supported",
        "RNN" | "LSTM" | "GRU" => "recurrent layers are not supported",
        _ => return None,
    })
}

/// Applies one node of the default ONNX domain to the walk; any other domain and
/// any op not listed here is an [`ImportError::UnsupportedOp`].
pub(super) fn apply(w: &mut Walker, ctx: &NodeCtx) -> Result<(), ImportError> {
    let node = ctx.node;
    if node.domain == "ai.onnx.ml" {
        match node.op_type.as_str() {
            "LinearClassifier" => return linear_ml::linear_classifier(w, ctx),
            "LinearRegressor" => return linear_ml::linear_regressor(w, ctx),
            "ArrayFeatureExtractor" => return linear_ml::array_feature_extractor(w, ctx),
            "TreeEnsembleClassifier" => return trees::classifier(w, ctx),
            "TreeEnsembleRegressor" => return trees::regressor(w, ctx),
            "TreeEnsemble" => return tree_ensemble::tree_ensemble(w, ctx),
            _ => {}
        }
    }
    if !(node.domain.is_empty() || node.domain == "ai.onnx") {
        return Err(ImportError::UnsupportedOp {
            op: format!("{}:{}", node.domain, node.op_type),
            node: ctx.name.clone(),
            alternative: alternative(&node.op_type),
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
        "BatchNormalization" => norm::batch_norm(w, ctx),
        "Relu" | "Sigmoid" | "Tanh" | "LeakyRelu" | "Elu" | "Gelu" | "Softplus" | "HardSwish" | "Exp" => {
            activation::pointwise(w, ctx)
        }
        "HardSigmoid" => activation::hard_sigmoid(w, ctx),
        "Clip" => activation::clip(w, ctx),
        "Softmax" => activation::softmax(w, ctx),
        "ArgMax" => argmax::argmax(w, ctx),
        "Greater" => logic::compare(w, ctx, Cmp::Gt),
        "GreaterOrEqual" => logic::compare(w, ctx, Cmp::Ge),
        "Less" => logic::compare(w, ctx, Cmp::Lt),
        "LessOrEqual" => logic::compare(w, ctx, Cmp::Le),
        "Equal" => logic::compare(w, ctx, Cmp::Eq),
        "And" => logic::logic(w, ctx, Logic::And),
        "Or" => logic::logic(w, ctx, Logic::Or),
        "Xor" => logic::logic(w, ctx, Logic::Xor),
        "Not" => logic::not(w, ctx),
        "Where" => logic::select(w, ctx),
        "Max" => logic::extremum(w, ctx, true),
        "Min" => logic::extremum(w, ctx, false),
        "Abs" => logic::abs(w, ctx),
        "Gather" => logic::gather(w, ctx),
        _ => Err(ImportError::UnsupportedOp {
            op: node.op_type.clone(),
            node: ctx.name.clone(),
            alternative: alternative(&node.op_type),
        }),
    }
}

/// The float list attribute `name`.
pub(super) fn floats(ctx: &NodeCtx, name: &str) -> Option<Vec<f64>> {
    ctx.attr(name).map(|a| a.floats.iter().map(|v| f64::from(*v)).collect())
}

/// `post_transform` (default `NONE`).
pub(super) fn post_transform(ctx: &NodeCtx) -> String {
    ctx.attr("post_transform").map_or_else(|| "NONE".into(), |a| String::from_utf8_lossy(&a.s).into_owned())
}

/// `scores` followed by the node's post-transform `transform`: `NONE`,
/// `LOGISTIC` (an element-wise sigmoid) or `SOFTMAX`, on the scores' shape.
pub(super) fn with_post_transform(
    ctx: &NodeCtx,
    transform: &str,
    scores: (FloatOp, Vec<usize>),
) -> Result<Vec<(FloatOp, Vec<usize>)>, ImportError> {
    let shape = scores.1.clone();
    let mut ops = vec![scores];
    match transform {
        "NONE" => {}
        "LOGISTIC" => ops.push((FloatOp::Sigmoid, shape)),
        "SOFTMAX" => ops.push((FloatOp::Softmax, shape)),
        other => {
            return Err(ctx.err(format!("post_transform {other} is not supported; NONE, LOGISTIC and SOFTMAX are")))
        }
    }
    Ok(ops)
}

/// Pushes `ops` one after the other onto input 0 of `ctx`, the last one's value
/// recorded as output `output` of the node (the others under internal names).
pub(super) fn push_ops(
    w: &mut Walker,
    ctx: &NodeCtx,
    ops: Vec<(FloatOp, Vec<usize>)>,
    output: usize,
) -> Result<(), ImportError> {
    let target = ctx.node.output.get(output).filter(|o| !o.is_empty()).cloned().ok_or_else(|| ctx.err("no output"))?;
    let mut input = ctx.input_name(0).ok_or_else(|| ctx.err("input 0 is missing"))?.to_string();
    let last = ops.len().saturating_sub(1);
    for (k, (op, shape)) in ops.into_iter().enumerate() {
        let out = if k == last { target.clone() } else { format!("{target}#{} step {k}", ctx.name) };
        let node = NodeProto { input: vec![input], output: vec![out.clone()], ..ctx.node.clone() };
        w.push(&NodeCtx { node: &node, name: ctx.name.clone() }, 0, op, shape)?;
        input = out;
    }
    Ok(())
}
