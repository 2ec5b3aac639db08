//! Tree ensembles as users export them (issue 16 §1), from the committed files of
//! `models/trees/` (no Python here): scikit-learn's decision tree, random forest,
//! extra trees and gradient boosting (classifiers and regressors) through
//! skl2onnx, LightGBM and XGBoost through onnxmltools. Each decides every row of
//! its test set as the float model does, splits decide exactly at their
//! thresholds, and the policies prove and verify end to end.

mod common;

use std::path::PathBuf;

use common::{s, zkpolicy};
use prost::Message;
use tract_onnx::pb;
use zkpolicy::fidelity::{evaluate, read_test_set, OutOfRange};
use zkpolicy::onnx::{FloatOp, ImportError};
use zkpolicy::{load_onnx, load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::Layer;

fn path(file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", "trees", file].iter().collect()
}

/// The committed exports.
const MODELS: [&str; 10] = [
    "decision_tree",
    "random_forest",
    "random_forest_nozipmap",
    "extra_trees",
    "fraud_gbdt",
    "decision_tree_regressor",
    "random_forest_regressor",
    "gradient_boosting_regressor",
    "lightgbm",
    "xgboost",
];

/// Scale 2^-16 (leaf values rounded to 2^-17 at most, so 100 trees move a score by
/// less than 0.001) and inputs up to 16384 (amounts, balances, days).
const SCALE: &str = "16";
const RANGE: &str = "16384";

fn options() -> ImportOptions {
    ImportOptions { scale_bits: 16, input_range: 16384.0, ..ImportOptions::default() }
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn every_export_agrees_with_the_float_model_on_its_whole_test_set() {
    let rows = read_test_set(path("test.jsonl"), &[]).unwrap();
    for name in MODELS {
        let m = load_onnx(path(&format!("{name}.onnx")), &options()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(m.model.body().iter().any(|l| matches!(l, Layer::Trees(_))), "{name}: {:?}", m.model.layers);
        let report = evaluate(&m, &rows, OutOfRange::Refuse).unwrap();
        assert_eq!((report.rows, report.agree), (1000, 1000), "{name}");
        // The float model is as accurate as the trainer reported (export.py prints it).
        assert!(report.float_correct >= 680, "{name}: {}", report.float_correct);
        assert!(m.provable().is_ok(), "{name}");
    }
}

#[test]
fn the_cli_reports_the_trees_and_their_reference() {
    let model = path("fraud_gbdt.onnx");
    let (code, out, err) = zkpolicy(&["inspect", s(&model), "--scale", SCALE, "--input-range", RANGE, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let layers = v["layers"].as_array().unwrap();
    assert_eq!((layers[0]["op"].as_str(), layers[0]["proved"].as_bool()), (Some("Trees"), Some(true)), "{v}");
    assert!(layers[0]["detail"].as_str().unwrap().contains("100 trees"), "{v}");
    assert_eq!(layers[1]["op"], "Sigmoid", "{v}");
    // tract cannot run this export: the reference is said to be zkpolicy's own.
    assert!(err.contains("the float reference of run and fidelity is zkpolicy's own"), "{err}");
}

/// Inputs on the threshold of every split, one grid step (2^-16) below and above:
/// the quantized model decides exactly as the float one on each.
#[test]
fn splits_decide_exactly_at_their_thresholds() {
    let step = 1.0 / 65536.0;
    for name in ["decision_tree", "xgboost", "lightgbm"] {
        let m = load_onnx(path(&format!("{name}.onnx")), &options()).unwrap();
        let FloatOp::Trees(trees) = &m.chain[0].op else { panic!("{name}: {:?}", m.chain[0]) };
        let base = read_test_set(path("test.jsonl"), &[]).unwrap()[0].input.clone();
        let mut checked = 0;
        for split in trees.trees.iter().flat_map(|t| &t.splits).take(200) {
            let t = (split.threshold / step).round() * step;
            for x in [t - step, t, t + step] {
                let mut input = base.clone();
                input[split.feature as usize] = x;
                let c = m.compare(&input).unwrap();
                assert_eq!(c.float_verdict, c.quantized_verdict, "{name}: feature {} = {x}", split.feature);
                checked += 1;
            }
        }
        assert!(checked > 30, "{name}: {checked}");
    }
}

/// Issue 16's "done when": scikit-learn's decision tree, random forest and gradient
/// boosting (classifier and regressor) through skl2onnx, LightGBM and XGBoost
/// through onnxmltools, with the decisions `models/trees/approve.json` and
/// `deny.json` get (classifiers: the label of the argmax; regressors: the score
/// against 0.5).
const DONE_WHEN: [(&str, [&str; 2]); 8] = [
    ("decision_tree", ["1", "0"]),
    ("decision_tree_regressor", ["approve", "deny"]),
    ("random_forest", ["1", "0"]),
    ("random_forest_regressor", ["approve", "deny"]),
    ("fraud_gbdt", ["1", "0"]),
    ("gradient_boosting_regressor", ["approve", "deny"]),
    ("lightgbm", ["1", "0"]),
    ("xgboost", ["class 1", "class 0"]),
];

/// Each "done when" export through the CLI: `inspect`, `run` on both requests,
/// `fidelity` on the test set, `setup` (with the test set), `prove` and `verify`.
#[test]
fn tree_policies_prove_and_verify_end_to_end() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-trees-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let import = ["--scale", SCALE, "--input-range", RANGE];
    let test_set = path("test.jsonl");
    for (name, decisions) in DONE_WHEN {
        let model = path(&format!("{name}.onnx"));
        let cli = |args: &[&str]| {
            let args: Vec<&str> = args.iter().chain(&import).copied().collect();
            let (code, out, err) = zkpolicy(&args);
            assert_eq!(code, 0, "{name}: zkpolicy {args:?}: {out}{err}");
            out
        };
        let v = json(&cli(&["inspect", s(&model), "--json"]));
        let layers = v["layers"].as_array().unwrap();
        assert_eq!((layers[0]["op"].as_str(), layers[0]["proved"].as_bool()), (Some("Trees"), Some(true)), "{name}");
        assert_eq!(v["provable"], true, "{name}: {v}");
        let v = json(&cli(&["fidelity", s(&model), "--test-set", s(&test_set), "--json"]));
        assert_eq!((v["rows"].as_u64(), v["agree"].as_u64()), (Some(1000), Some(1000)), "{name}: {v}");
        let out = cli(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&test_set)]);
        assert!(out.contains("agree on 1000/1000 rows"), "{name}: {out}");
        let (pk, vk) = (dir.join(format!("{name}.pk")), dir.join(format!("{name}.vk")));
        for (request, decision) in ["approve", "deny"].into_iter().zip(decisions) {
            let input = path(&format!("{request}.json"));
            let v = json(&cli(&["run", s(&model), "--input", s(&input), "--json"]));
            assert_eq!(
                (v["float_decision"].as_str(), v["quantized_decision"].as_str()),
                (Some(decision), Some(decision)),
                "{name}/{request}: {v}"
            );
            let proof = dir.join(format!("{name}-{request}.proof"));
            let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
            assert_eq!(code, 0, "{name}/{request}: {out}{err}");
            let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
            assert_eq!(code, 0, "{name}/{request}: {err}");
            let v = json(&out);
            assert_eq!(
                (v["valid"].as_bool(), v["decision"].as_str()),
                (Some(true), Some(decision)),
                "{name}/{request}"
            );
            // The named inputs of the export's metadata reach the verifier.
            assert_eq!(v["input_names"][0], "amount", "{name}: {v}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The ONNX-ML tree ensemble of a committed export, for editing.
fn tree_node(proto: &mut pb::ModelProto) -> &mut pb::NodeProto {
    let graph = proto.graph.as_mut().unwrap();
    graph.node.iter_mut().find(|n| n.op_type.starts_with("TreeEnsemble")).unwrap()
}

fn attr<'a>(node: &'a mut pb::NodeProto, name: &str) -> &'a mut pb::AttributeProto {
    node.attribute.iter_mut().find(|a| a.name == name).unwrap()
}

#[test]
fn unsupported_and_malformed_ensembles_are_named() {
    let bytes = std::fs::read(path("decision_tree.onnx")).unwrap();
    let import = |edit: &dyn Fn(&mut pb::NodeProto)| {
        let mut proto = pb::ModelProto::decode(&bytes[..]).unwrap();
        edit(tree_node(&mut proto));
        load_onnx_bytes("t", &proto.encode_to_vec(), &options()).map(|_| ()).unwrap_err()
    };
    let reason = |e: ImportError| e.to_string();
    let e = reason(import(&|n| attr(n, "nodes_modes").strings[0] = b"BRANCH_EQ".to_vec()));
    assert!(e.contains("has mode BRANCH_EQ; BRANCH_LEQ, BRANCH_LT, BRANCH_GTE and BRANCH_GT are supported"), "{e}");
    let e = reason(import(&|n| attr(n, "nodes_featureids").ints[0] = 30));
    assert!(e.contains("compares input 30 of 30"), "{e}");
    let e = reason(import(&|n| attr(n, "post_transform").s = b"PROBIT".to_vec()));
    assert!(e.contains("post_transform PROBIT") && e.contains("not supported"), "{e}");
    // The root's first child points back at the root: its old subtree is cut off.
    let e = reason(import(&|n| attr(n, "nodes_truenodeids").ints[0] = 0));
    assert!(e.contains("nodes are not reached from its root"), "{e}");
    let e = reason(import(&|n| {
        attr(n, "nodes_treeids").ints.pop();
    }));
    assert!(e.contains("different lengths"), "{e}");
    let e = reason(import(&|n| attr(n, "class_ids").ints[0] = 5));
    assert!(e.contains("class_ids 5 is not one of the 2 outputs"), "{e}");
    let e = reason(import(&|n| attr(n, "nodes_values").floats[0] = f32::NAN));
    assert!(e.contains("has threshold NaN"), "{e}");
    // The root's first child redirected: its old subtree has no parent (a second root).
    let e = reason(import(&|n| attr(n, "nodes_truenodeids").ints[0] = 100_000));
    assert!(e.contains("tree 0 has 2 roots"), "{e}");
    // A leaf taken out of every nodes_* list: its parent points at nothing.
    let e = reason(import(&|n| {
        let leaf = attr(n, "nodes_modes").strings.iter().position(|m| m == b"LEAF").unwrap();
        for a in n.attribute.iter_mut().filter(|a| a.name.starts_with("nodes_")) {
            if a.ints.len() > leaf {
                a.ints.remove(leaf);
            } else if a.floats.len() > leaf {
                a.floats.remove(leaf);
            } else if a.strings.len() > leaf {
                a.strings.remove(leaf);
            }
        }
    }));
    assert!(e.contains("is referenced but not listed"), "{e}");
    let e = reason(import(&|n| n.attribute.retain(|a| a.name != "classlabels_int64s")));
    assert!(e.contains("no class labels"), "{e}");
    // ai.onnx.ml 5's TreeEnsemble is named with what to do instead.
    let e = reason(import(&|n| n.op_type = "TreeEnsemble".into()));
    assert!(e.contains("ai.onnx.ml opset 5's TreeEnsemble is not supported yet"), "{e}");

    // Regressors: an aggregation or post-transform other than the supported ones.
    let bytes = std::fs::read(path("random_forest_regressor.onnx")).unwrap();
    let import = |edit: &dyn Fn(&mut pb::NodeProto)| {
        let mut proto = pb::ModelProto::decode(&bytes[..]).unwrap();
        edit(tree_node(&mut proto));
        load_onnx_bytes("t", &proto.encode_to_vec(), &options()).map(|_| ()).unwrap_err().to_string()
    };
    let set = |name: &'static str, value: &'static [u8]| {
        move |n: &mut pb::NodeProto| match n.attribute.iter_mut().find(|a| a.name == name) {
            Some(a) => a.s = value.to_vec(),
            None => n.attribute.push(pb::AttributeProto { name: name.into(), s: value.to_vec(), ..Default::default() }),
        }
    };
    let e = import(&set("aggregate_function", b"MIN"));
    assert!(e.contains("aggregate_function MIN is not supported; SUM and AVERAGE are"), "{e}");
    let e = import(&set("post_transform", b"LOGISTIC"));
    assert!(e.contains("post_transform LOGISTIC is not supported; NONE is"), "{e}");
}
