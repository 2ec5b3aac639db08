//! End-to-end tests of the Spartan + Hyrax proof system on random R1CS instances:
//! completeness, serialization, and rejection of wrong statements and bytes.

mod common;

use ark_bn254::Fr;
use ark_ff::One;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use common::{random_instance, st, Instance, Values};
use rand::{rngs::StdRng, Rng, SeedableRng};
use zkpolicy_core::snark::encoding::FORMAT_VERSION;
use zkpolicy_core::snark::error::{FormatError, ProveError, SetupError, VerifyError};
use zkpolicy_core::snark::r1cs::R1cs;
use zkpolicy_core::snark::spartan::{preprocess, prove, verify, Profile, Proof, VerifyingKey};

/// Proves `inst`, verifies the proof directly and after both byte round trips.
fn prove_and_check(inst: &Instance) -> (VerifyingKey, Proof) {
    let (pk, vk) = preprocess(inst.r1cs.clone(), Profile::Small, None).unwrap();
    let proof = prove(&pk, st(&inst.public), &inst.witness, &[]).unwrap();
    assert_eq!(verify(&vk, st(&inst.public), &proof), Ok(()));

    let bytes = proof.to_bytes();
    let decoded = Proof::from_bytes(&bytes).unwrap();
    assert_eq!(decoded, proof);
    assert_eq!(verify(&vk, st(&inst.public), &decoded), Ok(()));

    let mut ark_bytes = Vec::new();
    proof.serialize_compressed(&mut ark_bytes).unwrap();
    assert_eq!(ark_bytes.len(), proof.compressed_size());
    assert_eq!(&bytes[6..], &ark_bytes[..], "to_bytes is the envelope around the ark encoding");
    assert_eq!(Proof::deserialize_compressed(&ark_bytes[..]).unwrap(), proof);
    let mut uncompressed = Vec::new();
    proof.serialize_uncompressed(&mut uncompressed).unwrap();
    assert_eq!(Proof::deserialize_uncompressed(&uncompressed[..]).unwrap(), proof);

    let vk_bytes = vk.to_bytes();
    let vk2 = VerifyingKey::from_bytes(&vk_bytes).unwrap();
    assert_eq!(vk2.digest(), vk.digest());
    assert_eq!(vk2.to_bytes(), vk_bytes);
    assert_eq!(verify(&vk2, st(&inst.public), &proof), Ok(()));
    // The digest in the file is recomputed from its matrices: another digest is refused.
    let mut relabelled = vk_bytes.clone();
    relabelled[6] ^= 1;
    assert!(matches!(VerifyingKey::from_bytes(&relabelled), Err(FormatError::Invalid { .. })));
    (vk, proof)
}

#[test]
fn completeness_on_many_shapes() {
    // (constraints, public, witness): tiny, non-powers of two, more public than
    // witness, empty public input, 2^12.
    let shapes = [
        (1, 0, 1),
        (1, 1, 1),
        (2, 1, 2),
        (3, 2, 5),
        (7, 0, 9),
        (5, 12, 3),
        (33, 4, 31),
        (100, 7, 90),
        (1000, 10, 1500),
        (1 << 12, 16, (1 << 12) - 16),
    ];
    for (seed, (nc, np, nw)) in shapes.into_iter().enumerate() {
        for values in [Values::Bits, Values::Small, Values::Full] {
            let inst = random_instance(seed as u64, nc, np, nw, values);
            prove_and_check(&inst);
        }
    }
}

#[test]
fn completeness_without_witness_and_with_empty_rows() {
    // No witness at all: every constraint reads only the constant and public values.
    prove_and_check(&random_instance(11, 6, 3, 0, Values::Small));
    // Constraint rows without any entry (0·0 = 0) and empty matrices.
    let mut inst = random_instance(12, 10, 2, 12, Values::Small);
    inst.r1cs.num_constraints += 7;
    prove_and_check(&inst);
    let empty = R1cs { num_constraints: 0, num_public: 2, num_witness: 3, ..Default::default() };
    prove_and_check(&Instance { r1cs: empty, public: vec![Fr::one(); 2], witness: vec![Fr::from(9u64); 3] });
}

