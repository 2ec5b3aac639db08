//! The rule-graph policy `models/rules/payment_rule.onnx` ("approve iff amount ≤
//! 0.3·balance ∧ vendor ∈ allowlist ∧ 9 ≤ hour < 17", built with onnx.helper from
//! comparison, Gather and And nodes): the float graph, the integer model and the
//! label agree on every test row, and the policy goes through inspect, run,
//! fidelity, setup, prove and verify, in the library and the `zkpolicy` binary.

mod common;

use std::path::PathBuf;

use common::{s, zkpolicy};

use zkpolicy::fidelity::{evaluate, read_test_set, OutOfRange};
use zkpolicy::input::read_input;
use zkpolicy::{load_onnx, ImportOptions, ImportedModel};
use zkpolicy_core::frontend::model::{Layer, Verdict};
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, PolicyProof, VerifierKey};

/// Amounts and balances are whole dollars up to 16 000.
const INPUT_RANGE: &str = "16384";

fn path(file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", "rules", file].iter().collect()
}

fn load() -> ImportedModel {
    let options = ImportOptions { input_range: INPUT_RANGE.parse().unwrap(), ..ImportOptions::default() };
    load_onnx(path("payment_rule.onnx"), &options).unwrap()
}

/// The rule itself, in exact integer arithmetic.
fn rule(x: &[f64]) -> bool {
    let (amount, balance, vendor, hour) = (x[0] as i64, x[1] as i64, x[2] as i64, x[3] as i64);
    10 * amount <= 3 * balance && [1, 2, 3, 5, 8, 13].contains(&vendor) && (9..17).contains(&hour)
}

#[test]
fn every_test_row_decides_as_the_rule() {
    let m = load();
    assert!(m.model.layers.iter().any(|l| matches!(l, Layer::Lanes { .. })), "{:?}", m.model.layers);
    // Each comparison carries on only the values later nodes read, and comparisons of
    // passed-on values share a layer: 4 Lanes layers, the widest the allowlist lookup's
    // 16 steps beside amount_ok and the hour that later comparisons read.
    assert_eq!(m.model.layers.iter().filter(|l| matches!(l, Layer::Lanes { .. })).count(), 4);
    let widest =
        m.model.layers.iter().filter_map(|l| if let Layer::Lanes { ops } = l { Some(ops.len()) } else { None });
    assert_eq!(widest.max(), Some(18), "{:?}", m.model.layers);
    // The decision is proved in the body: the public logit is the approve boolean itself.
    assert!(matches!(m.model.layers.last(), Some(Layer::Dense { .. })), "{:?}", m.model.layers);
    let rows = read_test_set(path("test.jsonl"), m.names.inputs.names()).unwrap();
    assert_eq!(rows.len(), 1000);
    let r = evaluate(&m, &rows, OutOfRange::Refuse).unwrap();
    assert_eq!((r.agree, r.float_correct, r.quantized_correct), (1000, 1000, 1000), "{:?}", r.disagreements);
    // The outputs are exactly 0 or 1 in both.
    assert_eq!(r.max_error, 0.0);
    for row in &rows {
        assert_eq!(row.label == 1, rule(&row.input), "{:?}", row.input);
    }
    // Beyond the test set: every vendor id, hours around the window, amounts around the limit.
    for vendor in 0..16 {
        for hour in [8.0, 9.0, 16.0, 17.0] {
            for (amount, balance) in [(300.0, 1000.0), (301.0, 1000.0), (0.0, 0.0), (3.0, 10.0), (4.0, 10.0)] {
                let x = [amount, balance, vendor as f64, hour];
                let c = m.compare(&x).unwrap();
                let expected = if rule(&x) { Verdict::Approve } else { Verdict::Deny };
                assert_eq!((&c.float_verdict, &c.quantized_verdict), (&expected, &expected), "{x:?}");
            }
        }
    }
}

#[test]
fn the_rule_proves_and_verifies() {
    let m = load();
    let rows = read_test_set(path("test.jsonl"), m.names.inputs.names()).unwrap();
    for spec in ["all-private", "public=3"] {
        let visibility = InputVisibility::parse(spec, m.model.input_len).unwrap();
        let (pk, vk) = policy::setup(&m.model, &visibility, &m.names).unwrap();
        let vk = VerifierKey::from_bytes(&vk.to_bytes()).unwrap();
        let approved: Vec<_> = rows.iter().filter(|r| r.label == 1).take(3).collect();
        let denied: Vec<_> = rows.iter().filter(|r| r.label == 0).step_by(97).take(6).collect();
        for row in approved.into_iter().chain(denied) {
            let input = pk.model().quantize(&row.input).unwrap();
            let proof = PolicyProof::from_bytes(&policy::prove(&pk, &input, None).unwrap().to_bytes()).unwrap();
            let v = policy::verify(&vk, &proof, None).unwrap();
            assert_eq!(v.verdict == Verdict::Approve, row.label == 1, "{spec}: {:?}", row.input);
        }
    }
}

#[test]
fn cli_inspect_run_fidelity_setup_prove_verify() {
    let m = load();
    assert_eq!(m.names.inputs.names(), ["amount", "balance", "vendor", "hour"]);
    assert_eq!(m.names.inputs.units(), [Some("USD".into()), Some("USD".into()), None, Some("hour".into())]);
    let dir = std::env::temp_dir().join(format!("zkpolicy-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let onnx = path("payment_rule.onnx");
    let range = ["--input-range", INPUT_RANGE];
    let (code, out, err) = zkpolicy(&[&["inspect", s(&onnx)], &range[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Lanes") && out.contains("LessOrEqual") && out.contains("Gather"), "{out}");
    let (code, out, err) = zkpolicy(&[&["run", s(&onnx), "--input", s(&path("approve.json"))], &range[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("approve"), "{out}");
    let test_set = path("test.jsonl");
    let (code, out, err) = zkpolicy(&[&["fidelity", s(&onnx), "--test-set", s(&test_set)], &range[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1000/1000"), "{out}");
    let (code, out, err) = zkpolicy(&[&["setup", s(&onnx), "--out-dir", s(&dir)], &range[..]].concat());
    assert_eq!(code, 0, "{out}{err}");
    let (pk, vk) = (dir.join("payment_rule.pk"), dir.join("payment_rule.vk"));
    for (sample, decision) in [("approve.json", "approve"), ("deny.json", "deny")] {
        let proof = dir.join(format!("{sample}.proof"));
        let input = path(sample);
        let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
        assert_eq!(code, 0, "{out}{err}");
        let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!((v["valid"].as_bool(), v["decision"].as_str()), (Some(true), Some(decision)), "{v}");
        // The request files decide as the rule says.
        assert_eq!(rule(&read_input(&input, m.names.inputs.names()).unwrap()), decision == "approve");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
