"""Builds the ONNX backend node tests of every op zkpolicy imports, in their batch-1 form.

The node tests come from the `onnx` package's own generators
(`onnx.backend.test.case.node.collect_testcases`): for each op, a one-node model, its
inputs and the expected outputs. They are written for runtimes that take any tensor;
a policy takes one input vector (batch 1) and constant weights. Each case is adapted:

* elementwise ops (Add, Relu, Greater, And, Where, Cast, ...): every operand is
  broadcast to the output's shape and flattened to one row `[1, n]`; the first
  operand (the condition of `Where`) is the model input, the others are constant
  initializers. Non-finite entries are dropped from the row (a policy's input is
  finite). Boolean inputs are a float input cast to BOOL; integer tensors become
  float32 when that does not change the result (no wraparound, no truncation).
* ops over one axis (Softmax, ArgMax, Concat, Gemm, MatMul, ArrayFeatureExtractor):
  every row along that axis is its own request `[1, k]` (Gemm and MatMul: each row
  of the left operand, with the right one constant; Concat: the second operand's
  matching row as a constant);
* BatchNormalization: each image of the batch is a request `[1, C, H, W]`;
* shape ops (Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Identity): the input
  gets a leading batch axis of 1 and the axes the op names move by one;
* Gather: the indices are the (float) model input, cast to INT64; the table is constant;
* Constant: its tensor is added to a model input of its size (a graph whose output
  does not depend on an input is not a policy);
* TreeEnsemble (ai.onnx.ml 5): each row of X is a request `[1, F]` (rows with a NaN
  left out), of X's float type;
* the approximated functions (Sigmoid, Tanh, Gelu, Softplus, Elu, HardSwish, Exp) are
  also run inside the network (followed by a MatMul by 2·I), where they are proved
  piecewise-linear; Gelu (approximate="none") also in PyTorch's Erf form, which the
  importer fuses into one Gelu.

Inputs are rounded to the grid 2^-s (the quantization step) and the expected outputs
are computed by `onnx.reference.ReferenceEvaluator` on the adapted model at those
inputs, so the comparison measures the importer and the quantizer, not the rounding
of the request. Before that, the adapted model is run on the generator's own inputs
and must reproduce the generator's expected outputs (adapted the same way): a case
whose adaptation changes its meaning is skipped with the reason.

Each output gets the bound zkpolicy states for it (docs/PROTOCOL.md §2.1): exact
(comparisons, logic, ArgMax, shape ops, selections of grid values), the Dense bound
`2^-(s+1)·(Σ|w| + Σ|x| + 2) + 2^-(s+1)` for affine maps (HardSigmoid's too, then a
Clip), `2^-(s+1)` for a sigmoid, tanh or softmax in the head,
`Approximated::error_bound(s)` for a function proved or evaluated as its piecewise-linear
approximation (a sigmoid or tanh in the body, the others anywhere; doubled by the 2·I
after it), `(trees + 1)·2^-(s+1)` for a tree ensemble (its leaf values' rounding; the
path taken is exact on the grid); plus four float32 ulps of the reference value.

Usage: python generate.py OUT_DIR [--scale S]. Writes OUT_DIR/manifest.json and one
ONNX file and one input file per request.
"""

import argparse
import json
import math
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

# The importer reads opsets 9 to 23 of the default domain (graph.rs, OPSETS).
MIN_OPSET, MAX_OPSET = 9, 23
# Ops whose versions after opset 23 (24, 25) add element types only (float8e8m0,
# int2, ...): their tests, generated at the newest opset, are declared at 23.
TYPES_ONLY_AFTER_23 = {"Flatten", "Reshape", "Identity", "Squeeze", "Unsqueeze", "Transpose", "Cast", "Constant"}

# Every op of SUPPORTED_OPS (prover-cli/src/onnx/ops/mod.rs) that has ONNX backend
# node tests, by how its cases are adapted. LinearClassifier, LinearRegressor,
# TreeEnsembleClassifier/Regressor and ZipMap have none (onnx tests only the
# ai.onnx.ml opset 5 TreeEnsemble); nor has the Erf form of GELU (its node tests are
# of Erf alone, which the importer refuses outside that pattern).
ELEMENTWISE = {
    # op: bound kind ("exact", "dense", "head" or "piecewise")
    "Add": "dense", "Sub": "dense", "Mul": "dense", "Div": "dense",
    "Relu": "exact", "LeakyRelu": "dense", "HardSigmoid": "dense", "Clip": "exact", "Abs": "exact",
    "Sigmoid": "head", "Tanh": "head",
    "Gelu": "piecewise", "Softplus": "piecewise", "Elu": "piecewise", "HardSwish": "piecewise",
    "Exp": "piecewise",
    "Greater": "exact", "Less": "exact", "Equal": "exact",
    "GreaterOrEqual": "exact", "LessOrEqual": "exact",
    "And": "exact", "Or": "exact", "Xor": "exact", "Not": "exact",
    "Where": "exact", "Max": "exact", "Min": "exact",
    "Identity": "exact", "Dropout": "exact", "Cast": "exact",
}
SHAPE_OPS = {"Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose"}
OTHER_OPS = {"Softmax", "ArgMax", "Concat", "Gemm", "MatMul", "BatchNormalization",
             "Gather", "Constant", "ArrayFeatureExtractor", "TreeEnsemble"}
