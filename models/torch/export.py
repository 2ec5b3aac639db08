"""Trains small PyTorch policy MLPs with hidden tanh and sigmoid layers and exports
each with both of PyTorch's ONNX exporters.

The point is to import what PyTorch users export: every model goes through
`torch.onnx.export`, once with the TorchScript exporter (`dynamo=False`, written
`*_torchscript*.onnx`) and once with the dynamo exporter (`dynamo=True`,
`*_dynamo*.onnx`), each with its default options and again with a dynamic batch
axis (`*_batch.onnx`). Nothing is added to the graphs; the only change
after export is `normalise`, which drops the one thing that would make a rerun elsewhere
differ (see there).

Deterministic: fixed seeds, CPU, one thread, `torch.use_deterministic_algorithms`,
features rounded to 6 decimals before labelling and training, so reruns with the
pinned requirements.txt give byte-identical files. Run from the repository root:

    python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install -r models/torch/requirements.txt
    /tmp/torch-venv/bin/python models/torch/export.py

Writes models/torch/<model>_<exporter>.onnx (and <model>_<exporter>_batch.onnx, the
same with a dynamic batch axis, see `export`), test.jsonl (one
{"input": [...], "label": 0|1} per line, 1 = approve), approve.json and
deny.json (a clear approve and a clear deny of every model), and prints each
model's float test accuracy, its graph's ops and the sha256 of every file.
"""

import hashlib
import io
import itertools
import json
import os
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FEATURES = ["amount", "balance", "velocity_1h", "vendor_trust", "account_age", "device_risk"]
DECIMALS = 6
GAP = 0.02
EXPORTERS = {"torchscript": False, "dynamo": True}


def rule(x):
    """Approve iff amount < 0.5·balance, vendor_trust > 0.5 and device_risk < 0.6."""
    amount, balance, _velocity, trust, _age, risk = x.T
    return ((amount < 0.5 * balance) & (trust > 0.5) & (risk < 0.6)).astype(np.int64)


def sample(n, seed):
    """Rows in [0, 1]^6; each condition holds with probability 0.8 and every value keeps a
    distance of at least GAP from its boundary (as models/deep's task)."""
    rng = np.random.default_rng(seed)

    def side(ok, good, bad):
        lo = np.where(ok, good[0], bad[0])
        hi = np.where(ok, good[1], bad[1])
        return lo + rng.random(n) * (hi - lo)

    balance = 0.1 + 0.9 * rng.random(n)
    cut = 0.5 * balance
    amount = side(rng.random(n) < 0.8, (0.0, cut - GAP), (cut + GAP, 1.0))
    trust = side(rng.random(n) < 0.8, (0.5 + GAP, 1.0), (0.0, 0.5 - GAP))
    risk = side(rng.random(n) < 0.8, (0.0, 0.6 - GAP), (0.6 + GAP, 1.0))
    velocity = rng.random(n)
    age = rng.random(n)
    x = np.round(np.stack([amount, balance, velocity, trust, age, risk], axis=1), DECIMALS) + 0.0
    return x, rule(x)


def tanh_mlp():
    """6 → 16 tanh → 8 tanh → 1 sigmoid."""
    return nn.Sequential(
        nn.Linear(len(FEATURES), 16), nn.Tanh(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 1), nn.Sigmoid()
    )


def sigmoid_mlp():
    """6 → 16 sigmoid → 1 sigmoid."""
    return nn.Sequential(nn.Linear(len(FEATURES), 16), nn.Sigmoid(), nn.Linear(16, 1), nn.Sigmoid())


# name: (network, seed, Adam learning rate, full-batch steps)
MODELS = {
    "mlp_tanh": (tanh_mlp, 1, 0.02, 3000),
    "mlp_sigmoid": (sigmoid_mlp, 2, 0.05, 4000),
}


