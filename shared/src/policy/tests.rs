//! End-to-end tests of the policy layer on small hand-made models: completeness,
//! byte formats, and rejection of every kind of tampering.

use super::files::{detect, FileKind};
use super::*;
use crate::model::{Decision, Layer};

/// A 3 → 4 (ReLU) → 1 (Sigmoid) model at scale 2^8 that approves when the first
/// input outweighs the others.
fn model(bias_shift: i64) -> Model {
    Model {
        name: "tiny".into(),
        scale_bits: 8,
        input_len: 3,
        input_bound: 1 << 12,
        layers: vec![
            Layer::Dense {
                in_dim: 3,
                out_dim: 4,
                weights: vec![256, -128, -128, -256, 256, 0, 64, 64, 64, 0, 0, -300],
                bias: vec![0, 1 << 14, -(1 << 10), 5 + bias_shift],
            },
            Layer::Relu,
            Layer::Dense { in_dim: 4, out_dim: 1, weights: vec![512, -512, 100, -7], bias: vec![-(1 << 12)] },
            Layer::Sigmoid,
        ],
        decision: Decision::Threshold { index: 0, threshold: 128 },
    }
}

const APPROVE: [i64; 3] = [256, 0, 10];
const DENY: [i64; 3] = [0, 256, 256];

fn keys() -> (ProvingKey, VerifierKey) {
    setup(&model(0)).unwrap()
}

#[test]
fn proves_and_verifies_both_decisions() {
    let (pk, vk) = keys();
    for (input, expected) in [(APPROVE, Verdict::Approve), (DENY, Verdict::Deny)] {
        let proof = prove(&pk, &input).unwrap();
        let v = verify(&vk, &proof).unwrap();
        assert_eq!(v.verdict, expected);
        let trace = vk.model().eval(&input).unwrap();
        assert_eq!(v.outputs, trace.output());
        assert_eq!(v.logits, trace.logits());
        assert_eq!(v.input, input);
    }
}

#[test]
fn keys_and_proofs_roundtrip_through_bytes_and_json() {
    let (pk, vk) = keys();
    let pk2 = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
    let vk2 = VerifierKey::from_bytes(&vk.to_bytes()).unwrap();
    assert_eq!(vk2.digest(), vk.digest());
    assert_eq!(detect(&vk.to_bytes()), Some(FileKind::VerifierKey));
    assert_eq!(detect(&pk.to_bytes()), Some(FileKind::ProvingKey));
    // Setup is deterministic.
    assert_eq!(keys().1.to_bytes(), vk.to_bytes());
    let proof = prove(&pk2, &APPROVE).unwrap();
    let bytes = proof.to_bytes();
    assert_eq!(detect(&bytes), Some(FileKind::Proof));
    assert_eq!(PolicyProof::from_bytes(&bytes).unwrap(), proof);
    let json = proof.to_json();
    assert_eq!(detect(json.as_bytes()), Some(FileKind::JsonProof));
    assert_eq!(PolicyProof::from_any(json.as_bytes()).unwrap(), proof);
    assert_eq!(verify(&vk2, &PolicyProof::from_any(&bytes).unwrap()).unwrap().verdict, Verdict::Approve);
}

#[test]
fn every_byte_flip_of_a_proof_is_rejected() {
    let (pk, vk) = keys();
    let bytes = prove(&pk, &APPROVE).unwrap().to_bytes();
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01 << (i % 8);
        let result = PolicyProof::from_bytes(&b).and_then(|p| verify(&vk, &p));
        let err = result.expect_err(&format!("flip at byte {i} accepted"));
        assert!(err.is_rejection(), "byte {i}: {err} is not a rejection");
    }
}

#[test]
fn truncated_and_extended_proofs_are_rejected() {
    let (pk, vk) = keys();
    let bytes = prove(&pk, &APPROVE).unwrap().to_bytes();
    for n in 0..bytes.len() {
        assert!(PolicyProof::from_bytes(&bytes[..n]).is_err(), "prefix {n} accepted");
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(PolicyProof::from_bytes(&long), Err(PolicyError::ProofFormat(FormatError::TrailingBytes { .. }))));
    assert!(verify(&vk, &PolicyProof::from_bytes(&bytes).unwrap()).is_ok());
}

#[test]
fn changed_public_values_are_rejected() {
    let (pk, vk) = keys();
    let proof = prove(&pk, &APPROVE).unwrap();
    // Another input, or another output, with the same SNARK.
    let mut p = proof.clone();
    p.input[1] += 1;
    assert!(matches!(verify(&vk, &p), Err(PolicyError::Rejected(_))));
    let mut p = proof.clone();
    p.logits[0] -= 1;
    assert!(matches!(verify(&vk, &p), Err(PolicyError::Rejected(_))));
    // Claiming the deny input's logits for the approve input.
    let deny = prove(&pk, &DENY).unwrap();
    let mut p = proof.clone();
    p.logits = deny.logits.clone();
    assert!(verify(&vk, &p).is_err());
    // Wrong lengths and out-of-range inputs never reach the SNARK.
    let mut p = proof.clone();
    p.input.push(0);
    assert!(matches!(verify(&vk, &p), Err(PolicyError::PublicValues(_))));
    let mut p = proof.clone();
    p.logits.clear();
    assert!(matches!(verify(&vk, &p), Err(PolicyError::PublicValues(_))));
    let mut p = proof.clone();
    p.input[0] = (1 << 12) + 1;
    assert!(matches!(verify(&vk, &p), Err(PolicyError::PublicValues(_))));
}