SUPPORTED = sorted(set(ELEMENTWISE) | SHAPE_OPS | OTHER_OPS)
# The functions proved as piecewise-linear approximations (PROTOCOL.md §2.1,
# "Approximated functions"): in the head as themselves, and inside the network.
# (Sigmoid and Tanh are exact in the head, approximated inside the network only.)
APPROXIMATED = {"Sigmoid", "Tanh", "Gelu", "Softplus", "Elu", "HardSwish", "Exp"}
# Ops that make no Dense layer on their own: their requests get an identity MatMul first.
NEED_DENSE = {"Relu", "LeakyRelu", "HardSigmoid", "Clip", "Softmax", "ArgMax", "Cast", "Dropout", "Identity",
              "Max", "Min"} | APPROXIMATED | SHAPE_OPS
# Ops whose constant operands only pass through (selected or compared against a
# grid value): the adaptation puts those constants on the grid, where these ops
# are exact (PROTOCOL.md §2.1, "Exact comparisons").
GRID_CONSTANTS = {"Clip", "Where", "Max", "Min", "Concat", "Gather", "ArrayFeatureExtractor"}

# Cast targets the importer reads as a float (identity) or as a boolean.
CAST_TARGETS = {TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.FLOAT16,
                TensorProto.BFLOAT16, TensorProto.BOOL}


class Skip(Exception):
    """A case with no batch-1 form as a policy; the message says why."""


def grid(x, s):
    """Rounds to multiples of 2^-s, half away from zero (as the quantizer does)."""
    scaled = np.asarray(x, dtype=np.float64) * 2.0**s
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 2.0**s


def approximation(node, top):
    """(max|f''|, step, tail gap) of `Approximated::spec` (core/src/frontend/model/
    piecewise.rs) for the function of `node`; `top` is an Exp's input bound (real units)."""
    op = node.op_type
    if op == "Sigmoid":
        return 0.0963, 0.25, 1.0 / (1.0 + math.exp(8.0))
    if op == "Tanh":
        return 0.770, 0.125, 1.0 - math.tanh(4.0)
    if op == "Gelu":
        tanh_form = attr(node, "approximate", b"none") == b"tanh"

        def gelu(v):
            if tanh_form:
                return 0.5 * v * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (v + 0.044715 * v**3)))
            return 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0)))
        return 0.798, 0.125, max(abs(gelu(-4.0)), abs(gelu(4.0) - 4.0))
    if op == "Softplus":
        return 0.25, 0.25, math.log1p(math.exp(-8.0))
    if op == "Elu":
        alpha = abs(attr(node, "alpha", 1.0))
        return alpha, 0.125, alpha * math.exp(-8.0)
    if op == "HardSwish":
        return 1.0 / 3.0, 0.125, 0.0
    assert op == "Exp", op
    return math.exp(top), 0.0625, math.exp(-10.0)


def approximation_name(node, top):
    """The function's name as the import's warning writes it (`Approximated`'s Display)."""
    op = node.op_type
    if op == "Gelu":
        return "gelu (tanh form)" if attr(node, "approximate", b"none") == b"tanh" else "gelu"
    if op == "Elu":
        alpha = float(attr(node, "alpha", 1.0))
        return f"elu (alpha {int(alpha) if alpha.is_integer() else repr(alpha)})"
    if op == "Exp":
        return f"exp of inputs up to {int(top)}"
    return op.lower()


def piecewise_bound(node, s, top):
    """Approximated::error_bound(s) (core/src/frontend/model/piecewise.rs)."""
    curvature, step, tail = approximation(node, top)
    step = max(step, 2.0**-s)
    g = 2.0 ** -(s + 1)
    return max(curvature * step * step / 8.0, tail) + g * step + 2 * g * g + g


def dense_bound(sum_w, sum_x, s):
    """The Dense layer's stated bound per output (PROTOCOL.md §2.1, Error bound)."""
    g = 2.0 ** -(s + 1)
    return g * (np.asarray(sum_w) + np.asarray(sum_x) + 2.0) + g


def to_array(v):
    return numpy_helper.to_array(v) if isinstance(v, TensorProto) else np.asarray(v)