#[test]
fn all_zero_witness_commits_to_identity_points_and_verifies() {
    let inst = random_instance(13, 40, 3, 50, Values::Zero);
    assert!(inst.witness.iter().all(|w| *w == Fr::from(0u64)));
    let (vk, proof) = prove_and_check(&inst);
    // Every byte flip of this proof (whose commitments are all the identity) is rejected.
    assert_every_byte_flip_rejected(&vk, &inst.public, &proof.to_bytes());
}

fn assert_every_byte_flip_rejected(vk: &VerifyingKey, public: &[Fr], bytes: &[u8]) {
    for pos in 0..bytes.len() {
        for mask in [0x01u8, 0x02, 0x40, 0x80, 0xff] {
            let mut flipped = bytes.to_vec();
            flipped[pos] ^= mask;
            if let Ok(p) = Proof::from_bytes(&flipped) {
                assert!(verify(vk, st(public), &p).is_err(), "flip {mask:#x} at byte {pos} accepted");
            }
        }
    }
}

#[test]
fn every_single_byte_flip_is_rejected() {
    let inst = random_instance(14, 5, 2, 6, Values::Small);
    let (vk, proof) = prove_and_check(&inst);
    assert_every_byte_flip_rejected(&vk, &inst.public, &proof.to_bytes());
}

/// arkworks' own modes are as strict as `from_bytes`: an uncompressed point must carry
/// the `y`-sign flag arkworks writes (arkworks ignores it on read, which would give each
/// point two encodings), and `Validate::No` still validates points (one off the curve
/// that shares `x` with the honest one could make a changed proof verify).
#[test]
fn arkworks_modes_reject_flipped_flags_and_unvalidated_points() {
    use ark_serialize::{Compress, Validate};
    let inst = random_instance(16, 5, 2, 6, Values::Small);
    let (_, proof) = prove_and_check(&inst);
    let mut uncompressed = Vec::new();
    proof.serialize_uncompressed(&mut uncompressed).unwrap();
    // The points follow the 5 parameter bytes, 64 bytes each, y's top bit the flag.
    let first_flag = 5 + 63;
    let mut flipped = uncompressed.clone();
    flipped[first_flag] ^= 0x80;
    for validate in [Validate::Yes, Validate::No] {
        assert!(Proof::deserialize_with_mode(&flipped[..], Compress::No, validate).is_err());
        let decoded = Proof::deserialize_with_mode(&uncompressed[..], Compress::No, validate).unwrap();
        assert_eq!(decoded, proof);
    }
    // y + 1: no point of the curve, with the x of the first row commitment.
    let mut off_curve = uncompressed;
    off_curve[5 + 32] = off_curve[5 + 32].wrapping_add(1);
    assert!(Proof::deserialize_with_mode(&off_curve[..], Compress::No, Validate::No).is_err());
}

#[test]
fn truncated_and_extended_bytes_are_rejected() {
    let inst = random_instance(15, 9, 2, 11, Values::Small);
    let (vk, proof) = prove_and_check(&inst);
    let bytes = proof.to_bytes();
    for len in 0..bytes.len() {
        assert!(Proof::from_bytes(&bytes[..len]).is_err(), "truncation to {len} accepted");
    }
    let mut extended = bytes.clone();
    extended.push(0);
    assert_eq!(Proof::from_bytes(&extended), Err(FormatError::TrailingBytes { count: 1 }));

    let vk_bytes = vk.to_bytes();
    for len in 0..vk_bytes.len() {
        assert!(VerifyingKey::from_bytes(&vk_bytes[..len]).is_err(), "vk truncation to {len} accepted");
    }
    let mut extended = vk_bytes.clone();
    extended.extend_from_slice(&[1, 2]);
    assert_eq!(VerifyingKey::from_bytes(&extended).unwrap_err(), FormatError::TrailingBytes { count: 2 });
}

