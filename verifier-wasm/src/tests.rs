//! Native tests of the plain-Rust core of the wasm verifier, on keys and proofs made
//! here with the core's prover: each kind of result with its code, and the reason
//! text of the native error.

use zkpolicy_core::frontend::model::{Decision, Layer, Model};
use zkpolicy_core::frontend::visibility::{InputVisibility, Visibility};
use zkpolicy_core::policy::report::{ErrorCode, ProofEncoding, VerifyReport};
use zkpolicy_core::policy::{self, hex_digest, PolicyProof, ProvingKey, VerifierKey};
use zkpolicy_core::snark::encoding::FORMAT_VERSION;

use super::{check, inspect_key, inspect_proof, LoadedKey, ProofInput};
use zkpolicy_core::policy::DECODE_PROOF_PHASE;

/// 2 inputs → Dense → Sigmoid at scale 2^8: approves when input 0 exceeds input 1.
fn model() -> Model {
    Model {
        scale_bits: 8,
        input_len: 2,
        input_bound: 1 << 10,
        input_domains: Default::default(),
        layers: vec![Layer::Dense { in_dim: 2, out_dim: 1, weights: vec![256, -256], bias: vec![0] }, Layer::Sigmoid],
        decision: Decision::Threshold { index: 0, threshold: 128 },
    }
}

/// 2.0 and 1.0: approved.
const APPROVE: [i64; 2] = [512, 256];
/// 1.0 and 2.0: denied.
const DENY: [i64; 2] = [256, 512];
const CONTEXT: &[u8] = b"payment #1";

/// Input 0 public, input 1 committed; the policy called `name`, its inputs `name_0`
/// and `name_1` (the input names, unlike the policy's name, make the key).
fn keys(name: &str) -> (ProvingKey, VerifierKey) {
    let inputs = policy::InputNames::new(vec![format!("{name}_0"), format!("{name}_1")], vec![None, None]).unwrap();
    let names = policy::Names { policy: name.into(), inputs };
    policy::setup(&model(), &InputVisibility::parse("public=0,committed=1", 2).unwrap(), &names).unwrap()
}

/// A verifier key's bytes and an approved proof's bytes (bound to `context`).
fn files(context: Option<&[u8]>) -> (Vec<u8>, PolicyProof) {
    let (pk, vk) = keys("tiny");
    (vk.to_bytes(), policy::prove(&pk, &APPROVE, context).unwrap())
}

/// Checks `proof` against `vk`; asserts that it is rejected with `code`.
fn rejected(proof: ProofInput<'_>, vk: &[u8], context: Option<&[u8]>, code: ErrorCode) -> String {
    let r = check(proof, vk, context);
    assert!(!r.valid, "accepted, expected {code:?}");
    assert_eq!(r.code, Some(code), "{:?}", r.reason);
    assert!(r.decision.is_none() && r.outputs.is_empty() && r.public_inputs.is_empty() && r.logits.is_none());
    r.reason.unwrap()
}

#[test]
fn valid_proofs_verify_in_both_forms() {
    let (pk, vk) = keys("tiny");
    let vk_bytes = vk.to_bytes();
    for (input, decision) in [(APPROVE, "approve"), (DENY, "deny")] {
        let proof = policy::prove(&pk, &input, None).unwrap();
        let json = proof.to_json();
        let r = check(ProofInput::Bytes(&proof.to_bytes()), &vk_bytes, None);
        assert!(r.valid, "{:?}", r.reason);
        assert_eq!((r.reason.as_deref(), r.code), (None, None));
        assert_eq!(r.decision.as_deref(), Some(decision));
        assert_eq!(r.public_inputs, vec![Some(input[0] as f64 / 256.0), None]);
        assert_eq!(r.input_visibility, [Visibility::Public, Visibility::Committed]);
        assert!(r.input_commitments[0].is_none() && r.input_commitments[1].as_ref().is_some_and(|c| c.len() == 64));
        assert_eq!(r.vk_digest, Some(hex_digest(&vk.digest())));
        assert_eq!(r.context_digest, None);
        assert_eq!(r.model.as_ref().map(|m| m.name.as_str()), Some("tiny"));
        assert_eq!(check(ProofInput::Json(&json), &vk_bytes, None), r);
        assert_eq!(check(ProofInput::Bytes(json.as_bytes()), &vk_bytes, None), r);
        // A key loaded once gives the same results.
        assert_eq!(LoadedKey::load(&vk_bytes).check(ProofInput::Json(&json), None), r);
    }
}

