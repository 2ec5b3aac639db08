#!/usr/bin/env python3
"""Train two deep ReLU MLPs (12 and 16 layers of width 64) in plain numpy and export them to ONNX.

Usage (from the repository root, with models/requirements.txt installed):

    python models/deep/export.py

Writes into models/deep/:
    deep12.onnx   8 -> 64 x 11 (ReLU) -> 1 (Sigmoid): 12 Gemm layers
    deep16.onnx   8 -> 64 x 15 (ReLU) -> 1 (Sigmoid): 16 Gemm layers
    approve.json, deny.json   a clear approve / deny of both models
    test.jsonl    1,000 held-out labelled rows {"input": [...], "label": 0|1}

They exist to test zkpolicy's bounds analysis on deep networks (issue 15 §4): with a bound on
|x| alone, their worst-case values exceed 2^60 after about 12 layers, although the real
activations stay small. Weights start from He-normal initialisation and are trained with
mini-batch Adam, so their magnitudes are those of a trained net. Everything comes from fixed
seeds and one BLAS thread; the ONNX files hold no timestamps.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DECIMALS = 6
WIDTH = 64
FEATURES = [
    "amount",
    "balance",
    "velocity_1h",
    "velocity_24h",
    "vendor_trust",
    "account_age",
    "device_risk",
    "hour_of_day",
]
GAP = 0.02


def snap(x):
    return np.round(np.asarray(x, dtype=np.float64), DECIMALS) + 0.0


def rule(x):
    """Approve iff amount < 0.5·balance, vendor_trust > 0.5 and device_risk < 0.6."""
    amount, balance, _v1, _v24, trust, _age, risk, _hour = x.T
    return ((amount < 0.5 * balance) & (trust > 0.5) & (risk < 0.6)).astype(np.int64)


def sample(rng, n):
    """Rows in [0, 1]^8; each condition holds with probability 0.8 and every value keeps a
    distance of at least GAP from its boundary."""

    def side(ok, good, bad):
        lo = np.where(ok, good[0], bad[0])
        hi = np.where(ok, good[1], bad[1])
        return lo + rng.random(n) * (hi - lo)

    balance = 0.1 + 0.9 * rng.random(n)
    cut = 0.5 * balance
    amount = side(rng.random(n) < 0.8, (0.0, cut - GAP), (cut + GAP, 1.0))
    trust = side(rng.random(n) < 0.8, (0.5 + GAP, 1.0), (0.0, 0.5 - GAP))
    risk = side(rng.random(n) < 0.8, (0.0, 0.6 - GAP), (0.6 + GAP, 1.0))
    v1 = rng.random(n)
    v24 = v1 + rng.random(n) * (1.0 - v1)
    age = rng.random(n)
    hour = rng.integers(0, 24, n) / 23.0
    return snap(np.stack([amount, balance, v1, v24, trust, age, risk, hour], axis=1))


def forward(params, x):
    """Returns the logits and every layer's input (for backpropagation)."""
    acts = [x]
    h = x
    for i, (w, b) in enumerate(params):
        z = h @ w.T + b
        if i + 1 < len(params):
            h = np.maximum(z, 0.0)
            acts.append(h)
        else:
            return z[:, 0], acts
    raise AssertionError


def train(depth, seed):
    rng = np.random.default_rng(seed)
    sizes = [len(FEATURES)] + [WIDTH] * (depth - 1) + [1]
    params = [
        (rng.normal(0.0, np.sqrt(2.0 / i), (o, i)), np.zeros(o)) for i, o in zip(sizes[:-1], sizes[1:])
    ]
    x_train = sample(np.random.default_rng(seed + 1), 8000)
    y_train = rule(x_train)
    m = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    v = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    lr, b1, b2, eps, l2, batch = 1e-3, 0.9, 0.999, 1e-8, 1e-5, 256
    order = np.random.default_rng(seed + 2)
    for step in range(1, 4001):
        idx = order.integers(0, len(x_train), batch)
        x, y = x_train[idx], y_train[idx]
        z, acts = forward(params, x)
        g = (1.0 / (1.0 + np.exp(-z)) - y)[:, None] / batch  # d loss / d logit
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            gw, gb = g.T @ acts[i] + l2 * w, g.sum(axis=0)
            if i > 0:
                g = (g @ w) * (acts[i] > 0)
            mw, mb = m[i]
            vw, vb = v[i]
            mw, mb = b1 * mw + (1 - b1) * gw, b1 * mb + (1 - b1) * gb
            vw, vb = b2 * vw + (1 - b2) * gw**2, b2 * vb + (1 - b2) * gb**2
            m[i], v[i] = (mw, mb), (vw, vb)
            c1, c2 = 1 - b1**step, 1 - b2**step
            params[i] = (
                w - lr * (mw / c1) / (np.sqrt(vw / c2) + eps),
                b - lr * (mb / c1) / (np.sqrt(vb / c2) + eps),
            )
    # float32, as exported
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in params]


