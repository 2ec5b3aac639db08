"""Trains tree-ensemble policies and exports them as their users would.

scikit-learn models go through skl2onnx's `to_onnx` with its defaults (its own
choice of opsets, here ai.onnx.ml 1; a `label` output plus `probabilities`
through ZipMap for classifiers); one is also exported with `zipmap=False`. skl2onnx 1.20's
HistGradientBoosting converter needs a shim (booleans_as_ints). LightGBM and XGBoost go through onnxmltools'
converters at opset 15, the highest onnxmltools 1.16 converts to (ai.onnx.ml 2). Four of the
exports are also rewritten as ai.onnx.ml 5's TreeEnsemble (no converter writes it yet), and a
hand-written screening rule with equality and set splits is written in both opsets; the ONNX
reference runtime's decisions on the test set go to reference_decisions.json.

The task is fraud-style payment screening on 30 features. Every feature is a
multiple of 1/64 (amounts in quarter dollars, counts, hours, flags, scores in
1/64 steps), so at zkpolicy's default scale 2^-12 each input is represented
exactly and every split decides exactly as in the float model.

Deterministic: fixed seeds, so reruns with the pinned requirements.txt give the
same files. Run from the repository root:

    python3 -m venv /tmp/trees && /tmp/trees/bin/pip install -r models/trees/requirements.txt
    /tmp/trees/bin/python models/trees/export.py

Writes models/trees/<name>.onnx, reference_decisions.json and test.jsonl (one
{"input": [...], "label": 0|1} per line, the label being the ground truth: 1 =
approve) and prints each model's accuracy, outputs and ops.
"""

import contextlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType
from skl2onnx import to_onnx
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
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


@contextlib.contextmanager
def booleans_as_ints():
    """skl2onnx 1.20 writes HistGradientBoosting's nodes_missing_value_tracks_true
    as Python booleans, which protobuf 7's AttributeProto.ints refuses ("Expected
    an int, got a boolean"): within this block onnx.helper.make_attribute casts a
    list holding booleans to the ints they mean."""
    make_attribute = helper.make_attribute

    def cast(key, value, *args, **kwargs):
        if isinstance(value, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in value):
            value = [int(v) for v in value]
        return make_attribute(key, value, *args, **kwargs)

    helper.make_attribute = cast
    try:
        yield
    finally:
        helper.make_attribute = make_attribute


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


# ai.onnx.ml 5's TreeEnsemble: modes by code, aggregate functions and post-transforms.
MODES = {"BRANCH_LEQ": 0, "BRANCH_LT": 1, "BRANCH_GTE": 2, "BRANCH_GT": 3, "BRANCH_EQ": 4, "BRANCH_NEQ": 5, "BRANCH_MEMBER": 6}
AGGREGATE = {"AVERAGE": 0, "SUM": 1}
POST = {"NONE": 0, "SOFTMAX": 1, "LOGISTIC": 2}


def trees_of(node):
    """The trees of an ai.onnx.ml 1-3 ensemble node as nested tuples: a split is
    (mode, feature, threshold, true branch, false branch), a leaf {output: weight}."""
    a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
    prefix = "class" if "class_ids" in a else "target"
    weights = {}
    for t, n, o, w in zip(a[f"{prefix}_treeids"], a[f"{prefix}_nodeids"], a[f"{prefix}_ids"], a[f"{prefix}_weights"]):
        weights.setdefault((t, n), {}).setdefault(o, 0.0)
        weights[(t, n)][o] += w
    nodes = {}
    for i, (t, n) in enumerate(zip(a["nodes_treeids"], a["nodes_nodeids"])):
        nodes[(t, n)] = i

    def build(t, n):
        i = nodes[(t, n)]
        mode = a["nodes_modes"][i].decode()
        if mode == "LEAF":
            return weights.get((t, n), {})
        yes, no = build(t, a["nodes_truenodeids"][i]), build(t, a["nodes_falsenodeids"][i])
        return (mode, a["nodes_featureids"][i], a["nodes_values"][i], yes, no)

    return [build(t, 0) for t in sorted(set(a["nodes_treeids"]))], a


