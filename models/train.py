#!/usr/bin/env python3
"""Train the three zkpolicy seed policy models in plain numpy and export them to ONNX.

Usage (from the repository root):

    python models/train.py                  # all three models
    python models/train.py whitelist        # one model (or several names)

For each model this writes, into models/<name>/:
    <name>.onnx   the trained MLP (opset 13, ir_version 8, float32, input [1, N], output [1, K])
    approve.json  a clear approve example  {"input": [...]}
    deny.json     a clear deny example     {"input": [...]}
    test.jsonl    held-out labelled rows   {"input": [...], "label": 0|1}   (1 = approve)

Everything is deterministic: data comes from fixed-seed numpy generators, training is
full-batch Adam on binary cross-entropy with L2 weight decay, and the ONNX file contains no
timestamps. Re-running on the same machine reproduces byte-identical files (models/train_all.sh
pins BLAS to one thread for that).

Each model is described by one entry of MODELS below: how to sample raw requests, how to
encode them as feature vectors, the labelling rule, the layer sizes and the export style.
"""

import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

DECISION_RULE = "threshold:0:0.5"  # approve iff output[0] >= 0.5
OPSET = 13
IR_VERSION = 8
DECIMALS = 6  # every non-integer feature value is rounded to 6 decimal places


def snap(x):
    """Round features to DECIMALS places (and turn -0.0 into 0.0) so that the values written
    to JSON are exactly the values the model was trained and evaluated on."""
    return np.round(np.asarray(x, dtype=np.float64), DECIMALS) + 0.0


# --------------------------------------------------------------------------------------------
# simple_velocity: 5 -> 8 (ReLU) -> 2 (Sigmoid), outputs [approved_score, risk_score]
# --------------------------------------------------------------------------------------------
SV_AMOUNT_RATIO = 0.5  # approve needs amount < 0.5 * balance        (prototype: 0.1)
SV_VELOCITY_RATIO = 0.25  # approve needs velocity_1h < 0.25 * balance (prototype: 0.05)
SV_TRUST_MIN = 0.5  # approve needs vendor_trust > 0.5
SV_GAP = 0.02  # no sample lies within 0.02 of any of the three boundaries
SV_P_OK = 0.8  # each condition holds independently with probability 0.8


def sv_rule(x):
    amount, balance, v1h, _v24h, trust = x.T
    return (
        (amount < SV_AMOUNT_RATIO * balance)
        & (v1h < SV_VELOCITY_RATIO * balance)
        & (trust > SV_TRUST_MIN)
    ).astype(np.int64)


def sv_sample(rng, n, gap=SV_GAP):
    """Raw feature rows (already in [0, 1]). Each condition is made true with probability
    SV_P_OK, and every value keeps a distance >= gap from its decision boundary."""

    def side(ok, lo_hi_ok, lo_hi_bad):
        lo = np.where(ok, lo_hi_ok[0], lo_hi_bad[0])
        hi = np.where(ok, lo_hi_ok[1], lo_hi_bad[1])
        return lo + rng.random(n) * (hi - lo)

    balance = 0.1 + 0.9 * rng.random(n)
    a_cut = SV_AMOUNT_RATIO * balance
    amount = side(rng.random(n) < SV_P_OK, (0.0, a_cut - gap), (a_cut + gap, 1.0))
    v_cut = SV_VELOCITY_RATIO * balance
    v1h = side(rng.random(n) < SV_P_OK, (0.0, v_cut - gap), (v_cut + gap, 1.0))
    v24h = v1h + rng.random(n) * (1.0 - v1h)  # 24h velocity is at least the 1h velocity
    t_ok = (SV_TRUST_MIN + gap, 1.0)
    t_bad = (0.0, SV_TRUST_MIN - gap)
    trust = side(rng.random(n) < SV_P_OK, t_ok, t_bad)
    return snap(np.stack([amount, balance, v1h, v24h, trust], axis=1))


