//! The `zkpolicy` binary: output, exit codes and error messages.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{node, tensor, zkpolicy_output as zkpolicy, Graph, A};

fn seed(name: &str, file: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "models", name, file].iter().collect();
    p.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit code 2 with `needle` in the error message and no panic or backtrace.
fn assert_fails(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
}

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("zkpolicy-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const SV: &str = "simple_velocity";

#[test]
fn help_on_every_command_teaches_with_an_example() {
    let o = zkpolicy(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    for cmd in ["inspect", "run", "fidelity"] {
        assert!(stdout(&o).contains(cmd));
        let o = zkpolicy(&[cmd, "--help"]);
        let text = stdout(&o);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            text.contains("Example:") && text.contains("--scale") && text.contains("[default: 12]"),
            "{cmd}: {text}"
        );
        assert!(text.contains("Supported ONNX ops"), "{cmd}: {text}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(zkpolicy(&[]).status.code(), Some(2));
    assert_eq!(zkpolicy(&["prove-everything"]).status.code(), Some(2));
    assert_eq!(zkpolicy(&["run", &seed(SV, "simple_velocity.onnx")]).status.code(), Some(2), "--input is required");
    assert_fails(&zkpolicy(&["inspect", &seed(SV, "test.jsonl")]), "expected .onnx");
    let o = zkpolicy(&[
        "run",
        &seed(SV, "simple_velocity.onnx"),
        "--input",
        &seed(SV, "approve.json"),
        "--decision",
        "vote",
    ]);
    assert_fails(&o, "invalid decision rule `vote` (from --decision)");
}

#[test]
fn run_prints_float_quantized_error_and_decision() {
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &seed(SV, "approve.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("float (tract)") && text.contains("|error|") && text.contains("decision  approve"), "{text}");
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &seed(SV, "deny.json"), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["quantized_decision"], "deny");
    assert_eq!(v["decisions_agree"], true);
    assert!(v["outputs"][0]["abs_error"].as_f64().unwrap() < 1.0 / 256.0);
}

#[test]
fn run_accepts_ezkl_input_and_refuses_or_clamps_out_of_range_values() {
    let input = write("ezkl.json", r#"{"input_data": [[0.05, 0.8, 1000, 0.1, 0.9]]}"#);
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &input]);
    // simple_velocity's inputs are fractions: its metadata declares them in [0, 1].
    assert_fails(&o, "input 2 is 1000, outside its domain [0, 1]; refusing it (pass --clamp");
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &input, "--clamp"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("warning: --clamp: input 2 (velocity_1h) = 1000 is outside its domain [0, 1]; CLAMPED to 1"),
        "{}",
        stderr(&o)
    );
    let ok = write("ezkl-ok.json", r#"{"input_data": [[0.05, 0.8, 1, 0.1, 0]]}"#);
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &ok]);
    assert_eq!(o.status.code(), Some(0), "the domain is closed: {}", stderr(&o));
    // Without the metadata's domains (given the default ±256), the range is ±256.
    let wide = ["--input-domains", "0..5=-256:256"];
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &input, wide[0], wide[1]]);
    assert_fails(&o, "input 2 is 1000, outside its domain [-256, 256]; refusing it (pass --clamp");
    let ok = write("ezkl-wide.json", r#"{"input_data": [[0.05, 0.8, 256, 0.1, -256]]}"#);
    let o = zkpolicy(&["run", &seed(SV, "simple_velocity.onnx"), "--input", &ok, wide[0], wide[1]]);
    assert_eq!(o.status.code(), Some(0), "the range is closed: {}", stderr(&o));
}

