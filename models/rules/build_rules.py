"""Builds the rule-graph policy `payment_rule` with onnx.helper (no training).

approve iff amount <= 0.3 * balance  and  vendor in ALLOWLIST  and  9 <= hour < 17

The graph is written with the comparison and logic ops themselves (LessOrEqual,
Gather, GreaterOrEqual, Less, And, Cast), one graph input per feature, so that it
exercises the importer's rule-graph support. `0.3` is not a binary fraction, so
the graph compares `10 * amount <= 3 * balance`, which is the same rule on real
numbers and exact in float32 and in the quantized model (integer coefficients).

Writes payment_rule.onnx, test.jsonl (every label equals the rule), approve.json
and deny.json next to this script. Deterministic: fixed seed, no training.

    python models/rules/build_rules.py          # rebuild
    python models/rules/build_rules.py --check  # rebuild in memory, compare with the committed files
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "payment_rule"
ALLOWLIST = [1, 2, 3, 5, 8, 13]
VENDORS = 16  # vendor ids 0..15
FEATURES = ["amount", "balance", "vendor", "hour"]
UNITS = ["USD", "USD", "", "hour"]  # the vendor id has no unit
SEED = 16


def rule(amount, balance, vendor, hour):
    return int(10 * amount <= 3 * balance and vendor in ALLOWLIST and 9 <= hour < 17)


def build():
    f = TensorProto.FLOAT
    table = [1.0 if v in ALLOWLIST else 0.0 for v in range(VENDORS)]
    inits = [
        helper.make_tensor("ten", f, [], [10.0]),
        helper.make_tensor("three", f, [], [3.0]),
        helper.make_tensor("allowlist", f, [VENDORS], table),
        helper.make_tensor("half", f, [], [0.5]),
        helper.make_tensor("nine", f, [], [9.0]),
        helper.make_tensor("seventeen", f, [], [17.0]),
    ]
    n = helper.make_node
    nodes = [
        n("Mul", ["amount", "ten"], ["amount10"], name="amount_x10"),
        n("Mul", ["balance", "three"], ["balance3"], name="balance_x3"),
        n("LessOrEqual", ["amount10", "balance3"], ["amount_ok"], name="amount_ok"),
        n("Cast", ["vendor"], ["vendor_id"], to=TensorProto.INT64, name="vendor_id"),
        n("Gather", ["allowlist", "vendor_id"], ["vendor_listed"], axis=0, name="allowlist_lookup"),
        n("Greater", ["vendor_listed", "half"], ["vendor_ok"], name="vendor_ok"),
        n("GreaterOrEqual", ["hour", "nine"], ["after_nine"], name="after_nine"),
        n("Less", ["hour", "seventeen"], ["before_five"], name="before_five"),
        n("And", ["amount_ok", "vendor_ok"], ["money_ok"], name="money_ok"),
        n("And", ["after_nine", "before_five"], ["hours_ok"], name="hours_ok"),
        n("And", ["money_ok", "hours_ok"], ["approved"], name="approved"),
        n("Cast", ["approved"], ["approve"], to=TensorProto.FLOAT, name="approve_float"),
    ]
    inputs = [helper.make_tensor_value_info(name, f, [1, 1]) for name in FEATURES]
    output = helper.make_tensor_value_info("approve", f, [1, 1])
    graph = helper.make_graph(nodes, NAME, inputs, [output], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="zkpolicy-rules")
    model.ir_version = 8
    meta = {
        "zkpolicy.decision": "threshold:0:0.5",
        "zkpolicy.feature_names": ",".join(FEATURES),
        "zkpolicy.feature_units": ",".join(UNITS),
        "zkpolicy.output_names": "approve",
    }
    for k, v in meta.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(model)
    return model


def test_rows():
    rng = np.random.default_rng(SEED)
    rows = []
    # The edges: 10·amount = 3·balance exactly, one dollar either side; hours 8, 9, 16, 17;
    # every vendor id.
    for vendor in range(VENDORS):
        for hour in (0, 8, 9, 12, 16, 17, 23):
            for amount, balance in ((300, 1000), (301, 1000), (299, 1000), (0, 0), (1, 0), (4500, 15000)):
                rows.append((amount, balance, vendor, hour))
    while len(rows) < 1000:
        balance = int(rng.integers(0, 16001))
        # Amounts around the limit 0.3·balance, half of them approvable.
        amount = int(max(0, min(5000, round(0.3 * balance * rng.uniform(0.5, 1.5)))))
        vendor = int(rng.integers(0, VENDORS))
        hour = int(rng.integers(0, 24))
        rows.append((amount, balance, vendor, hour))
    return [{"input": list(r), "label": rule(*r)} for r in rows]


def write(model, rows):
    onnx.save(model, os.path.join(HERE, f"{NAME}.onnx"))
    with open(os.path.join(HERE, "test.jsonl"), "w") as out:
        for r in rows:
            out.write(json.dumps(r) + "\n")
    for name, row in (("approve.json", [1200, 5000, 8, 10]), ("deny.json", [1200, 3000, 8, 10])):
        with open(os.path.join(HERE, name), "w") as out:
            json.dump({"input": dict(zip(FEATURES, row))}, out)
            out.write("\n")


def main():
    model, rows = build(), test_rows()
    labels = [r["label"] for r in rows]
    print(f"{len(rows)} rows, {sum(labels)} approve, {len(rows) - sum(labels)} deny")
    if "--check" in sys.argv:
        with open(os.path.join(HERE, f"{NAME}.onnx"), "rb") as fh:
            assert fh.read() == model.SerializeToString(), "payment_rule.onnx differs from a fresh build"
        with open(os.path.join(HERE, "test.jsonl")) as fh:
            assert [json.loads(line) for line in fh] == rows, "test.jsonl differs from a fresh build"
        print("committed files match a fresh build")
    else:
        write(model, rows)


if __name__ == "__main__":
    main()
