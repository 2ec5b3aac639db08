//! Walks an ONNX graph in topological order and normalises it to a [`Chain`].
//!
//! Every value in the graph is either a constant (initializers, `Constant`
//! nodes and anything computed only from constants) or the *activation*: the
//! one vector that flows from the model input to its output. Shape-only ops on
//! the activation are no-ops, linear ops with constant operands become affine
//! maps (folded together), and the supported nonlinearities are appended.
//! A node that reads an activation other than the latest one (a branch, a
//! residual connection) cannot be folded into a chain and is rejected.
//!
//! A linear op's result is an affine map of the activation that is not in the
//! chain yet: a *pending* map. Linear ops on a pending value compose into its
//! map, and a `Concat` stacks pending maps, the activation itself and
//! constants (so `[1 − p, p]` from `Sub` and `Concat` is one map of `p`); the
//! next nonlinearity, or the graph output, adds the map to the chain (nothing
//! when it is the identity). A model with several graph inputs takes them
//! concatenated, in graph order, as one input vector; each input is a pending
//! map (a selection) of that vector, so per-input preprocessing and the
//! `Concat` of the inputs stay one map.
//!
//! This file is the walker and its value tracking; what each ONNX op does to
//! the values is in [`super::ops`], one file per family of ops.

use std::collections::HashMap;
use std::rc::Rc;

use tract_onnx::pb::{self, tensor_proto::DataType, type_proto, NodeProto};
use tract_onnx::prelude::tract_ndarray::ArrayD;

use super::chain::{Affine, Chain, FloatLane, FloatOp, FOLD_LIMIT};
use super::error::ImportError;
use super::ops;
use zkpolicy_core::frontend::model::{MAX_PARAMS, MAX_WIDTH};

/// Supported range of the default ONNX domain's operator set. Ops whose meaning
/// changed between versions (Clip's bounds, Squeeze/Unsqueeze axes, Softmax's
/// axis, Dropout's training mode) are read by the rules of the model's opset.
pub const OPSETS: std::ops::RangeInclusive<i64> = 9..=23;

/// One graph input of an imported model and where its values lie in the model's
/// input vector (several inputs are concatenated in graph order).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ModelInput {
    /// The input's name in the graph.
    pub name: String,
    /// Its fixed shape (batch 1).
    pub shape: Vec<usize>,
    /// Index of its first value in the model's input vector.
    pub offset: usize,
    /// Number of values (the product of `shape`).
    pub len: usize,
}

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
    pub(super) chain: Chain,
    /// The graph inputs in graph order, with their offsets in the input vector.
    pub(super) inputs: Vec<ModelInput>,
    /// The output shape.
    pub(super) output_shape: Vec<usize>,
    /// The default domain's opset.
    pub(super) opset: i64,
    /// The graph's nodes in file order.
    pub(super) nodes: Vec<OnnxNode>,
}

/// A value in the graph.
#[derive(Clone, Debug)]
pub(super) enum Value {
    /// A constant tensor (stored as f64; integer tensors are exact below 2^53).
    Const(ArrayD<f64>),
    /// The activation: `version` identifies which state of the chain it is.
    Act {
        /// Which state of the chain this is (0 is the model input).
        version: u64,
        /// The activation's ONNX shape.
        shape: Vec<usize>,
        /// With several graph inputs: the value is this affine map of activation
        /// `version`, not yet in the chain (see the module documentation).
        pending: Option<Rc<Pending>>,
    },
}

/// An affine map of an activation that is not in the chain yet.
#[derive(Debug)]
pub(super) struct Pending {
    /// The map, from the activation's values to this value's.
    map: Affine,
    /// The ONNX nodes it came from.
    nodes: Vec<String>,
}

impl Pending {
    /// Number of values the map reads (the length of the activation it applies to).
    pub(super) fn in_dim(&self) -> usize {
        self.map.in_dim
    }
}

