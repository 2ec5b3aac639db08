//! End-to-end tests of the policy layer on small hand-made models: completeness,
//! byte formats, rejection of every kind of tampering (with private inputs), and
//! the zero-knowledge properties visible from outside.

use super::files::{detect, FileKind};
use super::report::{ErrorCode, KeyReport, ProofEncoding, ProofReport, Rejection, Step, VerifyReport};
use super::*;
use crate::frontend::circuit::CircuitError;
use crate::frontend::model::{Decision, Layer};
use crate::frontend::visibility::{InputVisibility, Visibility};
use crate::snark::encoding::FORMAT_VERSION;
use crate::snark::error::{FormatError, ProveError};
use rand::{rngs::StdRng, SeedableRng};

/// A 3 → 4 (ReLU) → 1 (Sigmoid) model at scale 2^8 that approves when the first
/// input outweighs the others.
pub(super) fn model(bias_shift: i64) -> Model {
    Model {
        scale_bits: 8,
        input_len: 3,
        input_bound: 1 << 12,
        input_domains: Default::default(),
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

pub(super) const APPROVE: [i64; 3] = [256, 0, 10];
const DENY: [i64; 3] = [0, 256, 256];

/// Input 0 public, inputs 1 and 2 private: every soundness test runs with private inputs.
fn mixed() -> InputVisibility {
    InputVisibility::parse("public=0", 3).unwrap()
}

fn keys() -> (ProvingKey, VerifierKey) {
    setup(&model(0), &mixed(), &Names::indexed("test", model(0).input_len)).unwrap()
}

/// Names for `model(…)`: the policy called `policy`, its inputs `names` with units.
fn names(policy: &str, inputs: [&str; 3]) -> Names {
    let units = vec![Some("USD".to_owned()), None, Some("h".to_owned())];
    Names { policy: policy.into(), inputs: InputNames::new(inputs.map(String::from).to_vec(), units).unwrap() }
}

#[test]
fn the_digest_pins_the_input_names_but_not_the_policy_name() {
    let digest = |n: &Names| setup(&model(0), &mixed(), n).unwrap().1.digest();
    let base = names("velocity", ["amount", "balance", "hour"]);
    // Another policy name (another ONNX file name): the same key digest.
    assert_eq!(digest(&base), digest(&names("renamed-copy", ["amount", "balance", "hour"])));
    // Other input names, or other units: another key.
    assert_ne!(digest(&base), digest(&names("velocity", ["balance", "amount", "hour"])));
    let mut other_units = base.clone();
    other_units.inputs = InputNames::new(base.inputs.names().to_vec(), vec![None; 3]).unwrap();
    assert_ne!(digest(&base), digest(&other_units));

    // The names survive the key files, and a proof made with one policy name verifies
    // under the other's key; the report shows the key's names.
    let (pk, vk) = setup(&model(0), &mixed(), &base).unwrap();
    let renamed = VerifierKey::from_bytes(
        &setup(&model(0), &mixed(), &names("x", ["amount", "balance", "hour"])).unwrap().1.to_bytes(),
    )
    .unwrap();
    assert_eq!(renamed.names().policy, "x");
    let reloaded = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
    assert_eq!(reloaded.verifier_key().names(), &base);
    let proof = prove(&reloaded, &APPROVE, None).unwrap();
    assert_eq!(verify(&renamed, &proof, None).unwrap().verdict, Verdict::Approve);
    let report = VerifyReport::check(&vk, Ok(proof), None);
    assert_eq!(report.input_names, ["amount", "balance", "hour"]);
    assert_eq!(report.input_units, [Some("USD".to_owned()), None, Some("h".to_owned())]);
    assert_eq!(report.model.unwrap().name, "velocity");
    assert_eq!(KeyReport::new(&vk).input_names, ["amount", "balance", "hour"]);

    // Names that do not fit the model, and a policy name too long for a key file.
    assert!(matches!(
        setup(&model(0), &mixed(), &Names::indexed("p", 2)),
        Err(PolicyError::InputNames(InputNamesError::Count { got: 2, inputs: 3, .. }))
    ));
    let long = Names::indexed(&"p".repeat(files::MAX_POLICY_NAME + 1), 3);
    assert!(matches!(setup(&model(0), &mixed(), &long), Err(PolicyError::KeyFormat(FormatError::TooLarge { .. }))));
}

#[test]
fn the_profile_is_part_of_the_key_and_fixes_the_proofs_rows() {
    let n = Names::indexed("test", 3);
    let (small_pk, small_vk) = setup(&model(0), &mixed(), &n).unwrap();
    let (fast_pk, fast_vk) = setup_with_profile(&model(0), &mixed(), &n, Profile::Fast).unwrap();
    assert_eq!(small_vk.profile(), Profile::Small);
    assert_ne!(small_vk.digest(), fast_vk.digest(), "the digest pins the profile");
    // The profile survives both key files.
    let fast_pk = ProvingKey::from_bytes(&fast_pk.to_bytes()).unwrap();
    let fast_vk = VerifierKey::from_bytes(&fast_vk.to_bytes()).unwrap();
    assert_eq!((fast_pk.verifier_key().profile(), fast_vk.profile()), (Profile::Fast, Profile::Fast));
    assert_eq!(KeyReport::new(&fast_vk).profile, Some("fast"));
    assert_eq!(KeyReport::new(&small_vk).profile, Some("small"));

    // Fast proofs have more, shorter rows; each proof verifies under its own key only.
    let small = prove(&small_pk, &APPROVE, None).unwrap();
    let fast = prove(&fast_pk, &APPROVE, None).unwrap();
    let rows = |p: &PolicyProof| p.snark.size_breakdown()[1].bytes / 32;
    assert!(rows(&fast) > rows(&small), "{} rows against {}", rows(&fast), rows(&small));
    assert_eq!(verify(&fast_vk, &fast, None).unwrap().verdict, Verdict::Approve);
    assert!(matches!(verify(&small_vk, &fast, None), Err(PolicyError::WrongKey { .. })));
    assert!(matches!(verify(&fast_vk, &small, None), Err(PolicyError::WrongKey { .. })));

    // An unknown profile code is refused by name. The byte sits before the policy
    // name ("test": a length byte and 4 bytes).
    let mut bytes = fast_vk.to_bytes();
    let at = bytes.len() - 6;
    assert_eq!(bytes[at], Profile::Fast.code());
    bytes[at] = 2;
    assert!(matches!(
        VerifierKey::from_bytes(&bytes),
        Err(PolicyError::KeyFormat(FormatError::Invalid { what: "profile (unknown code)" }))
    ));
}

#[test]
fn key_files_with_hostile_names_are_refused() {
    let (_, vk) = setup(&model(0), &mixed(), &names("p", ["amount", "balance", "hour"])).unwrap();
    let bytes = vk.to_bytes();
    // The names section starts after the model and the visibility (4 bytes: n and 3 tags).
    let model_len = u32::from_le_bytes(bytes[6..10].try_into().unwrap()) as usize;
    let names_at = 10 + model_len + 4;
    assert_eq!(&bytes[names_at..names_at + 8], b"\x03\x06amount");
    let with = |at: usize, b: u8| {
        let mut v = bytes.clone();
        v[at] = b;
        VerifierKey::from_bytes(&v)
    };
    // A name starting with a digit, a unit with a comma, a count that does not fit the model.
    let invalid = Err(PolicyError::KeyFormat(FormatError::Invalid { what: "input names" }));
    assert_eq!(with(names_at + 2, b'0').map(|_| ()), invalid);
    assert_eq!(with(names_at + 9, b',').map(|_| ()), invalid);
    assert!(matches!(with(names_at, 2), Err(PolicyError::KeyFormat(_))));
    // Every truncation is an error, never a panic.
    for cut in names_at..bytes.len() {
        assert!(VerifierKey::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn proves_and_verifies_both_decisions_for_every_visibility() {
    for spec in ["all-public", "all-private", "public=0", "public=1..3"] {
        let visibility = InputVisibility::parse(spec, 3).unwrap();
        let (pk, vk) = setup(&model(0), &visibility, &Names::indexed("test", model(0).input_len)).unwrap();
        for (input, expected) in [(APPROVE, Verdict::Approve), (DENY, Verdict::Deny)] {
            let proof = prove(&pk, &input, None).unwrap();
            let v = verify(&vk, &proof, None).unwrap();
            assert_eq!(v.verdict, expected);
            let trace = vk.model().eval(&input).unwrap();
            assert_eq!(v.outputs, trace.output());
            assert_eq!(v.logits, trace.logits());
            assert_eq!(v.visibility, visibility.as_slice());
            let shown: Vec<Option<i64>> = input
                .iter()
                .zip(visibility.as_slice())
                .map(|(x, v)| (*v == Visibility::Public).then_some(*x))
                .collect();
            assert_eq!(v.input, shown, "{spec}");
            assert_eq!(proof.input.len(), visibility.num_public());
        }
    }
}

/// The size breakdown names every byte of the proof file, for every visibility
/// (committed inputs add link proofs) and with or without a context.
#[test]
fn size_breakdown_sums_to_the_proof_file() {
    for spec in ["all-public", "all-private", "public=0,committed=1..3"] {
        let (pk, _) =
            setup(&model(0), &InputVisibility::parse(spec, 3).unwrap(), &Names::indexed("test", model(0).input_len))
                .unwrap();
        for context in [None, Some(&b"payment"[..])] {
            let proof = prove(&pk, &APPROVE, context).unwrap();
            let parts = proof.size_breakdown();
            assert_eq!(parts.iter().map(|p| p.bytes).sum::<usize>(), proof.to_bytes().len(), "{spec}: {parts:?}");
            assert!(
                parts.iter().all(|p| p.bytes > 0 || p.name.contains("commitments") || p.name.contains("link")),
                "{parts:?}"
            );
        }
    }
}

#[test]
fn visibility_is_bound_by_the_key() {
    let (pk, vk) = keys();
    let (_, public_vk) =
        setup(&model(0), &InputVisibility::all(Visibility::Public, 3), &Names::indexed("test", model(0).input_len))
            .unwrap();
    assert_ne!(vk.digest(), public_vk.digest());
    let proof = prove(&pk, &APPROVE, None).unwrap();
    assert!(matches!(verify(&public_vk, &proof, None), Err(PolicyError::WrongKey { .. })));
    assert!(setup(
        &model(0),
        &InputVisibility::all(Visibility::Private, 2),
        &Names::indexed("test", model(0).input_len)
    )
    .is_err());
}

#[test]
fn out_of_range_private_inputs_cannot_be_proven() {
    let (pk, _) = keys();
    assert!(prove(&pk, &[0, (1 << 12) + 1, 0], None).is_err());
    assert!(prove(&pk, &[0, 0, -(1 << 12) - 1], None).is_err());
    assert!(prove(&pk, &[0, 1 << 12, -(1 << 12)], None).is_ok());
}

/// The model with a wide input range, so that private values have long encodings.
fn wide_model() -> Model {
    Model { input_bound: 1 << 20, ..model(0) }
}

/// Every byte string a private input value could appear as: LEB128 zigzag varint,
/// little-endian i16/i32/i64, and the 32-byte scalar (also of the offset values the
/// range checks decompose).
fn encodings(v: i64, bound: i64) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut varint = Vec::new();
    crate::snark::varint::write_svar(&mut varint, v);
    out.push(varint);
    out.push((v as i32).to_le_bytes().to_vec());
    out.push(v.to_le_bytes().to_vec());
    for x in [v, v + bound, bound - v] {
        let mut scalar = Vec::new();
        ark_serialize::CanonicalSerialize::serialize_compressed(&crate::snark::r1cs::fr_from_i64(x), &mut scalar)
            .unwrap();
        out.push(scalar);
    }
    out
}

#[test]
fn proof_bytes_contain_no_private_input() {
    let model = wide_model();
    let visibility = mixed();
    let (pk, vk) = setup(&model, &visibility, &Names::indexed("test", model.input_len)).unwrap();
    let input = [300_001, -712_345, 654_321];
    let a = pk.assign(&input).unwrap();
    let proof = pk.prove_assignment_with_rng(&a, &[], None, &mut StdRng::seed_from_u64(99)).unwrap();
    assert!(verify(&vk, &proof, None).is_ok());
    let bytes = proof.to_bytes();
    let json = proof.to_json();
    for &private in &input[1..] {
        for needle in encodings(private, model.input_bound) {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{private} found as {needle:?}");
        }
        assert!(!json.contains(&private.to_string()));
    }
    // The public input is there, as a varint (sanity check of the search).
    let mut varint = Vec::new();
    crate::snark::varint::write_svar(&mut varint, input[0]);
    assert!(bytes.windows(varint.len()).any(|w| w == varint));
}

#[test]
fn proofs_differ_and_hide_which_private_input_was_used() {
    let (pk, vk) = keys();
    // Same statement twice: fresh randomness, different bytes, same length.
    let a = prove(&pk, &APPROVE, None).unwrap();
    let b = prove(&pk, &APPROVE, None).unwrap();
    assert_ne!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.to_bytes().len(), b.to_bytes().len());
    // Different private inputs, same public input and verdict: same size and layout,
    // the public parts agree.
    let other = [APPROVE[0], 7, -3];
    let c = prove(&pk, &other, None).unwrap();
    assert_eq!(verify(&vk, &c, None).unwrap().verdict, Verdict::Approve);
    assert_eq!(c.input, a.input);
    assert_eq!(c.snark.to_bytes().len(), a.snark.to_bytes().len());
    let d = prove(&pk, &DENY, None).unwrap();
    assert_eq!(d.snark.to_bytes().len(), a.snark.to_bytes().len());
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
    let proof = prove(&pk2, &APPROVE, None).unwrap();
    let bytes = proof.to_bytes();
    assert_eq!(detect(&bytes), Some(FileKind::Proof));
    assert_eq!(PolicyProof::from_bytes(&bytes).unwrap(), proof);
    let json = proof.to_json();
    assert_eq!(detect(json.as_bytes()), Some(FileKind::JsonProof));
    assert_eq!(PolicyProof::from_any(json.as_bytes()).unwrap(), proof);
    assert_eq!(verify(&vk2, &PolicyProof::from_any(&bytes).unwrap(), None).unwrap().verdict, Verdict::Approve);
}

#[test]
fn every_byte_flip_of_a_proof_is_rejected() {
    let (pk, vk) = keys();
    let bytes = prove(&pk, &APPROVE, None).unwrap().to_bytes();
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01 << (i % 8);
        let proof = PolicyProof::from_bytes(&b).map_err(|e| Rejection::new(&e, Step::ReadProof(&b)));
        let report = VerifyReport::check(&vk, proof, None);
        assert!(!report.valid, "flip at byte {i} accepted");
        // A rejection of the proof, never of the key.
        assert_ne!(report.code, Some(ErrorCode::MalformedKey), "byte {i}: {:?}", report.reason);
    }
}

#[test]
fn truncated_and_extended_proofs_are_rejected() {
    let (pk, vk) = keys();
    let bytes = prove(&pk, &APPROVE, None).unwrap().to_bytes();
    for n in 0..bytes.len() {
        assert!(PolicyProof::from_bytes(&bytes[..n]).is_err(), "prefix {n} accepted");
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(PolicyProof::from_bytes(&long), Err(PolicyError::ProofFormat(FormatError::TrailingBytes { .. }))));
    assert!(verify(&vk, &PolicyProof::from_bytes(&bytes).unwrap(), None).is_ok());
}

#[test]
fn changed_public_values_are_rejected() {
    let (pk, vk) = keys();
    let proof = prove(&pk, &APPROVE, None).unwrap();
    // Another input, or another output, with the same SNARK.
    let mut p = proof.clone();
    p.input[0] += 1;
    assert!(matches!(verify(&vk, &p, None), Err(PolicyError::Rejected(_))));
    let mut p = proof.clone();
    p.logits[0] -= 1;
    assert!(matches!(verify(&vk, &p, None), Err(PolicyError::Rejected(_))));
    // Claiming the deny input's logits for the approve input.
    let deny = prove(&pk, &DENY, None).unwrap();
    let mut p = proof.clone();
    p.logits = deny.logits.clone();
    assert!(verify(&vk, &p, None).is_err());
    // Wrong lengths and out-of-range inputs never reach the SNARK.
    let mut p = proof.clone();
    p.input.push(0);
    assert!(matches!(verify(&vk, &p, None), Err(PolicyError::PublicValues(_))));
    let mut p = proof.clone();
    p.logits.clear();
    assert!(matches!(verify(&vk, &p, None), Err(PolicyError::PublicValues(_))));
    let mut p = proof.clone();
    p.input[0] = (1 << 12) + 1;
    assert!(matches!(verify(&vk, &p, None), Err(PolicyError::PublicValues(_))));
}

#[test]
fn a_proof_for_another_key_is_rejected() {
    let (pk, _) = keys();
    let (_, other_vk) = setup(&model(1), &mixed(), &Names::indexed("test", model(1).input_len)).unwrap();
    let mut proof = prove(&pk, &APPROVE, None).unwrap();
    assert!(matches!(verify(&other_vk, &proof, None), Err(PolicyError::WrongKey { .. })));
    // Relabelling the proof with the other key's digest does not help: the digest
    // is the first thing the transcript absorbs.
    proof.key_digest = other_vk.digest();
    assert!(matches!(verify(&other_vk, &proof, None), Err(PolicyError::Rejected(_))));
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
    assert!(matches!(
        VerifierKey::from_bytes(&pk.to_bytes()),
        Err(PolicyError::KeyFormat(FormatError::BadMagic { .. }))
    ));
    assert!(matches!(ProvingKey::from_bytes(&vk_bytes), Err(PolicyError::KeyFormat(FormatError::BadMagic { .. }))));
    let mut future = vk_bytes.clone();
    future[4] = 99;
    assert!(matches!(
        VerifierKey::from_bytes(&future),
        Err(PolicyError::KeyFormat(FormatError::UnsupportedVersion { .. }))
    ));
}

#[test]
fn json_transport_rejects_inconsistent_documents() {
    let (pk, _) = keys();
    let proof = prove(&pk, &APPROVE, None).unwrap();
    let json = proof.to_json();
    let other = "0".repeat(64);
    let cases = [
        json.replace(&hex_digest(&proof.key_digest), &other),
        json.replace("zkpolicy-proof", "something-else"),
        json.replace(&format!("\"version\": {FORMAT_VERSION}"), &format!("\"version\": {}", FORMAT_VERSION + 1)),
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
        scale_bits: 8,
        input_len: in_dim,
        input_bound: 1 << 8,
        input_domains: Default::default(),
        layers: vec![Layer::Dense { in_dim, out_dim, weights: vec![0; in_dim * out_dim], bias: vec![0; out_dim] }],
        decision: Decision::ArgMax { labels: vec![] },
    };
    let too_large = |r: Result<_, PolicyError>| matches!(r, Err(PolicyError::KeyFormat(FormatError::TooLarge { .. })));
    let visibility = InputVisibility::all(Visibility::Private, in_dim);
    assert!(too_large(setup(&huge, &visibility, &Names::indexed("test", huge.input_len)).map(|_| ())));
    let model_bytes = crate::frontend::model::codec::encode(&huge);
    let inputs = InputNames::indexed(in_dim);
    let file = files::encode_key_file(files::VK_MAGIC, &model_bytes, &visibility, &inputs, Profile::Small, "");
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
    match pk.prove_assignment(&a, &[], None) {
        Err(PolicyError::Circuit(CircuitError::Unsatisfied { label, .. })) => {
            assert!(label.to_string().starts_with("layer "))
        }
        other => panic!("expected a labelled unsatisfied constraint, got {other:?}"),
    }
}

#[test]
fn committed_inputs_show_the_issued_commitment() {
    let model = wide_model();
    let visibility = InputVisibility::parse("public=0,committed=1", 3).unwrap();
    let (pk, vk) = setup(&model, &visibility, &Names::indexed("test", model.input_len)).unwrap();
    assert_eq!(pk.num_committed(), 1);
    let input = [300_001, -712_345, 654_321];
    // The issuer commits to input 1 with a blind it hands to the prover.
    let blind = ark_bn254::Fr::from(123_456_789u64);
    let issued = commit_input(input[1], blind);
    let proof = pk.prove_assignment(&pk.assign(&input).unwrap(), &[blind], None).unwrap();
    let verified = verify(&vk, &proof, None).unwrap();
    assert_eq!(verified.commitments, vec![None, Some(issued), None]);
    assert_eq!(verified.input, vec![Some(input[0]), None, None]);
    assert_eq!(verified.visibility, vec![Visibility::Public, Visibility::Committed, Visibility::Private]);
    // Both transports keep the commitment.
    assert_eq!(verify(&vk, &PolicyProof::from_bytes(&proof.to_bytes()).unwrap(), None).unwrap(), verified);
    assert_eq!(verify(&vk, &PolicyProof::from_json(&proof.to_json()).unwrap(), None).unwrap(), verified);
    // Another value under the same blind gives another commitment.
    let other = [input[0], input[1] + 1, input[2]];
    let proof2 = pk.prove_assignment(&pk.assign(&other).unwrap(), &[blind], None).unwrap();
    assert_ne!(verify(&vk, &proof2, None).unwrap().commitments[1], Some(issued));
    // One blind per committed input.
    assert!(matches!(
        pk.prove_assignment(&pk.assign(&input).unwrap(), &[], None),
        Err(PolicyError::Prove(ProveError::BlindsLength { expected: 1, got: 0 }))
    ));
    // A failed link of the SNARK's committed value 0 names input 1.
    assert_eq!(vk.rejection(VerifyError::CommitmentLink { position: 0 }), PolicyError::CommittedInput { input: 1 });
    // ... and is a failed SNARK check, REJECTED (no code of its own).
    assert_eq!(
        ErrorCode::of(&vk.rejection(VerifyError::CommitmentLink { position: 0 }), Step::Check),
        ErrorCode::Rejected
    );
    // A key without the commitment does not accept the proof.
    let (_, private_vk) =
        setup(&model, &InputVisibility::parse("public=0", 3).unwrap(), &Names::indexed("test", model.input_len))
            .unwrap();
    assert!(matches!(verify(&private_vk, &proof, None), Err(PolicyError::WrongKey { .. })));
}

#[test]
fn proofs_are_bound_to_their_context() {
    let (pk, vk) = keys();
    let (a, b): (&[u8], &[u8]) = (b"payment nonce 1", b"payment nonce 2");
    let proof = prove(&pk, &APPROVE, Some(a)).unwrap();
    assert_eq!(proof.context_digest, Some(context_digest(a)));
    let verified = verify(&vk, &proof, Some(a)).unwrap();
    assert_eq!(verified.context_digest, Some(context_digest(a)));
    // The bytes and JSON forms carry the context.
    assert_eq!(PolicyProof::from_bytes(&proof.to_bytes()).unwrap(), proof);
    assert_eq!(PolicyProof::from_json(&proof.to_json()).unwrap(), proof);
    let wrong = |r: Result<Verified, PolicyError>| matches!(r, Err(PolicyError::WrongContext { .. }));
    // Another context, or none, is refused and named.
    assert!(wrong(verify(&vk, &proof, Some(b))));
    let err = verify(&vk, &proof, None).unwrap_err();
    assert!(wrong(Err(err.clone())));
    assert_eq!(ErrorCode::of(&err, Step::Check), ErrorCode::WrongContext);
    assert!(err.to_string().contains("context"), "{err}");
    // A proof bound to nothing is refused where a context is required.
    let unbound = prove(&pk, &APPROVE, None).unwrap();
    assert_eq!(unbound.context_digest, None);
    assert!(wrong(verify(&vk, &unbound, Some(a))));
    // The empty context is a context, distinct from none.
    let empty = prove(&pk, &APPROVE, Some(b"")).unwrap();
    assert!(verify(&vk, &empty, Some(b"")).is_ok());
    assert!(wrong(verify(&vk, &empty, None)));
    // Relabelling the digest in the proof does not move it to another request: the
    // transcript bound the prover's context, the verifier binds its own.
    let mut relabelled = proof.clone();
    relabelled.context_digest = Some(context_digest(b));
    assert_eq!(verify(&vk, &relabelled, Some(b)), Err(PolicyError::Rejected(VerifyError::FinalEvaluations)));
    let mut stripped = proof.clone();
    stripped.context_digest = None;
    assert_eq!(verify(&vk, &stripped, None), Err(PolicyError::Rejected(VerifyError::FinalEvaluations)));
    let mut added = unbound.clone();
    added.context_digest = Some(context_digest(a));
    assert_eq!(verify(&vk, &added, Some(a)), Err(PolicyError::Rejected(VerifyError::FinalEvaluations)));
    // A context flag other than 0 or 1 is malformed.
    let mut bytes = unbound.to_bytes();
    bytes[6 + 32] = 2;
    assert!(matches!(PolicyProof::from_bytes(&bytes), Err(PolicyError::ProofFormat(_))));
}

#[test]
fn contexts_parse_from_strict_hex() {
    assert_eq!(context_from_hex("00ff10"), Ok(vec![0, 255, 16]));
    assert_eq!(context_from_hex("0xABcd"), Ok(vec![0xab, 0xcd]));
    assert_eq!(context_from_hex(""), Err(ContextError::Empty));
    assert_eq!(context_from_hex("0x"), Err(ContextError::Empty));
    for bad in ["abc", "+1", "-1", "0g", " 00", "00 ", "0x0x00", "é0"] {
        assert!(matches!(context_from_hex(bad), Err(ContextError::NotHex { .. })), "{bad}");
    }
    let long = "00".repeat(MAX_CONTEXT_BYTES + 1);
    assert_eq!(context_from_hex(&long), Err(ContextError::TooLong { len: MAX_CONTEXT_BYTES + 1 }));
    assert_eq!(context_from_hex(&"7f".repeat(MAX_CONTEXT_BYTES)).map(|c| c.len()), Ok(MAX_CONTEXT_BYTES));
}

#[test]
fn setup_refuses_models_whose_keys_no_verifier_could_load() {
    // A label above the decoder's 256 bytes: validation refuses it, so setup does.
    let mut m = model(0);
    m.decision = Decision::ArgMax { labels: vec!["x".repeat(257)] };
    match setup(&m, &mixed(), &Names::indexed("test", m.input_len)) {
        Err(PolicyError::Circuit(CircuitError::Model(e))) => assert!(e.to_string().contains("257 bytes"), "{e}"),
        other => panic!("expected an invalid-model error, got {other:?}"),
    }
    // At the limit the keys are written and load back.
    m.decision = Decision::ArgMax { labels: vec!["x".repeat(256)] };
    let (pk, vk) = setup(&m, &mixed(), &Names::indexed("test", m.input_len)).unwrap();
    assert_eq!(VerifierKey::from_bytes(&vk.to_bytes()).unwrap().model(), &m);
    assert_eq!(ProvingKey::from_bytes(&pk.to_bytes()).unwrap().model(), &m);
}

#[test]
fn keys_whose_circuits_exceed_the_limits_are_refused_with_the_size() {
    // 1 private input, Dense 1→3000, 40 ReLUs, Dense 3000→1: ~1.4 M constraints.
    let width = 3000;
    let mut layers = vec![Layer::Dense { in_dim: 1, out_dim: width, weights: vec![1; width], bias: vec![0; width] }];
    layers.extend(core::iter::repeat_n(Layer::Relu, 40));
    layers.push(Layer::Dense { in_dim: width, out_dim: 1, weights: vec![1; width], bias: vec![0] });
    let m = Model {
        scale_bits: 12,
        input_len: 1,
        input_bound: 1 << 20,
        input_domains: Default::default(),
        layers,
        decision: Decision::Threshold { index: 0, threshold: 0 },
    };
    let vis = InputVisibility::all(Visibility::Private, 1);
    let size = circuit::circuit_size(&m, &vis).unwrap();
    assert!(size.constraints > circuit::MAX_CONSTRAINTS as u64, "{size:?}");
    let refused = |r: Result<(), PolicyError>| match r {
        Err(PolicyError::Circuit(CircuitError::TooLarge { what: "constraints", value, .. })) => {
            assert_eq!(value, size.constraints)
        }
        other => panic!("expected a too-large circuit, got {other:?}"),
    };
    refused(setup(&m, &vis, &Names::indexed("test", m.input_len)).map(|_| ()));
    let model_bytes = crate::frontend::model::codec::encode(&m);
    let inputs = InputNames::indexed(m.input_len);
    let mut file = files::encode_key_file(files::VK_MAGIC, &model_bytes, &vis, &inputs, Profile::Small, "");
    refused(VerifierKey::from_bytes(&file).map(|_| ()));
    file[..4].copy_from_slice(files::PK_MAGIC);
    refused(ProvingKey::from_bytes(&file).map(|_| ()));
}

// ---------------------------------------------------------------- reports

/// The codes of reading `bytes` as a verifier key and as a proof (`None`: it decodes).
fn read_codes(bytes: &[u8]) -> (Option<ErrorCode>, Option<ErrorCode>) {
    let key = VerifierKey::from_bytes(bytes).err().map(|e| ErrorCode::of(&e, Step::ReadKey(bytes)));
    let proof = PolicyProof::from_any(bytes).err().map(|e| ErrorCode::of(&e, Step::ReadProof(bytes)));
    (key, proof)
}

#[test]
fn reading_errors_are_classified_by_the_bytes_read() {
    use ErrorCode::*;
    let (pk, vk) = keys();
    let vk_bytes = vk.to_bytes();
    let proof = prove(&pk, &APPROVE, None).unwrap();
    let bytes = proof.to_bytes();
    let json = proof.to_json();
    assert_eq!(read_codes(b""), (Some(NotZkpolicy), Some(NotZkpolicy)));
    assert_eq!(read_codes(b"not a zkpolicy file"), (Some(NotZkpolicy), Some(NotZkpolicy)));
    // Each file where the other belongs, and the proving key in either place.
    assert_eq!(read_codes(&vk_bytes), (None, Some(WrongFileKind)));
    assert_eq!(read_codes(&bytes), (Some(WrongFileKind), None));
    assert_eq!(read_codes(&pk.to_bytes()), (Some(WrongFileKind), Some(WrongFileKind)));
    // Any JSON looks like a JSON proof: not a key, and a damaged proof unless it parses.
    assert_eq!(read_codes(json.as_bytes()), (Some(WrongFileKind), None));
    assert_eq!(read_codes(b"{\"a\": 1}"), (Some(WrongFileKind), Some(MalformedProof)));
    // Another format version, in the header or in the JSON document.
    let mut future = vk_bytes.clone();
    future[4] ^= 0x40;
    assert_eq!(read_codes(&future).0, Some(UnsupportedVersion));
    let mut future = bytes.clone();
    future[4] ^= 0x40;
    assert_eq!(read_codes(&future).1, Some(UnsupportedVersion));
    let version = format!("\"version\": {FORMAT_VERSION}");
    let future = json.replace(&version, &format!("\"version\": {}", FORMAT_VERSION + 1));
    assert_eq!(read_codes(future.as_bytes()).1, Some(UnsupportedVersion));
    // Damaged files of the right kind.
    assert_eq!(read_codes(&vk_bytes[..vk_bytes.len() - 1]).0, Some(MalformedKey));
    assert_eq!(read_codes(&bytes[..bytes.len() - 1]).1, Some(MalformedProof));
    assert_eq!(read_codes(&[b"ZKPV".as_slice(), &vk_bytes[4..8]].concat()).0, Some(MalformedKey));
}

#[test]
fn verify_reports_are_in_real_units_and_name_every_input() {
    let visibility = InputVisibility::parse("public=0,committed=1", 3).unwrap();
    let (pk, vk) = setup(&model(0), &visibility, &Names::indexed("test", model(0).input_len)).unwrap();
    let proof = prove(&pk, &APPROVE, None).unwrap();
    let verified = verify(&vk, &proof, None).unwrap();
    let report = VerifyReport::check(&vk, Ok(proof.clone()), None);
    assert_eq!(report, VerifyReport::valid(&vk, &verified));
    // Scale 2^8: the public input 256 is 1.0, the threshold 128 is 0.5.
    assert_eq!(report.public_inputs, vec![Some(1.0), None, None]);
    assert_eq!(report.logits, Some(verified.logits.iter().map(|&l| l as f64 / 256.0).collect()));
    assert_eq!(report.outputs, verified.outputs.iter().map(|&y| y as f64 / 256.0).collect::<Vec<_>>());
    let commitment = verified.commitments[1].as_ref().map(crate::snark::encoding::point_hex);
    assert_eq!(report.input_commitments, vec![None, commitment, None]);
    let json = serde_json::to_value(&report).unwrap();
    let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "valid",
        "decision",
        "class_index",
        "outputs",
        "public_inputs",
        "input_visibility",
        "input_names",
        "input_units",
        "input_commitments",
        "logits",
        "vk_digest",
        "context_digest",
        "format_version",
        "model",
    ];
    expected.sort_unstable();
    assert_eq!(fields, expected, "valid reports have no reason or code");
    assert_eq!(json["decision"], "approve");
    assert_eq!(json["input_visibility"], serde_json::json!(["public", "committed", "private"]));
    assert_eq!(json["model"]["decision"], serde_json::json!({ "kind": "threshold", "index": 0, "threshold": 0.5 }));
    assert_eq!(json["model"]["input_bound"], 16.0);
    assert_eq!(json["model"]["layers"], serde_json::json!(["Dense", "Relu", "Dense", "Sigmoid"]));

    // Rejected: the code and the reason; the key's digest, visibility and model stay.
    let (_, other) = setup(&model(1), &visibility, &Names::indexed("test", model(1).input_len)).unwrap();
    let wrong_key = VerifyReport::check(&other, Ok(proof.clone()), None);
    assert_eq!((wrong_key.valid, wrong_key.code), (false, Some(ErrorCode::WrongKey)));
    assert_eq!(wrong_key.vk_digest, Some(hex_digest(&other.digest())));
    assert_eq!(wrong_key.input_visibility, visibility.as_slice());
    let json = serde_json::to_value(&wrong_key).unwrap();
    assert_eq!(json["code"], "WRONG_KEY");
    assert!(
        json.get("logits").is_none() && json["decision"].is_null() && json["public_inputs"] == serde_json::json!([])
    );
    let context = VerifyReport::check(&vk, Ok(proof.clone()), Some(b"a request"));
    assert_eq!(context.code, Some(ErrorCode::WrongContext));
    let mut altered = proof.clone();
    altered.logits[0] += 1;
    assert_eq!(VerifyReport::check(&vk, Ok(altered.clone()), None).code, Some(ErrorCode::Rejected));
    altered.logits.push(0);
    assert_eq!(VerifyReport::check(&vk, Ok(altered), None).code, Some(ErrorCode::PublicValues));
    // A proof that did not decode is reported as it was refused.
    let refused = Rejection::new(&PolicyProof::from_bytes(b"").unwrap_err(), Step::ReadProof(b""));
    let report = VerifyReport::check(&vk, Err(refused.clone()), None);
    assert_eq!((report.reason, report.code), (Some(refused.reason.clone()), Some(ErrorCode::NotZkpolicy)));
    // Without a key: nothing of it.
    let no_key = VerifyReport::rejected(refused, None);
    assert!(no_key.vk_digest.is_none() && no_key.model.is_none() && no_key.input_visibility.is_empty());
}

#[test]
fn key_and_proof_reports() {
    let (pk, vk) = keys();
    let key = KeyReport::new(&vk);
    assert_eq!(key.vk_digest, Some(hex_digest(&vk.digest())));
    assert_eq!((key.num_constraints, key.num_witness), (Some(vk.num_constraints()), Some(vk.num_witness())));
    assert_eq!(key.input_visibility, mixed().as_slice());
    let mut proof = prove(&pk, &APPROVE, Some(b"a request")).unwrap();
    let report = ProofReport::new(&proof, ProofEncoding::Json);
    assert_eq!(report.size_bytes, Some(proof.to_bytes().len()));
    assert_eq!(report.context_digest, Some(hex_digest(&context_digest(b"a request"))));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["encoding"], "json");
    assert_eq!(json["quantized_input"], serde_json::json!([APPROVE[0]]));
    // Integers beyond JavaScript's safe range become the nearest float, never an error.
    proof.logits = vec![i64::MIN, 1 << 53, -(1 << 53) + 1];
    let json = serde_json::to_value(ProofReport::new(&proof, ProofEncoding::Binary)).unwrap();
    let logits = json["quantized_logits"].as_array().unwrap();
    assert!(logits[0].is_f64() && logits[1].is_f64() && logits[2].as_i64() == Some(-(1 << 53) + 1), "{logits:?}");
    assert_eq!(logits[0].as_f64(), Some(i64::MIN as f64));
}

