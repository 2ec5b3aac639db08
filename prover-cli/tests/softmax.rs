//! Issue 15 §1: a Softmax inside the network (before the last Dense) is imported as
//! the exact integer softmax the circuit proves (`PiecewiseSoftmax`), and an MLP with
//! a hidden softmax goes through inspect, run, setup, prove, verify and fidelity.

mod common;

use common::{node, s, tensor, zkpolicy, Graph, Rng, A};
use zkpolicy::{load_onnx_bytes, ImportOptions};
use zkpolicy_core::frontend::model::softmax::{error_bound, exp_table};
use zkpolicy_core::frontend::model::Layer;

/// `x[1,6] → Gemm(6→4) → Softmax → Gemm(4→1) → Sigmoid`, approving iff the score is ≥ 0.5.
fn hidden_softmax() -> Graph {
    let mut rng = Rng::new(23);
    Graph::new(6)
        .opset(13)
        .init(tensor("w1", &[4, 6], &rng.vec(24, 1.5)))
        .init(tensor("b1", &[4], &rng.vec(4, 0.2)))
        .init(tensor("w2", &[1, 4], &[4.0, -3.0, 2.0, -5.0]))
        .init(tensor("b2", &[1], &[0.1]))
        .node(node("Gemm", &["x", "w1", "b1"], &["h"], vec![("transB", A::I(1))]))
        .node(node("Softmax", &["h"], &["p"], vec![("axis", A::I(-1))]))
        .node(node("Gemm", &["p", "w2", "b2"], &["z"], vec![("transB", A::I(1))]))
        .node(node("Sigmoid", &["z"], &["y"], vec![]))
        .meta("zkpolicy.decision", "threshold:0:0.5")
}

/// The model's float score on `x` (tract) and the quantized one, and whether each approves.
fn scores(m: &zkpolicy::ImportedModel, x: &[f64]) -> (f64, f64) {
    let c = m.compare(x).unwrap();
    (c.float_outputs[0], c.quantized_real[0])
}

#[test]
fn a_hidden_softmax_is_proved_end_to_end() {
    let g = hidden_softmax();
    let m = load_onnx_bytes("hidden_softmax", &g.bytes(), &ImportOptions::default()).unwrap();
    let names: Vec<&str> = m.model.layers.iter().map(Layer::name).collect();
    assert_eq!(names, ["Dense", "PiecewiseSoftmax", "Dense", "Sigmoid"]);
    assert_eq!(m.model.layers[1], Layer::PiecewiseSoftmax(exp_table(12)));
    assert!(
        m.warnings.iter().any(|w| w.contains("the softmax over 4 values inside the network is proved")
            && w.contains(&format!("within {:.1e} of the real softmax", error_bound(12, 4)))),
        "{:?}",
        m.warnings
    );

    // Inputs the float model approves and denies, and a labelled set of both.
    let mut rng = Rng::new(5);
    let (mut approve, mut deny, mut rows) = (None, None, String::new());
    for _ in 0..200 {
        let x: Vec<f64> = rng.vec(6, 2.0).into_iter().map(f64::from).collect();
        let (float, quantized) = scores(&m, &x);
        // The score's error: the softmax's bound through the second Gemm (Σ|w2| = 14,
        // times the sigmoid's slope ≤ 1/4), the Dense roundings and float32.
        assert!((float - quantized).abs() <= 14.0 * error_bound(12, 4) / 4.0 + 2e-3, "{x:?}: {float} {quantized}");
        let label = i64::from(float >= 0.5);
        rows.push_str(&format!("{{\"input\": {x:?}, \"label\": {label}}}\n"));
        // Away from the threshold, for the end-to-end runs.
        if float > 0.6 && approve.is_none() {
            approve = Some(x);
        } else if float < 0.4 && deny.is_none() {
            deny = Some(x);
        }
    }
    let (approve, deny) = (approve.expect("an approved input"), deny.expect("a denied input"));

    let dir = std::env::temp_dir().join(format!("zkpolicy-softmax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = g.write("hidden_softmax");
    let (code, out, err) = zkpolicy(&["inspect", s(&model)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("provable     yes ("), "{out}");
    assert!(out.contains("softmax with a piecewise-linear exponential (161 segments) and an exact division"), "{out}");

    let test_set = dir.join("test.jsonl");
    std::fs::write(&test_set, &rows).unwrap();
    let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&test_set), "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["rows"].as_u64(), v["agree"].as_u64()), (Some(200), Some(200)), "{out}");

    let (code, out, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    let (pk, vk) = (dir.join("hidden_softmax.pk"), dir.join("hidden_softmax.vk"));
    for (name, x, decision) in [("approve", &approve, "approve"), ("deny", &deny, "deny")] {
        let input = dir.join(format!("{name}.json"));
        std::fs::write(&input, format!("{{\"input\": {x:?}}}")).unwrap();
        let (code, out, err) = zkpolicy(&["run", s(&model), "--input", s(&input)]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("agree"), "{name}: {out}");
        let proof = dir.join(format!("{name}.proof"));
        let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["decision"].as_str(), Some(decision), "{name}: {out}");
    }
}