# --------------------------------------------------------------------------------------------
# whitelist: 102 -> 64 (ReLU) -> 32 (ReLU) -> 1 (Sigmoid), MatMul + Add export
# --------------------------------------------------------------------------------------------
WL_VENDORS = 100
# Fixed allow-list: 50 of the 100 vendor ids (drawn once with numpy default_rng(2024) and
# frozen here, so that it is not a simple range the network could learn from vendor_id/99).
WL_ALLOWED = (
    0, 4, 5, 8, 10, 11, 12, 16, 17, 18, 21, 24, 26, 29, 30, 32, 35, 37, 38, 41,
    42, 44, 45, 46, 51, 52, 54, 55, 58, 59, 60, 61, 62, 65, 68, 69, 71, 73, 75, 78,
    81, 82, 84, 85, 86, 90, 91, 94, 96, 98,
)  # fmt: skip
WL_P_TRUSTED = 0.75


def wl_encode(vendor, trusted):
    vendor = np.asarray(vendor, dtype=np.int64)
    onehot = np.eye(WL_VENDORS)[vendor]
    return snap(np.column_stack([vendor / (WL_VENDORS - 1), onehot, trusted]))


def wl_rule(x):
    vendor = np.argmax(x[:, 1 : 1 + WL_VENDORS], axis=1)
    return (np.isin(vendor, WL_ALLOWED) & (x[:, -1] == 1)).astype(np.int64)


def wl_sample(rng, n):
    vendor = rng.integers(0, WL_VENDORS, n)
    trusted = (rng.random(n) < WL_P_TRUSTED).astype(np.int64)
    return wl_encode(vendor, trusted)


# --------------------------------------------------------------------------------------------
# business_hours: 35 -> 16 (ReLU) -> 1 (Sigmoid), Gemm export
# --------------------------------------------------------------------------------------------
def bh_encode(hour, weekday):
    """hour in 0..23, weekday in 0..6 with 0 = Monday."""
    hour = np.asarray(hour, dtype=np.int64)
    weekday = np.asarray(weekday, dtype=np.int64)
    h = 2 * math.pi * hour / 24
    d = 2 * math.pi * weekday / 7
    cyc = np.column_stack([np.sin(h), np.cos(h), np.sin(d), np.cos(d)])
    return snap(np.column_stack([cyc, np.eye(24)[hour], np.eye(7)[weekday]]))


def bh_decode(x):
    return np.argmax(x[:, 4:28], axis=1), np.argmax(x[:, 28:35], axis=1)


def bh_rule(x):
    hour, weekday = bh_decode(x)
    return ((weekday <= 4) & (hour >= 9) & (hour < 17)).astype(np.int64)


def bh_grid():
    hour, weekday = np.meshgrid(np.arange(24), np.arange(7), indexing="ij")
    return bh_encode(hour.ravel(), weekday.ravel())  # all 168 (hour, weekday) pairs


def bh_sample(rng, n):
    """The input space is only 168 points: the training set is the full grid repeated, and the
    test set is the full grid repeated n // 168 times (n = 1008: each pair 6 times), shuffled."""
    reps = n // 168
    assert reps * 168 == n
    return np.tile(bh_grid(), (reps, 1))[rng.permutation(n)]