#[test]
fn tampered_proofs_are_rejected() {
    let (vk, proof) = files(None);
    let mut altered = proof.clone();
    altered.logits[0] += 1;
    rejected(ProofInput::Bytes(&altered.to_bytes()), &vk, None, ErrorCode::Rejected);
    altered.logits.push(0);
    rejected(ProofInput::Bytes(&altered.to_bytes()), &vk, None, ErrorCode::PublicValues);
    let bytes = proof.to_bytes();
    let reason = rejected(ProofInput::Bytes(&bytes[..bytes.len() - 1]), &vk, None, ErrorCode::MalformedProof);
    assert!(reason.starts_with("malformed proof: "), "{reason}");
    let reason = rejected(ProofInput::Json("{\"format\": 1}"), &vk, None, ErrorCode::MalformedProof);
    assert_eq!(reason, "malformed proof: invalid JSON proof document");
}

/// `check_with_phases` on `proof`: its report, which must be `check`'s, and the phases
/// it named, which must be a prefix of all of them in order.
fn phased(key: &LoadedKey, proof: ProofInput<'_>, context: Option<&[u8]>) -> (VerifyReport, Vec<&'static str>) {
    let mut phases = Vec::new();
    let report = key.check_with_phases(proof, context, &mut |phase| phases.push(phase));
    let all: Vec<_> = std::iter::once(DECODE_PROOF_PHASE).chain(policy::VerifyPhase::all().map(|p| p.name())).collect();
    assert_eq!(phases, all[..phases.len()], "phases out of order");
    assert_eq!(report.valid, phases.len() == all.len(), "{phases:?} for {report:?}");
    (report, phases)
}

#[test]
fn verification_phases_are_named_in_order_and_change_nothing() {
    let (vk, proof) = files(Some(CONTEXT));
    let key = LoadedKey::load(&vk);
    let bytes = proof.to_bytes();
    let (valid, phases) = phased(&key, ProofInput::Bytes(&bytes), Some(CONTEXT));
    assert!(valid.valid, "{:?}", valid.reason);
    assert_eq!(valid, key.check(ProofInput::Bytes(&bytes), Some(CONTEXT)));
    assert_eq!(phases.len(), 1 + policy::VerifyPhase::all().count());
    // Rejected by the core: decoded, then stopped in the public values.
    let (wrong_context, phases) = phased(&key, ProofInput::Bytes(&bytes), None);
    assert_eq!((wrong_context.code, phases), (Some(ErrorCode::WrongContext), vec![DECODE_PROOF_PHASE]));
    // Bytes that do not decode: no phase at all.
    let (malformed, phases) = phased(&key, ProofInput::Bytes(&bytes[..bytes.len() - 1]), Some(CONTEXT));
    assert_eq!((malformed.code, phases), (Some(ErrorCode::MalformedProof), vec![]));
    // A key that does not decode: no phase either, its rejection.
    let (bad_key, phases) = phased(&LoadedKey::load(&vk[1..]), ProofInput::Bytes(&bytes), Some(CONTEXT));
    assert_eq!((bad_key.code, phases), (check(ProofInput::Bytes(&bytes), &vk[1..], None).code, vec![]));
}

#[test]
fn a_proof_for_another_key_is_wrong_key() {
    let (vk, proof) = files(None);
    let (_, other) = keys("other");
    let reason = rejected(ProofInput::Bytes(&proof.to_bytes()), &other.to_bytes(), None, ErrorCode::WrongKey);
    assert_eq!(reason, policy::verify(&other, &proof, None).unwrap_err().to_string(), "the native reason");
    // The key decoded: its digest, visibility and model are reported.
    let r = check(ProofInput::Bytes(&proof.to_bytes()), &other.to_bytes(), None);
    assert_eq!(r.vk_digest, Some(hex_digest(&other.digest())));
    assert_eq!(r.model.map(|m| m.name), Some("other".to_owned()));
    assert_eq!(r.input_visibility.len(), 2);
    assert_ne!(VerifierKey::from_bytes(&vk).unwrap().digest(), other.digest());
}

#[test]
fn a_proof_for_another_context_is_wrong_context() {
    let (vk, bound) = files(Some(CONTEXT));
    let bytes = bound.to_bytes();
    let r = check(ProofInput::Bytes(&bytes), &vk, Some(CONTEXT));
    assert!(r.valid, "{:?}", r.reason);
    assert_eq!(r.context_digest, Some(hex_digest(&policy::context_digest(CONTEXT))));
    let reason = rejected(ProofInput::Bytes(&bytes), &vk, None, ErrorCode::WrongContext);
    assert!(reason.contains("but none was given"), "{reason}");
    rejected(ProofInput::Bytes(&bytes), &vk, Some(b"payment #2"), ErrorCode::WrongContext);
    let (_, unbound) = files(None);
    rejected(ProofInput::Bytes(&unbound.to_bytes()), &vk, Some(CONTEXT), ErrorCode::WrongContext);
}