#[test]
fn a_proof_for_another_key_is_rejected() {
    let (pk, _) = keys();
    let (_, other_vk) = setup(&model(1)).unwrap();
    let mut proof = prove(&pk, &APPROVE).unwrap();
    assert!(matches!(verify(&other_vk, &proof), Err(PolicyError::WrongKey { .. })));
    // Relabelling the proof with the other key's digest does not help: the digest
    // is the first thing the transcript absorbs.
    proof.key_digest = other_vk.digest();
    assert!(matches!(verify(&other_vk, &proof), Err(PolicyError::Rejected(_))));
}

#[test]
fn malformed_keys_are_errors_not_panics() {
    let (pk, vk) = keys();
    let vk_bytes = vk.to_bytes();
    for n in 0..vk_bytes.len() {
        assert!(VerifierKey::from_bytes(&vk_bytes[..n]).is_err());
    }
    for i in 0..vk_bytes.len() {
        let mut b = vk_bytes.clone();
        b[i] ^= 0x80;
        // Either rejected, or a different key (a changed weight is another model).
        if let Ok(k) = VerifierKey::from_bytes(&b) {
            assert_ne!(k.digest(), vk.digest());
        }
    }
    // A proving key is not a verifier key and vice versa.
    assert!(matches!(VerifierKey::from_bytes(&pk.to_bytes()), Err(PolicyError::KeyFormat(FormatError::BadMagic { .. }))));
    assert!(matches!(ProvingKey::from_bytes(&vk_bytes), Err(PolicyError::KeyFormat(FormatError::BadMagic { .. }))));
    let mut future = vk_bytes.clone();
    future[4] = 99;
    assert!(matches!(VerifierKey::from_bytes(&future), Err(PolicyError::KeyFormat(FormatError::UnsupportedVersion { .. }))));
}

#[test]
fn json_transport_rejects_inconsistent_documents() {
    let (pk, _) = keys();
    let proof = prove(&pk, &APPROVE).unwrap();
    let json = proof.to_json();
    let other = "0".repeat(64);
    let cases = [
        json.replace(&hex_digest(&proof.key_digest), &other),
        json.replace("zkpolicy-proof", "something-else"),
        json.replace("\"version\": 1", "\"version\": 2"),
        json.replace("\"proof\": \"", "\"proof\": \"AAAA"),
        json.replace('}', ", \"extra\": 1}"),
        "{".to_owned(),
        "{}".to_owned(),
    ];
    for text in cases {
        assert!(PolicyProof::from_any(text.as_bytes()).is_err(), "accepted: {text}");
    }
    assert_eq!(detect(b"hello world"), None);
}

#[test]
fn oversized_models_are_refused_before_their_circuit_is_built() {
    let (in_dim, out_dim) = (2048, (MAX_KEY_PARAMS / 2048) + 1);
    let huge = Model {
        name: "huge".into(),
        scale_bits: 8,
        input_len: in_dim,
        input_bound: 1 << 8,
        layers: vec![Layer::Dense { in_dim, out_dim, weights: vec![0; in_dim * out_dim], bias: vec![0; out_dim] }],
        decision: Decision::ArgMax { labels: vec![] },
    };
    let too_large = |r: Result<_, PolicyError>| matches!(r, Err(PolicyError::KeyFormat(FormatError::TooLarge { .. })));
    assert!(too_large(setup(&huge).map(|_| ())));
    let mut file = Vec::new();
    crate::encoding::write_header(&mut file, files::VK_MAGIC);
    let model_bytes = crate::model::codec::encode(&huge);
    file.extend_from_slice(&(model_bytes.len() as u32).to_le_bytes());
    file.extend_from_slice(&model_bytes);
    assert!(too_large(VerifierKey::from_bytes(&file).map(|_| ())));
}

#[test]
fn a_witness_that_breaks_a_constraint_is_named_by_layer_and_neuron() {
    let (pk, _) = keys();
    let mut a = pk.assign(&APPROVE).unwrap();
    // Corrupt one bit of some decomposition: the proof is refused before proving,
    // with the circuit's label for the failing row.
    let i = a.witness.iter().position(|w| *w == ark_bn254::Fr::from(1u64)).unwrap();
    a.witness[i] = ark_bn254::Fr::from(2u64);
    match pk.prove_assignment(&a) {
        Err(PolicyError::Circuit(CircuitError::Unsatisfied { label, .. })) => assert!(label.to_string().starts_with("layer ")),
        other => panic!("expected a labelled unsatisfied constraint, got {other:?}"),
    }
}
