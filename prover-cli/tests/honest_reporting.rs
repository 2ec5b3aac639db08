//! Issue 15 §5: every command says whether a model can be proved (`inspect`
//! exits 3 when not), import warns about weights that rounding wipes out, `setup
//! --test-set` warns when the quantized decisions differ from the float ones, and
//! `--scale auto` picks the smallest scale that agrees on every row.

mod common;

use common::{node, s, tensor, zkpolicy, Graph, Rng, A};

/// `x[1,3] → Gemm(3→4) → ACT → Gemm(4→1) → Sigmoid`.
fn hidden(act: &str) -> Graph {
    let mut rng = Rng::new(7);
    Graph::new(3)
        .init(tensor("w1", &[4, 3], &rng.vec(12, 1.0)))
        .init(tensor("b1", &[4], &rng.vec(4, 0.1)))
        .init(tensor("w2", &[1, 4], &rng.vec(4, 1.0)))
        .init(tensor("b2", &[1], &[0.0]))
        .node(node("Gemm", &["x", "w1", "b1"], &["h"], vec![("transB", A::I(1))]))
        .node(node(act, &["h"], &["t"], vec![]))
        .node(node("Gemm", &["t", "w2", "b2"], &["z"], vec![("transB", A::I(1))]))
        .node(node("Sigmoid", &["z"], &["y"], vec![]))
}

/// A hidden Softmax over 4000 values imports and runs, but its circuit (about 285
/// constraints per value) is above the proof system's limit of 2^20 constraints.
fn too_large() -> Graph {
    let mut rng = Rng::new(7);
    Graph::new(3)
        .init(tensor("w1", &[4000, 3], &rng.vec(12_000, 1.0)))
        .init(tensor("b1", &[4000], &rng.vec(4000, 0.1)))
        .init(tensor("w2", &[1, 4000], &rng.vec(4000, 1.0)))
        .init(tensor("b2", &[1], &[0.0]))
        .node(node("Gemm", &["x", "w1", "b1"], &["h"], vec![("transB", A::I(1))]))
        .node(node("Softmax", &["h"], &["t"], vec![]))
        .node(node("Gemm", &["t", "w2", "b2"], &["z"], vec![("transB", A::I(1))]))
        .node(node("Sigmoid", &["z"], &["y"], vec![]))
}

/// What `inspect`, `run`, `fidelity` and `setup` say about [`too_large`].
const TOO_LARGE: &str = "the model's circuit is too large: ";

/// Weights about 1e-4 (all below 2^-13, so they round to 0 at the default scale
/// 2^-12), approve iff `w·x ≥ 0`.
const TINY: [f32; 4] = [1.0e-4, -0.9e-4, 0.6e-4, -0.4e-4];

fn tiny_weights() -> Graph {
    Graph::new(4)
        .init(tensor("w", &[1, 4], &TINY))
        .init(tensor("b", &[1], &[0.0]))
        .node(node("Gemm", &["x", "w", "b"], &["y"], vec![("transB", A::I(1))]))
        .meta("zkpolicy.decision", "threshold:0:0")
}