class Request:
    """One batch-1 model and input: the unit the runner checks."""

    def __init__(self, nodes, dynamic, constants, out_name, opset, domain_opsets=(), input_type=TensorProto.FLOAT):
        # dynamic: [(graph input name, array)], the model input; constants: initializers;
        # input_type: the model input's element type (FLOAT, or DOUBLE where the test's is).
        self.nodes = nodes
        self.dynamic = dynamic
        self.constants = constants
        self.out_name = out_name
        self.opset = opset
        self.domain_opsets = domain_opsets
        self.input_type = input_type

    def model(self):
        inputs = [helper.make_tensor_value_info(n, self.input_type, list(a.shape)) for n, a in self.dynamic]
        inits = [numpy_helper.from_array(np.asarray(a), n) for n, a in self.constants.items()]
        out = helper.make_tensor_value_info(self.out_name, TensorProto.UNDEFINED, None)
        graph = helper.make_graph(self.nodes, "conformance", inputs, [out], inits)
        opsets = [helper.make_opsetid("", self.opset)] + [helper.make_opsetid(d, v) for d, v in self.domain_opsets]
        m = helper.make_model(graph, opset_imports=opsets, producer_name="zkpolicy-conformance")
        m.ir_version = 8
        return m

    def run(self, values):
        """The reference outputs for the model inputs `values` (float arrays)."""
        dtype = helper.tensor_dtype_to_np_dtype(self.input_type)
        feeds = {n: np.asarray(v, dtype=dtype).reshape(a.shape) for (n, a), v in zip(self.dynamic, values)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ReferenceEvaluator(self.model()).run(None, feeds)[0]


def float_operand(a, what):
    """An operand as float32 (bool stays bool); integers only when exactly representable."""
    a = to_array(a)
    if a.dtype == np.bool_ or a.dtype == np.float32:
        return a
    if a.dtype in (np.float64, np.float16):
        return a.astype(np.float32)  # the importer casts a float64 model to float32
    if a.dtype.kind in "iu":
        if a.size and np.abs(a.astype(np.float64)).max() >= 2**24:
            raise Skip(f"{what} holds integers beyond 2^24 (not exact as float32)")
        return a.astype(np.float32)
    raise Skip(f"{what} holds {a.dtype} values (strings): a policy's values are numbers")


def dynamic_input(name, a):
    """The model input for operand `a`: (input, array, pre-nodes) — bool via Cast."""
    if a.dtype == np.bool_:
        cast = helper.make_node("Cast", [name + "_f"], [name], to=TensorProto.BOOL)
        return name + "_f", a.astype(np.float32), [cast]
    return name, a.astype(np.float32), []


def node_like(node, inputs, outputs=None, **attrs):
    """A copy of `node` on new inputs (and outputs), attributes replaced by `attrs`."""
    kept = {a.name: helper.get_attribute_value(a) for a in node.attribute if a.name not in attrs}
    kept.update({k: v for k, v in attrs.items() if v is not None})
    return helper.make_node(node.op_type, inputs, outputs or [node.output[0]], domain=node.domain, **kept)


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


# Every adapter takes the node, its input values (None for an omitted optional input),
# the expected outputs and the opset, and returns the case's requests, each as
# (Request, its model inputs, the expected output as a row, bound kind, per-output Σ|w|
# for a "dense" bound or None). Extra outputs (Dropout's mask) are dropped: a policy has one.


def adapt_elementwise(node, ins, outs, opset):
    op = node.op_type
    if op == "Dropout" and len(ins) > 2 and bool(to_array(ins[2])):
        ratio = 0.5 if ins[1] is None else float(to_array(ins[1]).ravel()[0])
        if ratio != 0.0:
            raise Skip("training mode with a non-zero ratio (random mask); a policy is evaluated in inference")
    if op == "Cast":
        to = attr(node, "to")
        src = to_array(ins[0])
        if src.dtype not in (np.float32, np.float64):
            raise Skip("a cast from a type other than float32/float64: a policy's input is float")
        if to not in CAST_TARGETS:
            raise Skip("a cast to an integer, 8-, 4- or 2-bit type: a computed value is cast only to a float "
                       "or BOOL (to an integer only for Gather indices)")
    y = to_array(outs[0])
    shape = y.shape
    operands = []
    for k, (n, a) in enumerate(zip(node.input, ins)):
        if n == "":
            operands.append(None)
            continue
        # (A float64 input becomes a float32 one: the importer casts float64 models.)
        a = float_operand(a, f"input {k} ({n})")
        if a.ndim == 0 and k > 0:
            operands.append(a)  # a scalar operand (Clip bounds, Dropout's ratio) stays one
        else:
            operands.append(np.broadcast_to(a, shape).reshape(1, -1))
    expected = y.reshape(1, -1)
    # Drop non-finite entries of the model input (and the matching ones everywhere).
    x0 = operands[0].astype(np.float64) if operands[0].dtype != np.bool_ else operands[0]
    keep = np.isfinite(x0).ravel() if x0.dtype != np.bool_ else np.ones(x0.size, bool)
    if not keep.any():
        raise Skip("no finite input value")
    operands = [a if a is None or a.ndim == 0 else a[:, keep] for a in operands]
    expected = expected[:, keep]
    in_name, x, pre = dynamic_input("x0", operands[0])
    inputs, consts = ["x0"], {}
    for k, a in enumerate(operands[1:], 1):
        if a is None:
            inputs.append("")
        else:
            consts[f"c{k}"] = a
            inputs.append(f"c{k}")
    main = node_like(node, inputs, ["y"])
    req = Request(pre + [main], [(in_name, x)], consts, "y", opset)
    # The bound's factors for an affine op: the constant's weight per output.
    w = None
    if op in ("Mul",):
        w = np.abs(operands[1]).astype(np.float64).ravel()
    elif op == "Div":
        w = np.abs(1.0 / operands[1].astype(np.float64)).ravel()
    elif op in ("Add", "Sub"):
        w = np.ones(x.size)
    elif op == "LeakyRelu":
        w = np.full(x.size, abs(attr(node, "alpha", 0.01)))
    elif op == "HardSigmoid":
        w = np.full(x.size, abs(attr(node, "alpha", 0.2)))  # its affine part, folded into the Dense
    kind = ELEMENTWISE[op]
    return [(req, [x], expected, kind, w)]


def adapt_rows(node, ins, outs, opset):
    """Softmax and ArgMax: every row along the axis is a request [1, k]."""
    op = node.op_type
    x = float_operand(ins[0], "input 0")
    y = to_array(outs[0])
    if op == "Softmax" and opset < 13:
        raise Skip("Softmax before opset 13 flattens the axes from `axis` on")
    axis = attr(node, "axis", -1 if op == "Softmax" else 0) % x.ndim
    rows = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
    keepdims = attr(node, "keepdims", 1)
    if op == "ArgMax":
        yr = (np.moveaxis(y, axis, -1) if keepdims else np.expand_dims(y, -1)).reshape(-1, 1)
    else:
        yr = np.moveaxis(y, axis, -1).reshape(-1, x.shape[axis])
    out = []
    for r, e in zip(rows, yr):
        req = Request([node_like(node, ["x0"], ["y"], axis=-1)], [("x0", r.reshape(1, -1))], {}, "y", opset)
        out.append((req, [r.reshape(1, -1)], e.reshape(1, -1), "head" if op == "Softmax" else "exact", None))
    return out


def adapt_concat(node, ins, outs, opset):
    if len(ins) != 2:
        raise Skip("Concat of more than two operands")
    a, b = (float_operand(v, f"input {k}") for k, v in enumerate(ins))
    axis = attr(node, "axis") % a.ndim
    ra = np.moveaxis(a, axis, -1).reshape(-1, a.shape[axis])
    rb = np.moveaxis(b, axis, -1).reshape(-1, b.shape[axis])
    y = to_array(outs[0])
    ry = np.moveaxis(y, axis, -1).reshape(-1, y.shape[axis])
    out = []
    for xa, xb, e in zip(ra, rb, ry):
        req = Request([node_like(node, ["x0", "c1"], ["y"], axis=-1)], [("x0", xa.reshape(1, -1))],
                      {"c1": xb.reshape(1, -1)}, "y", opset)
        out.append((req, [xa.reshape(1, -1)], e.reshape(1, -1), "exact", None))
    return out


def adapt_gemm(node, ins, outs, opset):
    a = float_operand(ins[0], "A")
    b = float_operand(ins[1], "B")
    c = float_operand(ins[2], "C") if len(ins) > 2 else None
    ta, tb = attr(node, "transA", 0), attr(node, "transB", 0)
    alpha = attr(node, "alpha", 1.0)
    y = to_array(outs[0])
    op_a = a.T if ta else a
    bmat = b.T if tb else b
    out = []
    for m in range(op_a.shape[0]):
        row = op_a[m]
        xin = row.reshape(-1, 1) if ta else row.reshape(1, -1)
        consts = {"B": b}
        inputs = ["x0", "B"]
        if c is not None:
            cm = c[m:m + 1] if (c.ndim == 2 and c.shape[0] == op_a.shape[0] and c.shape[0] > 1) else c
            consts["C"] = cm
            inputs.append("C")
        req = Request([node_like(node, inputs, ["y"])], [("x0", xin)], consts, "y", opset)
        w = np.abs(alpha * bmat).sum(axis=0)
        out.append((req, [xin], y[m:m + 1], "dense", w))
    return out


def adapt_matmul(node, ins, outs, opset):
    a = float_operand(ins[0], "A")
    b = float_operand(ins[1], "B")
    y = to_array(outs[0])
    if a.ndim == 1 and b.ndim == 1:
        req = Request([node_like(node, ["x0", "B"], ["y"])], [("x0", a)], {"B": b}, "y", opset)
        return [(req, [a], y.reshape(1, -1), "dense", np.abs(b).sum(keepdims=True))]
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    ab = np.broadcast_to(a2, batch + a2.shape[-2:])
    bb = np.broadcast_to(b2, batch + b2.shape[-2:])
    yb = np.matmul(ab, bb)  # the expected rows, in the same batch order as y's values
    if yb.size != y.size:
        raise Skip("unexpected output layout")
    out = []
    for idx in np.ndindex(*batch):
        bm = bb[idx] if b.ndim > 1 else b
        for m in range(ab.shape[-2]):
            row = ab[idx][m]
            xin = row if a.ndim == 1 else row.reshape(1, -1)
            req = Request([node_like(node, ["x0", "B"], ["y"])], [("x0", xin)], {"B": np.ascontiguousarray(bm)},
                          "y", opset)
            expected = yb[idx][m].reshape(1, -1)
            w = np.abs(bm if bm.ndim == 2 else bm.reshape(-1, 1)).sum(axis=0)
            out.append((req, [xin], expected, "dense", w))
    # Check against the generator's values once, as a whole.
    if not np.allclose(yb.ravel(), y.ravel(), rtol=1e-5, atol=1e-6):
        raise Skip("the batch-1 rows do not reproduce the generator's output")
    return out


def adapt_batchnorm(node, ins, outs, opset):
    if attr(node, "training_mode", 0) or len(node.output) > 1:
        raise Skip("training mode (batch statistics); BatchNormalization is imported in inference")
    x = float_operand(ins[0], "X")
    params = [float_operand(v, n) for v, n in zip(ins[1:], ["scale", "B", "mean", "var"])]
    y = to_array(outs[0])
    eps = attr(node, "epsilon", 1e-5)
    w = params[0] / np.sqrt(params[3] + eps)
    consts = dict(zip(["s", "bias", "mean", "var"], params))
    out = []
    for n in range(x.shape[0]):
        xin = x[n:n + 1]
        req = Request([node_like(node, ["x0", "s", "bias", "mean", "var"], ["y"])], [("x0", xin)], consts, "y", opset)
        wn = np.broadcast_to(np.abs(w).reshape(1, -1, *([1] * (x.ndim - 2))), xin.shape).ravel()
        out.append((req, [xin], y[n:n + 1].reshape(1, -1), "dense", wn))
    return out


def shifted(axes):
    """Non-negative axes move by one (the batch axis is prepended); negative ones stay."""
    return [a + 1 if a >= 0 else a for a in axes]


def adapt_shape(node, ins, outs, opset):
    op = node.op_type
    x = float_operand(ins[0], "input 0")
    if x.size == 0:
        raise Skip("an empty tensor")
    y = to_array(outs[0])
    xin = x.reshape((1,) + x.shape)
    consts, inputs, attrs = {}, ["x0"], {}
    if op == "Flatten":
        attrs["axis"] = shifted([attr(node, "axis", 1)])[0]
    elif op == "Reshape":
        consts["shape"] = np.concatenate([[1], to_array(ins[1])]).astype(np.int64)
        inputs.append("shape")
    elif op in ("Squeeze", "Unsqueeze"):
        if len(ins) > 1:
            consts["axes"] = np.array(shifted(list(to_array(ins[1]))), dtype=np.int64)
            inputs.append("axes")
        elif attr(node, "axes") is not None:
            attrs["axes"] = shifted(attr(node, "axes"))
    elif op == "Transpose":
        perm = attr(node, "perm") or list(range(x.ndim))[::-1]
        attrs["perm"] = [0] + [p + 1 for p in perm]
    req = Request([node_like(node, inputs, ["y"], **attrs)], [("x0", xin)], consts, "y", opset)
    return [(req, [xin], y.reshape(1, -1), "exact", None)]


def adapt_identity(node, ins, outs, opset):
    x = to_array(ins[0])
    if not isinstance(ins[0], np.ndarray):
        raise Skip("a sequence or optional value; a policy's input is a tensor")
    x = float_operand(x, "input 0")
    xin = x.reshape((1,) + x.shape)
    req = Request([node_like(node, ["x0"], ["y"])], [("x0", xin)], {}, "y", opset)
    return [(req, [xin], to_array(outs[0]).reshape(1, -1), "exact", None)]


def adapt_gather(node, ins, outs, opset):
    data = float_operand(ins[0], "data")
    idx = to_array(ins[1])
    y = to_array(outs[0])
    xin = idx.astype(np.float32)
    if xin.ndim >= 2 and xin.shape[0] != 1:
        xin = xin.reshape((1,) + xin.shape)
    cast = helper.make_node("Cast", ["x0"], ["idx"], to=TensorProto.INT64)
    req = Request([cast, node_like(node, ["data", "idx"], ["y"])], [("x0", xin)], {"data": data}, "y", opset)
    return [(req, [xin], y.reshape(1, -1), "exact", None)]


def adapt_constant(node, ins, outs, opset):
    y = to_array(outs[0])
    c = helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(y.reshape(1, -1), "c"))
    x = np.linspace(-1.0, 1.0, y.size, dtype=np.float32).reshape(1, -1)
    add = helper.make_node("Add", ["x0", "c"], ["y"])
    req = Request([c, add], [("x0", x)], {}, "y", opset)
    return [(req, [x], (x + y.reshape(1, -1)), "dense", np.ones(y.size))]