#[test]
fn bad_magic_and_version_are_rejected() {
    let inst = random_instance(16, 4, 1, 4, Values::Bits);
    let (vk, proof) = prove_and_check(&inst);
    for (bytes, magic) in [(proof.to_bytes(), "ZKPF"), (vk.to_bytes(), "ZKVK")] {
        let mut bad = bytes.clone();
        bad[0] ^= 1;
        let mut bad_version = bytes.clone();
        let next = FORMAT_VERSION + 1;
        bad_version[4..6].copy_from_slice(&next.to_le_bytes());
        if magic == "ZKPF" {
            assert_eq!(Proof::from_bytes(&bad), Err(FormatError::BadMagic { expected: magic }));
            assert!(
                matches!(Proof::from_bytes(&bad_version), Err(FormatError::UnsupportedVersion { found, .. }) if found == next)
            );
        } else {
            assert_eq!(VerifyingKey::from_bytes(&bad).unwrap_err(), FormatError::BadMagic { expected: magic });
            assert!(
                matches!(VerifyingKey::from_bytes(&bad_version), Err(FormatError::UnsupportedVersion { found, .. }) if found == next)
            );
        }
    }
    // A proof is not a key and vice versa.
    assert!(VerifyingKey::from_bytes(&proof.to_bytes()).is_err());
    assert!(Proof::from_bytes(&vk.to_bytes()).is_err());
}

#[test]
fn oversized_parameters_are_rejected_before_allocating() {
    let inst = random_instance(26, 4, 1, 4, Values::Bits);
    let (vk, proof) = prove_and_check(&inst);
    // Key claiming 2^20 + 1 constraints (the R1CS body follows the envelope, the digest
    // and the profile byte: offset 39).
    let mut vk_bytes = vk.to_bytes();
    vk_bytes[39..43].copy_from_slice(&((1u32 << 20) + 1).to_le_bytes());
    assert!(matches!(VerifyingKey::from_bytes(&vk_bytes), Err(FormatError::TooLarge { .. })));
    // Key claiming more entries than its bytes could hold.
    let mut vk_bytes = vk.to_bytes();
    vk_bytes[51..55].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(VerifyingKey::from_bytes(&vk_bytes), Err(FormatError::TooLarge { .. })));
    // Proof claiming s = 21 or m = 20.
    for (pos, v) in [(6, 21u8), (7, 20u8)] {
        let mut bytes = proof.to_bytes();
        bytes[pos] = v;
        assert!(matches!(Proof::from_bytes(&bytes), Err(FormatError::TooLarge { .. })));
    }
}

#[test]
fn wrong_public_input_is_rejected() {
    let inst = random_instance(17, 30, 4, 30, Values::Small);
    let (vk, proof) = prove_and_check(&inst);
    for i in 0..inst.public.len() {
        let mut public = inst.public.clone();
        public[i] += Fr::one();
        assert!(verify(&vk, st(&public), &proof).is_err());
    }
    assert_eq!(verify(&vk, st(&inst.public[1..]), &proof), Err(VerifyError::PublicInputLength { expected: 4, got: 3 }));
    let mut longer = inst.public.clone();
    longer.push(Fr::one());
    assert!(matches!(verify(&vk, st(&longer), &proof), Err(VerifyError::PublicInputLength { .. })));
}

#[test]
fn proof_for_another_key_is_rejected() {
    let a = random_instance(18, 30, 3, 30, Values::Small);
    let b = random_instance(19, 30, 3, 30, Values::Small);
    let (vk_a, proof_a) = prove_and_check(&a);
    let (vk_b, proof_b) = prove_and_check(&b);
    assert!(verify(&vk_b, st(&a.public), &proof_a).is_err());
    assert!(verify(&vk_a, st(&b.public), &proof_b).is_err());
    // Same R1CS, different statement digest: the transcript differs.
    let (_, vk_other_digest) = preprocess(a.r1cs.clone(), Profile::Small, Some([7u8; 32])).unwrap();
    assert_eq!(vk_other_digest.digest(), [7u8; 32]);
    assert!(verify(&vk_other_digest, st(&a.public), &proof_a).is_err());
    // Different shapes: the proof does not even fit.
    let c = random_instance(20, 100, 3, 130, Values::Small);
    let (vk_c, _) = prove_and_check(&c);
    assert!(matches!(verify(&vk_c, st(&a.public), &proof_a), Err(VerifyError::Malformed { .. })));
}

