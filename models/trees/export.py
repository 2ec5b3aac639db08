"""Trains tree-ensemble policies and exports them as their users would.

scikit-learn models go through skl2onnx's `to_onnx` with its defaults (its own
choice of opsets, here ai.onnx.ml 1; a `label` output plus `probabilities`
through ZipMap for classifiers); one is also exported with `zipmap=False`. (HistGradientBoosting is left out: skl2onnx
1.20's converter fails on it with these pinned versions.) LightGBM and XGBoost go through onnxmltools'
converters at opset 15, the highest onnxmltools 1.16 converts to (ai.onnx.ml 2).

The task is fraud-style payment screening on 30 features. Every feature is a
multiple of 1/64 (amounts in quarter dollars, counts, hours, flags, scores in
1/64 steps), so at zkpolicy's default scale 2^-12 each input is represented
exactly and every split decides exactly as in the float model.

Deterministic: fixed seeds, so reruns with the pinned requirements.txt give the
same files. Run from the repository root:

    python3 -m venv /tmp/trees && /tmp/trees/bin/pip install -r models/trees/requirements.txt
    /tmp/trees/bin/python models/trees/export.py

Writes models/trees/<name>.onnx and models/trees/test.jsonl (one
{"input": [...], "label": 0|1} per line, the label being the ground truth: 1 =
approve) and prints each model's accuracy, outputs and ops.
"""

import json
import os

import numpy as np
import onnx
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType
from skl2onnx import to_onnx
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
# onnxmltools 1.16 converts up to opset 15 (ai.onnx.ml 2)
ONNXMLTOOLS_OPSET = 15
FEATURES = [
    "amount", "balance", "velocity_1h", "velocity_24h", "vendor_risk", "account_age_days", "hour", "weekday",
    "country_match", "device_new", "ip_risk", "email_age_days", "failed_logins_24h", "avg_amount_30d",
    "max_amount_30d", "merchant_age_days", "merchant_risk", "chargebacks_90d", "refunds_90d", "distance_km",
    "card_present", "recurring", "vendor_seen_before", "vendor_count_30d", "session_seconds", "typing_score",
    "api_key_age_days", "spend_limit", "spend_today", "agent_trust",
]
UNITS = ["USD", "USD"] + [""] * 11 + ["USD", "USD"] + [""] * 12 + ["USD", "USD", ""]


def data(n, seed):
    """Synthetic payments; label 1 (approve) unless the fraud evidence wins."""
    rng = np.random.default_rng(seed)
    q = lambda v, step: np.round(v / step) * step  # noqa: E731 - a multiple of `step`
    x = np.zeros((n, len(FEATURES)))
    x[:, 0] = q(rng.lognormal(3.5, 1.2, n).clip(0, 5000), 0.25)
    x[:, 1] = q(rng.lognormal(7.0, 1.0, n).clip(0, 16000), 0.25)
    x[:, 2] = rng.poisson(1.5, n)
    x[:, 3] = rng.poisson(8, n)
    x[:, 4] = q(rng.beta(2, 6, n), 1 / 64)
    x[:, 5] = rng.integers(0, 3650, n)
    x[:, 6] = rng.integers(0, 24, n)
    x[:, 7] = rng.integers(0, 7, n)
    x[:, 8] = rng.random(n) < 0.9
    x[:, 9] = rng.random(n) < 0.15
    x[:, 10] = q(rng.beta(1.5, 8, n), 1 / 64)
    x[:, 11] = rng.integers(0, 4000, n)
    x[:, 12] = rng.poisson(0.3, n)
    x[:, 13] = q(rng.lognormal(3.3, 0.8, n).clip(0, 3000), 0.25)
    x[:, 14] = q(x[:, 13] * rng.uniform(1, 4, n), 0.25)
    x[:, 15] = rng.integers(0, 5000, n)
    x[:, 16] = q(rng.beta(2, 8, n), 1 / 64)
    x[:, 17] = rng.poisson(0.1, n)
    x[:, 18] = rng.poisson(0.4, n)
    x[:, 19] = q(rng.exponential(50, n).clip(0, 10000), 1)
    x[:, 20] = rng.random(n) < 0.3
    x[:, 21] = rng.random(n) < 0.25
    x[:, 22] = rng.random(n) < 0.6
    x[:, 23] = rng.poisson(3, n)
    x[:, 24] = rng.integers(5, 1800, n)
    x[:, 25] = q(rng.beta(5, 2, n), 1 / 64)
    x[:, 26] = rng.integers(0, 1000, n)
    x[:, 27] = q(rng.choice([100, 250, 500, 1000, 2500], n) * 1.0, 1)
    x[:, 28] = q(rng.uniform(0, 1, n) * x[:, 27], 0.25)
    x[:, 29] = q(rng.beta(4, 2, n), 1 / 64)
    fraud = (
        2.5 * (x[:, 0] > 0.3 * x[:, 1])
        + 1.2 * (x[:, 2] > 4)
        + 2.0 * x[:, 4]
        + 1.5 * x[:, 9] * (x[:, 5] < 30)
        + 2.5 * x[:, 10]
        + 0.8 * x[:, 12]
        + 1.5 * (x[:, 0] > x[:, 14])
        + 2.0 * x[:, 16]
        + 1.0 * x[:, 17]
        + 0.6 * (x[:, 19] > 500)
        - 0.8 * x[:, 22]
        - 1.0 * x[:, 29]
        + 2.0 * (x[:, 28] + x[:, 0] > x[:, 27])
        + 0.7 * ((x[:, 6] < 6) | (x[:, 6] > 22))
        + rng.normal(0, 0.5, n)
    )
    label = (fraud < 1.8).astype(int)
    return x.astype(np.float32), label