/// 40 rows in [-1, 1)^4 labelled with the float decision, none closer to the
/// threshold than 5e-5 (so a finite scale decides them all as the float model).
fn tiny_test_set() -> String {
    let mut rng = Rng::new(3);
    let mut text = String::new();
    let mut rows = 0;
    while rows < 40 {
        let x = rng.vec(4, 1.0);
        let y: f64 = x.iter().zip(TINY).map(|(a, w)| f64::from(*a) * f64::from(w)).sum();
        if y.abs() < 5e-5 {
            continue;
        }
        text += &format!("{{\"input\": {x:?}, \"label\": {}}}\n", u8::from(y >= 0.0));
        rows += 1;
    }
    text
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zkpolicy-honest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn inspect_exits_3_with_the_reason_when_the_model_cannot_be_proved() {
    let model = too_large().write("too_large");
    let (code, out, err) = zkpolicy(&["inspect", s(&model)]);
    assert_eq!(code, 3, "stdout: {out}\nstderr: {err}");
    assert!(out.contains(&format!("provable     NO: {TOO_LARGE}")), "{out}");
    assert!(out.contains("`zkpolicy setup` refuses this model"), "{out}");
    assert!(err.contains(&format!("the model cannot be proved: {TOO_LARGE}")), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let (code, out, _) = zkpolicy(&["inspect", s(&model), "--json"]);
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["provable"], false);
    assert!(v["not_provable"].as_str().unwrap().contains(TOO_LARGE), "{v}");

    // A provable model: exit 0, and it says so.
    let ok = tiny_weights().write("tiny_ok");
    let (code, out, err) = zkpolicy(&["inspect", s(&ok), "--scale", "20"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("provable     yes ("), "{out}");
    let (_, out, _) = zkpolicy(&["inspect", s(&ok), "--scale", "20", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["provable"], true);
    assert!(v["constraints"].as_u64().unwrap() > 0);
}

#[test]
fn run_and_fidelity_say_whether_the_model_can_be_proved() {
    let model = too_large().write("too_large_run");
    let input = temp("softmax_input.json", r#"{"input": [0.5, -0.25, 1.0]}"#);
    let (code, out, err) = zkpolicy(&["run", s(&model), "--input", s(&input)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("provable     NO: {TOO_LARGE}")), "{out}");
    assert!(err.contains("the model cannot be proved"), "{err}");
    let (_, out, _) = zkpolicy(&["run", s(&model), "--input", s(&input), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["provable"], false);

    let set = temp("softmax_set.jsonl", "{\"input\": [0.5, -0.25, 1.0], \"label\": 1}\n");
    let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("provable     NO: {TOO_LARGE}")), "{out}");
    // And setup refuses it.
    let dir = std::env::temp_dir().join(format!("zkpolicy-honest-keys-{}", std::process::id()));
    let (code, _, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir)]);
    assert_eq!(code, 2);
    assert!(err.contains(TOO_LARGE), "{err}");
}

#[test]
fn tiny_weights_are_warned_about_by_every_command_and_by_setup_on_its_test_set() {
    let model = tiny_weights().write("tiny");
    let set = temp("tiny.jsonl", &tiny_test_set());
    let (code, _, err) = zkpolicy(&["inspect", s(&model)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning:") && err.contains("4 of 4 nonzero weights become 0"), "{err}");

    let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set)]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("agreement    40/40"), "the default scale must flip decisions here: {out}");

    let dir = std::env::temp_dir().join(format!("zkpolicy-honest-tiny-{}", std::process::id()));
    let (code, out, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&set)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("decides") && err.contains("differently from the float model"), "{err}");
    assert!(out.contains("float and quantized decisions agree on"), "{out}");
    let (_, out, _) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&set), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["test_set"]["rows"], 40);
    assert!(v["test_set"]["agree"].as_u64().unwrap() < 40);
    assert!(!v["test_set"]["disagreeing_rows"].as_array().unwrap().is_empty());
}

#[test]
fn scale_auto_picks_the_smallest_scale_that_agrees_on_every_row() {
    let model = tiny_weights().write("tiny_auto");
    let set = temp("tiny_auto.jsonl", &tiny_test_set());
    let dir = std::env::temp_dir().join(format!("zkpolicy-honest-auto-{}", std::process::id()));
    let (code, out, err) =
        zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&set), "--scale", "auto", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let picked = v["scale_auto"]["picked"].as_u64().unwrap();
    assert_eq!(v["scale_bits"].as_u64(), Some(picked));
    assert!(picked > 12, "the default scale flips decisions, so auto must pick more: {picked}");
    assert_eq!(v["test_set"]["agree"], 40);
    // Every smaller scale was tried and rejected, the one below for disagreeing.
    let rejected = v["scale_auto"]["rejected"].as_array().unwrap();
    assert_eq!(rejected.len() as u64, picked - 1, "{rejected:?}");
    assert!(rejected.last().unwrap()["rejected"].as_str().unwrap().contains("disagrees"), "{rejected:?}");

    // fidelity agrees: all rows at the picked scale, not all one below.
    let agreement = |scale: &str| {
        let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set), "--scale", scale, "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["agree"].as_u64().unwrap()
    };
    assert_eq!(agreement(&picked.to_string()), 40);
    assert!(agreement(&(picked - 1).to_string()) < 40);

    // The text report says which scale it picked; fidelity --scale auto picks the same.
    let (code, out, err) =
        zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--test-set", s(&set), "--scale", "auto"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("--scale auto picked s = {picked}")), "{out}");
    let (code, out, err) = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set), "--scale", "auto"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("--scale auto picked s = {picked}")) && out.contains("40/40"), "{out}");
}