def train(make, seed, lr, steps, x, y):
    torch.manual_seed(seed)
    model = make()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    loss = nn.BCELoss()
    xt = torch.tensor(x, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    for _ in range(steps):
        optimiser.zero_grad()
        loss(model(xt), yt).backward()
        optimiser.step()
    return model.eval()


def normalise(model):
    """Drops what differs between machines and says nothing about the network: the dynamo
    exporter records, per node, the Python stack trace of the code that made it, which names
    the paths of the installed torch and of this checkout (`pkg.torch.onnx.stack_trace` in the
    node's `metadata_props`). Its other node metadata (the module path, the FX node) is kept;
    the TorchScript exporter writes none. Everything else is left as exported."""
    for node in model.graph.node:
        kept = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
        del node.metadata_props[:]
        node.metadata_props.extend(kept)
    return model


def export(model, exporter, batch):
    """`model` through `exporter` with its defaults (a fixed input shape [1, 6]), or, with
    `batch`, as models are exported for serving: named input and output and a dynamic batch
    axis (`dynamic_axes` for the TorchScript exporter, `dynamic_shapes` for dynamo)."""
    example = (torch.zeros(1, len(FEATURES)),)
    options = {}
    if batch:
        options = {"input_names": ["features"], "output_names": ["approval"]}
        if EXPORTERS[exporter]:
            options["dynamic_shapes"] = ({0: torch.export.Dim("batch")},)
        else:
            options["dynamic_axes"] = {"features": {0: "batch"}, "approval": {0: "batch"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if EXPORTERS[exporter]:
            onx = torch.onnx.export(model, example, dynamo=True, verbose=False, **options).model_proto
        else:
            buffer = io.BytesIO()
            torch.onnx.export(model, example, buffer, dynamo=False, **options)
            onx = onnx.load_from_string(buffer.getvalue())
    return normalise(onx)


def write_set(path, x, labels):
    with open(path, "w") as f:
        for row, label in zip(x, labels):
            f.write(json.dumps({"input": [round(float(v), DECIMALS) for v in row], "label": int(label)}) + "\n")


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    x_train, y_train = sample(8000, seed=151)
    x_test, y_test = sample(1000, seed=152)
    write_set(os.path.join(HERE, "test.jsonl"), x_test, y_test)
    written = ["test.jsonl"]
    scores = {}
    for name, (make, seed, lr, steps) in MODELS.items():
        model = train(make, seed, lr, steps, x_train, y_train)
        with torch.no_grad():
            p = model(torch.tensor(x_test, dtype=torch.float32)).squeeze(1).numpy()
        scores[name] = p
        accuracy = ((p >= 0.5).astype(int) == y_test).mean()
        margin = np.abs(p - 0.5).min()
        print(f"{name}: float accuracy {accuracy:.4f}, min |p - 0.5| {margin:.4f}")
        for exporter, batch in itertools.product(EXPORTERS, [False, True]):
            onx = export(model, exporter, batch)
            file = f"{name}_{exporter}{'_batch' if batch else ''}.onnx"
            onnx.checker.check_model(onx)
            onnx.save(onx, os.path.join(HERE, file))
            written.append(file)
            ops = [n.op_type for n in onx.graph.node]
            shape = [d.dim_param or d.dim_value for d in onx.graph.input[0].type.tensor_type.shape.dim]
            print(f"  {file}: opset {onx.opset_import[0].version}, ir {onx.ir_version}, input {shape}, ops {ops}")
    # The first test rows that every model approves (denies) with a score of at least 0.9
    # (at most 0.1), and whose label says the same.
    all_p = np.stack(list(scores.values()))
    approve = next(i for i in range(len(y_test)) if y_test[i] == 1 and (all_p[:, i] >= 0.9).all())
    deny = next(i for i in range(len(y_test)) if y_test[i] == 0 and (all_p[:, i] <= 0.1).all())
    for file, i in [("approve.json", approve), ("deny.json", deny)]:
        with open(os.path.join(HERE, file), "w") as f:
            f.write(json.dumps({"input": [round(float(v), DECIMALS) for v in x_test[i]]}) + "\n")
        written.append(file)
    for file in written:
        with open(os.path.join(HERE, file), "rb") as f:
            print(f"{hashlib.sha256(f.read()).hexdigest()}  {file}")


if __name__ == "__main__":
    main()