#[test]
fn visibilities_are_reported_by_name() {
    for v in [Visibility::Public, Visibility::Private, Visibility::Committed] {
        assert_eq!(serde_json::to_value(v).unwrap(), v.name());
    }
}

/// The openings file: its blinds come back for the request it was made for, and
/// every way it can fail to open that request is refused with its reason.
#[test]
fn openings_open_only_their_request_under_their_key() {
    let visibility = InputVisibility::parse("public=0,committed=1..3", 3).unwrap();
    let (pk, vk) = setup(&model(0), &visibility, &Names::indexed("test", model(0).input_len)).unwrap();
    let blinds = fresh_blinds(pk.num_committed());
    let openings = Openings::new(&vk, &APPROVE, &blinds);
    let parsed = Openings::from_json(&openings.to_json()).unwrap();
    assert_eq!(parsed, openings);
    assert_eq!(parsed.blinds(&vk, &APPROVE).unwrap(), blinds);

    let (_, other_vk) = keys();
    assert!(matches!(parsed.blinds(&other_vk, &APPROVE), Err(OpeningsError::WrongKey { .. })));
    assert!(matches!(parsed.blinds(&vk, &APPROVE[..2]), Err(OpeningsError::InputLength { expected: 3, got: 2 })));
    assert!(matches!(parsed.blinds(&vk, &DENY), Err(OpeningsError::WrongValue { input: 1, .. })));
    let edit = |f: fn(&mut Openings)| {
        let mut o = openings.clone();
        f(&mut o);
        o.blinds(&vk, &APPROVE).unwrap_err()
    };
    assert!(matches!(edit(|o| o.committed.truncate(1)), OpeningsError::WrongInputs { .. }));
    assert!(matches!(edit(|o| o.committed[0].blind = "zz".into()), OpeningsError::Blind { input: 1, .. }));
    assert!(matches!(edit(|o| o.committed[1].quantized += 1), OpeningsError::WrongValue { input: 2, .. }));
    let swapped = |o: &mut Openings| {
        let c = o.committed[0].commitment.clone();
        o.committed[0].commitment = o.committed[1].commitment.clone();
        o.committed[1].commitment = c;
    };
    assert!(matches!(edit(swapped), OpeningsError::Commitment { input: 1 }));
    assert!(matches!(Openings::from_json(b"{\"vk_digest\": 1}"), Err(OpeningsError::Json(_))));
}

