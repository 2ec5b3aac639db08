//! Transparent Pedersen generators for BN254 G1, by hash-to-curve (try-and-increment).
//!
//! Nobody knows a discrete-log relation between these points: each one is the
//! output of a hash, recomputable by anyone from [`GENERATOR_DOMAIN`].
//!
//! Derivation of the point with `label` and `index` (`u64` little-endian):
//!
//! ```text
//! for ctr = 0, 1, 2, …  (u32 little-endian):
//!     seed = GENERATOR_DOMAIN ‖ u64le(len(label)) ‖ label ‖ u64le(index) ‖ u32le(ctr)
//!     x    = Fq::from_le_bytes_mod_order(Keccak256(seed ‖ 0x00) ‖ Keccak256(seed ‖ 0x01))
//!     if x³ + 3 is a square in Fq: return (x, the larger of the two square roots)
//! ```
//!
//! (BN254 G1 has cofactor 1, so every curve point lies in the prime-order
//! group; the identity is never produced since it has no affine `x`.) The
//! message generators are `G_i = point("G", i)`, the blinding generator is
//! `H = point("H", 0)`, the value generator of single-scalar
//! commitments is `V = point("V", 0)`.
//!
//! Deriving a point costs a square root (tens of microseconds, several times
//! more in wasm), so the first [`TABLE_LEN`] message generators and `H` are
//! shipped precomputed in `generators.bin` (each point as `x ‖ y`, 32-byte
//! little-endian coordinates); a test re-derives every entry and fails on any
//! difference (`ZKPOLICY_UPDATE_GENERATORS=1` rewrites the file). Generators
//! are also cached process-wide: the cache keeps the longest prefix
//! `G_0, …, G_{n-1}` requested so far and hands out shared references to it.

use ark_bn254::{Fq, G1Affine};
use ark_ff::PrimeField;
use sha3::{Digest, Keccak256};
use std::sync::{Arc, Mutex, OnceLock};

/// The domain string every generator is derived from.
pub const GENERATOR_DOMAIN: &[u8] = b"zkpolicy/hyrax/pedersen-generators/bn254-g1/keccak256-try-and-increment/v1";

/// Label of the message generators `G_i`.
const LABEL_MESSAGE: &[u8] = b"G";
/// Label of the blinding generator `H` (shipped precomputed; tests re-derive it).
#[cfg(test)]
const LABEL_BLIND: &[u8] = b"H";
/// Label of the value generator `V` of single-scalar commitments.
const LABEL_VALUE: &[u8] = b"V";

/// Number of message generators in the precomputed table (rows of up to 256
/// entries: witnesses of up to 2^16 values); `H` follows them.
pub const TABLE_LEN: usize = 256;

/// `G_0, …, G_{TABLE_LEN-1}, H`, each as `x ‖ y` (32-byte little-endian coordinates).
const TABLE: &[u8; (TABLE_LEN + 1) * 64] = include_bytes!("generators.bin");

/// Entry `i` of the precomputed table.
fn table_point(i: usize) -> G1Affine {
    let entry = &TABLE[64 * i..64 * (i + 1)];
    let x = Fq::from_le_bytes_mod_order(&entry[..32]);
    let y = Fq::from_le_bytes_mod_order(&entry[32..]);
    // The table is checked against `hash_to_g1` by a test, so the point is on the curve.
    G1Affine::new_unchecked(x, y)
}

/// The message generator `G_i`.
fn message_generator(i: usize) -> G1Affine {
    if i < TABLE_LEN {
        table_point(i)
    } else {
        hash_to_g1(LABEL_MESSAGE, i as u64)
    }
}