#[test]
fn foreign_and_misplaced_files() {
    let (vk, proof) = files(None);
    let proof = proof.to_bytes();
    for garbage in [&b""[..], b"not a zkpolicy file", b"PK\x03\x04 a zip archive"] {
        rejected(ProofInput::Bytes(garbage), &vk, None, ErrorCode::NotZkpolicy);
        let reason = rejected(ProofInput::Bytes(&proof), garbage, None, ErrorCode::NotZkpolicy);
        assert!(reason.starts_with("malformed key: "), "{reason}");
        assert_eq!(inspect_key(garbage).code, Some(ErrorCode::NotZkpolicy));
        assert_eq!(inspect_proof(ProofInput::Bytes(garbage)).code, Some(ErrorCode::NotZkpolicy));
    }
    // Swapped arguments, and a proving key in either place.
    let (pk, _) = keys("tiny");
    let pk = pk.to_bytes();
    rejected(ProofInput::Bytes(&vk), &proof, None, ErrorCode::WrongFileKind);
    rejected(ProofInput::Bytes(&proof), &proof, None, ErrorCode::WrongFileKind);
    rejected(ProofInput::Bytes(&vk), &vk, None, ErrorCode::WrongFileKind);
    rejected(ProofInput::Bytes(&proof), &pk, None, ErrorCode::WrongFileKind);
    rejected(ProofInput::Bytes(&pk), &vk, None, ErrorCode::WrongFileKind);
    assert_eq!(inspect_key(&proof).code, Some(ErrorCode::WrongFileKind));
    assert_eq!(inspect_proof(ProofInput::Bytes(&vk)).code, Some(ErrorCode::WrongFileKind));
}

#[test]
fn other_format_versions_are_unsupported() {
    let (vk, proof) = files(None);
    let mut future_proof = proof.to_bytes();
    future_proof[4] ^= 0x40;
    let reason = rejected(ProofInput::Bytes(&future_proof), &vk, None, ErrorCode::UnsupportedVersion);
    assert_eq!(reason, PolicyProof::from_bytes(&future_proof).unwrap_err().to_string(), "the native reason");
    let (current, next) = (FORMAT_VERSION, FORMAT_VERSION + 1);
    let json = proof.to_json().replace(&format!("\"version\": {current}"), &format!("\"version\": {next}"));
    assert_ne!(json, proof.to_json(), "the JSON proof names its version");
    rejected(ProofInput::Json(&json), &vk, None, ErrorCode::UnsupportedVersion);
    let mut future_key = vk.clone();
    future_key[4] ^= 0x40;
    let r = check(ProofInput::Bytes(&proof.to_bytes()), &future_key, None);
    assert_eq!(r.code, Some(ErrorCode::UnsupportedVersion));
    // The key's fault: nothing of it is reported.
    assert!(r.vk_digest.is_none() && r.model.is_none() && r.input_visibility.is_empty());
    assert_eq!(LoadedKey::load(&future_key).inspect(), inspect_key(&future_key));
    assert_eq!(inspect_key(&vk[..vk.len() - 1]).code, Some(ErrorCode::MalformedKey));
}

#[test]
fn inspections_describe_keys_and_proofs() {
    let (pk, vk) = keys("tiny");
    let k = inspect_key(&vk.to_bytes());
    assert!(k.valid);
    assert_eq!(k.vk_digest, Some(hex_digest(&vk.digest())));
    assert_eq!((k.num_constraints, k.num_witness), (Some(vk.num_constraints()), Some(vk.num_witness())));
    let proof = policy::prove(&pk, &APPROVE, Some(CONTEXT)).unwrap();
    let json = proof.to_json();
    for (input, encoding) in [
        (ProofInput::Bytes(&proof.to_bytes()), ProofEncoding::Binary),
        (ProofInput::Bytes(json.as_bytes()), ProofEncoding::Json),
        (ProofInput::Json(&json), ProofEncoding::Json),
    ] {
        let p = inspect_proof(input);
        assert_eq!(p.encoding, Some(encoding));
        assert_eq!(p.vk_digest, k.vk_digest);
        assert_eq!(p.context_digest, Some(hex_digest(&policy::context_digest(CONTEXT))));
        assert_eq!((p.quantized_input.as_slice(), p.size_bytes), (&APPROVE[..1], Some(proof.to_bytes().len())));
    }
}
