//! Golden vectors: the verifying key and proof bytes of a fixed instance, for each
//! profile, are committed under `tests/golden/`. If the encoding or the protocol changes, this
//! test fails: bump `encoding::FORMAT_VERSION`, then regenerate the files with
//! `ZKPOLICY_UPDATE_GOLDEN=1 cargo test -p zkpolicy-core --test golden`.

use ark_bn254::Fr;
use ark_ff::One;
use rand::{rngs::StdRng, SeedableRng};
use std::path::PathBuf;
use zkpolicy_core::snark::encoding::FORMAT_VERSION;
use zkpolicy_core::snark::r1cs::{fr_from_i64, R1cs};
use zkpolicy_core::snark::spartan::{preprocess, prove_with_rng, verify, Profile, Proof, Statement, VerifyingKey};

/// x, y public; a = x², b = a·y, c = x + 2y + 3, bit² = bit, d = (b − c)·bit; one empty row.
fn fixed_instance() -> (R1cs, Vec<Fr>, Vec<Fr>) {
    let mut r = R1cs { num_constraints: 6, num_public: 2, num_witness: 5, ..Default::default() };
    let (one, x, y, a, b, c, bit, d) = (0, 1, 2, 3, 4, 5, 6, 7);
    let f = fr_from_i64;
    r.a.push(0, x, Fr::one());
    r.b.push(0, x, Fr::one());
    r.c.push(0, a, Fr::one());
    r.a.push(1, a, Fr::one());
    r.b.push(1, y, Fr::one());
    r.c.push(1, b, Fr::one());
    r.a.push(2, x, Fr::one());
    r.a.push(2, y, f(2));
    r.a.push(2, one, f(3));
    r.b.push(2, one, Fr::one());
    r.c.push(2, c, Fr::one());
    r.a.push(3, bit, Fr::one());
    r.b.push(3, bit, Fr::one());
    r.c.push(3, bit, Fr::one());
    r.a.push(4, b, Fr::one());
    r.a.push(4, c, -Fr::one());
    r.b.push(4, bit, Fr::one());
    r.c.push(4, d, Fr::one());
    let public = vec![f(3), f(-5)];
    let witness = vec![f(9), f(-45), f(-4), f(1), f(-41)];
    assert_eq!(r.is_satisfied(&public, &witness), Ok(()));
    (r, public, witness)
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

fn check_golden(name: &str, bytes: &[u8]) -> Vec<u8> {
    let path = golden_path(name);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if std::env::var_os("ZKPOLICY_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, format!("{hex}\n")).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap();
    let stored = stored.trim();
    let stored_bytes: Vec<u8> =
        (0..stored.len()).step_by(2).map(|i| u8::from_str_radix(&stored[i..i + 2], 16).unwrap()).collect();
    let stored_version = u16::from_le_bytes([stored_bytes[4], stored_bytes[5]]);
    assert_eq!(
        stored_version, FORMAT_VERSION,
        "{name}: golden file is for format version {stored_version}; regenerate it for version {FORMAT_VERSION}"
    );
    assert!(stored == hex, "{name}: the encoding changed without a format version bump (see this file's docs)");
    stored_bytes
}

#[test]
fn golden_vectors_are_stable() {
    let (r1cs, public, witness) = fixed_instance();
    // One pair of files per profile: `fixed.*` for the default, `fixed-fast.*`.
    for (profile, prefix) in [(Profile::Small, "fixed"), (Profile::Fast, "fixed-fast")] {
        let (pk, vk) = preprocess(r1cs.clone(), profile, None).unwrap();
        // A seeded RNG makes the blinds, hence the proof, reproducible (tests only).
        // Witness value 0 is committed, so the link proof's encoding is pinned too.
        let statement = Statement { public: &public, committed: &[0], context: &[] };
        let proof =
            prove_with_rng(&pk, statement, &witness, &[Fr::from(7u64)], &mut StdRng::seed_from_u64(2026)).unwrap();
        let vk_bytes = check_golden(&format!("{prefix}.vk.hex"), &vk.to_bytes());
        let proof_bytes = check_golden(&format!("{prefix}.proof.hex"), &proof.to_bytes());
        // The stored bytes verify on their own, under their own profile only.
        let vk = VerifyingKey::from_bytes(&vk_bytes).unwrap();
        assert_eq!(vk.profile(), profile);
        let proof = Proof::from_bytes(&proof_bytes).unwrap();
        assert_eq!(verify(&vk, statement, &proof), Ok(()));
        let (_, other) =
            preprocess(r1cs.clone(), Profile::ALL.into_iter().find(|p| *p != profile).unwrap(), None).unwrap();
        assert!(verify(&other, statement, &proof).is_err(), "{prefix}: verified under the other profile");
    }
}
