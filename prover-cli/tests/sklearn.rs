//! scikit-learn policies as skl2onnx exports them by default (issue 15 §2), from
//! the committed files of `models/sklearn/` (no Python here): a `label` output
//! and `probabilities`, with and without ZipMap; linear and MLP classifiers (ReLU,
//! tanh and logistic hidden layers) and regressors. Each decides every row of its test set as the float model does,
//! through `zkpolicy fidelity`, and proves and verifies end to end.

mod common;

use std::path::PathBuf;

use common::{json, model_file, s, zkpolicy, Policy};

fn path(file: &str) -> PathBuf {
    model_file("sklearn", file)
}

/// `(model, test set, extra options)`: every committed export.
const EXPORTS: [(&str, &str, &[&str]); 9] = [
    ("logistic_regression", "classifier_test.jsonl", &[]),
    ("logistic_regression_nozipmap", "classifier_test.jsonl", &[]),
    ("mlp_classifier", "classifier_test.jsonl", &[]),
    ("mlp_classifier_nozipmap", "classifier_test.jsonl", &[]),
    // Hidden tanh and logistic layers (issue 15 §1): piecewise-linear in the circuit.
    ("mlp_classifier_tanh", "classifier_test.jsonl", &[]),
    ("mlp_classifier_logistic", "classifier_test.jsonl", &[]),
    // A linear SVM's `probabilities` output is its raw score: its decision is the label.
    ("linear_svc", "classifier_test.jsonl", &["--output", "label"]),
    ("linear_regression", "regressor_test.jsonl", &[]),
    ("mlp_regressor", "regressor_test.jsonl", &[]),
];

#[test]
fn every_export_agrees_with_the_float_model_on_its_whole_test_set() {
    for (name, set, extra) in EXPORTS {
        let model = path(&format!("{name}.onnx"));
        let set = path(set);
        let mut args = vec!["fidelity", s(&model), "--test-set", s(&set), "--json"];
        args.extend_from_slice(extra);
        let (code, out, err) = zkpolicy(&args);
        assert_eq!(code, 0, "{name}: {err}");
        let v = json(&out);
        assert_eq!(v["rows"], 500, "{name}");
        assert_eq!(v["agree"], 500, "{name}: {v}");
        assert_eq!(v["provable"], true, "{name}: {v}");
        // The float model is accurate; the quantized one decides the same.
        assert!(v["float_correct"].as_u64().unwrap() >= 470, "{name}: {v}");
        assert_eq!(v["float_correct"], v["quantized_correct"], "{name}");
    }
}

#[test]
fn the_proved_output_is_announced_and_classes_label_the_decision() {
    let (code, out, err) = zkpolicy(&["inspect", s(&path("mlp_classifier.onnx"))]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "the graph has 2 outputs (`output_label` (int64 tensor), `output_probability` (sequence of maps (ZipMap)))"
        ) && err.contains("proving `output_probability` (the first with float values; --output NAME chooses another)"),
        "{err}"
    );
    assert!(err.contains("ZipMap"), "{err}");
    assert!(out.contains("argmax:0,1"), "{out}");
    // [1 − p, p] (Sub + Concat after the Sigmoid) is no skip connection: the sigmoid stays in the head.
    assert!(!err.contains("skip connection") && !out.contains("skip connection"), "{out}{err}");
    let v = json(&zkpolicy(&["inspect", s(&path("mlp_classifier_nozipmap.onnx")), "--json"]).1);
    let layers = v["layers"].as_array().unwrap();
    let last = layers.last().unwrap();
    assert_eq!((last["op"].as_str(), last["proved"].as_bool()), (Some("Sigmoid"), Some(false)), "{v}");
    let nodes = layers[layers.len() - 2]["onnx_nodes"].as_array().unwrap();
    assert!(nodes.iter().any(|n| n.as_str().unwrap().starts_with("Sub")), "{v}");

    // The label output: proved as the argmax of the scores it is read from.
    let (code, out, err) =
        zkpolicy(&["inspect", s(&path("mlp_classifier_nozipmap.onnx")), "--output", "label", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["output_name"], "label");
    assert_eq!(v["layers"].as_array().unwrap().last().unwrap()["op"], "ArgMax", "{v}");
    assert!(err.contains("ArrayFeatureExtractor"), "{err}");
}

#[test]
fn an_unknown_output_lists_the_outputs() {
    let (code, _, err) = zkpolicy(&["inspect", s(&path("logistic_regression.onnx")), "--output", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--output `nope` is not an output of the graph; its outputs are `output_label` (int64 tensor), `output_probability`"),
        "{err}"
    );
}

#[test]
fn label_and_probabilities_outputs_decide_alike() {
    for name in ["logistic_regression", "logistic_regression_nozipmap", "mlp_classifier_nozipmap"] {
        let model = path(&format!("{name}.onnx"));
        let label = if name.ends_with("nozipmap") { "label" } else { "output_label" };
        let (code, out, err) = zkpolicy(&[
            "fidelity",
            s(&model),
            "--test-set",
            s(&path("classifier_test.jsonl")),
            "--output",
            label,
            "--json",
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(json(&out)["agree"], 500, "{name}: {out}");
    }
}

/// Through the CLI (`common::Policy::through_the_cli`): `approve.json` and `deny.json`
/// are the first test rows of class 1 and of class 0.
#[test]
fn sklearn_policies_prove_and_verify_end_to_end() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-sklearn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, test_set, import) in [EXPORTS[0], EXPORTS[2], EXPORTS[4], EXPORTS[5], EXPORTS[6], EXPORTS[8]] {
        let policy = Policy { folder: "sklearn", name, test_set, rows: 500, import };
        let decisions = if name.ends_with("regressor") { ["approve", "deny"] } else { ["1", "0"] };
        policy.through_the_cli(&dir, decisions);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