def to_onnx(name, params):
    nodes, inits = [], []
    cur = "input"
    for i, (w, b) in enumerate(params):
        wn, bn, pre = f"fc{i + 1}.weight", f"fc{i + 1}.bias", f"fc{i + 1}.out"
        inits.append(numpy_helper.from_array(w, wn))  # [out, in]
        inits.append(numpy_helper.from_array(b, bn))
        nodes.append(helper.make_node("Gemm", [cur, wn, bn], [pre], name=f"fc{i + 1}", transB=1))
        if i + 1 < len(params):
            cur = f"relu{i + 1}.out"
            nodes.append(helper.make_node("Relu", [pre], [cur], name=f"relu{i + 1}"))
        else:
            nodes.append(helper.make_node("Sigmoid", [pre], ["output"], name="sigmoid"))
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, len(FEATURES)])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1])],
        initializer=inits,
    )
    model = helper.make_model(
        graph, producer_name="zkpolicy-models", producer_version="1", opset_imports=[helper.make_opsetid("", 13)]
    )
    model.ir_version = 8
    model.doc_string = f"zkpolicy deep test policy '{name}'; see models/README.md"
    helper.set_model_props(
        model,
        {
            "zkpolicy.decision": "threshold:0:0.5",
            "zkpolicy.feature_names": ",".join(FEATURES),
            "zkpolicy.output_names": "approved_score",
        },
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def fmt(v):
    v = float(v)
    return str(int(v)) if v == int(v) else repr(v)


def row_json(x, label=None):
    s = '{"input":[' + ",".join(fmt(v) for v in x) + "]"
    if label is not None:
        s += ',"label":' + str(int(label))
    return s + "}"


def forward32(params, x):
    """The exported float32 model."""
    h = x.astype(np.float32)
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i + 1 < len(params):
            h = np.maximum(h, 0)
    return h[:, 0].astype(np.float64)


def main():
    x_test = sample(np.random.default_rng(99), 1000)
    y_test = rule(x_test)
    approve = snap([[0.1, 0.8, 0.3, 0.5, 0.9, 0.5, 0.2, 0.5]])
    deny = snap([[0.9, 0.3, 0.3, 0.5, 0.2, 0.5, 0.9, 0.5]])
    assert rule(approve)[0] == 1 and rule(deny)[0] == 0
    for depth, seed in ((12, 1200), (16, 1600)):
        name = f"deep{depth}"
        params = train(depth, seed)
        z = forward32(params, x_test)
        acc = float(((z >= 0) == (y_test == 1)).mean())
        za, zd = forward32(params, approve)[0], forward32(params, deny)[0]
        assert za >= 2.2 and zd <= -2.2, f"{name}: approve {za:.3f}, deny {zd:.3f} are not clear decisions"
        with open(os.path.join(HERE, f"{name}.onnx"), "wb") as f:
            f.write(to_onnx(name, params).SerializeToString(deterministic=True))
        print(
            f"{name}: params={sum(w.size + b.size for w, b in params)} test_accuracy={acc:.4f} "
            f"min_abs_logit={np.abs(z).min():.3f} max_abs_logit={np.abs(z).max():.2f} "
            f"max_abs_weight={max(float(np.abs(w).max()) for w, _ in params):.3f} "
            f"mean_row_l1={np.mean([np.abs(w).sum(axis=1).mean() for w, _ in params[1:]]):.2f}"
        )
    for kind, x in (("approve", approve), ("deny", deny)):
        with open(os.path.join(HERE, f"{kind}.json"), "w") as f:
            f.write(row_json(x[0]) + "\n")
    with open(os.path.join(HERE, "test.jsonl"), "w") as f:
        for x, y in zip(x_test, y_test):
            f.write(row_json(x, y) + "\n")


if __name__ == "__main__":
    sys.exit(main())