#[test]
fn scale_auto_needs_a_calibration_set() {
    let model = tiny_weights().write("tiny_usage");
    let (code, _, err) = zkpolicy(&["setup", s(&model), "--scale", "auto"]);
    assert_eq!(code, 2);
    assert!(err.contains("--scale auto needs --test-set"), "{err}");
    let (code, _, err) = zkpolicy(&["inspect", s(&model), "--scale", "auto"]);
    assert_eq!(code, 2);
    assert!(err.contains("--scale auto needs a calibration set"), "{err}");
    let (code, _, err) = zkpolicy(&["inspect", s(&model), "--scale", "big"]);
    assert_eq!(code, 2);
    assert!(err.contains("neither a number nor `auto`"), "{err}");
}

#[test]
fn help_documents_exit_codes_and_scale_auto() {
    let (_, out, _) = zkpolicy(&["inspect", "--help"]);
    assert!(out.contains("3 the model imports"), "{out}");
    let (_, out, _) = zkpolicy(&["setup", "--help"]);
    assert!(out.contains("--test-set") && out.contains("--scale auto"), "{out}");
    let (_, out, _) = zkpolicy(&["--help"]);
    assert!(out.contains("3 `inspect`"), "{out}");
}

/// Issue 15 §1: a hidden Tanh or Sigmoid is proved as its piecewise-linear
/// approximation: the import says so and by how much, and the model goes through
/// setup, prove and verify, deciding as the float model on sample inputs.
#[test]
fn a_hidden_tanh_or_sigmoid_is_proved_as_its_piecewise_approximation() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-honest-pwl-{}", std::process::id()));
    use zkpolicy_core::frontend::model::piecewise::Approximated;
    for (act, name, f) in [("Tanh", "tanh", Approximated::Tanh), ("Sigmoid", "sigmoid", Approximated::Sigmoid)] {
        let bound = format!("{:.1e}", f.error_bound(12));
        let model = hidden(act).write(&format!("hidden_{name}"));
        let (code, out, err) = zkpolicy(&["inspect", s(&model)]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("provable     yes ("), "{out}");
        assert!(
            err.contains(&format!("the {name} inside the network is proved as a piecewise-linear function")),
            "{err}"
        );
        assert!(err.contains(&format!("within {bound} of the real function at scale 2^-12")), "{err}");
        let (code, out, err) = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir)]);
        assert_eq!(code, 0, "{out}{err}");
        let mut rng = Rng::new(11);
        for k in 0..4 {
            let input = temp(&format!("{name}-{k}.json"), &format!("{{\"input\": {:?}}}", rng.vec(3, 1.0)));
            let (code, out, err) = zkpolicy(&["run", s(&model), "--input", s(&input)]);
            assert_eq!(code, 0, "{err}");
            assert!(out.contains("agree"), "{out}");
            let proof = dir.join(format!("{name}-{k}.proof"));
            let pk = dir.join(format!("hidden_{name}.pk"));
            let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof)]);
            assert_eq!(code, 0, "{out}{err}");
            let vk = dir.join(format!("hidden_{name}.vk"));
            let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof)]);
            assert_eq!(code, 0, "{out}{err}");
        }
    }
}
