//! End to end on the three seed policies: setup, prove and verify for the approve
//! and deny samples and for 20 test-set rows each, through the library and
//! through the `zkpolicy` binary; and rejection of proofs checked against another
//! model's key, another input or another output.

mod common;

use std::path::PathBuf;

use common::{s, zkpolicy};

use zkpolicy::fidelity::read_test_set;
use zkpolicy::input::read_input;
use zkpolicy::{load_onnx, ImportOptions};
use zkpolicy_core::frontend::model::Verdict;
use zkpolicy_core::frontend::visibility::InputVisibility;
use zkpolicy_core::policy::{self, PolicyError, PolicyProof, ProvingKey, VerifierKey};

const MODELS: [&str; 3] = ["simple_velocity", "whitelist", "business_hours"];

fn path(name: &str, file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "models", name, file].iter().collect()
}

/// Keys with the given input visibility (the CLI's syntax).
fn keys_with(name: &str, visibility: &str) -> (ProvingKey, VerifierKey) {
    let m = load_onnx(path(name, &format!("{name}.onnx")), &ImportOptions::default()).unwrap();
    let visibility = InputVisibility::parse(visibility, m.model.input_len).unwrap();
    policy::setup(&m.model, &visibility, &m.names).unwrap()
}

/// Keys with the default visibility: every input private.
fn keys(name: &str) -> (ProvingKey, VerifierKey) {
    keys_with(name, "all-private")
}

fn quantized(pk: &ProvingKey, real: &[f64]) -> Vec<i64> {
    pk.model().quantize(real).unwrap()
}

#[test]
fn seed_models_prove_and_verify_samples_and_test_rows() {
    for name in MODELS {
        let (pk, vk) = keys(name);
        // Keys survive their byte encoding; setup is deterministic.
        let vk = VerifierKey::from_bytes(&vk.to_bytes()).unwrap();
        assert_eq!(keys(name).1.to_bytes(), vk.to_bytes());
        for (file, expected) in [("approve.json", Verdict::Approve), ("deny.json", Verdict::Deny)] {
            let input = quantized(&pk, &read_input(path(name, file), &[]).unwrap());
            let proof = PolicyProof::from_bytes(&policy::prove(&pk, &input, None).unwrap().to_bytes()).unwrap();
            let v = policy::verify(&vk, &proof, None).unwrap();
            assert_eq!(v.verdict, expected, "{name} {file}");
        }
        // 20 rows spread over the test set; the proven decision is the evaluator's
        // and, on these sets, the label.
        let rows = read_test_set(path(name, "test.jsonl"), &[]).unwrap();
        for row in rows.iter().step_by(rows.len() / 20).take(20) {
            let input = quantized(&pk, &row.input);
            let proof = policy::prove(&pk, &input, None).unwrap();
            let v = policy::verify(&vk, &proof, None).unwrap();
            let trace = pk.model().eval(&input).unwrap();
            assert_eq!(v.outputs, trace.output());
            let approved = v.verdict == Verdict::Approve;
            assert_eq!(approved, row.label == 1, "{name}: row {:?}", row.input);
        }
    }
}

#[test]
fn proofs_do_not_transfer_between_models_inputs_or_outputs() {
    let (pk, vk) = keys_with("whitelist", "all-public");
    let (_, other_vk) = keys_with("business_hours", "all-public");
    let approve = quantized(&pk, &read_input(path("whitelist", "approve.json"), &[]).unwrap());
    let deny = quantized(&pk, &read_input(path("whitelist", "deny.json"), &[]).unwrap());
    let proof = policy::prove(&pk, &approve, None).unwrap();
    assert!(matches!(policy::verify(&other_vk, &proof, None), Err(PolicyError::WrongKey { .. })));
    let mut relabelled = proof.clone();
    relabelled.key_digest = other_vk.digest();
    assert!(policy::verify(&other_vk, &relabelled, None).is_err());
    // The deny request with the approve proof's logits: a different input.
    let mut swapped = proof.clone();
    swapped.input = deny.clone();
    assert!(matches!(policy::verify(&vk, &swapped, None), Err(PolicyError::Rejected(_))));
    // The approve request claiming the deny outcome: a different output.
    let deny_proof = policy::prove(&pk, &deny, None).unwrap();
    let mut flipped = proof.clone();
    flipped.logits = deny_proof.logits.clone();
    assert!(matches!(policy::verify(&vk, &flipped, None), Err(PolicyError::Rejected(_))));
}