/// `verify_with_phases` on `proof`: its result, which must be `verify`'s with and
/// without the key's generator tables, and the phases it reported, which must be those
/// of `VerifyPhase::all` in order, all of them exactly when the proof is accepted.
fn verify_phased(vk: &VerifierKey, proof: &PolicyProof) -> (Result<Verified, PolicyError>, Vec<VerifyPhase>) {
    let mut phases = Vec::new();
    let result = verify_with_phases(vk, proof, None, &mut |phase| phases.push(phase));
    assert_eq!(result, verify(vk, proof, None));
    assert_eq!(result, verify(&vk.clone().with_generator_tables(), proof, None), "with the generator tables");
    let all: Vec<_> = VerifyPhase::all().collect();
    assert_eq!(phases, all[..phases.len()], "phases out of order");
    assert_eq!(result.is_ok(), phases.len() == all.len(), "{phases:?} for {result:?}");
    (result, phases)
}

#[test]
fn verification_phases_are_reported_in_order_and_change_nothing() {
    let model = wide_model();
    let visibility = InputVisibility::parse("public=0,committed=1", 3).unwrap();
    let (pk, vk) = setup(&model, &visibility, &Names::indexed("test", model.input_len)).unwrap();
    let blind = ark_bn254::Fr::from(7u64);
    let proof = pk.prove_assignment(&pk.assign(&[300_001, -712_345, 654_321]).unwrap(), &[blind], None).unwrap();
    let (accepted, phases) = verify_phased(&vk, &proof);
    assert!(accepted.is_ok());
    assert_eq!(phases.len(), 2 + spartan::VerifyPhase::ALL.len());
    // Tampered proofs: rejected as by `verify`, in the phase of the failed check.
    let mut p = proof.clone();
    p.input[0] += 1;
    let (rejected, phases) = verify_phased(&vk, &p);
    assert!(matches!(rejected, Err(PolicyError::Rejected(_))));
    // Another public input changes every challenge: the step-6 proof's MSM is not zero.
    assert_eq!(phases.last(), Some(&VerifyPhase::Snark(spartan::VerifyPhase::EvaluationTranscript)));
    let mut p = proof.clone();
    p.input.push(0);
    assert_eq!(verify_phased(&vk, &p).1, []);
    let bytes = proof.to_bytes();
    let mut rejections = 0;
    for i in (0..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[i] ^= 0x01 << (i % 8);
        if let Ok(p) = PolicyProof::from_bytes(&b) {
            rejections += usize::from(verify_phased(&vk, &p).0.is_err());
        }
    }
    assert!(rejections > 0);
}

