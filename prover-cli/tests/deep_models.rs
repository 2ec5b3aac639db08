//! Deep ReLU networks (issue 15 §4): the committed 12- and 16-layer width-64 MLPs of
//! `models/deep/` (trained in numpy, exported by `models/deep/export.py`). A bound on
//! `|x|` alone refused the 16-layer one ("values may reach 2^62"); the interval
//! analysis accepts both, and they go through inspect, run, fidelity, setup, prove
//! and verify, deciding every row of their test set as the float model does, and
//! their circuits are satisfied at every corner of the input range.

mod common;

use std::path::PathBuf;

use common::{json, model_file, s, zkpolicy};

fn path(file: &str) -> PathBuf {
    model_file("deep", file)
}

const MODELS: [(&str, usize); 2] = [("deep12", 12), ("deep16", 16)];

#[test]
fn deep_models_are_provable_with_every_value_below_2_to_the_60() {
    for (name, depth) in MODELS {
        let (code, out, err) = zkpolicy(&["inspect", s(&path(&format!("{name}.onnx"))), "--json"]);
        assert_eq!(code, 0, "{name}: {err}");
        let v = json(&out);
        assert_eq!(v["provable"], true, "{name}: {v}");
        let layers = v["layers"].as_array().unwrap();
        // depth Dense layers, a ReLU between each two, the Sigmoid in the head.
        assert_eq!(layers.len(), 2 * depth, "{name}");
        assert_eq!(layers.iter().filter(|l| l["op"] == "Dense").count(), depth, "{name}");
        let bits = layers.iter().map(|l| l["output_bits"].as_u64().unwrap()).max().unwrap();
        assert!(bits <= 60, "{name}: {bits} bits");
        assert!(v["constraints"].as_u64().unwrap() > 0, "{name}: {v}");
    }
}

#[test]
fn deep_models_run_and_agree_with_the_float_model_on_the_test_set() {
    let set = path("test.jsonl");
    for (name, _) in MODELS {
        let model = path(&format!("{name}.onnx"));
        for (file, decision) in [("approve.json", "approve"), ("deny.json", "deny")] {
            let (code, out, err) = zkpolicy(&["run", s(&model), "--input", s(&path(file))]);
            assert_eq!(code, 0, "{name} {file}: {err}");
            assert!(out.contains(&format!("decision  {decision}")), "{name} {file}: {out}");
        }
        let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set), "--json"]);
        assert_eq!(code, 0, "{name}: {err}");
        let v = json(&out);
        assert_eq!((v["rows"].as_u64(), v["agree"].as_u64()), (Some(1000), Some(1000)), "{name}: {v}");
        assert_eq!(v["provable"], true, "{name}: {v}");
        assert_eq!(v["float_correct"], v["quantized_correct"], "{name}: {v}");
        assert!(v["float_correct"].as_u64().unwrap() >= 990, "{name}: {v}");
    }
}

#[test]
fn deep_models_prove_and_verify_end_to_end() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-deep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, _) in MODELS {
        let model = path(&format!("{name}.onnx"));
        let (code, out, err) =
            zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&path("test.jsonl"))]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        assert!(out.contains("agree on 1000/1000 rows"), "{name}: {out}");
        let (pk, vk) = (dir.join(format!("{name}.pk")), dir.join(format!("{name}.vk")));
        for (file, decision) in [("approve.json", "approve"), ("deny.json", "deny")] {
            let proof = dir.join(format!("{name}-{decision}.proof"));
            let (code, out, err) =
                zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&path(file)), "--out", s(&proof), "--verify"]);
            assert_eq!(code, 0, "{name} {file}: {out}{err}");
            let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
            assert_eq!(code, 0, "{name} {file}: {err}");
            let v = json(&out);
            assert_eq!((v["valid"].as_bool(), v["decision"].as_str()), (Some(true), Some(decision)), "{name}: {v}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The range checks are sized from interval bounds that are reached at corners of the
/// input box: the circuit of the deep models (every input private) is satisfied by the
/// evaluator's witness at all 2^8 corners of ±input_bound, and the first layer's bound is
/// reached there exactly.
#[test]
fn deep_models_are_satisfied_at_every_corner_of_the_input_range() {
    use zkpolicy::{load_onnx, ImportOptions};
    use zkpolicy_core::frontend::circuit::{compile_with, public_values};
    use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};

    for (name, _) in MODELS {
        let m = load_onnx(path(&format!("{name}.onnx")), &ImportOptions::default()).unwrap().model;
        let bounds = m.validate_with_bounds().unwrap();
        let circuit = compile_with(&m, &InputVisibility::all(Visibility::Private, m.input_len)).unwrap();
        let b = m.input_bound;
        let mut reached = 0i128;
        for mask in 0..1u32 << m.input_len {
            let x: Vec<i64> = (0..m.input_len).map(|i| if mask >> i & 1 == 1 { b } else { -b }).collect();
            let trace = m.eval(&x).unwrap();
            let witness = circuit.witness(&m, &trace).unwrap_or_else(|e| panic!("{name} at {x:?}: {e}"));
            assert_eq!(circuit.check(&public_values(&[], trace.logits()), &witness), Ok(()), "{name} at {x:?}");
            reached = reached.max(trace.layers[0].output.iter().map(|v| (*v as i128).abs()).max().unwrap());
        }
        assert_eq!(reached, bounds[0].output, "{name}");
    }
}