def write_set(path, x, labels):
    with open(path, "w") as f:
        for row, label in zip(x, labels):
            f.write(json.dumps({"input": [float(v) for v in row], "label": int(label)}) + "\n")


def finish(onx, name):
    onx.producer_name = onx.producer_name or "export.py"
    onx.doc_string = ""
    onx.graph.name = name  # onnxmltools names graphs with a random uuid
    # skl2onnx lists the opsets in set order, which varies between runs.
    imports = sorted((o.domain, o.version) for o in onx.opset_import)
    del onx.opset_import[:]
    for domain, version in imports:
        onx.opset_import.add(domain=domain, version=version)
    names = onx.metadata_props.add()
    names.key, names.value = "zkpolicy.feature_names", ",".join(FEATURES)
    units = onx.metadata_props.add()
    units.key, units.value = "zkpolicy.feature_units", ",".join(UNITS)
    onnx.save(onx, os.path.join(HERE, f"{name}.onnx"))
    return [o.name for o in onx.graph.output], sorted({n.op_type for n in onx.graph.node})


def main():
    x_train, y_train = data(6000, seed=21)
    x_test, y_test = data(1000, seed=22)
    write_set(os.path.join(HERE, "test.jsonl"), x_test, y_test)
    sample = np.zeros((1, len(FEATURES)), dtype=np.float32)

    sklearn_models = {
        "decision_tree": DecisionTreeClassifier(max_depth=6, random_state=0),
        "random_forest": RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0),
        "extra_trees": ExtraTreesClassifier(n_estimators=20, max_depth=6, random_state=0),
        # The fraud policy: 100 trees of depth 4 on 30 features.
        "fraud_gbdt": GradientBoostingClassifier(n_estimators=100, max_depth=4, random_state=0),
        # Regressors score the payment; approve iff the score is at least 0.5.
        "decision_tree_regressor": DecisionTreeRegressor(max_depth=6, random_state=0),
        "random_forest_regressor": RandomForestRegressor(n_estimators=20, max_depth=6, random_state=0),
        "gradient_boosting_regressor": GradientBoostingRegressor(n_estimators=50, max_depth=3, random_state=0),
    }
    for name, model in sklearn_models.items():
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        accuracy = ((predicted >= 0.5).astype(int) == y_test).mean()
        outputs, ops = finish(to_onnx(model, sample), name)
        print(f"{name}: accuracy {accuracy:.4f}, outputs {outputs}, ops {ops}")
    zipless = sklearn_models["random_forest"]
    outputs, ops = finish(
        to_onnx(zipless, sample, options={id(zipless): {"zipmap": False}}), "random_forest_nozipmap"
    )
    print(f"random_forest_nozipmap: outputs {outputs}, ops {ops}")

    import lightgbm
    import xgboost

    lgbm = lightgbm.LGBMClassifier(n_estimators=30, num_leaves=15, max_depth=4, random_state=0, verbose=-1)
    lgbm.fit(x_train, y_train)
    types = [("input", FloatTensorType([None, len(FEATURES)]))]
    outputs, ops = finish(convert_lightgbm(lgbm, initial_types=types, target_opset=ONNXMLTOOLS_OPSET), "lightgbm")
    print(f"lightgbm: accuracy {(lgbm.predict(x_test) == y_test).mean():.4f}, outputs {outputs}, ops {ops}")
    xgb = xgboost.XGBClassifier(n_estimators=30, max_depth=4, random_state=0, tree_method="exact")
    xgb.fit(x_train, y_train)
    outputs, ops = finish(convert_xgboost(xgb, initial_types=types, target_opset=ONNXMLTOOLS_OPSET), "xgboost")
    print(f"xgboost: accuracy {(xgb.predict(x_test) == y_test).mean():.4f}, outputs {outputs}, ops {ops}")


if __name__ == "__main__":
    main()