# --------------------------------------------------------------------------------------------
# Model table
# --------------------------------------------------------------------------------------------
MODELS = {
    "simple_velocity": dict(
        feature_names=["amount", "balance", "velocity_1h", "velocity_24h", "vendor_trust"],
        output_names=["approved_score", "risk_score"],
        # every feature is a fraction in [0, 1]
        feature_domains="amount..=vendor_trust=0:1",
        sizes=[5, 8, 2],
        style="gemm",
        rule=sv_rule,
        sample=sv_sample,
        # extra report only: accuracy when samples may lie arbitrarily close to a boundary
        sample_nogap=lambda rng, n: sv_sample(rng, n, gap=0.0),
        n_train=20000,
        n_test=2000,
        seed=11,
        steps=4000,
        lr=0.02,
        l2=3e-5,
        # amount, balance, velocity_1h, velocity_24h, vendor_trust
        approve=snap([[0.05, 0.8, 0.02, 0.1, 0.9]]),
        deny=snap([[0.6, 0.3, 0.4, 0.7, 0.2]]),
    ),
    "whitelist": dict(
        feature_names=["vendor_id_scaled"]
        + [f"vendor_is_{i}" for i in range(WL_VENDORS)]
        + ["trusted"],
        output_names=["approved_score"],
        # the scaled id in [0, 1], the one-hot vendor flags and the trust flag 0 or 1
        feature_domains="vendor_id_scaled=0:1,vendor_is_0..=trusted=bool",
        sizes=[102, 64, 32, 1],
        style="matmul",
        rule=wl_rule,
        sample=wl_sample,
        n_train=4000,
        n_test=1000,
        seed=22,
        steps=800,
        lr=0.005,
        l2=1e-4,
        approve=wl_encode([WL_ALLOWED[3]], [1]),  # vendor 8, trusted
        deny=wl_encode([WL_ALLOWED[3]], [0]),  # vendor 8, not trusted
    ),
    "business_hours": dict(
        feature_names=["hour_sin", "hour_cos", "weekday_sin", "weekday_cos"]
        + [f"hour_is_{h}" for h in range(24)]
        + [f"weekday_is_{d}" for d in range(7)],
        output_names=["approved_score"],
        # the cyclic encodings in [-1, 1], the one-hot hour and weekday flags 0 or 1
        feature_domains="hour_sin..=weekday_cos=-1:1,hour_is_0..=weekday_is_6=bool",
        sizes=[35, 16, 1],
        style="gemm",
        rule=bh_rule,
        sample=bh_sample,
        n_train=168 * 12,
        n_test=168 * 6,
        seed=33,
        steps=1500,
        lr=0.01,
        l2=1e-4,
        approve=bh_encode([11], [2]),  # Wednesday 11:00
        deny=bh_encode([3], [6]),  # Sunday 03:00
    ),
}


def targets(cfg, y):
    """Training targets per output: approved_score learns the label; simple_velocity's second
    output (risk_score) learns its negation."""
    cols = [y]
    if len(cfg["output_names"]) == 2:
        cols.append(1 - y)
    return np.stack(cols, axis=1).astype(np.float64)


# --------------------------------------------------------------------------------------------
# The MLP: params are a list of (W, b) with W of shape [out, in] (ONNX Gemm transB=1 layout).
# Hidden layers use ReLU, the last layer Sigmoid.
# --------------------------------------------------------------------------------------------
def init_params(rng, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        params.append((w, np.zeros(fan_out)))
    return params


def logits(params, x):
    """Pre-sigmoid outputs; this is the training-time forward pass."""
    h = np.asarray(x, dtype=np.float64)
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = np.maximum(h, 0.0)
    return h


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, x):
    return sigmoid(logits(params, x))


def grads(params, x, t, l2):
    acts = [x]
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = np.maximum(h, 0.0)
        acts.append(h)
    p = sigmoid(acts[-1])
    n = x.shape[0]
    eps = 1e-12
    loss = -np.mean(np.sum(t * np.log(p + eps) + (1 - t) * np.log(1 - p + eps), axis=1))
    delta = (p - t) / n  # d loss / d logits for sigmoid + BCE
    out = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        w, _ = params[i]
        gw = delta.T @ acts[i] + l2 * w
        gb = delta.sum(axis=0)
        out[i] = (gw, gb)
        if i > 0:
            delta = (delta @ w) * (acts[i] > 0)
    loss += 0.5 * l2 * sum(np.sum(w * w) for w, _ in params)
    return loss, out