/// The opset of the default domain. A graph with no node of that domain may
/// import no opset for it (onnxmltools' XGBoost export imports only
/// `ai.onnx.ml`): then the latest supported opset is assumed, which no node reads.
fn default_opset(proto: &pb::ModelProto) -> Result<i64, ImportError> {
    let default = |domain: &str| domain.is_empty() || domain == "ai.onnx";
    let imported = proto.opset_import.iter().find(|o| default(&o.domain)).map(|o| o.version);
    let uses_default = proto.graph.iter().flat_map(|g| &g.node).any(|n| default(&n.domain));
    let opset = match imported {
        Some(v) => v,
        None if !uses_default => *OPSETS.end(),
        None => return Err(ImportError::Opset(0)),
    };
    if OPSETS.contains(&opset) {
        Ok(opset)
    } else {
        Err(ImportError::Opset(opset))
    }
}

/// Loads an ONNX tensor as f64, refusing element types that are not plain numbers
/// and sizes beyond the parameter limit before allocating anything.
pub(super) fn load_tensor(
    t: &pb::TensorProto,
    what: &str,
    model_dir: Option<&str>,
) -> Result<ArrayD<f64>, ImportError> {
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
pub(super) fn numel(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |n, d| n.checked_mul(*d)).filter(|n| *n <= MAX_PARAMS)
}

/// The walk's state: every named value seen so far and the chain built so far.
/// The op families in [`super::ops`] read their inputs and record their
/// outputs through its methods.
pub(super) struct Walker<'a> {
    values: HashMap<String, Value>,
    chain: Chain,
    /// Version of the latest activation.
    head: u64,
    opset: i64,
    model_dir: Option<&'a str>,
    /// The graph's nodes (to find the readers of a value).
    graph_nodes: &'a [NodeProto],
    /// How many reads of each value are still to come (by nodes not yet walked,
    /// and the graph output): [`Walker::append_lanes`] keeps only the values with some.
    reads_left: HashMap<String, usize>,
}

/// Context for errors about one node.
pub(super) struct NodeCtx<'n> {
    /// The node.
    pub(super) node: &'n NodeProto,
    /// Its name for messages (`op_type#index` when the file gives none).
    pub(super) name: String,
}

impl NodeCtx<'_> {
    /// An [`ImportError::Unsupported`] about this node.
    pub(super) fn err(&self, reason: impl Into<String>) -> ImportError {
        ImportError::Unsupported { op: self.node.op_type.clone(), node: self.name.clone(), reason: reason.into() }
    }

    /// Attribute `name`, `None` when absent.
    pub(super) fn attr(&self, name: &str) -> Option<&pb::AttributeProto> {
        self.node.attribute.iter().find(|a| a.name == name)
    }

    /// Integer attribute `name`, `default` when absent.
    pub(super) fn attr_i(&self, name: &str, default: i64) -> i64 {
        self.attr(name).map_or(default, |a| a.i)
    }

    /// Float attribute `name`, `default` when absent.
    pub(super) fn attr_f(&self, name: &str, default: f64) -> f64 {
        self.attr(name).map_or(default, |a| a.f as f64)
    }

    /// Integer list attribute `name`, `None` when absent.
    pub(super) fn attr_ints(&self, name: &str) -> Option<Vec<i64>> {
        self.attr(name).map(|a| a.ints.clone())
    }

    /// Name of input `i`, `None` when absent or empty (an omitted optional input).
    pub(super) fn input_name(&self, i: usize) -> Option<&str> {
        self.node.input.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// Normalises a possibly negative axis against `rank`.
    pub(super) fn axis(&self, axis: i64, rank: usize) -> Result<usize, ImportError> {
        let r = rank as i64;
        if (-r..r).contains(&axis) {
            Ok(axis.rem_euclid(r.max(1)) as usize)
        } else {
            Err(self.err(format!("axis {axis} out of range for rank {rank}")))
        }
    }
}