#[test]
fn prover_rejects_bad_inputs() {
    let inst = random_instance(21, 10, 2, 10, Values::Small);
    let (pk, _) = preprocess(inst.r1cs.clone(), Profile::Small, None).unwrap();
    assert_eq!(
        prove(&pk, st(&inst.public[1..]), &inst.witness, &[]).unwrap_err(),
        ProveError::PublicInputLength { expected: 2, got: 1 }
    );
    assert_eq!(
        prove(&pk, st(&inst.public), &inst.witness[1..], &[]).unwrap_err(),
        ProveError::WitnessLength { expected: 10, got: 9 }
    );
    let mut bad = inst.witness.clone();
    bad[9] += Fr::one();
    assert!(matches!(prove(&pk, st(&inst.public), &bad, &[]), Err(ProveError::Unsatisfied { .. })));

    let mut out_of_range = inst.r1cs.clone();
    out_of_range.a.push(10, 0, Fr::one());
    assert!(matches!(
        preprocess(out_of_range, Profile::Small, None),
        Err(SetupError::EntryOutOfRange { matrix: "A", .. })
    ));
    let too_big = R1cs { num_constraints: (1 << 20) + 1, ..Default::default() };
    assert!(matches!(preprocess(too_big, Profile::Small, None), Err(SetupError::TooLarge { .. })));
}

#[test]
fn key_digest_is_canonical() {
    // Entry order and split duplicates do not change the key.
    let inst = random_instance(22, 20, 2, 20, Values::Small);
    let (_, vk) = preprocess(inst.r1cs.clone(), Profile::Small, None).unwrap();
    let mut shuffled = inst.r1cs.clone();
    shuffled.a.entries.reverse();
    let e = shuffled.b.entries.pop().unwrap();
    shuffled.b.push(e.row, e.col, e.val - Fr::one());
    shuffled.b.push(e.row, e.col, Fr::one());
    let (_, vk2) = preprocess(shuffled, Profile::Small, None).unwrap();
    assert_eq!(vk.digest(), vk2.digest());
    assert_eq!(vk.to_bytes(), vk2.to_bytes());
}

#[test]
fn random_bytes_never_panic_the_decoders() {
    let inst = random_instance(23, 6, 2, 6, Values::Small);
    let (vk, proof) = prove_and_check(&inst);
    let (proof_bytes, vk_bytes) = (proof.to_bytes(), vk.to_bytes());
    let mut rng = StdRng::seed_from_u64(24);
    for _ in 0..2000 {
        // Random mutations (several bytes, possibly resized) of valid encodings.
        for base in [&proof_bytes, &vk_bytes] {
            let mut b = base.to_vec();
            for _ in 0..rng.gen_range(1..6) {
                let i = rng.gen_range(0..b.len());
                b[i] = rng.gen();
            }
            b.truncate(rng.gen_range(b.len() / 2..=b.len()));
            if let Ok(p) = Proof::from_bytes(&b) {
                let _ = verify(&vk, st(&inst.public), &p);
            }
            if let Ok(k) = VerifyingKey::from_bytes(&b) {
                let _ = verify(&k, st(&inst.public), &proof);
            }
        }
        let noise: Vec<u8> = (0..rng.gen_range(0..64)).map(|_| rng.gen()).collect();
        assert!(Proof::from_bytes(&noise).is_err());
        assert!(VerifyingKey::from_bytes(&noise).is_err());
    }
}

#[test]
#[ignore = "2^16 constraints: slow in the dev profile; run with --ignored (the benchmark covers it too)"]
fn completeness_at_2_pow_16() {
    let n = 1 << 16;
    prove_and_check(&random_instance(25, n, 16, n - 16, Values::Bits));
}