#[test]
fn cli_setup_prove_verify_and_exit_codes() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let name = "business_hours";
    let (code, out, err) = zkpolicy(&["setup", s(&path(name, "business_hours.onnx")), "--out-dir", s(&dir), "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (pk, vk) = (dir.join("business_hours.pk"), dir.join("business_hours.vk"));
    assert_eq!(report["vk_digest"].as_str().unwrap().len(), 64);

    let proof = dir.join("approve.proof");
    let (code, out, err) = zkpolicy(&[
        "prove",
        "--pk",
        s(&pk),
        "--input",
        s(&path(name, "approve.json")),
        "--out",
        s(&proof),
        "--timings",
        "--verify",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("decision  approve") && out.contains("verified  VALID") && out.contains("prove (online) "),
        "{out}"
    );
    assert!(out.contains("precompute (offline) "), "{out}");

    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["valid"].as_bool(), v["decision"].as_str()), (Some(true), Some("approve")));
    // Default visibility: every input private, reported as null.
    assert!(report["visibility"].as_array().unwrap().iter().all(|x| x == "private"), "{report}");
    assert!(v["public_inputs"].as_array().unwrap().iter().all(|x| x.is_null()), "{v}");

    // --visibility: input 0 public, shown by verify; a bad spec is an error (exit 2).
    let mixed = dir.join("mixed");
    let (code, out, err) = zkpolicy(&[
        "setup",
        s(&path(name, "business_hours.onnx")),
        "--out-dir",
        s(&mixed),
        "--visibility",
        "public=0",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let mixed_report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(mixed_report["visibility"][0], "public");
    assert_ne!(mixed_report["vk_digest"], report["vk_digest"]);
    let mixed_proof = mixed.join("approve.proof");
    let (code, ..) = zkpolicy(&[
        "prove",
        "--pk",
        s(&mixed.join("business_hours.pk")),
        "--input",
        s(&path(name, "approve.json")),
        "--out",
        s(&mixed_proof),
    ]);
    assert_eq!(code, 0);
    let (code, out, _) =
        zkpolicy(&["verify", "--vk", s(&mixed.join("business_hours.vk")), "--proof", s(&mixed_proof), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["public_inputs"][0].is_number() && v["public_inputs"][1].is_null(), "{v}");
    let (code, _, err) = zkpolicy(&[
        "setup",
        s(&path(name, "business_hours.onnx")),
        "--out-dir",
        s(&mixed),
        "--visibility",
        "public=0..99",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("visibility"), "{err}");

    // The JSON transport form is detected by verify.
    let json_proof = dir.join("deny.proof.json");
    let (code, ..) = zkpolicy(&[
        "prove",
        "--pk",
        s(&pk),
        "--input",
        s(&path(name, "deny.json")),
        "--out",
        s(&json_proof),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&json_proof)]);
    assert_eq!(code, 0);
    assert!(out.starts_with("VALID") && out.contains("decision  deny"), "{out}");

    // A flipped byte: exit 1 with a reason.
    let mut bytes = std::fs::read(&proof).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    let bad = dir.join("bad.proof");
    std::fs::write(&bad, &bytes).unwrap();
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&bad)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("INVALID: "), "{out}");
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&bad), "--json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["valid"].as_bool(), v["code"].as_str()), (Some(false), Some("REJECTED")), "{v}");
    assert!(v["reason"].as_str().unwrap().starts_with("proof rejected: "), "{v}");
    assert_eq!(v["vk_digest"], report["vk_digest"]);
    assert_eq!(v["model"]["name"], name);
    // Not a proof at all: still an invalid proof (exit 1), with the reason.
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&vk)]);
    assert_eq!(code, 1);
    assert!(out.contains("magic"), "{out}");
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&vk), "--json"]);
    assert_eq!(code, 1);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["code"], "WRONG_FILE_KIND", "{out}");
    // A missing file or a broken key: exit 2 (a broken key is reported with --json).
    let (code, ..) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&dir.join("missing.proof"))]);
    assert_eq!(code, 2);
    let (code, out, err) = zkpolicy(&["verify", "--vk", s(&proof), "--proof", s(&proof)]);
    assert_eq!(code, 2);
    assert!(err.contains("malformed key") && out.is_empty(), "{out}{err}");
    let (code, out, err) = zkpolicy(&["verify", "--vk", s(&proof), "--proof", s(&proof), "--json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["valid"].as_bool(), v["code"].as_str()), (Some(false), Some("WRONG_FILE_KIND")), "{v}");
    assert!(v["vk_digest"].is_null() && v.get("model").is_none(), "{v}");
    assert!(err.contains(v["reason"].as_str().unwrap()), "{err}");
    let (code, ..) = zkpolicy(&["prove", "--pk", s(&vk), "--input", s(&path(name, "approve.json"))]);
    assert_eq!(code, 2);
    // inspect reads keys and proofs by their magic bytes.
    for (file, kind) in [(&vk, "key"), (&pk, "key"), (&proof, "binary"), (&json_proof, "json")] {
        let (code, out, err) = zkpolicy(&["inspect", s(file), "--json"]);
        assert_eq!(code, 0, "{err}");
        let r: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(r["valid"], true);
        assert_eq!(r["vk_digest"], report["vk_digest"], "{}", file.display());
        assert_eq!(r["format_version"], zkpolicy_core::snark::encoding::FORMAT_VERSION);
        match kind {
            "key" => assert!(r["num_constraints"].as_u64().unwrap() > 0 && r["model"]["name"] == name, "{r}"),
            encoding => assert_eq!(r["encoding"], encoding, "{r}"),
        }
    }
    let (code, _, err) = zkpolicy(&["inspect", s(&path(name, "approve.json"))]);
    assert_eq!(code, 2);
    assert!(err.contains("expected .onnx") && err.contains("not a zkpolicy proof"), "{err}");
    let garbage = dir.join("garbage.bin");
    std::fs::write(&garbage, b"not a zkpolicy file").unwrap();
    let (code, _, err) = zkpolicy(&["inspect", s(&garbage)]);
    assert_eq!(code, 2);
    assert!(err.contains("expected .onnx") && err.contains("unknown magic"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_committed_inputs_issuer_to_verifier() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-e2e-commit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let name = "simple_velocity";
    let onnx = path(name, "simple_velocity.onnx");
    let (code, out, err) = zkpolicy(&["setup", s(&onnx), "--out-dir", s(&dir), "--visibility", "public=0,committed=1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 public, 3 private, 1 committed"), "{out}");
    let (pk, vk) = (dir.join("simple_velocity.pk"), dir.join("simple_velocity.vk"));
    // The issuer commits; the prover proves with the issued blinds.
    let openings = dir.join("openings.json");
    let approve = path(name, "approve.json");
    let (code, out, err) = zkpolicy(&["commit", "--vk", s(&vk), "--input", s(&approve), "--out", s(&openings)]);
    assert_eq!(code, 0, "{out}{err}");
    let issued: serde_json::Value = serde_json::from_str(&out).unwrap();
    let commitment = issued["committed"][0]["commitment"].as_str().unwrap().to_owned();
    assert_eq!(issued["committed"][0]["input"], 1);
    let proof = dir.join("approve.proof");
    let (code, out, err) =
        zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&approve), "--blinds", s(&openings), "--out", s(&proof)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.is_empty(), "{err}");
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["input_commitments"][1].as_str(), Some(commitment.as_str()), "{v}");
    assert!(v["input_commitments"][0].is_null() && v["input_commitments"][2].is_null(), "{v}");
    assert_eq!(v["input_visibility"][1], "committed");
    // Openings for another value are refused before proving (exit 2) ...
    let (code, _, err) =
        zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&path(name, "deny.json")), "--blinds", s(&openings)]);
    assert_eq!(code, 2);
    assert!(err.contains("commits to"), "{err}");
    // Openings files that do not fit the key or do not open are refused (exit 2).
    let original: serde_json::Value = serde_json::from_slice(&std::fs::read(&openings).unwrap()).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit); 4] = [
        ("for key", |o| o["vk_digest"] = "00".repeat(32).into()),
        ("the key commits to inputs", |o| o["committed"][0]["input"] = 2.into()),
        ("blind", |o| o["committed"][0]["blind"] = "zz".into()),
        ("does not match", |o| o["committed"][0]["commitment"] = "00".repeat(32).into()),
    ];
    for (expected, tamper) in cases {
        let mut bad = original.clone();
        tamper(&mut bad);
        let bad_path = dir.join("bad-openings.json");
        std::fs::write(&bad_path, serde_json::to_vec(&bad).unwrap()).unwrap();
        let (code, _, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&approve), "--blinds", s(&bad_path)]);
        assert_eq!(code, 2, "{expected}: {err}");
        assert!(err.contains(expected), "{expected}: {err}");
    }
    // ... and without openings the blinds are fresh (warned about unless saved).
    let saved = dir.join("saved.json");
    let (code, _, err) =
        zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&approve), "--out", s(&proof), "--blinds-out", s(&saved)]);
    assert_eq!(code, 0, "{err}");
    let fresh: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_ne!(fresh["committed"][0]["commitment"].as_str(), Some(commitment.as_str()));
    let (code, _, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&approve), "--out", s(&proof)]);
    assert_eq!(code, 0);
    assert!(err.contains("--blinds-out"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--context`: a proof bound to a request verifies only with the same context,
/// given as hex or as a file; `inspect` shows the binding; bad contexts are usage errors.
#[test]
fn cli_context_binding() {
    let dir = std::env::temp_dir().join(format!("zkpolicy-e2e-context-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let name = "simple_velocity";
    let (code, out, err) = zkpolicy(&["setup", s(&path(name, "simple_velocity.onnx")), "--out-dir", s(&dir)]);
    assert_eq!(code, 0, "{out}{err}");
    let (pk, vk) = (dir.join("simple_velocity.pk"), dir.join("simple_velocity.vk"));
    let ctx_file = dir.join("payment.bin");
    std::fs::write(&ctx_file, b"payment #7").unwrap();
    let ctx_hex: String = b"payment #7".iter().map(|b| format!("{b:02x}")).collect();
    let at_file = format!("@{}", s(&ctx_file));

    let proof = dir.join("bound.proof");
    let input = path(name, "approve.json");
    let (code, out, err) =
        zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&proof), "--context", &at_file]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("context   bound (digest "), "{out}");
    // The same bytes as hex (with and without 0x) or from the file: valid.
    for ctx in [ctx_hex.clone(), format!("0x{ctx_hex}"), at_file.clone()] {
        let (code, out, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--context", &ctx]);
        assert_eq!(code, 0, "{ctx}: {out}{err}");
        assert!(out.starts_with("VALID") && out.contains("context   bound"), "{out}");
    }
    // Another context, or none: invalid (exit 1), and the reason names the context.
    for extra in [&["--context", "00"][..], &[]] {
        let mut args = vec!["verify", "--vk", s(&vk), "--proof", s(&proof)];
        args.extend_from_slice(extra);
        let (code, out, _) = zkpolicy(&args);
        assert_eq!(code, 1, "{extra:?}: {out}");
        assert!(out.contains("INVALID") && out.contains("wrong context"), "{out}");
    }
    // An unbound proof is invalid where a context is required; inspect shows both.
    let unbound = dir.join("unbound.proof");
    let (code, out, err) = zkpolicy(&["prove", "--pk", s(&pk), "--input", s(&input), "--out", s(&unbound)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("context   none"), "{out}");
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&unbound), "--context", &ctx_hex]);
    assert_eq!(code, 1, "{out}");
    let (code, out, _) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&unbound), "--json"]);
    assert_eq!(code, 0, "{out}");
    assert!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["context_digest"].is_null(), "{out}");
    let (_, out, _) = zkpolicy(&["inspect", s(&proof)]);
    assert!(out.contains("bound to a request context, digest"), "{out}");
    let (_, out, _) = zkpolicy(&["inspect", s(&unbound)]);
    assert!(out.contains("context      none"), "{out}");
    // Malformed contexts are usage errors (exit 2), before any work.
    for bad in ["", "0x", "abc", "zz", "+1", "@"] {
        let (code, _, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--context", bad]);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(err.contains("--context") && !err.contains("panicked"), "{bad:?}: {err}");
    }
    let missing = format!("@{}", s(&dir.join("missing.bin")));
    let (code, _, err) = zkpolicy(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--context", &missing]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.bin"), "{err}");
}