def tree_ensemble(trees, n_targets, aggregate="SUM", post="NONE"):
    """An ai.onnx.ml 5 TreeEnsemble node from nested-tuple trees whose leaves have
    one output each (a split may be ("BRANCH_MEMBER", feature, [values], yes, no))."""
    n = {k: [] for k in ["featureids", "modes", "splits", "truenodeids", "falsenodeids", "trueleafs", "falseleafs"]}
    leaf_targets, leaf_weights, members, roots = [], [], [], []

    def leaf(value):
        ((target, weight),) = value.items()
        leaf_targets.append(target)
        leaf_weights.append(weight)
        return len(leaf_weights) - 1

    def add(tree):
        i = len(n["modes"])
        mode, feature, value = tree[:3]
        for key in n:
            n[key].append(0)
        n["featureids"][i], n["modes"][i] = feature, MODES[mode]
        if mode == "BRANCH_MEMBER":
            members.extend(list(value) + [np.nan])
        else:
            n["splits"][i] = value
        for branch, side in [(tree[3], "true"), (tree[4], "false")]:
            is_leaf = isinstance(branch, dict)
            n[f"{side}leafs"][i] = int(is_leaf)
            n[f"{side}nodeids"][i] = leaf(branch) if is_leaf else add(branch)
        return i

    for tree in trees:
        # A one-leaf tree as a split with the leaf on both sides (the spec's encoding, one
        # leaf referenced twice, meets a bug of onnx.reference, which takes the node's
        # position for the leaf's).
        roots.append(add(("BRANCH_LEQ", 0, 0.0, tree, tree) if isinstance(tree, dict) else tree))
    attrs = dict(
        n_targets=n_targets,
        aggregate_function=AGGREGATE[aggregate],
        post_transform=POST[post],
        tree_roots=roots,
        nodes_featureids=n["featureids"],
        nodes_modes=numpy_helper.from_array(np.array(n["modes"], dtype=np.uint8), "nodes_modes"),
        nodes_splits=numpy_helper.from_array(np.array(n["splits"], dtype=np.float32), "nodes_splits"),
        nodes_truenodeids=n["truenodeids"],
        nodes_falsenodeids=n["falsenodeids"],
        nodes_trueleafs=n["trueleafs"],
        nodes_falseleafs=n["falseleafs"],
        leaf_targetids=leaf_targets,
        leaf_weights=numpy_helper.from_array(np.array(leaf_weights, dtype=np.float32), "leaf_weights"),
    )
    if members:
        attrs["membership_values"] = numpy_helper.from_array(np.array(members, dtype=np.float32), "membership_values")
    return helper.make_node("TreeEnsemble", ["X"], ["scores"], domain="ai.onnx.ml", **attrs)


def graph_model(nodes, outputs, opsets):
    """A model of `nodes` on the 30 features ("X", float, batch N)."""
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, len(FEATURES)])
    graph = helper.make_graph(nodes, "trees", [x], outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets], producer_name="export.py")


ML5 = [("", 21), ("ai.onnx.ml", 5)]


def to_ml5(name):
    """models/trees/<name>.onnx (ai.onnx.ml 1-3) rewritten as one ai.onnx.ml 5
    TreeEnsemble: regressors as they are, a base value as a one-leaf tree; a
    binary classifier's one score (every weight on class 0) as one target with
    its post-transform."""
    src = onnx.load(os.path.join(HERE, f"{name}.onnx"))
    (node,) = [n for n in src.graph.node if n.op_type.startswith("TreeEnsemble")]
    trees, a = trees_of(node)
    base = list(a.get("base_values", []))
    scores = lambda k: helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, k])  # noqa: E731
    if node.op_type == "TreeEnsembleRegressor":
        aggregate = a.get("aggregate_function", b"SUM").decode()
        if any(base):
            assert aggregate == "SUM"
            trees = trees + [{0: base[0]}]
        ens = tree_ensemble(trees, a["n_targets"], aggregate=aggregate)
        return graph_model([ens], [scores(a["n_targets"])], ML5)
    # The binary layout (two classes, every weight on class 0): one score s = Σ + base_0,
    # presented by ai.onnx.ml 1-3 as [1 - s, s] (NONE) or [1 - σ(s), σ(s)] (LOGISTIC): one
    # target with the same post-transform, approve iff at least 0.5.
    assert len(a["classlabels_int64s"]) == 2 and all(c == 0 for c in a["class_ids"])
    trees = trees + ([{0: base[0]}] if base and base[0] else [])
    ens = tree_ensemble(trees, 1, post=a["post_transform"].decode())
    return graph_model([ens], [scores(1)], ML5)


