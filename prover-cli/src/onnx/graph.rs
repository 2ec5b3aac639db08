//! Walks an ONNX graph in topological order and normalises it to a [`Chain`].
//!
//! Every value in the graph is either a constant (initializers, `Constant`
//! nodes and anything computed only from constants) or the *activation*: the
//! one vector that flows from the model input to its output. Shape-only ops on
//! the activation are no-ops, linear ops with constant operands become affine
//! maps (folded together), and the supported nonlinearities are appended.
//! A node that reads an activation other than the latest one (a branch, a
//! residual connection) cannot be folded into a chain and is rejected.

use std::collections::HashMap;

use tract_onnx::pb::{self, tensor_proto::DataType, type_proto, NodeProto};
use tract_onnx::prelude::tract_ndarray::{self, ArrayD, Axis, IxDyn};

use super::chain::{Affine, Chain, FloatOp};
use super::error::ImportError;
use zkpolicy_core::frontend::model::{MAX_PARAMS, MAX_WIDTH};

/// Supported range of the default ONNX domain's operator set.
pub const OPSETS: std::ops::RangeInclusive<i64> = 11..=21;

/// An ONNX node as it appears in the file (for `inspect`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OnnxNode {
    /// Node name (may be empty in the file; then `op_type#index`).
    pub name: String,
    /// ONNX op type.
    pub op_type: String,
}

/// The result of normalising a graph.
#[derive(Debug)]
pub(super) struct Normalised {
    /// The float chain.
    pub chain: Chain,
    /// The input tensor's name.
    pub input_name: String,
    /// The fixed input shape (batch 1).
    pub input_shape: Vec<usize>,
    /// Whether the input is float64 (otherwise float32).
    pub input_is_f64: bool,
    /// The output tensor's name.
    pub output_name: String,
    /// The output shape.
    pub output_shape: Vec<usize>,
    /// The default domain's opset.
    pub opset: i64,
    /// The graph's nodes in file order.
    pub nodes: Vec<OnnxNode>,
}

/// A value in the graph.
#[derive(Clone, Debug)]
enum Value {
    /// A constant tensor (stored as f64; integer tensors are exact below 2^53).
    Const(ArrayD<f64>),
    /// The activation: `version` identifies which state of the chain it is.
    Act { version: u64, shape: Vec<usize> },
}

/// The opset of the default domain.
pub(super) fn default_opset(proto: &pb::ModelProto) -> Result<i64, ImportError> {
    let opset = proto
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map(|o| o.version)
        .ok_or(ImportError::Opset(0))?;
    if OPSETS.contains(&opset) {
        Ok(opset)
    } else {
        Err(ImportError::Opset(opset))
    }
}

/// Loads an ONNX tensor as f64, refusing element types that are not plain numbers
/// and sizes beyond the parameter limit before allocating anything.
fn load_tensor(t: &pb::TensorProto, what: &str, model_dir: Option<&str>) -> Result<ArrayD<f64>, ImportError> {
    let bad = |reason: String| ImportError::Format { name: what.to_string(), reason };
    let numeric = [
        DataType::Float,
        DataType::Double,
        DataType::Float16,
        DataType::Int8,
        DataType::Int16,
        DataType::Int32,
        DataType::Int64,
        DataType::Uint8,
        DataType::Uint16,
        DataType::Uint32,
        DataType::Uint64,
        DataType::Bool,
    ];
    match DataType::try_from(t.data_type) {
        Ok(dt) if numeric.contains(&dt) => {}
        _ => return Err(bad(format!("tensor element type {} is not a supported number type", t.data_type))),
    }
    let mut count: u128 = 1;
    for &d in &t.dims {
        if d < 0 {
            return Err(bad(format!("negative dimension {d}")));
        }
        count = count.saturating_mul(d as u128);
    }
    if count > MAX_PARAMS as u128 {
        return Err(ImportError::TooLarge { what: what.to_string(), count });
    }
    let tensor = tract_onnx::tensor::load_tensor(&tract_onnx::data_resolver::FopenDataResolver, t, model_dir)
        .map_err(|e| bad(format!("{e:#}")))?;
    let tensor = tensor.cast_to::<f64>().map_err(|e| bad(format!("{e:#}")))?.into_owned();
    tensor.into_plain_array::<f64>().map_err(|e| bad(format!("{e:#}")))
}