#[test]
fn run_input_errors_exit_2() {
    let model = seed(SV, "simple_velocity.onnx");
    let run = |input: &str| zkpolicy(&["run", &model, "--input", input]);
    assert_fails(&run("/nonexistent/input.json"), "cannot read /nonexistent/input.json");
    assert_fails(&run(&write("bad.json", "{\"input\": [1, 2,")), "invalid JSON");
    assert_fails(&run(&write("short.json", r#"{"input": [1, 2, 3]}"#)), "the model takes 5 inputs, got 3");
    assert_fails(
        &run(&write("nan.json", r#"{"input": [1, "NaN", 0, 0, 0]}"#)),
        "input value 1 is \"NaN\", not a number",
    );
    assert_fails(&run(&write("obj.json", r#"{"features": []}"#)), "no \"input\" or \"input_data\" key");
    let o = zkpolicy(&["run", "/nonexistent/model.onnx", "--input", &seed(SV, "approve.json")]);
    assert_fails(&o, "cannot read /nonexistent/model.onnx");
}

#[test]
fn model_errors_exit_2_with_the_reason() {
    let g = Graph::new(2).init(tensor("W", &[1, 2], &[1.0, 2.0])).node(node(
        "Gemm",
        &["x", "W"],
        &["h"],
        vec![("transB", A::I(1))],
    ));
    let bad_op = g.node(node("Erf", &["h"], &["y"], vec![])).write("erf");
    let o = zkpolicy(&["inspect", path(&bad_op)]);
    assert_fails(&o, "unsupported ONNX op `Erf` (node `y_node`)");
    let input = write("two.json", r#"{"input": [1, 2]}"#);
    let o = zkpolicy(&["run", path(&bad_op), "--input", &input]);
    assert_fails(&o, "supported ops: Gemm");
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn inspect_text_and_json() {
    let model = seed("whitelist", "whitelist.onnx");
    let o = zkpolicy(&["inspect", &model]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in [
        "opset 13",
        "MatMul `fc1_matmul`",
        "Dense          102 -> 64",
        "parameters   8705",
        "threshold:0:0.5",
        "R1CS constraints",
    ] {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
    let o = zkpolicy(&["inspect", &model, "--json", "--scale", "10"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scale_bits"], 10);
    assert_eq!(v["params"], 8705);
    assert_eq!(v["layers"].as_array().unwrap().len(), 6);
    assert!(v["circuit"]["constraints"].as_u64().unwrap() > 0);
}

#[test]
fn input_domains_come_from_the_metadata_or_the_option_and_bad_ones_are_refused() {
    let model = seed("whitelist", "whitelist.onnx");
    let o = zkpolicy(&["inspect", &model]);
    let text = stdout(&o);
    let metadata = "domains      vendor_id_scaled [0, 1]; vendor_is_0 … trusted (101 inputs) 0 or 1";
    assert!(text.contains(metadata), "{text}");
    let o = zkpolicy(&["inspect", &model, "--json", "--input-domains", "trusted=int:0:3,0..2=-2:2"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["input_domains"][0], serde_json::json!({"kind": "interval", "min": -2.0, "max": 2.0}));
    assert_eq!(v["input_domains"][2], serde_json::json!({"kind": "interval", "min": -256.0, "max": 256.0}));
    assert_eq!(v["input_domains"][101], serde_json::json!({"kind": "integers", "min": 0, "max": 3}));
    for (spec, needle) in [
        ("trusted", "input domains (from --input-domains): input domain clause \"trusted\" is not RANGES=DOMAIN"),
        ("trusted=0..1", "input domain \"0..1\" is not LO:HI (real values), int:LO:HI (integers) or bool"),
        ("vendor=bool", "input domain range \"vendor\" is not i, a..b or a..=b"),
        ("trusted=int:1:0", "input domain \"int:1:0\" of input 101: its ends 1 and 0 are not increasing"),
        (
            "0=0:300",
            "input domain \"0:300\" of input 0: its values reach 0..=1228800 (scale 2^12), beyond the input bound",
        ),
    ] {
        assert_fails(&zkpolicy(&["inspect", &model, "--input-domains", spec]), needle);
    }
}

#[test]
fn fidelity_reports_agreement_accuracy_and_error() {
    let o = zkpolicy(&[
        "fidelity",
        &seed("business_hours", "business_hours.onnx"),
        "--test-set",
        &seed("business_hours", "test.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("(100.00%) float vs quantized") && text.contains("disagreements: none"), "{text}");
    let o = zkpolicy(&["fidelity", &seed(SV, "simple_velocity.onnx"), "--test-set", &seed(SV, "test.jsonl"), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["agree"], v["rows"]);
    let bad =
        write("bad.jsonl", "{\"input\": [1, 0.2, 0.3, 0.4, 0.5], \"label\": 1}\n{\"input\": [1, 0.2], \"label\": 0}\n");
    assert_fails(
        &zkpolicy(&["fidelity", &seed(SV, "simple_velocity.onnx"), "--test-set", &bad]),
        "row 1: the model takes 5 inputs, got 2",
    );
    let unlabelled = write("nolabel.jsonl", "{\"input\": [1, 2, 3, 4, 5]}\n");
    assert_fails(
        &zkpolicy(&["fidelity", &seed(SV, "simple_velocity.onnx"), "--test-set", &unlabelled]),
        "line 1: no integer \"label\"",
    );
}