impl Walker<'_> {
    /// The default domain's opset (some ops' attributes and defaults depend on it).
    pub(super) fn opset(&self) -> i64 {
        self.opset
    }

    /// The model file's directory, where external tensor data is read from.
    pub(super) fn model_dir(&self) -> Option<&str> {
        self.model_dir
    }

    /// Whether the chain so far ends in an ArgMax (nothing may be computed after it).
    pub(super) fn ends_in_argmax(&self) -> bool {
        self.chain.ends_in_argmax()
    }

    /// Input `i` of the node, whatever it is.
    pub(super) fn value(&self, ctx: &NodeCtx, i: usize) -> Result<&Value, ImportError> {
        let name = ctx.input_name(i).ok_or_else(|| ctx.err(format!("input {i} is missing")))?;
        self.values.get(name).ok_or_else(|| ctx.err(format!("input `{name}` is not produced by any node")))
    }

    /// Input `i` as a constant, checked finite.
    pub(super) fn constant(&self, ctx: &NodeCtx, i: usize, what: &str) -> Result<ArrayD<f64>, ImportError> {
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
    pub(super) fn activation(&self, ctx: &NodeCtx, i: usize) -> Result<Vec<usize>, ImportError> {
        match self.value(ctx, i)? {
            Value::Act { version, shape, .. } if *version == self.head => Ok(shape.clone()),
            Value::Act { .. } => Err(ctx.err(
                "reads an earlier value of the activation: the graph branches (e.g. a skip connection), \
                 which cannot be folded into a chain of layers",
            )),
            Value::Const(_) => {
                Err(ctx.err(format!("input {i} is a constant; the op must apply to the model input's data")))
            }
        }
    }

    /// Records `value` as the node's (first) output.
    pub(super) fn set(&mut self, ctx: &NodeCtx, value: Value) {
        if let Some(out) = ctx.node.output.first() {
            self.values.insert(out.clone(), value);
        }
    }

    /// The pending map of input `i` (`None` for a constant or an activation in the chain).
    pub(super) fn pending(&self, ctx: &NodeCtx, i: usize) -> Option<Rc<Pending>> {
        match ctx.input_name(i).and_then(|name| self.values.get(name)) {
            Some(Value::Act { pending, .. }) => pending.clone(),
            _ => None,
        }
    }

    /// Applies `op` to input `i`, the activation (checked by the caller with
    /// [`Walker::activation`]), and records the result as the node's output: an
    /// affine map becomes a pending map (composed into the input's, if pending),
    /// so that a `Concat` may still combine it with the activation it reads (as
    /// in `[1 − p, p]`); anything else first adds a pending map to the chain, then
    /// `op`, whose output is the new activation.
    pub(super) fn push(&mut self, ctx: &NodeCtx, i: usize, op: FloatOp, shape: Vec<usize>) -> Result<(), ImportError> {
        if self.chain.ends_in_argmax() {
            return Err(ctx.err("ArgMax must be the last computation of the model"));
        }
        let pending = self.pending(ctx, i);
        if let FloatOp::Affine(next) = &op {
            match &pending {
                None => {
                    self.set_pending(ctx, shape, next.clone(), vec![ctx.name.clone()]);
                    return Ok(());
                }
                Some(p) if p.map.fold_cost(next) <= FOLD_LIMIT => {
                    let mut nodes = p.nodes.clone();
                    nodes.push(ctx.name.clone());
                    self.set_pending(ctx, shape, p.map.then(next), nodes);
                    return Ok(());
                }
                Some(_) => {}
            }
        }
        if let Some(p) = pending {
            self.materialize(&p);
        }
        self.chain.push(op, &ctx.name);
        self.head += 1;
        self.set(ctx, Value::Act { version: self.head, shape, pending: None });
        Ok(())
    }

    /// Records the node's output as `map` of the current activation, not yet in the chain.
    pub(super) fn set_pending(&mut self, ctx: &NodeCtx, shape: Vec<usize>, map: Affine, nodes: Vec<String>) {
        let pending = Some(Rc::new(Pending { map, nodes }));
        self.set(ctx, Value::Act { version: self.head, shape, pending });
    }

    /// Adds a pending map to the chain (nothing for the identity): its value becomes
    /// the current activation.
    fn materialize(&mut self, p: &Pending) {
        if !p.map.is_identity() {
            self.chain.push_step(FloatOp::Affine(p.map.clone()), p.nodes.clone());
            self.head += 1;
        }
    }

    /// Input 0, the activation, with a new shape and the same data.
    pub(super) fn reshape_act(&mut self, ctx: &NodeCtx, shape: Vec<usize>) {
        let pending = self.pending(ctx, 0);
        self.set(ctx, Value::Act { version: self.head, shape, pending });
    }
}

