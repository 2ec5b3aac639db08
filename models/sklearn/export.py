"""Trains scikit-learn policies and exports them with skl2onnx's defaults.

The point is to import what users export, so every model goes through
`skl2onnx.to_onnx` with its default options (a `label` output plus
`probabilities`, through ZipMap where skl2onnx adds one); the classifiers that
take the option are exported a second time with `zipmap=False`, as many users do.

Deterministic: fixed seeds, features rounded to 6 decimals before training, so
reruns with the pinned requirements.txt give the same files. Run from the
repository root:

    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install -r models/sklearn/requirements.txt
    /tmp/skl/bin/python models/sklearn/export.py

Writes models/sklearn/<name>.onnx and models/sklearn/<task>_test.jsonl (one
{"input": [...], "label": 0|1} per line) and prints each model's float accuracy.
"""

import json
import os
import warnings

import numpy as np
import onnx
from skl2onnx import to_onnx
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore", category=ConvergenceWarning)
HERE = os.path.dirname(os.path.abspath(__file__))
FEATURES = ["amount", "velocity", "account_age", "risk", "hour", "country_match"]
OPSET = 17


def data(n, seed):
    """A payment-authorization toy task: approve when the weighted evidence is positive."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURES)))
    x[:, 5] = rng.integers(0, 2, size=n)
    x = np.round(x, 6)
    score = -1.2 * x[:, 0] - 0.9 * x[:, 1] + 0.7 * x[:, 2] - 1.5 * x[:, 3] + 0.3 * np.sin(x[:, 4]) + 0.8 * x[:, 5] - 0.2
    score = score + rng.normal(scale=0.3, size=n)
    return x.astype(np.float32), score


def write_set(path, x, labels):
    with open(path, "w") as f:
        for row, label in zip(x, labels):
            values = [round(float(v), 6) for v in row]
            f.write(json.dumps({"input": values, "label": int(label)}) + "\n")


def save(model, name, options=None):
    onx = to_onnx(model, np.zeros((1, len(FEATURES)), dtype=np.float32), target_opset=OPSET, options=options)
    onx.producer_name = "skl2onnx"
    onx.doc_string = ""
    onnx.save(onx, os.path.join(HERE, f"{name}.onnx"))
    outputs = [o.name for o in onx.graph.output]
    ops = [n.op_type for n in onx.graph.node]
    return outputs, ops


def main():
    x_train, s_train = data(3000, seed=15)
    x_test, s_test = data(500, seed=16)
    y_train, y_test = (s_train > 0).astype(int), (s_test > 0).astype(int)
    write_set(os.path.join(HERE, "classifier_test.jsonl"), x_test, y_test)
    # Regressors predict an approval score; approve iff it is at least 0.5.
    r_train, r_test = 0.5 + 0.25 * s_train, 0.5 + 0.25 * s_test
    write_set(os.path.join(HERE, "regressor_test.jsonl"), x_test, (r_test >= 0.5).astype(int))

    classifiers = {
        "logistic_regression": (LogisticRegression(C=1.0), True),
        "mlp_classifier": (
            MLPClassifier(hidden_layer_sizes=(16, 8), max_iter=600, random_state=0),
            True,
        ),
        "linear_svc": (LinearSVC(C=0.5, random_state=0), False),
        # Hidden tanh and logistic layers: proved as piecewise-linear approximations.
        "mlp_classifier_tanh": (
            MLPClassifier(hidden_layer_sizes=(16, 8), activation="tanh", max_iter=600, random_state=0),
            False,
        ),
        "mlp_classifier_logistic": (
            MLPClassifier(hidden_layer_sizes=(16,), activation="logistic", max_iter=800, random_state=0),
            False,
        ),
    }
    for name, (model, has_zipmap_option) in classifiers.items():
        model.fit(x_train, y_train)
        accuracy = (model.predict(x_test) == y_test).mean()
        outputs, ops = save(model, name)
        print(f"{name}: accuracy {accuracy:.4f}, outputs {outputs}, ops {ops}")
        if has_zipmap_option:
            outputs, ops = save(model, f"{name}_nozipmap", options={id(model): {"zipmap": False}})
            print(f"{name}_nozipmap: outputs {outputs}, ops {ops}")

    regressors = {
        "linear_regression": LinearRegression(),
        "mlp_regressor": MLPRegressor(hidden_layer_sizes=(16,), max_iter=800, random_state=0),
    }
    for name, model in regressors.items():
        model.fit(x_train, r_train)
        accuracy = ((model.predict(x_test) >= 0.5).astype(int) == (r_test >= 0.5)).mean()
        outputs, ops = save(model, name)
        print(f"{name}: accuracy {accuracy:.4f} (prediction >= 0.5), outputs {outputs}, ops {ops}")


if __name__ == "__main__":
    main()