/// Number of elements of a shape, `None` on overflow or beyond the parameter limit.
fn numel(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |n, d| n.checked_mul(*d)).filter(|n| *n <= MAX_PARAMS)
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

struct Walker<'a> {
    values: HashMap<String, Value>,
    chain: Chain,
    /// Version of the latest activation.
    head: u64,
    opset: i64,
    model_dir: Option<&'a str>,
}

/// Context for errors about one node.
struct NodeCtx<'n> {
    node: &'n NodeProto,
    name: String,
}

impl NodeCtx<'_> {
    fn err(&self, reason: impl Into<String>) -> ImportError {
        ImportError::Unsupported { op: self.node.op_type.clone(), node: self.name.clone(), reason: reason.into() }
    }

    fn attr(&self, name: &str) -> Option<&pb::AttributeProto> {
        self.node.attribute.iter().find(|a| a.name == name)
    }

    fn attr_i(&self, name: &str, default: i64) -> i64 {
        self.attr(name).map_or(default, |a| a.i)
    }

    fn attr_f(&self, name: &str, default: f64) -> f64 {
        self.attr(name).map_or(default, |a| a.f as f64)
    }

    fn attr_ints(&self, name: &str) -> Option<Vec<i64>> {
        self.attr(name).map(|a| a.ints.clone())
    }

    /// Name of input `i`, `None` when absent or empty (an omitted optional input).
    fn input_name(&self, i: usize) -> Option<&str> {
        self.node.input.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// Normalises a possibly negative axis against `rank`.
    fn axis(&self, axis: i64, rank: usize) -> Result<usize, ImportError> {
        let r = rank as i64;
        if (-r..r).contains(&axis) {
            Ok(axis.rem_euclid(r.max(1)) as usize)
        } else {
            Err(self.err(format!("axis {axis} out of range for rank {rank}")))
        }
    }
}

/// Element-wise binary arithmetic.
#[derive(Clone, Copy)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

impl<'a> Walker<'a> {
    fn value(&self, ctx: &NodeCtx, i: usize) -> Result<&Value, ImportError> {
        let name = ctx.input_name(i).ok_or_else(|| ctx.err(format!("input {i} is missing")))?;
        self.values.get(name).ok_or_else(|| ctx.err(format!("input `{name}` is not produced by any node")))
    }

