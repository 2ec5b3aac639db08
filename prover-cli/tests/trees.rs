//! Tree ensembles as users export them (issue 16 §1), from the committed files of
//! `models/trees/` (no Python here): scikit-learn's decision tree, random forest,
//! extra trees, gradient boosting and histogram gradient boosting (classifiers and
//! regressors) through skl2onnx, LightGBM and XGBoost through onnxmltools, four of
//! them rewritten as ai.onnx.ml 5's `TreeEnsemble`, and a screening rule of
//! equality and set splits. Each decides every row of its test set as the float
//! model does (and, where export.py recorded them, as the ONNX reference runtime),
//! splits decide exactly at their thresholds, and the policies prove and verify
//! end to end.

mod common;

use std::path::PathBuf;

use common::{json, model_file, s, zkpolicy, Policy};
use prost::Message;
use tract_onnx::pb;
use zkpolicy::fidelity::{evaluate, read_test_set, OutOfRange};
use zkpolicy::onnx::{FloatOp, ImportError};
use zkpolicy::{load_onnx, load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::{Layer, Verdict};

fn path(file: &str) -> PathBuf {
    model_file("trees", file)
}

/// The committed exports.
const MODELS: [&str; 11] = [
    "decision_tree",
    "random_forest",
    "random_forest_nozipmap",
    "extra_trees",
    "fraud_gbdt",
    "hist_gradient_boosting",
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
    for name in ["decision_tree", "xgboost", "lightgbm", "tree_rule_ml3", "tree_rule_ml5"] {
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

/// `models/trees/NAME.onnx` through the CLI (`common::Policy::through_the_cli`), its
/// requests getting `decisions`: the trees are proved, and the named inputs of the
/// export's metadata reach the verifier.
fn through_the_cli(dir: &std::path::Path, name: &str, decisions: [&str; 2]) {
    let import = ["--scale", SCALE, "--input-range", RANGE];
    let policy = Policy { folder: "trees", name, test_set: "test.jsonl", rows: 1000, import: &import };
    let reports = policy.through_the_cli(dir, decisions);
    let layers = reports.inspect["layers"].as_array().unwrap();
    assert_eq!((layers[0]["op"].as_str(), layers[0]["proved"].as_bool()), (Some("Trees"), Some(true)), "{name}");
    for v in reports.verified {
        assert_eq!(v["input_names"][0], "amount", "{name}: {v}");
    }
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkpolicy-trees-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Each "done when" export through the CLI.
#[test]
fn tree_policies_prove_and_verify_end_to_end() {
    let dir = temp_dir("done-when");
    for (name, decisions) in DONE_WHEN {
        through_the_cli(&dir, name, decisions);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// scikit-learn's HistGradientBoosting (tract refuses its two base values),
/// ai.onnx.ml 5's `TreeEnsemble` (export.py rewrites four exports into it) and a
/// screening rule of `BRANCH_EQ`, `BRANCH_NEQ` and `BRANCH_MEMBER` splits (in
/// ai.onnx.ml 1–3, the sets as chains of `BRANCH_EQ`).
const REFERENCED: [&str; 7] = [
    "hist_gradient_boosting",
    "gradient_boosting_regressor_ml5",
    "random_forest_regressor_ml5",
    "random_forest_ml5",
    "lightgbm_ml5",
    "tree_rule_ml3",
    "tree_rule_ml5",
];

/// Each of them decides every test row as the ONNX reference runtime
/// (`onnx.reference`, whose decisions export.py wrote to
/// reference_decisions.json: an implementation independent of zkpolicy's f64
/// evaluation), and the quantized model as the float one.
#[test]
fn tree_ensembles_and_equality_splits_decide_as_the_onnx_reference_runtime() {
    let rows = read_test_set(path("test.jsonl"), &[]).unwrap();
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path("reference_decisions.json")).unwrap()).unwrap();
    for name in REFERENCED {
        let m = load_onnx(path(&format!("{name}.onnx")), &options()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let FloatOp::Trees(trees) = &m.chain[0].op else { panic!("{name}: {:?}", m.chain[0]) };
        assert!(m.provable().is_ok(), "{name}");
        let expected = reference[name].as_str().unwrap().as_bytes();
        assert_eq!(expected.len(), rows.len(), "{name}");
        for (i, (row, want)) in rows.iter().zip(expected).enumerate() {
            let approves = match m.compare(&row.input).unwrap().float_verdict {
                Verdict::Approve => true,
                Verdict::Deny => false,
                Verdict::Class { index, .. } => index == 1,
            };
            assert_eq!(approves, *want == b'1', "{name}: row {i}");
        }
        let report = evaluate(&m, &rows, OutOfRange::Refuse).unwrap();
        assert_eq!((report.rows, report.agree), (1000, 1000), "{name}");
        if name.starts_with("tree_rule") {
            // The rule's leaves are multiples of 1/64: the scores are exact.
            assert_eq!(report.max_error, 0.0, "{name}");
            // Its equalities became pairs of splits at the same threshold, one strict.
            let splits = || trees.trees.iter().flat_map(|t| &t.splits);
            assert!(splits().any(|a| a.strict && splits().any(|b| !b.strict && b.threshold == a.threshold)));
        }
    }
}

/// HistGradientBoosting, a screening rule in ai.onnx.ml 5 and an export
/// rewritten into it, through the CLI.
#[test]
fn more_tree_ensembles_prove_and_verify_end_to_end() {
    let dir = temp_dir("more");
    through_the_cli(&dir, "hist_gradient_boosting", ["1", "0"]);
    through_the_cli(&dir, "tree_rule_ml5", ["deny", "approve"]);
    through_the_cli(&dir, "lightgbm_ml5", ["approve", "deny"]);
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
    // BRANCH_MEMBER is ai.onnx.ml 5's, with sets these attributes cannot give.
    let e = reason(import(&|n| attr(n, "nodes_modes").strings[0] = b"BRANCH_MEMBER".to_vec()));
    assert!(e.contains("has mode BRANCH_MEMBER; BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ and"), "{e}");
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
    // ai.onnx.ml 1-3's attributes under ai.onnx.ml 5's op: the first it misses is named.
    let e = reason(import(&|n| n.op_type = "TreeEnsemble".into()));
    assert!(e.contains("attribute n_targets is missing"), "{e}");

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

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// ai.onnx.ml 5's `TreeEnsemble`: what it cannot prove exactly, and malformed
/// nodes, are refused naming the node and the attribute; a node whose two
/// branches are one leaf is that leaf; copies of shared branches are bounded.
#[test]
fn tree_ensemble_refusals_name_the_node_and_attribute() {
    let bytes = std::fs::read(path("tree_rule_ml5.onnx")).unwrap();
    let import = |edit: &dyn Fn(&mut pb::NodeProto)| {
        let mut proto = pb::ModelProto::decode(&bytes[..]).unwrap();
        edit(tree_node(&mut proto));
        load_onnx_bytes("t", &proto.encode_to_vec(), &options())
    };
    let reason = |edit: &dyn Fn(&mut pb::NodeProto)| import(edit).map(|_| ()).unwrap_err().to_string();
    let int = |name: &'static str, v: i64| move |n: &mut pb::NodeProto| attr(n, name).i = v;
    // The tensors are raw little-endian bytes, as export.py's onnx.numpy_helper writes them.
    let modes = |n: &mut pb::NodeProto| attr(n, "nodes_modes").t.as_mut().unwrap().raw_data.clone();
    let set_modes = |n: &mut pb::NodeProto, m: Vec<u8>| {
        let t = attr(n, "nodes_modes").t.as_mut().unwrap();
        (t.dims, t.raw_data) = (vec![m.len() as i64], m);
    };

    let e = reason(&|n| {
        let mut m = modes(n);
        m[1] = 7;
        set_modes(n, m);
    });
    assert!(e.contains("node 1: nodes_modes 7 is not a mode (0-6)"), "{e}");
    let e = reason(&int("post_transform", 4));
    assert!(e.contains("post_transform PROBIT is not supported; NONE, LOGISTIC and SOFTMAX are"), "{e}");
    let e = reason(&int("aggregate_function", 2));
    assert!(e.contains("aggregate_function 2 (MIN) is not supported; 1 (SUM) and 0 (AVERAGE) are"), "{e}");
    let e = reason(&|n| attr(n, "leaf_targetids").ints[0] = 1);
    assert!(e.contains("leaf_targetids[0] = 1 is not one of the 1 targets"), "{e}");
    let e = reason(&|n| attr(n, "tree_roots").ints[0] = 1000);
    assert!(e.contains("tree_roots[0] = 1000 is not one of the"), "{e}");
    let e = reason(&|n| attr(n, "nodes_truenodeids").ints[0] = 1000);
    assert!(e.contains("node 0: nodes_truenodeids = 1000 is not one of the"), "{e}");
    // A set without its NaN end: the sets no longer match the member nodes.
    let e = reason(&|n| {
        let t = attr(n, "membership_values").t.as_mut().unwrap();
        let values: Vec<f32> =
            t.raw_data.chunks(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).filter(|v| !v.is_nan()).collect();
        (t.raw_data, t.dims) = (f32_bytes(&values), vec![values.len() as i64]);
    });
    assert!(e.contains("membership_values holds 0 sets (each ended by a NaN) for 2 BRANCH_MEMBER nodes"), "{e}");
    // A loop: the first tree's root is its own false branch.
    let e = reason(&|n| {
        attr(n, "nodes_falsenodeids").ints[0] = 0;
        attr(n, "nodes_falseleafs").ints[0] = 0;
    });
    assert!(e.contains("tree 0 is deeper than 64 splits (or loops)"), "{e}");
    // A loop of nodes that decide nothing (both branches the node itself) adds no split.
    let e = reason(&|n| {
        for a in ["nodes_truenodeids", "nodes_falsenodeids"] {
            attr(n, a).ints[0] = 0;
        }
        for a in ["nodes_trueleafs", "nodes_falseleafs"] {
            attr(n, a).ints[0] = 0;
        }
    });
    assert!(e.contains("tree 0 is deeper than 64 splits (or loops)"), "{e}");

    // The last tree is the base value, a split with the leaf 0.375 on both sides; with one
    // leaf referenced by both branches (the spec's one-leaf tree) it is that leaf.
    let last = |m: &zkpolicy::onnx::ImportedModel| match &m.chain[0].op {
        FloatOp::Trees(t) => t.trees.last().unwrap().clone(),
        op => panic!("{op:?}"),
    };
    let m = import(&|_| {}).unwrap();
    assert_eq!((last(&m).splits.len(), last(&m).leaves.clone()), (1, vec![0.375, 0.375]));
    let root = |n: &mut pb::NodeProto| *attr(n, "tree_roots").ints.last().unwrap() as usize;
    let m = import(&|n| {
        let r = root(n);
        let leaf = attr(n, "nodes_truenodeids").ints[r];
        attr(n, "nodes_falsenodeids").ints[r] = leaf;
    })
    .unwrap();
    assert_eq!((last(&m).splits.len(), last(&m).leaves.clone()), (0, vec![0.375]));

    // A chain of 21 equalities, each copying the rest of the chain into two of its
    // three regions: 2^21 copies, refused before they are made.
    let e = reason(&|n| {
        let k = 21;
        let set = |n: &mut pb::NodeProto, name: &str, v: Vec<i64>| attr(n, name).ints = v;
        set(n, "tree_roots", vec![0]);
        set(n, "nodes_featureids", vec![0; k]);
        set(n, "nodes_truenodeids", vec![0; k]);
        set(n, "nodes_trueleafs", vec![1; k]);
        set(n, "nodes_falsenodeids", (1..=k as i64).map(|i| if i == k as i64 { 1 } else { i }).collect());
        set(n, "nodes_falseleafs", (1..=k).map(|i| i64::from(i == k)).collect());
        set_modes(n, vec![4; k]);
        let splits = attr(n, "nodes_splits").t.as_mut().unwrap();
        let values: Vec<f32> = (0..k).map(|i| i as f32).collect();
        (splits.raw_data, splits.dims) = (f32_bytes(&values), vec![k as i64]);
        n.attribute.retain(|a| a.name != "membership_values");
    });
    assert!(e.contains("the trees expand to more than 1048576 splits and leaves"), "{e}");
}

/// Every mode of ai.onnx.ml 5 on one input, each tree adding `2^i` when its test
/// holds, so that the score spells out every test's outcome: on the grid around
/// each threshold and member (at it, and up to three steps of 2^-16 either side),
/// the quantized model's tests are the real ones — equality exact for a value on
/// the grid, never true for one off it (0.3), a set with neighbouring members
/// and an empty set included.
#[test]
fn every_mode_decides_exactly_on_the_input_grid() {
    let bytes = std::fs::read(path("tree_rule_ml5.onnx")).unwrap();
    let mut proto = pb::ModelProto::decode(&bytes[..]).unwrap();
    let step = 1.0 / 65536.0;
    let next = 0.5 + step as f32;
    // (mode, threshold, members); 0-6 are LEQ, LT, GTE, GT, EQ, NEQ, MEMBER.
    let tests: [(u8, f32, &[f32]); 11] = [
        (0, 1.5, &[]),
        (1, 1.5, &[]),
        (2, 1.5, &[]),
        (3, 1.5, &[]),
        (4, 0.25, &[]),
        (4, 0.3, &[]),
        (5, 2.0, &[]),
        (5, 0.3, &[]),
        (6, 0.0, &[-1.0, 0.5, next, 3.0]),
        (6, 0.0, &[]),
        (4, -1.0, &[]),
    ];
    let holds = |(mode, t, members): (u8, f32, &[f32]), x: f64| {
        let t = f64::from(t);
        match mode {
            0 => x <= t,
            1 => x < t,
            2 => x >= t,
            3 => x > t,
            4 => x == t,
            5 => x != t,
            _ => members.iter().any(|m| f64::from(*m) == x),
        }
    };
    let n = tests.len();
    let tensor = |dt: i32, raw: Vec<u8>, len: usize| {
        Some(pb::TensorProto { data_type: dt, dims: vec![len as i64], raw_data: raw, ..Default::default() })
    };
    let float = |v: &[f32]| tensor(1, f32_bytes(v), v.len());
    let members: Vec<f32> =
        tests.iter().filter(|t| t.0 == 6).flat_map(|t| t.2.iter().copied().chain([f32::NAN])).collect();
    let weights: Vec<f32> = (0..n).flat_map(|i| [2f32.powi(i as i32), 0.0]).collect();
    let node = tree_node(&mut proto);
    let ints =
        |name: &str, v: Vec<i64>| pb::AttributeProto { name: name.into(), ints: v, r#type: 7, ..Default::default() };
    let t = |name: &str, t: Option<pb::TensorProto>| pb::AttributeProto {
        name: name.into(),
        t,
        r#type: 4,
        ..Default::default()
    };
    let one = |name: &str, i: i64| pb::AttributeProto { name: name.into(), i, r#type: 2, ..Default::default() };
    node.attribute = vec![
        one("n_targets", 1),
        ints("tree_roots", (0..n as i64).collect()),
        ints("nodes_featureids", vec![0; n]),
        ints("nodes_truenodeids", (0..n as i64).map(|i| 2 * i).collect()),
        ints("nodes_falsenodeids", (0..n as i64).map(|i| 2 * i + 1).collect()),
        ints("nodes_trueleafs", vec![1; n]),
        ints("nodes_falseleafs", vec![1; n]),
        t("nodes_modes", tensor(2, tests.iter().map(|t| t.0).collect(), n)),
        t("nodes_splits", float(&tests.iter().map(|t| t.1).collect::<Vec<_>>())),
        t("membership_values", float(&members)),
        ints("leaf_targetids", vec![0; 2 * n]),
        t("leaf_weights", float(&weights)),
    ];
    let m = load_onnx_bytes("modes", &proto.encode_to_vec(), &options()).unwrap();
    let mut input = vec![0.0; 30];
    let mut checked = 0;
    for (_, t, members) in tests {
        for v in members.iter().chain([&t]) {
            let at = (f64::from(*v) / step).round();
            for d in -3..=3 {
                input[0] = (at + f64::from(d)) * step;
                let want: f64 = tests
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| holds(**t, input[0]))
                    .map(|(i, _)| 2f64.powi(i as i32))
                    .sum();
                let c = m.compare(&input).unwrap();
                assert_eq!((c.float_outputs[0], c.quantized_real[0]), (want, want), "x = {}", input[0]);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 15);
}
