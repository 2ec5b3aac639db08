#!/usr/bin/env python3
"""Check the committed seed models without onnxruntime.

    python models/check_onnx.py                 # all three models
    python models/check_onnx.py whitelist       # one model
    python models/check_onnx.py --no-retrain    # skip the comparison with a fresh training run

For each model:
  * load <name>.onnx, run onnx.checker, check opset / ir_version / input and output names and
    shapes / the zkpolicy.* metadata;
  * evaluate the graph with a tiny float32 numpy interpreter (Gemm, MatMul, Add, Relu, Sigmoid;
    weights read with onnx.numpy_helper) on every row of test.jsonl and on approve/deny.json;
  * check every test label against the labelling rule, report the decision accuracy, and
    require approve.json >= 0.9 and deny.json <= 0.1;
  * unless --no-retrain: retrain with train.py (deterministic, a few seconds) and require that
    the initializers equal the retrained weights bit for bit, that test.jsonl equals the
    regenerated test set, and that the interpreter matches the training-time forward pass.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train  # noqa: E402


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def run_graph(model, x):
    """Evaluate the graph on a batch x of shape [B, N] (each row is an independent [1, N]
    request; every supported op treats rows independently). Everything in float32."""
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    env[g.input[0].name] = np.asarray(x, dtype=np.float32)
    for node in g.node:
        ins = [env[i] for i in node.input]
        op = node.op_type
        if op == "Gemm":
            a, b = ins[0], ins[1]
            if attr(node, "transA", 0):
                a = a.T
            if attr(node, "transB", 0):
                b = b.T
            y = np.float32(attr(node, "alpha", 1.0)) * (a @ b)
            if len(ins) > 2:
                y = y + np.float32(attr(node, "beta", 1.0)) * ins[2]
        elif op == "MatMul":
            y = ins[0] @ ins[1]
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Relu":
            y = np.maximum(ins[0], np.float32(0))
        elif op == "Sigmoid":
            with np.errstate(over="ignore"):  # exp(-x) = inf for x < -88 gives exactly 0
                y = np.float32(1) / (np.float32(1) + np.exp(-ins[0]))
        else:
            raise SystemExit(f"unsupported op {op} in node {node.name}")
        assert y.dtype == np.float32, (op, y.dtype)
        env[node.output[0]] = y
    return env[g.output[0].name]


def dims(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


def read_jsonl(path):
    xs, ys = [], []
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            xs.append(row["input"])
            ys.append(row["label"])
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.int64)


def check(name, retrain):
    cfg = train.MODELS[name]
    d = os.path.join(HERE, name)
    model = onnx.load(os.path.join(d, f"{name}.onnx"))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == train.IR_VERSION
    assert [(o.domain, o.version) for o in model.opset_import] == [("", train.OPSET)]
    g = model.graph
    n_in, n_out = cfg["sizes"][0], cfg["sizes"][-1]
    assert [i.name for i in g.input] == ["input"] and dims(g.input[0]) == [1, n_in]
    assert [o.name for o in g.output] == ["output"] and dims(g.output[0]) == [1, n_out]
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["zkpolicy.decision"] == "threshold:0:0.5", meta
    names = meta["zkpolicy.feature_names"].split(",")
    assert len(names) == n_in and names == cfg["feature_names"]
    assert meta["zkpolicy.feature_domains"] == cfg["feature_domains"], meta
    ops = sorted({n.op_type for n in g.node})

    x_test, y_test = read_jsonl(os.path.join(d, "test.jsonl"))
    assert x_test.shape[1] == n_in and len(y_test) >= 1000
    assert (cfg["rule"](x_test) == y_test).all(), "a test label disagrees with the rule"
    out = run_graph(model, x_test)
    assert out.shape == (len(y_test), n_out)
    acc = float(((out[:, 0] >= 0.5).astype(np.int64) == y_test).mean())

    samples = {}
    for kind in ("approve", "deny"):
        with open(os.path.join(d, f"{kind}.json")) as f:
            x = np.array([json.load(f)["input"]], dtype=np.float64)
        assert x.shape == (1, n_in)
        p = float(run_graph(model, x)[0, 0])
        assert (p >= 0.9) if kind == "approve" else (p <= 0.1), f"{name} {kind}: {p}"
        samples[kind] = p

    line = (
        f"{name}: ops={ops} test_rows={len(y_test)} accuracy={acc:.4f} "
        f"approve.json={samples['approve']:.4f} deny.json={samples['deny']:.4f}"
    )
    if retrain:
        params, (_, _, x_re, y_re), _ = train.train(name)
        inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        for i, (w, b) in enumerate(params):
            w_onnx = inits[f"fc{i + 1}.weight"]
            if cfg["style"] == "matmul":
                w_onnx = w_onnx.T
            assert np.array_equal(w_onnx, w.astype(np.float32)), f"fc{i + 1}.weight differs"
            assert np.array_equal(inits[f"fc{i + 1}.bias"], b.astype(np.float32))
        assert np.array_equal(x_re, x_test) and np.array_equal(y_re, y_test), "test set differs"
        ref = train.forward(params, x_test)
        err = float(np.abs(ref - out).max())
        assert err <= 1e-5, f"{name}: ONNX interpreter vs training forward: {err}"
        line += f" max|onnx-train|={err:.2e}"
    print(line)


def main(argv):
    retrain = "--no-retrain" not in argv
    names = [a for a in argv if not a.startswith("--")] or list(train.MODELS)
    for name in names:
        check(name, retrain)
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1:])