    /// Input `i` as a constant, checked finite.
    fn constant(&self, ctx: &NodeCtx, i: usize, what: &str) -> Result<ArrayD<f64>, ImportError> {
        match self.value(ctx, i)? {
            Value::Const(c) => {
                if let Some((index, v)) = c.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                    return Err(ImportError::NonFinite {
                        what: format!(
                            "the {what} (input `{}`) of node `{}` ({})",
                            ctx.input_name(i).unwrap_or(""),
                            ctx.name,
                            ctx.node.op_type
                        ),
                        index,
                        value: *v,
                    });
                }
                Ok(c.clone())
            }
            Value::Act { .. } => Err(ctx.err(format!(
                "the {what} (input {i}) is computed from the model input; only constant {what}s can be compiled"
            ))),
        }
    }

    /// Input `i` as the current activation; returns its shape.
    fn activation(&self, ctx: &NodeCtx, i: usize) -> Result<Vec<usize>, ImportError> {
        match self.value(ctx, i)? {
            Value::Act { version, shape } if *version == self.head => Ok(shape.clone()),
            Value::Act { .. } => Err(ctx.err(
                "reads an earlier value of the activation: the graph branches (e.g. a skip connection), \
                 which cannot be folded into a chain of layers",
            )),
            Value::Const(_) => {
                Err(ctx.err(format!("input {i} is a constant; the op must apply to the model input's data")))
            }
        }
    }

    fn set(&mut self, ctx: &NodeCtx, value: Value) {
        if let Some(out) = ctx.node.output.first() {
            self.values.insert(out.clone(), value);
        }
    }

    /// Applies `op` to the activation and makes its output the new activation.
    fn push(&mut self, ctx: &NodeCtx, op: FloatOp, shape: Vec<usize>) -> Result<(), ImportError> {
        if self.chain.ends_in_argmax() {
            return Err(ctx.err("ArgMax must be the last computation of the model"));
        }
        self.chain.push(op, &ctx.name);
        self.head += 1;
        self.set(ctx, Value::Act { version: self.head, shape });
        Ok(())
    }

    /// The activation with a new shape and the same data.
    fn reshape_act(&mut self, ctx: &NodeCtx, shape: Vec<usize>) {
        self.set(ctx, Value::Act { version: self.head, shape });
    }

    fn node(&mut self, ctx: &NodeCtx) -> Result<(), ImportError> {
        let node = ctx.node;
        if !(node.domain.is_empty() || node.domain == "ai.onnx") {
            return Err(ImportError::UnsupportedOp {
                op: format!("{}:{}", node.domain, node.op_type),
                node: ctx.name.clone(),
            });
        }
        match node.op_type.as_str() {
            "Constant" => {
                let value = if let Some(a) = ctx.attr("value") {
                    let t = a.t.as_ref().ok_or_else(|| ctx.err("attribute `value` holds no tensor"))?;
                    load_tensor(t, &ctx.name, self.model_dir)?
                } else if let Some(a) = ctx.attr("value_float") {
                    ArrayD::from_elem(IxDyn(&[]), a.f as f64)
                } else if let Some(a) = ctx.attr("value_floats") {
                    ArrayD::from_shape_vec(IxDyn(&[a.floats.len()]), a.floats.iter().map(|f| *f as f64).collect())
                        .expect("1-D")
                } else if let Some(a) = ctx.attr("value_int") {
                    ArrayD::from_elem(IxDyn(&[]), a.i as f64)
                } else if let Some(a) = ctx.attr("value_ints") {
                    ArrayD::from_shape_vec(IxDyn(&[a.ints.len()]), a.ints.iter().map(|i| *i as f64).collect())
                        .expect("1-D")
                } else {
                    return Err(ctx.err("only numeric tensor constants are supported"));
                };
                self.set(ctx, Value::Const(value));
            }
            "Identity" | "Dropout" => {
                let v = match self.value(ctx, 0)? {
                    Value::Const(c) => Value::Const(c.clone()),
                    Value::Act { .. } => Value::Act { version: self.head, shape: self.activation(ctx, 0)? },
                };
                if node.op_type == "Dropout" && node.output.len() > 1 && !node.output[1].is_empty() {
                    return Err(ctx.err("the dropout mask output is not supported"));
                }
                self.set(ctx, v);
            }
            "Cast" => {
                let to = DataType::try_from(ctx.attr_i("to", 0) as i32).unwrap_or(DataType::Undefined);
                let is_float = matches!(to, DataType::Float | DataType::Double | DataType::Float16);
                match self.value(ctx, 0)?.clone() {
                    Value::Const(c) => {
                        let c = match to {
                            DataType::Float => c.mapv(|v| v as f32 as f64),
                            _ if is_float => c,
                            DataType::Bool => c.mapv(|v| (v != 0.0) as u8 as f64),
                            _ => c.mapv(f64::trunc),
                        };
                        self.set(ctx, Value::Const(c));
                    }
                    Value::Act { .. } => {
                        let shape = self.activation(ctx, 0)?;
                        if !is_float && !self.chain.ends_in_argmax() {
                            return Err(
                                ctx.err(format!("casting the activation to {to:?} is not supported; only float casts"))
                            );
                        }
                        self.reshape_act(ctx, shape);
                    }
                }
            }
            "Reshape" | "Flatten" | "Squeeze" | "Unsqueeze" | "Transpose" => self.shape_op(ctx)?,
            "Concat" => self.concat(ctx)?,
            "Gemm" => self.gemm(ctx)?,
            "MatMul" => self.matmul(ctx)?,
            "Add" => self.arith(ctx, Arith::Add)?,
            "Sub" => self.arith(ctx, Arith::Sub)?,
            "Mul" => self.arith(ctx, Arith::Mul)?,
            "Div" => self.arith(ctx, Arith::Div)?,
            "Relu" | "Sigmoid" | "Tanh" | "LeakyRelu" => {
                let shape = self.activation(ctx, 0)?;
                let op = match node.op_type.as_str() {
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
                self.push(ctx, op, shape)?;
            }
            "Clip" => {
                let shape = self.activation(ctx, 0)?;
                let bound = |i: usize, what: &str| -> Result<Option<f64>, ImportError> {
                    if ctx.input_name(i).is_none() {
                        return Ok(None);
                    }
                    let v = match self.value(ctx, i)? {
                        Value::Const(c) if c.len() == 1 => c.iter().next().copied().unwrap_or(f64::NAN),
                        Value::Const(_) => return Err(ctx.err(format!("{what} must be a scalar"))),
                        Value::Act { .. } => return Err(ctx.err(format!("{what} must be a constant"))),
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
                    self.reshape_act(ctx, shape);
                } else {
                    self.push(ctx, FloatOp::Clip { min, max }, shape)?;
                }
            }
            "Softmax" => {
                let shape = self.activation(ctx, 0)?;
                let n: usize = shape.iter().product();
                let default_axis = if self.opset >= 13 { -1 } else { 1 };
                let axis = ctx.axis(ctx.attr_i("axis", default_axis), shape.len())?;
                // Opset < 13 flattens to [prod(dims[..axis]), prod(dims[axis..])].
                let covered = if self.opset >= 13 { shape[axis] } else { shape[axis..].iter().product() };
                if covered != n {
                    return Err(ctx.err(format!(
                        "softmax over axis {axis} of shape {shape:?} does not cover the whole vector; only a softmax over the last (vector) axis is supported"
                    )));
                }
                self.push(ctx, FloatOp::Softmax, shape)?;
            }
            "ArgMax" => {
                let shape = self.activation(ctx, 0)?;
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
                self.push(ctx, FloatOp::ArgMax, out)?;
            }
            _ => return Err(ImportError::UnsupportedOp { op: node.op_type.clone(), node: ctx.name.clone() }),
        }
        Ok(())
    }

    /// The integer list given by attribute `name` (older opsets) or input `index` (newer ones).
    fn ints_from(
        &self,
        ctx: &NodeCtx,
        name: &str,
        index: usize,
        from_opset: i64,
    ) -> Result<Option<Vec<i64>>, ImportError> {
        if self.opset < from_opset {
            return Ok(ctx.attr_ints(name));
        }
        if ctx.input_name(index).is_none() {
            return Ok(None);
        }
        let c = self.constant(ctx, index, name)?;
        Ok(Some(c.iter().map(|v| *v as i64).collect()))
    }

    fn shape_op(&mut self, ctx: &NodeCtx) -> Result<(), ImportError> {
        let (shape, constant) = match self.value(ctx, 0)? {
            Value::Const(c) => (c.shape().to_vec(), Some(c.clone())),
            Value::Act { .. } => (self.activation(ctx, 0)?, None),
        };
        let rank = shape.len();
        let size: usize = shape.iter().product();
        let mut perm: Option<Vec<usize>> = None;
        let out: Vec<usize> = match ctx.node.op_type.as_str() {
            "Reshape" => {
                let target = self.constant(ctx, 1, "shape")?;
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
                        return Err(
                            ctx.err(format!("cannot reshape {shape:?} to {:?}", target.iter().collect::<Vec<_>>()))
                        );
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
            "Squeeze" => match self.ints_from(ctx, "axes", 1, 13)? {
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
                let axes = self.ints_from(ctx, "axes", 1, 13)?.ok_or_else(|| ctx.err("axes are required"))?;
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
                self.set(ctx, Value::Const(ArrayD::from_shape_vec(IxDyn(&out), data).expect("size checked")));
            }
            None => {
                // A transpose is free only when it keeps the order of the non-trivial axes.
                if let Some(p) = perm {
                    let moved: Vec<usize> = p.into_iter().filter(|a| shape[*a] != 1).collect();
                    if moved.windows(2).any(|w| w[0] > w[1]) {
                        return Err(
                            ctx.err(format!("transposing the activation of shape {shape:?} reorders its values"))
                        );
                    }
                }
                self.reshape_act(ctx, out);
            }
        }
        Ok(())
    }

    fn concat(&mut self, ctx: &NodeCtx) -> Result<(), ImportError> {
        let k = ctx.node.input.len();
        let inputs = (0..k).map(|i| self.value(ctx, i).cloned()).collect::<Result<Vec<_>, _>>()?;
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
            let c = tract_ndarray::concatenate(Axis(axis), &arrays).map_err(|e| ctx.err(format!("{e}")))?;
            self.set(ctx, Value::Const(c));
            return Ok(());
        }
        // The activation and constants concatenated along the vector axis: an affine map
        // with an identity block per activation operand and a bias block per constant.
        let mut in_dim = None;
        let mut blocks = Vec::with_capacity(k);
        let mut out_shape: Option<Vec<usize>> = None;
        for (i, input) in inputs.iter().enumerate() {
            let shape = match input {
                Value::Act { .. } => {
                    let s = self.activation(ctx, i)?;
                    in_dim = Some(s.iter().product::<usize>());
                    blocks.push(None);
                    s
                }
                Value::Const(c) => {
                    blocks.push(Some(c.iter().copied().collect::<Vec<f64>>()));
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
        let out_dim: usize = out_shape.iter().product();
        let mut weights = vec![0.0; out_dim * n];
        let mut bias = vec![0.0; out_dim];
        let mut row = 0;
        for block in blocks {
            match block {
                None => {
                    for j in 0..n {
                        weights[(row + j) * n + j] = 1.0;
                    }
                    row += n;
                }
                Some(values) => {
                    bias[row..row + values.len()].copy_from_slice(&values);
                    row += values.len();
                }
            }
        }
        self.push(ctx, FloatOp::Affine(Affine::full(n, out_dim, weights, bias)), out_shape)
    }

    fn gemm(&mut self, ctx: &NodeCtx) -> Result<(), ImportError> {
        let a = self.activation(ctx, 0)?;
        let trans_a = ctx.attr_i("transA", 0) != 0;
        let trans_b = ctx.attr_i("transB", 0) != 0;
        let (alpha, beta) = (ctx.attr_f("alpha", 1.0), ctx.attr_f("beta", 1.0));
        let b = self.constant(ctx, 1, "weight")?;
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
                let c = self.constant(ctx, 2, "bias")?;
                let c = c.broadcast(IxDyn(&[1, n])).ok_or_else(|| {
                    ctx.err(format!("bias C of shape {:?} does not broadcast to [1, {n}]", c.shape()))
                })?;
                c.iter().map(|v| beta * v).collect()
            }
        };
        let weights: Vec<f64> = b.t().iter().map(|w| alpha * w).collect(); // [N][K]
        self.push(ctx, FloatOp::Affine(Affine::full(k, n, weights, bias)), vec![1, n])
    }

    fn matmul(&mut self, ctx: &NodeCtx) -> Result<(), ImportError> {
        let (lhs, rhs) = (self.value(ctx, 0)?.clone(), self.value(ctx, 1)?.clone());
        match (&lhs, &rhs) {
            (Value::Const(a), Value::Const(b)) => {
                let to2 = |m: &ArrayD<f64>| m.clone().into_dimensionality::<tract_ndarray::Ix2>().ok();
                let (Some(a), Some(b)) = (to2(a), to2(b)) else {
                    return Err(ctx.err("folding a MatMul of constants is supported for matrices only"));
                };
                if a.shape()[1] != b.shape()[0] || numel(&[a.shape()[0], b.shape()[1]]).is_none() {
                    return Err(ctx.err(format!("shapes {:?} and {:?} do not multiply", a.shape(), b.shape())));
                }
                self.set(ctx, Value::Const(a.dot(&b).into_dyn()));
                Ok(())
            }
            (Value::Act { .. }, Value::Const(_)) => {
                // x·B: x is [..., K] with all leading dims 1, B is [K, N] or [K].
                let x = self.activation(ctx, 0)?;
                let b = self.constant(ctx, 1, "weight")?;
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
                self.push(ctx, FloatOp::Affine(Affine::full(k, n, weights, vec![0.0; n])), out)
            }
            (Value::Const(_), Value::Act { .. }) => {
                // A·x: A is [M, K], x is [K, 1] or [K].
                let a = self.constant(ctx, 0, "weight")?;
                let x = self.activation(ctx, 1)?;
                if a.ndim() != 2 || !(x == [a.shape()[1], 1] || x == [a.shape()[1]]) {
                    return Err(ctx.err(format!(
                        "weight of shape {:?} times input of shape {x:?} is not a matrix-vector product (batch 1)",
                        a.shape()
                    )));
                }
                let (m, k) = (a.shape()[0], a.shape()[1]);
                let out = if x.len() == 2 { vec![m, 1] } else { vec![m] };
                let weights = a.iter().copied().collect();
                self.push(ctx, FloatOp::Affine(Affine::full(k, m, weights, vec![0.0; m])), out)
            }
            (Value::Act { .. }, Value::Act { .. }) => {
                Err(ctx.err("both operands are computed from the model input; one must be a constant weight"))
            }
        }
    }

    fn arith(&mut self, ctx: &NodeCtx, op: Arith) -> Result<(), ImportError> {
        let (lhs, rhs) = (self.value(ctx, 0)?.clone(), self.value(ctx, 1)?.clone());
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
                self.set(ctx, Value::Const(c));
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
        let shape = self.activation(ctx, ai)?;
        let c = self.constant(ctx, ci, "operand")?;
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
        self.push(ctx, FloatOp::Affine(Affine::diagonal(scale, bias)), shape)
    }
}

/// Fixes the input shape: a symbolic (or 0) leading axis of a rank ≥ 2 input is the batch
/// and becomes 1; every other axis must be a known size. A fixed leading axis other
/// than 1 is a batch size (rejected) unless the input is a column `[K, 1, ...]`.
fn fixed_input_shape(input: &pb::ValueInfoProto) -> Result<(Vec<usize>, bool), ImportError> {
    use pb::tensor_shape_proto::dimension::Value as Dim;
    let dynamic = |reason: String| ImportError::DynamicShape { input: input.name.clone(), reason };
    let Some(type_proto::Value::TensorType(t)) = input.r#type.as_ref().and_then(|t| t.value.as_ref()) else {
        return Err(dynamic("is not a tensor with a declared type".into()));
    };
    let is_f64 = match DataType::try_from(t.elem_type) {
        Ok(DataType::Float) => false,
        Ok(DataType::Double) => true,
        _ => return Err(dynamic(format!("element type {} is not float32 or float64", t.elem_type))),
    };
    let dims = &t
        .shape
        .as_ref()
        .ok_or_else(|| dynamic("has no declared shape; re-export with a fixed input shape".into()))?
        .dim;
    if dims.is_empty() {
        return Err(dynamic("is a scalar; a model takes a vector".into()));
    }
    let rank = dims.len();
    let mut shape = Vec::with_capacity(rank);
    for (axis, d) in dims.iter().enumerate() {
        let value = match &d.value {
            Some(Dim::DimValue(v)) if *v > 0 => Some(*v as usize),
            Some(Dim::DimParam(_)) | Some(Dim::DimValue(0)) | None => None,
            Some(Dim::DimValue(v)) => return Err(dynamic(format!("axis {axis} has size {v}"))),
        };
        // A fixed leading axis > 1 is a batch, unless every other axis is 1: then the
        // input is a column vector (as a Gemm with transA=1 takes it).
        let column = dims[1..].iter().all(|d| matches!(d.value, Some(Dim::DimValue(1))));
        match value {
            Some(v) if axis == 0 && rank >= 2 && v != 1 && !column => {
                return Err(ImportError::Batch { input: input.name.clone(), batch: v })
            }
            Some(v) => shape.push(v),
            None if axis == 0 && rank >= 2 => shape.push(1),
            None => {
                let name = match &d.value {
                    Some(Dim::DimParam(p)) => format!("`{p}`"),
                    _ => "unknown".into(),
                };
                return Err(dynamic(format!(
                    "axis {axis} has dynamic size {name}; only the batch axis 0 can be fixed (to 1); re-export with a fixed feature size"
                )));
            }
        }
    }
    if numel(&shape).is_none_or(|n| n > MAX_WIDTH) {
        return Err(dynamic(format!("shape {shape:?} has more than 2^20 values")));
    }
    Ok((shape, is_f64))
}

fn names(v: &[pb::ValueInfoProto]) -> String {
    v.iter().map(|i| format!("`{}`", i.name)).collect::<Vec<_>>().join(", ")
}

/// Normalises the graph of `proto` to a float chain.
pub(super) fn normalise(proto: &pb::ModelProto, model_dir: Option<&str>) -> Result<Normalised, ImportError> {
    let opset = default_opset(proto)?;
    let graph =
        proto.graph.as_ref().ok_or_else(|| ImportError::Format { name: "model".into(), reason: "no graph".into() })?;
    let mut values = HashMap::new();
    for (i, t) in graph.initializer.iter().enumerate() {
        let what = if t.name.is_empty() { format!("initializer #{i}") } else { format!("initializer `{}`", t.name) };
        values.insert(t.name.clone(), Value::Const(load_tensor(t, &what, model_dir)?));
    }
    // Old exports list initializers among the inputs too.
    let inputs: Vec<pb::ValueInfoProto> =
        graph.input.iter().filter(|i| !values.contains_key(&i.name)).cloned().collect();
    if inputs.len() != 1 {
        return Err(ImportError::Arity { kind: "input", count: inputs.len(), names: names(&inputs) });
    }
    if graph.output.len() != 1 {
        return Err(ImportError::Arity { kind: "output", count: graph.output.len(), names: names(&graph.output) });
    }
    let input = &inputs[0];
    let (input_shape, input_is_f64) = fixed_input_shape(input)?;
    values.insert(input.name.clone(), Value::Act { version: 0, shape: input_shape.clone() });

    let mut walker = Walker { values, chain: Chain::default(), head: 0, opset, model_dir };
    let nodes: Vec<OnnxNode> = graph
        .node
        .iter()
        .enumerate()
        .map(|(i, n)| OnnxNode {
            name: if n.name.is_empty() { format!("{}#{i}", n.op_type) } else { n.name.clone() },
            op_type: n.op_type.clone(),
        })
        .collect();
    // Topological order (Kahn): ONNX requires sorted nodes, but be lenient.
    let mut done = vec![false; graph.node.len()];
    loop {
        let ready =
            graph.node.iter().enumerate().find(|(i, n)| {
                !done[*i] && n.input.iter().all(|name| name.is_empty() || walker.values.contains_key(name))
            });
        let Some((i, node)) = ready else { break };
        done[i] = true;
        walker.node(&NodeCtx { node, name: nodes[i].name.clone() })?;
    }
    if let Some(i) = done.iter().position(|d| !d) {
        let n = &graph.node[i];
        let missing =
            n.input.iter().find(|x| !x.is_empty() && !walker.values.contains_key(*x)).cloned().unwrap_or_default();
        return Err(ImportError::Unsupported {
            op: n.op_type.clone(),
            node: nodes[i].name.clone(),
            reason: format!("input `{missing}` is never produced (the graph has a cycle or a dangling input)"),
        });
    }
    let output = &graph.output[0];
    let output_shape = match walker.values.get(&output.name) {
        Some(Value::Act { version, shape }) if *version == walker.head => shape.clone(),
        Some(Value::Act { .. }) => {
            return Err(ImportError::Format {
                name: "model".into(),
                reason: format!("output `{}` is not the last computed value (the graph branches)", output.name),
            })
        }
        Some(Value::Const(_)) => {
            return Err(ImportError::Format {
                name: "model".into(),
                reason: format!("output `{}` does not depend on the input", output.name),
            })
        }
        None => {
            return Err(ImportError::Format {
                name: "model".into(),
                reason: format!("output `{}` is never produced", output.name),
            })
        }
    };
    Ok(Normalised {
        chain: walker.chain,
        input_name: input.name.clone(),
        input_shape,
        input_is_f64,
        output_name: output.name.clone(),
        output_shape,
        opset,
        nodes,
    })
}