def adapt_array_feature_extractor(node, ins, outs, opset):
    x = float_operand(ins[0], "X")
    idx = to_array(ins[1])
    y = to_array(outs[0])
    out = []
    for r, e in zip(x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])):
        req = Request([node_like(node, ["x0", "idx"], ["y"])], [("x0", r.reshape(1, -1))], {"idx": idx}, "y",
                      opset, domain_opsets=[("ai.onnx.ml", 1)])
        out.append((req, [r.reshape(1, -1)], e.reshape(1, -1), "exact", None))
    return out


def adapt_tree_ensemble(node, ins, outs, opset):
    """TreeEnsemble (ai.onnx.ml 5): each row of X is a request [1, F], of X's float type
    (its thresholds and leaf weights are of that type too); rows with a NaN (a missing
    value) are left out: a policy's input is finite."""
    x = to_array(ins[0])
    if x.dtype not in (np.float32, np.float64):
        raise Skip(f"X holds {x.dtype} values: a policy's input is float32 or float64")
    y = to_array(outs[0])
    trees = len(attr(node, "tree_roots"))
    input_type = TensorProto.DOUBLE if x.dtype == np.float64 else TensorProto.FLOAT
    out = []
    for r, e in zip(x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])):
        if not np.isfinite(r).all():
            continue
        req = Request([node_like(node, ["x0"], ["y"])], [("x0", r.reshape(1, -1))], {}, "y", opset,
                      domain_opsets=[("ai.onnx.ml", 5)], input_type=input_type)
        out.append((req, [r.reshape(1, -1)], e.reshape(1, -1), "trees", trees))
    return out