impl Walker<'_> {
    /// Whether value `name` (not yet read) is read only as the indices (input 1)
    /// of `Gather` nodes: by at least one, and not by the graph output.
    pub(super) fn only_gather_indices(&self, name: &str) -> bool {
        let uses: Vec<(&str, usize)> = self
            .graph_nodes
            .iter()
            .flat_map(|n| {
                n.input.iter().enumerate().filter(|(_, i)| *i == name).map(move |(k, _)| (n.op_type.as_str(), k))
            })
            .collect();
        !uses.is_empty()
            && uses.iter().all(|(op, i)| *op == "Gather" && *i == 1)
            && self.reads_left.get(name) == Some(&uses.len())
    }

    /// Input `i` as an affine map of the current activation (its pending map, or the
    /// identity), with its shape. Refuses a constant and an earlier activation.
    pub(super) fn act_map(&self, ctx: &NodeCtx, i: usize) -> Result<(Affine, Vec<usize>), ImportError> {
        let shape = self.activation(ctx, i)?;
        let map = match self.pending(ctx, i) {
            Some(p) => p.map.clone(),
            None => {
                let n = numel(&shape).ok_or_else(|| ctx.err("the activation is too large"))?;
                Affine::diagonal(vec![1.0; n], vec![0.0; n])
            }
        };
        Ok((map, shape))
    }

    /// Records the node's output as `map` of the current activation (not yet in the chain).
    pub(super) fn set_map(&mut self, ctx: &NodeCtx, map: Affine, shape: Vec<usize>) {
        let mut nodes = vec![ctx.name.clone()];
        for i in 0..ctx.node.input.len() {
            if let Some(p) = self.pending(ctx, i) {
                nodes.splice(0..0, p.nodes.iter().cloned());
            }
        }
        self.set_pending(ctx, shape, map, nodes);
    }

    /// Appends `lanes` of `map` (an affine map of the current activation, one lane
    /// per output of the map) to the activation, keeping the values that later nodes
    /// still read: the chain gets the affine map `[S; map]`, `S` selecting the
    /// activation's entries those values read, and a `Lanes` step that passes them
    /// on. Every value still to be read stays readable (as a map of the new
    /// activation), which lets a graph branch into comparisons and logic; the
    /// others are dropped (they are not carried through later layers). Returns the
    /// selection of the new lanes.
    pub(super) fn append_lanes(
        &mut self,
        ctx: &NodeCtx,
        map: &Affine,
        lanes: Vec<FloatLane>,
    ) -> Result<Affine, ImportError> {
        if self.chain.ends_in_argmax() {
            return Err(ctx.err("ArgMax must be the last computation of the model"));
        }
        let (n, m) = (map.in_dim, map.out_dim);
        let old = self.head;
        // The entries of the activation that the values still to be read depend on.
        let mut used = vec![false; n];
        for (name, v) in &self.values {
            let Value::Act { version, pending, .. } = v else { continue };
            if *version != old || self.reads_left.get(name).is_none_or(|r| *r == 0) {
                continue;
            }
            match pending {
                None => used.iter_mut().for_each(|u| *u = true),
                Some(p) => {
                    for row in p.map.dense_weights().chunks(n.max(1)) {
                        row.iter().zip(used.iter_mut()).for_each(|(w, u)| *u |= *w != 0.0);
                    }
                }
            }
        }
        let keep: Vec<usize> = (0..n).filter(|j| used[*j]).collect();
        let total = keep.len() + m;
        if numel(&[total, n]).is_none() || total > MAX_WIDTH {
            return Err(ImportError::TooLarge {
                what: format!("the activation widened by `{}`", ctx.name),
                count: (total * n) as u128,
            });
        }
        self.chain.append_lanes(&keep, map, lanes, &ctx.name);
        self.head += 1;
        let head = self.head;
        // Each value still to be read, as a map of the new activation: its weight on
        // old entry `keep[pos]` moves to entry `pos` (it has none on a dropped entry).
        for (name, v) in self.values.iter_mut() {
            let Value::Act { version, pending, .. } = v else { continue };
            if *version != old || self.reads_left.get(name).is_none_or(|r| *r == 0) {
                continue;
            }
            let map = match pending {
                Some(p) => {
                    let (w, out) = (p.map.dense_weights(), p.map.out_dim);
                    if numel(&[out, total]).is_none() {
                        return Err(ImportError::TooLarge {
                            what: format!("the value `{name}` after `{}`", ctx.name),
                            count: out as u128 * total as u128,
                        });
                    }
                    let mut weights = vec![0.0; out * total];
                    for (row, from) in weights.chunks_mut(total).zip(w.chunks(n.max(1))) {
                        for (pos, j) in keep.iter().enumerate() {
                            row[pos] = from[*j];
                        }
                    }
                    Affine::full(total, out, weights, p.map.bias.clone())
                }
                // The whole activation: every entry is kept.
                None => Affine::select(0, n, total),
            };
            let nodes = pending.as_ref().map(|p| p.nodes.clone()).unwrap_or_default();
            *version = head;
            *pending = Some(Rc::new(Pending { map, nodes }));
        }
        Ok(Affine::select(keep.len(), m, total))
    }
}