#[test]
fn key_load_phases_are_reported_in_order_and_change_nothing() {
    let (_, vk) = keys();
    let bytes = vk.to_bytes();
    let mut phases = Vec::new();
    let loaded = VerifierKey::from_bytes_with_phases(&bytes, &mut |phase| phases.push(phase)).unwrap();
    assert_eq!(phases, KeyLoadPhase::ALL);
    assert_eq!(loaded.to_bytes(), bytes);
    assert_eq!(loaded.digest(), vk.digest());
    let mut phases = Vec::new();
    let refused = VerifierKey::from_bytes_with_phases(&bytes[..bytes.len() - 1], &mut |phase| phases.push(phase));
    assert!(refused.is_err());
    assert_eq!(phases, []);
}

/// `ProvingKey::precompute` (issue 14): a precomputed proof is the one-go proof of the
/// same RNG, verifies with fresh OS randomness, and is refused by another key.
#[test]
fn precomputed_proofs_are_the_one_go_proofs_and_belong_to_their_key() {
    let visibility = InputVisibility::parse("public=0,committed=1", 3).unwrap();
    let (pk, vk) = setup(&model(0), &visibility, &Names::indexed("test", 3)).unwrap();
    let a = pk.assign(&APPROVE).unwrap();
    let blinds = [ark_bn254::Fr::from(7u64)];
    let one_go = pk.prove_assignment_with_rng(&a, &blinds, Some(b"ctx"), &mut StdRng::seed_from_u64(14)).unwrap();
    let precomputed = pk.precompute_with_rng(&mut StdRng::seed_from_u64(14));
    let split = pk.prove_precomputed(precomputed, &a, &blinds, Some(b"ctx"), &mut |_| {}).unwrap();
    assert_eq!(split.to_bytes(), one_go.to_bytes());
    assert!(verify(&vk, &split, Some(b"ctx")).is_ok());
    let fresh = pk.prove_precomputed(pk.precompute(), &a, &blinds, None, &mut |_| {}).unwrap();
    assert!(verify(&vk, &fresh, None).is_ok());
    // The same model under another visibility, and another model under the same one.
    for (model, visibility) in [(model(0), mixed()), (model(1), visibility)] {
        let (other, _) = setup(&model, &visibility, &Names::indexed("test", 3)).unwrap();
        let err = pk.prove_precomputed(other.precompute(), &a, &blinds, None, &mut |_| {});
        assert!(matches!(err, Err(PolicyError::Prove(ProveError::PrecomputedKey))));
    }
}