def reversal(n):
    """The permutation matrix that reverses `n` values: a Dense layer with exact
    weights (an identity matrix would be folded away)."""
    return np.eye(n, dtype=np.float32)[::-1].copy()


def with_dense(req):
    """`req` after a Dense layer on its input: a policy has at least one, and ops that
    are not linear make none. The model input is the row `[1, n]` reversed, and a
    MatMul by the reversal puts it back in order (reshaped to the op's input shape):
    exact at grid inputs."""
    (name, x), = req.dynamic
    n = x.size
    row = x.reshape(1, n)
    nodes = [helper.make_node("MatMul", ["x_rev", "rev_in"], ["x_dense" if x.shape != row.shape else name])]
    consts = {"rev_in": reversal(n)}
    if x.shape != row.shape:
        nodes.append(helper.make_node("Reshape", ["x_dense", "x_shape"], [name]))
        consts["x_shape"] = np.array(x.shape, dtype=np.int64)
    return Request(nodes + req.nodes, [("x_rev", row[:, ::-1].copy())], {**consts, **req.constants}, req.out_name,
                   req.opset)


def with_hidden(req, n):
    """`req` followed by a Dense layer, `2·I`, so that its op is inside the network (a
    permutation would move before a sigmoid, into the Dense there, PROTOCOL.md §2.1).
    The doubling is exact on the grid: the bound doubles."""
    nodes = list(req.nodes)
    nodes[-1] = node_like(nodes[-1], list(nodes[-1].input), ["h"])
    nodes.append(helper.make_node("MatMul", ["h", "twice"], ["y"]))
    return Request(nodes, req.dynamic, {**req.constants, "twice": 2 * np.eye(n, dtype=np.float32)}, "y", req.opset)


