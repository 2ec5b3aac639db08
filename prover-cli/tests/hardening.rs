//! The `zkpolicy` binary under hostile or unlucky conditions: out-of-range
//! inputs are refused (or clamped on request, loudly), secrets stay out of
//! standard output and in owner-only files, output files are written atomically
//! and in sets, a closed standard output does not change a verdict, and keys
//! whose circuits would be huge (or that no verifier could load) are refused.

mod common;
/// Hand-built key files (`setup` refuses the models these tests need).
#[path = "../../core/tests/support/key_file.rs"]
mod key_file;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{s, zkpolicy_output as zkpolicy};
use key_file::key_file;
use zkpolicy_core::frontend::model::{Decision, Layer, Model};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::files::VK_MAGIC;

fn seed(name: &str, file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", name, file].iter().collect()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkpolicy-hardening-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts exit code 2 with every needle in stderr and no panic.
fn assert_fails(o: &Output, needles: &[&str]) {
    let e = err(o);
    assert_eq!(o.status.code(), Some(2), "stdout: {}\nstderr: {e}", out(o));
    for needle in needles {
        assert!(e.contains(needle), "expected {needle:?} in: {e}");
    }
    assert!(!e.contains("panicked"), "{e}");
}

/// The file names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

const SV: &str = "simple_velocity";

/// `setup` of simple_velocity into `dir` with a visibility.
fn setup(dir: &Path, visibility: &str) -> (PathBuf, PathBuf) {
    let o = zkpolicy(&["setup", s(&seed(SV, "simple_velocity.onnx")), "--out-dir", s(dir), "--visibility", visibility]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    (dir.join("simple_velocity.pk"), dir.join("simple_velocity.vk"))
}

#[test]
fn out_of_range_inputs_are_refused_unless_clamped() {
    let dir = temp_dir("range");
    let (pk, vk) = setup(&dir, "public=0,committed=2");
    // Input 2 is 1e30: far outside simple_velocity's ±256, and its domain [0, 1].
    let wild = dir.join("wild.json");
    std::fs::write(&wild, r#"{"input": [0.05, 0.8, 1e30, 0.1, 0.9]}"#).unwrap();
    let named = ["wild.json", "input 2 is 1e30, outside its domain [0, 1]", "--clamp"];

    // prove: exit 2, the input named, no proof written.
    let proof = dir.join("wild.proof");
    let openings = dir.join("wild-openings.json");
    let o = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&wild), "--out", s(&proof), "--blinds-out", s(&openings)]);
    assert_fails(&o, &named);
    assert!(!proof.exists() && !openings.exists(), "{:?}", listing(&dir));
    // commit: the same, and no openings file.
    let o = zkpolicy(&["commit", "--vk", s(&vk), "--input", s(&wild), "--out", s(&openings)]);
    assert_fails(&o, &named);
    assert!(!openings.exists());
    // run: the same.
    let o = zkpolicy(&["run", s(&seed(SV, "simple_velocity.onnx")), "--input", s(&wild)]);
    assert_fails(&o, &named);
    // A value just past the domain (after rounding) is refused too; the domain itself is accepted.
    let edge = dir.join("edge.json");
    std::fs::write(&edge, r#"{"input": [1.0001220703125, 0.8, 0.02, 0.1, 0]}"#).unwrap();
    assert_fails(
        &zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&edge), "--out", s(&proof)]),
        &["input 0 is 1.0001220703125, outside its domain [0, 1]"],
    );
    std::fs::write(&edge, r#"{"input": [-0.0001220703125, 0.8, 0.02, 0.1, 0]}"#).unwrap();
    assert_fails(
        &zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&edge), "--out", s(&proof)]),
        &["input 0 is -0.0001220703125, outside its domain [0, 1]"],
    );
    std::fs::write(&edge, r#"{"input": [1.00006103515625, 0.8, 0.02, 0.1, -0.00006103515625]}"#).unwrap();
    let o = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&edge), "--out", s(&proof)]);
    assert_eq!(o.status.code(), Some(0), "rounds to the bound: {}", err(&o));
    std::fs::remove_file(&proof).unwrap();

    // --clamp: a proof of the clamped input, with a loud warning naming the input.
    let clamp_warning = "--clamp: input 2 = 1e30 is outside its domain [0, 1]; CLAMPED to 1";
    let o = zkpolicy(&["commit", "--vk", s(&vk), "--input", s(&wild), "--out", s(&openings), "--clamp"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains(clamp_warning) && err(&o).contains("the commitment is about the clamped value"),
        "{}",
        err(&o)
    );
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report["clamped_inputs"], serde_json::json!([2]));
    assert_eq!(report["committed"][0]["value"], 1.0);
    let o = zkpolicy(&[
        "prove",
        "--pk",
        s(&pk),
        "--input",
        s(&wild),
        "--out",
        s(&proof),
        "--blinds",
        s(&openings),
        "--clamp",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains(clamp_warning) && err(&o).contains("the proof is about the clamped value"), "{}", err(&o));
    let report: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(report["clamped_inputs"], serde_json::json!([2]));
    assert_eq!(report["input"][2], 1.0);
    let o = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // Clamping without --blinds still needs the openings to match the clamped value.
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fidelity_refuses_out_of_range_rows_or_counts_them_when_clamping() {
    let dir = temp_dir("fidelity");
    let set = dir.join("set.jsonl");
    std::fs::write(
        &set,
        "{\"input\": [0.05, 0.8, 0.02, 0.1, 0.9], \"label\": 1}\n\
         {\"input\": [0.05, 0.8, 5000, 0.1, 0.9], \"label\": 0}\n\
         {\"input\": [-1e9, 0.8, 0.02, 0.1, 0.9], \"label\": 0}\n",
    )
    .unwrap();
    let model = seed(SV, "simple_velocity.onnx");
    let o = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set)]);
    assert_fails(&o, &["set.jsonl row 1: input 2 is 5000, outside its domain [0, 1]", "--clamp"]);
    let o = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set), "--clamp", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!((v["rows"].as_u64(), v["clamped_rows"].as_u64()), (Some(3), Some(2)), "{v}");
    assert!(v["clamped_agree"].as_u64().unwrap() <= 2, "{v}");
    assert!(err(&o).contains("--clamp: 2 rows had inputs outside their domains and were CLAMPED"), "{}", err(&o));
    let o = zkpolicy(&["fidelity", s(&model), "--test-set", s(&set), "--clamp"]);
    assert!(out(&o).contains("clamped      2 rows ("), "{}", out(&o));
    let help = out(&zkpolicy(&["fidelity", "--help"]));
    assert!(help.contains("--clamp") && help.contains("refused"), "{help}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn blinds_go_to_owner_only_files_and_never_to_stdout() {
    let dir = temp_dir("secrets");
    let (pk, vk) = setup(&dir, "committed=1+3");
    let approve = seed(SV, "approve.json");
    let openings = dir.join("openings.json");
    let o = zkpolicy(&["commit", "--vk", s(&vk), "--input", s(&approve), "--out", s(&openings)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&openings).unwrap()).unwrap();
    let blinds: Vec<String> =
        file["committed"].as_array().unwrap().iter().map(|c| c["blind"].as_str().unwrap().to_owned()).collect();
    assert_eq!(blinds.len(), 2);
    let (stdout, stderr) = (out(&o), err(&o));
    for b in &blinds {
        assert!(!stdout.contains(b.as_str()) && !stderr.contains(b.as_str()), "a blind was printed: {stdout}{stderr}");
    }
    assert!(!stdout.contains("blind"), "{stdout}");
    // What is printed: the openings without the blinds.
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["committed"][1]["commitment"], file["committed"][1]["commitment"]);
    assert_eq!(report["openings"].as_str(), Some(s(&openings)));
    #[cfg(unix)]
    assert_eq!(mode(&openings), 0o600);

    let saved = dir.join("saved.json");
    let proof = dir.join("p.proof");
    let o = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&approve), "--out", s(&proof), "--blinds-out", s(&saved)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let saved_file: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    let blind = saved_file["committed"][0]["blind"].as_str().unwrap();
    assert!(!out(&o).contains(blind) && !err(&o).contains(blind));
    #[cfg(unix)]
    {
        assert_eq!(mode(&saved), 0o600);
        assert_ne!(mode(&proof), 0o600, "the proof is public");
    }
    // Overwriting an existing, world-readable file still leaves an owner-only one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&openings, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = zkpolicy(&["commit", "--vk", s(&vk), "--input", s(&approve), "--out", s(&openings)]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        assert_eq!(mode(&openings), 0o600);
    }
    // No temporary file is left behind by any of this.
    assert!(listing(&dir).iter().all(|n| !n.ends_with(".tmp")), "{:?}", listing(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_setup_leaves_no_half_key_pair() {
    let dir = temp_dir("atomic");
    // The verifier key's path is taken by a directory: the second rename fails.
    std::fs::create_dir(dir.join("simple_velocity.vk")).unwrap();
    let o = zkpolicy(&["setup", s(&seed(SV, "simple_velocity.onnx")), "--out-dir", s(&dir)]);
    assert_fails(&o, &["simple_velocity.vk"]);
    assert_eq!(listing(&dir), vec!["simple_velocity.vk".to_string()], "no .pk and no temporary file");
    assert!(dir.join("simple_velocity.vk").is_dir());
    // A proof and its openings are a set too: a failing openings path writes no proof.
    std::fs::remove_dir(dir.join("simple_velocity.vk")).unwrap();
    let (pk, _) = setup(&dir, "committed=1");
    let proof = dir.join("p.proof");
    std::fs::create_dir(dir.join("openings.json")).unwrap();
    let o = zkpolicy(&[
        "prove",
        "--pk",
        s(&pk),
        "--input",
        s(&seed(SV, "approve.json")),
        "--out",
        s(&proof),
        "--blinds-out",
        s(&dir.join("openings.json")),
    ]);
    assert_fails(&o, &["openings.json"]);
    assert!(!proof.exists());
    assert!(listing(&dir).iter().all(|n| !n.ends_with(".tmp")), "{:?}", listing(&dir));
    // The same path for two outputs is refused before anything is written.
    let o = zkpolicy(&[
        "prove",
        "--pk",
        s(&pk),
        "--input",
        s(&seed(SV, "approve.json")),
        "--out",
        s(&proof),
        "--blinds-out",
        s(&proof),
    ]);
    assert_fails(&o, &["is named for two outputs"]);
    assert!(!proof.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs the binary with its standard output connected to a socket whose other
/// end is already closed: every write fails with `BrokenPipe`, deterministically.
#[cfg(unix)]
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixStream;
    let (ours, theirs) = UnixStream::pair().unwrap();
    drop(ours);
    let mut child = Command::new(env!("CARGO_BIN_EXE_zkpolicy"))
        .args(args)
        .stdout(Stdio::from(OwnedFd::from(theirs)))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_does_not_change_the_verdict() {
    let dir = temp_dir("pipe");
    let (pk, vk) = setup(&dir, "all-private");
    let proof = dir.join("p.proof");
    let o = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&seed(SV, "approve.json")), "--out", s(&proof)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // A valid proof: exit 0, as with an open stdout, in text and JSON.
    for json in [false, true] {
        let mut args = vec!["verify", "--vk", s(&vk), "--proof", s(&proof)];
        args.extend(json.then_some("--json"));
        let (code, stderr) = with_closed_stdout(&args);
        assert_eq!(code, Some(0), "json {json}: {stderr}");
        assert!(!stderr.contains("error"), "{stderr}");
    }
    // An invalid proof: exit 1.
    let mut bytes = std::fs::read(&proof).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    let bad = dir.join("bad.proof");
    std::fs::write(&bad, &bytes).unwrap();
    let (code, stderr) = with_closed_stdout(&["verify", "--vk", s(&vk), "--proof", s(&bad)]);
    assert_eq!(code, Some(1), "{stderr}");
    // Other commands keep their outcome too: a proof is still written.
    let proof2 = dir.join("p2.proof");
    let (code, stderr) =
        with_closed_stdout(&["prove", "--pk", s(&pk), "--input", s(&seed(SV, "approve.json")), "--out", s(&proof2)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(proof2.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keys_with_huge_circuits_are_refused_quickly() {
    let dir = temp_dir("hostile");
    // ~30 KB: one public input, Dense 1→10000, 1000 ReLU layers, Dense 10000→1.
    let width = 10_000;
    let mut layers = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    layers.extend(std::iter::repeat_n(Layer::Relu, 1000));
    layers.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    let model = Model {
        scale_bits: 12,
        input_len: 1,
        input_bound: 1 << 20,
        input_domains: Default::default(),
        layers,
        decision: Decision::Threshold { index: 0, threshold: 0 },
    };
    let vk = dir.join("hostile.vk");
    std::fs::write(&vk, key_file(VK_MAGIC, &model, &InputVisibility::all(Visibility::Public, 1), "")).unwrap();
    let proof = dir.join("any.proof");
    std::fs::write(&proof, b"ZKPP").unwrap();
    for args in [vec!["inspect", s(&vk)], vec!["verify", "--vk", s(&vk), "--proof", s(&proof)]] {
        let start = Instant::now();
        let o = zkpolicy(&args);
        assert_fails(
            &o,
            &["hostile.vk", "the model's circuit is too large", "constraints, above the limit of 1048573"],
        );
        // Building this circuit took seconds and most of a gigabyte; refusing it takes
        // a process start and a key decode (generous bound for a loaded test machine).
        assert!(start.elapsed() < Duration::from_secs(5), "{args:?} took {:?}", start.elapsed());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn setup_refuses_a_model_whose_key_no_verifier_could_load() {
    let dir = temp_dir("labels");
    let model = seed(SV, "simple_velocity.onnx");
    // A class label above the key decoder's 256-byte limit is refused at import.
    let long = format!("argmax:{},deny", "x".repeat(257));
    let o = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--decision", &long]);
    assert_fails(&o, &["class label 0 is 257 bytes long; at most 256 are allowed"]);
    assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
    // At the limit, the key is written and loads.
    let fits = format!("argmax:{},deny", "x".repeat(256));
    let o = zkpolicy(&["setup", s(&model), "--out-dir", s(&dir), "--decision", &fits]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = zkpolicy(&["inspect", s(&dir.join("simple_velocity.vk"))]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}
