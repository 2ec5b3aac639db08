//! The three seed policies: quantized decisions agree with float on 100% of each
//! held-out test set, and the sigmoid score error stays within 2^-8 (issue requirements).

use std::path::PathBuf;

use zkpolicy::fidelity::{evaluate, read_test_set, OutOfRange};
use zkpolicy::input::read_input;
use zkpolicy::{load_onnx, ImportOptions};
use zkpolicy_core::frontend::model::Verdict;

fn path(name: &str, file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", name, file].iter().collect()
}

fn check(name: &str) {
    let m = load_onnx(path(name, &format!("{name}.onnx")), &ImportOptions::default()).unwrap();
    let rows = read_test_set(path(name, "test.jsonl"), &[]).unwrap();
    assert!(rows.len() >= 1000);
    // Every row is within the input range: refusing out-of-range rows refuses none.
    let r = evaluate(&m, &rows, OutOfRange::Refuse).unwrap();
    assert_eq!(r.agree, r.rows, "{name}: disagreements {:?}", r.disagreements);
    assert_eq!((r.clamped_rows, r.clamped_agree), (0, 0));
    assert!(r.max_error <= 1.0 / 256.0, "{name}: max score error {} > 2^-8", r.max_error);
    assert_eq!(r.quantized_correct, r.float_correct);
    for (file, verdict) in [("approve.json", Verdict::Approve), ("deny.json", Verdict::Deny)] {
        let c = m.compare(&read_input(path(name, file), m.names.inputs.names()).unwrap()).unwrap();
        assert_eq!((c.float_verdict, c.quantized_verdict), (verdict.clone(), verdict), "{name} {file}");
    }
}

#[test]
fn simple_velocity() {
    check("simple_velocity");
}

#[test]
fn whitelist() {
    check("whitelist");
}

#[test]
fn business_hours() {
    check("business_hours");
}