def erf_form(req):
    """`req` with its `Gelu` written as PyTorch exports GELU below opset 20,
    `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`, which the importer reads as one
    `Gelu` (prover-cli/src/onnx/fuse.rs)."""
    nodes = []
    for n in req.nodes:
        if n.op_type != "Gelu":
            nodes.append(n)
            continue
        x, y = n.input[0], n.output[0]
        nodes += [helper.make_node("Div", [x, "sqrt2"], ["gelu_d"]),
                  helper.make_node("Erf", ["gelu_d"], ["gelu_e"]),
                  helper.make_node("Add", ["gelu_e", "one"], ["gelu_a"]),
                  helper.make_node("Mul", [x, "gelu_a"], ["gelu_m"]),
                  helper.make_node("Mul", ["gelu_m", "half"], [y])]
    consts = {"sqrt2": np.array(math.sqrt(2.0), np.float32), "one": np.array(1.0, np.float32),
              "half": np.array(0.5, np.float32)}
    return Request(nodes, req.dynamic, {**req.constants, **consts}, req.out_name, req.opset)


ADAPTERS = {**{op: adapt_elementwise for op in ELEMENTWISE}, **{op: adapt_shape for op in SHAPE_OPS},
            "Identity": adapt_identity, "Softmax": adapt_rows, "ArgMax": adapt_rows, "Concat": adapt_concat,
            "Gemm": adapt_gemm, "MatMul": adapt_matmul, "BatchNormalization": adapt_batchnorm,
            "Gather": adapt_gather, "Constant": adapt_constant,
            "ArrayFeatureExtractor": adapt_array_feature_extractor, "TreeEnsemble": adapt_tree_ensemble}