def train_params(cfg, x, t):
    rng = np.random.default_rng(cfg["seed"] + 1000)
    params = init_params(rng, cfg["sizes"])
    flat = [a for wb in params for a in wb]
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    b1, b2, eps = 0.9, 0.999, 1e-8
    loss = float("nan")
    for step in range(1, cfg["steps"] + 1):
        loss, g = grads(params, x, t, cfg["l2"])
        gflat = [a for wb in g for a in wb]
        for k, (a, ga) in enumerate(zip(flat, gflat)):
            m[k] = b1 * m[k] + (1 - b1) * ga
            v[k] = b2 * v[k] + (1 - b2) * ga * ga
            mh = m[k] / (1 - b1**step)
            vh = v[k] / (1 - b2**step)
            a -= cfg["lr"] * mh / (np.sqrt(vh) + eps)  # in place: updates params too
    # The exported model is float32; from here on use exactly those values.
    params = [
        (w.astype(np.float32).astype(np.float64), b.astype(np.float32).astype(np.float64))
        for w, b in params
    ]
    return params, loss


def make_data(cfg):
    """Deterministic (x_train, y_train, x_test, y_test). Train and test use independent
    generators (seed and seed + 1)."""
    rng_train = np.random.default_rng(cfg["seed"])
    rng_test = np.random.default_rng(cfg["seed"] + 1)
    x_train = cfg["sample"](rng_train, cfg["n_train"])
    x_test = cfg["sample"](rng_test, cfg["n_test"])
    return x_train, cfg["rule"](x_train), x_test, cfg["rule"](x_test)


def train(name):
    """Train one model; returns (params, data, summary). Does not write files."""
    cfg = MODELS[name]
    x_train, y_train, x_test, y_test = make_data(cfg)
    params, loss = train_params(cfg, x_train, targets(cfg, y_train))
    z_test = logits(params, x_test)
    decide = (sigmoid(z_test[:, 0]) >= 0.5).astype(np.int64)
    summary = dict(
        name=name,
        train_rows=len(y_train),
        train_approve_rate=float(y_train.mean()),
        test_rows=len(y_test),
        test_approve_rate=float(y_test.mean()),
        final_loss=float(loss),
        test_accuracy=float((decide == y_test).mean()),
        min_abs_logit=float(np.abs(z_test[:, 0]).min()),
        max_abs_weight=float(max(np.abs(w).max() for w, _ in params)),
        max_abs_bias=float(max(np.abs(b).max() for _, b in params)),
        params=int(sum(w.size + b.size for w, b in params)),
    )
    if name == "simple_velocity":
        risk_ok = (sigmoid(z_test[:, 1]) >= 0.5).astype(np.int64) == 1 - y_test
        summary["risk_score_accuracy"] = float(risk_ok.mean())
    if "sample_nogap" in cfg:
        x_ng = cfg["sample_nogap"](np.random.default_rng(cfg["seed"] + 2), 20000)
        d_ng = (forward(params, x_ng)[:, 0] >= 0.5).astype(np.int64)
        summary["nogap_accuracy"] = float((d_ng == cfg["rule"](x_ng)).mean())
    return params, (x_train, y_train, x_test, y_test), summary


