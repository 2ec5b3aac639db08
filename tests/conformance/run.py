"""Runs the batch-1 node tests that generate.py wrote through the zkpolicy CLI.

Every request is imported and evaluated with `zkpolicy run --json` at the manifest's
scale, with the smallest power-of-two input range that holds its input; each output
of the integer model must lie within its stated bound of the reference output (for a
function proved as a piecewise-linear approximation, the import's warning must name
the function, its place and the bound the generator computed for it). A case passes when all its requests do. A
case whose import the CLI refuses fails, unless the generator names the refused form
as one the importer documents as unsupported: then it is skipped, with the importer's
message.

For the first passing request of every op (and of every op run inside the network,
the "(hidden)" cases, where its approximation is a proved layer), `zkpolicy setup`,
`prove` and `verify` also run: the proof must verify, and the outputs it proves must
be those of `run`.

Prints one line per op (cases run, passed, skipped; the largest |error| and the
largest share of its bound an error reached; whether its proof verified), the reasons
of the skipped cases, then every failure; exits 1 on any failure.

Usage: python run.py CASE_DIR ZKPOLICY [--verbose]
"""

import argparse
import collections
import json
import os
import subprocess
import sys


def cli(zk, *args):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.run([zk, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def first_line(text, model=""):
    """The CLI's error line, without the `error: MODEL.onnx: ` prefix."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    error = [ln for ln in lines if ln.startswith("error")]
    line = (error or lines or ["(no message)"])[0]
    for prefix in ("error: ", model + ": "):
        line = line[len(prefix):] if line.startswith(prefix) else line
    return line


def check_request(zk, case_dir, scale, req):
    """(status, detail, outputs, worst): status is pass, fail or refused; worst is the
    largest (|error|, |error|/bound) over the outputs."""
    model = os.path.join(case_dir, req["model"])
    code, out, err = cli(zk, "run", model, "--input", os.path.join(case_dir, req["input"]), "--json",
                         "--scale", str(scale), "--input-range", str(req["input_range"]))
    if code != 0:
        return "refused", first_line(err, model), None, (0.0, 0.0)
    got = [o["quantized"] for o in json.loads(out)["outputs"]]
    for phrase in req.get("stated") or []:
        # The generator's function, place and bound of an approximation must be the importer's.
        if phrase not in err:
            return "fail", f"the import does not state \"{phrase}\": {first_line(err, model)}", got, (0.0, 0.0)
    want, bound = req["expected"], req["bound"]
    if len(got) != len(want):
        return "fail", f"{len(got)} outputs, expected {len(want)}", got, (0.0, 0.0)
    errors = [abs(g - w) for g, w in zip(got, want)]
    worst = (max(errors), max(e / b if b > 0 else (0.0 if e == 0 else float("inf")) for e, b in zip(errors, bound)))
    for i, (g, w, b) in enumerate(zip(got, want, bound)):
        if abs(g - w) > b:
            return "fail", (f"output {i}: got {g!r}, reference {w!r}, |error| {abs(g - w):.3e} > "
                            f"bound {b:.3e} ({req['bound_kind']}; {req['model']})"), got, worst
    return "pass", "", got, worst


def prove_request(zk, case_dir, scale, req, outputs):
    """setup, prove, verify one request; returns an error message or None."""
    model = os.path.join(case_dir, req["model"])
    keys = os.path.join(case_dir, "keys-" + req["model"][:-5])
    stem = os.path.join(keys, req["model"][:-5])
    steps = [
        ("setup", ["setup", model, "--scale", str(scale), "--input-range", str(req["input_range"]),
                   "--out-dir", keys]),
        ("prove", ["prove", "--pk", stem + ".pk", "--input", os.path.join(case_dir, req["input"]),
                   "--out", stem + ".proof"]),
        ("verify", ["verify", "--vk", stem + ".vk", "--proof", stem + ".proof", "--json"]),
    ]
    out = ""
    for name, args in steps:
        code, out, err = cli(zk, *args)
        if code != 0:
            return f"{name} exited {code}: {first_line(err)}"
    report = json.loads(out)
    if report.get("valid") is not True:
        return f"verify: not valid ({report.get('error')})"
    if report["outputs"] != outputs:
        return f"verify: proved outputs {report['outputs']} differ from run's {outputs}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case_dir")
    ap.add_argument("zkpolicy")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    with open(os.path.join(args.case_dir, "manifest.json")) as f:
        manifest = json.load(f)
    scale = manifest["scale"]
    stats = collections.OrderedDict((op, {"run": 0, "passed": 0, "skipped": collections.Counter(), "proved": "-",
                                          "proved_forms": set(), "error": 0.0, "ratio": 0.0}) for op in manifest["ops"])
    failures = []
    for case in manifest["cases"]:
        op, st = case["op"], stats[case["op"]]
        if "skip" in case:
            st["skipped"][case["skip"]] += 1
            continue
        status, detail, first_ok, case_worst = "pass", "", None, (0.0, 0.0)
        for req in case["requests"]:
            status, detail, outputs, (error, ratio) = check_request(args.zkpolicy, args.case_dir, scale, req)
            if status != "refused":
                st["error"], st["ratio"] = max(st["error"], error), max(st["ratio"], ratio)
                case_worst = (max(case_worst[0], error), max(case_worst[1], ratio))
            if status != "pass":
                break
            first_ok = first_ok or (req, outputs)
        if status == "refused" and case.get("refusal"):
            st["skipped"][f"{case['refusal']}; the importer refuses it: \"{detail}\""] += 1
            continue
        st["run"] += 1
        if status == "pass":
            st["passed"] += 1
            hidden = case["case"].endswith("(hidden)")
            if hidden not in st["proved_forms"] and first_ok:
                st["proved_forms"].add(hidden)
                error = prove_request(args.zkpolicy, args.case_dir, scale, *first_ok)
                st["proved"] = "yes" if error is None and st["proved"] != "FAILED" else "FAILED"
                if error:
                    failures.append(f"{op} {case['case']}: {error}")
        else:
            failures.append(f"{op} {case['case']}: {status}: {detail}")
        if args.verbose:
            print(f"{status:8} {op:22} {case['case']}: max |error| {case_worst[0]:.2e} "
                  f"({100 * case_worst[1]:.0f} % of its bound) {detail}")
    print(f"ONNX {manifest['onnx']} backend node tests in their batch-1 form, scale 2^-{scale}")
    print(f"{'op':22} {'run':>4} {'passed':>6} {'skipped':>7}  {'max |error|':>11}  {'of bound':>8}  proved")
    totals = [0, 0, 0]
    for op, st in stats.items():
        skipped = sum(st["skipped"].values())
        totals = [totals[0] + st["run"], totals[1] + st["passed"], totals[2] + skipped]
        ratio = f"{100 * st['ratio']:.0f} %" if st["ratio"] > 0 else "-"
        print(f"{op:22} {st['run']:>4} {st['passed']:>6} {skipped:>7}  {st['error']:>11.2e}  {ratio:>8}  "
              f"{st['proved']}")
    print(f"{'total':22} {totals[0]:>4} {totals[1]:>6} {totals[2]:>7}")
    print("skipped:")
    for op, st in stats.items():
        for reason, n in st["skipped"].items():
            print(f"  {op} ({n}): {reason}")
    missing = [op for op, st in stats.items() if st["passed"] == 0]
    if missing:
        failures.append(f"no case passed for {', '.join(missing)}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