# Forms the importer documents as unsupported (SUPPORTED_OPS, PROTOCOL.md §2.1): a
# refusal of these is a skip with the importer's message, anything else must import.
# (A form listed here that imports after all is run and compared like any other.)
def documented_refusal(op, node, ins):
    if op == "Transpose":
        return "a Transpose of the activation that reorders its values"
    if op in ("Max", "Min") and len(ins) > 2:
        return "Max/Min of three values"
    if op == "Gather" and attr(node, "axis", 0) != 0:
        return f"a Gather along axis {attr(node, 'axis')}"
    if op == "ArgMax" and attr(node, "select_last_index", 0):
        return "ArgMax with select_last_index=1"
    if op == "Cast" and attr(node, "to") in (TensorProto.BFLOAT16, TensorProto.FLOAT16):
        return "a cast of a computed value to a 16-bit float"
    if op == "Clip" and len(ins) == 3 and float(to_array(ins[1])) > float(to_array(ins[2])):
        return "Clip with min > max"
    if op == "MatMul" and to_array(ins[0]).ndim == 1 and to_array(ins[1]).ndim == 1:
        return "a MatMul of two vectors (a scalar)"
    return None


def opset_of(model):
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), MAX_OPSET)


def declared_opset(node, opset):
    """The opset the adapted model declares: the test's, moved into 9..=23 when the op
    means the same there (the same version of it is current), else Skip."""
    target = min(max(opset, MIN_OPSET), MAX_OPSET)
    if target == opset:
        return opset
    version = onnx.defs.get_schema(node.op_type, target, node.domain).since_version
    if target > opset and version != onnx.defs.get_schema(node.op_type, opset, node.domain).since_version:
        raise Skip(f"opset {opset}: {node.op_type} changed by opset {target}")
    if target < opset and node.op_type not in TYPES_ONLY_AFTER_23:
        raise Skip(f"opset {opset} version of {node.op_type}; the importer reads opsets up to {MAX_OPSET}")
    return target


def build(test):
    """The requests of one node test, or raises Skip."""
    node = test.model.graph.node[0]
    ins, outs = test.data_sets[0]
    opset = declared_opset(node, opset_of(test.model))
    graph_inputs = {i.name: i for i in test.model.graph.input}
    named = dict(zip([i.name for i in test.model.graph.input], ins))
    full_ins = [named.get(n) if n else None for n in node.input]
    if any(v is None for n, v in zip(node.input, full_ins) if n):
        raise Skip("an input is not given")
    assert all(n in graph_inputs for n in node.input if n)
    requests = ADAPTERS[node.op_type](node, full_ins, outs, opset)
    if node.op_type in NEED_DENSE:
        requests = [(with_dense(r), [x.reshape(1, -1)[:, ::-1].copy() for x in xs], e, kind, w)
                    for r, xs, e, kind, w in requests]
    return requests