def rule_trees():
    """A hand-written screening rule as trees with equality and set tests, on the
    same features: a score, approve iff it is at least 0.5. ip_risk = 0.1875 (12/64)
    is on the input grid; vendor_risk = 0.3 is not (as a float32 it is
    0.300000011920929), so no input equals it. Leaf values are multiples of 1/64,
    exact at zkpolicy's scales. (No set holds 0: onnx.reference takes a member 0
    for the end of its set.)"""
    f = {name: i for i, name in enumerate(FEATURES)}
    return [
        ("BRANCH_MEMBER", f["hour"], [1.0, 2.0, 3.0, 4.0, 5.0, 23.0], {0: -0.375},
         ("BRANCH_EQ", f["vendor_seen_before"], 1.0, {0: 0.3125}, {0: -0.125})),
        ("BRANCH_NEQ", f["device_new"], 0.0, ("BRANCH_LT", f["account_age_days"], 30.0, {0: -0.875}, {0: -0.125}),
         {0: 0.1875}),
        ("BRANCH_MEMBER", f["weekday"], [5.0, 6.0], {0: -0.125}, {0: 0.125}),
        ("BRANCH_EQ", f["failed_logins_24h"], 0.0, {0: 0.3125},
         ("BRANCH_GTE", f["chargebacks_90d"], 1.0, {0: -0.75}, {0: -0.1875})),
        ("BRANCH_EQ", f["ip_risk"], 0.1875, {0: -0.3125}, ("BRANCH_EQ", f["vendor_risk"], 0.3, {0: -5.0}, {0: 0.0})),
        ("BRANCH_GT", f["amount"], 500.0, {0: -0.3125}, ("BRANCH_LEQ", f["vendor_risk"], 0.25, {0: 0.125}, {0: -0.125})),
        {0: 0.375},
    ]


def rule_ml3():
    """rule_trees() for ai.onnx.ml 1-3's TreeEnsembleRegressor: BRANCH_MEMBER
    written as a chain of BRANCH_EQ, the one-leaf tree as a base value."""

    def chain(tree):
        if isinstance(tree, dict):
            return tree
        mode, feature, value, yes, no = tree
        yes, no = chain(yes), chain(no)
        if mode != "BRANCH_MEMBER":
            return (mode, feature, value, yes, no)
        out = no
        for v in reversed(value):
            out = ("BRANCH_EQ", feature, v, yes, out)
        return out

    *trees, base = rule_trees()
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "target_treeids", "target_nodeids",
                         "target_ids", "target_weights"]}
    for t, tree in enumerate(chain(x) for x in trees):
        count = [0]

        def add(tree, t=t, count=count):
            i = count[0]
            count[0] += 1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            for k, v in [("nodes_featureids", 0), ("nodes_modes", "LEAF"), ("nodes_values", 0.0),
                         ("nodes_truenodeids", 0), ("nodes_falsenodeids", 0)]:
                a[k].append(v)
            at = len(a["nodes_nodeids"]) - 1
            if isinstance(tree, dict):
                ((target, weight),) = tree.items()
                a["target_treeids"].append(t)
                a["target_nodeids"].append(i)
                a["target_ids"].append(target)
                a["target_weights"].append(weight)
                return i
            mode, feature, value, yes, no = tree
            a["nodes_featureids"][at], a["nodes_modes"][at], a["nodes_values"][at] = feature, mode, value
            a["nodes_truenodeids"][at] = add(yes)
            a["nodes_falsenodeids"][at] = add(no)
            return i

        add(tree)
    node = helper.make_node("TreeEnsembleRegressor", ["X"], ["scores"], domain="ai.onnx.ml", n_targets=1,
                            base_values=[base[0]], post_transform="NONE", aggregate_function="SUM", **a)
    out = helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 1])
    return graph_model([node], [out], [("", 21), ("ai.onnx.ml", 3)])