/// An activation operand of a `Concat` (see [`concat_map`]).
pub(super) enum Block {
    /// The current activation itself, or a pending map of it.
    Act(Option<Rc<Pending>>),
    /// A constant block.
    Const(Vec<f64>),
}

/// The affine map of a `Concat` along the vector axis of `blocks` (activation
/// operands and constants) from the current activation of `in_dim` values, and
/// the nodes of the pending maps it includes, and whether any block is pending
/// (if not, the caller pushes the map onto the chain). The caller checks that
/// `out_dim·in_dim` is within the parameter limit.
pub(super) fn concat_map(blocks: &[Block], in_dim: usize, out_dim: usize) -> (Affine, Vec<String>, bool) {
    let mut weights = vec![0.0; out_dim * in_dim];
    let mut bias = vec![0.0; out_dim];
    let mut nodes = Vec::new();
    let mut any_pending = false;
    let mut row = 0;
    for block in blocks {
        match block {
            Block::Act(None) => {
                for j in 0..in_dim {
                    weights[(row + j) * in_dim + j] = 1.0;
                }
                row += in_dim;
            }
            Block::Act(Some(p)) => {
                any_pending = true;
                nodes.extend(p.nodes.iter().cloned());
                let m = &p.map;
                weights[row * in_dim..(row + m.out_dim) * in_dim].copy_from_slice(&m.dense_weights());
                bias[row..row + m.out_dim].copy_from_slice(&m.bias);
                row += m.out_dim;
            }
            Block::Const(values) => {
                bias[row..row + values.len()].copy_from_slice(values);
                row += values.len();
            }
        }
    }
    (Affine::full(in_dim, out_dim, weights, bias), nodes, any_pending)
}