def json_floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--scale", type=int, default=12)
    args = ap.parse_args()
    s = args.scale
    os.makedirs(args.out_dir, exist_ok=True)
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tests = collect_testcases()
    manifest = {"scale": s, "onnx": onnx.__version__, "ops": SUPPORTED, "cases": []}
    count = 0
    for test in sorted(tests, key=lambda t: t.name):
        g = test.model.graph
        if len(g.node) != 1 or g.node[0].op_type not in ADAPTERS or "_expanded" in test.name:
            continue
        node = g.node[0]
        op = node.op_type
        entry = {"op": op, "case": test.name, "requests": []}
        manifest["cases"].append(entry)
        try:
            adapted = build(test)
        except Skip as e:
            entry["skip"] = str(e)
            continue
        entry["refusal"] = documented_refusal(op, node, test.data_sets[0][0])
        integer_case = any(to_array(v).dtype.kind in "iu" for v in test.data_sets[0][0]
                           if isinstance(v, (np.ndarray, TensorProto)))
        variants = [("", adapted)]
        if op == "Gelu" and attr(node, "approximate", b"none") == b"none":
            variants.append(("erf form", [(erf_form(r), *rest) for r, *rest in adapted]))
        if op in APPROXIMATED:
            variants += [(f"{v}, hidden" if v else "hidden", [(with_hidden(r, x[0].size), x, 2 * e, "piecewise", w)
                                                               for r, x, e, _, w in reqs]) for v, reqs in variants]
        for variant, reqs in variants:
            if variant:
                entry = {"op": op, "case": f"{test.name} ({variant})", "requests": [], "refusal": None}
                manifest["cases"].append(entry)
            try:
                for req, xs, expected, kind, w in reqs:
                    entry["requests"].append(write_request(args.out_dir, count, req, xs, expected, kind, w, s, node,
                                                           integer_case, 2 if variant.endswith("hidden") else 1))
                    count += 1
            except Skip as e:
                entry["skip"] = str(e)
                entry["requests"] = []
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"generate.py: {len(manifest['cases'])} cases, {count} requests in {args.out_dir}")


def write_request(out_dir, k, req, xs, expected, kind, w, s, node, integer_case, gain):
    """Writes one request; `gain` is the factor of the layers after the op (with_hidden's 2)."""
    op = node.op_type
    # 1. The adaptation must reproduce the generator's outputs on its own inputs.
    got = req.run(xs).astype(np.float64).reshape(1, -1)
    if expected is not None:
        want = np.asarray(expected).astype(np.float64).reshape(1, -1)
        if (want.shape != got.shape or not np.allclose(got, want, rtol=1e-4, atol=1e-5)):
            raise Skip("as float32, the case's integer result differs (wraparound or truncation)"
                       if integer_case else "the batch-1 form does not reproduce the generator's expected output")
    # 2. The request at grid inputs (and, for an op that only selects or compares its
    # constants, grid constants), its reference output and bound.
    if op in GRID_CONSTANTS:
        req.constants = {n: grid(c, s).astype(np.float32) if c.dtype.kind == "f" else c
                         for n, c in req.constants.items()}
    xg = [grid(x, s).astype(np.float32) for x in xs]
    ref = req.run(xg).astype(np.float64).ravel()
    values = np.concatenate([x.ravel() for x in xg]).astype(np.float64)
    input_range = float(2.0 ** max(0, math.ceil(math.log2(max(1.0, float(np.abs(values).max()) + 1)))))
    x_abs = np.abs(values)
    if op in NEED_DENSE:
        x_abs = x_abs[::-1]  # the op's input, in order (with_dense reverses the model input)
    stated = None
    if kind == "exact":
        bound = np.zeros(ref.size)
    elif kind == "head":
        bound = np.full(ref.size, 2.0 ** -(s + 1))
    elif kind == "piecewise":
        # An Exp's top is its input's bound: with_dense's permutation passes the input
        # range on unchanged (PROTOCOL.md §2, the interval of a Dense).
        b = piecewise_bound(node, s, input_range)
        mantissa, exponent = f"{b:.1e}".split("e")
        # What the import's warning must say: the function (with its attributes), where
        # it is, and its bound.
        where = "inside the network is proved" if gain > 1 else "after the last Dense is computed by the verifier"
        stated = [f"the {approximation_name(node, input_range)} {where}",
                  f"within {mantissa}e{int(exponent)} of the real function"]
        bound = np.full(ref.size, b)
    elif kind == "trees":
        bound = np.full(ref.size, (w + 1) * 2.0 ** -(s + 1))  # w: the number of trees
    else:
        sum_w = np.broadcast_to(np.asarray(w, dtype=np.float64), ref.shape) if w is not None else np.ones(ref.size)
        # Σ|x| over the values an output reads: all of them for a row op, its own for an elementwise one.
        sum_x = np.abs(x_abs).sum() if op in ("Gemm", "MatMul") else np.broadcast_to(x_abs, ref.shape)
        bound = dense_bound(sum_w, sum_x, s)
    bound = gain * bound + 4 * np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
    model = f"r{k:04d}.onnx"
    onnx.save(req.model(), os.path.join(out_dir, model))
    with open(os.path.join(out_dir, f"r{k:04d}.json"), "w") as f:
        json.dump({"input": json_floats(values)}, f)
    return {"model": model, "input": f"r{k:04d}.json", "input_range": input_range, "bound_kind": kind,
            "stated": stated, "expected": json_floats(ref), "bound": json_floats(bound)}


if __name__ == "__main__":
    sys.exit(main())