# --------------------------------------------------------------------------------------------
# ONNX export
# --------------------------------------------------------------------------------------------
def to_onnx(name, params):
    cfg = MODELS[name]
    nodes, inits = [], []
    cur = "input"
    last = len(params) - 1
    for i, (w, b) in enumerate(params):
        wn, bn = f"fc{i + 1}.weight", f"fc{i + 1}.bias"
        pre = f"fc{i + 1}.out"
        if cfg["style"] == "gemm":
            inits.append(numpy_helper.from_array(w.astype(np.float32), wn))  # [out, in]
            inits.append(numpy_helper.from_array(b.astype(np.float32), bn))
            nodes.append(helper.make_node("Gemm", [cur, wn, bn], [pre], name=f"fc{i + 1}", transB=1))
        else:
            inits.append(numpy_helper.from_array(w.T.astype(np.float32), wn))  # [in, out]
            inits.append(numpy_helper.from_array(b.astype(np.float32), bn))
            mm = f"fc{i + 1}.matmul"
            nodes.append(helper.make_node("MatMul", [cur, wn], [mm], name=f"fc{i + 1}_matmul"))
            nodes.append(helper.make_node("Add", [mm, bn], [pre], name=f"fc{i + 1}_add"))
        if i < last:
            cur = f"relu{i + 1}.out"
            nodes.append(helper.make_node("Relu", [pre], [cur], name=f"relu{i + 1}"))
        else:
            nodes.append(helper.make_node("Sigmoid", [pre], ["output"], name="sigmoid"))
    n_in, n_out = cfg["sizes"][0], cfg["sizes"][-1]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, n_in])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n_out])],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        producer_name="zkpolicy-models",
        producer_version="1",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    model.doc_string = f"zkpolicy seed policy '{name}'; see models/README.md"
    helper.set_model_props(
        model,
        {
            "zkpolicy.decision": DECISION_RULE,
            "zkpolicy.feature_names": ",".join(cfg["feature_names"]),
            "zkpolicy.feature_domains": cfg["feature_domains"],
            "zkpolicy.output_names": ",".join(cfg["output_names"]),
        },
    )
    onnx.checker.check_model(model, full_check=True)
    return model


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------
def fmt(v):
    """Compact JSON number: integral values as ints, others as the shortest repr of the
    (already 6-decimal-rounded) float."""
    v = float(v)
    if v == int(v):
        return str(int(v))
    return repr(v)


def row_json(x, label=None):
    s = '{"input":[' + ",".join(fmt(v) for v in x) + "]"
    if label is not None:
        s += ',"label":' + str(int(label))
    return s + "}"


def write_outputs(name, params, data):
    cfg = MODELS[name]
    out_dir = os.path.join(HERE, name)
    os.makedirs(out_dir, exist_ok=True)
    model = to_onnx(name, params)
    with open(os.path.join(out_dir, f"{name}.onnx"), "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    for kind, want in (("approve", 1), ("deny", 0)):
        x = cfg[kind]
        assert cfg["rule"](x)[0] == want, f"{name}: {kind} sample violates the rule"
        p = forward(params, x)[0, 0]
        ok = p >= 0.9 if want else p <= 0.1
        assert ok, f"{name}: {kind} sample scored {p:.4f}, not a clear decision"
        with open(os.path.join(out_dir, f"{kind}.json"), "w") as f:
            f.write(row_json(x[0]) + "\n")
    _, _, x_test, y_test = data
    with open(os.path.join(out_dir, "test.jsonl"), "w") as f:
        for x, y in zip(x_test, y_test):
            f.write(row_json(x, y) + "\n")


def main(argv):
    names = argv or list(MODELS)
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    for name in names:
        params, data, s = train(name)
        write_outputs(name, params, data)
        extra = ""
        if "risk_score_accuracy" in s:
            extra = f" risk_score_accuracy={s['risk_score_accuracy']:.4f}"
        if "nogap_accuracy" in s:
            extra += f" nogap_accuracy(20000 rows, not the test set)={s['nogap_accuracy']:.4f}"
        print(
            f"{name}: params={s['params']} train_rows={s['train_rows']} "
            f"train_approve_rate={s['train_approve_rate']:.3f} final_loss={s['final_loss']:.5f} "
            f"test_rows={s['test_rows']} test_approve_rate={s['test_approve_rate']:.3f} "
            f"test_accuracy={s['test_accuracy']:.4f}{extra} "
            f"min_abs_logit={s['min_abs_logit']:.3f} max_abs_weight={s['max_abs_weight']:.3f} "
            f"max_abs_bias={s['max_abs_bias']:.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