/// Hashes `(label, index)` to a point of G1 by try-and-increment (see the module docs).
pub fn hash_to_g1(label: &[u8], index: u64) -> G1Affine {
    for ctr in 0u32.. {
        let mut seed = Keccak256::new();
        seed.update(GENERATOR_DOMAIN);
        seed.update((label.len() as u64).to_le_bytes());
        seed.update(label);
        seed.update(index.to_le_bytes());
        seed.update(ctr.to_le_bytes());
        let mut wide = [0u8; 64];
        for (i, chunk) in wide.chunks_exact_mut(32).enumerate() {
            let mut h = seed.clone();
            h.update([i as u8]);
            chunk.copy_from_slice(&h.finalize());
        }
        let x = Fq::from_le_bytes_mod_order(&wide);
        if let Some(p) = G1Affine::get_point_from_x_unchecked(x, true) {
            return p;
        }
    }
    unreachable!("about half of all x are on the curve; 2^32 failures do not happen")
}

/// The blinding generator `H` (cached).
pub fn blinding_generator() -> G1Affine {
    static H: OnceLock<G1Affine> = OnceLock::new();
    *H.get_or_init(|| table_point(TABLE_LEN))
}

/// The value generator `V` of single-scalar Pedersen commitments `v·V + ρ·H` (cached).
pub fn value_generator() -> G1Affine {
    static V: OnceLock<G1Affine> = OnceLock::new();
    *V.get_or_init(|| hash_to_g1(LABEL_VALUE, 0))
}

/// At least the first `n` message generators `G_0, …, G_{n-1}` (cached; the returned
/// vector may be longer, callers use a prefix).
pub fn message_generators(n: usize) -> Arc<Vec<G1Affine>> {
    static CACHE: OnceLock<Mutex<Arc<Vec<G1Affine>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Arc::new(Vec::new())));
    // A panic while holding the lock cannot leave a partial vector behind (the
    // vector is replaced atomically), so a poisoned lock is safe to reuse.
    let mut cached = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if cached.len() < n {
        let mut longer = Vec::with_capacity(n);
        longer.extend_from_slice(&cached);
        longer.extend((cached.len()..n).map(message_generator));
        *cached = Arc::new(longer);
    }
    Arc::clone(&cached)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;
    use ark_ff::{BigInteger, PrimeField};

    #[test]
    fn precomputed_table_matches_the_derivation() {
        let derived: Vec<G1Affine> =
            (0..TABLE_LEN).map(|i| hash_to_g1(LABEL_MESSAGE, i as u64)).chain([hash_to_g1(LABEL_BLIND, 0)]).collect();
        if std::env::var_os("ZKPOLICY_UPDATE_GENERATORS").is_some() {
            let mut bytes = Vec::with_capacity(TABLE.len());
            for p in &derived {
                bytes.extend(p.x.into_bigint().to_bytes_le());
                bytes.extend(p.y.into_bigint().to_bytes_le());
            }
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/snark/pedersen/generators.bin");
            std::fs::write(path, bytes).unwrap();
            return;
        }
        for (i, p) in derived.iter().enumerate() {
            assert_eq!(table_point(i), *p, "table entry {i} differs from hash_to_g1; regenerate generators.bin");
        }
        assert_eq!(blinding_generator(), hash_to_g1(LABEL_BLIND, 0));
        assert_eq!(message_generator(TABLE_LEN), hash_to_g1(LABEL_MESSAGE, TABLE_LEN as u64));
    }

    #[test]
    fn generators_are_valid_distinct_and_cached_consistently() {
        let g4 = message_generators(4);
        let g8 = message_generators(8);
        assert_eq!(&g4[..4], &g8[..4]);
        let h = blinding_generator();
        assert_ne!(h, value_generator());
        for (i, p) in g8[..8].iter().enumerate() {
            assert!(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve());
            assert!(!p.is_zero());
            assert_ne!(*p, h);
            assert_ne!(*p, value_generator());
            assert_eq!(*p, hash_to_g1(LABEL_MESSAGE, i as u64));
            for q in &g8[..i] {
                assert_ne!(p, q);
            }
        }
    }
}