def reference_decisions(model, x):
    """The decisions of the ONNX reference runtime (onnx.reference, an
    implementation independent of zkpolicy's) on the rows of `x`: the score
    against 0.5 (after a LOGISTIC post-transform, which the reference runtime
    leaves out)."""
    (out,) = ReferenceEvaluator(model).run(None, {"X": x})
    (node,) = model.graph.node
    post = {a.name: helper.get_attribute_value(a) for a in node.attribute}.get("post_transform", 0)
    if post in (POST["LOGISTIC"], b"LOGISTIC"):
        out = 1 / (1 + np.exp(-out.astype(np.float64)))
    return (out[:, 0] >= 0.5).astype(int).tolist()


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
    hist = HistGradientBoostingClassifier(max_iter=50, max_depth=4, random_state=0)
    hist.fit(x_train, y_train)
    with booleans_as_ints():
        hist_onnx = to_onnx(hist, sample)
    outputs, ops = finish(hist_onnx, "hist_gradient_boosting")
    print(f"hist_gradient_boosting: accuracy {(hist.predict(x_test) == y_test).mean():.4f}, outputs {outputs}, ops {ops}")
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

    # ai.onnx.ml 5: exports rewritten as TreeEnsemble, and the equality rule in both opsets.
    # Each must decide every test row as its trainer (or, for the rule, as ai.onnx.ml 3's form).
    trained = {
        "gradient_boosting_regressor": (sklearn_models["gradient_boosting_regressor"].predict(x_test) >= 0.5),
        "random_forest_regressor": (sklearn_models["random_forest_regressor"].predict(x_test) >= 0.5),
        "random_forest": sklearn_models["random_forest"].predict(x_test),
        "lightgbm": lgbm.predict(x_test),
    }
    # onnx.reference has no ZipMap: the ensemble node alone gives the label.
    labels_only = onnx.ModelProto()
    labels_only.CopyFrom(hist_onnx)
    (tree,) = [n for n in hist_onnx.graph.node if n.op_type == "TreeEnsembleClassifier"]
    del labels_only.graph.node[:], labels_only.graph.output[:]
    labels_only.graph.node.append(tree)
    labels_only.graph.output.append(helper.make_tensor_value_info(tree.output[0], TensorProto.INT64, [None]))
    (labels,) = ReferenceEvaluator(labels_only).run(None, {hist_onnx.graph.input[0].name: x_test})
    assert (labels == hist.predict(x_test)).all()
    decisions = {"hist_gradient_boosting": labels.astype(int).tolist()}
    for name, expected in trained.items():
        model = to_ml5(name)
        decisions[f"{name}_ml5"] = reference_decisions(model, x_test)
        agree = int((np.array(decisions[f"{name}_ml5"]) == expected.astype(int)).sum())
        assert agree == len(x_test), f"{name}_ml5: {agree}"
        finish(model, f"{name}_ml5")
        print(f"{name}_ml5: {agree}/{len(x_test)} decisions as the trainer's")
    rules = {"tree_rule_ml5": graph_model([tree_ensemble(rule_trees(), 1)], [
        helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 1])], ML5), "tree_rule_ml3": rule_ml3()}
    for name, model in rules.items():
        decisions[name] = reference_decisions(model, x_test)
        finish(model, name)
    assert decisions["tree_rule_ml5"] == decisions["tree_rule_ml3"]
    approve = sum(decisions["tree_rule_ml5"])
    print(f"tree_rule: {approve} of {len(x_test)} approved, the same in both opsets")
    with open(os.path.join(HERE, "reference_decisions.json"), "w") as f:
        json.dump({k: "".join(map(str, v)) for k, v in sorted(decisions.items())}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