/// Fixes the input shape: a symbolic (or 0) leading axis of a rank ≥ 2 input is the batch
/// and becomes 1; every other axis must be a known size. A fixed leading axis other
/// than 1 is a batch size (rejected) unless the input is a column `[K, 1, ...]`.
fn fixed_input_shape(input: &pb::ValueInfoProto) -> Result<Vec<usize>, ImportError> {
    use pb::tensor_shape_proto::dimension::Value as Dim;
    let dynamic = |reason: String| ImportError::DynamicShape { input: input.name.clone(), reason };
    let Some(type_proto::Value::TensorType(t)) = input.r#type.as_ref().and_then(|t| t.value.as_ref()) else {
        return Err(dynamic("is not a tensor with a declared type".into()));
    };
    // A float64 model has been cast to float32 before the walk (see `super::precision`).
    if !matches!(DataType::try_from(t.elem_type), Ok(DataType::Float | DataType::Double)) {
        return Err(dynamic(format!("element type {} is not float32 or float64", t.elem_type)));
    }
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
    Ok(shape)
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
    let graph_inputs: Vec<&pb::ValueInfoProto> = graph.input.iter().filter(|i| !values.contains_key(&i.name)).collect();
    if graph_inputs.is_empty() {
        return Err(ImportError::Arity { kind: "input", count: 0, names: String::new() });
    }
    if graph.output.len() != 1 {
        return Err(ImportError::Arity { kind: "output", count: graph.output.len(), names: names(&graph.output) });
    }
    let mut inputs: Vec<ModelInput> = Vec::with_capacity(graph_inputs.len());
    let mut total = 0usize;
    for input in &graph_inputs {
        if inputs.iter().any(|i| i.name == input.name) {
            return Err(ImportError::Format {
                name: "model".into(),
                reason: format!("two graph inputs are named `{}`", input.name),
            });
        }
        let shape = fixed_input_shape(input)?;
        let len = shape.iter().product::<usize>();
        inputs.push(ModelInput { name: input.name.clone(), shape, offset: total, len });
        total += len;
        if total > MAX_WIDTH {
            return Err(ImportError::DynamicShape {
                input: input.name.clone(),
                reason: format!("the inputs up to this one hold {total} values, more than 2^20"),
            });
        }
    }
    if let [input] = &inputs[..] {
        values.insert(input.name.clone(), Value::Act { version: 0, shape: input.shape.clone(), pending: None });
    } else {
        // Each input is a selection from the concatenated input vector, pending: dense
        // maps of total·total entries in all, within the parameter limit (2^13 values).
        if numel(&[total, total]).is_none() {
            return Err(ImportError::TooLarge {
                what: format!("the selection of {} inputs from their {total} values", inputs.len()),
                count: total as u128 * total as u128,
            });
        }
        for input in &inputs {
            let map = Affine::select(input.offset, input.len, total);
            let pending = Some(Rc::new(Pending { map, nodes: Vec::new() }));
            values.insert(input.name.clone(), Value::Act { version: 0, shape: input.shape.clone(), pending });
        }
    }

    let mut reads_left: HashMap<String, usize> = HashMap::new();
    let reads = graph.node.iter().flat_map(|n| n.input.iter()).chain(graph.output.iter().map(|o| &o.name));
    for name in reads.filter(|name| !name.is_empty()) {
        *reads_left.entry(name.clone()).or_default() += 1;
    }
    let mut walker =
        Walker { values, chain: Chain::default(), head: 0, opset, model_dir, graph_nodes: &graph.node, reads_left };
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
        for name in &node.input {
            if let Some(r) = walker.reads_left.get_mut(name) {
                *r = r.saturating_sub(1);
            }
        }
        ops::apply(&mut walker, &NodeCtx { node, name: nodes[i].name.clone() })?;
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
    let output_shape = match walker.values.get(&output.name).cloned() {
        Some(Value::Act { version, shape, pending }) if version == walker.head => {
            if let Some(p) = pending {
                walker.materialize(&p);
            }
            shape
        }
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
    walker.chain.prove_lanes_in_body();
    Ok(Normalised { chain: walker.chain, inputs, output_shape, opset, nodes })
}
